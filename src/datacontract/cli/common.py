"""What every command of the click shell shares: error handling, output, progress (the
shared options are in options.py)."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

from datacontract import EXIT_USAGE, DataContractError, UsageError

F = TypeVar("F", bound=Callable[..., object])


def say(message: str, *, err: bool = False) -> None:
    """Print a line made of strings from files, contracts or the ledger: inert, always."""
    from datacontract import inert

    click.echo(inert(message, lines=True), err=err)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    say(f"datacontract: {message}", err=True)
    sys.exit(code)


WRITTEN = ("output", "state_file")
"""The parameters (click's names) of every option that writes a file: --output, --state."""

# The files a JSON Lines ledger keeps beside itself (ledger/jsonl_file.py, ledger/append.py).
_BESIDE_LEDGER = (".contract", ".lock", ".repairs.jsonl")


def _refuse_overwriting_inputs(params: dict[str, object]) -> None:
    """A written option (WRITTEN: --output, --state) naming a file the command also reads
    (the ledger or a file it keeps beside itself, the data file, the contract, a key, a key
    in the keyring folder) or another written option's file would replace the evidence with
    the report: refused (exit 2) before anything is read or written, whichever command it
    is, naming both options and no path."""
    for written in WRITTEN:
        target = params.get(written)
        if isinstance(target, str):
            _refuse_over(written, target, params)


def _refuse_over(written: str, target: str, params: dict[str, object]) -> None:
    for name, value in params.items():
        values = value if isinstance(value, tuple | list) else (value,)
        for candidate in values:
            if name == written or not isinstance(candidate, str):
                continue
            if (
                _same(candidate, target, writes=name in WRITTEN)
                or (name == "ledger" and any(_same(candidate + s, target) for s in _BESIDE_LEDGER))
                or (name == "keyring" and _inside(target, candidate))
            ):
                what = "also written" if name in WRITTEN else "also read"
                raise UsageError(
                    f"{_option(written)} names a file {what} by this command "
                    f"({_option(name)}): refusing to write over it; choose another file"
                )


def _same(candidate: str, target: str, *, writes: bool = False) -> bool:
    """Whether two paths name one file: the same file on disk, or (for two written options,
    neither yet made) the same path once resolved."""
    try:
        if os.path.exists(target) and os.path.isfile(candidate):
            return os.path.samefile(candidate, target)
        return writes and os.path.realpath(candidate) == os.path.realpath(target)
    except (OSError, ValueError):
        return False


def _inside(target: str, folder: str) -> bool:
    try:
        return os.path.isdir(folder) and os.path.samefile(
            os.path.dirname(os.path.abspath(target)), folder
        )
    except (OSError, ValueError):
        return False


def _option(name: str) -> str:
    """A parameter as the user typed it: its longest option (--state for state_file)."""
    context = click.get_current_context(silent=True)
    for param in context.command.params if context is not None else []:
        if param.name == name and param.opts:
            return max(param.opts, key=len)
    return "--" + name.removesuffix("_path").replace("_", "-")


def _refuse_text_not_utf8(params: dict[str, object]) -> None:
    """A path or text argument holding bytes that are not UTF-8 (a file name from another
    system's encoding, a folder copied from an old share) cannot be opened by every library,
    written into a report or the ledger, or shown: refused (exit 2) before anything is read,
    naming the argument by its option or position, never the bytes (contract/names.py rule 3)."""
    context = click.get_current_context(silent=True)
    command = context.command.params if context is not None else []
    given = {str(p.name): p for p in command}
    # a position counts every argument before it (changelog OLD NEW: NEW is argument 2)
    first: dict[str, int] = {}
    count = 0
    for p in command:
        if isinstance(p, click.Argument):
            first[str(p.name)] = count
            value = params.get(str(p.name))
            count += len(value) if isinstance(value, tuple | list) else 1
    for name, value in params.items():
        values = value if isinstance(value, tuple | list) else (value,)
        for position, candidate in enumerate(values, start=1 + first.get(name, 0)):
            if not isinstance(candidate, str) or _utf8(candidate):
                continue
            param = given.get(name)
            if isinstance(param, click.Argument):
                what = "the file" if isinstance(param.type, click.Path) else "the text"
                where = f"{what} given as argument {position}"
            elif param is not None:
                where = f"the value of {param.opts[-1]}"
            else:
                where = f"the value of {name}"
            raise UsageError(
                f"{where} has bytes that are not UTF-8 text (a name in another encoding): "
                "give it in UTF-8 (rename such a file or folder)"
            )


def _paths_withheld(text: str, params: dict[str, object]) -> str:
    """A message with every path the user gave to a file option or argument that rule 3 of
    contract/names.py withholds (a folder named by a national number) replaced by the option
    (`--key (its path withheld)`) or `the file given as argument N`."""
    from datacontract import file_shown

    context = click.get_current_context(silent=True)
    position = 0
    for param in context.command.params if context is not None else []:
        value = params.get(str(param.name))
        values = value if isinstance(value, tuple | list) else (value,)
        for candidate in values:
            argument = isinstance(param, click.Argument)
            position += 1 if argument and candidate is not None else 0
            if not isinstance(param.type, click.Path) or not isinstance(candidate, str):
                continue
            if not candidate or file_shown(candidate) == candidate:
                continue
            label = file_shown(candidate, position) if argument else param.opts[-1]
            text = text.replace(candidate, label if argument else f"{label} (its path withheld)")
    return text


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: a byte that is not UTF-8 (surrogateescape)
        return False
    return True


def guarded(fn: F) -> F:
    """Turn our errors into messages and exit codes; hide tracebacks of everything else."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            _refuse_text_not_utf8(kwargs)
            _refuse_overwriting_inputs(kwargs)
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
            return result
        except DataContractError as exc:
            fail(_paths_withheld(str(exc), kwargs), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except RecursionError:
            # Only input nested past every limit can get here (limits.NESTING is far below).
            fail("the input is nested too deeply to be read")
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS or os.environ.get("DATACONTRACT_DEBUG"):
                raise
            # The machine refused a write (a full disk, a file too large, a closed pipe or
            # terminal): no report is not a pass. Whatever stdout still buffers is dropped.
            _silence_stdout()
            fail(f"the report could not be written: {exc.strerror or 'write error'}")
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


# What a refused write raises (errno): no space or quota left, a file over RLIMIT_FSIZE, a
# closed pipe or connection, an I/O error, a read-only file system.
_WRITE_ERRORS = frozenset(
    {
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.EPIPE,
        errno.ECONNRESET,
        errno.EIO,
        errno.EROFS,
    }
)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def write_output(text: str, output: str | None, what: str = "the report") -> None:
    """The report on stdout, or written to `output` through the one safe writer (output.py),
    saying so on stderr (stdout stays empty: a pipe gets nothing it did not ask for)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from datacontract import file_shown
    from datacontract import write_output as write_file

    shown = file_shown(output)  # rule 3 of contract/names.py: a path may hold a number
    try:
        write_file(output, text)
    except OSError as exc:
        fail(f"{shown}: cannot write {what}: {exc.strerror or type(exc).__name__}")
    say(f"{what} written to {shown}", err=True)


def append_output(path: str, text: str) -> None:
    """Append to a file a CI runner collects (GitHub's job summary); a failure is a message."""
    from datacontract import append_output

    try:
        append_output(path, text)
    except OSError as exc:
        fail(f"{path}: cannot append the summary: {exc.strerror or type(exc).__name__}")


def tool_version() -> str:
    """The installed version of this tool (for SARIF's driver and the proofs)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("groeipakket-datacontract")
    except PackageNotFoundError:
        return "unknown"


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
        from datacontract import inert_markup

        task = bar.add_task(inert_markup(label), total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def silence_library_warnings() -> None:
    """Library warnings can quote a cell (openpyxl names the serial value of a date cell it
    cannot convert): none is shown. Errors are still messages of our own."""
    import warnings

    warnings.simplefilter("ignore")
