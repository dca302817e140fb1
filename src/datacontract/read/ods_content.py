"""The cell grid of an OpenDocument spreadsheet's content.xml, streamed (read/ods.py).

lxml's iterparse hands out each row as it ends (and the row is then dropped), so memory holds
one row, whatever the file. Each row comes as
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
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.text import text_of

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

_TABLE = f"{{{TABLE}}}table"
_ROW = f"{{{TABLE}}}table-row"
_CELLS = (f"{{{TABLE}}}table-cell", f"{{{TABLE}}}covered-table-cell")
_P = f"{{{TEXT}}}p"
_NAME = f"{{{TABLE}}}name"
_FORMULA = f"{{{TABLE}}}formula"
_ROWS_REPEATED = f"{{{TABLE}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{{{TABLE}}}number-columns-repeated"
_CHARACTERS = {f"{{{TEXT}}}tab": "\t", f"{{{TEXT}}}line-break": "\n"}
_SPACES = f"{{{TEXT}}}s"
_VALUE_TYPE = f"{{{OFFICE}}}value-type"
_STRING_VALUE = f"{{{OFFICE}}}string-value"
_SKIPPED = {f"{{{OFFICE}}}annotation", f"{{{TEXT}}}note"}  # text beside the value, not it
_DURATION = re.compile(r"-?P(?:0+D)?T(\d+)H(\d+)M(\d+)(?:[.,](\d+))?S")
_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True, "huge_tree": False}

Row = tuple[int, int, list[str | None]]


def _office(name: str) -> str:
    return f"{{{OFFICE}}}{name}"


def grid(path: str, content: IO[bytes], sheets: list[str] | None = None) -> Iterator[Row]:
    """The rows of every table of `content` (content.xml), in order: (table, repeat, cells).
    Each table's name is appended to `sheets` when given, as its start is read."""
    table = -1
    number = 0
    try:
        for event, element in etree.iterparse(
            content, events=("start", "end"), tag=(_TABLE, _ROW), **_OPTIONS
        ):
            if _in_cell(element):
                continue  # a table inside a cell (a drawing's): its text is the cell's
            if element.tag == _TABLE:
                if event == "start":
                    table, number = table + 1, 0
                    if sheets is not None:
                        sheets.append(element.get(_NAME, ""))
                continue
            if event == "start":
                continue
            repeat = _count(path, element.get(_ROWS_REPEATED))
            yield table, repeat, _cells(path, element, number + 1)
            number += repeat
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError:
        message = "damaged ODS spreadsheet: content.xml is not well formed"
        raise InputFileError(path, message) from None


def _in_cell(element: Any) -> bool:
    return any(a.tag in _CELLS for a in element.iterancestors())


def _cells(path: str, row: Any, number: int) -> list[str | None]:
    """A row's cells, repeated cells expanded up to the last one holding a value."""
    out: list[str | None] = []
    empty = 0  # empty cells not yet known to be followed by a value
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeated = cell.get(_COLUMNS_REPEATED)
        repeat = 1 if repeated is None else _count(path, repeated)
        kind = cell.get(_VALUE_TYPE)
        try:
            if kind is None and not len(cell):
                value = None
            elif kind in (None, "string") and cell.get(_STRING_VALUE) is None:
                value = _cell_text(path, cell, number) or None  # the common case, fast
            else:
                value = _typed(kind, cell.attrib, _cell_text(path, cell, number))
        except (ValueError, OverflowError, KeyError):
            message = f"damaged ODS spreadsheet: a {kind} cell of row {number} has no valid value"
            raise InputFileError(path, message, number) from None
        if value is None:
            empty += repeat
            continue
        width = len(out) + empty + repeat
        if width > limits.COLUMNS:
            raise InputFileError(
                path,
                f"row {number} of a sheet reaches column {width:,}; the limit is "
                f"{limits.COLUMNS:,} columns per file",
                number,
            )
        out.extend([None] * empty)
        out.extend([value] * repeat)
        empty = 0
    return out


