"""JSON and JSON Lines as Arrow record batches (see read/table.py for the contract of a reader).

JSON and JSON Lines keep JSON's scalar types and nested objects and lists as struct and list
columns; a column whose values mix types across rows is read as strings instead. A JSON file
is an array of objects, read whole (these files are small); JSON Lines are parsed in blocks.

A JSON object with the same key twice is refused (exit 2), naming the line and the key (or
its position, when the key looks like personal data): readers disagree on which value wins,
so a value could ride along unchecked behind its namesake. NaN and Infinity, which JSON does
not define but many writers emit, are read as null: empty, as in the other formats.
"""

from __future__ import annotations

import io
import json
import json.decoder
import json.scanner
from collections.abc import Iterator
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.json as pa_json

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.personal.redact import looks_personal
from datacontract.read.bounds import check_columns, deepest_line, too_deep
from datacontract.read.format_types import SampleTable
from datacontract.read.text import (
    UTF8_BOM,
    Reader,
    column_names,
    not_utf8,
    refuse_utf16,
    text_of,
    utf8_problem,
)

Carried = dict[str, int]
"""How many rows write each key (a row without the key leaves the column out)."""


def open_json(path: str) -> tuple[tuple[str, ...], int | None, Reader, Carried]:
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
    check_columns(path, len({key for item in value for key in item}))
    table = _table_of_rows(path, value, None)
    columns = column_names(path, table.column_names, None)
    carried: Carried = {}
    for item in value:
        for key in item:
            carried[key] = carried.get(key, 0) + 1
    return columns, table.num_rows, lambda: iter(table.to_batches()), carried


def json_kind(value: Any) -> str:
    """object, array, string, boolean, number or null."""
    return _kind(value)


def table_of_rows(path: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows of JSON values as a table, each column in the type pyarrow infers (strings if mixed)."""
    return _table_of_rows(path, rows, None)


def read_json_value(path: str) -> Any:
    """The whole JSON document of a file; an InputFileError naming the line if it is not JSON,
    if it is larger than limits.JSON_BYTES or nested deeper than limits.NESTING."""
    try:
        content = limits.read_regular(path, limits.JSON_BYTES, "a JSON document")
    except OSError as exc:
        raise InputFileError(path, str(exc.strerror)) from None
    refuse_utf16(path, content)
    if too_deep(content):
        raise InputFileError(path, _too_deep(None))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise utf8_problem(path) or InputFileError(path, "not valid UTF-8") from None
    try:
        value = loads_unique(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            path, f"not valid JSON at line {exc.lineno}, column {exc.colno}", exc.lineno
        ) from None
    except DuplicateKey as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise InputFileError(path, exc.describe(), line) from None
    except RecursionError:
        raise InputFileError(path, _too_deep(None)) from None
    return value


def _too_deep(line: int | None) -> str:
    where = f"line {line} is" if line is not None else "the document is"
    return f"{where} nested deeper than {limits.NESTING} levels, the limit for JSON"


_SURROGATE = (
    "a string holds a lone surrogate escape (\\ud800 to \\udfff without its pair): not text"
)


class DuplicateKey(ValueError):
    """A JSON object holds one key twice; `position` is the object's offset in the text."""

    def __init__(self, key: str, index: int, position: int = -1) -> None:
        super().__init__("duplicate key")
        self.key, self.index, self.position = key, index, position

    def describe(self) -> str:
        if looks_personal(self.key):
            which = f"its key {self.index + 1} (name withheld)"
        else:
            which = f"the key {self.key!r}"
        return f"a JSON object holds {which} twice; which value counts is ambiguous"


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for index, (key, value) in enumerate(pairs):
        if key in out:
            raise DuplicateKey(key, index)
        out[key] = value
    return out


def _parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[dict[str, Any], int]:
    try:
        return json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined,no-any-return]
    except DuplicateKey as exc:
        if exc.position < 0:
            exc.position = s_and_end[1]
        raise


def _unique_decoder() -> json.JSONDecoder:
    # NaN, Infinity and -Infinity (not JSON, but many writers emit them) are read as null:
    # empty, as an empty cell of CSV or a spreadsheet is, whatever the column's type.
    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=lambda _: None)
    decoder.parse_object = _parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder


_UNIQUE = _unique_decoder()


def loads_unique(text: str) -> Any:
    """json.loads that refuses an object with a duplicate key (DuplicateKey, with its offset).

    The pure-Python scanner is used so that the offset is known; JSON documents are small and
    JSON Lines take this path only for the lines pyarrow's reader refused.
    """
    return _UNIQUE.decode(text)


