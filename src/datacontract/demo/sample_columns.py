"""`datacontract sample`, a column at a time: synthetic values drawn as numpy arrays.

A million rows are drawn in chunks (CHUNK_ROWS), each column with a handful of numpy calls
rather than a Python call per cell, and each chunk written before the next is drawn, so memory
stays flat whatever --rows asks (only the keys that must stay unique across the file are
kept). The declarations are read as in demo/sample.py: value lists, patterns (read with
Python's own regex parser), `format: insz|email|phone`, ranges; then the dataset's rules are
made true on each chunk, in sample.py's order. National numbers get valid check digits from
synthetic birth dates and sequence numbers: they belong to no one (tests compare them with
personal/insz.make_insz).

A Chunk maps each column to a numpy array (str as numpy unicode, int64, float64, bool) and
the nulls to a boolean mask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
    for start in range(0, rows, chunk_rows):
        n = min(chunk_rows, rows - start)
        chunk = Chunk(start, n)
        for column in dataset.columns:
            chunk.values[column.name] = values_of(column, rng, start, n)
            if column.nullable and column.name not in in_rules:
                chunk.nulls[column.name] = rng.random(n) < _NULL_SHARE
            if column.unique:
                _make_unique((column.name,), dataset, chunk, rng, across)
        for rule in dataset.rules:
            if isinstance(rule, model.AgeBetweenRule):
                _make_age(rule, dataset, chunk, rng, window, reference_date)
        for rule in dataset.rules:
            _apply(rule, dataset, chunk, rng, across)
        for rule in dataset.rules:
            if not isinstance(rule, model.UniqueRule):
                continue
            # a key already made unique for its column's `unique: true` is in `seen` already
            if not (len(rule.columns) == 1 and _flagged_unique(dataset, rule.columns[0])):
                _make_unique(rule.columns, dataset, chunk, rng, across)
        if dataset.nested:
            # One document has one top-level object: its own values are the same in every row.
            for c in dataset.columns:
                if c.path is not None and "[]" not in c.path:
                    _single(c.name, chunk, across)
        yield chunk


# --- the rules ------------------------------------------------------------------------------------


def _rule_columns(dataset: model.Dataset) -> set[str]:
    names: set[str] = set()
    for rule in dataset.rules:
        for name in ("columns", "column", "total", "limit", "flag", "count", "equals"):
            value = getattr(rule, name, None)
            if isinstance(value, str):
                names.add(value)
            elif isinstance(value, tuple):
                names.update(value)
    return names


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


def _apply(
    rule: model.Rule,
    dataset: model.Dataset,
    chunk: Chunk,
    rng: np.random.Generator,
    across: _Across,
) -> None:
    v = chunk.values
    if isinstance(rule, model.SingleValueRule):
        _single(rule.column, chunk, across)
    elif isinstance(rule, model.PartEqualsRule):
        ok = ~_null(chunk, rule.column) & ~_null(chunk, rule.equals)
        texts, equals, sep = v[rule.column].tolist(), v[rule.equals].tolist(), rule.separator
        for i in np.flatnonzero(ok).tolist():
            parts = texts[i].split(sep)
            if len(parts) > rule.part:
                parts[rule.part] = str(equals[i])
                texts[i] = sep.join(parts)
        v[rule.column] = np.array(texts)
    elif isinstance(rule, model.SumEqualsRule):
        total = dataset.column(rule.total)
        least = int(total.minimum) if total is not None and total.minimum is not None else 0
        parts = {c: _ints(chunk, c) for c in rule.columns}
        short = sum(parts.values()) < least
        pick = rng.integers(len(rule.columns), size=chunk.n)
        for k, c in enumerate(rule.columns):
            parts[c] = np.where(short & (pick == k), least, parts[c])
            v[c], chunk.nulls[c] = parts[c], np.zeros(chunk.n, dtype=bool)
        v[rule.total] = sum(parts.values())
        chunk.nulls[rule.total] = np.zeros(chunk.n, dtype=bool)
    elif isinstance(rule, model.AtMostRule):
        limit, limit_null = v[rule.limit], _null(chunk, rule.limit)
        for c in rule.columns:
            # numbers, or ISO dates (which order as text)
            over = ~_null(chunk, c) & ~limit_null & (v[c] > limit)
            v[c] = np.where(over, limit, v[c])
    elif isinstance(rule, model.PartsCountRule):
        listed = dataset.column(rule.column)
        if listed is None:
            return
        counts, texts = v[rule.count], v[rule.column].tolist()
        ok = ~_null(chunk, rule.count) & ~_null(chunk, rule.column) & (counts.dtype.kind in "iu")
        extra = iter(values_of(listed, rng, 0, chunk.n * 4).tolist())
        for i in np.flatnonzero(ok).tolist():
            want, parts = int(counts[i]), texts[i].split(rule.separator)
            while len(parts) < want:
                parts.append(str(next(extra)).split(rule.separator)[0])
            texts[i] = rule.separator.join(parts[: max(want, 1)])
        v[rule.column] = np.array(texts)
    elif isinstance(rule, model.FlagMatchesCountRule):
        v[rule.flag] = (_ints(chunk, rule.count) > 0).astype(np.int64)
        chunk.nulls[rule.flag] = np.zeros(chunk.n, dtype=bool)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_span(
    rule: model.AgeBetweenRule, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The birth dates that give an allowed age on `first` and on `last` (so on every day
    between), or None when the rule's span is too short for the window."""
    latest = _years_before(first, rule.minimum)  # old enough on the first day
    span = rule.maximum if rule.maximum is not None else rule.minimum + 40
    earliest = _years_before(last, span + 1) + dt.timedelta(days=1)  # young enough on the last
    return (earliest, latest) if earliest <= latest else None


