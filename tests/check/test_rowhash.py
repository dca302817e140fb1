"""check/rowhash.py: the row hash of uniqueness, read from Arrow buffers without pandas.

Equal keys hash equal whatever the batch, slice, null pattern or string layout; different keys
(short, long, multi-word, sharing prefixes) hash apart; and uniqueness on a file built from
such keys finds exactly the repeats a plain Python set finds.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from datacontract.check.rowhash import row_hashes

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, st.integers(-(2**63), 2**63 - 1)), min_size=1, max_size=60))
def test_equal_rows_hash_equal_and_distinct_rows_apart(rows: list[tuple[str, int]]) -> None:
    text = pa.array([r[0] for r in rows], pa.string())
    ints = pa.array([r[1] for r in rows], pa.int64())
    hashes = row_hashes([text, ints])
    by_row: dict[tuple[str, int], int] = {}
    for row, h in zip(rows, hashes.tolist(), strict=True):
        assert by_row.setdefault(row, h) == h  # equal rows, equal hashes
    assert len(set(by_row.values())) == len(by_row)  # distinct rows, distinct hashes


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=2, max_size=60), st.integers(0, 30))
def test_a_slice_and_a_large_string_hash_as_the_whole(values: list[str], cut: int) -> None:
    whole = pa.array(values, pa.string())
    cut = min(cut, len(values) - 1)
    assert row_hashes([whole]).tolist()[cut:] == row_hashes([whole.slice(cut)]).tolist()
    large = pa.array(values, pa.large_string())
    assert row_hashes([large]).tolist() == row_hashes([whole]).tolist()


def test_long_cells_that_differ_in_one_byte_anywhere_hash_apart() -> None:
    base = "x" * 257
    cells = [base] + [base[:i] + "y" + base[i + 1 :] for i in range(len(base))]
    cells += [base + "x", base[:-1], "", "x"]
    assert len(set(row_hashes([pa.array(cells, pa.string())]).tolist())) == len(cells)


def test_the_order_of_columns_and_every_declared_type_count() -> None:
    a = pa.array(["1", "2"], pa.string())
    b = pa.array(["2", "1"], pa.string())
    assert row_hashes([a, b])[0] != row_hashes([b, a])[0]
    typed = [
        pa.array([1, 2], pa.int64()),
        pa.array([1.5, -0.5], pa.float64()),
        pa.array([True, False]),
        pa.array([dt.date(2025, 1, 1), dt.date(2025, 1, 2)], pa.date32()),
        pa.array([dt.datetime(2025, 1, 1), dt.datetime(2025, 1, 2)], pa.timestamp("us", tz="UTC")),
    ]
    for column in typed:
        hashes = row_hashes([column])
        assert hashes.dtype == np.uint64 and hashes[0] != hashes[1]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.lists(st.integers(0, 255), min_size=1, max_size=40))
def test_cells_of_one_length_hash_as_in_a_mixed_batch(width: int, seeds: list[int]) -> None:
    # the fast path (every cell as long) and the general one give one hash to one cell
    cells = ["".join(chr(97 + (s + i) % 26) for i in range(width)) for s in seeds]
    alone = row_hashes([pa.array(cells, pa.string())]).tolist()
    mixed = row_hashes([pa.array([*cells, "", None, "x" * (width + 9)], pa.string())]).tolist()
    assert alone == mixed[: len(cells)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "ab", "", None]), st.integers(0, 3)), max_size=80
    ),
    st.integers(1, 9),
)
def test_uniqueness_finds_the_repeats_a_python_set_finds(
    rows: list[tuple[str | None, int]], batch_rows: int
) -> None:
    from datacontract.check.kinds.unique import UniqueState
    from datacontract.check.results import MAX_SAMPLE_ROWS
    from datacontract.contract import model

    columns = (
        model.Column(name="k", type="string", category="identifier", article="t"),
        model.Column(name="n", type="integer", category="identifier", article="t"),
    )
    state = UniqueState("d.unique", None, columns)
    for start in range(0, len(rows), batch_rows):
        part = rows[start : start + batch_rows]
        data = pa.RecordBatch.from_arrays(
            [pa.array([r[0] for r in part], pa.string()), pa.array([r[1] for r in part])],
            names=["k", "n"],
        )
        state.update(data, start + 1)
    seen: set[tuple[str | None, int]] = set()
    repeats = []
    for number, row in enumerate(rows, 1):
        if row[0] is None:
            continue  # a row with an empty key cell is not compared
        if row in seen:
            repeats.append(number)
        seen.add(row)
    found = state.findings()
    if not repeats:
        assert found == []
    else:
        (finding,) = found
        assert finding.count == len(repeats)
        assert list(finding.rows) == repeats[:MAX_SAMPLE_ROWS]
