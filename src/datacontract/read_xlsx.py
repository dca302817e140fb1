"""XLSX workbooks, encrypted or not, as Arrow record batches of strings (see read.py).

openpyxl and msoffcrypto load only when a workbook is opened. The first worksheet is read;
row 1 is the header; every cell arrives as the text CSV would hold, so that the engine casts
to the contract's types itself.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Generator, Iterator, Sequence
from typing import Any
from xml.etree.ElementTree import ParseError

import pyarrow as pa

from datacontract.errors import InputFileError
from datacontract.read_text import Reader, column_names, text_of

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ZIP_MAGIC = b"PK\x03\x04"


_PASSWORD_HINT = "give the password via --password-file or DATACONTRACT_XLSX_PASSWORD"


# openpyxl raises all of these on a damaged workbook (and its own InvalidFileException, a
# subclass of Exception we catch where openpyxl is imported: it loads only for XLSX files).
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    ParseError,
    KeyError,
    IndexError,
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
    path: str, batch_rows: int, password: str | None
) -> tuple[tuple[str, ...], int | None, Reader]:
    with open(path, "rb") as f:
        magic = f.read(len(_OLE_MAGIC))
    if magic == _OLE_MAGIC:
        content = _decrypt(path, password)

        def workbook_source() -> str | io.BytesIO:
            return io.BytesIO(content)

    elif magic.startswith(_ZIP_MAGIC):

        def workbook_source() -> str | io.BytesIO:
            return path

    else:
        raise InputFileError(path, "not an XLSX workbook (those are zip archives)")
    rows = _sheet_rows(path, workbook_source())
    try:
        header = next(rows, None)
    finally:
        rows.close()
    cells = list(header or ())
    while cells and _cell_text(cells[-1]) is None:
        cells.pop()  # formatted but empty cells right of the header
    if not cells:
        raise InputFileError(
            path, "row 1 of the first worksheet is empty; it must be the header", 1
        )
    columns = column_names(path, [_cell_text(c) or "" for c in cells], 1)

    def read() -> Iterator[pa.RecordBatch]:
        sheet = _sheet_rows(path, workbook_source())
        try:
            next(sheet, None)
            yield from _sheet_batches(path, sheet, columns, batch_rows)
        finally:
            sheet.close()

    return columns, None, read


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
        from msoffcrypto.exceptions import DecryptionError, InvalidKeyError
    except ImportError:
        message = "workbook is encrypted; reading it needs msoffcrypto-tool installed"
        raise InputFileError(path, message) from None
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
        except (DecryptionError, ValueError, OSError):
            raise InputFileError(path, "the encrypted workbook cannot be decrypted") from None
    return out.getvalue()


def _sheet_rows(path: str, source: str | io.BytesIO) -> Generator[Sequence[Any], None, None]:
    """The cell values of the first worksheet, row by row from row 1."""
    import openpyxl  # only XLSX files pay for importing it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it skips; not our concern
            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (*_XLSX_ERRORS, InvalidFileException):
        raise InputFileError(path, "not a readable XLSX workbook") from None
    try:
        if not workbook.worksheets:
            raise InputFileError(path, "the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimensions may be wrong; read what is there
        yield from sheet.iter_rows(values_only=True)
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
