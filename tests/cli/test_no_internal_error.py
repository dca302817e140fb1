"""No internal error on any user input (issue 28, item 3).

Every command of the click tree (walked, so a new command or option is covered, or the test
asks for it to be classified) is run with each of its inputs made hostile in turn: a missing
file, a directory, a FIFO, an empty file, binary garbage, bad UTF-8, one huge line; a ledger
URL that is malformed (an unclosed `[::1`, a bad port, a bogus `sslmode`, an unknown scheme, a
stray `%`); text arguments that are empty, huge or full of control characters. Each run must end
with exit 1 or 2 and a message, never a traceback, "internal error" or a hang (a FIFO is never
waited on). The other inputs are ordinary ones, so the hostile one is what is tested.

A path whose name (or folder) has bytes that are not UTF-8 is one more hostile input of every
file kind, the output and the output folder (text arguments get such bytes too): exit 2 with
a message that names the argument, never the bytes.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from tests.conftest import CONTRACT, Run, run_cli

from datacontract.cli.main import main

# What each parameter of the command line is, by its name: how to fill it in ordinarily and
# how to make it hostile. A parameter not listed here fails the test: classify it.
KINDS = {
    "contract_path": "contract",
    "files": "data",
    "file": "data",
    "old": "contract",
    "new": "contract",
    "ledger": "ledger",
    "keyring": "keyring",
    "checkpoints": "checkpoint",
    "key_file": "key",
    "signed": "proof",  # prove --check-signature: a signed JSON proof
    # files read beside the main input, left out unless hostile (as a proof is)
    "against": "proof",  # hop send/receive --against: the earlier delivery's file
    "from_state": "proof",  # prove --from-state: a proof's state (JSON)
    "state_file": "output",  # ledger checkpoint --state: the proof's state written
    "password_file": "password",
    "against_password_file": "password",  # hop send/receive: the --against workbook's
    "against_sheet": "text",
    "dataset": "text",
    "hop_id": "text",
    "party": "text",
    "name": "text",
    "sender": "text",
    "receiver": "text",
    "sheet": "text",
    "issuer": "text",
    "violation": "text",
    "at": "time",
    "url": "url",
    "output": "output",
    "out_dir": "folder",
    "fmt": "fixed",
    "require": "fixed",  # a choice, as --format
    "rows": "fixed",
    "seed": "fixed",
    "reference_date": "fixed",
    "transfer": "fixed",
    "record_violation": "fixed",
    "timeout": "fixed",
    "help": "fixed",
    "hashes": "text",
    "events": "fixed",
    "every": "fixed",
    "contract_id": "text",
}
ORDINARY_TEXT = {
    "dataset": "dataset_4",
    "hop_id": "stap6_contact",
    "party": "opgroeien_it",
    "name": "veldwerk_afgelopen",
}
FILE_KINDS = {"contract", "data", "ledger", "keyring", "checkpoint", "key", "password", "proof"}
BAD_URLS = (
    "postgresql://[::1/ledger",
    "postgresql://localhost:99999/ledger",
    "postgresql://localhost:notaport/ledger",
    "postgresql://127.0.0.1:1/ledger?sslmode=bogus",
    "postgresql://user:pa%zzss@127.0.0.1:1/ledger",
    "mysql://127.0.0.1/ledger",
)
FILE_CASES = ("missing", "folder", "fifo", "empty", "garbage", "bad_utf8", "huge_line", "bad_name")
# A name as another system's encoding wrote it (Latin-1 `é`, a stray byte): not UTF-8. Python
# holds such bytes as lone surrogates (surrogateescape), which no library can encode back.
BAD_FOLDER = os.fsdecode(b"map\xe9")
BAD_NAME = os.fsdecode(b"naam\xff")
# What a path of each kind is called in the file made with a bad name, and what it holds.
SUFFIX = {"data": ".csv", "contract": ".yaml", "ledger": ".jsonl", "output": ".txt"}
# What `ledger repair` may answer with exit 0: a file whose one line is torn (no final
# newline) is cut; a well-formed PostgreSQL URL commits whole events and has nothing to cut.
REPAIRABLE = ("huge_line", "garbage", "bad_utf8", "url4")
BAD_TEXT = ("", "x" * 100_000, "\x1b[31m\n::error::forged\r##vso[task.complete]", BAD_NAME)
BAD_TIMES = ("not a time", "2025-13-45T99:99:99", "9999999-01-01T00:00:00+01:00")


def _leaves(
    cmd: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _leaves(sub, (*path, name))
    else:
        yield path, cmd


COMMANDS = dict(_leaves(main))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "dataset_4.csv"
    made = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "20", "--output", data
    )
    assert made.code == 0, made.everything
    return {"data": data, "root": root}


def _badly_named(kind: str, folder: Path, files: dict[str, Path]) -> Path:
    """A path in a folder whose name is not UTF-8, itself so named; an ordinary file of its
    kind (the data, the contract, a password), nothing for the others (a new ledger, an
    output), so that the name is what is hostile."""
    inside = folder / BAD_FOLDER
    inside.mkdir(parents=True, exist_ok=True)
    path = inside / (BAD_NAME + SUFFIX.get(kind, ""))
    if kind in ("data", "contract"):
        path.write_bytes((files["data"] if kind == "data" else CONTRACT).read_bytes())
    elif kind == "password":
        path.write_text("geheim\n")
    return path


def _hostile_file(case: str, folder: Path) -> Path:
    """A fresh hostile file for one run (a hook may append to it, a repair may cut it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case
    if case == "folder":
        path.mkdir()
    elif case == "fifo":
        os.mkfifo(path)
    elif case != "missing":
        path.write_bytes(
            {
                "empty": b"",
                "garbage": bytes(range(256)) * 16,
                "bad_utf8": b"id;naam\n\xff\xfe\xfa\xc3\x28;\x80\x81\n",
                "huge_line": b"a" * 3_000_000,
            }[case]
        )
    return path


def _ordinary(name: str, kind: str, files: dict[str, Path], tmp: Path) -> list[str] | None:
    """An ordinary value for a parameter, or None to leave it out (optional ones)."""
    if kind == "contract":
        return [str(CONTRACT)]
    if kind == "data":
        return [str(files["data"])]
    if kind == "ledger":
        return [str(tmp / "ledger.jsonl")]
    if kind == "text" and name in ORDINARY_TEXT:
        return [ORDINARY_TEXT[name]]
    if kind == "output":
        return [str(tmp / "out.txt")]
    if kind == "folder":
        return [str(tmp / "outdir")]
    return None


def _argv(cmd: click.Command, values: dict[str, list[str]]) -> list[str]:
    args: list[str] = []
    for p in cmd.params:
        if p.name not in values:
            continue
        if isinstance(p, click.Argument):
            args += values[p.name]
        else:
            args += [p.opts[0], values[p.name][0]]
    return args


def _run_bounded(argv: list[str], seconds: int = 60) -> Run:
    def hang(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"no answer in {seconds} s: {argv}")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        return run_cli(*argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _cases(cmd: click.Command) -> Iterator[tuple[str, str, str]]:
    """(parameter, kind, hostile case) for every input of the command."""
    for p in cmd.params:
        kind = KINDS.get(str(p.name))
        assert kind is not None, f"classify the parameter {p.name!r} in KINDS"
        if kind in FILE_KINDS:
            for case in FILE_CASES:
                if kind == "ledger" and case in ("missing", "empty"):
                    continue  # a new or empty ledger is a ledger of no events
                if kind == "password" and case not in ("missing", "folder", "fifo", "bad_name"):
                    continue  # read only when a workbook is encrypted
                yield str(p.name), kind, case
        if kind in ("output", "folder"):
            yield str(p.name), kind, "bad_name"
        if kind == "ledger":
            for i in range(len(BAD_URLS)):
                yield str(p.name), kind, f"url{i}"
        if kind == "text":
            for i in range(len(BAD_TEXT)):
                yield str(p.name), kind, f"text{i}"
        if kind == "time":
            for i in range(len(BAD_TIMES)):
                yield str(p.name), kind, f"time{i}"


def test_every_parameter_is_classified() -> None:
    for cmd in COMMANDS.values():
        for p in cmd.params:
            assert p.name in KINDS, f"classify the parameter {p.name!r} of {cmd.name} in KINDS"


def _run_case(
    command: str, name: str, kind: str, case: str, files: dict[str, Path], run_dir: Path
) -> Run:
    """The command with ordinary inputs and one hostile: parameter `name` made `case`."""
    cmd = COMMANDS[tuple(command.split())]
    run_dir.mkdir()
    values: dict[str, list[str]] = {}
    for p in cmd.params:
        filled = _ordinary(str(p.name), KINDS[str(p.name)], files, run_dir)
        if filled is not None and (p.required or KINDS[str(p.name)] != "output"):
            values[str(p.name)] = filled
    if case == "bad_name":
        values[name] = [str(_badly_named(kind, run_dir / "hostile", files))]
    elif case in FILE_CASES:
        values[name] = [str(_hostile_file(case, run_dir / "hostile"))]
    elif case.startswith("url"):
        values[name] = [BAD_URLS[int(case[3:])]]
    elif case.startswith("text"):
        values[name] = [BAD_TEXT[int(case[4:])]]
    else:
        values[name] = [BAD_TIMES[int(case[4:])]]
    return _run_bounded([*command.split(), *_argv(cmd, values)])


@pytest.mark.parametrize("command", sorted(" ".join(p) for p in COMMANDS))
def test_hostile_input_gets_a_message_never_an_internal_error(
    command: str, files: dict[str, Path], tmp_path: Path
) -> None:
    failures = []
    for i, (name, kind, case) in enumerate(_cases(COMMANDS[tuple(command.split())])):
        run = _run_case(command, name, kind, case, files, tmp_path / f"run{i}")
        said = run.stdout + run.stderr
        if command == "ledger repair" and case in REPAIRABLE and run.code == 0:
            continue  # cutting a torn line, or a database that commits whole events, is its job
        if (
            run.code not in (1, 2)
            or "internal error" in said
            or "Traceback" in said
            or not said.strip()
        ):
            failures.append(f"{name}={case}: exit {run.code}: {said[-300:]!r}")
    assert not failures, "\n".join(failures)


NOT_UTF8 = ("bad_name", f"text{BAD_TEXT.index(BAD_NAME)}")


@pytest.mark.parametrize("command", sorted(" ".join(p) for p in COMMANDS))
def test_a_name_that_is_not_utf8_is_refused_naming_the_argument_not_the_bytes(
    command: str, files: dict[str, Path], tmp_path: Path
) -> None:
    failures = []
    for i, (name, kind, case) in enumerate(_cases(COMMANDS[tuple(command.split())])):
        if case not in NOT_UTF8:
            continue
        run = _run_case(command, name, kind, case, files, tmp_path / f"run{i}")
        said = run.stdout + run.stderr
        if "Missing option" in said:
            continue  # the command needs an input the walk has no ordinary value for (a key)
        shown = any(piece in said for piece in ("naam", "\ufffd", "\\x", "\\udc"))
        if run.code != 2 or "not UTF-8" not in said or shown:
            failures.append(f"{name}={case}: exit {run.code}: {said[-300:]!r}")
    assert not failures, "\n".join(failures)
