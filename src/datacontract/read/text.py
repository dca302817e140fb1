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


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
    if head[:2] in UTF16_BOMS:
        return InputFileError(path, "file is UTF-16 encoded; re-save the file as UTF-8", line=1)
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
