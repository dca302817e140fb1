"""The click shell: parse arguments, call the public API, choose the exit code.

No logic lives here. Exit codes (shared/spec/cli.md): 0 all holds, 1 the data or the flow breaks
the contract, 2 unusable input. Every error a user can cause is a one-line message on stderr,
never a traceback (set DATACONTRACT_DEBUG=1 to see one for a bug of ours).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click

from datacontract.canonical import parse_time
from datacontract.errors import EXIT_OK, EXIT_USAGE, EXIT_VIOLATION, DataContractError

F = TypeVar("F", bound=Callable[..., object])


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"datacontract: {message}", err=True)
    sys.exit(code)


def _guarded(fn: F) -> F:
    """Turn our errors into messages and exit codes; hide tracebacks of everything else."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return fn(*args, **kwargs)
        except DataContractError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("DATACONTRACT_DEBUG"):
                raise
            # The text of an unexpected exception may quote a cell: show only its type.
            _fail(
                f"internal error ({type(exc).__name__}); rerun with DATACONTRACT_DEBUG=1 "
                "for a traceback and report it"
            )
        return None

    return wrapper  # type: ignore[return-value]


def _write(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    path = Path(output)
    try:
        if path.exists() and not path.is_file():
            # /dev/null, a pipe, a terminal: write through, never replace the device itself
            with path.open("w", encoding="utf-8") as stream:
                stream.write(text)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        _fail(f"{output}: cannot write the report: {exc.strerror}")


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on stderr for large files; silent when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True),
    help="File holding the password of an encrypted XLSX (or set DATACONTRACT_XLSX_PASSWORD); "
    "never on the command line.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="groeipakket-datacontract", prog_name="datacontract")
def main() -> None:
    """Data contracts for the data-sharing protocols of the Groeipakket.

    Exit codes: 0 all holds, 1 the data or the flow breaks the contract, 2 unusable input.
    """


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--contract", "contract_path", required=True, help="The contract YAML file.")
@click.option("--dataset", required=True, help="The dataset of the contract the file holds.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
@_PASSWORD_FILE
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
@_guarded
def validate(
    file: str,
    contract_path: str,
    dataset: str,
    fmt: str,
    output: str | None,
    password_file: str | None,
    reference_date: datetime | None,
    transfer: bool,
) -> None:
    """Check FILE against one dataset of a contract."""
    import datacontract as api
    from datacontract.report import render

    loaded = api.load_contract(contract_path)
    with _progress(f"validating {Path(file).name}") as progress:
        result = api.validate_file(
            loaded,
            dataset,
            file,
            api.Options(
                progress=progress,
                password=_password(password_file),
                reference_date=reference_date.date() if reference_date else None,
                transfer=transfer,
            ),
        )
    _write(render([result], fmt, color=output is None and sys.stdout.isatty()), output)
    sys.exit(EXIT_OK if result.valid else EXIT_VIOLATION)


def _password(password_file: str | None) -> str | None:
    """Passwords come from a file or the environment, never from the command line."""
    if password_file is not None:
        return Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
    return os.environ.get("DATACONTRACT_XLSX_PASSWORD")


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
@_guarded
def demo(
    out_dir: str, rows: int, seed: int, contract_path: str | None, violation: str | None
) -> None:
    """Generate the synthetic adequacy study, check every file, run the flow and prove it."""
    from datacontract.demo import run_demo

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
@_guarded
def demo_protocols(out_dir: str, seed: int) -> None:
    """Run the flows of the four other protocols (IKT, local authorities, JobbonusPlus,
    AHOVOKS) on synthetic data through the hooks, with one refused transfer each, and prove them."""
    from rich.console import Console

    from datacontract.demo_protocols import run_protocols

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
    help="Where to write; the format follows the extension (.parquet .csv .json .jsonl .xlsx).",
)
@_PASSWORD_FILE
@click.option(
    "--reference-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The transfer date the sample stands for, for age rules; default today.",
)
@_guarded
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

    A nested dataset written as .json is one JSON document. A dataset that travels as an
    encrypted workbook is written encrypted when a password is given (--password-file or
    DATACONTRACT_XLSX_PASSWORD).
    """
    import datacontract as api
    from datacontract.sample import formats, needs_password, sample_rows, write_sample
    from datacontract.validate import find_dataset

    loaded = api.load_contract(contract_path)
    ds = find_dataset(loaded.contract, dataset)
    on = reference_date.date() if reference_date else None
    password = _password(password_file)
    path = write_sample(
        sample_rows(loaded.contract, ds, rows, seed, on), ds, Path(output), password
    )
    travels = formats(ds)
    if path.suffix.lower() not in travels:
        click.echo(f"note: {ds.id} travels as {', '.join(travels)}; a hop refuses {path.suffix}")
    elif needs_password(ds, path) and not password:
        click.echo(
            f"note: {ds.id} travels encrypted and no password was given: the workbook is not "
            "encrypted, and a hop refuses it (--password-file or DATACONTRACT_XLSX_PASSWORD)"
        )
    click.echo(f"{rows:,} synthetic rows of {ds.id} written to {path}")


@main.command("coverage")
@click.option("--contract", "contract_path", required=True, help="The contract YAML.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
@_guarded
def coverage_command(contract_path: str, fmt: str, output: str | None) -> None:
    """List each article-3 item of the contract's protocol and what encodes it."""
    import datacontract as api
    from datacontract.coverage import coverage, render
    from datacontract.errors import ContractError

    try:
        loaded = api.load_contract(contract_path)
    except ContractError as exc:
        if "has no article citation" in str(exc):
            # cli.md: coverage fails (1) when a column or rule cites no article
            _fail(str(exc), EXIT_VIOLATION)
        raise
    cov = coverage(loaded.contract)
    _write(render(cov, fmt), output)
    sys.exit(EXIT_OK if cov.holds else EXIT_VIOLATION)


