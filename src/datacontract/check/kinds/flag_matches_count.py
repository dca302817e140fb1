"""`flag_matches_count`: a 0/1 flag is 1 exactly when its count is above zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import FlagMatchesCountRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: FlagMatchesCountRule) -> str:
    return f"{rule.flag} is 1 exactly when {rule.count} > 0"


def _check(compiled: CompiledDataset, rule: FlagMatchesCountRule) -> Callable[[Batch], None]:
    flag, count = compiled.column_of(rule.flag), compiled.column_of(rule.count)

    def flag_matches(b: Batch) -> None:
        f = b.typed(flag).values
        n = b.typed(count).values
        expected = pc.cast(pc.greater(n, 0), pa.int64())
        b.record(rule.id, flag.name, bool_mask(pc.not_equal(pc.cast(f, pa.int64()), expected)))

    return flag_matches


def _sample(chunk: SampleChunk, rule: FlagMatchesCountRule) -> None:
    chunk.values[rule.flag] = (chunk.ints(rule.count) > 0).astype(np.int64)
    chunk.nulls[rule.flag] = np.zeros(chunk.n, dtype=bool)


KIND = RuleKind(FlagMatchesCountRule, _demand, batch_check=_check, sample=_sample)
