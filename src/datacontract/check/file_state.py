"""The rules that span a whole file, with bounded state across its batches.

Each rule kind that keeps state says how in its registry entry (check/kinds/: uniqueness keeps
8 bytes of hash and 8 of row number per row, a single-value rule at most 16 distinct values);
the keys digest (an order-independent SHA-256 over the key
columns, which hops record so the prover can compare a file with its source) three integers.
No value is kept beyond the batch it came in, and none reaches a finding but the labels the
contract declares safe to show (personal/redact.py).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.check.keyhash import pandas_row_hashes
from datacontract.check.kinds import RuleState, kind_of
from datacontract.check.kinds.unique import UniqueState
from datacontract.check.results import Finding
from datacontract.contract import model
from datacontract.personal.insz import is_valid_number, normalise, numbers_in_text


class FileState:
    """Bounded state for the rules that look at the whole file."""

    def __init__(self, dataset: model.Dataset) -> None:
        self.dataset = dataset
        # (rows, sum mod 2**64, xor) of the key columns' row hashes; None: no digest
        self._keys: tuple[int, int, int] | None = (0, 0, 0) if dataset.keys else None
        # (rank, state): a column's `unique: true` first, then each rule whose kind keeps
        # state, in the order of its kind's state_rank (check/kinds/)
        ranked: list[tuple[int, RuleState]] = [
            (-1, UniqueState(f"{dataset.id}.{col.name}.unique", col.article, (col,)))
            for col in dataset.columns
            if col.unique
        ]
        for rule in dataset.rules:
            kind = kind_of(rule)
            state = kind.file_state(dataset, rule)
            if state is not None:
                ranked.append((kind.state_rank, state))
        self.states = [state for _, state in sorted(ranked, key=lambda r: r[0])]

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
        # pandas' own row hash (the digest is in ledgers: it must not change), computed from
        # the Arrow buffers (check/keyhash.py)
        hashed = pandas_row_hashes(
            [
                _as_key(c, coerce(data.column(c.name), c.type).values)
                for c in columns
                if c is not None
            ]
        )
        count, total, mixed = self._keys
        with np.errstate(over="ignore"):
            total = int(np.uint64(total) + hashed.sum(dtype=np.uint64))
        mixed ^= int(np.bitwise_xor.reduce(hashed)) if hashed.size else 0
        self._keys = (count + int(hashed.size), total, mixed)

    def update(self, data: pa.RecordBatch, first_row: int) -> None:
        self._update_keys(data)
        for state in self.states:
            state.update(data, first_row)

    def findings(self) -> list[Finding]:
        return [finding for state in self.states for finding in state.findings()]


def key_text(column: model.Column, value: str) -> str:
    """A key cell as the detectors read it, so that two files holding the same families
    compare equal whatever the notation (issue 24: the payer's return on stap 4 against the
    sample of stap 3). An INSZ column: the eleven digits of the one national number the cell
    renders (YY.MM.DD-SSS.CC, spaces, a lost leading zero: personal/insz.py), else the
    normalised text; any other text key (the CGPA code): normalised, trimmed, in capitals."""
    clean = normalise(value).strip()
    if column.format == "insz":
        numbers = {n for n in numbers_in_text(clean) if is_valid_number(n)}
        if len(numbers) == 1:
            return f"{numbers.pop():011d}"
        return clean
    return clean.upper()


def _as_key(column: model.Column, values: pa.Array) -> pa.Array:
    """The key column as key_text reads it (text columns only; numbers compare as they are),
    each distinct cell read once; an empty cell stays empty."""
    if column.type != "string":
        return values
    encoded = pc.dictionary_encode(values)
    read = [key_text(column, v) for v in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(read, pa.string()), encoded.indices)
