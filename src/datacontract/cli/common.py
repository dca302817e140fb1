"""What every command of the click shell shares: error handling, output, progress, options."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

from datacontract import limits
from datacontract.errors import EXIT_USAGE, DataContractError, UsageError
from datacontract.output import append_text, write_file
from datacontract.report.inert import plain

F = TypeVar("F", bound=Callable[..., object])


def say(message: str, *, err: bool = False) -> None:
    """Print a line made of strings from files, contracts or the ledger: inert, always."""
    click.echo(plain(message, lines=True), err=err)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    say(f"datacontract: {message}", err=True)
    sys.exit(code)


def _refuse_overwriting_inputs(params: dict[str, object]) -> None:
    """--output naming a file the command also reads (the ledger, the data file, the
    contract) would replace the evidence with the report: refused (exit 2) before anything
    is read or written, whichever command it is."""
    output = params.get("output")
    if not isinstance(output, str) or not os.path.exists(output):
        return
    for name, value in params.items():
        values = value if isinstance(value, tuple | list) else (value,)
        for candidate in values:
            if name == "output" or not isinstance(candidate, str):
                continue
            try:
                same = os.path.isfile(candidate) and os.path.samefile(candidate, output)
            except OSError:
                continue
            if same:
                option = "--" + name.removesuffix("_path").replace("_", "-")
                raise UsageError(
                    f"--output {output} is also read by this command ({option}): "
                    "refusing to write over it; choose another file"
                )


def guarded(fn: F) -> F:
    """Turn our errors into messages and exit codes; hide tracebacks of everything else."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            _refuse_overwriting_inputs(kwargs)
            return fn(*args, **kwargs)
        except DataContractError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except RecursionError:
            # Only input nested past every limit can get here (limits.NESTING is far below).
            fail("the input is nested too deeply to be read")
        except MemoryError:
            fail("the input needs more memory than this machine allows (see datacontract.limits)")
        except Exception as exc:
            if os.environ.get("DATACONTRACT_DEBUG"):
                raise
            # The text of an unexpected exception may quote a cell: show only its type.
            fail(
                f"internal error ({type(exc).__name__}); rerun with DATACONTRACT_DEBUG=1 "
                "for a traceback and report it"
            )
        return None

    return wrapper  # type: ignore[return-value]


def write_output(text: str, output: str | None, what: str = "the report") -> None:
    """The report on stdout, or written to `output` through the one safe writer (output.py),
    saying so on stderr (stdout stays empty: a pipe gets nothing it did not ask for)."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_file(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write {what}: {exc.strerror or type(exc).__name__}")
    say(f"{what} written to {output}", err=True)


def append_output(path: str, text: str) -> None:
    """Append to a file a CI runner collects (GitHub's job summary); a failure is a message."""
    try:
        append_text(path, text)
    except OSError as exc:
        fail(f"{path}: cannot append the summary: {exc.strerror or type(exc).__name__}")


def unusable(file: str, exc: DataContractError, fmt: str) -> None:
    """One file of several could not be checked: say so, and annotate it in CI formats."""
    say(f"datacontract: {exc}", err=True)
    if fmt in ("github", "azure"):
        from datacontract.report.annotations import azure_command, github_command

        title = "unusable input"
        click.echo(
            azure_command("error", str(exc), sourcepath=file, code=title)
            if fmt == "azure"
            else github_command("error", str(exc), file=file, title=title)
        )


def tool_version() -> str:
    """The installed version of this tool (for SARIF's driver and the proofs)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("groeipakket-datacontract")
    except PackageNotFoundError:
        return "unknown"


class Suggesting(click.Choice):  # type: ignore[type-arg]
    """A choice whose error lists the choices and suggests the nearest one."""

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> object:
        if isinstance(value, str) and value not in self.choices:
            from datacontract.contract.references import unknown

            what = param.opts[0] if param is not None and param.opts else "value"
            self.fail(unknown(f"{what}", value, [str(c) for c in self.choices]), param, ctx)
        return super().convert(value, param, ctx)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int | None], None] | None]:
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


PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True),
    help="File holding the password of an encrypted XLSX (or set DATACONTRACT_XLSX_PASSWORD); "
    "never on the command line.",
)


SHEET_OPTION = click.option(
    "--sheet",
    default=None,
    help="The worksheet holding the table, in a workbook where several hold data (the others "
    "are still searched for the dataset's forbidden content).",
)


def silence_library_warnings() -> None:
    """Library warnings can quote a cell (openpyxl names the serial value of a date cell it
    cannot convert): none is shown. Errors are still messages of our own."""
    import warnings

    warnings.simplefilter("ignore")


def password_from(password_file: str | None) -> str | None:
    """Passwords come from a file or the environment, never from the command line."""
    if password_file is not None:
        try:
            raw = limits.read_regular(password_file, limits.PASSWORD_BYTES, "a password file")
            return raw.decode("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(f"{password_file}: cannot read the password: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{password_file}: the password file is not UTF-8 text") from None
    return os.environ.get("DATACONTRACT_XLSX_PASSWORD")


CONTRACT_OPTION = click.option(
    "--contract", "contract_path", required=True, help="The contract YAML."
)
LEDGER_OPTION = click.option(
    "--ledger", required=True, type=click.Path(dir_okay=False), help="The ledger (JSON Lines)."
)
AT_OPTION = click.option(
    "--at",
    default=None,
    help="The time of the event, or of the proof for `prove` (ISO 8601 with an offset, e.g. "
    "2025-02-10T14:00:00+01:00); default now.",
)
