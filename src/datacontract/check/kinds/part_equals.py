"""`part_equals`: part `part` of `column`, split on `separator`, equals column `equals`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import PartEqualsRule

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: PartEqualsRule) -> str:
    return (
        f"part {rule.part + 1} of {rule.column} (split on {rule.separator!r}) equals {rule.equals}"
    )


def _check(compiled: CompiledDataset, rule: PartEqualsRule) -> Callable[[Batch], None]:
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
        b.record(rule.id, whole.name, bool_mask(pc.not_equal(part, b.typed(other).values)))

    return part_equals


def _sample(chunk: SampleChunk, rule: PartEqualsRule) -> None:
    """The part is set to the other column's value, where the text has that part."""
    v = chunk.values
    ok = ~chunk.null(rule.column) & ~chunk.null(rule.equals)
    texts, equals, sep = v[rule.column].tolist(), v[rule.equals].tolist(), rule.separator
    for i in np.flatnonzero(ok).tolist():
        parts = texts[i].split(sep)
        if len(parts) > rule.part:
            parts[rule.part] = str(equals[i])
            texts[i] = sep.join(parts)
    v[rule.column] = np.array(texts)


KIND = RuleKind(PartEqualsRule, _demand, batch_check=_check, sample=_sample)
