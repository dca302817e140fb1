"""The limits of datacontract/limits.py as they apply to data files, checked before a parser
that could be overwhelmed sees the bytes.

- JSON nesting: pyarrow's JSON reader recurses once per level and crashes the process (not an
  exception: a segfault) on lines nested some ten thousand deep; Python's decoder raises
  RecursionError. `deepest_line` finds a line nested deeper than `limits.NESTING` first, in C
  speed for ordinary data: a line with no more opening brackets than the limit cannot be too
  deep, and only lines with more are reduced bracket pair by bracket pair.
- XLSX and ODS zip members: their declared sizes are checked before anything is inflated
  (`check_package_zip`); Python's zipfile then stops inflating a member at its declared size
  and refuses one whose content does not match (BadZipFile), so a lying header cannot make
  it inflate more.
- Parquet column chunks: their declared sizes, the same ratio (`check_parquet_chunks`).
- Columns: `check_columns` refuses a file with more than `limits.COLUMNS` columns, before a row
  is parsed.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from datacontract import limits
from datacontract.errors import InputFileError

_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_PAIR = re.compile(rb"[\[{][\]}]")


def deepest_line(data: bytes, limit: int = limits.NESTING) -> int | None:
    """The 0-based index of the first line of `data` nested deeper than `limit`, or None."""
    if data.count(b"{") + data.count(b"[") <= limit:
        return None
    for index, line in enumerate(data.split(b"\n")):
        if line.count(b"{") + line.count(b"[") > limit and _too_deep(line, limit):
            return index
    return None


def too_deep(document: bytes, limit: int = limits.NESTING) -> bool:
    """Whether a whole JSON document, over however many lines, nests deeper than `limit`."""
    return document.count(b"{") + document.count(b"[") > limit and _too_deep(document, limit)


def _too_deep(line: bytes, limit: int) -> bool:
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", line))
    for _ in range(limit):
        reduced = _PAIR.sub(b"", brackets)
        if reduced == brackets:
            return False
        brackets = reduced
    # A pair still left after `limit` rounds sits more than `limit` levels deep.
    return _PAIR.search(brackets) is not None


def check_columns(path: str, count: int) -> None:
    if count > limits.COLUMNS:
        raise InputFileError(
            path,
            f"has {count:,} columns; the limit is {limits.COLUMNS:,} columns per file",
            1,
        )


def check_cell(path: str, text: str, row: int) -> None:
    if len(text) > limits.CELL_BYTES:
        size = limits.size_text(limits.CELL_BYTES)
        raise InputFileError(
            path, f"row {row} holds a cell longer than {size}, the limit for a cell", row
        )


def check_workbook_zip(path: str, source: str | io.BytesIO) -> None:
    """Refuse an XLSX workbook over the zip limits (see check_package_zip)."""
    check_package_zip(path, source, "XLSX workbook")


def check_package_zip(path: str, source: str | io.BytesIO, kind: str) -> None:
    """Refuse a zip package (`kind`: "XLSX workbook", "ODS spreadsheet") whose members declare
    more than limits.XLSX_INFLATED bytes in all, or a member that inflates more than
    limits.INFLATE_RATIO times (see check_ratio)."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputFileError(path, f"not a readable {kind} (a damaged zip archive)") from None
    finally:
        if isinstance(source, io.BytesIO):
            source.seek(0)
    noun = kind.split()[-1]
    total = 0
    for member in members:
        total += member.file_size
        if total > limits.XLSX_INFLATED:
            size = limits.size_text(limits.XLSX_INFLATED)
            raise InputFileError(
                path, f"the {noun} inflates to more than {size}, the limit for a {noun}"
            )
        check_ratio(path, f"a part of the {noun}", member.compress_size, member.file_size)


def check_ratio(path: str, what: str, packed: int, inflated: int) -> None:
    """Refuse `what` when it inflates from `packed` to `inflated` bytes more than
    limits.INFLATE_RATIO times (and to more than limits.INFLATE_RATIO_FROM bytes)."""
    if inflated > limits.INFLATE_RATIO_FROM and inflated > max(packed, 1) * limits.INFLATE_RATIO:
        raise InputFileError(
            path,
            f"{what} inflates {inflated // max(packed, 1):,} times; the limit is "
            f"{limits.INFLATE_RATIO} times (a compression bomb?)",
        )


def check_parquet_chunks(path: str, metadata: Any) -> None:
    """Refuse a Parquet file whose column chunks declare a compression bomb (before reading)."""
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for column in range(row_group.num_columns):
            chunk = row_group.column(column)
            packed, inflated = chunk.total_compressed_size, chunk.total_uncompressed_size
            check_ratio(path, f"column {column + 1} of row group {group + 1}", packed, inflated)
