"""Where data files are opened: every format streamed as Arrow record batches.

CSV and Parquet are read here; JSON and JSON Lines in read/json_lines.py, XLSX in
read/workbook.py, the text helpers they share in read/text.py, the text outside a table in
read/file_text.py.

`open_table` looks at a file once (its header, its schema, or for JSON Lines a first pass over
the whole file) and returns a `TableSource`; `TableSource.batches()` then reads the rows in
batches of `batch_rows` (the last one fewer). CSV and JSON Lines are parsed in blocks of 1 MiB
whose rows are gathered into those batches, so memory stays flat however long the file is.

Types. CSV and XLSX arrive as strings, every column, so that a value of the wrong type never
makes pyarrow raise an error that quotes it (coerce.py casts). Parquet keeps its types; JSON
keeps JSON's (objects and lists as structs and lists; a column of mixed types as strings).

Row numbers. `Batch.first_row` is the 1-based number of the batch's first data row, the header
not counted. In a CSV file that row sits on line `first_row + 1` only if no earlier row has a
quoted line break and there are no blank lines (pyarrow skips those; JSON Lines too). In an
XLSX worksheet it is always `first_row + 1` (only trailing empty rows are dropped).

Errors. Every problem with a file is an `InputFileError` naming the file and, where it applies,
the line; pyarrow's own messages quote cell text, so none is ever passed on.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.bounds import check_columns, check_parquet_chunks
from datacontract.read.file_text import LABEL_PARQUET, as_parts, parquet_text
from datacontract.read.json_lines import open_json, open_jsonl
from datacontract.read.magda_xml import open_magda_xml
from datacontract.read.text import (
    MIB,
    UTF8_BOM,
    Parts,
    Reader,
    column_names,
    did_you_mean,
    not_utf8,
    refuse_utf16,
    utf8_problem,
)
from datacontract.read.workbook import is_encrypted, open_xlsx

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xml": "xml",
}
"""File extension (lower case) -> format."""


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
    _read: Reader = field(repr=False, compare=False)
    encrypted: bool = False
    """Whether the file was encrypted at rest (a password-protected XLSX workbook)."""
    other_parts: Parts | None = field(default=None, repr=False, compare=False)
    """The rest of the file that is not the table (the other worksheets holding data of a
    workbook), for the checks of forbidden content; None when there is none."""

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
    sheet: str | None = None,
) -> TableSource:
    """Open a data file as a table; the format is chosen by its extension.

    `password` opens an encrypted XLSX workbook. CSV and JSON Lines are parsed `block_bytes`
    at a time (1 MiB by default; a CSV row must fit in one block), and the blocks' rows are
    gathered into batches of `batch_rows`: small blocks keep pyarrow's buffers small.
    `sheet` names the worksheet of a workbook holding more than one table (see read/workbook.py).
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
        message = f"unknown file type {suffix or '(none)'!r}{did_you_mean(suffix, FORMATS)}"
        raise InputFileError(name, f"{message}; known: {', '.join(FORMATS)}")
    if size == 0:
        raise InputFileError(name, "file is empty")
    block = block_bytes or MIB
    if sheet is not None and fmt != "xlsx":
        raise InputFileError(name, f"--sheet applies to workbooks (.xlsx); this is a {fmt} file")
    others: Parts | None = None
    if fmt == "csv":
        columns, rows, read = _open_csv(name, size, block)
    elif fmt == "parquet":
        columns, rows, read = _open_parquet(name, batch_rows)
        others = as_parts(LABEL_PARQUET, parquet_text(name))
    elif fmt == "jsonl":
        columns, rows, read = open_jsonl(name, block)
    elif fmt == "json":
        columns, rows, read = open_json(name)
    elif fmt == "xml":
        columns, rows, read = open_magda_xml(name)
    else:
        columns, rows, read, others = open_xlsx(name, batch_rows, password, sheet)
    if not columns and rows == 0:  # `[]`, blank lines: as empty as a file of no bytes
        raise InputFileError(name, "file is empty")
    return TableSource(
        name,
        fmt,
        columns,
        rows,
        size,
        batch_rows,
        read,
        encrypted=is_encrypted(name, fmt),
        other_parts=others,
    )


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file's bytes, in hex, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with limits.open_regular(path) as f:
        while chunk := f.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


# -- shared -----------------------------------------------------------------------------------


