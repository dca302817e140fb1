"""XLSX workbooks, encrypted or not, as Arrow record batches of strings (see read/table.py).

openpyxl and msoffcrypto load only when a workbook is opened. A data file is one table: the
worksheet that holds data is read, hidden or not; a workbook with more than one worksheet
holding data is refused (naming them) unless `sheet` picks one; the others are then still
handed to the checks as `other_parts`, every cell of them, so that a hidden sheet mapping codes
to national numbers cannot ride along unread, and each is a part of the inventory (`carried`)
that is more than the table: refused unless the contract declares `sheet` in `file.parts`.
Every member of the package is in that inventory too (read/package.py). Row 1 is the header;
every cell (text, number, or a formula's cached result) arrives as the text CSV would hold, so
that the engine casts to the contract's types itself. Sheet names come from the file: messages
show them only when they do not look like personal data (redact.py).
"""

from __future__ import annotations

import errno
import io
import os
import struct
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import pyarrow as pa

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.personal.redact import name_label
from datacontract.read.bounds import check_cell, check_columns, check_workbook_zip
from datacontract.read.format_types import SampleTable
from datacontract.read.package import ole_parts, xlsx_parts
from datacontract.read.parts import Carried, Inventory
from datacontract.read.sheets import chosen_sheet
from datacontract.read.text import Parts, Reader, column_names, text_of

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ZIP_MAGIC = b"PK\x03\x04"


_PASSWORD_HINT = "give the password via --password-file or DATACONTRACT_XLSX_PASSWORD"


# openpyxl raises all of these on a damaged workbook (and its own InvalidFileException, a
# subclass of Exception we catch where openpyxl is imported: it loads only for XLSX files):
# zipfile's and zlib's on a damaged archive (a member that does not inflate, an unsupported
# or encrypted member), the XML parsers' (SyntaxError is lxml's base), and the lookups and
# conversions openpyxl makes on XML that is well formed but not a workbook.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    ParseError,
    SyntaxError,
    LookupError,
    AttributeError,
    TypeError,
    ValueError,
    OSError,
)


def is_encrypted(path: str, fmt: str) -> bool:
    """An XLSX workbook is encrypted when it is an OLE container instead of a zip archive."""
    if fmt != "xlsx":
        return False
    with open(path, "rb") as f:
        return f.read(len(_OLE_MAGIC)) == _OLE_MAGIC


def open_xlsx(
    path: str, batch_rows: int, password: str | None, sheet: str | None = None
) -> tuple[tuple[str, ...], int | None, Reader, Parts, Inventory]:
    """The header, a reader of the chosen worksheet, a reader of every other sheet's cells,
    and the inventory of every part of the package (read/package.py), the other sheets that
    hold data first (each one more than the table: read/parts.py)."""
    with open(path, "rb") as f:
        magic = f.read(len(_OLE_MAGIC))
    if magic == _OLE_MAGIC:
        content = _decrypt(path, password)
        check_workbook_zip(path, io.BytesIO(content))

        def workbook_source() -> str | io.BytesIO:
            return io.BytesIO(content)

    elif magic.startswith(_ZIP_MAGIC):
        check_workbook_zip(path, path)

        def workbook_source() -> str | io.BytesIO:
            return path

    else:
        raise InputFileError(path, "not an XLSX workbook (those are zip archives)")
    chosen, others = _choose_sheet(path, workbook_source(), sheet)
    rows = _sheet_rows(path, workbook_source(), chosen)
    try:
        header = next(rows, None)
    finally:
        rows.close()
    cells = list(header or ())
    while cells and _cell_text(cells[-1]) is None:
        cells.pop()  # formatted but empty cells right of the header
    if not cells:
        raise InputFileError(
            path, f"row 1 of the worksheet {_label(chosen)} is empty; it must be the header", 1
        )
    check_columns(path, len(cells))
    columns = column_names(path, [_cell_text(c) or "" for c in cells], 1)

    def read() -> Iterator[pa.RecordBatch]:
        rows = _sheet_rows(path, workbook_source(), chosen)
        try:
            next(rows, None)
            yield from _sheet_batches(path, rows, columns, batch_rows)
        finally:
            rows.close()

    def other_parts() -> Iterator[tuple[str, pa.RecordBatch]]:
        for index, name in others:
            rows = _sheet_rows(path, workbook_source(), (index, name))
            try:
                for batch in _raw_batches(rows, batch_rows):
                    yield f"worksheet {index + 1}", batch
            finally:
                rows.close()

    def carried() -> Iterator[Carried]:
        for index, _ in others:
            yield Carried("sheet", f"worksheet {index + 1}")
        if magic == _OLE_MAGIC:
            with open(path, "rb") as container:
                yield from ole_parts(container.read())
        try:
            yield from xlsx_parts(workbook_source())
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise InputFileError(path, "damaged workbook: a part of it cannot be read") from None

    return columns, None, read, other_parts, carried


