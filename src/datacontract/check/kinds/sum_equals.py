"""`sum_equals`: the listed columns add up to the total column, row by row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask, ints
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import SumEqualsRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: SumEqualsRule) -> str:
    return f"{' + '.join(rule.columns)} = {rule.total}"


def _check(compiled: CompiledDataset, rule: SumEqualsRule) -> Callable[[Batch], None]:
    parts = [compiled.column_of(c) for c in rule.columns]
    total = compiled.column_of(rule.total)

    def sum_equals(b: Batch) -> None:
        acc = np.zeros(b.num_rows, dtype=np.int64)
        known = np.ones(b.num_rows, dtype=bool)
        for p in parts:
            acc += ints(b.typed(p).values)
            known &= bool_mask(pc.is_valid(b.typed(p).values))
        t = b.typed(total).values
        known &= bool_mask(pc.is_valid(t))
        b.record(rule.id, total.name, known & (acc != ints(t)))

    return sum_equals


def _sample(chunk: SampleChunk, rule: SumEqualsRule) -> None:
    """Parts drawn as declared, one raised to the total's minimum where they fall short;
    the total is their sum."""
    v = chunk.values
    total = chunk.dataset.column(rule.total)
    least = int(total.minimum) if total is not None and total.minimum is not None else 0
    parts = {c: chunk.ints(c) for c in rule.columns}
    short = sum(parts.values()) < least
    pick = chunk.rng.integers(len(rule.columns), size=chunk.n)
    for k, c in enumerate(rule.columns):
        parts[c] = np.where(short & (pick == k), least, parts[c])
        v[c], chunk.nulls[c] = parts[c], np.zeros(chunk.n, dtype=bool)
    v[rule.total] = sum(parts.values(), np.zeros(chunk.n, dtype=np.int64))
    chunk.nulls[rule.total] = np.zeros(chunk.n, dtype=bool)


KIND = RuleKind(SumEqualsRule, _demand, batch_check=_check, sample=_sample)
