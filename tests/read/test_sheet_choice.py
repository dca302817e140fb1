"""`--sheet` chooses a sheet by its name or by its position `#N` (read/sheets.py), in every
format whose registry entry has sheets (XLSX and ODS): undeclared sheets are named by
position in messages, so a position must be something `--sheet` accepts; a sheet whose name
is made of digits stays reachable by that name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.errors import InputFileError
from datacontract.read.formats import FORMATS
from datacontract.read.table import open_table

# (name, header): the sheet named "2" is third, so position 2 and the name "2" differ.
SHEETS = [("Blad1", "eerste"), ("Overzicht", "tweede"), ("2", "derde"), ("#1", "vierde")]
WITH_SHEETS = sorted(name for name, entry in FORMATS.items() if entry.sheets)


def _write(fmt: str, folder: Path) -> Path:
    rows: list[tuple[str, list[list[Any]]]] = [(n, [[h], ["x"]]) for n, h in SHEETS]
    if fmt == "ods":
        from datacontract.read.ods import write_sheets

        path = folder / "boek.ods"
        with path.open("wb") as out:
            write_sheets(out, rows)
        return path
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, cells in rows:
        sheet = book.create_sheet(name)
        for row in cells:
            sheet.append(row)
    path = folder / "boek.xlsx"
    book.save(path)
    return path


def _header(path: Path, sheet: str) -> str:
    return open_table(path, sheet=sheet).columns[0]


def test_every_format_with_sheets_is_covered() -> None:
    assert WITH_SHEETS == ["ods", "xlsx"], "a new format with sheets: add it to _write"


@pytest.mark.parametrize("fmt", WITH_SHEETS)
def test_a_position_chooses_the_sheet_counted_from_one(fmt: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path)
    # (#1 is also the fourth sheet's name: refused as ambiguous, below)
    assert [_header(path, f"#{i}") for i in (2, 3, 4)] == [h for _, h in SHEETS[1:]]


@pytest.mark.parametrize("fmt", WITH_SHEETS)
def test_names_still_choose_a_digit_name_by_name(fmt: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path)
    assert _header(path, "Overzicht") == "tweede"
    assert _header(path, "2") == "derde"  # the sheet named 2, not the second sheet
    assert _header(path, "#4") == "vierde"  # the sheet named "#1", by its position


@pytest.mark.parametrize("fmt", WITH_SHEETS)
def test_a_position_that_is_also_another_sheets_name_is_refused(fmt: str, tmp_path: Path) -> None:
    """`#1` is position 1 and the name of the fourth sheet: refused as ambiguous, never chosen
    silently, and the refusal gives the position of the sheet of that name."""
    path = _write(fmt, tmp_path)
    with pytest.raises(InputFileError, match=r"ambiguous.*--sheet '#4'"):
        open_table(path, sheet="#1")


@pytest.mark.parametrize("fmt", WITH_SHEETS)
@pytest.mark.parametrize("wanted", ["#0", "#5", "#999999999", "#" + "9" * 20, "#0005"])
def test_a_position_past_the_sheets_is_refused(fmt: str, wanted: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path)
    with pytest.raises(InputFileError, match=r"no (work)?sheet at position \d+.* has 4"):
        open_table(path, sheet=wanted)


@pytest.mark.parametrize("fmt", WITH_SHEETS)
def test_an_unknown_name_says_how_to_choose_by_position(fmt: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path)
    with pytest.raises(InputFileError, match=r"--sheet '#N'") as raised:
        open_table(path, sheet="Blad")
    assert "did you mean 'Blad1'" in str(raised.value)
    assert "Overzicht" not in str(raised.value)  # an undeclared name is shown by position


@pytest.mark.parametrize("fmt", WITH_SHEETS)
def test_the_command_line_takes_the_position_the_refusal_names(fmt: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path)
    args = ("validate", path, "--contract", CONTRACT, "--dataset", "dataset_4")
    refused = run_cli(*args)
    assert refused.code == 2 and "--sheet '#N'" in refused.everything, refused.everything
    chosen = run_cli(*args, "--sheet", "#2")
    # the second sheet is read (its header is not dataset_4's), not refused as unknown
    assert chosen.code in (1, 2) and "unknown" not in chosen.everything, chosen.everything
    assert "position" not in chosen.everything, chosen.everything
