"""The rules that span a whole file, with bounded state across its batches.

Uniqueness keeps 8 bytes of hash and 8 of row number per row; a single-value rule at most
_MAX_DISTINCT distinct values; the keys digest (an order-independent SHA-256 over the key
columns, which hops record so the prover can compare a file with its source) three integers.
No value is kept beyond the batch it came in, and none reaches a finding but the labels the
contract declares safe to show (personal/redact.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.check.results import MAX_SAMPLE_ROWS, Finding, agreeing
from datacontract.contract import model
from datacontract.personal.redact import printable_value

_MAX_DISTINCT = 16


@dataclass
class _Unique:
    rule: str
    article: str | None
    columns: tuple[model.Column, ...]
    hashes: list[np.ndarray] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)


@dataclass
class _Single:
    rule: str
    article: str | None
    column: model.Column
    seen: list[object] = field(default_factory=list)  # at most _MAX_DISTINCT, kept in memory
    others: int = 0  # rows whose value differs from the first one seen
    sample: list[int] = field(default_factory=list)


class FileState:
    """Bounded state for the rules that look at the whole file."""

    def __init__(self, dataset: model.Dataset) -> None:
        self.dataset = dataset
        # (rows, sum mod 2**64, xor) of the key columns' row hashes; None: no digest
        self._keys: tuple[int, int, int] | None = (0, 0, 0) if dataset.keys else None
        self.unique: list[_Unique] = []
        self.single: list[_Single] = []
        for col in dataset.columns:
            if col.unique:
                self.unique.append(_Unique(f"{dataset.id}.{col.name}.unique", col.article, (col,)))
        for rule in dataset.rules:
            if isinstance(rule, model.UniqueRule):
                cols = tuple(c for name in rule.columns if (c := dataset.column(name)))
                self.unique.append(_Unique(rule.id, rule.article, cols))
            elif isinstance(rule, model.SingleValueRule):
                single = dataset.column(rule.column)
                assert single is not None
                self.single.append(_Single(rule.id, rule.article, single))

    def keys_digest(self) -> str | None:
        """The digest of the key columns' rows: count, sum and xor of their hashes."""
        if self._keys is None:
            return None
        count, total, mixed = self._keys
        return hashlib.sha256(f"{count}:{total}:{mixed}".encode()).hexdigest()

    def _update_keys(self, data: pa.RecordBatch) -> None:
        columns = [self.dataset.column(k) for k in self.dataset.keys]
        if not columns or self._keys is None:
            return
        if not all(c is not None and c.name in data.schema.names for c in columns):
            self._keys = None  # a key column is missing: the file breaks columns.required
            return
        frame = pd.DataFrame(
            {
                c.name: coerce(data.column(c.name), c.type).values.to_pandas(
                    types_mapper=pd.ArrowDtype
                )
                for c in columns
                if c is not None
            }
        )
        hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
        count, total, mixed = self._keys
        with np.errstate(over="ignore"):
            total = int(np.uint64(total) + hashed.sum(dtype=np.uint64))
        mixed ^= int(np.bitwise_xor.reduce(hashed)) if hashed.size else 0
        self._keys = (count + int(hashed.size), total, mixed)

    def update(self, data: pa.RecordBatch, first_row: int) -> None:
        self._update_keys(data)
        names = set(data.schema.names)
        positions = np.arange(first_row, first_row + data.num_rows, dtype=np.int64)
        for u in self.unique:
            if not all(c.name in names for c in u.columns):
                continue
            keys = pd.DataFrame(
                {
                    c.name: coerce(data.column(c.name), c.type).values.to_pandas(
                        types_mapper=pd.ArrowDtype
                    )
                    for c in u.columns
                }
            )
            complete = keys.notna().all(axis=1).to_numpy()
            hashed = pd.util.hash_pandas_object(keys, index=False).to_numpy()
            u.hashes.append(hashed[complete])
            u.rows.append(positions[complete])
        for s in self.single:
            if s.column.name not in names:
                continue
            values = coerce(data.column(s.column.name), s.column.type).values
            for value in pc.unique(values).to_pylist():
                if value is not None and value not in s.seen and len(s.seen) < _MAX_DISTINCT:
                    s.seen.append(value)
            if s.seen:
                differs = np.asarray(
                    pc.fill_null(
                        pc.not_equal(values, pa.scalar(s.seen[0], values.type)), False
                    ).to_numpy(zero_copy_only=False),
                    dtype=bool,
                )
                s.others += int(differs.sum())
                if len(s.sample) < MAX_SAMPLE_ROWS:
                    s.sample.extend(
                        int(i) + first_row
                        for i in np.flatnonzero(differs)[: MAX_SAMPLE_ROWS - len(s.sample)]
                    )

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for u in self.unique:
            if not u.hashes:
                continue
            hashes = np.concatenate(u.hashes)
            rows = np.concatenate(u.rows)
            u.hashes.clear()
            u.rows.clear()
            order = np.argsort(hashes, kind="stable")  # stable: the first row of a key comes first
            sorted_hashes = hashes[order]
            repeat = np.zeros(len(hashes), dtype=bool)
            repeat[1:] = sorted_hashes[1:] == sorted_hashes[:-1]
            count = int(repeat.sum())
            if count:
                sample = np.sort(rows[order][repeat])[:MAX_SAMPLE_ROWS]
                keys = ", ".join(c.name for c in u.columns)
                out.append(
                    Finding(
                        rule=u.rule,
                        column=keys,
                        count=count,
                        article=u.article,
                        message=f"{agreeing(count, 'row', 'repeat')} the {keys} of an earlier row",
                        rows=tuple(int(r) for r in sample),
                    )
                )
        for s in self.single:
            if len(s.seen) > 1:
                shown = [printable_value(s.column, v) for v in s.seen]
                if all(v is not None for v in shown):
                    values = f" ({', '.join(str(v) for v in shown)})"
                else:
                    values = ""
                distinct = f"{len(s.seen)}{'+' if len(s.seen) >= _MAX_DISTINCT else ''}"
                out.append(
                    Finding(
                        rule=s.rule,
                        column=s.column.name,
                        count=s.others,
                        article=s.article,
                        message=(
                            f"{s.column.name} holds {distinct} different values{values}; "
                            f"the file must hold one: {agreeing(s.others, 'row', 'differ')} "
                            "from the first"
                        ),
                        rows=tuple(s.sample),
                    )
                )
        return out
