"""CSV files (and Excel's `.txt` exports of them) as Arrow record batches of strings.

UTF-8 with or without a BOM (UTF-16, with a BOM or without, is named and refused, and so is a
BOM in the middle of the file); the delimiter is the one of `,`, `;`, tab and `|` the header
holds most often (or the one Excel's `sep=` first line names). Parsed by pyarrow in blocks of
`block` bytes (1 MiB; a row must fit in one), so memory stays flat however long the file. Every
column arrives as strings: coerce.py casts, so that pyarrow never raises an error quoting a
value. pyarrow's messages quote rows: none is passed on; a bad row is named by its line.
"""

from __future__ import annotations

import contextlib
import csv
import re
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pa_csv

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.bounds import check_columns
from datacontract.read.format_types import SampleTable
from datacontract.read.text import (
    MIB,
    UTF8_BOM,
    Reader,
    column_names,
    mid_file_bom,
    not_utf8,
    refuse_utf16,
    utf8_problem,
)


def open_delimited(path: str, size: int, block: int) -> tuple[tuple[str, ...], int | None, Reader]:
    with open(path, "rb") as f:
        head = f.read(MIB)
    refuse_utf16(path, head)
    start = len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0
    joined = mid_file_bom(path, start)
    if joined is not None:
        raise joined
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


_DELIMITERS = (b",", b";", b"\t", b"|")
"""The delimiters sniffed, the first winning a tie: `,` (RFC 4180), `;` (Excel in Belgian
locales), tab (Excel's "Text (tab delimited)" export, often a `.txt`), `|`."""


def _sniff_header(head: bytes, start: int) -> tuple[int | None, str]:
    """End of the header record, and its delimiter: the one of _DELIMITERS the header holds
    most often outside quotes (`,` when it holds none: a single column).

    Bytes, not text: in UTF-8 no byte of a multi-byte character is a quote or a delimiter.
    """
    quoted = False
    counts = dict.fromkeys(_DELIMITERS, 0)
    end: int | None = None
    for i in range(start, len(head)):
        byte = head[i : i + 1]
        if byte == b'"':
            quoted = not quoted
        elif quoted:
            continue
        elif byte in counts:
            counts[byte] += 1
        elif byte in (b"\n", b"\r"):
            end = i
            break
    best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals
    return end, best.decode("ascii")


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


def write_csv(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer: a header and the rows, UTF-8, `,` delimited (pyarrow's writer)."""
    import pyarrow.csv as pacsv

    pacsv.write_csv(table.arrow(), out)
