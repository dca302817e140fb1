"""`unique`: no two rows of the file share these columns (and a column's `unique: true`).

Across batches it keeps 8 bytes of hash and 8 of row number per row with every key column
filled; the repeats are found at the end of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from datacontract.check.coerce import coerce
from datacontract.check.kinds.base import OdcsLibrary, RuleKind, SampleChunk
from datacontract.check.results import MAX_SAMPLE_ROWS, Finding, agreeing
from datacontract.contract import model
from datacontract.contract.rules import UniqueRule


@dataclass
class UniqueState:
    """The hashes and row numbers of a file's keys so far."""

    rule: str
    article: str | None
    columns: tuple[model.Column, ...]
    hashes: list[np.ndarray] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)

    def update(self, data: pa.RecordBatch, first_row: int) -> None:
        names = set(data.schema.names)
        if not all(c.name in names for c in self.columns):
            return
        positions = np.arange(first_row, first_row + data.num_rows, dtype=np.int64)
        keys = pd.DataFrame(
            {
                c.name: coerce(data.column(c.name), c.type).values.to_pandas(
                    types_mapper=pd.ArrowDtype
                )
                for c in self.columns
            }
        )
        complete = keys.notna().all(axis=1).to_numpy()
        hashed = pd.util.hash_pandas_object(keys, index=False).to_numpy()
        self.hashes.append(hashed[complete])
        self.rows.append(positions[complete])

    def findings(self) -> list[Finding]:
        if not self.hashes:
            return []
        hashes = np.concatenate(self.hashes)
        rows = np.concatenate(self.rows)
        self.hashes.clear()
        self.rows.clear()
        order = np.argsort(hashes, kind="stable")  # stable: the first row of a key comes first
        sorted_hashes = hashes[order]
        repeat = np.zeros(len(hashes), dtype=bool)
        repeat[1:] = sorted_hashes[1:] == sorted_hashes[:-1]
        count = int(repeat.sum())
        if not count:
            return []
        sample = np.sort(rows[order][repeat])[:MAX_SAMPLE_ROWS]
        keys = ", ".join(c.name for c in self.columns)
        return [
            Finding(
                rule=self.rule,
                column=keys,
                count=count,
                article=self.article,
                message=f"{agreeing(count, 'row', 'repeat')} the {keys} of an earlier row",
                rows=tuple(int(r) for r in sample),
            )
        ]


def _demand(rule: UniqueRule) -> str:
    return f"one row per {', '.join(rule.columns)}"


def _state(dataset: model.Dataset, rule: UniqueRule) -> UniqueState:
    cols = tuple(c for name in rule.columns if (c := dataset.column(name)))
    return UniqueState(rule.id, rule.article, cols)


def _sample(chunk: SampleChunk, rule: UniqueRule) -> None:
    # a key already made unique for its column's `unique: true` is unique already
    if len(rule.columns) == 1:
        column = chunk.dataset.column(rule.columns[0])
        if column is not None and column.unique:
            return
    chunk.make_unique(rule.columns)


KIND = RuleKind(
    UniqueRule,
    _demand,
    file_state=_state,
    state_rank=0,
    sample=_sample,
    sample_stage=2,  # after the rules that change values
    odcs=OdcsLibrary(metric="duplicateValues", columns="columns"),
    odcs_dimension="uniqueness",
)
