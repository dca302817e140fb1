"""cli: the click shell only: parse arguments, call the parts, choose the exit code.

main.py holds the group and validate, describe, sample, coverage and the demos; flow.py the flow's
commands (hop send/receive, destroy, made, milestone, prove); ledger.py the shared ledger's
(ledger init/verify/checkpoint/repair, keys new) and the --key/--keyring/--checkpoint
options; standards.py export/import (ODCS), lint, changelog and schema; common.py what
every command shares (the guard that turns errors into exit codes, --output, passwords).

It may import: every other part; click and rich.
It must never import: nothing is above it; no other part may import click.
"""
