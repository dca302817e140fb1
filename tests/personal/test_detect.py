"""detect.py: the personal-data detectors, on every kind of column they meet.

Every national number is computed with make_insz from a birth date and sequence number chosen
here; no valid one is written down.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from collections.abc import Callable, Sequence

import numpy as np
import pyarrow as pa
import pytest

from datacontract.personal.detect import (
    contains_email,
    contains_insz,
    contains_pattern,
    contains_phone,
    is_email,
    is_insz,
    is_phone,
    matches_pattern,
)
from datacontract.personal.insz import NOTATIONS, format_insz, make_insz

Detector = Callable[[pa.Array | pa.ChunkedArray], np.ndarray]
ALL: list[Detector] = [
    contains_insz,
    is_insz,
    contains_email,
    is_email,
    contains_phone,
    is_phone,
    lambda a: contains_pattern(a, "[0-9]"),
    lambda a: matches_pattern(a, ".*"),
]

ADULT = make_insz(dt.date(1985, 7, 30), 33)
CHILD = make_insz(dt.date(2019, 11, 23), 102)
BIS_UNKNOWN = make_insz(dt.date(1972, 1, 9), 860, bis=20)
BIS_KNOWN = make_insz(dt.date(2005, 6, 14), 7, bis=40)
NUMBERS = [ADULT, CHILD, BIS_UNKNOWN, BIS_KNOWN]


def flags(
    fn: Detector, cells: Sequence[object], arrow_type: pa.DataType | None = None
) -> list[bool]:
    result = fn(pa.array(cells, type=arrow_type))
    assert isinstance(result, np.ndarray) and result.dtype == np.bool_
    assert result.shape == (len(cells),)
    return [bool(x) for x in result]


def bump(digits: str, delta: int = 1) -> str:
    """The same number with its check digits moved by delta (mod 100)."""
    return f"{digits[:9]}{(int(digits[9:]) + delta) % 100:02d}"


def passes_either_formula(digits: str) -> bool:
    body, cc = int(digits[:9]), int(digits[9:])
    return cc in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


def with_check(body: str, *, after_2000: bool) -> str:
    base = int(body) + (2_000_000_000 if after_2000 else 0)
    return f"{body}{97 - base % 97:02d}"


def wrong_check(digits: str) -> str:
    """The nearest check digits that pass neither formula."""
    return next(bump(digits, d) for d in (1, 2, 3) if not passes_either_formula(bump(digits, d)))


# --- INSZ in text ------------------------------------------------------------------------------


@pytest.mark.parametrize("notation", NOTATIONS)
def test_every_notation_is_found_and_is_an_insz(notation: str) -> None:
    cells = [format_insz(n, notation) for n in NUMBERS]
    assert flags(contains_insz, cells) == [True] * 4
    assert flags(is_insz, cells) == [True] * 4
    assert flags(is_insz, [f" {c}\t" for c in cells]) == [True] * 4


@pytest.mark.parametrize(
    "birth",
    [dt.date(1930, 1, 1), dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2005, 3, 9)],
)
def test_births_either_side_of_2000(birth: dt.date) -> None:
    cells = [format_insz(make_insz(birth, 1, bis=b), n) for b in (0, 20, 40) for n in NOTATIONS]
    assert all(flags(contains_insz, cells))


def test_unknown_month_or_day() -> None:
    birth = dt.date(2011, 8, 19)
    cells = [
        make_insz(birth, 3, month_known=False),
        make_insz(birth, 3, day_known=False),
        make_insz(birth, 3, bis=40, month_known=False),
        make_insz(None, 3, bis=20),
    ]
    assert flags(contains_insz, cells) == [True] * 4
    assert flags(is_insz, cells) == [True] * 4


def test_numbers_inside_longer_text() -> None:
    cells = [
        f"{ADULT}@example.be",
        f"tel {format_insz(CHILD, 'dotted')} x",
        f"INSZ:{BIS_KNOWN};",
        f"({format_insz(BIS_UNKNOWN, 'spaced')})",
        f"regel 1\n{format_insz(ADULT, 'mixed')}\nregel 3",
        f"kind_{format_insz(CHILD, 'hyphen')}_2024",
    ]
    assert flags(contains_insz, cells) == [True] * 6
    assert flags(is_insz, cells) == [False] * 6


def test_near_misses_are_not_numbers() -> None:
    cells = [
        wrong_check(ADULT),
        format_insz(wrong_check(CHILD), "dotted"),
        ADULT[:-1] + " x",  # 10 digits in text: not a rendering of a number
        "7" + ADULT,  # 12 digits: a longer number, not an INSZ
        ADULT + "7",
        "7" + format_insz(ADULT, "dotted"),
        format_insz(ADULT, "spaced") + "7",
        with_check("851315123", after_2000=False),  # month 13
        with_check("053301123", after_2000=True),  # bis month 33
        "+" + ADULT,  # an international phone number
        ADULT[:6] + " x " + ADULT[6:],  # a word between the groups
        "GABCDEFGHIJKLMNOP",
    ]
    assert flags(contains_insz, cells) == [False] * len(cells)
    assert flags(is_insz, cells) == [False] * len(cells)


def test_several_numbers_in_one_cell() -> None:
    bad = wrong_check(ADULT)
    # a wrong number whose check digits are the right one's year: "YY MM DD SSS [YY] MM DD SSS CC"
    first = next(
        body + CHILD[:2]
        for body in (ADULT[:9], ADULT[:6] + "999")
        if not passes_either_formula(body + CHILD[:2])
    )
    overlapping = format_insz(first, "spaced") + format_insz(CHILD, "spaced")[2:]
    cells = [
        f"{bad} {CHILD}",  # one space between: a wrong number, then a right one
        f"{bad},{bad};{format_insz(CHILD, 'dotted')}",
        overlapping,
        f"{bad} {wrong_check(CHILD)} {bad}",  # many digits, no valid number
        f"{ADULT} {CHILD}",
    ]
    assert flags(contains_insz, cells) == [True, True, True, False, True]


def test_nulls_empty_strings_and_empty_arrays() -> None:
    assert flags(contains_insz, [ADULT, None, "", " "]) == [True, False, False, False]
    assert flags(contains_insz, ["", ADULT, "", None, ""]) == [False, True, False, False, False]
    assert flags(is_insz, [ADULT, None, "", " "]) == [True, False, False, False]
    for fn in ALL:
        assert fn(pa.array([], pa.string())).shape == (0,)
        assert fn(pa.chunked_array([], pa.string())).shape == (0,)
        assert fn(pa.array([None, None], pa.string())).tolist() == [False, False]
        assert fn(pa.nulls(3)).tolist() == [False] * 3


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string()])
@pytest.mark.parametrize("width", [10, 1000])
def test_columns_of_mostly_text_or_mostly_digits(arrow_type: pa.DataType, width: int) -> None:
    # few digits among many cells, or many: the detectors must not care which
    filler = ["", "GABCDEFGHIJKLMNOP", None, "bus 9"]
    cells: list[str | None] = [filler[i % 4] for i in range(width)]
    for i in (0, width // 2, width - 1):
        cells[i] = f"x {format_insz(ADULT, 'dotted')}"
    cells[1] = f"bel 0475 12 34 56 of {CHILD}"
    expected_insz = [i in (0, 1, width // 2, width - 1) for i in range(width)]
    arr = pa.array(cells, arrow_type)
    assert contains_insz(arr).tolist() == expected_insz
    assert contains_phone(arr).tolist() == [i == 1 for i in range(width)]
    assert contains_insz(arr.slice(1, width - 2)).tolist() == expected_insz[1:-1]
    assert contains_insz(arr.slice(2, 1)).tolist() == [False]


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string(), pa.string_view()])
def test_string_types(arrow_type: pa.DataType) -> None:
    cells = [ADULT, "x", None, f"a {format_insz(CHILD, 'dotted')} b"]
    assert flags(contains_insz, cells, arrow_type) == [True, False, False, True]


def test_chunked_dictionary_and_sliced_arrays() -> None:
    cells = ["GABCDEFG", ADULT, None, f"mail {CHILD}@example.be", "GABCDEFG", wrong_check(ADULT)]
    expected = [False, True, False, True, False, False]
    chunked = pa.chunked_array([cells[:2], cells[2:3], [], cells[3:]], pa.string())
    assert contains_insz(chunked).tolist() == expected
    assert contains_insz(pa.array(cells).dictionary_encode()).tolist() == expected
    sliced = pa.array(["pad", *cells, ADULT]).slice(1, len(cells))
    assert contains_insz(sliced).tolist() == expected
    assert contains_insz(pa.array(cells, pa.large_string()).slice(2, 3)).tolist() == expected[2:5]
    dict_chunks = pa.chunked_array([pa.array(cells).dictionary_encode()] * 2)
    assert contains_insz(dict_chunks).tolist() == expected * 2


def test_dictionary_with_null_indices_and_an_empty_dictionary() -> None:
    indices = pa.array([0, None, 1, 0], pa.int8())
    arr = pa.DictionaryArray.from_arrays(indices, pa.array([ADULT, "x"]))
    assert contains_insz(arr).tolist() == [True, False, False, True]
    empty = pa.DictionaryArray.from_arrays(
        pa.array([None, None], pa.int32()), pa.array([], pa.string())
    )
    assert contains_insz(empty).tolist() == [False, False]


# --- INSZ in numeric columns --------------------------------------------------------------------


def test_integer_columns_with_a_lost_leading_zero() -> None:
    born_2000s = [make_insz(dt.date(2000 + y, 2, 3), 11 * y) for y in range(1, 10)]
    assert all(n.startswith("0") for n in born_2000s)
    values = [int(n) for n in [ADULT, *born_2000s]]
    assert all(10**9 <= v < 10**10 for v in values[1:])  # 10 digits: the zero is gone
    assert contains_insz(pa.array(values, pa.int64())).all()
    assert is_insz(pa.array(values, pa.int64())).all()
    assert contains_insz(pa.array(values[1:3], pa.int32())).all()
    assert contains_insz(pa.array(values, pa.uint64())).all()
    misses = [int(wrong_check(n)) for n in [ADULT, *born_2000s]]
    assert not contains_insz(pa.array(misses)).any()
    assert not is_insz(pa.array(misses)).any()


def test_integer_edge_values() -> None:
    year_2000 = int(make_insz(dt.date(2000, 3, 1), 5))  # 8 digits left
    tiny = int(make_insz(None, 5))  # 00 00 00 005 CC: a count, as far as contains_insz knows
    values = [year_2000, tiny, -int(ADULT), 10**11 + int(ADULT), None, 0]
    assert contains_insz(pa.array(values, pa.int64())).tolist() == [True] + [False] * 5
    assert is_insz(pa.array(values, pa.int64())).tolist() == [True, True] + [False] * 4
    huge = pa.array([2**64 - 1, int(ADULT)], pa.uint64())
    assert contains_insz(huge).tolist() == [False, True]


def test_floats_and_decimals() -> None:
    value = int(ADULT)
    floats = [float(value), value + 0.5, float("nan"), float("inf"), None, float(int(CHILD))]
    assert contains_insz(pa.array(floats, pa.float64())).tolist() == [
        True, False, False, False, False, True,
    ]  # fmt: skip
    decimals = [decimal.Decimal(value), decimal.Decimal(value) / 100, None]
    assert contains_insz(pa.array(decimals, pa.decimal128(20, 2))).tolist() == [
        True, False, False,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "arr",
    [
        pa.array([dt.date(1985, 7, 30)] * 2),
        pa.array([True, False]),
        pa.array([dt.datetime(2020, 1, 1)] * 2, pa.timestamp("s")),
        pa.array([[1], [2]]),
        pa.array([{"insz": 1}, {"insz": 2}]),
    ],
    ids=["date", "bool", "timestamp", "list", "struct"],
)
def test_other_types_hold_nothing(arr: pa.Array) -> None:
    for fn in ALL:
        assert fn(arr).tolist() == [False, False]


def test_text_detectors_ignore_numbers() -> None:
    ints = pa.array([int(ADULT), 475123456])
    for fn in (contains_email, is_email, contains_phone, is_phone):
        assert not fn(ints).any()
    assert not contains_pattern(ints, "[0-9]").any()
    assert not matches_pattern(ints, "[0-9]+").any()


# --- e-mail -------------------------------------------------------------------------------------

EMAILS = [
    "jan.peeters@example.be",
    "an+kind@sub.example.co.uk",
    "x_y-z@ex-ample.org",
    "o'brien@example.ie",
    "josé@exämple.be",
    f"{ADULT}@example.be",
]


def test_email_addresses() -> None:
    assert flags(contains_email, EMAILS) == [True] * len(EMAILS)
    assert flags(is_email, EMAILS) == [True] * len(EMAILS)
    in_text = ["mail: jan@example.be.", "<jan@example.be>", "a, jan@example.be, b"]
    assert flags(contains_email, in_text) == [True] * 3
    assert flags(is_email, in_text) == [False] * 3
    assert flags(is_email, ["  jan@example.be\n"]) == [True]


@pytest.mark.parametrize(
    "text",
    [
        "jan@example",
        "jan@.be",
        "jan@example.b",
        "jan@example.b2",
        "jan example.be",
        "@example.be",
        "jan@@example.be",
        "jan@exa mple.be",
        "jan @example.be",
        "jan@-example.be",
        "GABCDEFGHIJKLMNOP",
        "",
    ],
)
def test_not_email_addresses(text: str) -> None:
    assert flags(contains_email, [text]) == [False]
    assert flags(is_email, [text]) == [False]


def test_is_email_wants_one_short_address() -> None:
    long_local = "a" * 250 + "@example.be"
    cells = [long_local, "jan@example.be piet@example.be", "jan@example.be,"]
    assert flags(is_email, cells) == [False] * 3
    assert flags(contains_email, cells) == [True] * 3


# --- phone --------------------------------------------------------------------------------------

PHONES = [
    "0475 12 34 56",
    "0475/12.34.56",
    "0475-123456",
    "0475 123 456",
    "0475123456",
    "+32 475 12 34 56",
    "+32475123456",
    "0032 475 12 34 56",
    "+32 (0)475 12 34 56",
    "02 123 45 67",
    "02/123.45.67",
    "021234567",
    "09-123-45-67",
    "011 23 45 67",
    "050/12.34.56",
    "+32 2 123 45 67",
    "0800 12 345",
    "+31 6 12345678",
    "+44 20 7946 0958",
    "0031 6 12345678",
]


def test_phone_numbers() -> None:
    assert flags(contains_phone, PHONES) == [True] * len(PHONES)
    assert flags(is_phone, PHONES) == [True] * len(PHONES)
    in_text = [f"tel: {p}." for p in PHONES] + [f"bel ({PHONES[0]}) of mail"]
    assert all(flags(contains_phone, in_text))
    assert not any(flags(is_phone, in_text))


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-05",
        "05/06/2023",
        "01.02.2024",
        "05.06.2023 14:30",
        "12345",
        "0475",
        "0475 12 34",
        "12345678",
        "1234567890",
        "04751234567",  # one digit too many
        "0012345678",
        "BE71 0961 2345 6769",
        "€ 1 234 567,89",
        "",
    ],
)
def test_not_phone_numbers(text: str) -> None:
    assert flags(contains_phone, [text]) == [False]
    assert flags(is_phone, [text]) == [False]


def test_a_phone_next_to_a_national_number_is_still_found() -> None:
    cells = [
        f"{format_insz(BIS_KNOWN, 'mixed')} / 0475 12 34 56",
        f"0475 12 34 56, {ADULT}",
        format_insz(BIS_KNOWN, "mixed"),
    ]
    assert flags(contains_phone, cells) == [True, True, False]
    assert flags(contains_insz, cells) == [True, True, True]


# --- patterns -----------------------------------------------------------------------------------


def test_patterns() -> None:
    cells = ["GP-1234", "x GP-1234 y", "GP-12", None]
    assert flags(lambda a: contains_pattern(a, "GP-[0-9]{4}"), cells) == [True, True, False, False]
    assert flags(lambda a: matches_pattern(a, "GP-[0-9]{4}"), cells) == [True, False, False, False]
    assert flags(lambda a: matches_pattern(a, "GP-1|GP-12"), cells) == [False, False, True, False]
    coded = pa.array(cells).dictionary_encode()
    assert matches_pattern(coded, "GP-[0-9]+").tolist() == [True, False, True, False]


# --- generated numbers --------------------------------------------------------------------------


def generated(count: int, seed: int) -> list[str]:
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


def test_thousands_of_generated_numbers() -> None:
    numbers = generated(3000, seed=7)
    changed = [bump(n) for n in numbers if not passes_either_formula(bump(n))]
    assert len(changed) > 2900
    for notation in NOTATIONS:
        right = pa.array([format_insz(n, notation) for n in numbers])
        wrong = pa.array([format_insz(n, notation) for n in changed])
        assert contains_insz(right).all(), notation
        assert is_insz(right).all(), notation
        assert not contains_insz(wrong).any(), notation
        assert not is_insz(wrong).any(), notation
        assert not contains_phone(right).any(), notation
        assert not is_phone(right).any(), notation
        embedded = pa.array([f"id {format_insz(n, notation)}@example.be" for n in numbers])
        assert contains_insz(embedded).all(), notation
    as_ints = pa.array([int(n) for n in numbers if int(n) >= 10**7], pa.int64())
    assert contains_insz(as_ints).all()
    assert not contains_insz(pa.array([int(n) for n in changed], pa.int64())).any()


def test_text_cell_of_a_number_that_lost_its_leading_zero() -> None:
    """A CSV export of an integer column writes 04050923333 as 4050923333: still an INSZ."""
    number = make_insz(dt.date(2004, 5, 9), 233)
    assert number.startswith("0")
    cells = pa.array([number.lstrip("0"), f" {number.lstrip('0')} ", "12345678", "x" + number])
    assert contains_insz(cells).tolist() == [True, True, False, True]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not contains_insz(pa.array([wrong.lstrip("0")])).any()
