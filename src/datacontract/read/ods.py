"""OpenDocument spreadsheets (ODS, ISO/IEC 26300; the open standard of Belgian public
administrations) as Arrow record batches of strings, with the guarantees of XLSX
(read/workbook.py).

The package is a zip archive, bounded like a workbook (read/bounds.check_package_zip) before
a byte is inflated. An encrypted package (`manifest:encryption-data` in META-INF/manifest.xml,
ODF 1.2 part 3, 4.8) is refused: exit 2, not read. content.xml is streamed
(read/ods_content.py). A data file is one table: the sheet that holds data is read; a file
with more than one sheet holding data is refused (naming them) unless `sheet` picks one, and
the others are then handed to the checks as `other_parts`, every cell. Row 1 is the header.
A row repeated (`table:number-rows-repeated`) is never expanded beyond `SHEET_ROWS` rows in
all; empty rows between data rows travel as null columns, in batches; trailing ones are
dropped. Every member of the package is a part of the inventory (read/package.py): its text
(sheet names, named ranges, meta.xml's properties, annotations, formulas, styles.xml's
headers and footers, validations, links, settings) searched like a cell, and a member of a
kind that is more than the table (embedded objects, images, macros) refused unless declared.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Generator, Iterator
from typing import IO, Any

import pyarrow as pa
from lxml import etree

from datacontract.errors import InputFileError
from datacontract.personal.redact import name_label
from datacontract.read.bounds import check_columns, check_package_zip
from datacontract.read.format_types import SampleTable
from datacontract.read.ods_content import grid, other_text, survey
from datacontract.read.package import ods_parts
from datacontract.read.parts import Carried, Inventory
from datacontract.read.sheets import chosen_sheet
from datacontract.read.text import Parts, Reader, column_names, text_of

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
SHEET_ROWS = 1_048_576
"""Rows of one sheet, repeated rows counted (LibreOffice Calc's own limit)."""
KIND = "ODS spreadsheet"
_CONTENT = "content.xml"
_MANIFEST = "META-INF/manifest.xml"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError)


def open_ods(
    path: str, batch_rows: int, sheet: str | None = None
) -> tuple[tuple[str, ...], int | None, Reader, Parts | None, Inventory]:
    """The header, a reader of the chosen sheet, a reader of the other sheets' cells, and
    the inventory of every part of the package (read/package.py)."""
    with open(path, "rb") as f:
        if not f.read(4).startswith(b"PK\x03\x04"):
            raise InputFileError(path, "not an ODS spreadsheet (those are zip archives)")
    check_package_zip(path, path, KIND)
    _refuse_encrypted(path)
    sheets = _read(path, _CONTENT, survey)
    chosen, others = _choose(path, sheets, sheet)
    header: list[str | None] = []
    rows = _read_rows(path)
    try:
        for table, _, cells in rows:
            if table == chosen:
                header = cells
                break
    finally:
        rows.close()  # the archive with it
    while header and header[-1] is None:
        header.pop()
    if not header:
        label = _label(chosen, sheets[chosen][0]) if sheets else "sheet 1"
        raise InputFileError(path, f"row 1 of the sheet {label} is empty; it must be the header", 1)
    check_columns(path, len(header))
    columns = column_names(path, [c or "" for c in header], 1)

    def read() -> Iterator[pa.RecordBatch]:
        yield from _table_batches(path, chosen, columns, batch_rows)

    def other_parts() -> Iterator[tuple[str, pa.RecordBatch]]:
        for index in others:
            for batch in _raw_batches(path, index, batch_rows):
                yield f"sheet {index + 1}", batch

    def carried() -> Iterator[Carried]:
        for index in others:
            yield Carried("sheet", f"sheet {index + 1}")
        try:
            yield from ods_parts(path, other_text)
        except _ZIP_ERRORS:
            raise InputFileError(path, "damaged ODS spreadsheet: a part cannot be read") from None

    return columns, None, read, other_parts, carried


def _label(index: int, name: str) -> str:
    """`'Blad1'` (a program's default name) or `sheet 2 (not in the contract)`."""
    shown = name_label(name, index, "sheet")
    return shown if shown.startswith("'") else f"sheet {shown}"


def _open_archive(path: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise InputFileError(
            path, "not a readable ODS spreadsheet (a damaged zip archive)"
        ) from None


def _read(path: str, member: str, use: Any) -> Any:
    """`use(path, stream)` over one member, zip errors as a damaged spreadsheet."""
    with _open_archive(path) as archive:
        try:
            with archive.open(member) as stream:
                return use(path, stream)
        except KeyError:
            raise InputFileError(path, f"not an ODS spreadsheet: it has no {member}") from None
        except _ZIP_ERRORS:
            raise InputFileError(
                path, f"damaged ODS spreadsheet: {member} cannot be read"
            ) from None


def _read_rows(path: str) -> Generator[tuple[int, int, list[str | None]], None, None]:
    with _open_archive(path) as archive:
        try:
            with archive.open(_CONTENT) as stream:
                yield from grid(path, stream)
        except KeyError:
            raise InputFileError(path, f"not an ODS spreadsheet: it has no {_CONTENT}") from None
        except _ZIP_ERRORS:
            message = f"damaged ODS spreadsheet: {_CONTENT} cannot be read"
            raise InputFileError(path, message) from None


def _refuse_encrypted(path: str) -> None:
    def encrypted(_: str, stream: IO[bytes]) -> bool:
        tag = f"{{{_NS_MANIFEST}}}encryption-data"
        try:
            for _, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True
            ):
                if element.tag == tag:
                    return True
                element.clear()
        except etree.XMLSyntaxError:
            message = f"damaged ODS spreadsheet: {_MANIFEST} is not well formed"
            raise InputFileError(path, message) from None
        return False

    with _open_archive(path) as archive:
        present = _MANIFEST in archive.namelist()
    if present and _read(path, _MANIFEST, encrypted):
        raise InputFileError(
            path,
            "the ODS spreadsheet is encrypted (ODF encryption), which datacontract does not "
            "read; an encrypted file travels as a password-protected XLSX workbook",
        )


