"""A national number anywhere in a file, not only in its cells and column names: the parts
of a workbook outside the cell grid and a Parquet file's metadata (read/parts.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.sample import sample_rows, write_sample
from datacontract.personal.insz import make_insz

NUMBER = make_insz(dt.date(1978, 11, 2), 145)
LOADED = load_contract(CONTRACT)
DATASET = "dataset_4"


def _clean(path: Path) -> Path:
    ds = LOADED.contract.dataset(DATASET)
    assert ds is not None
    return write_sample(sample_rows(LOADED.contract, ds, 5, 3), ds, path)


def _workbook(tmp_path: Path, change: Callable[[Any], None]) -> Path:
    import openpyxl

    path = _clean(tmp_path / "d4.xlsx")
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def _comment(book: Any) -> None:
    from openpyxl.comments import Comment

    book.active["A2"].comment = Comment(f"zie {NUMBER}", "auteur")


def _validation(book: Any) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(type="list", formula1=f'"{NUMBER},x"', prompt=f"bv. {NUMBER}")
    book.active.add_data_validation(check)
    check.add("Z1:Z5")


def _defined_name(book: Any) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    book.defined_names["persoon"] = DefinedName("persoon", attr_text=f'"{NUMBER}"')


PLACES: dict[str, Callable[[Any], None]] = {
    "a comment": _comment,
    "the title": lambda b: setattr(b.properties, "title", f"lijst {NUMBER}"),
    "the author": lambda b: setattr(b.properties, "creator", NUMBER),
    "the keywords": lambda b: setattr(b.properties, "keywords", f"a, {NUMBER}"),
    "a page header": lambda b: setattr(b.active.oddHeader.center, "text", NUMBER),
    "a page footer": lambda b: setattr(b.active.oddFooter.left, "text", f"p. {NUMBER}"),
    "a data validation": _validation,
    "a defined name": _defined_name,
    "a hyperlink": lambda b: setattr(b.active["A2"], "hyperlink", f"mailto:{NUMBER}@x.example"),
    "an empty sheet's name": lambda b: b.create_sheet(title=NUMBER),
}


@pytest.mark.parametrize("place", PLACES)
def test_a_number_in_a_workbook_outside_its_cells_is_found(tmp_path: Path, place: str) -> None:
    path = _workbook(tmp_path, PLACES[place])
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", DATASET)
    assert run.code == 1, run.everything
    assert "beside the table" in run.everything
    assert NUMBER not in run.everything


def test_a_workbook_with_ordinary_properties_passes(tmp_path: Path) -> None:
    def ordinary(book: Any) -> None:
        book.properties.title = "Dataset 4, levering 2025-07"
        book.properties.creator = "Opgroeien IT"
        book.active.oddHeader.center.text = "Vertrouwelijk"

    path = _workbook(tmp_path, ordinary)
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", DATASET)
    assert run.code == 0, run.everything


@pytest.mark.parametrize("where", ["file", "field"])
def test_a_number_in_parquet_metadata_is_found(tmp_path: Path, where: str) -> None:
    path = _clean(tmp_path / "d4.parquet")
    table = pq.read_table(path)
    if where == "file":
        table = table.replace_schema_metadata({"bron": f"export {NUMBER}"})
    else:
        first = table.schema.field(0).with_metadata({"voorbeeld": NUMBER})
        table = table.cast(pa.schema([first, *list(table.schema)[1:]]))
    pq.write_table(table, path)
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", DATASET)
    assert run.code == 1, run.everything
    assert "metadata" in run.everything and NUMBER not in run.everything
