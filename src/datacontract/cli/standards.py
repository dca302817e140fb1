"""The commands that speak the ecosystem's standards and check contracts without data:
`export`/`import` (ODCS 3.2), `lint`, `changelog` and `schema` (docs/standards.md).

Exit codes as everywhere (docs/cli.md): `lint` 0 when the contract holds to the format, 1 when
it does not (every problem named `file:line:column: key`), 2 when the file cannot be read as
YAML; `changelog` 0, or 1 on a breaking change without a major version bump; `export` and
`import` 0, or 2 for unusable input.
"""

from __future__ import annotations

import sys

import click

from datacontract import EXIT_OK, EXIT_VIOLATION
from datacontract.cli.common import guarded, say, write_output
from datacontract.cli.options import (
    CONTRACT_OPTION,
    SafePath,
    Suggesting,
    format_option,
    output_option,
)

FORMAT_ODCS = click.option(
    "--format",
    "fmt",
    type=Suggesting(["odcs"]),
    default="odcs",
    show_default=True,
    help="The standard: ODCS 3.2 (Open Data Contract Standard).",
)
OUTPUT = output_option("it")
REPORT_FORMAT = format_option(["text", "json"])


@click.command("export")
@FORMAT_ODCS
@CONTRACT_OPTION
@click.option("--dataset", default=None, help="One dataset only (default: all, one document).")
@OUTPUT
@guarded
def export_command(fmt: str, contract_path: str, dataset: str | None, output: str | None) -> None:
    """Write a contract as an ODCS 3.2 document (YAML)."""
    import datacontract as api

    write_output(api.export_odcs(api.ContractOptions(contract_path, fmt, dataset)), output)


@click.command("import")
@FORMAT_ODCS
@click.argument("file", type=SafePath(dir_okay=False, path_type=str))
@OUTPUT
@guarded
def import_command(fmt: str, file: str, output: str | None) -> None:
    """Read an ODCS 3.2 document (FILE) and write the contract it holds (YAML)."""
    import datacontract as api

    imported = api.import_odcs(file)
    for item in imported.left_out:
        say(f"note: left out {item}", err=True)
    write_output(imported.text, output)


@click.command("lint")
@CONTRACT_OPTION
@REPORT_FORMAT
@OUTPUT
@guarded
def lint_command(contract_path: str, fmt: str, output: str | None) -> None:
    """Check a contract against the format's JSON Schema, the loader's rules (references,
    citations) and coverage of its article-3 items, without touching data."""
    import datacontract as api

    report = api.lint(api.LintOptions(contract_path, fmt))
    write_output(report.text, output)
    sys.exit(EXIT_OK if report.holds else EXIT_VIOLATION)


@click.command("changelog")
@click.argument("old", type=SafePath(dir_okay=False, path_type=str))
@click.argument("new", type=SafePath(dir_okay=False, path_type=str))
@REPORT_FORMAT
@OUTPUT
@guarded
def changelog_command(old: str, new: str, fmt: str, output: str | None) -> None:
    """List what changed from contract OLD to NEW and which changes break a party's files;
    exit 1 on a breaking change without a major version bump."""
    import datacontract as api

    report = api.changelog(api.ChangelogOptions(old, new, fmt))
    write_output(report.text, output)
    sys.exit(EXIT_OK if report.holds else EXIT_VIOLATION)


@click.command("schema")
@OUTPUT
@guarded
def schema_command(output: str | None) -> None:
    """Print the JSON Schema of the contract format (schemas/contract.schema.json)."""
    import datacontract as api

    write_output(api.contract_schema(), output)


COMMANDS = (export_command, import_command, lint_command, changelog_command, schema_command)