def _cell_text(path: str, cell: Any, number: int) -> str:
    """The cell's paragraphs, joined by line breaks (its annotation left out); refused past
    limits.CELL_BYTES before a longer string is built (`text:s text:c` repeats a space)."""
    if len(cell) == 1 and cell[0].tag == _P and not len(cell[0]):
        text = cell[0].text or ""  # one paragraph of plain text
    else:
        budget = [limits.CELL_BYTES + 1]
        try:
            text = "\n".join(_paragraph(p, budget) for p in cell if p.tag == _P)
        except _TooLong:
            text = " " * (limits.CELL_BYTES + 1)  # (only its length is looked at)
    if len(text) > limits.CELL_BYTES:
        size = limits.size_text(limits.CELL_BYTES)
        message = f"row {number} holds a cell longer than {size}, the limit for a cell"
        raise InputFileError(path, message, number)
    return text


class _TooLong(Exception):
    pass


def _paragraph(element: Any, budget: list[int]) -> str:
    """One paragraph's text; `budget[0]` is what may still be added (_TooLong past it)."""
    parts = [element.text or ""]
    budget[0] -= len(parts[0])
    for child in element:
        tag = child.tag
        piece = ""
        if tag == _SPACES:
            count = child.get(f"{{{TEXT}}}c", "1")
            wanted = int(count) if count.isdigit() else 1
            if wanted > budget[0]:
                raise _TooLong
            piece = " " * wanted
        elif tag in _CHARACTERS:
            piece = _CHARACTERS[tag]
        elif tag not in _SKIPPED and isinstance(tag, str):
            parts.append(_paragraph(child, budget))  # charged inside
        tail = child.tail or ""
        parts += [piece, tail]
        budget[0] -= len(piece) + len(tail)
        if budget[0] < 0:
            raise _TooLong
    return "".join(parts)


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


def survey(path: str, content: IO[bytes]) -> list[tuple[str, bool]]:
    """Each table's name and whether any of its cells holds a value."""
    sheets: list[str] = []
    holding: set[int] = set()
    for table, _, cells in grid(path, content, sheets):
        if cells:
            holding.add(table)
    return [(name, i in holding) for i, name in enumerate(sheets)]


def other_text(path: str, content: IO[bytes]) -> list[str]:
    """Every text of content.xml but the cells' values: text nodes outside the cells'
    paragraphs (annotations, named ranges, validation messages, ...) and every attribute
    value but a cell's own (sheet names, links, formulas, validation conditions, ...)."""
    out: dict[str, None] = {}  # each distinct text once: style names repeat on every row

    def keep(*texts: str | None) -> None:
        for text in texts:
            if text and text.strip():
                out[text] = None

    depth = 0  # how many cells the parser is inside
    try:
        events: Any = ("start", "end", "comment", "pi")
        for event, element in etree.iterparse(content, events=events, **_OPTIONS):
            tag = element.tag
            if event in ("comment", "pi"):  # anywhere, in a cell too: never its value
                keep(getattr(element, "target", None), element.text)
                continue
            if not isinstance(tag, str):
                continue
            if tag in _CELLS:
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                keep(element.get(_FORMULA))
                for inner in element.iterdescendants():
                    if isinstance(inner.tag, str):
                        keep(*inner.attrib.values())
                        if inner.tag in _SKIPPED:
                            keep(*(t for t in inner.itertext()))
                element.clear(keep_tail=True)
            elif event == "end" and depth == 0:
                keep(*element.attrib.values(), element.text, *(c.tail for c in element))
                if tag == _ROW:  # processed: drop it and what came before it
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
    except etree.XMLSyntaxError:
        message = "damaged ODS spreadsheet: content.xml is not well formed"
        raise InputFileError(path, message) from None
    return list(out)
