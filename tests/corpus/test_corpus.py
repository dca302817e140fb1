"""A test per family, built in code (issue 22, item 6): for every registered format, a
synthetic national number and a canary string hidden in every kind of part the format carries;
each file is refused (exit 1), and no report format (text, JSON, JUnit, SARIF, GitHub
annotations and job summary, Azure) holds the number or the canary.

The national number comes from make_insz (a date and serial chosen here); the canary is a
string no detector finds, so that it shows whether anything of the part is echoed at all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.magda_documents import answer_xml
from datacontract.demo.sample import sample_rows, write_sample
from datacontract.personal.insz import make_insz
from datacontract.read.formats import FORMATS
from datacontract.read.parts import UNKNOWN

NUMBER = make_insz(dt.date(1981, 4, 17), 263)
CANARY = "kanarie-Zq7wX"
SECRET = f"{NUMBER} {CANARY}"
LOADED = load_contract(CONTRACT)
DATASET = "dataset_4"
MAGDA = Path(__file__).parents[2] / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
MAGDA_DATASET = "historiekinschrijving"
REPORTS = ("text", "json", "junit", "github", "azure", "sarif")

Build = Callable[[Path], Path]


def _clean(tmp_path: Path, suffix: str) -> Path:
    ds = LOADED.contract.dataset(DATASET)
    assert ds is not None
    return write_sample(sample_rows(LOADED.contract, ds, 5, 3), ds, tmp_path / f"d4{suffix}")


def _zip_edit(
    path: Path, add: dict[str, bytes], change: dict[str, Callable[[bytes], bytes]] | None = None
) -> Path:
    """Rewrite a zip package with members added (or replaced) or changed (mimetype stays
    first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = add.get(info.filename, old.read(info))
            if change and info.filename in change:
                data = change[info.filename](data)
            new.writestr(info, data)
        for name, data in add.items():
            if name not in old.namelist():
                new.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


def _sub(old: str, new: str) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        assert old.encode() in data, old
        return data.replace(old.encode(), new.encode(), 1)

    return apply


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + b"\x01Ole10Native\x00"


# -- XLSX ---------------------------------------------------------------------------------------


def _xlsx(change: Callable[[object], None]) -> Build:
    def build(tmp_path: Path) -> Path:
        import openpyxl

        path = _clean(tmp_path, ".xlsx")
        book = openpyxl.load_workbook(path)
        change(book)
        book.save(path)
        return path

    return build


def _xlsx_zip(add: dict[str, bytes], change: dict[str, Callable[[bytes], bytes]] | None = None):  # type: ignore[no-untyped-def]
    def build(tmp_path: Path) -> Path:
        return _zip_edit(_clean(tmp_path, ".xlsx"), add, change)

    return build


def _second_sheet(book: object) -> None:
    sheet = book.create_sheet("Blad2")  # type: ignore[attr-defined]
    sheet.append(["naam", "geboortedatum", "adres"])
    sheet.append([f"Jan {CANARY}", "2014-03-02", f"Straat 1 {CANARY}"])


def _comment(book: object) -> None:
    from openpyxl.comments import Comment

    book.active["A2"].comment = Comment(SECRET, "auteur")  # type: ignore[attr-defined]


def _formula(book: object) -> None:
    # in the optional e-mail column: the cell reads as empty (no cached value), the text is
    # only in the formula
    book.active["D2"] = f'=IF(FALSE,"{SECRET}",0)'  # type: ignore[attr-defined]


_PIVOT = (
    '<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'count="1"><r><s v="{SECRET}"/></r></pivotCacheRecords>'
).encode()
_EXTERNAL = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<externalBook><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>{SECRET}'
    "</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
).encode()
_SST = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    f'uniqueCount="1"><si><t>{SECRET}</t></si></sst>'
).encode()
_CSV = f"kind,insz\n{CANARY},{NUMBER}\n".encode()

Case = tuple[str, Build]  # the kind of part the number hides in (read/parts.py), the builder
TABLE = "table"  # the table itself: a cell, a value, a nested key
UNREADABLE = "unreadable"  # a part of a known kind that cannot be read

