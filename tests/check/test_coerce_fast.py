"""The fast reading of count columns (coerce._plain_digits) reads exactly what the full
reading reads: the same values, the same bad cells, on any text."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacontract.check import coerce as coercion

CELLS = st.one_of(
    st.none(),
    st.text(alphabet="0123456789", min_size=0, max_size=21),
    st.text(alphabet="0123456789+-., x\u00a0\u0663e", min_size=0, max_size=8),
)


@pytest.mark.parametrize("declared", ["integer", "number"])
@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, max_size=12))
def test_the_fast_reading_is_the_full_reading(declared: str, cells: list[str | None]) -> None:
    column = pa.array(cells, pa.string())
    fast = coercion.coerce(column, declared)  # type: ignore[arg-type]
    original = coercion._plain_digits
    try:
        coercion._plain_digits = lambda text, target: None  # type: ignore[assignment]
        full = coercion.coerce(column, declared)  # type: ignore[arg-type]
    finally:
        coercion._plain_digits = original
    assert fast.values.to_pylist() == full.values.to_pylist()
    assert fast.bad.tolist() == full.bad.tolist()


def test_a_column_of_plain_counts_takes_the_fast_reading() -> None:
    column = pa.array(["0", "12", None, "000123456789012345"], pa.string())
    assert coercion._plain_digits(column, pa.int64()) is not None
    assert coercion._plain_digits(pa.array(["1", "0x10"]), pa.int64()) is None
