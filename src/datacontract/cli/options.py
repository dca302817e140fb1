"""The options commands share, each defined once: the contract, the ledger, the event's time,
the keys (--key, --keyring, --checkpoint), the output and format, a workbook's password file
and sheet. A command stacks them as decorators; `--ledger` has one help everywhere."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


class Suggesting(click.Choice):  # type: ignore[type-arg]
    """A choice whose error lists the choices and suggests the nearest one."""

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> object:
        if isinstance(value, str) and value not in self.choices:
            from datacontract import unknown_name

            what = param.opts[0] if param is not None and param.opts else "value"
            self.fail(unknown_name(f"{what}", value, [str(c) for c in self.choices]), param, ctx)
        return super().convert(value, param, ctx)


class SafePath(click.Path):
    """click.Path whose refusals (no such file, a directory, a file where a folder is asked)
    show the path only as contract/names.py rule 3 allows: else `the file given as argument
    N` for an argument, `the path given (withheld)` for an option (the option is named by
    click's own prefix). The value is what click.Path makes of it."""

    def convert(
        self,
        value: str | os.PathLike[str],
        param: click.Parameter | None,
        ctx: click.Context | None,
    ) -> str | bytes | os.PathLike[str]:
        position = _position(param, ctx)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"{_label(str(value), param, position)} {self._reason(value)}", param, ctx)

    def _reason(self, value: str | os.PathLike[str]) -> str:
        path = os.fspath(value)
        if not os.path.exists(path):
            return "does not exist"
        if os.path.isdir(path) and not self.dir_okay:
            return "is a directory, not a file"
        if not os.path.isdir(path) and not self.file_okay:
            return "is a file, not a folder"
        return "cannot be used (no permission)"


def _position(param: click.Parameter | None, ctx: click.Context | None) -> int | None:
    """The position (from 1) among the command's arguments of the value now converted: the
    values of the arguments before it, plus how many of this one's were converted already."""
    if not isinstance(param, click.Argument) or ctx is None:
        return None
    before = 0
    for p in ctx.command.params:
        if p is param:
            break
        if isinstance(p, click.Argument):
            given = ctx.params.get(str(p.name))
            before += len(given) if isinstance(given, tuple | list) else int(given is not None)
    key = f"datacontract.position.{param.name}"
    done = int(ctx.meta.get(key, 0))
    ctx.meta[key] = done + 1
    return before + done + 1


def _label(path: str, param: click.Parameter | None, position: int | None) -> str:
    from datacontract import file_shown

    shown = file_shown(path, position)
    if shown == path:
        return repr(path)
    return shown if position is not None else "the path given (withheld)"


CONTRACT_OPTION = click.option(
    "--contract", "contract_path", required=True, help="The contract YAML."
)
LEDGER_HELP = "The ledger: a JSON Lines file (a path or file://) or a postgresql:// URL."


def ledger_option(*, required: bool = True) -> Callable[[F], F]:
    """--ledger, the same everywhere: the backend follows the name's scheme (ledger/store.py)."""
    return click.option(
        "--ledger",
        required=required,
        default=None,
        metavar="LEDGER",
        type=SafePath(dir_okay=False),
        help=LEDGER_HELP,
    )


LEDGER_OPTION = ledger_option()
AT_OPTION = click.option(
    "--at",
    default=None,
    help="The time of the event, or of the proof for `prove` (ISO 8601 with an offset, e.g. "
    "2025-02-10T14:00:00+01:00); default now.",
)
KEY_OPTION = click.option(
    "--key",
    "key_file",
    default=None,
    type=SafePath(dir_okay=False),
    help="The acting party's private key (PARTY.key, from `keys new`): the event is signed.",
)
KEYRING_OPTION = click.option(
    "--keyring",
    default=None,
    type=SafePath(file_okay=False),
    help="A folder of PARTY.pub: every event must be signed by the party it names.",
)
CHECKPOINT_OPTION = click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=SafePath(dir_okay=False),
    help="A checkpoint (from `ledger checkpoint`) the ledger must extend; repeatable.",
)
PASSWORD_FILE = click.option(
    "--password-file",
    type=SafePath(dir_okay=False, exists=True),
    help="File holding the password of an encrypted XLSX (or set DATACONTRACT_XLSX_PASSWORD); "
    "never on the command line.",
)
SHEET_OPTION = click.option(
    "--sheet",
    default=None,
    help="The worksheet to check as the table, in a workbook where several hold data: its "
    "name, or '#N' for the sheet at position N (from 1; messages name undeclared sheets so). "
    "The others are still searched, and the verdict refuses them unless the contract declares "
    "them: a hop does not send such a workbook.",
)


def output_option(what: str = "the report", *, required: bool = False) -> Callable[[F], F]:
    """--output PATH: write `what` there through the one safe writer (stdout stays empty)."""
    return click.option(
        "--output",
        required=required,
        type=SafePath(dir_okay=False),
        help=f"Write {what} here.",
    )


def format_option(
    choices: Sequence[str], *, default: str | None = None, help: str | None = None
) -> Callable[[F], F]:
    """--format, one of `choices` (an unknown one answered with the nearest)."""
    return click.option(
        "--format",
        "fmt",
        type=Suggesting(list(choices)),
        default=default or choices[0],
        show_default=True,
        help=help or f"Output format: {', '.join(choices)}.",
    )


def stacked(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Several options as one decorator, in the order given (as --help lists them)."""

    def apply(fn: F) -> F:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply
