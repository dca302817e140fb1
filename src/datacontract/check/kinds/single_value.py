"""`single_value`: every row of the file holds the same value in this column.

Across batches it keeps at most _MAX_DISTINCT distinct values, and shows them in its finding
only when the contract declares them safe to show (personal/redact.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.check.results import MAX_SAMPLE_ROWS, Finding, agreeing
from datacontract.contract import model
from datacontract.contract.rules import SingleValueRule
from datacontract.personal.redact import printable_value

_MAX_DISTINCT = 16


@dataclass
class SingleState:
    """The values of the column seen so far (at most _MAX_DISTINCT) and the rows that differ
    from the first."""

    rule: str
    article: str | None
    column: model.Column
    seen: list[object] = field(default_factory=list)
    others: int = 0  # rows whose value differs from the first one seen
    sample: list[int] = field(default_factory=list)

    def update(self, data: pa.RecordBatch, first_row: int) -> None:
        if self.column.name not in data.schema.names:
            return
        values = coerce(data.column(self.column.name), self.column.type).values
        for value in pc.unique(values).to_pylist():
            if value is not None and value not in self.seen and len(self.seen) < _MAX_DISTINCT:
                self.seen.append(value)
        if self.seen:
            differs = np.asarray(
                pc.fill_null(
                    pc.not_equal(values, pa.scalar(self.seen[0], values.type)), False
                ).to_numpy(zero_copy_only=False),
                dtype=bool,
            )
            self.others += int(differs.sum())
            if len(self.sample) < MAX_SAMPLE_ROWS:
                self.sample.extend(
                    int(i) + first_row
                    for i in np.flatnonzero(differs)[: MAX_SAMPLE_ROWS - len(self.sample)]
                )

    def findings(self) -> list[Finding]:
        if len(self.seen) <= 1:
            return []
        shown = [printable_value(self.column, v) for v in self.seen]
        safe = all(v is not None for v in shown)
        values = f" ({', '.join(str(v) for v in shown)})" if safe else ""
        distinct = f"{len(self.seen)}{'+' if len(self.seen) >= _MAX_DISTINCT else ''}"
        name = self.column.name
        return [
            Finding(
                rule=self.rule,
                column=name,
                count=self.others,
                article=self.article,
                message=(
                    f"{name} holds {distinct} different values{values}; the file must hold "
                    f"one: {agreeing(self.others, 'row', 'differ')} from the first"
                ),
                rows=tuple(self.sample),
            )
        ]


def _demand(rule: SingleValueRule) -> str:
    return f"one value of {rule.column} in the whole file"


def _state(dataset: model.Dataset, rule: SingleValueRule) -> SingleState:
    column = dataset.column(rule.column)
    assert column is not None, "the loader checked the column"
    return SingleState(rule.id, rule.article, column)


def _sample(chunk: SampleChunk, rule: SingleValueRule) -> None:
    chunk.single(rule.column)


KIND = RuleKind(
    SingleValueRule,
    _demand,
    file_state=_state,
    state_rank=1,  # after the uniqueness findings
    sample=_sample,
    same_in_every_row=lambda rule: (rule.column,),
)