_XML_SECRET = f"<a>{SECRET}</a>".encode()
XLSX: dict[str, Case] = {
    "a cell": (TABLE, _xlsx(lambda b: b.active.cell(2, 1, SECRET))),  # type: ignore[attr-defined]
    "a relationship": ("package", _xlsx_zip({"xl/_rels/extra.xml.rels": _XML_SECRET})),
    "the title": ("properties", _xlsx(lambda b: setattr(b.properties, "title", SECRET))),  # type: ignore[attr-defined]
    "a table definition": ("workbook", _xlsx_zip({"xl/tables/table9.xml": _XML_SECRET})),
    "a theme": ("styles", _xlsx_zip({"xl/theme/theme9.xml": _XML_SECRET})),
    "a thumbnail": ("thumbnail", _xlsx_zip({"docProps/thumbnail.jpeg": b"\xff\xd8\xff" + _CSV})),
    "a page header": ("grid", _xlsx(lambda b: setattr(b.active.oddHeader.center, "text", SECRET))),  # type: ignore[attr-defined]
    "a formula": ("formulas", _xlsx(_formula)),
    "an unused shared string": ("shared_strings", _xlsx_zip({"xl/sharedStrings.xml": _SST})),
    "a comment": ("comments", _xlsx(_comment)),
    "a drawing": ("drawing", _xlsx_zip({"xl/drawings/drawing9.xml": _XML_SECRET})),
    "custom XML": ("custom_xml", _xlsx_zip({"customXml/item1.xml": _XML_SECRET})),
    "printer settings": (
        "printer_settings",
        _xlsx_zip({"xl/printerSettings/printerSettings1.bin": _CSV}),
    ),
    "a second sheet": ("sheet", _xlsx(_second_sheet)),
    "a pivot cache": ("pivot_cache", _xlsx_zip({"xl/pivotCache/pivotCacheRecords1.xml": _PIVOT})),
    "an embedded OLE object": (
        "embedding",
        _xlsx_zip({"xl/embeddings/oleObject1.bin": _OLE + _CSV}),
    ),
    "an image": ("image", _xlsx_zip({"xl/media/image1.png": b"\x89PNG" + _CSV})),
    "macros": ("macros", _xlsx_zip({"xl/vbaProject.bin": _OLE + f"Attribute {SECRET}".encode()})),
    "an external link": (
        "external_link",
        _xlsx_zip({"xl/externalLinks/externalLink1.xml": _EXTERNAL}),
    ),
    "a revision log": ("history", _xlsx_zip({"xl/revisions/revisionLog1.xml": _XML_SECRET})),
    "an unknown part": (UNKNOWN, _xlsx_zip({"xl/secret/data.bin": _CSV})),
    "an unreadable part": (
        UNREADABLE,
        _xlsx_zip({"xl/charts/chart1.xml": f"<c>{SECRET}".encode()}),
    ),
}


# -- ODS ----------------------------------------------------------------------------------------


def _ods(add: dict[str, bytes], change: dict[str, Callable[[bytes], bytes]] | None = None):  # type: ignore[no-untyped-def]
    def build(tmp_path: Path) -> Path:
        return _zip_edit(_clean(tmp_path, ".ods"), add, change)

    return build


_ODS_SHEET = (
    '<table:table table:name="Blad2"><table:table-row><table:table-cell>'
    f"<text:p>Jan {CANARY}</text:p></table:table-cell><table:table-cell><text:p>2014-03-02"
    "</text:p></table:table-cell></table:table-row></table:table>"
)
_ANNOTATION = (
    f"<table:table-cell><office:annotation><text:p>{SECRET}</text:p></office:annotation>"
    "</table:table-cell></table:table-row>"
)
ODS: dict[str, Case] = {
    "a cell": (
        TABLE,
        _ods(
            {},
            {
                "content.xml": _sub(
                    "</table:table-row>",
                    f"<table:table-cell><text:p>{SECRET}</text:p></table:table-cell></table:table-row>",
                )
            },
        ),
    ),
    "a manifest file": ("package", _ods({"META-INF/extra.xml": _XML_SECRET})),
    "meta.xml": (
        "properties",
        _ods({"meta.xml": f"<meta><title>{SECRET}</title></meta>".encode()}),
    ),
    "settings.xml": ("workbook", _ods({"settings.xml": _XML_SECRET})),
    "styles.xml": ("styles", _ods({"styles.xml": _XML_SECRET})),
    "a thumbnail": ("thumbnail", _ods({"Thumbnails/thumbnail.png": b"\x89PNG" + _CSV})),
    "an annotation": ("grid", _ods({}, {"content.xml": _sub("</table:table-row>", _ANNOTATION)})),
    "an XML comment in content.xml": (
        "grid",
        _ods(
            {}, {"content.xml": _sub("</table:table-row>", f"<!-- {SECRET} --></table:table-row>")}
        ),
    ),
    "a chart's preview": ("drawing", _ods({"ObjectReplacements/Object 1": _CSV})),
    "a second sheet": (
        "sheet",
        _ods(
            {}, {"content.xml": _sub("</office:spreadsheet>", _ODS_SHEET + "</office:spreadsheet>")}
        ),
    ),
    "an image": ("image", _ods({"Pictures/1.png": b"\x89PNG" + _CSV})),
    "an embedded object": ("embedding", _ods({"Object 1/content.xml": _XML_SECRET})),
    "macros": ("macros", _ods({"Basic/Standard/Module1.xml": _XML_SECRET})),
    "an unknown part": (UNKNOWN, _ods({"geheim.bin": _CSV})),
    "an unreadable part": (UNREADABLE, _ods({"meta.xml": f"<meta>{SECRET}".encode()})),
}


# -- Parquet ------------------------------------------------------------------------------------


def _parquet(change: Callable[[pa.Table], pa.Table]) -> Build:
    def build(tmp_path: Path) -> Path:
        path = _clean(tmp_path, ".parquet")
        pq.write_table(change(pq.read_table(path)), path)
        return path

    return build


def _field_metadata(table: pa.Table) -> pa.Table:
    first = table.schema.field(0).with_metadata({"voorbeeld": SECRET})
    return table.cast(pa.schema([first, *list(table.schema)[1:]]))


def _unused_category(tmp_path: Path) -> Path:
    path = _clean(tmp_path, ".parquet")
    table = pq.read_table(path)
    at = table.schema.get_field_index("stratum")
    column = table.column(at).combine_chunks()
    used = list(dict.fromkeys(column.to_pylist()))
    indices = pa.array([used.index(v) for v in column.to_pylist()], pa.int32())
    categorical = pa.DictionaryArray.from_arrays(indices, pa.array([*used, SECRET]))
    pq.write_table(table.set_column(at, "stratum", categorical), path)
    return path


def _extension(kind: pa.DataType) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        at = table.schema.get_field_index("email")
        values = pa.array([f'"{SECRET}"'] * table.num_rows, pa.string())
        column = pa.ExtensionArray.from_storage(kind, values)
        return table.set_column(at, "email", column)

    return change


def _statistics(tmp_path: Path) -> Path:
    """A column whose footer statistics hold a number no row holds (the file edited after it
    was written: the footer's copies of the maximum replaced, the page's left)."""
    path = _clean(tmp_path, ".parquet")
    table = pq.read_table(path)
    largest = "zzzzz@zz.be"  # 11 characters, as the number
    emails = pa.array([largest] + [None] * (table.num_rows - 1), pa.string())
    table = table.set_column(table.schema.get_field_index("email"), "email", emails)
    pq.write_table(table, path, use_dictionary=False, compression="NONE", write_statistics=True)
    data = bytearray(path.read_bytes())
    found = [m.start() for m in re.finditer(re.escape(largest.encode()), bytes(data))]
    assert len(found) >= 3  # the page header's statistics, the value, the footer's
    for at in found[2:]:
        data[at : at + len(largest)] = NUMBER.encode()
    path.write_bytes(bytes(data))
    return path


PARQUET: dict[str, Case] = {
    "a cell": (
        TABLE,
        _parquet(lambda t: t.set_column(2, "stratum", pa.array([SECRET] * t.num_rows))),
    ),
    "the file's metadata": (
        "metadata",
        _parquet(lambda t: t.replace_schema_metadata({"bron": SECRET})),
    ),
    "a field's metadata": ("metadata", _parquet(_field_metadata)),
    "a column's statistics": ("statistics", _statistics),
    "an unused dictionary value": ("dictionary", _unused_category),
    "an arrow.json column": (TABLE, _parquet(_extension(pa.json_()))),
    "an opaque column": (
        TABLE,
        _parquet(_extension(pa.opaque(pa.string(), "geheim", "leverancier"))),
    ),
}


# -- JSON, JSON Lines, CSV ----------------------------------------------------------------------


def _text_file(suffix: str, edit: Callable[[str], str]) -> Build:
    def build(tmp_path: Path) -> Path:
        path = _clean(tmp_path, suffix)
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return build


def _first_value(text: str, opening: str) -> str:
    return text.replace(opening, f'{opening}"nested": {{"deep": ["{SECRET}"]}}, ', 1)


TEXT: dict[str, dict[str, Case]] = {
    "json": {"a nested value": (TABLE, _text_file(".json", lambda t: _first_value(t, "{")))},
    "jsonl": {"a nested value": (TABLE, _text_file(".jsonl", lambda t: _first_value(t, "{")))},
    "csv": {
        "a cell": (
            TABLE,
            _text_file(
                ".csv",
                lambda t: t.replace("\n", f"\n{SECRET}", 2).replace(f"\n{SECRET}", "\n", 1),
            ),
        ),
    },
}


# -- MAGDA XML ----------------------------------------------------------------------------------


def _magda(edit: Callable[[bytes], bytes]) -> Build:
    def build(tmp_path: Path) -> Path:
        path = tmp_path / "antwoord.xml"
        path.write_bytes(edit(answer_xml(dt.date(2025, 3, 1), 1, soap=True, seed=3)))
        return path

    return build


_S = SECRET.encode()


def _replace(old: bytes, new: bytes) -> Build:
    return _magda(lambda d: d.replace(old, new, 1))


_HEADER = b"<soapenv:Header/>"
_URN = _S.replace(b" ", b":")
XML: dict[str, Case] = {
    "a comment": ("markup", _replace(b"<Repliek>", b"<Repliek><!-- " + _S + b" -->")),
    "a processing instruction": ("markup", _replace(b"<Repliek>", b"<?x " + _S + b"?><Repliek>")),
    "the SOAP Header": (
        "header",
        _replace(_HEADER, b"<soapenv:Header><a>" + _S + b"</a></soapenv:Header>"),
    ),
    "a Header attribute": ("header", _replace(_HEADER, b"<soapenv:Header a='" + _S + b"'/>")),
    "a Body attribute": (
        "envelope",
        _replace(b"<soapenv:Body>", b"<soapenv:Body a='" + _S + b"'>"),
    ),
    "a namespace declaration": (
        "namespaces",
        _replace(_HEADER, b"<soapenv:Header xmlns:x='urn:" + _URN + b"'/>"),
    ),
    "a namespace prefix": (
        "namespaces",
        _replace(_HEADER, b"<soapenv:Header xmlns:n" + NUMBER.encode() + b"='urn:x'/>"),
    ),
    "after the root": ("trailing", _magda(lambda d: d + b"<!-- " + _S + b" -->")),
    "a CDATA value": (
        TABLE,
        _replace(b"<Type>ANTWOORD</Type>", b"<Type><![CDATA[" + _S + b"]]></Type>"),
    ),
}

CORPUS: dict[str, dict[str, Case]] = {
    "xlsx": XLSX,
    "ods": ODS,
    "parquet": PARQUET,
    "xml": XML,
    **TEXT,
}
CASES = [(fmt, place) for fmt, places in CORPUS.items() for place in places]


def test_the_corpus_covers_every_registered_format() -> None:
    assert set(CORPUS) == set(FORMATS), "a format without its corpus"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_corpus_hides_a_number_in_every_kind_of_part(fmt: str) -> None:
    """Every kind of part the registry says the format carries has its case; so do the table,
    and for a package an unknown member and an unreadable one."""
    kinds = {kind for kind, _ in CORPUS[fmt].values()}
    wanted = {TABLE, *FORMATS[fmt].parts}
    if "package" in FORMATS[fmt].parts:
        wanted |= {UNKNOWN, UNREADABLE}
    assert wanted <= kinds, sorted(wanted - kinds)


def _contract(fmt: str) -> tuple[Path, str]:
    return (MAGDA, MAGDA_DATASET) if fmt == "xml" else (CONTRACT, DATASET)


@pytest.mark.parametrize("fmt", sorted(CORPUS))
def test_the_clean_file_of_each_format_passes(tmp_path: Path, fmt: str) -> None:
    path = (
        _clean(tmp_path, FORMATS[fmt].extensions[0])
        if fmt != "xml"
        else _magda(lambda d: d)(tmp_path)
    )
    contract, dataset = _contract(fmt)
    run = run_cli("validate", path, "--contract", contract, "--dataset", dataset)
    assert run.code == 0, run.everything


@pytest.mark.parametrize(("fmt", "place"), CASES)
def test_a_number_hidden_in_any_part_is_refused_and_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, place: str
) -> None:
    path = CORPUS[fmt][place][1](tmp_path)
    contract, dataset = _contract(fmt)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    first = "Sheet" if fmt == "xlsx" else "Blad1"  # the sample writers name their one sheet
    sheet = ("--sheet", first) if place == "a second sheet" else ()
    for report in REPORTS:
        out = tmp_path / f"report.{report}"
        run = run_cli(
            "validate",
            path,
            "--contract",
            contract,
            "--dataset",
            dataset,
            *sheet,
            "--format",
            report,
            "--output",
            out,
        )
        written = out.read_text(encoding="utf-8") if out.exists() else ""
        shown = run.everything + written + (summary.read_text() if summary.exists() else "")
        assert run.code == 1, (report, run.everything, written)
        if report == "text":  # refused for what it hides, not for something else
            assert "no_insz" in written or "file.parts" in written, written
        assert NUMBER not in shown and CANARY not in shown, (report, shown)


def test_an_encrypted_workbook_with_only_its_package_passes(tmp_path: Path) -> None:
    """Its OLE container's streams are read too: those of the encryption are known."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = _clean(tmp_path, ".xlsx")
    plain = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("geheim", out)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(out.getvalue())
    run = run_cli(
        "validate",
        locked,
        "--contract",
        CONTRACT,
        "--dataset",
        DATASET,
        "--password-file",
        _password(tmp_path),
    )
    assert run.code == 0, run.everything


def _password(tmp_path: Path) -> Path:
    file = tmp_path / "password"
    file.write_text("geheim\n")
    return file