_Sheet = tuple[int, str]  # position in the workbook (0-based), name


def _label(sheet: _Sheet) -> str:
    """`'Blad1'` (a program's default name) or `worksheet 2 (not in the contract)`."""
    shown = name_label(sheet[1], sheet[0], "worksheet")
    return shown if shown.startswith("'") else f"worksheet {shown}"


def _choose_sheet(
    path: str, source: str | io.BytesIO, wanted: str | None
) -> tuple[_Sheet, list[_Sheet]]:
    """The worksheet to read as the table, and the other worksheets that hold data."""
    workbook = _load(path, source)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise InputFileError(path, "the workbook has no worksheet")
        states = [str(getattr(ws, "sheet_state", "visible")) for ws in sheets]
        holding = [i for i, ws in enumerate(sheets) if _holds_data(path, ws)]
        names = [str(ws.title) for ws in sheets]
    finally:
        workbook.close()

    def described(i: int) -> str:
        hidden = {"hidden": " (hidden)", "veryHidden": " (very hidden)"}.get(states[i], "")
        return f"{_label((i, names[i]))}{hidden}"

    if wanted is not None:
        index = chosen_sheet(path, names, wanted, described, "worksheet")
    elif len(holding) > 1:
        listed = ", ".join(described(i) for i in holding)
        raise InputFileError(
            path,
            f"{len(holding)} worksheets hold data ({listed}); a data file is one table, and a "
            "workbook that carries more does not cross a boundary: save the table as a workbook "
            "of its own (--sheet NAME checks one sheet here, or --sheet '#N' the sheet at position "
            "N, and still reports the others)",
        )
    else:
        index = holding[0] if holding else 0
    return (index, names[index]), [(i, names[i]) for i in holding if i != index]


def _holds_data(path: str, worksheet: Any) -> bool:
    try:
        worksheet.reset_dimensions()
        return any(
            _cell_text(v) is not None for row in worksheet.iter_rows(values_only=True) for v in row
        )
    except _XLSX_ERRORS:
        raise InputFileError(path, "damaged XLSX workbook: a worksheet cannot be read") from None


