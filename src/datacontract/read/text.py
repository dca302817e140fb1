"""Bytes to text, for every reader: UTF-8 with or without a BOM (UTF-16 refused with a
clear message), header names, and the text a spreadsheet or JSON value stands for."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pyarrow as pa

from datacontract.errors import InputFileError

MIB = 1 << 20


UTF8_BOM = b"\xef\xbb\xbf"


Reader = Callable[[], Iterator[pa.RecordBatch]]


Parts = Callable[[], Iterator[tuple[str, pa.RecordBatch]]]
"""The parts of a file beside its table (the other worksheets of a workbook), each batch with
the label a report may show of its part; their columns are named by position or letter."""


_NO_HEADER = " (if the first row holds data, the file has no header row)"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for a near miss of a known name, else '' (contract/references.py
    `unknown` says the same for the parts that may import it)."""
    hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6) if name else []
    return f" (did you mean {hint[0]!r}?)" if hint else ""


def column_names(path: str, raw: Iterable[str], line: int | None) -> tuple[str, ...]:
    """Header names with surrounding whitespace and BOMs stripped; empty or repeated ones refused.

    The messages give column positions, not names: a file without a header has data there.
    """
    names = tuple(n.strip().strip("\ufeff").strip() for n in raw)
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            message = f"column {position} has an empty name in the header{_NO_HEADER}"
            raise InputFileError(path, message, line)
        if name in seen:
            message = f"columns {seen[name]} and {position} have the same name in the header"
            raise InputFileError(path, message + _NO_HEADER, line)
        seen[name] = position
    return names


def utf16_problem(path: str, head: bytes) -> InputFileError | None:
    """UTF-16, with a byte-order mark or without one (Excel's "Unicode Text" export, a
    PowerShell redirection), as an error naming the encoding; None for any other file."""
    encoding = utf16_encoding(head)
    if encoding is not None:
        message = f"file is {encoding} encoded; re-save the file as UTF-8"
        return InputFileError(path, message, line=1)
    return None


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 encoding of the bytes `head` (the start of a file), named for a message:
    by its byte-order mark, or without one by its zero bytes (text in UTF-16 has a zero in
    every other byte for Latin script; UTF-8 text has none). None when it is not UTF-16."""
    if head[:2] == b"\xff\xfe":
        return "UTF-16 (little-endian, with a byte-order mark)"
    if head[:2] == b"\xfe\xff":
        return "UTF-16 (big-endian, with a byte-order mark)"
    sample = head[: 1 << 16]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.4 and even <= pairs * 0.05:
        return "UTF-16 (little-endian, without a byte-order mark)"
    if even >= pairs * 0.4 and odd <= pairs * 0.05:
        return "UTF-16 (big-endian, without a byte-order mark)"
    return None


def mid_file_bom(path: str, start: int) -> InputFileError | None:
    """A UTF-8 byte-order mark after byte `start` (files joined end to end: the second file's
    mark lands inside a value), as an error naming its line; None when there is none."""
    with open(path, "rb") as f:
        f.seek(start)
        base, lines, carry = start, 0, b""
        while chunk := f.read(MIB):
            data = carry + chunk
            at = data.find(UTF8_BOM)
            if at >= 0:
                line = lines + data.count(b"\n", 0, at) + 1
                return InputFileError(
                    path,
                    f"line {line} holds a byte-order mark (U+FEFF) in the middle of the file "
                    "(two files joined?); remove it",
                    line,
                )
            keep = len(UTF8_BOM) - 1
            lines += data.count(b"\n", 0, len(data) - keep)
            base += len(data) - keep
            carry = data[len(data) - keep :]
    return None


def refuse_utf16(path: str, head: bytes) -> None:
    problem = utf16_problem(path, head)
    if problem is not None:
        raise problem


def not_utf8(path: str, line: int, offset: int) -> InputFileError:
    return InputFileError(
        path,
        f"not valid UTF-8 at line {line} (byte offset {offset}); re-save the file as UTF-8",
        line,
    )


def utf8_problem(path: str) -> InputFileError | None:
    """The first byte that is not UTF-8, as an error; None if the whole file is valid UTF-8.

    Only called once reading has failed, so the fast path never pays for this scan.
    """
    with open(path, "rb") as f:
        problem = utf16_problem(path, f.read(2))
        if problem is not None:
            return problem
        f.seek(0)
        base = 0  # file offset of data[0]
        lines = 0  # line breaks before data[0]
        carry = b""
        while True:
            chunk = f.read(MIB)
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
                    return not_utf8(
                        path, lines + data.count(b"\n", 0, exc.start) + 1, base + exc.start
                    )
            lines += data.count(b"\n", 0, good)
            base += good
            carry = data[good:]
            if not chunk:
                return None


def text_of(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets store every number as a float: YYMMDDSSSCC.0 is the integer it shows.
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
