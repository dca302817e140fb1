"""The readings of the protocol an invariant rests on: the contract's NOT FROM THE PROTOCOL notes.

A contract marks every choice the protocol's text does not make with a YAML comment that
starts ``NOT FROM THE PROTOCOL:`` (docs/contracts.md). A proof names, for each verdict, the
notes on its invariant: a comment inside the invariant's item, or just above it at the item's
own indentation (a comment block above ``- id:`` speaks of the item below it). A note runs
from its marker to the end of its comment block (or the next marker) and is given as the
contract's own words, joined into one line.
"""

from __future__ import annotations

from pathlib import Path

from datacontract import limits
from datacontract.errors import ContractError

MARKER = "NOT FROM THE PROTOCOL"


def invariant_notes(path: str | Path) -> dict[str, tuple[str, ...]]:
    """{invariant id: its notes, in file order} of the contract file at `path`; {} when the
    file cannot be read again (the contract was loaded from it: that is a race, not an input)."""
    from datacontract.contract.load import read_yaml

    try:
        document = read_yaml(path)
        text = limits.read_regular(path, limits.CONTRACT_BYTES, "a contract").decode("utf-8")
    except (ContractError, OSError, UnicodeDecodeError):
        return {}
    items = document.data.get("invariants") if isinstance(document.data, dict) else None
    if not isinstance(items, list):
        return {}
    lines = text.splitlines()
    starts = []  # (line, column) of each item's first key, 1-based
    for i in range(len(items)):
        mark = document.marks.get(("invariants", i))
        if mark is None:
            return {}
        starts.append(mark)
    out: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        line = starts[i][0]
        end = starts[i + 1][0] if i + 1 < len(starts) else _section_end(lines, line)
        begin = _comments_above(lines, line)
        # comments at the dash's column just above the next item belong to that item
        stop = _comments_above(lines, end) if i + 1 < len(starts) else end
        notes = _notes(lines[begin - 1 : line - 1]) + _notes(lines[line - 1 : stop - 1])
        if notes:
            out[item["id"]] = tuple(notes)
    return out


def _comments_above(lines: list[str], line: int) -> int:
    """The first line of the block of comment lines just above line `line` (1-based)."""
    first = line
    while first > 1 and lines[first - 2].lstrip().startswith("#"):
        first -= 1
    return first


def _section_end(lines: list[str], line: int) -> int:
    """The line after the invariants section (the next top-level key), 1-based."""
    for n in range(line, len(lines)):
        text = lines[n]
        if text and not text[0].isspace() and not text.startswith("#") and text[0] != "-":
            return n + 1
    return len(lines) + 1


def _notes(block: list[str]) -> list[str]:
    """The NOT FROM THE PROTOCOL notes in a block of lines: each from its marker to the end of
    its run of comment lines."""
    notes: list[str] = []
    current: list[str] | None = None
    for raw in block:
        stripped = raw.strip()
        if not stripped.startswith("#"):
            _close(notes, current)
            current = None
            continue
        words = stripped.lstrip("#").strip()
        if MARKER in words:
            _close(notes, current)
            current = [words.split(MARKER, 1)[1].lstrip(" :")]
        elif current is not None:
            current.append(words)
    _close(notes, current)
    return notes


def _close(notes: list[str], current: list[str] | None) -> None:
    if current:
        said = " ".join(w for w in current if w).strip()
        if said:
            notes.append(said)
