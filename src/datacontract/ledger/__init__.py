"""ledger: the append-only, hash-chained record of every send, receipt and destruction.

event.py is one event and the checks every line passes; canonical.py the one JSON encoding
that is hashed; chain.py reads a ledger and reports every problem with it, append.py appends
under a lock, atomically; fast.py is the reader's fast path for lines the writer wrote;
manifest.py the hash manifest that travels with a file. keys.py, signing.py, checkpoint.py
and audit.py are the parties' Ed25519 keys, what a signature covers, C2SP checkpoints and what
an auditor checks beyond the chain; backend.py is the interface every backend has
(LedgerBackend) and store.py its registry, which chooses one by the scheme of a ledger's name;
jsonl_file.py is the file backend (a path or file://), postgres.py the shared one on a
PostgreSQL server (postgresql://).

It may import: nothing of ours but errors.py, limits.py and messages/ (the words of its
problems, codes with values); the standard library, cryptography (Ed25519
signatures) and psycopg (the PostgreSQL backend, imported only for a postgresql:// ledger).
It must never import: any other part; pandas, pandera or pyarrow (auditors read ledgers of
millions of events: the part stays light).
"""