def _make_age(
    rule: model.AgeBetweenRule,
    dataset: model.Dataset,
    chunk: Chunk,
    rng: np.random.Generator,
    window: tuple[dt.date, dt.date],
    reference_date: dt.date | None,
) -> None:
    """National numbers whose birth dates make the people the rule's age on every day of
    `window` (or, if the rule's span is too short for that, on its last day), or on the
    row's own reference date."""
    epoch = dt.date(1970, 1, 1)
    keep = _null(chunk, rule.column).copy()
    ref = dataset.column(rule.reference_column or "")
    if rule.reference_column is not None and ref is not None:
        if reference_date is not None and ref.type == "date":
            # the file's own date is the transfer's (a MAGDA request's)
            chunk.values[ref.name] = np.full(chunk.n, reference_date.isoformat())
            chunk.nulls[ref.name] = np.zeros(chunk.n, dtype=bool)
        keep |= _null(chunk, ref.name)
        lo = np.zeros(chunk.n, dtype=np.int64)
        hi = np.zeros(chunk.n, dtype=np.int64)
        refs = chunk.values[ref.name].tolist()
        for i in np.flatnonzero(~keep).tolist():
            day = dt.date.fromisoformat(str(refs[i])[:10])
            span = _birth_span(rule, day, day)
            assert span is not None
            lo[i], hi[i] = (span[0] - epoch).days, (span[1] - epoch).days
    else:
        first, last = window
        span = _birth_span(rule, first, last) or _birth_span(rule, last, last)
        assert span is not None
        lo = np.full(chunk.n, (span[0] - epoch).days, dtype=np.int64)
        hi = np.full(chunk.n, (span[1] - epoch).days, dtype=np.int64)
    lo = np.maximum(lo, (dt.date(1900, 1, 1) - epoch).days)
    hi = np.maximum(hi, lo)
    births = lo + (rng.random(chunk.n) * (hi - lo + 1)).astype(np.int64)
    numbers = insz_numbers(births, rng.integers(1, 998, size=chunk.n))
    chunk.values[rule.column] = np.where(keep, chunk.values[rule.column], numbers)


def _flagged_unique(dataset: model.Dataset, name: str) -> bool:
    column = dataset.column(name)
    return column is not None and column.unique


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