# --- the flow: hooks at every hop, destruction, milestones, the proof --------------------------

_CONTRACT = click.option("--contract", "contract_path", required=True, help="The contract YAML.")
_LEDGER = click.option(
    "--ledger", required=True, type=click.Path(dir_okay=False), help="The ledger (JSON Lines)."
)
_AT = click.option("--at", default=None, help="When it happened (ISO 8601 with offset); now.")


@main.group()
def hop() -> None:
    """The pre-transfer hook (send) and its check on arrival (receive)."""


def _transfer_options(fn: F) -> F:
    for option in reversed(
        [
            click.argument("file", type=click.Path(dir_okay=False, path_type=str)),
            _CONTRACT,
            click.option("--hop", "hop_id", required=True, help="The hop id of the contract."),
            _LEDGER,
            click.option("--from", "sender", default=None, help="The sending party."),
            click.option("--to", "receiver", default=None, help="The receiving party."),
            _AT,
            _PASSWORD_FILE,
            click.option(
                "--record-violation",
                is_flag=True,
                help="Record a transfer that already happened although it breaks the contract "
                "(exit 1 all the same, so CI still fails).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _run_hook(
    kind: str,
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    password_file: str | None,
    record_violation: bool,
) -> None:
    import datacontract as api
    from datacontract import hop as hooks

    loaded = api.load_contract(contract_path)
    if not Path(file).is_file():
        _fail(f"{file}: no such file")
    request = hooks.Transfer(
        loaded,
        hop_id,
        Path(file),
        Path(ledger),
        sender,
        receiver,
        parse_time(at),
        record_violation,
        api.Options(password=_password(password_file)),
    )
    recorded = (hooks.send if kind == "send" else hooks.receive)(request)
    event = recorded.event
    if recorded.findings:
        click.echo(
            f"RECORDED AS VIOLATION event {event.seq} ({event.kind} on {event.hop}): "
            "it breaks the contract:",
            err=True,
        )
        for f in recorded.findings:
            click.echo(f"  - {f.rule} ({f.article or 'no article'}): {f.message}", err=True)
        sys.exit(EXIT_VIOLATION)
    where = f"; manifest {recorded.manifest}" if recorded.manifest else ""
    click.echo(
        f"{event.kind.upper()} event {event.seq}: {event.dataset} on {event.hop}, "
        f"{event.sender} -> {event.receiver}, sha256 {event.sha256}{where}"
    )


@hop.command("send")
@_transfer_options
@_guarded
def hop_send(
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    password_file: str | None,
    record_violation: bool,
) -> None:
    """Validate FILE for a hop, write its hash manifest and record it as sent."""
    _run_hook(
        "send",
        file,
        contract_path,
        hop_id,
        ledger,
        sender,
        receiver,
        at,
        password_file,
        record_violation,
    )


@hop.command("receive")
@_transfer_options
@_guarded
def hop_receive(
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    password_file: str | None,
    record_violation: bool,
) -> None:
    """Check FILE against its manifest and the contract, and record it as received."""
    _run_hook(
        "receive",
        file,
        contract_path,
        hop_id,
        ledger,
        sender,
        receiver,
        at,
        password_file,
        record_violation,
    )


@main.command()
@_CONTRACT
@click.option("--party", required=True, help="The party that destroyed the dataset.")
@click.option("--dataset", required=True, help="The dataset destroyed.")
@_LEDGER
@_AT
@_guarded
def destroy(contract_path: str, party: str, dataset: str, ledger: str, at: str | None) -> None:
    """Record that PARTY destroyed every copy of DATASET it holds."""
    import datacontract as api
    from datacontract import hop as hooks

    loaded = api.load_contract(contract_path)
    event = hooks.destroy(loaded, Path(ledger), party, dataset, parse_time(at)).event
    click.echo(f"DESTROYED event {event.seq}: {dataset} at {party}")


@main.command()
@_CONTRACT
@click.option("--party", required=True, help="The party that made the dataset.")
@click.option("--dataset", required=True, help="The dataset made (one the contract says it makes).")
@_LEDGER
@_AT
@_guarded
def made(contract_path: str, party: str, dataset: str, ledger: str, at: str | None) -> None:
    """Record that PARTY made DATASET (e.g. dataset_3 at opgroeien_it, D3 stap 5)."""
    import datacontract as api
    from datacontract import hop as hooks

    loaded = api.load_contract(contract_path)
    event = hooks.made(loaded, Path(ledger), party, dataset, parse_time(at)).event
    click.echo(f"MADE event {event.seq}: {dataset} at {party}")


@main.command()
@click.argument("name")
@_CONTRACT
@_LEDGER
@click.option("--party", default=None, help="The party (default: the milestone's own).")
@_AT
@_guarded
def milestone(
    name: str, contract_path: str, ledger: str, party: str | None, at: str | None
) -> None:
    """Record a milestone the contract declares (e.g. veldwerk_afgelopen)."""
    import datacontract as api
    from datacontract import hop as hooks

    loaded = api.load_contract(contract_path)
    event = hooks.milestone(loaded, Path(ledger), name, party, parse_time(at)).event
    click.echo(f"MILESTONE event {event.seq}: {name}")


@main.command()
@_CONTRACT
@click.option("--ledger", default=None, type=click.Path(dir_okay=False), help="The ledger.")
@_AT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="Proof format.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the proof here.")
@_guarded
def prove(
    contract_path: str, ledger: str | None, at: str | None, fmt: str, output: str | None
) -> None:
    """Prove the contract's flow invariants on a ledger, or on the declared flow alone."""
    import datacontract as api
    from datacontract.ledger import read_ledger
    from datacontract.proof_report import render_proof
    from datacontract.prover import prove as make_proof

    loaded = api.load_contract(contract_path)
    when = parse_time(at)
    state = None
    if ledger is not None:
        if not Path(ledger).is_file():
            _fail(f"{ledger}: no such ledger")
        state = read_ledger(Path(ledger))
    proof = make_proof(loaded, state, at=when, ledger_path=Path(ledger) if ledger else None)
    color = output is None and sys.stdout.isatty()
    _write(render_proof(proof, fmt, loaded.contract, color=color), output)
    sys.exit(EXIT_OK if proof.holds else EXIT_VIOLATION)


if __name__ == "__main__":  # pragma: no cover
    main()
