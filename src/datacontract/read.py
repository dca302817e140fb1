"""The only module that opens data files: every format streamed as Arrow record batches.

`open_table` looks at a file once (its header, its schema, or for JSON Lines a first pass over
the whole file) and returns a `TableSource`; `TableSource.batches()` then reads the rows in
batches of `batch_rows` (the last one fewer). CSV and JSON Lines are parsed in blocks of 1 MiB
whose rows are gathered into those batches, so memory stays flat however long the file is.

Types. CSV and XLSX arrive as strings, every column, so that a value of the wrong type never
makes pyarrow raise an error that quotes it: the engine casts to the contract's types itself
(coerce.py). Parquet keeps its own types. JSON and JSON Lines keep JSON's scalar types and
nested objects and lists as struct and list columns; a column whose values mix types across
rows is read as strings instead.

Row numbers. `Batch.first_row` is the 1-based number of the batch's first data row, the header
not counted. In a CSV file that row sits on line `first_row + 1` only if no earlier row has a
quoted line break and there are no blank lines (pyarrow skips those). In JSON Lines blank
lines are skipped too. In an XLSX worksheet the row is always `first_row + 1`: empty rows
between data rows are rows of nulls, and only trailing empty rows are dropped.

Errors. Every problem with a file is an `InputFileError` naming the file and, where it applies,
the line; pyarrow's own messages quote cell text, so none is ever passed on.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import stat
import warnings
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from datacontract.errors import InputFileError

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}
"""File extension (lower case) -> format."""

_MIB = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
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

_Reader = Callable[[], Iterator[pa.RecordBatch]]


@dataclass(frozen=True)
class Batch:
    """Some consecutive rows of a file."""

    data: pa.RecordBatch
    first_row: int
    """1-based number of the data row `data.slice(0)` within the file, the header not counted."""


@dataclass(frozen=True)
class TableSource:
    """A data file that opened cleanly; `batches()` reads it (again) from the start."""

    path: str
    format: str
    columns: tuple[str, ...]
    rows_hint: int | None
    """The number of rows if known before `batches()` (Parquet, JSON, JSON Lines), else None."""
    size_bytes: int
    batch_rows: int
    _read: _Reader = field(repr=False, compare=False)
    encrypted: bool = False
    """Whether the file was encrypted at rest (a password-protected XLSX workbook)."""

    def batches(self) -> Iterator[Batch]:
        """The rows in batches of exactly `batch_rows` rows, the last one fewer."""
        size = self.batch_rows
        first_row = 1
        pending: list[pa.RecordBatch] = []  # blocks, or slices of them, for the next batch
        count = 0
        for data in self._read():
            while data.num_rows:
                take = min(size - count, data.num_rows)
                pending.append(data.slice(0, take))
                count += take
                data = data.slice(take)
                if count == size:
                    batch = Batch(self._named(_concat(pending)), first_row)
                    pending, count = [], 0
                    first_row += size
                    yield batch
        if pending:
            yield Batch(self._named(_concat(pending)), first_row)

    def _named(self, data: pa.RecordBatch) -> pa.RecordBatch:
        names = list(self.columns)
        return data if data.schema.names == names else data.rename_columns(names)


def _concat(parts: list[pa.RecordBatch]) -> pa.RecordBatch:
    if len(parts) == 1:
        return parts[0]
    if hasattr(pa, "concat_batches"):  # pyarrow >= 19
        return pa.concat_batches(parts)
    return pa.Table.from_batches(parts).combine_chunks().to_batches()[0]


def open_table(
    path: str | os.PathLike[str],
    *,
    batch_rows: int = 131_072,
    password: str | None = None,
    block_bytes: int | None = None,
) -> TableSource:
    """Open a data file as a table; the format is chosen by its extension.

    `password` opens an encrypted XLSX workbook. CSV and JSON Lines are parsed `block_bytes`
    at a time (1 MiB by default; a CSV row must fit in one block), and the blocks' rows are
    gathered into batches of `batch_rows`: small blocks keep pyarrow's buffers small.
    """
    if batch_rows < 1 or (block_bytes is not None and block_bytes < 1):
        raise ValueError(
            f"batch_rows and block_bytes must be positive: {batch_rows}, {block_bytes}"
        )
    name = os.fspath(path)
    size = _file_size(name)
    suffix = Path(name).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        known = ", ".join(FORMATS)
        raise InputFileError(name, f"unknown file type {suffix or '(none)'!r}; supported: {known}")
    if size == 0:
        raise InputFileError(name, "file is empty")
    block = block_bytes or _MIB
    if fmt == "csv":
        columns, rows, read = _open_csv(name, size, block)
    elif fmt == "parquet":
        columns, rows, read = _open_parquet(name, batch_rows)
    elif fmt == "jsonl":
        columns, rows, read = _open_jsonl(name, block)
    elif fmt == "json":
        columns, rows, read = _open_json(name)
    else:
        columns, rows, read = _open_xlsx(name, batch_rows, password)
    return TableSource(
        name, fmt, columns, rows, size, batch_rows, read, encrypted=is_encrypted(name, fmt)
    )


def is_encrypted(path: str, fmt: str) -> bool:
    """An XLSX workbook is encrypted when it is an OLE container instead of a zip archive."""
    if fmt != "xlsx":
        return False
    with open(path, "rb") as f:
        return f.read(len(_OLE_MAGIC)) == _OLE_MAGIC


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file's bytes, in hex, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_MIB):
            digest.update(chunk)
    return digest.hexdigest()


# -- shared -----------------------------------------------------------------------------------


def _file_size(path: str) -> int:
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(path, "is a directory, not a file")
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except PermissionError:
        raise InputFileError(path, "cannot be read: permission denied") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read: {exc.strerror}") from None
    return info.st_size


def _column_names(path: str, raw: Iterable[str], line: int | None) -> tuple[str, ...]:
    """Header names with surrounding whitespace and BOMs stripped; empty or repeated ones refused.

    The messages give column positions, not names: a file without a header has data there.
    """
    names = tuple(n.strip().strip("\ufeff").strip() for n in raw)
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            raise InputFileError(path, f"column {position} has an empty name in the header", line)
        if name in seen:
            raise InputFileError(
                path, f"columns {seen[name]} and {position} have the same name in the header", line
            )
        seen[name] = position
    return names


def _utf16_problem(path: str, head: bytes) -> InputFileError | None:
    if head[:2] in _UTF16_BOMS:
        return InputFileError(path, "file is UTF-16 encoded; re-save the file as UTF-8", line=1)
    return None


def _refuse_utf16(path: str, head: bytes) -> None:
    problem = _utf16_problem(path, head)
    if problem is not None:
        raise problem


def _not_utf8(path: str, line: int, offset: int) -> InputFileError:
    return InputFileError(
        path,
        f"not valid UTF-8 at line {line} (byte offset {offset}); re-save the file as UTF-8",
        line,
    )


def _utf8_problem(path: str) -> InputFileError | None:
    """The first byte that is not UTF-8, as an error; None if the whole file is valid UTF-8.

    Only called once reading has failed, so the fast path never pays for this scan.
    """
    with open(path, "rb") as f:
        problem = _utf16_problem(path, f.read(2))
        if problem is not None:
            return problem
        f.seek(0)
        base = 0  # file offset of data[0]
        lines = 0  # line breaks before data[0]
        carry = b""
        while True:
            chunk = f.read(_MIB)
            data = carry + chunk
            if not data:
                return None
            try:
                data.decode("utf-8")
                good = len(data)
            except UnicodeDecodeError as exc:
                if chunk and exc.reason == "unexpected end of data":
                    good = exc.start  # a character cut by the chunk's end: finish it next time
                else:
                    return _not_utf8(
                        path, lines + data.count(b"\n", 0, exc.start) + 1, base + exc.start
                    )
            lines += data.count(b"\n", 0, good)
            base += good
            carry = data[good:]
            if not chunk:
                return None


# -- CSV --------------------------------------------------------------------------------------


def _open_csv(path: str, size: int, block: int) -> tuple[tuple[str, ...], int | None, _Reader]:
    with open(path, "rb") as f:
        head = f.read(_MIB)
    _refuse_utf16(path, head)
    start = len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0
    end, delimiter = _sniff_header(head, start)
    if end is None:
        if size > len(head):
            raise InputFileError(path, "line 1 is longer than 1 MiB; is this a CSV file?", 1)
        end = len(head)
    try:
        header = head[start:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, 1, start + exc.start) from None
    if not header.strip():
        raise InputFileError(path, "line 1 is empty; the first line must be the header", 1)
    raw = next(csv.reader([header], delimiter=delimiter))
    columns = _column_names(path, raw, 1)
    if size <= len(head) and not head[end:].strip(b"\r\n"):
        return columns, 0, lambda: iter(())  # a header and nothing else: no rows, not an error

    def read() -> Iterator[pa.RecordBatch]:
        invalid: list[Any] = []

        def on_invalid_row(row: Any) -> str:
            invalid.append(row)  # row.text holds cell values: never looked at
            return "error"

        rows = 0
        try:
            reader = pa_csv.open_csv(
                path,
                # Single-threaded, pyarrow numbers invalid rows; on two cores it is no slower.
                read_options=pa_csv.ReadOptions(block_size=block, use_threads=False),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=on_invalid_row,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types={name: pa.string() for name in raw},
                    null_values=[""],
                    strings_can_be_null=True,
                ),
            )
            if reader.schema.names != raw:
                raise InputFileError(path, "the header cannot be read consistently", 1)
            for data in reader:
                yield data
                rows += data.num_rows
        except (pa.ArrowException, OSError):
            # pyarrow's message quotes the row: replace it, and drop the chain that holds it.
            raise _csv_problem(path, delimiter, block, invalid, rows) from None

    return columns, None, read


def _sniff_header(head: bytes, start: int) -> tuple[int | None, str]:
    """End of the header record, and its delimiter: `;` if it has more of those than `,`.

    Bytes, not text: in UTF-8 no byte of a multi-byte character is a quote or a delimiter.
    """
    quoted = False
    commas = semicolons = 0
    end: int | None = None
    for i in range(start, len(head)):
        byte = head[i]
        if byte == 0x22:  # "
            quoted = not quoted
        elif quoted:
            continue
        elif byte == 0x2C:
            commas += 1
        elif byte == 0x3B:
            semicolons += 1
        elif byte in (0x0A, 0x0D):
            end = i
            break
    return end, ";" if semicolons > commas else ","


def _csv_problem(
    path: str, delimiter: str, block: int, invalid: Sequence[Any], rows: int
) -> InputFileError:
    if invalid:
        row = invalid[0]
        fields = f"{_fields(row.actual_columns)}, header has {row.expected_columns}"
        line = _csv_line_of_record(path, delimiter, row.number) if row.number else None
        if line is not None:
            return InputFileError(path, f"line {line} has {fields}", line)
        return InputFileError(path, f"data row {rows + 1} or one soon after has {fields}")
    return _utf8_problem(path) or InputFileError(
        path,
        f"cannot be parsed as CSV after data row {rows}: a quote that is not closed, "
        f"or a row longer than {block} bytes",
    )


def _fields(count: int) -> str:
    return "1 field" if count == 1 else f"{count} fields"


def _csv_line_of_record(path: str, delimiter: str, number: int) -> int | None:
    """The line on which CSV record `number` (the header is record 1) starts.

    Records and lines differ where a quoted value holds a line break or a line is blank.
    """
    consumed = 0
    records = 0
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            for fields in reader:
                first_line = consumed + 1
                consumed = reader.line_num
                if fields:  # pyarrow skips blank lines; so does its count
                    records += 1
                    if records == number:
                        return first_line
    except csv.Error:
        return None
    return None


# -- Parquet ----------------------------------------------------------------------------------


def _open_parquet(path: str, batch_rows: int) -> tuple[tuple[str, ...], int | None, _Reader]:
    try:
        with pq.ParquetFile(path) as parquet:
            raw: list[str] = parquet.schema_arrow.names
            rows: int = parquet.metadata.num_rows
    except (pa.ArrowException, OSError):
        raise InputFileError(path, "not a Parquet file, or its footer is damaged") from None
    columns = _column_names(path, raw, None)

    def read() -> Iterator[pa.RecordBatch]:
        done = 0
        try:
            # Without pre-buffering, pages are read as they are decoded: a row group of a
            # million rows is not held whole in memory next to its decoded batches.
            with pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20) as parquet:
                for data in parquet.iter_batches(batch_size=batch_rows):
                    yield data
                    done += data.num_rows
        except (pa.ArrowException, OSError):
            message = f"damaged Parquet file: reading stopped after row {done}"
            raise InputFileError(path, message) from None

    return columns, rows, read


# -- JSON and JSON Lines ----------------------------------------------------------------------


def _open_json(path: str) -> tuple[tuple[str, ...], int | None, _Reader]:
    # A JSON array has to be read whole before its first row is known; these files are small.
    value = read_json_value(path)
    if not isinstance(value, list):
        raise InputFileError(
            path, f"expected a JSON array of objects, one per row; found a JSON {_kind(value)}"
        )
    for position, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise InputFileError(
                path,
                f"expected a JSON array of objects, one per row; item {position} is a JSON "
                f"{_kind(item)}",
            )
    table = _table_of_rows(path, value, None)
    columns = _column_names(path, table.column_names, None)
    return columns, table.num_rows, lambda: iter(table.to_batches())


def json_kind(value: Any) -> str:
    """object, array, string, boolean, number or null."""
    return _kind(value)


def table_of_rows(path: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows of JSON values as a table, each column in the type pyarrow infers (strings if mixed)."""
    return _table_of_rows(path, rows, None)


