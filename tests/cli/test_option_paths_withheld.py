"""Review s21 (6): click's own refusals of a file option or argument (a directory where a file
is asked, no such file where one must exist) never echo a path that looks personal: the option
is named by click's prefix and the file as `the file given as argument N`; --keyring and
--sheet neither (contract/names.py rules 2 and 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.personal.insz import make_insz

NUMBER = make_insz(dt.date(1981, 8, 16), 493)
AT = "2025-12-31T12:00:00+01:00"


def _personal_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "w1" / NUMBER
    folder.mkdir(parents=True)
    return folder


def _no_number(text: str) -> None:
    assert NUMBER not in text and NUMBER[:6] not in text, text
    assert "Traceback" not in text and "internal error" not in text, text


@pytest.mark.parametrize(
    "option",
    ["--checkpoint", "--from-state", "--key", "--output", "--ledger", "--password-file"],
)
def test_a_directory_given_to_a_file_option_is_not_echoed(tmp_path: Path, option: str) -> None:
    folder = _personal_dir(tmp_path)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    argv: list[str | Path] = ["prove", "--contract", CONTRACT, "--at", AT]
    if option != "--ledger":
        argv += ["--ledger", ledger]
    if option == "--password-file":
        argv = ["validate", tmp_path / "x.csv", "--contract", CONTRACT, "--dataset", "dataset_4"]
    run = run_cli(*argv, option, folder)
    assert run.code == 2, run.everything
    assert option in run.stderr and "withheld" in run.stderr, run.stderr
    _no_number(run.everything)


def test_check_signature_and_state_not_echoed(tmp_path: Path) -> None:
    folder = _personal_dir(tmp_path)
    run = run_cli("prove", "--check-signature", folder)
    assert run.code == 2, run.everything
    _no_number(run.everything)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli("ledger", "checkpoint", "--ledger", ledger, "--key", tmp_path / "k.key",
                  "--state", folder)  # fmt: skip
    assert run.code == 2, run.everything
    _no_number(run.everything)


def test_the_files_argument_is_named_by_position(tmp_path: Path) -> None:
    folder = _personal_dir(tmp_path)
    data = tmp_path / "d4.csv"
    data.write_text("x;y\n1;2\n", encoding="utf-8")
    run = run_cli("validate", data, folder, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert run.code == 2, run.everything
    assert "the file given as argument 2" in run.stderr, run.stderr
    _no_number(run.everything)


def test_against_a_directory_is_not_echoed(tmp_path: Path) -> None:
    folder = _personal_dir(tmp_path)
    data = tmp_path / "d4.csv"
    data.write_text("x;y\n1;2\n", encoding="utf-8")
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli("hop", "send", data, "--contract", CONTRACT, "--hop", "stap4",
                  "--ledger", ledger, "--against", folder)  # fmt: skip
    assert run.code == 2, run.everything
    assert "--against" in run.stderr, run.stderr
    _no_number(run.everything)


def test_a_missing_keyring_is_not_echoed(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli("ledger", "verify", "--ledger", ledger, "--keyring", tmp_path / "w1" / NUMBER)
    assert run.code == 2, run.everything
    assert "--keyring" in run.stderr and "no such keyring folder" in run.stderr, run.stderr
    _no_number(run.everything)


def test_an_unknown_sheet_that_looks_personal_is_not_echoed(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Gezinnen"
    book.active.append(["x", "y"])
    path = tmp_path / "d4.xlsx"
    book.save(path)
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--sheet", NUMBER)  # fmt: skip
    assert run.code == 2, run.everything
    assert "unknown worksheet" in run.stderr, run.stderr
    _no_number(run.everything)


def test_output_written_to_a_personal_path_is_not_echoed(tmp_path: Path) -> None:
    """The line saying where --output went names the file only as rule 3 allows."""
    folder = _personal_dir(tmp_path)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    out = folder / "proof.json"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                  "--format", "json", "--output", out)  # fmt: skip
    assert run.code in (0, 1) and out.stat().st_size > 0, run.everything
    assert "written to" in run.stderr, run.stderr
    _no_number(run.everything)


def test_an_unreadable_password_file_is_named_by_its_option(tmp_path: Path) -> None:
    folder = _personal_dir(tmp_path)
    secret = folder / "pw.txt"
    secret.write_bytes(b"\xff\xfe not utf-8\n")
    data = tmp_path / "d4.csv"
    data.write_text("x;y\n1;2\n", encoding="utf-8")
    run = run_cli("validate", data, "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--password-file", secret)  # fmt: skip
    assert run.code == 2, run.everything
    assert "--password-file" in run.stderr, run.stderr
    _no_number(run.everything)


@pytest.mark.parametrize("option", ["--key", "--checkpoint", "--from-state"])
@pytest.mark.parametrize("exists", [False, True])
def test_the_projects_own_refusals_withhold_the_path(
    tmp_path: Path, option: str, exists: bool
) -> None:
    """Not click's refusal but the command's own (no such key, not a checkpoint): the path a
    file option was given is withheld there too, the option named."""
    folder = _personal_dir(tmp_path)
    target = folder / "x"
    if exists:
        target.write_text("garbage\n", encoding="utf-8")
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT, option, target)
    assert run.code == 2, run.everything
    assert f"{option} (its path withheld)" in run.stderr, run.stderr
    _no_number(run.everything)
