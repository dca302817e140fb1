"""ledger: the append-only, hash-chained record of every send, receipt and destruction.

event.py is one event and the checks every line passes; canonical.py the one JSON encoding
that is hashed; chain.py reads a ledger and reports every problem with it, append.py appends
under a lock, atomically; fast.py is the reader's fast path for lines the writer wrote;
manifest.py the hash manifest that travels with a file.

It may import: nothing of ours but errors.py; the standard library.
It must never import: any other part; pandas, pandera or pyarrow (auditors read ledgers of
millions of events: the part stays light).
"""
