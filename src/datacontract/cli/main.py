"""The click shell: parse arguments, call the public API, choose the exit code.

No logic lives here. Exit codes (docs/cli.md): 0 all holds, 1 the data or the flow breaks
the contract, 2 unusable input. Every error a user can cause is a one-line message on stderr,
never a traceback (set DATACONTRACT_DEBUG=1 to see one for a bug of ours). The commands of the
flow (hooks, destroy, made, milestone, prove) are in cli/flow.py; what all share, cli/common.py.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from typing import Any

import click

from datacontract import EXIT_OK, EXIT_VIOLATION, VALIDATION_FORMATS
from datacontract.cli.common import (
    append_output,
    guarded,
    progress_bar,
    say,
    silence_library_warnings,
    tool_version,
    write_output,
)
from datacontract.cli.flow import destroy, hop, made, milestone, prove
from datacontract.cli.ledger import keys_group, ledger_group
from datacontract.cli.options import (
    CONTRACT_OPTION,
    PASSWORD_FILE,
    SHEET_OPTION,
    SafePath,
    Suggesting,
    format_option,
    output_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="groeipakket-datacontract", prog_name="datacontract")
def main() -> None:
    """Data contracts for the data-sharing protocols of the Groeipakket.

    Exit codes: 0 all holds, 1 the data or the flow breaks the contract, 2 unusable input.
    """
    silence_library_warnings()


@main.command()
@click.argument("files", nargs=-1, required=True, type=SafePath(dir_okay=False, path_type=str))
@click.option("--contract", "contract_path", required=True, help="The contract YAML file.")
@click.option("--dataset", required=True, help="The dataset of the contract the files hold.")
@click.option(
    "--format",
    "fmt",
    type=Suggesting(VALIDATION_FORMATS),
    default="text",
    show_default=True,
    help="Report format: text (a table on a terminal, one line per finding elsewhere), json, "
    "junit, github (workflow annotations and a job summary), azure (logging commands), sarif.",
)
@output_option()
@PASSWORD_FILE
@SHEET_OPTION
@click.option(
    "--reference-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date of the transfer, for age rules (e.g. a request's date); default today.",
)
@click.option(
    "--transfer",
    is_flag=True,
    help="Also check how the file travels (the dataset's format and encryption), as the hooks do.",
)
@guarded
def validate(fmt: str, output: str | None, **given: Any) -> None:
    """Check each FILE against one dataset of a contract (several files: one report, and the
    exit code of the worst: 2 unusable, 1 refused, 0 all hold).

    Row numbers count data rows: row 1 is the first data row after the header. A file with a
    header and no data row passes on its columns, with the notice "0 rows; header only"."""
    import datacontract as api

    day: datetime | None = given["reference_date"]
    files: tuple[str, ...] = given["files"]
    validation = api.validate(
        api.ValidateOptions(
            files,
            given["contract_path"],
            given["dataset"],
            password_file=given["password_file"],
            sheet=given["sheet"],
            reference_date=day.date() if day else None,
            transfer=given["transfer"],
            keep_going=fmt in api.CI_FORMATS,
            progress=progress_bar,
        )
    )
    for file, why in validation.unusable:
        say(f"datacontract: {why}", err=True)
        annotation = api.unusable_annotation(file, why, fmt)
        if annotation is not None:
            click.echo(annotation)
    tty = output is None and sys.stdout.isatty()
    how = api.ReportOptions(fmt, color=tty, many=len(files) > 1, tool_version=tool_version())
    write_output(api.validation_report(validation, how), output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        append_output(summary, api.step_summary(validation))
    sys.exit(validation.exit_code)


@main.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=SafePath(file_okay=False),
    help="Directory to write the synthetic files into.",
)
@click.option(
    "--rows",
    default=1000,
    show_default=True,
    type=click.IntRange(min=5),
    help="Number of families in the sample.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@click.option(
    "--contract",
    "contract_path",
    default=None,
    help="The adequacy-study contract (default: the one shipped in contracts/).",
)
@click.option(
    "--violation",
    default=None,
    help="Run one bad flow end to end: background-too-early, second-delivery, tampered-file, "
    "insz-in-dataset-4.",
)
@guarded
def demo(
    out_dir: str, rows: int, seed: int, contract_path: str | None, violation: str | None
) -> None:
    """Generate the synthetic adequacy study, check every file, run the flow and prove it."""
    import datacontract as api

    ok = api.run_demo(api.DemoOptions(out_dir, rows, seed, contract_path, violation))
    sys.exit(EXIT_OK if ok else EXIT_VIOLATION)


@main.command("demo-protocols")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=SafePath(file_okay=False),
    help="Directory to write each contract's files, ledger and proof into.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@guarded
def demo_protocols(out_dir: str, seed: int) -> None:
    """Run the flows of the four other protocols (IKT, local authorities, JobbonusPlus,
    AHOVOKS) on synthetic data through the hooks, with one refused transfer each, and prove them."""
    from rich.console import Console

    import datacontract as api

    console = Console(highlight=False)
    ok = api.run_protocols(
        api.ProtocolsOptions(out_dir, lambda text: console.print(text, soft_wrap=True), seed)
    )
    sys.exit(EXIT_OK if ok else EXIT_VIOLATION)


@main.command()
@CONTRACT_OPTION
@click.option("--dataset", required=True, help="The dataset of the contract to sample.")
@click.option(
    "--rows",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Number of rows (for a MAGDA answer: enrolments).",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@click.option(
    "--output",
    required=True,
    type=SafePath(dir_okay=False),
    help="Where to write; the format follows the extension (.parquet .csv .json .jsonl .xlsx .ods; "
    ".xml for a MAGDA document).",
)
@PASSWORD_FILE
@click.option(
    "--reference-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The transfer date the sample stands for, for age rules; default today.",
)
@guarded
def sample(
    contract_path: str,
    dataset: str,
    rows: int,
    seed: int,
    output: str,
    password_file: str | None,
    reference_date: datetime | None,
) -> None:
    """Write synthetic rows that satisfy one dataset of a contract.

    A nested dataset written as .json is one JSON document; a MAGDA dataset written as .xml
    is the service's document (a request for the first row's student, an answer with one
    enrolment per row). A dataset that travels as an
    encrypted workbook is written encrypted when a password is given (--password-file or
    DATACONTRACT_XLSX_PASSWORD).
    """
    import datacontract as api

    sampled = api.sample(
        api.SampleOptions(
            contract_path,
            dataset,
            output,
            rows,
            seed,
            password_file,
            reference_date.date() if reference_date else None,
            progress=progress_bar,
        )
    )
    for note in sampled.notes:
        say(note)
    say(sampled.summary)


@main.command("init")
@click.argument("file", type=SafePath(dir_okay=False, path_type=str))
@click.option(
    "--output",
    type=SafePath(dir_okay=False),
    help="Write the draft contract here (an existing file is never overwritten); default stdout.",
)
@click.option(
    "--dataset",
    default=None,
    help="The dataset's id in the draft (default: from the file's name).",
)
@click.option(
    "--contract-id",
    default=None,
    help="The contract's id in the draft (default: the file's name and -draft).",
)
@SHEET_OPTION
@PASSWORD_FILE
@guarded
def init_command(
    file: str,
    output: str | None,
    dataset: str | None,
    contract_id: str | None,
    sheet: str | None,
    password_file: str | None,
) -> None:
    """Draft a contract from a data file one has: its columns, their types and nullability,
    and how the file travels (format, sheet, encryption). No value of the file is copied;
    a column name that may be personal data is declared by position (`column_7`) with a note.

    Every column, rule and party cites `article: TODO`: `lint` and `coverage` fail until each
    is cited. The draft passes `validate` on the file it came from."""
    import datacontract as api

    if output is not None and os.path.lexists(output):
        raise api.UsageError(f"--output {output} exists: a draft never overwrites a file")
    drafted = api.draft_contract(api.DraftOptions(file, dataset, contract_id, sheet, password_file))
    write_output(drafted.text, output, "the draft contract")
    if drafted.withheld:
        say(
            f"{len(drafted.withheld)} column name(s) may be personal data and are declared by "
            f"position ({', '.join(drafted.withheld)}): write the names the file uses",
            err=True,
        )


@main.command("coverage")
@CONTRACT_OPTION
@format_option(["text", "json", "markdown"])
@output_option()
@guarded
def coverage_command(contract_path: str, fmt: str, output: str | None) -> None:
    """List each article-3 item of the contract's protocol and what encodes it."""
    import datacontract as api

    tty = output is None and sys.stdout.isatty()
    report = api.coverage(api.ContractOptions(contract_path, fmt, terminal=tty))
    write_output(report.text, output)
    sys.exit(EXIT_OK if report.holds else EXIT_VIOLATION)


@main.command("describe")
@CONTRACT_OPTION
@format_option(["text", "json"])
@guarded
def describe_command(contract_path: str, fmt: str) -> None:
    """List what a contract declares: its parties, datasets, hops (id, from -> to, dataset,
    article), milestones and invariants: the names --hop, --from, --to, --party, --dataset
    and a milestone's NAME take."""
    import datacontract as api

    write_output(api.describe(api.ContractOptions(contract_path, fmt)), None)


for command in (hop, destroy, made, milestone, prove, ledger_group, keys_group):
    main.add_command(command)

from datacontract.cli.lineage import lineage_group  # noqa: E402 (issue 17: added after the others)
from datacontract.cli.standards import COMMANDS as STANDARDS_COMMANDS  # noqa: E402

for command in (lineage_group, *STANDARDS_COMMANDS):
    main.add_command(command)

from datacontract.cli.examples import add_examples  # noqa: E402 (once every command is added)

add_examples(main)


if __name__ == "__main__":
    main()
