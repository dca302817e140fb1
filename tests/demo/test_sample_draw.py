"""`sample` a column at a time (demo/sample_draw.py): the same guarantees as row by row,
across chunks: valid national numbers, unique keys, rules true, files that validate."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.sample import write_sample_chunks
from datacontract.demo.sample_draw import arrow_array, sample_chunks
from datacontract.demo.sample_values import from_regex, insz_numbers
from datacontract.personal.insz import make_insz

LOADED = load_contract(CONTRACT)


def test_national_numbers_are_those_of_the_register_formula() -> None:
    # python-stdnum's reading is the oracle for make_insz (tests/personal); this compares the
    # vectorised numbers with make_insz on births on both sides of 2000 and leap days.
    rng = np.random.default_rng(5)
    days = rng.integers(-25_000, 20_000, size=2_000)
    days[:3] = [(dt.date(y, 2, 29) - dt.date(1970, 1, 1)).days for y in (1960, 2000, 2024)]
    seq = rng.integers(1, 998, size=2_000)
    got = insz_numbers(days, seq).tolist()
    epoch = dt.date(1970, 1, 1)
    want = [
        make_insz(epoch + dt.timedelta(days=int(d)), int(s)) for d, s in zip(days, seq, strict=True)
    ]
    assert got == want


@pytest.mark.parametrize(
    "pattern",
    [r"^G[A-Z2-7]{16}$", r"^(FONS|KIDSLIFE)/(1|2|4\+)/(0-5|6-11)$", r"^CG[0-9]{8}$", r"^a{2,5}b?$"],
)
def test_drawn_strings_match_their_pattern(pattern: str) -> None:
    drawn = from_regex(pattern, np.random.default_rng(2), 500).tolist()
    assert all(re.fullmatch(pattern, d) for d in drawn)
    assert len(set(drawn)) > 1


@pytest.mark.parametrize(
    ("values", "kind", "nulls"),
    [
        (np.array(["abc", "dé", "", "x" * 40]), pa.string(), [False, True, False, False]),
        (np.array(["abc", "d", "", "x" * 40]), pa.string(), None),
        (np.array([3, -1, 0, 7]), pa.int64(), [True, False, False, False]),
        (np.array([1.5, 2.0, -3.25, 0.0]), pa.float64(), None),
        (np.array([True, False, True, True]), pa.bool_(), [False, False, True, False]),
    ],
)
def test_arrow_arrays_hold_the_values_and_nulls(
    values: np.ndarray, kind: pa.DataType, nulls: list[bool] | None
) -> None:
    mask = None if nulls is None else np.array(nulls)
    got = arrow_array(values, kind, mask)
    got.validate(full=True)
    want = pa.array(values.tolist(), type=kind, mask=mask)
    assert got.equals(want)


def test_keys_stay_unique_across_chunks() -> None:
    contract = LOADED.contract
    ds = contract.dataset("dataset_2")
    assert ds is not None
    keys = [c.name for c in ds.columns if c.unique] or ["insz"]
    seen: list[str] = []
    for chunk in sample_chunks(contract, ds, 5_000, seed=1, chunk_rows=700):
        for name in keys:
            seen.extend(f"{name}={v}" for v in chunk.values[name].tolist())
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".jsonl"])
def test_a_streamed_sample_validates_and_is_what_rows_give(tmp_path: Path, ext: str) -> None:
    ds = LOADED.contract.dataset("dataset_2")
    assert ds is not None
    out = tmp_path / f"dataset_2{ext}"
    seen: list[int] = []
    chunks = sample_chunks(LOADED.contract, ds, 3_000, seed=4, chunk_rows=512)
    write_sample_chunks(chunks, ds, out, seen.append)
    assert seen[-1] == 3_000 and len(seen) == 6  # progress after every chunk
    check = run_cli("validate", out, "--contract", CONTRACT, "--dataset", "dataset_2")
    assert check.code == 0, check.everything
    if ext == ".csv":
        assert pacsv.read_csv(out).num_rows == 3_000