def open_jsonl(path: str, block: int) -> tuple[tuple[str, ...], int | None, Reader, Carried]:
    with open(path, "rb") as f:
        refuse_utf16(path, f.read(1 << 16))
    # A first pass learns every key and settles each column's type, so that every batch has
    # the same schema however late a key or a differently typed value first appears.
    # It also counts the rows that write each key: a column a few rows carry is reported
    # over those rows, not over the file.
    types: dict[str, pa.DataType] = {}
    carried: Carried = {}
    rows = 0
    for line, offset, data in _line_blocks(path, block):
        table = _jsonl_block(path, line, offset, data, None)
        check_columns(path, len(set(types) | set(table.schema.names)))
        for name, count in _carried_in_block(data, table).items():
            carried[name] = carried.get(name, 0) + count
        rows += table.num_rows
        for column in table.schema:
            kind = _json_type(column.type)
            types[column.name] = _unify(types[column.name], kind) if column.name in types else kind
    schema = pa.schema(list(types.items()))
    columns = column_names(path, schema.names, None)

    def read() -> Iterator[pa.RecordBatch]:
        for line, offset, data in _line_blocks(path, block):
            yield from _jsonl_block(path, line, offset, data, schema).to_batches()

    return columns, rows, read, carried


def _carried_in_block(data: bytes, table: pa.Table) -> Carried:
    """How many of a block's rows write each of its columns' keys. A column without nulls is
    written by every row; only the rows where some column is null (the key left out, or
    written `null`) are parsed again to tell which (the block parsed whole already)."""
    carried: Carried = {}
    gaps: dict[int, list[str]] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        carried[name] = table.num_rows
        if column.null_count:
            nulls = np.flatnonzero(np.asarray(column.is_null().to_numpy(zero_copy_only=False)))
            for row in nulls.tolist():
                gaps.setdefault(row, []).append(name)
    if not gaps:
        return carried
    lines = [raw for raw in data.split(b"\n") if raw.strip()]
    for row, names in gaps.items():
        try:
            written = loads_unique(lines[row].decode("utf-8"))
        except (ValueError, IndexError):
            continue  # the reader itself refuses such a line, naming it; counted as written
        if not isinstance(written, dict):
            continue
        for name in names:
            if name not in written:
                carried[name] -= 1
    return carried


def _line_blocks(path: str, block_bytes: int) -> Iterator[tuple[int, int, bytes]]:
    """(first line number, byte offset, whole lines) blocks of about `block_bytes` each."""
    line = 1
    carry = b""
    with open(path, "rb") as f:
        offset = len(UTF8_BOM) if f.read(len(UTF8_BOM)) == UTF8_BOM else 0
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
                if len(data) > limits.JSON_BYTES:
                    size = limits.size_text(limits.JSON_BYTES)
                    message = f"line {line} is longer than {size}, the limit for a JSON line"
                    raise InputFileError(path, message, line)
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
    deep = deepest_line(data)
    if deep is not None:
        # before pyarrow: its reader crashes the process on lines nested thousands deep
        raise InputFileError(path, _too_deep(line + deep), line + deep)
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
            raise not_utf8(path, number, offset + exc.start) from None
        offset += len(raw) + 1
        if not text.strip():
            continue
        try:
            value = loads_unique(text)
        except json.JSONDecodeError as exc:
            message = f"line {number} is not valid JSON (column {exc.colno})"
            raise InputFileError(path, message, number) from None
        except DuplicateKey as exc:
            raise InputFileError(path, exc.describe(), number) from None
        if not isinstance(value, dict):
            message = f"line {number} is a JSON {_kind(value)}, not an object"
            raise InputFileError(path, message, number)
        rows.append(value)
    return _table_of_rows(path, rows, schema)


def _table_of_rows(path: str, rows: list[dict[str, Any]], schema: pa.Schema | None) -> pa.Table:
    """Rows of JSON objects as a table: keys missing from a row are null.

    Without a schema each column takes the type pyarrow infers, or strings if its values mix
    types; with one each value is made to fit its column's type. A string (or key) that holds
    a lone surrogate is not text: an InputFileError.
    """
    try:
        return _rows_as_table(path, rows, schema)
    except UnicodeEncodeError:
        raise InputFileError(path, _SURROGATE) from None


def _rows_as_table(path: str, rows: list[dict[str, Any]], schema: pa.Schema | None) -> pa.Table:
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
        return pa.array([None if v is None else text_of(v) for v in values], type=pa.string())


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
        return text_of(value)
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


def write_json(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer of JSON: one array of the rows as objects."""
    out.write((json.dumps(table.rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def write_jsonl(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer of JSON Lines: one object per line."""
    for row in table.rows:
        out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
