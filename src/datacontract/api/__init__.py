"""api: the public functions the command line lives on (re-exported by datacontract/__init__).

One function per command, each taking one options object (a frozen dataclass) and returning a
result the caller prints: checking.py (validate, describe, coverage, lint, changelog, the
schema, ODCS export/import), flow.py (the hooks hop send/receive, destroy, made, milestone, and
prove), ledger.py (ledger init/read/verify/checkpoint/repair, keys), making.py (sample, the
demos, OpenLineage export), inputs.py (what the options name: contracts, times, keys,
passwords), shell.py (what a shell needs to print safely). Errors are the tree of errors.py.

It may import: every other part but cli.
It must never import: cli, click; nothing heavy at import time (the functions import the
parts they call, so that `import datacontract` and `--help` stay fast).
"""
