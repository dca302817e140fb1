"""A national number split over columns is found (issue 22.4; personal/split.py), through the
published command line too, and a date beside unrelated numbers is not.

Every number is computed here with make_insz from birth dates and sequence numbers chosen at
random (seeded); none is a real person's.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.personal import insz
from datacontract.personal.insz import make_insz
from datacontract.personal.split import split_insz

RNG = random.Random(22)
BIRTHS = [dt.date(1950, 1, 1) + dt.timedelta(days=RNG.randrange(27_000)) for _ in range(40)]
SEQUENCES = [RNG.randrange(1, 998) for _ in BIRTHS]
NUMBERS = [make_insz(b, s) for b, s in zip(BIRTHS, SEQUENCES, strict=True)]

DATES: dict[str, pa.Array] = {
    "date32": pa.array(BIRTHS),
    "timestamp": pa.array([dt.datetime(b.year, b.month, b.day, 8) for b in BIRTHS]),
    "iso": pa.array([b.isoformat() for b in BIRTHS]),
    "iso-time": pa.array([f"{b.isoformat()}T00:00:00" for b in BIRTHS]),
    "european": pa.array([b.strftime("%d/%m/%Y") for b in BIRTHS]),
    "dotted": pa.array([b.strftime("%d.%m.%Y") for b in BIRTHS]),
    "yyyymmdd": pa.array([b.strftime("%Y%m%d") for b in BIRTHS]),
    "yymmdd": pa.array([b.strftime("%y%m%d") for b in BIRTHS]),
    "yy.mm.dd": pa.array([b.strftime("%y.%m.%d") for b in BIRTHS]),
    "dictionary": pa.array([b.isoformat() for b in BIRTHS]).dictionary_encode(),
}
SERIALS: dict[str, list[tuple[str, pa.Array]]] = {
    "ssscc-text": [("volgnr", pa.array([n[6:] for n in NUMBERS]))],
    "ssscc-int": [("volgnr", pa.array([int(n[6:]) for n in NUMBERS]))],
    "ssscc-dashed": [("volgnr", pa.array([f"{n[6:9]}-{n[9:]}" for n in NUMBERS]))],
    "ssscc-dotted": [("volgnr", pa.array([f"{n[6:9]}.{n[9:]}" for n in NUMBERS]))],
    "sss+cc-text": [
        ("volgnr", pa.array([n[6:9] for n in NUMBERS])),
        ("controle", pa.array([n[9:] for n in NUMBERS])),
    ],
    "sss+cc-int": [
        ("volgnr", pa.array([int(n[6:9]) for n in NUMBERS])),
        ("controle", pa.array([int(n[9:]) for n in NUMBERS])),
    ],
}


@pytest.mark.parametrize("serial", list(SERIALS))
@pytest.mark.parametrize("date", list(DATES))
def test_a_date_and_a_serial_make_a_national_number(date: str, serial: str) -> None:
    columns = [("geboortedatum", DATES[date]), ("bedrag", pa.array([7.5] * len(BIRTHS)))]
    columns += SERIALS[serial]
    found = split_insz(columns)
    assert list(found) == ["volgnr"] and found["volgnr"].all(), (date, serial)
    backwards = split_insz(list(reversed(columns[:2])) + SERIALS[serial])
    assert "volgnr" in backwards  # the order of the date and the serial does not matter


def test_one_row_of_a_file_is_enough() -> None:
    columns = [("d", pa.array([BIRTHS[0]])), ("s", pa.array([NUMBERS[0][6:]]))]
    assert split_insz(columns)["s"].tolist() == [True]


def test_nulls_and_other_rows_do_not_hide_it() -> None:
    dates = pa.array([None, *BIRTHS, None])
    serials = pa.array(["", *(n[6:] for n in NUMBERS), "12345"])
    found = split_insz([("d", dates), ("s", serials)])["s"]
    assert found[1:-1].all() and not found[0] and not found[-1]


def test_wrong_check_digits_are_not_a_national_number() -> None:
    wrong = [f"{n[6:9]}{(int(n[9:]) + 1) % 100:02d}" for n in NUMBERS]
    assert split_insz([("d", DATES["iso"]), ("s", pa.array(wrong))]) == {}


def test_a_date_beside_unrelated_numbers_is_not_one() -> None:
    rng = np.random.default_rng(5)
    amounts = pa.array(rng.integers(100, 99_999, size=len(BIRTHS)))
    counts = pa.array(rng.integers(0, 9, size=len(BIRTHS)))
    codes = pa.array([f"{v:03d}" for v in rng.integers(1, 998, size=len(BIRTHS))])
    columns = [("d", DATES["date32"]), ("a", amounts), ("c", counts), ("k", codes)]
    assert split_insz(columns) == {}


def test_the_arithmetic_is_the_registers() -> None:
    """The check digits split.py computes agree with insz.valid_numbers on every row."""
    rng = np.random.default_rng(9)
    serials = rng.integers(100, 99_999, size=5_000)
    days = rng.integers(0, 40_000, size=5_000)
    births = [dt.date(1940, 1, 1) + dt.timedelta(days=int(d)) for d in days]
    found = split_insz([("d", pa.array(births)), ("s", pa.array(serials))]).get("s")
    yymmdd = np.array([int(b.strftime("%y%m%d")) for b in births], dtype=np.int64)
    expected = insz.valid_numbers(yymmdd * 100_000 + serials)
    # a random pair fails SHARE: the whole column is then no split number, by design
    assert found is None and expected.mean() < 0.05


def test_validate_refuses_a_file_with_a_split_national_number(tmp_path: Path) -> None:
    rows = len(BIRTHS)
    table = pa.table(
        {
            "gezinscode": [
                "G" + "A" * 15 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[i % 32] for i in range(rows)
            ],
            "ua": ["FONS"] * rows,
            "stratum": ["FONS/1/0-5/I1"] * rows,
            "email": [None] * rows,
            "geboortedatum": [b.isoformat() for b in BIRTHS],
            "volgnr": [n[6:] for n in NUMBERS],
        }
    )
    path = tmp_path / "split.parquet"
    pq.write_table(table, path)
    run = run_cli(
        "validate", path, "--contract", CONTRACT, "--dataset", "dataset_4", "--format", "json"
    )
    assert run.code == 1 and "dataset_4.no_insz" in run.stdout, run.everything
    for n in NUMBERS:
        assert n not in run.everything and n[6:] not in run.everything
