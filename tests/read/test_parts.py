"""The allow-list of parts (read/parts.py): every member an Excel or LibreOffice package
ordinarily holds has a kind, anything else is unknown; the contract's `file.parts` names the
same kinds as the registry; delimiters, UTF-16 and JSON constants are sniffed truthfully."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import get_args

import pytest

from datacontract.contract.model import FilePart
from datacontract.errors import InputFileError
from datacontract.personal.insz import make_insz
from datacontract.read.parts import BEYOND, PART_KINDS, UNKNOWN, binary_strings, zip_kind
from datacontract.read.table import open_table

# The members of a workbook saved by Excel 365 with a comment, a pivot table, a chart, an image,
# an embedded file, a table and a data connection (names as Excel writes them).
EXCEL = {
    "[Content_Types].xml": "package",
    "_rels/.rels": "package",
    "xl/_rels/workbook.xml.rels": "package",
    "xl/worksheets/_rels/sheet1.xml.rels": "package",
    "docProps/core.xml": "properties",
    "docProps/app.xml": "properties",
    "docProps/custom.xml": "properties",
    "docProps/thumbnail.jpeg": "thumbnail",
    "xl/workbook.xml": "workbook",
    "xl/namedSheetViews/namedSheetView1.xml": "workbook",
    "xl/featurePropertyBag/featurePropertyBag.xml": "workbook",
    "customXml/itemProps1.xml": "custom_xml",
    "customXml/_rels/item1.xml.rels": "package",
    "xl/drawings/_rels/drawing1.xml.rels": "package",
    "xl/charts/style1.xml": "drawing",
    "xl/charts/colors1.xml": "drawing",
    "xl/ctrlProps/ctrlProp1.xml": "drawing",
    "xl/chartsheets/sheet1.xml": "drawing",
    "xl/activeX/activeX1.bin": "embedding",
    "xl/model/item.data": "embedding",
    "xl/slicers/slicer1.xml": "pivot_cache",
    "xl/queryTables/queryTable1.xml": "external_link",
    "xl/macrosheets/sheet1.xml": "macros",
    "xl/calcChain.xml": "workbook",
    "xl/tables/table1.xml": "workbook",
    "xl/styles.xml": "styles",
    "xl/theme/theme1.xml": "styles",
    "xl/worksheets/sheet1.xml": "grid",
    "xl/sharedStrings.xml": "shared_strings",
    "xl/comments1.xml": "comments",
    "xl/threadedComments/threadedComment1.xml": "comments",
    "xl/drawings/drawing1.xml": "drawing",
    "xl/drawings/vmlDrawing1.vml": "drawing",
    "xl/charts/chart1.xml": "drawing",
    "xl/media/image1.png": "image",
    "xl/embeddings/oleObject1.bin": "embedding",
    "xl/embeddings/Microsoft_Excel_Worksheet.xlsx": "embedding",
    "xl/vbaProject.bin": "macros",
    "xl/pivotCache/pivotCacheDefinition1.xml": "pivot_cache",
    "xl/pivotCache/pivotCacheRecords1.xml": "pivot_cache",
    "xl/pivotTables/pivotTable1.xml": "pivot_cache",
    "xl/externalLinks/externalLink1.xml": "external_link",
    "xl/connections.xml": "external_link",
    "customXml/item1.xml": "custom_xml",
    "xl/printerSettings/printerSettings1.bin": "printer_settings",
    "xl/revisions/revisionLog1.xml": "history",
    "xl/mystery1.bin": UNKNOWN,
    "secret/data.csv": UNKNOWN,
}
LIBREOFFICE = {
    "mimetype": "package",
    "META-INF/manifest.xml": "package",
    "Configurations2/": "package",
    "Configurations2/accelerator/current.xml": "workbook",
    "Configurations2/images/Bitmaps/": "package",
    "manifest.rdf": "package",
    "meta.xml": "properties",
    "settings.xml": "workbook",
    "styles.xml": "styles",
    "content.xml": "grid",
    "Thumbnails/thumbnail.png": "thumbnail",
    "Pictures/100000000000.png": "image",
    "Object 1/content.xml": "embedding",
    "Basic/Standard/Module1.xml": "macros",
    "geheim.csv": UNKNOWN,
}


@pytest.mark.parametrize(("member", "kind"), EXCEL.items())
def test_excel_members_have_their_kind(member: str, kind: str) -> None:
    assert zip_kind("xlsx", member) == kind


@pytest.mark.parametrize(("member", "kind"), LIBREOFFICE.items())
def test_libreoffice_members_have_their_kind(member: str, kind: str) -> None:
    assert zip_kind("ods", member) == kind


def test_an_ods_chart_object_is_a_drawing() -> None:
    media = {"Object 1/": "application/vnd.oasis.opendocument.chart"}
    assert zip_kind("ods", "Object 1/content.xml", media) == "drawing"


def test_the_contract_declares_the_kinds_the_registry_knows() -> None:
    assert set(get_args(FilePart)) == set(BEYOND)
    assert UNKNOWN not in PART_KINDS


def test_binary_strings_finds_ascii_and_utf16() -> None:
    number = make_insz(dt.date(1985, 7, 31), 3)  # synthetic, computed with its check digits
    data = b"\x00\x01abc\x00" + number.encode() + b"\x01\x02" + "Gent".encode("utf-16-le")
    assert binary_strings(data + b"\x00\x00") == (number, "Gent")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(delimiter.join(["a", "b", "c"]) + "\n1" + delimiter + "2" + delimiter + "\n")
    source = open_table(path)
    assert source.columns == ("a", "b", "c")
    assert [b.data.to_pylist() for b in source.batches()] == [[{"a": "1", "b": "2", "c": None}]]


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16-le", "little-endian, without a byte-order mark"),
        ("utf-16-be", "big-endian, without a byte-order mark"),
        ("utf-16", "with a byte-order mark"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".txt", ".json", ".jsonl"])
def test_utf16_is_named(tmp_path: Path, codec: str, named: str, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    body = (
        '[{"a": "1"}]'
        if suffix == ".json"
        else '{"a": "1"}'
        if suffix == ".jsonl"
        else "a,b\n1,2\n"
    )
    path.write_bytes(body.encode(codec))
    with pytest.raises(InputFileError, match="UTF-16") as caught:
        open_table(path)
    assert named in str(caught.value)


def test_a_bom_in_the_middle_is_named(tmp_path: Path) -> None:
    path = tmp_path / "joined.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n1,2\n\xef\xbb\xbfa,b\n3,4\n")
    with pytest.raises(InputFileError, match="line 3 holds a byte-order mark"):
        open_table(path)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_constants_read_as_empty(tmp_path: Path, constant: str, suffix: str) -> None:
    rows = [f'{{"a": "x", "email": {constant}}}', '{"a": "y", "email": "p@q.example"}']
    text = "[" + ",".join(rows) + "]" if suffix == ".json" else "\n".join(rows) + "\n"
    path = tmp_path / f"n{suffix}"
    path.write_text(text)
    values = [r for b in open_table(path).batches() for r in b.data.to_pylist()]
    assert values[0]["email"] is None


def test_a_tab_delimited_excel_text_export_validates(tmp_path: Path) -> None:
    from tests.conftest import CONTRACT, run_cli

    from datacontract.contract.load import load_contract
    from datacontract.demo.sample import sample_rows

    loaded = load_contract(CONTRACT)
    ds = loaded.contract.dataset("dataset_4")
    assert ds is not None
    rows = sample_rows(loaded.contract, ds, 5, 3)
    names = [c.name for c in ds.columns if any(c.name in r for r in rows)]
    lines = ["\t".join(names)] + ["\t".join(str(r.get(n) or "") for n in names) for r in rows]
    path = tmp_path / "dataset_4.txt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert run.code == 0, run.everything