def _raw_batches(rows: Iterator[Sequence[Any]], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Every cell of a worksheet, row 1 included, as string columns named by their letters."""
    from openpyxl.utils import get_column_letter

    pending: list[list[str | None]] = []
    for row in rows:
        texts = [_cell_text(v) for v in row]
        if any(t is not None for t in texts):
            pending.append(texts)
        if len(pending) >= batch_rows:
            yield _ragged_batch(pending, get_column_letter)
            pending = []
    if pending:
        yield _ragged_batch(pending, get_column_letter)


def _ragged_batch(rows: list[list[str | None]], letter: Any) -> pa.RecordBatch:
    width = max(len(r) for r in rows)
    padded = [r + [None] * (width - len(r)) for r in rows]
    names = [str(letter(i + 1)) for i in range(width)]
    return _string_batch(padded, tuple(names))


def _sheet_batches(
    path: str, sheet: Iterator[Sequence[Any]], columns: tuple[str, ...], batch_rows: int
) -> Iterator[pa.RecordBatch]:
    width = len(columns)
    pending: list[list[str | None]] = []
    empty = 0  # empty rows not yet known to be followed by data: trailing ones are dropped
    for number, row in enumerate(sheet, start=2):
        texts = [_cell_text(v) for v in row]
        if all(t is None for t in texts):
            empty += 1
            continue
        beyond = next((i for i in range(width, len(texts)) if texts[i] is not None), None)
        if beyond is not None:
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(beyond + 1)
            message = f"row {number} has a value in column {letter}, right of the header"
            raise InputFileError(path, message, number)
        pending.extend([None] * width for _ in range(empty))
        empty = 0
        pending.append(texts[:width] + [None] * (width - len(texts)))
        if len(pending) >= batch_rows:
            yield _string_batch(pending, columns)
            pending = []
    if pending:
        yield _string_batch(pending, columns)


def _decrypt(path: str, password: str | None) -> bytes:
    try:
        import msoffcrypto
        from msoffcrypto.exceptions import InvalidKeyError
    except ImportError:
        message = "workbook is encrypted; reading it needs msoffcrypto-tool installed"
        raise InputFileError(path, message) from None
    if os.path.getsize(path) > limits.XLSX_INFLATED:
        size = limits.size_text(limits.XLSX_INFLATED)
        raise InputFileError(path, f"an encrypted workbook over {size} is over the limit")
    with open(path, "rb") as f:
        try:
            office = msoffcrypto.OfficeFile(f)
            encrypted = bool(office.is_encrypted())
        except Exception:  # msoffcrypto raises bare Exceptions on unknown OLE content
            encrypted = False
        if not encrypted:
            message = "an old binary Excel file (.xls) or other OLE file, not an XLSX workbook"
            raise InputFileError(path, message)
        if password is None:
            raise InputFileError(path, f"workbook is encrypted; {_PASSWORD_HINT}")
        out = io.BytesIO()
        try:
            office.load_key(password=password)
            office.decrypt(out)
        except InvalidKeyError:
            raise InputFileError(path, "wrong password for the encrypted workbook") from None
        except Exception:  # DecryptionError, and anything msoffcrypto raises on damaged OLE content
            raise InputFileError(path, "the encrypted workbook cannot be decrypted") from None
    return out.getvalue()


def _load(path: str, source: str | io.BytesIO) -> Any:
    import openpyxl  # only XLSX files pay for importing it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it skips; not our concern
            return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (*_XLSX_ERRORS, InvalidFileException):
        raise InputFileError(path, "not a readable XLSX workbook") from None


def _sheet_rows(
    path: str, source: str | io.BytesIO, sheet: _Sheet
) -> Generator[Sequence[Any], None, None]:
    """The cell values of one worksheet, row by row from row 1."""
    workbook = _load(path, source)
    try:
        worksheet = workbook.worksheets[sheet[0]]
        worksheet.reset_dimensions()  # the stored dimensions may be wrong; read what is there
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            for value in row:
                if isinstance(value, str) and len(value) > limits.CELL_BYTES:
                    check_cell(path, value, number)
            yield row
    except _XLSX_ERRORS:
        raise InputFileError(path, "damaged XLSX workbook: a worksheet cannot be read") from None
    finally:
        workbook.close()


def _string_batch(rows: list[list[str | None]], columns: tuple[str, ...]) -> pa.RecordBatch:
    arrays = [pa.array(values, type=pa.string()) for values in zip(*rows, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, names=list(columns))


def _cell_text(value: Any) -> str | None:
    """A worksheet cell as CSV would have it: an empty cell or empty string is null."""
    if value is None or value == "":
        return None
    return text_of(value)


def write_xlsx(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer: one worksheet, the header then the rows (openpyxl); encrypted
    (ECMA-376 agile encryption, msoffcrypto) when a password is given."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(table.columns)
    for row in table.values():
        sheet.append(row)
    # Saved in memory first (the workbook is there already): a write that fails on a full
    # disk then fails in `out`, not inside openpyxl's zip file, which would be left open.
    plain = io.BytesIO()
    try:
        book.save(plain)
    except Exception as exc:  # lxml's SerialisationError: openpyxl's temporary files
        if not str(exc).startswith("IO_"):
            raise
        raise OSError(errno.ENOSPC, "the workbook's temporary files could not be written") from None
    if not password:
        out.write(plain.getbuffer())
        return
    from msoffcrypto.format.ooxml import OOXMLFile

    plain.seek(0)
    OOXMLFile(plain).encrypt(password, out)
