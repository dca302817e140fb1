"""One batch of rows while its checks run, and the Tally that keeps what they found.

The Tally keeps counts and a few row numbers per (rule, column), never a value; a Batch holds
the raw columns of one Arrow record batch (as the reader gave it, no copy) and their typed
form, cast once per column (coerce.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
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
    forms: dict[tuple[str, str | None], dict[str, int]] = field(default_factory=dict)
    """Per type rule: how many refused cells have each common form (coerce.found_forms)."""

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

    def add_forms(self, rule: str, column: str | None, forms: dict[str, int]) -> None:
        """Add the forms of a batch's refused cells (names of shapes and counts, no value)."""
        kept = self.forms.setdefault((rule, column), {})
        for form, count in forms.items():
            kept[form] = kept.get(form, 0) + count


class Batch:
    """One batch of rows while its checks run: the raw columns and their typed form."""

    def __init__(self, data: pa.RecordBatch, first_row: int, tally: Tally) -> None:
        self.data = data
        self.first_row = first_row
        self.tally = tally
        # the file's column names in its order (the reader refuses a name given twice)
        self.columns: list[str] = list(data.schema.names)
        self.num_rows = data.num_rows
        self.crashed: dict[str, str] = {}
        self._typed: dict[str, Coerced] = {}
        self._index = {n: i for i, n in enumerate(self.columns)}
        self._unlabelled: dict[str, npt.NDArray[np.int64]] = {}

    def raw(self, name: str) -> pa.Array:
        """The column as the reader gave it (KeyError for a column the batch lacks)."""
        return self.data.column(self._index[name])

    def unlabelled(self, name: str, labels: pa.Array) -> npt.NDArray[np.int64]:
        """Rows of a text column whose cell is not one of `labels` (the column's declared
        labels; an empty cell counts as not one), computed once per batch for every rule that
        asks."""
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


def bool_mask(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """A boolean Arrow array as a numpy mask (null: False), a fresh array the caller may change."""
    filled = pc.fill_null(arr, False) if arr.null_count else arr
    if isinstance(filled, pa.Array) and pa.types.is_boolean(filled.type):
        # Arrow packs booleans 8 to a byte: unpacked by numpy, 15 times faster than to_numpy
        bits = filled.buffers()[1]
        if bits is not None:
            first, n = filled.offset, len(filled)
            packed = np.frombuffer(bits, dtype=np.uint8)[first // 8 : (first + n + 7) // 8]
            start = first % 8
            return np.unpackbits(packed, bitorder="little")[start : start + n].view(bool)
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