def read_json_value(path: str) -> Any:
    """The whole JSON document of a file; an InputFileError naming the line if it is not JSON."""
    with open(path, "rb") as f:
        content = f.read()
    _refuse_utf16(path, content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _utf8_problem(path) or InputFileError(path, "not valid UTF-8") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path, f"not valid JSON at line {exc.lineno}, column {exc.colno}", exc.lineno
        ) from None
    return value


def _open_jsonl(path: str, block: int) -> tuple[tuple[str, ...], int | None, _Reader]:
    with open(path, "rb") as f:
        _refuse_utf16(path, f.read(2))
    # A first pass learns every key and settles each column's type, so that every batch has
    # the same schema however late a key or a differently typed value first appears.
    types: dict[str, pa.DataType] = {}
    rows = 0
    for line, offset, data in _line_blocks(path, block):
        table = _jsonl_block(path, line, offset, data, None)
        rows += table.num_rows
        for column in table.schema:
            kind = _json_type(column.type)
            types[column.name] = _unify(types[column.name], kind) if column.name in types else kind
    schema = pa.schema(list(types.items()))
    columns = _column_names(path, schema.names, None)

    def read() -> Iterator[pa.RecordBatch]:
        for line, offset, data in _line_blocks(path, block):
            yield from _jsonl_block(path, line, offset, data, schema).to_batches()

    return columns, rows, read


