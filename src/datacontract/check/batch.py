"""One batch of rows while its checks run, and the Tally that keeps what they found.

The Tally keeps counts and a few row numbers per (rule, column), never a value; a Batch holds
the raw columns of one batch and their typed form, cast once per column (coerce.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import Coerced, coerce
from datacontract.check.results import MAX_SAMPLE_ROWS
from datacontract.contract import model
from datacontract.errors import ContractError

Mask = np.ndarray


@dataclass
class Tally:
    """Counts and a few row numbers per (rule, column); never a value."""

    counts: dict[tuple[str, str | None], int] = field(default_factory=dict)
    rows: dict[tuple[str, str | None], list[int]] = field(default_factory=dict)

    def add(self, rule: str, column: str | None, mask: Mask, first_row: int) -> bool:
        """Record the rows where `mask` is True; return whether the batch passed."""
        bad = int(np.count_nonzero(mask))
        if bad == 0:
            return True
        key = (rule, column)
        self.counts[key] = self.counts.get(key, 0) + bad
        sample = self.rows.setdefault(key, [])
        if len(sample) < MAX_SAMPLE_ROWS:
            where = np.flatnonzero(mask)[: MAX_SAMPLE_ROWS - len(sample)]
            sample.extend(int(i) + first_row for i in where)
        return False


class Batch:
    """One batch of rows while its checks run: the raw columns and their typed form."""

    def __init__(
        self,
        frame: pd.DataFrame,
        first_row: int,
        tally: Tally,
        data: pa.RecordBatch | None = None,
    ) -> None:
        self.frame = frame
        self.first_row = first_row
        self.tally = tally
        self.crashed: dict[str, str] = {}
        self._typed: dict[str, Coerced] = {}
        # The record batch the frame was made from: its columns are the raw arrays, with no
        # conversion back from pandas.
        self._data = data
        self._index = {n: i for i, n in enumerate(data.schema.names)} if data is not None else {}
        self._raw: dict[str, pa.Array] = {}
        self._unlabelled: dict[str, npt.NDArray[np.int64]] = {}

    def raw(self, name: str) -> pa.Array:
        if name not in self._raw:
            if self._data is not None and name in self._index:
                column = self._data.column(self._index[name])
            else:
                column = to_arrow(self.frame[name])
            self._raw[name] = column
        return self._raw[name]

    def unlabelled(self, name: str, labels: pa.Array) -> npt.NDArray[np.int64]:
        """Rows of a text column whose cell is neither null nor one of `labels` (the column's
        declared labels), computed once per batch for every rule that asks."""
        if name not in self._unlabelled:
            raw = self.raw(name)
            other = pc.invert(pc.fill_null(pc.is_in(raw, value_set=labels), True))
            self._unlabelled[name] = np.flatnonzero(bool_mask(other))
        return self._unlabelled[name]

    def typed(self, column: model.Column) -> Coerced:
        if column.name not in self._typed:
            self._typed[column.name] = coerce(self.raw(column.name), column.type)
        return self._typed[column.name]

    def record(self, rule: str, column: str | None, mask: Mask) -> bool:
        return self.tally.add(rule, column, mask, self.first_row)


def to_arrow(series: pd.Series) -> pa.Array:
    values = series.array
    if hasattr(values, "__arrow_array__"):
        arr = values.__arrow_array__()
    else:  # not an Arrow-backed column (should not happen: frames are built by validate.py)
        arr = pa.array(series, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def bool_mask(arr: pa.Array | pa.ChunkedArray) -> Mask:
    filled = pc.fill_null(arr, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def insz_numbers(values: pa.Array) -> np.ndarray:
    """The 11 digits of each cell as an integer (any notation), -1 where there are not 11."""
    text = pc.cast(values, pa.string())
    digits = pc.replace_substring_regex(text, pattern="[^0-9]", replacement="")
    eleven = pc.fill_null(pc.equal(pc.utf8_length(digits), 11), False)
    cast = pc.cast(pc.if_else(eleven, digits, pa.scalar(None, pa.string())), pa.int64())
    return np.asarray(pc.fill_null(cast, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def ints(arr: pa.Array) -> np.ndarray:
    return np.asarray(
        pc.fill_null(pc.cast(arr, pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64
    )


_RE2_OK: set[str] = set()


def check_re2(pattern: str, where: str) -> None:
    """pyarrow runs RE2, which lacks look-around and back-references: say so up front."""
    if pattern in _RE2_OK:
        return
    try:
        pc.match_substring_regex(pa.array([], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ContractError(f"{where}: pattern is not a valid RE2 expression ({exc})") from None
    _RE2_OK.add(pattern)