def _choose(path: str, sheets: list[tuple[str, bool]], wanted: str | None) -> tuple[int, list[int]]:
    if not sheets:
        raise InputFileError(path, "the ODS spreadsheet has no sheet")
    names = [n for n, _ in sheets]
    holding = [i for i, (_, data) in enumerate(sheets) if data]
    if wanted is not None:
        index = chosen_sheet(path, names, wanted, lambda i: _label(i, names[i]), "sheet")
    elif len(holding) > 1:
        listed = ", ".join(_label(i, names[i]) for i in holding)
        raise InputFileError(
            path,
            f"{len(holding)} sheets hold data ({listed}); a data file is one table, and a "
            "spreadsheet that carries more does not cross a boundary: save the table as a file "
            "of its own (--sheet NAME checks one sheet here, or --sheet '#N' the sheet at position "
            "N, and still reports the others)",
        )
    else:
        index = holding[0] if holding else 0
    return index, [i for i in holding if i != index]


def _numbered(path: str, index: int) -> Iterator[tuple[int, int, list[str | None]]]:
    """(first row number, repeat, cells) of one sheet from row 1, bounded by SHEET_ROWS."""
    number = 1
    for table, repeat, cells in _read_rows(path):
        if table != index:
            continue
        if number + repeat - 1 > SHEET_ROWS and any(c is not None for c in cells):
            raise InputFileError(
                path,
                f"a sheet holds data beyond row {SHEET_ROWS:,}, the limit for a sheet "
                "(repeated rows counted)",
            )
        yield number, repeat, cells
        number += repeat


def _table_batches(
    path: str, index: int, columns: tuple[str, ...], batch_rows: int
) -> Iterator[pa.RecordBatch]:
    width = len(columns)
    pending: list[list[str | None]] = []
    empty = 0  # empty rows not yet known to be followed by data: trailing ones are dropped
    for number, repeat, cells in _numbered(path, index):
        if number == 1:  # the header; repeated, its copies are data rows
            if repeat == 1:
                continue
            repeat, number = repeat - 1, 2
        if not any(c is not None for c in cells):
            empty += repeat
            continue
        if len(cells) > width:
            beyond = next(i for i in range(width, len(cells)) if cells[i] is not None)
            message = f"row {number} has a value in column {_letter(beyond)}, right of the header"
            raise InputFileError(path, message, number)
        if pending:
            yield _string_batch(pending, columns)
            pending = []
        while empty:
            take = min(empty, batch_rows)
            yield pa.RecordBatch.from_arrays(
                [pa.nulls(take, pa.string())] * width, names=list(columns)
            )
            empty -= take
        row = cells + [None] * (width - len(cells))
        for _ in range(repeat):
            pending.append(row)
            if len(pending) >= batch_rows:
                yield _string_batch(pending, columns)
                pending = []
    if pending:
        yield _string_batch(pending, columns)


def _raw_batches(path: str, index: int, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Every non-empty row of a sheet, row 1 included, as columns named by their letters."""
    pending: list[list[str | None]] = []
    for _, repeat, cells in _numbered(path, index):
        if not any(c is not None for c in cells):
            continue
        for _ in range(repeat):
            pending.append(cells)
            if len(pending) >= batch_rows:
                yield _ragged(pending)
                pending = []
    if pending:
        yield _ragged(pending)


def _ragged(rows: list[list[str | None]]) -> pa.RecordBatch:
    width = max(len(r) for r in rows)
    names = tuple(_letter(i) for i in range(width))
    return _string_batch([r + [None] * (width - len(r)) for r in rows], names)


def _letter(index: int) -> str:
    """Column letters of a 0-based index: A, ..., Z, AA, ..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _string_batch(rows: list[list[str | None]], columns: tuple[str, ...]) -> pa.RecordBatch:
    arrays = [pa.array(values, type=pa.string()) for values in zip(*rows, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, names=list(columns))


# -- writing (the sample writer of the format registry, and the tests') ----------------------


def write_ods(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer: one sheet, the header then the rows; numbers and booleans typed.
    Written with escaped string templates and zipfile: the `mimetype` member first and
    stored, as ODF 1.2 part 3, 3.3 asks."""
    write_sheets(out, [("Blad1", [list(table.columns), *table.values()])])


def write_sheets(
    out: IO[bytes], sheets: list[tuple[str, list[list[Any]]]], extra: str = ""
) -> None:
    """A spreadsheet of `sheets` (name, rows), `extra` XML appended to office:spreadsheet."""
    from xml.sax.saxutils import escape, quoteattr

    def cell(value: Any) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, bool):
            flag = "true" if value else "false"
            return f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}"/>'
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'
        text = escape(text_of(value))
        string = '<table:table-cell office:value-type="string">'
        return f"{string}<text:p>{text}</text:p></table:table-cell>"

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{_NS_OFFICE}" xmlns:table="{_NS_TABLE}" '
        f'xmlns:text="{_NS_TEXT}" office:version="1.2"><office:body><office:spreadsheet>'
        f"{tables}{extra}"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{_NS_MANIFEST}" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)  # first, stored
        archive.writestr(_CONTENT, content)
        archive.writestr(_MANIFEST, manifest)
    out.write(buffer.getvalue())


_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_NS_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