def _line_blocks(path: str, block_bytes: int) -> Iterator[tuple[int, int, bytes]]:
    """(first line number, byte offset, whole lines) blocks of about `block_bytes` each."""
    line = 1
    carry = b""
    with open(path, "rb") as f:
        offset = len(_UTF8_BOM) if f.read(len(_UTF8_BOM)) == _UTF8_BOM else 0
        f.seek(offset)
        while True:
            chunk = f.read(block_bytes)
            data = carry + chunk
            if not chunk:
                if data:
                    yield line, offset, data
                return
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data  # a line longer than a block: read on
                continue
            yield line, offset, data[:cut]
            line += data.count(b"\n", 0, cut)
            offset += cut
            carry = data[cut:]


def _jsonl_block(
    path: str, line: int, offset: int, data: bytes, schema: pa.Schema | None
) -> pa.Table:
    """Parse whole lines with pyarrow; if that fails, line by line to say where, or to cope."""
    if not data.strip():
        return schema.empty_table() if schema is not None else pa.table({})
    try:
        data.decode("utf-8")  # pyarrow's JSON reader lets invalid UTF-8 into its strings
        return pa_json.read_json(
            io.BytesIO(data),
            read_options=pa_json.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema,
                unexpected_field_behavior="infer" if schema is None else "error",
            ),
        )
    except (UnicodeDecodeError, pa.ArrowException):
        pass  # mixed types, bad JSON or bad UTF-8: pyarrow's message quotes the line
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(data.split(b"\n"), start=line):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, number, offset + exc.start) from None
        offset += len(raw) + 1
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"line {number} is not valid JSON (column {exc.colno})"
            raise InputFileError(path, message, number) from None
        if not isinstance(value, dict):
            message = f"line {number} is a JSON {_kind(value)}, not an object"
            raise InputFileError(path, message, number)
        rows.append(value)
    return _table_of_rows(path, rows, schema)


