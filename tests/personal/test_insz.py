"""insz.py: the arithmetic of national numbers.

No valid number is written down here: every one is computed with make_insz (or `with_check`
for bodies make_insz refuses), from birth dates and sequence numbers chosen below.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from datacontract.personal.insz import (
    NOTATIONS,
    birth_date,
    format_insz,
    is_valid_insz,
    make_insz,
    valid_numbers,
)

BIRTHS = [
    dt.date(1931, 2, 28),
    dt.date(1985, 7, 30),
    dt.date(1999, 12, 31),
    dt.date(2000, 1, 1),
    dt.date(2005, 3, 9),
    dt.date(2019, 11, 23),
    dt.date(2024, 2, 29),
]


def with_check(body: str, *, after_2000: bool) -> str:
    """Nine digits followed by the check digits that make them pass, whatever the date says."""
    base = int(body) + (2_000_000_000 if after_2000 else 0)
    return f"{body}{97 - base % 97:02d}"


def passes_either_formula(digits: str) -> bool:
    body, cc = int(digits[:9]), int(digits[9:])
    return cc in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


@pytest.mark.parametrize("birth", BIRTHS)
@pytest.mark.parametrize("bis", [0, 20, 40])
def test_make_insz_encodes_the_birth_date(birth: dt.date, bis: int) -> None:
    digits = make_insz(birth, 123, bis=bis)
    assert len(digits) == 11 and digits.isdigit()
    assert digits[:2] == f"{birth.year % 100:02d}"
    assert int(digits[2:4]) == birth.month + bis
    assert int(digits[4:6]) == birth.day
    assert digits[6:9] == "123"
    assert is_valid_insz(digits)
    assert birth_date(digits) == birth


@pytest.mark.parametrize("birth", BIRTHS)
def test_the_century_comes_from_the_formula_that_holds(birth: dt.date) -> None:
    digits = make_insz(birth, 7)
    body, cc = int(digits[:9]), int(digits[9:])
    after_2000 = cc == 97 - (2_000_000_000 + body) % 97
    assert after_2000 == (birth.year >= 2000)
    assert cc != 97 - body % 97 or not after_2000  # never both formulas


@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize("birth", BIRTHS)
def test_every_notation_is_valid_and_keeps_its_date(notation: str, birth: dt.date) -> None:
    text = format_insz(make_insz(birth, 42, bis=20), notation)
    assert is_valid_insz(text)
    assert is_valid_insz(f"  {text}\n")
    assert birth_date(text) == birth


def test_format_insz_writes_each_notation() -> None:
    digits = "12345678901"  # month 34: not a national number
    assert [format_insz(digits, n) for n in NOTATIONS] == [
        "12345678901",
        "12.34.56-789.01",
        "12 34 56 789 01",
        "12-34-56-789-01",
        "123456-789-01",
    ]


@pytest.mark.parametrize("digits", ["", "1234567890", "123456789012", "1234567890a", "١٢٣٤٥٦٧٨٩٠١"])
def test_format_insz_refuses_anything_but_11_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="11 digits"):
        format_insz(digits, "plain")


def test_format_insz_refuses_an_unknown_notation() -> None:
    with pytest.raises(ValueError, match="notation"):
        format_insz("12345678901", "roman")


def test_unknown_month_and_day_are_written_as_00() -> None:
    birth = dt.date(1985, 7, 30)
    no_month = make_insz(birth, 5, month_known=False)
    no_day = make_insz(birth, 5, day_known=False)
    bis_no_month = make_insz(birth, 5, bis=40, month_known=False)
    nothing = make_insz(None, 5)
    assert no_month[2:6] == "0000"
    assert no_day[2:6] == "0700"
    assert bis_no_month[2:6] == "4000"
    assert nothing[:6] == "000000"
    for digits in (no_month, no_day, bis_no_month, nothing):
        assert is_valid_insz(digits)
        assert birth_date(digits) is None


def test_unknown_parts_keep_the_century_of_the_year() -> None:
    digits = make_insz(dt.date(2012, 5, 5), 9, month_known=False)
    assert digits == with_check(digits[:9], after_2000=True)
    assert digits != with_check(digits[:9], after_2000=False)


@pytest.mark.parametrize("month", [0, 1, 12, 20, 21, 32, 40, 41, 52])
def test_register_and_bis_months_are_valid(month: int) -> None:
    assert is_valid_insz(with_check(f"85{month:02d}15123", after_2000=False))
    assert is_valid_insz(with_check(f"05{month:02d}15123", after_2000=True))


@pytest.mark.parametrize("month", [13, 19, 33, 39, 53, 60, 72, 99])
def test_other_months_are_not(month: int) -> None:
    assert not is_valid_insz(with_check(f"85{month:02d}15123", after_2000=False))
    assert not is_valid_insz(with_check(f"05{month:02d}15123", after_2000=True))


@pytest.mark.parametrize("day", [32, 35, 40, 99])
def test_days_above_31_are_valid(day: int) -> None:
    # The register counts on in the day part when a day's sequence numbers run out, or when
    # the day is unknown (python-stdnum's test numbers hold day 35): valid, without a date.
    digits = with_check(f"8507{day:02d}123", after_2000=False)
    assert is_valid_insz(digits)
    assert birth_date(digits) is None


def test_an_impossible_date_is_valid_but_has_no_birth_date() -> None:
    digits = with_check("850230123", after_2000=False)  # 30 February
    assert is_valid_insz(digits)
    assert birth_date(digits) is None


@pytest.mark.parametrize("birth", BIRTHS)
def test_a_wrong_check_digit_is_not_valid(birth: dt.date) -> None:
    digits = make_insz(birth, 321)
    for delta in (1, -1, 10):
        other = f"{digits[:9]}{(int(digits[9:]) + delta) % 100:02d}"
        assert is_valid_insz(other) == passes_either_formula(other)
        if not passes_either_formula(other):
            assert birth_date(other) is None


@pytest.mark.parametrize(
    "text", ["", "abc", "12345678901", "12.34.56-789.01", "1 2 3", "+{n}", "{n}1", "x{n}"]
)
def test_other_text_is_not_valid(text: str) -> None:
    n = make_insz(dt.date(1990, 4, 4), 17)
    assert not is_valid_insz(text.format(n=n))
    assert not is_valid_insz(n[:-1])
    assert not is_valid_insz(n + " " + n)


@pytest.mark.parametrize(
    ("birth", "sequence", "bis"),
    [
        (dt.date(1985, 1, 1), -1, 0),
        (dt.date(1985, 1, 1), 1000, 0),
        (dt.date(1985, 1, 1), 1, 10),
        (dt.date(1899, 12, 31), 1, 0),
        (dt.date(2100, 1, 1), 1, 0),
    ],
)
def test_make_insz_refuses_what_no_number_encodes(birth: dt.date, sequence: int, bis: int) -> None:
    with pytest.raises(ValueError):
        make_insz(birth, sequence, bis=bis)


def random_numbers(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    start, span = dt.date(1930, 1, 1), (dt.date(2024, 12, 31) - dt.date(1930, 1, 1)).days
    return [
        make_insz(
            start + dt.timedelta(days=rng.randrange(span + 1)),
            rng.randrange(1000),
            bis=rng.choice((0, 0, 20, 40)),
        )
        for _ in range(count)
    ]


def test_valid_numbers_agrees_with_is_valid_insz() -> None:
    rng = random.Random(11)
    valid = [int(n) for n in random_numbers(500, seed=3)]
    noise = [rng.randrange(10**11) for _ in range(3000)]
    numbers = np.array([*valid, *noise, -1, -97, 10**11, 10**12 + 97], dtype=np.int64)
    expected = [0 <= int(n) < 10**11 and is_valid_insz(f"{int(n):011d}") for n in numbers]
    assert valid_numbers(numbers).tolist() == expected
    assert valid_numbers(numbers)[: len(valid)].all()


def test_thousands_of_generated_numbers_in_every_notation() -> None:
    for digits in random_numbers(3000, seed=2025):
        assert all(is_valid_insz(format_insz(digits, n)) for n in NOTATIONS)
        changed = f"{digits[:9]}{(int(digits[9:]) + 1) % 100:02d}"
        if not passes_either_formula(changed):  # rarely, +1 meets the other century's formula
            assert not is_valid_insz(changed)
