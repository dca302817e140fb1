"""`parts_count_equals`: `column` lists as many values (split on `separator`) as `count` says."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import PartsCountRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: PartsCountRule) -> str:
    return f"{rule.column} lists as many values (split on {rule.separator!r}) as {rule.count}"


def _check(compiled: CompiledDataset, rule: PartsCountRule) -> Callable[[Batch], None]:
    listed, counted = compiled.column_of(rule.column), compiled.column_of(rule.count)

    def parts_count(b: Batch) -> None:
        parts = pc.list_value_length(
            pc.split_pattern(b.typed(listed).values, pattern=rule.separator)
        )
        n = pc.cast(b.typed(counted).values, pa.int64())
        b.record(rule.id, listed.name, bool_mask(pc.not_equal(pc.cast(parts, pa.int64()), n)))

    return parts_count


def _sample(chunk: SampleChunk, rule: PartsCountRule) -> None:
    """The list is cut or lengthened (with values drawn for its column) to the count."""
    listed = chunk.dataset.column(rule.column)
    if listed is None:
        return
    v = chunk.values
    counts, texts = v[rule.count], v[rule.column].tolist()
    ok = ~chunk.null(rule.count) & ~chunk.null(rule.column) & (counts.dtype.kind in "iu")
    extra = iter(chunk.draw(listed, chunk.n * 4).tolist())
    for i in np.flatnonzero(ok).tolist():
        want, parts = int(counts[i]), texts[i].split(rule.separator)
        while len(parts) < want:
            parts.append(str(next(extra)).split(rule.separator)[0])
        texts[i] = rule.separator.join(parts[: max(want, 1)])
    v[rule.column] = np.array(texts)


KIND = RuleKind(PartsCountRule, _demand, batch_check=_check, sample=_sample)