def _table_of_rows(path: str, rows: list[dict[str, Any]], schema: pa.Schema | None) -> pa.Table:
    """Rows of JSON objects as a table: keys missing from a row are null.

    Without a schema each column takes the type pyarrow infers, or strings if its values mix
    types; with one each value is made to fit its column's type.
    """
    if schema is None:
        names = list(dict.fromkeys(key for row in rows for key in row))
        arrays = [_infer_array([row.get(name) for row in rows]) for name in names]
        return pa.Table.from_arrays(arrays, names=names)
    arrays = []
    for column in schema:
        values = [_conform(row.get(column.name), column.type) for row in rows]
        try:
            arrays.append(pa.array(values, type=column.type))
        except (pa.ArrowException, OverflowError, TypeError):
            message = f"the values of column {column.name!r} cannot be read as one type"
            raise InputFileError(path, message) from None
    return pa.Table.from_arrays(arrays, schema=schema)


def _infer_array(values: list[Any]) -> pa.Array:
    try:
        return pa.array(values)
    except (pa.ArrowException, OverflowError, TypeError):
        return pa.array([None if v is None else _text(v) for v in values], type=pa.string())


def _json_type(kind: pa.DataType) -> pa.DataType:
    """JSON's own types: pyarrow reads date-like strings as timestamps; keep them strings."""
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return pa.string()
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _json_type(f.type)) for f in kind])
    if pa.types.is_list(kind):
        return pa.list_(_json_type(kind.value_type))
    return kind


