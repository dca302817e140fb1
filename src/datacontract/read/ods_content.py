"""The cell grid of an OpenDocument spreadsheet's content.xml, streamed (read/ods.py).

A SAX-like lxml target parser is fed 64 KiB at a time; after each chunk the rows it completed
are handed out, so memory holds one row, whatever the file. Each row comes as
`(table, repeat, cells)`: the 0-based index of its table (sheet), how many times it repeats
(`table:number-rows-repeated`, never expanded here) and its cells as the text CSV would hold
(None for an empty cell). Repeated cells (`table:number-columns-repeated`) are expanded only
up to the last non-empty one: a hostile repeat count meets `limits.COLUMNS` first, and the
empty cells a spreadsheet repeats to the last column (16,384 of them) are never made.

Typed cells (ODF 1.2, part 1, 19.385 `office:value-type`) are read as an XLSX cell is
(read/text.text_of): float, percentage and currency from `office:value`, date from
`office:date-value`, time from `office:time-value` (an ISO 8601 duration `PT10H30M00S`),
boolean from `office:boolean-value`, string from `office:string-value` or the cell's
paragraphs (joined by line breaks; `text:s`, `text:tab`, `text:line-break` as the characters
they stand for). An annotation (comment) inside a cell is not its value: it is other text.

Everything else the part holds is collected as "other text" for the checks: every text node
outside the cells' paragraphs (annotations, named ranges, validation messages, ...) and every
attribute value but a cell's value attributes (sheet names, `xlink:href`, formulas,
validation conditions, ...). The messages never hold the text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

from lxml import etree

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.text import text_of

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

_TABLE = f"{{{TABLE}}}table"
_ROW = f"{{{TABLE}}}table-row"
_CELLS = {f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell"}
_ANNOTATION = f"{{{OFFICE}}}annotation"
_P = f"{{{TEXT}}}p"
_NAME = f"{{{TABLE}}}name"
_FORMULA = f"{{{TABLE}}}formula"
_ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
_CHARACTERS = {f"{{{TEXT}}}tab": "\t", f"{{{TEXT}}}line-break": "\n"}
_SPACES = f"{{{TEXT}}}s"
_DURATION = re.compile(r"-?P(?:0+D)?T(\d+)H(\d+)M(\d+)(?:[.,](\d+))?S")
CHUNK = 1 << 16

Row = tuple[int, int, list[str | None]]


def _office(name: str) -> str:
    return f"{{{OFFICE}}}{name}"


class _Grid:
    """lxml parser target: rows of the grid into `rows`, other text into `texts`."""

    def __init__(self, path: str, collect: bool = False) -> None:
        self.path = path
        self.collect = collect
        self.rows: list[Row] = []
        self.texts: dict[str, None] = {}  # each distinct text once (style names repeat)
        self.sheets: list[str] = []
        self._stack: list[str] = []
        self._table = -1
        self._row: list[str | None] | None = None
        self._row_repeat = 1
        self._pending_empty = 0  # empty cells not yet known to be followed by a value
        self._cell: dict[str, str] | None = None
        self._cell_depth = 0
        self._annotation = 0
        self._paragraphs = 0
        self._buffer: list[str] = []
        self._size = 0
        self._row_number = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._stack.append(tag)
        if self._cell is not None:
            self._inside_cell(tag, attrib)
            return
        if tag == _TABLE:
            self._table += 1
            self.sheets.append(attrib.get(_NAME, ""))
            self._row_number = 0
        elif tag == _ROW and self._table >= 0:
            self._row, self._pending_empty = [], 0
            self._row_repeat = _count(self.path, attrib.get(_ROWS_REPEATED))
        elif tag in _CELLS and self._row is not None:
            self._cell, self._cell_depth = dict(attrib), len(self._stack)
            self._buffer, self._size, self._paragraphs = [], 0, 0
            if _FORMULA in attrib:
                self._keep([attrib[_FORMULA]])
            return
        self._keep(attrib.values())

    def _inside_cell(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _ANNOTATION or self._annotation:
            self._annotation += 1
            self._keep(attrib.values())
            return
        self._keep(attrib.values())  # a link's target, a span's title
        if tag == _P and len(self._stack) == self._cell_depth + 1:
            if self._paragraphs:
                self._add("\n")
            self._paragraphs += 1
        elif tag in _CHARACTERS:
            self._add(_CHARACTERS[tag])
        elif tag == _SPACES:
            self._add(" " * min(_count(self.path, attrib.get(f"{{{TEXT}}}c")), limits.CELL_BYTES))

    def data(self, text: str) -> None:
        if self._cell is not None and not self._annotation:
            self._add(text)
        else:
            self._keep([text])

    def _keep(self, texts: Iterable[str]) -> None:
        if self.collect:
            for text in texts:
                if text.strip():
                    self.texts[text] = None

    def _add(self, text: str) -> None:
        self._size += len(text)
        if self._size > limits.CELL_BYTES:
            size = limits.size_text(limits.CELL_BYTES)
            row = self._row_number + 1
            message = f"row {row} holds a cell longer than {size}, the limit for a cell"
            raise InputFileError(self.path, message, row)
        self._buffer.append(text)

    def end(self, tag: str) -> None:
        self._stack.pop()
        if self._cell is not None:
            if self._annotation:
                self._annotation -= 1
            elif len(self._stack) == self._cell_depth - 1:
                self._end_cell()
        elif tag == _ROW and self._row is not None:
            self.rows.append((self._table, self._row_repeat, self._row))
            self._row_number += self._row_repeat
            self._row = None

    def _end_cell(self) -> None:
        assert self._cell is not None and self._row is not None
        value = self._value(self._cell, "".join(self._buffer))
        repeat = _count(self.path, self._cell.get(_COLUMNS_REPEATED))
        self._cell = None
        if value is None:
            self._pending_empty += repeat
            return
        width = len(self._row) + self._pending_empty + repeat
        if width > limits.COLUMNS:
            raise InputFileError(
                self.path,
                f"row {self._row_number + 1} of a sheet reaches column {width:,}; the limit "
                f"is {limits.COLUMNS:,} columns per file",
                self._row_number + 1,
            )
        self._row.extend([None] * self._pending_empty)
        self._row.extend([value] * repeat)
        self._pending_empty = 0

    def _value(self, cell: dict[str, str], text: str) -> str | None:
        kind = cell.get(_office("value-type"))
        try:
            return _typed(kind, cell, text)
        except (ValueError, OverflowError):
            row = self._row_number + 1
            message = f"damaged ODS spreadsheet: a {kind} cell of row {row} has no valid value"
            raise InputFileError(self.path, message, row) from None

    def close(self) -> None:
        return None


def _typed(kind: str | None, cell: dict[str, str], text: str) -> str | None:
    if kind in ("float", "percentage", "currency"):
        return text_of(float(cell[_office("value")]))
    if kind == "date":
        value = cell[_office("date-value")]
        if "T" in value:
            return text_of(dt.datetime.fromisoformat(value))
        return text_of(dt.date.fromisoformat(value))
    if kind == "time":
        value = cell[_office("time-value")]
        match = _DURATION.fullmatch(value)
        if match is None:
            raise ValueError(kind)
        hours, minutes, seconds = (int(g) for g in match.groups()[:3])
        micro = int((match.group(4) or "0")[:6].ljust(6, "0"))
        if hours < 24 and not value.startswith("-"):
            return text_of(dt.time(hours, minutes, seconds, micro))
        return value  # a duration of a day or more, as written
    if kind == "boolean":
        value = cell[_office("boolean-value")].strip().lower()
        if value not in ("true", "false"):
            raise ValueError(kind)
        return value
    if kind == "string" and _office("string-value") in cell:
        text = cell[_office("string-value")]
    return text or None


def _count(path: str, value: str | None) -> int:
    """A repeat count: a positive integer (ODF's positiveInteger), 1 when absent."""
    if value is None:
        return 1
    if not value.isdigit() or not 0 < int(value) < 1 << 31:
        raise InputFileError(path, "damaged ODS spreadsheet: a repeat count is not a number")
    return int(value)


def grid(path: str, content: IO[bytes], texts: list[str] | None = None) -> Iterator[Row]:
    """The rows of every table of `content` (content.xml), in order; the other text, and
    each table's name, appended to `texts` when given (after the last row)."""
    target = _Grid(path, collect=texts is not None)
    yield from _grid_with(path, content, target)
    if texts is not None:
        texts.extend(target.texts)


def _grid_with(path: str, content: IO[bytes], target: _Grid) -> Iterator[Row]:
    parser = etree.XMLParser(
        target=cast(Any, target),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    try:
        while chunk := content.read(CHUNK):
            parser.feed(chunk)
            yield from target.rows
            target.rows.clear()
        parser.close()
    except etree.XMLSyntaxError:
        raise InputFileError(
            path, "damaged ODS spreadsheet: content.xml is not well formed"
        ) from None
    yield from target.rows


def survey(path: str, content: IO[bytes]) -> list[tuple[str, bool]]:
    """Each table's name and whether any of its cells holds a value."""
    target = _Grid(path)
    holding: set[int] = set()
    for table, _, cells in _grid_with(path, content, target):
        if any(c is not None for c in cells):
            holding.add(table)
    return [(name, i in holding) for i, name in enumerate(target.sheets)]


def all_text(path: str, part: IO[bytes], what: str) -> list[str]:
    """Every text node and attribute value of an XML part (meta.xml, styles.xml, ...)."""
    out: list[str] = []
    try:
        for _, element in etree.iterparse(
            part, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            if isinstance(element.tag, str):
                out.extend(v for v in element.attrib.values())
                out.extend(t for t in (element.text, element.tail) if t)
            element.clear(keep_tail=False)
    except etree.XMLSyntaxError:
        message = f"damaged ODS spreadsheet: {what} is not well formed"
        raise InputFileError(path, message) from None
    return [t for t in out if t.strip()]
