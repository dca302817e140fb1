"""A column too short for a detector is not searched (cells.longest), and skipping it never
changes a verdict: each detector gives, with the skip, what its search gives cell by cell."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacontract.personal import detect
from datacontract.personal.detect import _least_width

PATTERNS = [
    r"(?:^|[^A-Za-z0-9])CG[0-9]{8}(?:[^0-9]|$)",
    r"(?:^|[^A-Za-z0-9])G[A-Z2-7]{16}(?:[^A-Za-z0-9]|$)",
    r"ab|c",
    r"x{3,}",
]
CELL = st.one_of(st.none(), st.text(alphabet="CG0123456789 xabc+-", max_size=14))


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=150, deadline=None)
@given(cells=st.lists(CELL, max_size=8))
def test_a_pattern_finds_what_it_finds_cell_by_cell(pattern: str, cells: list[str | None]) -> None:
    got = detect.contains_pattern(pa.array(cells, pa.string()), pattern).tolist()
    assert got == [c is not None and re.search(pattern, c) is not None for c in cells]


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(CELL, max_size=8))
def test_insz_and_phone_on_short_columns_are_what_each_cell_gives(cells: list[str | None]) -> None:
    column = pa.array(cells, pa.string())
    for fn in (detect.contains_insz, detect.contains_phone):
        whole = fn(column).tolist()
        alone = [fn(pa.array([c], pa.string())).tolist()[0] for c in cells]
        assert whole == alone


def test_the_floors() -> None:
    assert _least_width(PATTERNS[0]) == 10 and _least_width(PATTERNS[1]) == 17
    assert _least_width("(?i)cg[0-9]{8}") == 0  # flags: not bounded on a guess
    assert _least_width(r"\pL{20}") == 0  # RE2-only syntax
    assert not detect.contains_pattern(pa.array(["CG1234567"]), PATTERNS[0]).any()
    assert detect.contains_pattern(pa.array(["1", "CG12345678"]), PATTERNS[0]).tolist() == [
        False,
        True,
    ]
