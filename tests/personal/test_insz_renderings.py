"""Every rendering of a national number is found, and the register's own rules decide validity.

python-stdnum (`stdnum.be.ssn`: national register and bis numbers) is the oracle: every number
it accepts is found by the detectors in every notation people produce, and a number that fails
both check-digit formulas is not. The vectorised detector is held to the reference reading in
Python (`insz.contains_insz_text`) on arbitrary digit-and-separator text. All numbers are
generated here; none is a real person's.
"""

from __future__ import annotations

import decimal

import numpy as np
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.be import ssn

from datacontract.personal import detect, insz

MONTHS = [*range(0, 13), *range(20, 33), *range(40, 53)]


def check_digits(body: int, after_2000: bool) -> int:
    return 97 - ((2_000_000_000 + body) if after_2000 else body) % 97


@st.composite
def numbers(draw: st.DrawFn, valid: bool = True) -> str:
    """11 digits: a valid number (either century), or one whose check digits fail both."""
    yy = draw(st.integers(0, 99))
    mm = draw(st.sampled_from(MONTHS))
    dd = draw(st.integers(0, 99))
    seq = draw(st.integers(0, 999))
    body = (yy * 100 + mm) * 100_000 + dd * 1000 + seq
    if valid:
        cc = check_digits(body, draw(st.booleans()))
    else:
        wrong = {check_digits(body, False), check_digits(body, True)}
        cc = draw(st.integers(0, 99).filter(lambda c: c not in wrong))
    digits = f"{body:09d}{cc:02d}"
    return digits if digits != "00000000000" else "00000000197"


SPACES = ["\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", " ", "  ", "\t"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]
GROUPINGS = [(2, 2, 2, 3, 2), (6, 3, 2), (2, 3, 3, 3), (3, 3, 3, 2), (11,), (4, 4, 3)]


def grouped(digits: str, sizes: tuple[int, ...], separators: list[str]) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += separators[i % len(separators)] + part
    return out


@st.composite
def text_renderings(draw: st.DrawFn, digits: str) -> str:
    """The same 11 digits as text people paste: groups, Unicode spaces, dashes, invisibles."""
    sizes = draw(st.sampled_from(GROUPINGS))
    kind = draw(st.sampled_from(["ascii", "space", "invisible", "dash", "dotted", "fullwidth"]))
    if kind == "ascii":
        seps = [draw(st.sampled_from([" ", ".", "-", "/", ""]))]
    elif kind == "space":
        seps = [draw(st.sampled_from(SPACES))]
    elif kind == "invisible":
        seps = [draw(st.sampled_from(INVISIBLE))]
    elif kind == "dash":
        seps = [draw(st.sampled_from(DASHES))]
    elif kind == "dotted":
        seps = [".", ".", "-", "."]
        sizes = (2, 2, 2, 3, 2)
    else:
        seps = [""]
    text = grouped(digits, sizes, seps)
    if kind == "fullwidth":
        text = "".join(chr(0xFF10 + int(c)) for c in text)
    before = draw(st.sampled_from(["", "INSZ: ", "kind ", "(", "x@", "nr. "]))
    after = draw(st.sampled_from(["", " ", ")", " - zie dossier", ";", "@example.be"]))
    return before + text + after


def numeric_renderings(digits: str) -> list[str]:
    """The number as a spreadsheet or a program writes it once it was stored as a number."""
    n = int(digits)
    out = [str(n), f"{n}.0", f"{n},00"]
    groups = f"{n:,}"
    out += [groups.replace(",", sep) for sep in (".", " ", "\u00a0", "\u202f", "'")]
    out.append(groups + ".00")  # English locale thousands, two zero decimals
    mantissa = digits.lstrip("0") or "0"
    if len(mantissa) > 1:
        exponent = len(mantissa) - 1
        frac = mantissa[1:].rstrip("0")
        out.append(f"{mantissa[0]}.{frac}E{exponent:02d}" if frac else f"{mantissa[0]}E{exponent}")
        out.append(
            f"{mantissa[0]},{frac}E+{exponent:02d}" if frac else f"{mantissa[0]}E+{exponent}"
        )
    return out


