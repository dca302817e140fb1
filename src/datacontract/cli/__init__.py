"""cli: the click shell only: parse arguments, call the public API, print, choose the exit code.

main.py holds the group and validate, describe, sample, coverage and the demos; flow.py the flow's
commands (hop send/receive, destroy, made, milestone, prove); ledger.py the shared ledger's
(ledger init/verify/checkpoint/repair, keys new); lineage.py the OpenLineage export;
standards.py export/import (ODCS), lint, changelog and schema; options.py the options commands
share, each defined once (--contract, --ledger, --at, --key, --keyring, --checkpoint, --output,
--format, --password-file, --sheet); common.py the guard that turns errors into exit codes,
writing --output, the progress bar.

It may import: the public API only (`from datacontract import ...`: datacontract.__all__) and
its own modules; click, rich and the standard library. If a command needs an internal module,
the API lacks a function.
It must never import: any part's modules directly; no other part may import click.
"""
