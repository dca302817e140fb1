"""check/batch.py's bool_mask: Arrow booleans unpacked by numpy agree with Arrow's own
conversion, for every slice and null pattern (null: False), and the mask is the caller's own."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from datacontract.check.batch import bool_mask


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([True, False, None]), max_size=70), st.data())
def test_unpacked_masks_agree_with_arrow(cells: list[bool | None], data: st.DataObject) -> None:
    arr = pa.array(cells, pa.bool_())
    start = data.draw(st.integers(0, len(cells)))
    length = data.draw(st.integers(0, len(cells) - start))
    part = arr.slice(start, length)
    expected = [bool(c) for c in cells[start : start + length]]
    mask = bool_mask(part)
    assert mask.dtype == bool and mask.tolist() == expected
    assert bool_mask(pa.chunked_array([part], pa.bool_())).tolist() == expected
    if length:
        mask[0] = not mask[0]  # the caller's own copy: the next call is unchanged
        assert bool_mask(part).tolist() == expected