def _file_size(path: str) -> int:
    try:
        return limits.check_regular(path)
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except PermissionError:
        raise InputFileError(path, "cannot be read: permission denied") from None
    except limits.NotRegularFile as exc:
        raise InputFileError(path, str(exc.strerror)) from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read: {exc.strerror}") from None


# -- CSV --------------------------------------------------------------------------------------


def _open_csv(path: str, size: int, block: int) -> tuple[tuple[str, ...], int | None, Reader]:
    with open(path, "rb") as f:
        head = f.read(MIB)
    refuse_utf16(path, head)
    start = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    # Excel's "sep=;" first line names the delimiter; the header is the line after it.
    given = _SEP_LINE.match(head, start)
    skip = 0
    if given is not None:
        start, skip = given.end(), 1
    end, delimiter = _sniff_header(head, start)
    if given is not None:
        delimiter = given.group(1).decode("ascii")
    if end is None:
        if size > len(head):
            raise InputFileError(path, "line 1 is longer than 1 MiB; is this a CSV file?", 1)
        end = len(head)
    try:
        header = head[start:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(path, 1 + skip, start + exc.start) from None
    if not header.strip():
        line = 1 + skip
        raise InputFileError(path, f"line {line} is empty; it must be the header", line)
    # Counted before the csv module or pyarrow parse anything: pyarrow takes minutes over a
    # header of 100,000 columns, and a quoted delimiter only makes the count an upper bound.
    try:
        if header.count(delimiter) >= limits.COLUMNS:
            check_columns(path, len(next(csv.reader([header], delimiter=delimiter))))
        raw = next(csv.reader([header], delimiter=delimiter))
    except csv.Error:  # a NUL byte, or a quote the header does not close
        line = 1 + skip
        raise InputFileError(
            path, f"line {line}, the header, cannot be read as CSV", line
        ) from None
    columns = column_names(path, raw, 1 + skip)
    if size <= len(head) and not head[end:].strip(b"\r\n"):
        return columns, 0, lambda: iter(())  # a header and nothing else: no rows, not an error

    def read() -> Iterator[pa.RecordBatch]:
        invalid: list[Any] = []

        def on_invalid_row(row: Any) -> str:
            invalid.append(row)  # row.text holds cell values: never looked at
            return "error"

        rows = 0
        try:
            with _quiet_callbacks():
                reader = _open_pyarrow_csv(path, block, skip, delimiter, raw, on_invalid_row)
            if reader.schema.names != raw:
                raise InputFileError(path, "the header cannot be read consistently", 1)
            batches = iter(reader)
            while True:
                with _quiet_callbacks():
                    data = next(batches, None)
                if data is None:
                    break
                yield data
                rows += data.num_rows
        except (pa.ArrowException, OSError):
            # pyarrow's message quotes the row: replace it, and drop the chain that holds it.
            raise _csv_problem(path, delimiter, block, invalid, rows) from None

    return columns, None, read


@contextlib.contextmanager
def _quiet_callbacks() -> Iterator[None]:
    """pyarrow decodes an invalid row's text before it calls our handler; on invalid UTF-8
    that fails inside pyarrow, which prints the traceback as an "exception ignored" (with the
    row's bytes in it) before it reports the error we turn into a message. Keep it quiet."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _open_pyarrow_csv(
    path: str, block: int, skip: int, delimiter: str, raw: list[str], on_invalid_row: Any
) -> Any:
    return pa_csv.open_csv(
        path,
        # Single-threaded, pyarrow numbers invalid rows; on two cores it is no slower.
        read_options=pa_csv.ReadOptions(block_size=block, use_threads=False, skip_rows=skip),
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


_SEP_LINE = re.compile(rb"[sS][eE][pP]=([,;\t|])\r?\n")


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
    return utf8_problem(path) or InputFileError(
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


def _open_parquet(path: str, batch_rows: int) -> tuple[tuple[str, ...], int | None, Reader]:
    try:
        with pq.ParquetFile(path) as parquet:
            raw: list[str] = parquet.schema_arrow.names
            rows: int = parquet.metadata.num_rows
            check_columns(path, len(raw))
            check_parquet_chunks(path, parquet.metadata)
    except (pa.ArrowException, OSError):
        raise InputFileError(path, "not a Parquet file, or its footer is damaged") from None
    columns = column_names(path, raw, None)

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
