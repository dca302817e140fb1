"""The click shell: parse arguments, call the public API, choose the exit code.

No logic lives here. Exit codes (docs/cli.md): 0 all holds, 1 the data or the flow breaks
the contract, 2 unusable input. Every error a user can cause is a one-line message on stderr,
never a traceback (set DATACONTRACT_DEBUG=1 to see one for a bug of ours). The commands of the
flow (hooks, destroy, made, milestone, prove) are in cli/flow.py; what all share, cli/common.py.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from datetime import datetime
from pathlib import Path

import click

from datacontract.cli.common import (
    PASSWORD_FILE,
    SHEET_OPTION,
    Suggesting,
    append_output,
    fail,
    guarded,
    password_from,
    progress_bar,
    say,
    silence_library_warnings,
    tool_version,
    unusable,
    write_output,
)
from datacontract.cli.flow import destroy, hop, made, milestone, prove
from datacontract.cli.ledger import keys_group, ledger_group
from datacontract.errors import EXIT_OK, EXIT_VIOLATION, DataContractError
from datacontract.report.inert import markup
from datacontract.report.validation import FORMATS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="groeipakket-datacontract", prog_name="datacontract")
def main() -> None:
    """Data contracts for the data-sharing protocols of the Groeipakket.

    Exit codes: 0 all holds, 1 the data or the flow breaks the contract, 2 unusable input.
    """
    silence_library_warnings()


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--contract", "contract_path", required=True, help="The contract YAML file.")
@click.option("--dataset", required=True, help="The dataset of the contract the files hold.")
@click.option(
    "--format",
    "fmt",
    type=Suggesting(FORMATS),
    default="text",
    show_default=True,
    help="Report format: text (a table on a terminal, one line per finding elsewhere), json, "
    "junit, github (workflow annotations and a job summary), azure (logging commands), sarif.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
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
def validate(
    files: tuple[str, ...],
    contract_path: str,
    dataset: str,
    fmt: str,
    output: str | None,
    password_file: str | None,
    sheet: str | None,
    reference_date: datetime | None,
    transfer: bool,
) -> None:
    """Check each FILE against one dataset of a contract (several files: one report, and the
    exit code of the worst: 2 unusable, 1 refused, 0 all hold).

    Row numbers count data rows: row 1 is the first data row after the header. A file with a
    header and no data row passes on its columns, with the notice "0 rows; header only"."""
    import datacontract as api
    from datacontract.contract.references import find_dataset
    from datacontract.report.validation import render

    loaded = api.load_contract(contract_path)
    find_dataset(loaded.contract, dataset)  # a wrong --dataset is one message, not one per file
    options = api.Options(
        password=password_from(password_file),
        reference_date=reference_date.date() if reference_date else None,
        transfer=transfer,
        sheet=sheet,
    )
    results, worst = [], EXIT_OK
    unreadable: list[tuple[str, str]] = []
    for file in files:
        try:
            with progress_bar(f"validating {markup(Path(file).name)}") as progress:
                result = api.validate_file(
                    loaded, dataset, file, dataclasses.replace(options, progress=progress)
                )
        except DataContractError as exc:
            if len(files) == 1 and fmt not in ("github", "azure", "sarif"):
                raise
            unusable(file, exc, fmt)
            unreadable.append((file, str(exc)))
            worst = max(worst, exc.exit_code)
            continue
        results.append(result)
        worst = max(worst, EXIT_OK if result.valid else EXIT_VIOLATION)
    tty = output is None and sys.stdout.isatty()
    report = render(
        results,
        fmt,
        color=tty,
        many=len(files) > 1,
        tool_version=tool_version(),
        unusable=unreadable,
    )
    write_output(report, output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        from datacontract.report.annotations import step_summary

        append_output(summary, step_summary(results, unreadable))
    sys.exit(worst)


@main.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
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
    from datacontract.demo.adequacy import run_demo

    ok = run_demo(
        Path(out_dir), families=rows, seed=seed, contract_path=contract_path, violation=violation
    )
    sys.exit(EXIT_OK if ok else EXIT_VIOLATION)


@main.command("demo-protocols")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory to write each contract's files, ledger and proof into.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@guarded
def demo_protocols(out_dir: str, seed: int) -> None:
    """Run the flows of the four other protocols (IKT, local authorities, JobbonusPlus,
    AHOVOKS) on synthetic data through the hooks, with one refused transfer each, and prove them."""
    from rich.console import Console

    from datacontract.demo.protocols import run_protocols

    console = Console(highlight=False)
    ok = run_protocols(
        Path(out_dir), seed=seed, say=lambda text: console.print(text, soft_wrap=True)
    )
    sys.exit(EXIT_OK if ok else EXIT_VIOLATION)


@main.command()
@click.option("--contract", "contract_path", required=True, help="The contract YAML.")
@click.option("--dataset", required=True, help="The dataset of the contract to sample.")
@click.option("--rows", default=100, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=7, show_default=True, type=int, help="Random seed.")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
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
    from datacontract.contract.references import find_dataset
    from datacontract.demo import sample as sampling

    loaded = api.load_contract(contract_path)
    ds = find_dataset(loaded.contract, dataset)
    on = reference_date.date() if reference_date else None
    password = password_from(password_file)
    path = Path(output)
    if path.suffix.lower() in sampling.STREAMED and ds.magda is None and not ds.nested:
        with progress_bar(f"sampling {markup(ds.id)}") as progress:
            chunks = sampling.sample_chunks(loaded.contract, ds, rows, seed, on)
            sampling.write_sample_chunks(
                chunks, ds, path, None if progress is None else lambda n: progress(n, rows)
            )
    else:
        sample_rows = sampling.sample_rows(loaded.contract, ds, rows, seed, on)
        path = sampling.write_sample(sample_rows, ds, path, password)
    formats, needs_password = sampling.formats, sampling.needs_password
    travels = formats(ds)
    if path.suffix.lower() not in travels:
        say(f"note: {ds.id} travels as {', '.join(travels)}; a hop refuses {path.suffix}")
    elif needs_password(ds, path) and not password:
        say(
            f"note: {ds.id} travels encrypted and no password was given: the workbook is not "
            "encrypted, and a hop refuses it (--password-file or DATACONTRACT_XLSX_PASSWORD)"
        )
    if ds.magda is not None and path.suffix.lower() == ".xml":
        say(f"a synthetic MAGDA document {ds.magda.element} ({ds.id}) written to {path}")
    else:
        say(f"{rows:,} synthetic rows of {ds.id} written to {path}")


@main.command("coverage")
@click.option("--contract", "contract_path", required=True, help="The contract YAML.")
@click.option(
    "--format",
    "fmt",
    type=Suggesting(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
@guarded
def coverage_command(contract_path: str, fmt: str, output: str | None) -> None:
    """List each article-3 item of the contract's protocol and what encodes it."""
    import datacontract as api
    from datacontract.contract.coverage import coverage
    from datacontract.errors import ContractError
    from datacontract.report.coverage import render

    try:
        loaded = api.load_contract(contract_path)
    except ContractError as exc:
        if "has no article citation" in str(exc):
            # cli.md: coverage fails (1) when a column or rule cites no article
            fail(str(exc), EXIT_VIOLATION)
        raise
    cov = coverage(loaded.contract)
    write_output(render(cov, fmt), output)
    sys.exit(EXIT_OK if cov.holds else EXIT_VIOLATION)


@main.command("describe")
@click.option("--contract", "contract_path", required=True, help="The contract YAML.")
@click.option(
    "--format", "fmt", type=Suggesting(["text", "json"]), default="text", show_default=True
)
@guarded
def describe_command(contract_path: str, fmt: str) -> None:
    """List what a contract declares: its parties, datasets, hops (id, from -> to, dataset,
    article), milestones and invariants: the names --hop, --from, --to, --party, --dataset
    and a milestone's NAME take."""
    import datacontract as api
    from datacontract.report import describe

    loaded = api.load_contract(contract_path)
    text = describe.to_json(loaded.contract) if fmt == "json" else describe.to_text(loaded.contract)
    write_output(text, None)


for command in (hop, destroy, made, milestone, prove, ledger_group, keys_group):
    main.add_command(command)

from datacontract.cli.lineage import lineage_group  # noqa: E402 (issue 17: added after the others)
from datacontract.cli.standards import COMMANDS as STANDARDS_COMMANDS  # noqa: E402

for command in (lineage_group, *STANDARDS_COMMANDS):
    main.add_command(command)


if __name__ == "__main__":
    main()
