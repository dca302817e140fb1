"""Belgian national numbers (INSZ): the rijksregisternummer and the bis number, as arithmetic.

An INSZ is eleven digits YYMMDDSSSCC: the birth date, a sequence number SSS (odd for men, even
for women) and two check digits CC. With BODY the first nine digits read as a number, the check
digits are 97 - (BODY mod 97) for births before 2000 and 97 - ((2_000_000_000 + BODY) mod 97)
from 2000 on. The century is therefore known only from which of the two formulas holds (never
both: 2_000_000_000 is not a multiple of 97).

A bis number (for people who are not in the national register) has the same shape, with 20
(gender unknown) or 40 (gender known) added to the month: months 00-12, 20-32 and 40-52 are
valid. A month or day of 00 means that part of the birth date is unknown. The sequence number
is not restricted: the register's own allocation rules are not ours to check.

This module has no I/O and no pyarrow. The scalar functions serve tests and small paths;
`valid_numbers` is the vectorised check that detect.py runs on whole columns; `PATTERN` is the
one regular expression (valid in both RE2 and Python `re`) for every accepted notation. No real
number is ever written down in this repository: tests and synthetic data compute theirs with
`make_insz`.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt

# The notations `format_insz` writes. The detectors accept all of them and their blends (see
# PATTERN), with YYMMDDSSSCC standing for the eleven digits:
#   plain   YYMMDDSSSCC        the register's own form, and what a spreadsheet holds
#   dotted  YY.MM.DD-SSS.CC    as printed on the eID card
#   spaced  YY MM DD SSS CC
#   hyphen  YY-MM-DD-SSS-CC
#   mixed   YYMMDD-SSS-CC
NOTATIONS: tuple[str, ...] = ("plain", "dotted", "spaced", "hyphen", "mixed")

# Each of the four gaps (after YY, MM, DD and SSS) holds at most one separator: space, dot,
# hyphen or slash. The month and day groups only admit the values an INSZ can hold, so that a
# regular-expression engine skips impossible candidates by itself.
_SEP = "[ ./-]?"
PATTERN = (
    "(?P<yy>[0-9]{2})"
    + _SEP
    + "(?P<mm>[024][0-9]|[135][0-2])"
    + _SEP
    + "(?P<dd>[0-2][0-9]|3[01])"
    + _SEP
    + "(?P<seq>[0-9]{3})"
    + _SEP
    + "(?P<cc>[0-9]{2})"
)
_WHOLE = re.compile(PATTERN)

_AFTER_2000 = 2_000_000_000  # the "2" put before the body of a number born from 2000 on
_LIMIT = 100_000_000_000  # 10**11: every 11-digit number is below this


def make_insz(
    birth: dt.date | None,
    sequence: int,
    *,
    bis: int = 0,
    month_known: bool = True,
    day_known: bool = True,
) -> str:
    """A valid 11-digit INSZ (bis = 0) or bis number (bis = 20 or 40) for a birth date.

    `month_known=False` writes month 00 and day 00, `day_known=False` day 00; the year, and so
    the check-digit formula, still comes from `birth`. `birth=None` (nothing known) writes
    YYMMDD = 00, 00 + bis, 00 with the pre-2000 formula, the form such numbers take in practice.
    """
    if bis not in (0, 20, 40):
        raise ValueError(f"bis must be 0, 20 or 40, not {bis}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0..999, not {sequence}")
    if birth is None:
        year, month, day = 1900, 0, 0
    else:
        if not 1900 <= birth.year <= 2099:
            raise ValueError(f"birth year must be 1900..2099, not {birth.year}")
        year = birth.year
        month = birth.month if month_known else 0
        day = birth.day if month_known and day_known else 0
    body = ((year % 100) * 100 + month + bis) * 100_000 + day * 1000 + sequence
    base = body + _AFTER_2000 if year >= 2000 else body
    return f"{body:09d}{97 - base % 97:02d}"


def format_insz(digits: str, notation: str) -> str:
    """Write 11 digits in one of NOTATIONS. The digits are not checked: tests format misses too."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        raise ValueError("an INSZ has exactly 11 digits")
    yy, mm, dd, seq, cc = digits[0:2], digits[2:4], digits[4:6], digits[6:9], digits[9:11]
    if notation == "plain":
        return digits
    if notation == "dotted":
        return f"{yy}.{mm}.{dd}-{seq}.{cc}"
    if notation == "spaced":
        return f"{yy} {mm} {dd} {seq} {cc}"
    if notation == "hyphen":
        return f"{yy}-{mm}-{dd}-{seq}-{cc}"
    if notation == "mixed":
        return f"{yy}{mm}{dd}-{seq}-{cc}"
    raise ValueError(f"unknown notation {notation!r}; expected one of {', '.join(NOTATIONS)}")


