"""ODS spreadsheets validate like XLSX workbooks (read/ods.py, read/ods_content.py): a clean
file passes; a national number in a cell, a sheet name, meta.xml, an annotation, a page
header, a named range, a validation, a link or a second sheet is found (and never shown);
repeat bombs, zip bombs, damaged and encrypted packages are refused with exit 2. Every file
is built here, its numbers synthetic (personal/insz.make_insz)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.sample import sample_rows, write_sample
from datacontract.personal.insz import make_insz
from datacontract.read.ods import MIMETYPE, SHEET_ROWS
from datacontract.read.table import open_table

NUMBER = make_insz(dt.date(1981, 4, 9), 233)
LOADED = load_contract(CONTRACT)
DATASET = "dataset_4"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
)


def _sample(tmp_path: Path, name: str = "d4.ods") -> Path:
    ds = LOADED.contract.dataset(DATASET)
    assert ds is not None
    return write_sample(sample_rows(LOADED.contract, ds, 5, 3), ds, tmp_path / name)


def _rewrite(path: Path, change: dict[str, bytes | None]) -> Path:
    """The package with members replaced, added (bytes) or removed (None)."""
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    for name, data in change.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != "mimetype":
                target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def _content(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("content.xml").decode("utf-8")


def _edit_content(path: Path, old: str, new: str, count: int = 1) -> Path:
    text = _content(path)
    assert old in text
    return _rewrite(path, {"content.xml": text.replace(old, new, count).encode("utf-8")})


def _in_first_data_row(path: Path, old: str, new: str) -> Path:
    head, _, rest = _content(path).partition("</table:table-row>")
    text = f"{head}</table:table-row>{rest.replace(old, new, 1)}"
    return _rewrite(path, {"content.xml": text.encode("utf-8")})


def _validate(path: Path, *args: str) -> tuple[int, str]:
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", DATASET, *args)
    assert "Traceback" not in run.everything and "internal error" not in run.everything
    return run.code, run.everything


def test_a_sample_ods_validates_and_reads_like_the_xlsx_one(tmp_path: Path) -> None:
    ods, xlsx = _sample(tmp_path), _sample(tmp_path, "d4.xlsx")
    assert _validate(ods)[0] == 0
    a, b = open_table(ods), open_table(xlsx)
    assert a.format == "ods" and a.columns == b.columns
    rows_a = [r for batch in a.batches() for r in batch.data.to_pylist()]
    rows_b = [r for batch in b.batches() for r in batch.data.to_pylist()]
    assert rows_a == rows_b


def _cell(value_type: str, attributes: str, text: str = "") -> str:
    body = f"<text:p>{text}</text:p>" if text else ""
    return (
        f'<table:table-cell office:value-type="{value_type}" {attributes}>{body}</table:table-cell>'
    )


def test_typed_cells_read_as_xlsx_cells_are(tmp_path: Path) -> None:
    cells = [
        _cell("float", 'office:value="85"', "85,00"),
        _cell("percentage", 'office:value="0.25"', "25%"),
        _cell("currency", 'office:value="12.5" office:currency="EUR"', "€ 12,50"),
        _cell("date", 'office:date-value="2024-02-29"', "29/02/24"),
        _cell("date", 'office:date-value="2024-02-29T10:30:00"', "x"),
        _cell("time", 'office:time-value="PT10H30M05S"', "x"),
        _cell("boolean", 'office:boolean-value="true"', "WAAR"),
        _cell("string", "", "a<text:s text:c='2'/>b<text:tab/>c</text:p><text:p>d"),
    ]
    header = "".join(
        f"<table:table-cell><text:p>k{i}</text:p></table:table-cell>" for i in range(8)
    )
    path = tmp_path / "typed.ods"
    _package(
        path,
        f"<table:table-row>{header}</table:table-row><table:table-row>{''.join(cells)}</table:table-row>",
    )
    source = open_table(path)
    row = next(source.batches()).data.to_pylist()[0]
    assert list(row.values()) == [
        "85", "0.25", "12.5", "2024-02-29", "2024-02-29T10:30:00", "10:30:05", "true", "a  b\tc\nd"
    ]  # fmt: skip


def _package(path: Path, rows: str, *, name: str = "Blad1", extra: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="{escape(name)}">{rows}</table:table>{extra}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    path.write_bytes(out.getvalue())
    return path


def _meta(text: str) -> bytes:
    return (
        f'<?xml version="1.0"?><office:document-meta {NS}><office:meta>'
        f"<dc:title>{text}</dc:title></office:meta></office:document-meta>"
    ).encode()


def _styles(text: str) -> bytes:
    return (
        f'<?xml version="1.0"?><office:document-styles {NS}><office:master-styles>'
        '<style:master-page style:name="Default"><style:header><text:p>'
        f"{text}</text:p></style:header></style:master-page></office:master-styles>"
        "</office:document-styles>"
    ).encode()


PLACES = {
    "a cell": lambda p: _in_first_data_row(p, "<text:p>", f"<text:p>{NUMBER}"),
    "the sheet name": lambda p: _edit_content(p, 'table:name="Blad1"', f'table:name="{NUMBER}"'),
    "meta.xml": lambda p: _rewrite(p, {"meta.xml": _meta(f"lijst {NUMBER}")}),
    "a page header": lambda p: _rewrite(p, {"styles.xml": _styles(NUMBER)}),
    "an annotation": lambda p: _edit_content(
        p,
        "</text:p></table:table-cell>",
        f"</text:p><office:annotation><text:p>zie {NUMBER}</text:p></office:annotation>"
        "</table:table-cell>",
    ),
    "a named range": lambda p: _edit_content(
        p,
        "</office:spreadsheet>",
        f'<table:named-expressions><table:named-range table:name="n{NUMBER}" '
        'table:cell-range-address="$Blad1.$A$1"/></table:named-expressions></office:spreadsheet>',
    ),
    "a validation": lambda p: _edit_content(
        p,
        "<office:spreadsheet>",
        "<office:spreadsheet><table:content-validations><table:content-validation "
        f'table:name="v1" table:condition="of:cell-content-is-in-list(&quot;{NUMBER}&quot;)">'
        "<table:help-message><text:p>kies</text:p></table:help-message>"
        "</table:content-validation></table:content-validations>",
    ),
    "a link": lambda p: _edit_content(
        p,
        "</text:p></table:table-cell>",
        f'<text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="mailto:{NUMBER}@x.example">m</text:a></text:p></table:table-cell>',
    ),
    "a formula": lambda p: _edit_content(
        p, "<table:table-cell ", f'<table:table-cell table:formula="of:=&quot;{NUMBER}&quot;" '
    ),
}


@pytest.mark.parametrize("place", PLACES)
def test_a_number_anywhere_in_an_ods_is_found_and_never_shown(tmp_path: Path, place: str) -> None:
    path = PLACES[place](_sample(tmp_path))
    code, out = _validate(path)
    assert code == 1 and "no_insz" in out, out
    assert place == "a cell" or "other text" in out, out
    assert NUMBER not in out and NUMBER[:6] not in out.replace("2024", "")


def test_a_clean_ods_with_ordinary_properties_and_header_passes(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    _rewrite(
        path,
        {"meta.xml": _meta("Dataset 4, levering 2025-07"), "styles.xml": _styles("Vertrouwelijk")},
    )
    assert _validate(path)[0] == 0


def test_a_second_sheet_with_data_is_refused_and_scanned_when_one_is_chosen(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    second = (
        '<table:table table:name="Koppeling"><table:table-row><table:table-cell>'
        f"<text:p>{NUMBER}</text:p></table:table-cell></table:table-row></table:table>"
    )
    _edit_content(path, "</office:spreadsheet>", second + "</office:spreadsheet>")
    code, out = _validate(path)
    assert code == 2 and "2 sheets hold data" in out and "--sheet" in out, out
    code, out = _validate(path, "--sheet", "Blad1")
    # a sheet's name is not the contract's: named by position (issue 22.3)
    assert code == 1 and "sheet 2 (not in the contract)" in out, out
    assert "Koppeling" not in out and NUMBER not in out, out
    code, out = _validate(path, "--sheet", "Blad")
    assert code == 2 and "did you mean 'Blad1'" in out, out


@pytest.mark.parametrize(
    "bomb",
    [
        "rows of data",  # a data row repeated past the sheet's limit
        "empty rows then data",  # a gap of empty rows past the limit, then a value
        "columns",  # a value repeated across more columns than the limit
        "spaces",  # text:s repeating a space past the limit of a cell, many times over
    ],
)
def test_a_repeat_bomb_is_refused_without_expanding(tmp_path: Path, bomb: str) -> None:
    path = _sample(tmp_path)
    huge = str(SHEET_ROWS * 1000)
    if bomb == "rows of data":
        _edit_content(path, "</table:table>", f'<table:table-row table:number-rows-repeated="{huge}">'
                      "<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>")  # fmt: skip
    elif bomb == "empty rows then data":
        _edit_content(path, "</table:table>", f'<table:table-row table:number-rows-repeated="{huge}">'
                      "<table:table-cell/></table:table-row><table:table-row><table:table-cell>"
                      "<text:p>x</text:p></table:table-cell></table:table-row></table:table>")  # fmt: skip
    elif bomb == "spaces":
        spaces = '<text:s text:c="900000"/>' * 2000
        _in_first_data_row(path, "<text:p>", f"<text:p>{spaces}")
    else:
        _edit_content(path, "</table:table-row>", '<table:table-cell table:number-columns-repeated'
                      f'="{huge}"><text:p>x</text:p></table:table-cell></table:table-row>')  # fmt: skip
    code, out = _validate(path)
    assert code == 2 and "limit" in out, out


def test_trailing_empty_repeats_cost_nothing(tmp_path: Path) -> None:
    # What LibreOffice writes: empty cells to the last column, empty rows to the last row.
    path = _sample(tmp_path)
    _edit_content(path, "</table:table-row>", '<table:table-cell table:number-columns-repeated='
                  '"16000"/></table:table-row>', 6)  # fmt: skip
    _edit_content(path, "</table:table>", '<table:table-row table:number-rows-repeated="1048000">'
                  '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
                  "</table:table>")  # fmt: skip
    assert _validate(path)[0] == 0


def test_damaged_encrypted_and_bombed_packages_are_refused(tmp_path: Path) -> None:
    damaged = _sample(tmp_path, "damaged.ods")
    damaged.write_bytes(damaged.read_bytes()[:200])
    code, out = _validate(damaged)
    assert code == 2 and "damaged" in out, out

    encrypted = _sample(tmp_path, "encrypted.ods")
    manifest = (
        f'<?xml version="1.0"?><manifest:manifest {NS}><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        "</manifest:file-entry></manifest:manifest>"
    )
    _rewrite(encrypted, {"META-INF/manifest.xml": manifest.encode()})
    code, out = _validate(encrypted)
    assert code == 2 and "encrypted" in out, out

    bomb = _sample(tmp_path, "bomb.ods")
    _rewrite(bomb, {"Thumbnails/x.xml": b"<a>" + b" " * (64 << 20) + b"</a>"})
    code, out = _validate(bomb)
    assert code == 2 and "times" in out, out

    no_content = _rewrite(_sample(tmp_path, "empty.ods"), {"content.xml": None})
    code, out = _validate(no_content)
    assert code == 2 and "content.xml" in out, out

    broken = _rewrite(_sample(tmp_path, "broken.ods"), {"content.xml": b"<office:document-content"})
    code, out = _validate(broken)
    assert code == 2 and "not well formed" in out, out


def test_sheet_applies_to_ods_not_to_csv(tmp_path: Path) -> None:
    ods = _sample(tmp_path)
    assert _validate(ods, "--sheet", "Blad1")[0] == 0
    csv = _sample(tmp_path, "d4.csv")
    code, out = _validate(csv, "--sheet", "Blad1")
    assert code == 2 and ".ods" in out and ".xlsx" in out, out