def _unify(a: pa.DataType, b: pa.DataType) -> pa.DataType:
    """One type for two blocks' types of a column; strings when they do not agree."""
    if a == b or pa.types.is_null(b):
        return a
    if pa.types.is_null(a):
        return b
    if pa.types.is_integer(a) and pa.types.is_integer(b):
        return pa.int64()
    numeric = (pa.types.is_integer, pa.types.is_floating)
    if any(f(a) for f in numeric) and any(f(b) for f in numeric):
        return pa.float64()
    if pa.types.is_struct(a) and pa.types.is_struct(b):
        merged = {f.name: f.type for f in a}
        for f in b:
            merged[f.name] = _unify(merged[f.name], f.type) if f.name in merged else f.type
        return pa.struct(list(merged.items()))
    if pa.types.is_list(a) and pa.types.is_list(b):
        return pa.list_(_unify(a.value_type, b.value_type))
    return pa.string()


def _conform(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_string(kind):
        return _text(value)
    if pa.types.is_struct(kind) and isinstance(value, dict):
        return {f.name: _conform(value.get(f.name), f.type) for f in kind}
    if pa.types.is_list(kind) and isinstance(value, list):
        return [_conform(v, kind.value_type) for v in value]
    return value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


# -- XLSX -------------------------------------------------------------------------------------


def _open_xlsx(
    path: str, batch_rows: int, password: str | None
) -> tuple[tuple[str, ...], int | None, _Reader]:
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
    columns = _column_names(path, [_cell_text(c) or "" for c in cells], 1)

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
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets store every number as a float: 85073003328.0 is the integer it shows.
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time():
            return value.date().isoformat()  # Excel has no date type: a date is at midnight
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)
