"""`at_most`: each listed column is at most the limit column, row by row."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import AtMostRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: AtMostRule) -> str:
    return f"each of {', '.join(rule.columns)} is at most {rule.limit}"


def _check(compiled: CompiledDataset, rule: AtMostRule) -> Callable[[Batch], None]:
    limited = [compiled.column_of(c) for c in rule.columns]
    limit = compiled.column_of(rule.limit)

    def at_most(b: Batch) -> None:
        lim = b.typed(limit).values
        for c in limited:
            v = b.typed(c).values
            b.record(rule.id, c.name, bool_mask(pc.greater(v, lim)))

    return at_most


def _sample(chunk: SampleChunk, rule: AtMostRule) -> None:
    """A value above the limit becomes the limit (numbers, or ISO dates, which order as text)."""
    v = chunk.values
    limit, limit_null = v[rule.limit], chunk.null(rule.limit)
    for c in rule.columns:
        over = ~chunk.null(c) & ~limit_null & (v[c] > limit)
        v[c] = np.where(over, limit, v[c])


KIND = RuleKind(AtMostRule, _demand, batch_check=_check, sample=_sample)