def is_valid_insz(text: str) -> bool:
    """Whether `text`, stripped of surrounding whitespace, is one valid INSZ or bis number."""
    return _century(text) is not None


def birth_date(digits: str) -> dt.date | None:
    """The birth date an INSZ or bis number encodes, in any accepted notation.

    None when the number is not valid, when its month or day is 00 (unknown), or when the date
    does not exist (31 February): such numbers are valid, but give no date to compute an age.
    """
    century = _century(digits)
    if century is None:
        return None
    number = int(re.sub("[^0-9]", "", digits))
    yy, mm, dd = number // 10**9, number // 10**7 % 100, number // 10**5 % 100
    month = mm % 20  # bis numbers add 20 or 40 to the month
    if month == 0 or dd == 0:
        return None
    try:
        return dt.date(century + yy, month, dd)
    except ValueError:
        return None


def valid_numbers(numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Which of the 11-digit numbers (as integers; a lost leading zero is fine) are valid.

    Negative entries mark "no candidate" and are False. The vectorised twin of is_valid_insz.
    """
    n = np.asarray(numbers, dtype=np.int64)
    candidates = (n >= 0) & (n < _LIMIT)
    if not candidates.all():
        # Most cells are no candidate at all (counts, amounts): do the arithmetic on the rest.
        out = np.zeros(n.shape, dtype=bool)
        rows = np.flatnonzero(candidates)
        if rows.size:
            out[rows] = valid_numbers(n[rows])
        return out
    body, cc = n // 100, n % 100
    mm, dd = n // 10**7 % 100, n // 10**5 % 100
    checks = (cc == 97 - body % 97) | (cc == 97 - (body + _AFTER_2000) % 97)
    dated = (mm % 20 <= 12) & (mm <= 52) & (dd <= 31)
    return np.asarray((n >= 0) & (n < _LIMIT) & checks & dated, dtype=bool)


def _century(text: str) -> int | None:
    """1900 or 2000 for a valid number (from the formula that holds), else None."""
    match = _WHOLE.fullmatch(text.strip())
    if match is None:
        return None
    number = int("".join(match.groups()))
    body, cc = divmod(number, 100)
    if cc == 97 - body % 97:
        return 1900
    if cc == 97 - (body + _AFTER_2000) % 97:
        return 2000
    return None


def age_bounds(
    numbers: npt.NDArray[np.int64], reference: npt.NDArray[np.datetime64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The least and the greatest age in completed years, on `reference` (dates, per number),
    of the people whose national numbers these are; and which numbers are valid.

    A month or day of 00 (or a date that does not exist, 31 February) leaves the birth date
    open within the year or the month: the bounds then cover every date it can be. An age
    below zero means a birth after the reference date.
    """
    n = np.asarray(numbers, dtype=np.int64)
    valid = valid_numbers(n)
    safe = np.where(valid, n, 0)
    body, cc = safe // 100, safe % 100
    century = np.where(cc == 97 - (body + _AFTER_2000) % 97, 2000, 1900)
    year = century + safe // 10**9
    month = safe // 10**7 % 100 % 20
    day = safe // 10**5 % 100
    known_month = (month >= 1) & (month <= 12)
    first_of_year = (year - 1970).astype("datetime64[Y]")
    month_start = first_of_year.astype("datetime64[M]") + np.where(known_month, month - 1, 0)
    month_end = (month_start + 1).astype("datetime64[D]") - 1
    start = month_start.astype("datetime64[D]")
    exact = start + np.maximum(day - 1, 0)
    exists = known_month & (day >= 1) & (exact <= month_end)
    earliest = np.where(exists, exact, np.where(known_month, start, first_of_year))
    year_end = (first_of_year + 1).astype("datetime64[D]") - 1
    latest = np.where(exists, exact, np.where(known_month, month_end, year_end))
    ref = np.asarray(reference, dtype="datetime64[D]")
    oldest = _completed_years(earliest.astype("datetime64[D]"), ref)
    youngest = _completed_years(latest.astype("datetime64[D]"), ref)
    return youngest, oldest, valid


def _completed_years(
    birth: npt.NDArray[np.datetime64], on: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.int64]:
    def parts(d: npt.NDArray[np.datetime64]) -> tuple[npt.NDArray[np.int64], ...]:
        years = d.astype("datetime64[Y]")
        months = d.astype("datetime64[M]")
        y = years.astype(np.int64) + 1970
        m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
        dd = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
        return y, m, dd

    by, bm, bd = parts(birth)
    ry, rm, rd = parts(on)
    before = (rm * 100 + rd) < (bm * 100 + bd)
    return np.asarray(ry - by - before.astype(np.int64), dtype=np.int64)
