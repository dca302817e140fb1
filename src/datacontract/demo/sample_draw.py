"""`datacontract sample`'s synthetic rows, drawn a chunk and a column at a time with numpy.

A million rows are drawn in chunks (CHUNK_ROWS), each column with a handful of numpy calls
rather than a Python call per cell, and each chunk written before the next is drawn, so memory
stays flat whatever --rows asks (only the keys that must stay unique across the file are
kept). A column is drawn from its declaration: a value list gives a choice among its labels; a
pattern gives strings generated from the regular expression itself (read with Python's own
parser, re._parser: literals, classes and ranges, repeats, groups, alternatives and anchors;
anything else is a ContractError naming the column); `format: insz` national numbers with
valid check digits from synthetic birth dates and sequence numbers (they belong to no one;
tests compare them with personal/insz.make_insz); `email` and `phone` addresses and numbers at
example domains and a mobile prefix; ranges bound the numbers. Then each of the dataset's
rules is made true on the chunk by its kind's sample generator (check/kinds/: the ages first,
then the other rules in the contract's order, uniqueness last). arrow_array hands a chunk's
values to Arrow without pandas.

The values of one column are drawn by demo/sample_values.py. A Chunk maps each column to a
numpy array (str as numpy unicode, int64, float64, bool) and
the nulls to a boolean mask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from datacontract.check.kinds import kind_of
from datacontract.contract import model
from datacontract.demo.sample_values import insz_numbers, values_of

CHUNK_ROWS = 65_536
_NULL_SHARE = 0.1  # nullable columns no rule looks at get some empty cells


@dataclass
class Chunk:
    """Rows start .. start + n - 1 of a sample, by column."""

    start: int
    n: int
    values: dict[str, np.ndarray] = field(default_factory=dict)
    nulls: dict[str, np.ndarray] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """The chunk as rows of Python values (None for nulls), in column order."""
        columns = {}
        for name, values in self.values.items():
            items = values.tolist()
            mask = self.nulls.get(name)
            if mask is not None and mask.any():
                items = [None if m else v for v, m in zip(items, mask.tolist(), strict=True)]
            columns[name] = items
        names = list(columns)
        return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


@dataclass
class _Across:
    """What must hold across chunks: the one value of a column, the keys already used."""

    first: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    seen: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)  # sorted hashes


def sample_chunks(
    contract: model.Contract,
    dataset: model.Dataset,
    rows: int,
    seed: int,
    reference_date: dt.date | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[Chunk]:
    """`rows` synthetic rows of `dataset` in chunks of `chunk_rows`, every declared rule
    made true (see demo/sample.py for the age rules' dates). ContractError when a pattern
    uses a construct that cannot be drawn."""
    rng = np.random.default_rng(seed)
    today = dt.date.today()
    window = (
        (reference_date, reference_date)
        if reference_date is not None
        else (min(contract.protocol.date, today), today)
    )
    in_rules = _rule_columns(dataset)
    across = _Across()

    def draw(start: int, n: int) -> Chunk:
        chunk = Chunk(start, n)
        for column in dataset.columns:
            chunk.values[column.name] = values_of(column, rng, start, n)
            if column.nullable and column.name not in in_rules:
                chunk.nulls[column.name] = rng.random(n) < _NULL_SHARE
            if column.unique:
                _make_unique((column.name,), dataset, chunk, rng, across)
        drawing = _Drawing(chunk, dataset, rng, across, window, reference_date)
        for stage in (0, 1, 2):
            for rule in dataset.rules:
                kind = kind_of(rule)
                if kind.sample_stage == stage:
                    kind.sample(drawing, rule)
        if dataset.nested:
            # One document has one top-level object: its own values are the same in every row.
            for c in dataset.columns:
                if c.path is not None and "[]" not in c.path:
                    _single(c.name, chunk, across)
        return chunk

    for start in range(0, rows, chunk_rows):
        chunk = draw(start, min(chunk_rows, rows - start))
        _unique_after_rules(chunk, dataset, across, draw, rows)
        yield chunk


def _unique_after_rules(
    chunk: Chunk,
    dataset: model.Dataset,
    across: _Across,
    draw: Callable[[int, int], Chunk],
    rows: int,
) -> None:
    """A rule may draw a unique column again (an age rule draws national numbers whose birth
    dates fit): where a value now repeats, in this chunk or an earlier one, the whole row is
    drawn again (every rule made true on it) until none repeats."""
    for column in (c for c in dataset.columns if c.unique):
        key = ("after rules", column.name)
        for attempt in range(1, 51):
            filled = ~_null(chunk, column.name)
            hashes = _hashes([chunk.values[column.name]])
            repeats = np.flatnonzero(_repeats(hashes, across.seen.get(key)) & filled)
            if not len(repeats):
                break
            again = draw(rows + attempt * chunk.n + chunk.start, len(repeats))
            _splice(chunk, again, repeats)
        hashes = _hashes([chunk.values[column.name]])[~_null(chunk, column.name)]
        hashes.sort()
        known = across.seen.get(key)
        merged = hashes if known is None else np.concatenate([known, hashes])
        merged.sort(kind="stable")
        across.seen[key] = merged


def _splice(chunk: Chunk, again: Chunk, rows: np.ndarray) -> None:
    """Put the rows of `again` (drawn anew) at `rows` of `chunk`, every column and its nulls."""
    for name in list(chunk.values):
        kept, new = chunk.values[name], again.values[name]
        if (
            kept.dtype.kind == "U"
            and new.dtype.kind == "U"
            and new.dtype.itemsize > kept.dtype.itemsize
        ):
            kept = kept.astype(new.dtype)
        kept[rows] = new
        chunk.values[name] = kept
        if name in chunk.nulls or name in again.nulls:
            nulls = _null(chunk, name).copy()
            nulls[rows] = _null(again, name)
            chunk.nulls[name] = nulls


# --- the rules ------------------------------------------------------------------------------------


def _rule_columns(dataset: model.Dataset) -> set[str]:
    """The columns a sample leaves without empty cells: those the rules read."""
    return {c for rule in dataset.rules for c in kind_of(rule).sample_keeps(rule)}


class _Drawing:
    """A chunk as a rule kind's sample generator sees it (check/kinds/base.SampleChunk)."""

    def __init__(
        self,
        chunk: Chunk,
        dataset: model.Dataset,
        rng: np.random.Generator,
        across: _Across,
        window: tuple[dt.date, dt.date],
        reference_date: dt.date | None,
    ) -> None:
        self.chunk, self._across = chunk, across
        self.n, self.values, self.nulls = chunk.n, chunk.values, chunk.nulls
        self.rng, self.dataset = rng, dataset
        self.window, self.reference_date = window, reference_date

    def null(self, name: str) -> np.ndarray:
        return _null(self.chunk, name)

    def ints(self, name: str) -> np.ndarray:
        return _ints(self.chunk, name)

    def draw(self, column: model.Column, n: int) -> np.ndarray:
        return values_of(column, self.rng, 0, n)

    def insz(self, days: np.ndarray, sequence: np.ndarray) -> np.ndarray:
        return insz_numbers(days, sequence)

    def single(self, name: str) -> None:
        _single(name, self.chunk, self._across)

    def make_unique(self, columns: tuple[str, ...]) -> None:
        _make_unique(columns, self.dataset, self.chunk, self.rng, self._across)


def _single(name: str, chunk: Chunk, across: _Across) -> None:
    """Every row of the file holds the first row's value (and its null)."""
    if name not in across.first:
        across.first[name] = (chunk.values[name][0], _null(chunk, name)[0])
    value, null = across.first[name]
    chunk.values[name] = np.full(chunk.n, value)
    chunk.nulls[name] = np.full(chunk.n, bool(null))


def _null(chunk: Chunk, name: str) -> np.ndarray:
    return chunk.nulls.get(name, np.zeros(chunk.n, dtype=bool))


def _ints(chunk: Chunk, name: str) -> np.ndarray:
    values = chunk.values[name]
    if values.dtype.kind not in "iu":
        values = np.array([int(v) for v in values.tolist()], dtype=np.int64)
    return np.where(_null(chunk, name), 0, values)


def _make_unique(
    columns: tuple[str, ...],
    dataset: model.Dataset,
    chunk: Chunk,
    rng: np.random.Generator,
    across: _Across,
) -> None:
    """Draw the first generated (pattern or format) column again where a key repeats, in
    this chunk or an earlier one."""
    again = next(
        (
            c
            for name in columns
            if (c := dataset.column(name)) is not None
            and (c.pattern is not None or c.format is not None)
        ),
        None,
    )
    at = columns.index(again.name) if again is not None else -1
    todo = np.arange(chunk.n)
    for attempt in range(1, 101):
        hashes = _hashes([chunk.values[c][todo] for c in columns])
        repeats = todo[_repeats(hashes, across.seen.get(columns))]
        if not len(repeats) or again is None:
            break
        drawn = values_of(again, rng, chunk.start + attempt * chunk.n, len(repeats))
        column = chunk.values[columns[at]]
        if column.dtype.kind == "U" and drawn.dtype.itemsize > column.dtype.itemsize:
            column = column.astype(drawn.dtype)
        column[repeats] = drawn
        chunk.values[columns[at]] = column
        todo = repeats
    hashes = _hashes([chunk.values[c] for c in columns])
    known = across.seen.get(columns)
    hashes.sort()
    merged = hashes if known is None else np.concatenate([known, hashes])
    merged.sort(kind="stable")  # two sorted runs: timsort merges them in one pass
    across.seen[columns] = merged


def _hashes(columns: list[np.ndarray]) -> np.ndarray:
    """A 64-bit FNV-1a hash of each row's values (as text): equal keys hash equal, so a key
    that repeats is always found; two keys that merely collide are drawn again, harmlessly."""
    n = len(columns[0])
    prime = np.uint64(1099511628211)
    h = np.full(n, 14695981039346656037, dtype=np.uint64)
    for column in columns:
        text = np.ascontiguousarray(column if column.dtype.kind == "U" else column.astype(str))
        width = text.dtype.itemsize // 4
        codes = text.view(np.uint32).reshape(n, width).astype(np.uint64)
        for j in range(width):
            h = (h ^ codes[:, j]) * prime
        h = (h ^ np.uint64(0x1F)) * prime  # between columns: ("a", "bc") is not ("ab", "c")
    return h


def _repeats(hashes: np.ndarray, seen: np.ndarray | None) -> np.ndarray:
    """Where a hash was seen before: in `seen` (sorted), or earlier in hashes itself."""
    order = np.argsort(hashes, kind="stable")
    ranked = hashes[order]
    again = np.zeros(len(hashes), dtype=bool)
    again[order[1:][ranked[1:] == ranked[:-1]]] = True
    if seen is not None and len(seen):
        at = np.minimum(np.searchsorted(seen, hashes), len(seen) - 1)
        again |= seen[at] == hashes
    return again


def arrow_array(values: np.ndarray, kind: Any, nulls: np.ndarray | None) -> Any:
    """values as a pyarrow array of type kind, null where nulls is True. Text is handed to
    Arrow as its UTF-8 buffers, built with numpy: pyarrow's own conversion of Python or numpy
    strings loads pandas (a second) and walks every string in Python."""
    import pyarrow as pa

    validity = None
    if nulls is not None and nulls.any():
        validity = pa.py_buffer(np.packbits(~nulls, bitorder="little"))
    if pa.types.is_boolean(kind):
        bits = np.packbits(values.astype(bool), bitorder="little")
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(bits)])
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        fixed = np.ascontiguousarray(values.astype(kind.to_pandas_dtype()))
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(fixed)])
    text = np.ascontiguousarray(values if values.dtype.kind == "U" else values.astype(str))
    width = text.dtype.itemsize // 4
    codes = text.view(np.uint32).reshape(len(text), width)
    if width and int(codes.max(initial=0)) < 128:  # ASCII: the code points are the bytes
        lengths = np.strings.str_len(text).astype(np.int64)
        keep = np.arange(width)[None, :] < lengths[:, None]
        data = codes[keep].astype(np.uint8).tobytes()
    else:
        encoded = [t.encode("utf-8") for t in text.tolist()]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        data = b"".join(encoded)
    offsets = np.zeros(len(text) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), len(text), buffers)
