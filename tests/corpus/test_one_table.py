"""The file is exactly the table (issue 22, item 2): a workbook carrying a second sheet of
names, birth dates and addresses is refused by `validate --sheet` and by `hop send --sheet`,
which records nothing; a contract that declares the part (`file.parts`) lets it travel, and
its content is searched still. Names, dates and addresses are synthetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
from tests.conftest import CONTRACT, run_cli
from tests.flow.test_hop import PAYERS, files, milestone, receive, refused, send

from datacontract.personal.insz import make_insz

__all__ = ["files"]  # the fixture, shared with the hooks' tests

CANARY = "kanarie-Vb3"
NUMBER = make_insz(dt.date(2013, 6, 9), 31)


def _workbook(source: Path, path: Path, second: list[list[str]] | None) -> Path:
    import openpyxl

    table = pq.read_table(source)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Blad1"
    sheet.append(table.column_names)
    for row in table.to_pylist():
        sheet.append([row[c] for c in table.column_names])
    if second is not None:
        other = book.create_sheet("Blad2")
        for cells in second:
            other.append(cells)
    book.save(path)
    return path


_FAMILY = [
    ["naam", "geboortedatum", "adres"],
    [f"Mila {CANARY}", "2013-06-09", "Kerkstraat 12, 9000 Gent"],
    ["Lars Peeters", "2015-01-23", "Stationslaan 4, 2000 Antwerpen"],
]


def _ready(ledger: Path, files: dict[str, Path]) -> None:
    """The ledger up to the contact hop of dataset_4 (the processor agreement, stap3 and stap4
    for every payer)."""
    ledger.touch()
    agreement = "verwerkersovereenkomst_onderzoekers"
    assert milestone(ledger, agreement, "2025-01-10T09:00:00+01:00").code == 0
    for i, p in enumerate(PAYERS):
        f = files[f"dataset_1_{p}"]
        assert send(ledger, f, "stap3", f"2025-01-15T09:{2 * i:02d}:00+01:00", "--to", p).code == 0
        assert receive(ledger, f, "stap3", f"2025-01-15T09:{2 * i + 1:02d}:00+01:00").code == 0
    for i, p in enumerate(PAYERS):
        f = files[f"dataset_2_{p}"]
        assert send(ledger, f, "stap4", f"2025-02-1{i}T14:00:00+01:00", "--from", p).code == 0
        assert receive(ledger, f, "stap4", f"2025-02-1{i}T15:00:00+01:00").code == 0


def test_a_hop_refuses_a_workbook_carrying_a_second_sheet(
    files: dict[str, Path], tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    _ready(ledger, files)
    before = ledger.read_bytes()
    book = _workbook(files["dataset_4"], tmp_path / "d4.xlsx", _FAMILY)
    at = "2025-03-10T10:00:00+01:00"
    plain = send(ledger, book, "stap6_contact", at)
    assert plain.code == 2 and "--sheet NAME checks one sheet here" in plain.everything
    assert "choose one with --sheet" not in plain.everything
    run = send(ledger, book, "stap6_contact", at, "--sheet", "Blad1")
    refused(run, ledger, before, "dataset_4.file.parts", "worksheet 2")
    assert CANARY not in run.everything and "Blad2" not in run.everything
    # the same table alone travels
    alone = _workbook(files["dataset_4"], tmp_path / "d4-alone.xlsx", None)
    assert send(ledger, alone, "stap6_contact", at).code == 0


def test_validate_with_sheet_says_another_sheet_travels(
    files: dict[str, Path], tmp_path: Path
) -> None:
    book = _workbook(files["dataset_4"], tmp_path / "d4.xlsx", _FAMILY)
    run = run_cli(
        "validate", book, "--contract", CONTRACT, "--dataset", "dataset_4", "--sheet", "Blad1"
    )
    assert run.code == 1 and "another sheet holding data" in run.everything, run.everything
    assert CANARY not in run.everything


def test_a_declared_part_travels_and_is_searched_still(
    files: dict[str, Path], tmp_path: Path
) -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    marker = "  - id: dataset_4\n"
    assert marker in text
    head, tail = text.split(marker, 1)
    article = "D3 stap 5"  # NOT FROM THE PROTOCOL: a contract written for this test
    declared = f"{marker}    file: {{parts: [sheet], article: {article}}}\n"
    contract = tmp_path / "contract.yaml"
    contract.write_text(head + declared + tail, encoding="utf-8")
    book = _workbook(files["dataset_4"], tmp_path / "d4.xlsx", _FAMILY)
    args = ("--contract", contract, "--dataset", "dataset_4", "--sheet", "Blad1")
    run = run_cli("validate", book, *args)
    assert run.code == 0, run.everything
    numbered = _workbook(
        files["dataset_4"], tmp_path / "d4n.xlsx", [*_FAMILY, ["Noor", NUMBER, "x"]]
    )
    run = run_cli("validate", numbered, *args)
    assert run.code == 1 and "no_insz" in run.everything and NUMBER not in run.everything
