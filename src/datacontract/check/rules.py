"""The dataset rules of a contract as pandera checks: sums, limits, flags, parts, forbidden
content and columns, ages from national numbers, and the names a by-reference dataset may not
carry. Each check records its mask in the batch's Tally and tells pandera only pass or fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, Mask, bool_mask, insz_numbers, ints
from datacontract.contract import model
from datacontract.personal import insz

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def dataset_rule_checks(compiled: CompiledDataset, rule: model.Rule) -> list[pandera.Check]:
    """The pandera checks of one dataset rule, each named by the rule id."""
    rid = rule.id

    def frame_check(demand: str, needs: Sequence[str], fn: Callable[[Batch], None]) -> None:
        compiled.register(rid, rule.article, demand)

        def run(frame: pd.DataFrame) -> bool:
            batch = compiled.batch
            if any(c not in frame.columns for c in needs):
                return True  # the missing column is reported by columns.required
            before = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
            try:
                fn(batch)
            except Exception as exc:  # reported by check(), never as a pass
                batch.crashed[rid] = type(exc).__name__
                return False
            after = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
            return after == before

        out.append(pandera.Check(run, name=rid, error=demand))

    out: list[pandera.Check] = []
    if isinstance(rule, model.SumEqualsRule):
        parts = [compiled.column_of(c) for c in rule.columns]
        total = compiled.column_of(rule.total)

        def sum_equals(b: Batch) -> None:
            acc = np.zeros(len(b.frame), dtype=np.int64)
            known = np.ones(len(b.frame), dtype=bool)
            for p in parts:
                acc += ints(b.typed(p).values)
                known &= bool_mask(pc.is_valid(b.typed(p).values))
            t = b.typed(total).values
            known &= bool_mask(pc.is_valid(t))
            b.record(rid, total.name, known & (acc != ints(t)))

        frame_check(
            f"{' + '.join(rule.columns)} = {rule.total}",
            [*rule.columns, rule.total],
            sum_equals,
        )
    elif isinstance(rule, model.AtMostRule):
        limited = [compiled.column_of(c) for c in rule.columns]
        limit = compiled.column_of(rule.limit)

        def at_most(b: Batch) -> None:
            lim = b.typed(limit).values
            for c in limited:
                v = b.typed(c).values
                b.record(rid, c.name, bool_mask(pc.greater(v, lim)))

        frame_check(
            f"each of {', '.join(rule.columns)} is at most {rule.limit}",
            [*rule.columns, rule.limit],
            at_most,
        )
    elif isinstance(rule, model.FlagMatchesCountRule):
        flag, count = compiled.column_of(rule.flag), compiled.column_of(rule.count)

        def flag_matches(b: Batch) -> None:
            f = b.typed(flag).values
            n = b.typed(count).values
            expected = pc.cast(pc.greater(n, 0), pa.int64())
            b.record(rid, flag.name, bool_mask(pc.not_equal(pc.cast(f, pa.int64()), expected)))

        frame_check(
            f"{rule.flag} is 1 exactly when {rule.count} > 0",
            [rule.flag, rule.count],
            flag_matches,
        )
    elif isinstance(rule, model.PartEqualsRule):
        whole, other = compiled.column_of(rule.column), compiled.column_of(rule.equals)

        def part_equals(b: Batch) -> None:
            pieces = pc.split_pattern(b.typed(whole).values, pattern=rule.separator)
            part = pc.list_element(
                pc.if_else(
                    pc.greater(pc.list_value_length(pieces), rule.part),
                    pieces,
                    pa.scalar(None, pieces.type),
                ),
                rule.part,
            )
            b.record(rid, whole.name, bool_mask(pc.not_equal(part, b.typed(other).values)))

        frame_check(
            f"part {rule.part + 1} of {rule.column} (split on {rule.separator!r}) "
            f"equals {rule.equals}",
            [rule.column, rule.equals],
            part_equals,
        )
    elif isinstance(rule, model.ForbiddenContentRule):
        detectors = [compiled.detector(d) for d in rule.detect]
        exempt = set(rule.except_columns)
        labels = compiled.safe_labels(detectors)

        def scan(raw: pa.Array) -> Mask:
            mask = np.zeros(len(raw), dtype=bool)
            for fn in detectors:
                mask |= fn(raw)
            return mask

        compiled.forbidden.append((rid, scan))

        def forbidden(b: Batch) -> None:
            # What to scan of each column: every cell, or (a column of declared labels) the
            # cells that are not one of them: a label holds nothing a detector finds (checked
            # on the labels at compile time).
            parts: list[tuple[str, pa.Array, npt.NDArray[np.int64] | None]] = []
            for name in b.frame.columns:
                if name in exempt:
                    continue
                raw = b.raw(name)
                known = labels.get(str(name))
                if known is not None and pa.types.is_string(raw.type):
                    some = b.unlabelled(str(name), known)
                    parts.append((str(name), raw.take(pa.array(some)), some))
                else:
                    parts.append((str(name), raw, None))
            for (name, _, rows), hits in zip(parts, _scanned(parts, scan), strict=True):
                if rows is None:
                    mask = hits
                else:
                    mask = np.zeros(len(b.frame), dtype=bool)
                    mask[rows] = hits
                b.record(rid, name, mask)

        frame_check(
            f"no {', '.join(rule.detect)} in any column"
            + (f" except {', '.join(rule.except_columns)}" if exempt else ""),
            [],
            forbidden,
        )
    elif isinstance(rule, model.ForbiddenColumnsRule):
        banned = {c.lower() for c in rule.columns}

        def forbidden_columns(b: Batch) -> None:
            for name in b.frame.columns:
                if str(name).strip().lower() in banned:
                    b.record(rid, str(name), np.ones(len(b.frame), dtype=bool))

        frame_check(f"none of the columns {', '.join(rule.columns)}", [], forbidden_columns)
    elif isinstance(rule, model.PartsCountRule):
        listed, counted = compiled.column_of(rule.column), compiled.column_of(rule.count)

        def parts_count(b: Batch) -> None:
            parts = pc.list_value_length(
                pc.split_pattern(b.typed(listed).values, pattern=rule.separator)
            )
            n = pc.cast(b.typed(counted).values, pa.int64())
            b.record(rid, listed.name, bool_mask(pc.not_equal(pc.cast(parts, pa.int64()), n)))

        frame_check(
            f"{rule.column} lists as many values (split on {rule.separator!r}) as {rule.count}",
            [rule.column, rule.count],
            parts_count,
        )
    elif isinstance(rule, model.AgeBetweenRule):
        number = compiled.column_of(rule.column)
        reference = compiled.column_of(rule.reference_column) if rule.reference_column else None
        lo, hi = rule.minimum, rule.maximum
        on = "the transfer date" if reference is None else rule.reference_column

        def age_between(b: Batch) -> None:
            numbers = insz_numbers(b.typed(number).values)
            if reference is None:
                ref = np.full(len(numbers), np.datetime64(compiled.reference_date, "D"))
                known = numbers >= 0
            else:
                days = pc.cast(b.typed(reference).values, pa.date32())
                known = (numbers >= 0) & bool_mask(pc.is_valid(days))
                filled = pc.fill_null(days, pa.scalar(0, pa.date32()))
                ref = np.asarray(filled.to_numpy(zero_copy_only=False), "datetime64[D]")
            youngest, oldest, valid = insz.age_bounds(numbers, ref)
            outside = youngest < lo
            if hi is not None:
                outside |= oldest > hi
            b.record(rid, number.name, known & valid & outside)

        ages = f"{lo} to {hi} years old" if hi is not None else f"at least {lo} years old"
        frame_check(
            f"the person of {rule.column} is {ages} on {on} (birth date from the number)",
            [rule.column] + ([reference.name] if reference else []),
            age_between,
        )
    elif isinstance(rule, model.UniqueRule):
        compiled.register(rid, rule.article, f"one row per {', '.join(rule.columns)}")
    elif isinstance(rule, model.SingleValueRule):
        compiled.register(rid, rule.article, f"one value of {rule.column} in the whole file")
    return out


_SCAN_CELLS = 65_536  # text cells scanned in one call: short columns are scanned together


def _scanned(
    parts: Sequence[tuple[str, pa.Array, object]], scan: Callable[[pa.Array], Mask]
) -> list[Mask]:
    """`scan` of each part's cells. Short text columns (a wide file of few rows) are joined
    into one array per _SCAN_CELLS cells and scanned in one call, then split again: a call
    costs the same for one cell as for thousands, and a file of 20,000 columns must not cost
    20,000 calls per rule."""
    out: list[Mask | None] = [None] * len(parts)
    group: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal group, size
        if not group:
            return
        arrays = [parts[i][1].cast(pa.large_string()) for i in group]
        hits = scan(pa.concat_arrays(arrays)) if len(arrays) > 1 else scan(arrays[0])
        start = 0
        for i, array in zip(group, arrays, strict=True):
            out[i] = hits[start : start + len(array)]
            start += len(array)
        group, size = [], 0

    for i, (_, cells, _) in enumerate(parts):
        text = pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)
        if not text or len(cells) >= _SCAN_CELLS:
            out[i] = scan(cells)
            continue
        group.append(i)
        size += len(cells)
        if size >= _SCAN_CELLS:
            flush()
    flush()
    return [m if m is not None else np.zeros(0, dtype=bool) for m in out]


def by_reference_checks(compiled: CompiledDataset) -> list[pandera.Check]:
    """Columns accepted by reference are never direct identifiers: refused by name."""
    ds = compiled.dataset
    if ds.columns_by_reference is None:
        return []
    never = ds.columns_by_reference.never
    rid = compiled.register(
        f"{ds.id}.columns_by_reference.never",
        never.article,
        "no column accepted by reference is named as a direct identifier "
        f"({', '.join(never.names)})",
    )
    declared = set(ds.column_names)

    def run(frame: pd.DataFrame) -> bool:
        batch = compiled.batch
        passed = True
        for name in frame.columns:
            if str(name) not in declared and direct_identifier(str(name), never.names):
                passed = batch.record(rid, str(name), np.ones(len(frame), dtype=bool))
        return passed

    return [pandera.Check(run, name=rid, error=compiled.rules[rid].demand)]


def _words(name: str) -> list[str]:
    """A column name as lowercase words without accents: `kindVoornaam` -> [kind, voornaam]."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    split = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", plain).lower()
    return [w for w in re.split(r"[^a-z0-9]+", split) if w]


def direct_identifier(name: str, never: Sequence[str]) -> bool:
    """Whether a column name says it holds one of `never` (see model.NeverByReference): as a
    word, the whole name, or the end of a compound (`kindnaam`, `moeder_geboortedatum`)."""
    words = _words(name)
    joined = "".join(words)
    for entry in never:
        wanted = "".join(_words(entry))
        if wanted and (wanted in words or joined.endswith(wanted)):
            return True
        if wanted and len(_words(entry)) > 1 and wanted in joined:
            return True
    return False
