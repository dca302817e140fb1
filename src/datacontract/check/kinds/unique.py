"""`unique`: no two rows of the file share these columns (and a column's `unique: true`).

Across batches it keeps 8 bytes of hash and 8 of row number per row with every key column
filled; the repeats are found at the end of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.check.kinds.base import OdcsLibrary, RuleKind, SampleChunk
from datacontract.check.results import MAX_SAMPLE_ROWS, Finding, agreeing
from datacontract.check.rowhash import row_hashes
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
        # hashed from the Arrow buffers (check/rowhash.py): no copy into pandas
        typed = [coerce(data.column(c.name), c.type).values for c in self.columns]
        complete = np.ones(data.num_rows, dtype=bool)
        for values in typed:
            if values.null_count:
                complete &= np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False))
        hashed = row_hashes(typed)
        self.hashes.append(hashed[complete])
        self.rows.append(positions[complete])

    def findings(self) -> list[Finding]:
        if not self.hashes:
            return []
        hashes = np.concatenate(self.hashes)
        rows = np.concatenate(self.rows)
        self.hashes.clear()
        self.rows.clear()
        # A plain sort finds whether any key repeats (a clean file: nothing more to do); only
        # the rows whose hash repeats are then ordered stably, the first row of a key first.
        ordered = np.sort(hashes)
        same = ordered[1:] == ordered[:-1]
        count = int(np.count_nonzero(same))
        if not count:
            return []
        repeated = np.unique(ordered[1:][same])
        pick = np.flatnonzero(np.isin(hashes, repeated))  # in file order
        picked = hashes[pick]
        order = np.argsort(picked, kind="stable")
        repeat = np.zeros(len(pick), dtype=bool)
        repeat[1:] = picked[order][1:] == picked[order][:-1]
        sample = np.sort(rows[pick][order][repeat])[:MAX_SAMPLE_ROWS]
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