def found(cells: list[str]) -> list[bool]:
    return detect.contains_insz(pa.array(cells, pa.string())).tolist()


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_every_number_stdnum_accepts_is_found_in_every_text_rendering(data: st.DataObject) -> None:
    digits = data.draw(numbers())
    assert ssn.is_valid(digits) or int(digits[:2]) + 2000 > 2026  # stdnum: 2000s up to today
    cells = [data.draw(text_renderings(digits)) for _ in range(4)]
    assert found(cells) == [True] * 4, [c.encode("unicode_escape") for c in cells]


@SETTINGS
@given(numbers())
def test_every_valid_number_is_found_as_a_number_and_as_number_text(digits: str) -> None:
    n = int(digits)
    if n < insz.NUMBER_MIN:
        return  # counts below 10**7 are not read as numbers (insz.NUMBER_MIN)
    if n < 10**10 and not insz.lost_zero_plausible(np.array([n]))[0]:
        # a number that lost its leading zero is read as one of a birth in 2000-2009 (the
        # 2000 check digits): the same digits with the 1900 formula are not taken for one
        assert detect.contains_insz(pa.array([n], pa.int64())).tolist() == [False]
        return
    for arrow_type in (pa.int64(), pa.uint64(), pa.float64()):
        assert detect.contains_insz(pa.array([n], arrow_type)).tolist() == [True]
    decimals = pa.array([decimal.Decimal(n)], pa.decimal128(20, 2))
    assert detect.contains_insz(decimals).tolist() == [True]
    cells = numeric_renderings(digits)
    assert found(cells) == [True] * len(cells), cells


@SETTINGS
@given(st.data())
def test_a_number_failing_both_check_digit_formulas_is_not_found(data: st.DataObject) -> None:
    digits = data.draw(numbers(valid=False))
    assert not ssn.is_valid(digits)
    sizes = data.draw(st.sampled_from([(2, 2, 2, 3, 2), (6, 3, 2), (11,)]))
    sep = data.draw(st.sampled_from([" ", ".", "-", "\u00a0", "\u2013", "\u200b"]))
    cell = grouped(digits, sizes, [sep])
    assert found([cell, f"INSZ {cell} x"]) == [False, False]
    if not digits.startswith("0"):
        assert detect.contains_insz(pa.array([int(digits)], pa.int64())).tolist() == [False]


ALPHABET = "0123456789" * 4 + " .-/+,eE\u00a0\u2013x@"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=0, max_size=40), min_size=1, max_size=8))
def test_the_vectorised_detector_agrees_with_the_reference_reading(cells: list[str]) -> None:
    expected = [insz.contains_insz_text(c) for c in cells]
    assert found(cells) == expected
    assert detect.contains_insz(pa.array(cells, pa.large_string())).tolist() == expected


def test_stdnum_s_own_examples_are_found() -> None:
    # The numbers in python-stdnum's documentation and tests of be.nn / be.bis / be.ssn,
    # rebuilt here from their parts: the day part 35 is the register's counter-exhaustion case.
    built = [
        # the bodies of stdnum's doctest numbers, their check digits computed here
        f"{'850730033'}{check_digits(850730033, False):02d}",
        f"{'170730033'}{check_digits(170730033, True):02d}",
        f"{'851235123'}{check_digits(851235123, False):02d}",  # day 35
        f"{'004001123'}{check_digits(4001123, False):02d}",  # fictitious date, unknown birth
        f"{'002001123'}{check_digits(2001123, True):02d}",
    ]
    assert all(ssn.is_valid(n) for n in built)
    assert found(built) == [True] * len(built)
    assert all(insz.is_valid_insz(n) for n in built)
