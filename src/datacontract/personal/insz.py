"""Belgian national numbers (INSZ): the rijksregisternummer and the bis number, as arithmetic.

An INSZ is eleven digits YYMMDDSSSCC: the birth date, a sequence number SSS (odd for men, even
for women) and two check digits CC. With BODY the first nine digits read as a number, the check
digits are 97 - (BODY mod 97) for births before 2000 and 97 - ((2_000_000_000 + BODY) mod 97)
from 2000 on. The century is therefore known only from which of the two formulas holds (never
both: 2_000_000_000 is not a multiple of 97).

A bis number (for people who are not in the national register) has the same shape, with 20
(gender unknown) or 40 (gender known) added to the month: months 00-12, 20-32 and 40-52 are
valid. A month or day of 00 means that part of the birth date is unknown. The day part may
also exceed the days of its month: when the register runs out of sequence numbers for a day
("counter exhaustion") or does not know the day, it counts on in the day part, so any day
00-99 is valid, as python-stdnum's `stdnum.be.nn` accepts (its test numbers hold day 35). The
sequence number is not restricted: the register's own allocation rules are not ours to check.
The number 00000000000 is not valid (stdnum: a number must be above 0).

This module has no I/O and no pyarrow. The scalar functions serve tests and small paths;
`valid_numbers` is the vectorised check that detect.py runs on whole columns; `PATTERN` is the
one regular expression (valid in both RE2 and Python `re`) for the grouped notations.
`numbers_in_text` is the reference reading of a text cell: every rendering people produce
(Unicode spaces and dashes between the groups, thousands grouping, float and scientific text,
a lost leading zero), which detect.py's vectorised path must agree with. No real
number is ever written down in this repository: tests and synthetic data compute theirs with
`make_insz`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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

# Each of the four gaps (after YY, MM, DD and SSS) holds at most one dot, hyphen or slash, with
# spaces on either side ("YYMMDD - SSS - CC"). The month group only admits the
# values an INSZ can hold, so that a regular-expression engine skips impossible candidates.
SEP = "[ ]*[./-]?[ ]*"
_SEP = SEP
PATTERN = (
    "(?P<yy>[0-9]{2})"
    + _SEP
    + "(?P<mm>[024][0-9]|[135][0-2])"
    + _SEP
    + "(?P<dd>[0-9]{2})"
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
    del dd  # any day 00-99 is valid (unknown day, counter exhaustion: see the module docstring)
    dated = (mm % 20 <= 12) & (mm <= 52)
    return np.asarray((n > 0) & (n < _LIMIT) & checks & dated, dtype=bool)


def _century(text: str) -> int | None:
    """1900 or 2000 for a valid number (from the formula that holds), else None."""
    match = _WHOLE.fullmatch(text.strip())
    if match is None:
        return None
    number = int("".join(match.groups()))
    if not is_valid_number(number):
        return None
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


def lost_zero_plausible(numbers: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Which numbers may be a national number that lost its leading zero: those of 11 digits,
    and shorter ones whose check digits follow the 2000 formula. A number that lost its zero
    began with 0, so it belongs to someone born in 2000-2009 (a birth in 1900-1909 gives the
    same digits with the other formula, but no living person's number is written that way);
    requiring the 2000 formula halves the chance that a phone number, an amount or a date of
    8 to 10 digits reads as one, and rules out enterprise numbers (mod 97 on the same body)."""
    n = np.asarray(numbers, dtype=np.int64)
    body, cc = n // 100, n % 100
    after_2000 = cc == 97 - (body + _AFTER_2000) % 97
    return np.asarray((n >= _LIMIT // 10) | after_2000, dtype=bool)


def is_valid_number(number: int) -> bool:
    """Whether an integer (its 11 digits zero-padded) is a valid INSZ or bis number.

    The register's rules as python-stdnum's `stdnum.be.ssn` implements them: above 0, month
    00-12 (national register) or 20-32 / 40-52 (bis), any day 00-99, and the check digits of
    either century. stdnum only tries the 2000 formula for years already begun; we flag both.
    """
    return bool(valid_numbers(np.array([number], dtype=np.int64))[0])


# -- renderings in text: the reference reading -------------------------------------------------

# Characters that stand between digit groups in text people paste: every Unicode space (NFKC
# makes most of them U+0020), tabs and line breaks; invisible format characters (zero-width
# space and joiners, word joiner, soft hyphen, BOM: Unicode category Cf) are dropped; every
# dash and minus becomes "-".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043\u00ad"
# Middle dots people type between groups (Catalan, Japanese, typographic): read as a dot.
_DOTS = "\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65"
# Blank-looking characters outside Z*: read as a space.
_BLANKS = "\u2800\u3164\uffa0\u115f\u1160"


def _ignorable(ch: str) -> bool:
    """Unicode's other default-ignorable code points (besides category Cf): the combining
    grapheme joiner, Mongolian free variation selectors, variation selectors, Khmer inherent
    vowels, tags: invisible, so dropped like a zero-width space."""
    o = ord(ch)
    return (
        o == 0x034F
        or 0x17B4 <= o <= 0x17B5
        or 0x180B <= o <= 0x180F
        or 0xFE00 <= o <= 0xFE0F
        or 0x1BCA0 <= o <= 0x1BCA3
        or 0xE0000 <= o <= 0xE0FFF
    )


def normalise(text: str) -> str:
    """Text as the detectors read it: NFKC, Unicode digits as ASCII digits, every space
    (and tab, line break, blank-looking filler) as one ASCII space, every dash or minus as
    "-", every middle dot as ".", invisible characters (category Cf and Unicode's other
    default-ignorable code points) removed."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        if "0" <= ch <= "9" or (ch < "\x80" and not ch.isspace()):
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif ch.isspace() or category in ("Zs", "Zl", "Zp") or ch in _BLANKS:
            if not out or out[-1] != " ":
                out.append(" ")
        elif ch in _DASHES or category == "Pd":
            out.append("-")
        elif ch in _DOTS:
            out.append(".")
        elif category == "Cf" or _ignorable(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


_GROUPED = re.compile("(?<![0-9+])(?=(" + re.sub(r"\(\?P<\w+>", "(?:", PATTERN) + r")(?![0-9]))")
# A run: digits joined by gaps (see SEP), as long as it goes. Its digits alone are one number
# when there are exactly 11, whatever the grouping: "YY MMD DSS SCC", "YYM MDD SSS CC".
_RUN = re.compile(r"(?<![0-9+])[0-9]+(?:" + SEP + r"[0-9]+)*")
# A whole cell that renders one number (a spreadsheet's or a program's number written as text):
# thousands grouping by dot, comma, space or apostrophe, decimals that are all zero, or
# scientific notation with a decimal point or comma. Its value is read as the number a
# spreadsheet held, so the leading zero of a number born in 2000-2009 is already lost.
_GROUPED_NUMBER = re.compile(
    r"(?P<int>[1-9][0-9]{0,2}(?P<sep>[., '])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]+)"
    r"(?:[.,]0*)?"
)
_SCIENTIFIC = re.compile(r"(?P<m>[0-9])(?:[.,](?P<f>[0-9]*))?[eE]\+?(?P<e>[0-9]{1,3})")
NUMBER_MIN = 10_000_000
"""A number read from a numeric type or rendering is a candidate from 8 digits on: a birth year
00 loses up to three zeros, but counts and amounts below 10**7 must not read as 00 00 0D SSS CC."""


def numbers_in_text(text: str) -> list[int]:
    """Every INSZ-shaped candidate in a text cell, as integers (validity not yet checked).

    The reference reading, in Python, of every rendering the detectors accept, after
    `normalise`:
      - a grouped notation (YY MM DD SSS CC with optional separators, see PATTERN), delimited
        by non-digits and not right after a "+" (an international phone number), anywhere;
      - a run of digits and separators holding exactly 11 digits, in any grouping;
      - a whole cell that renders one number (see _GROUPED_NUMBER and _SCIENTIFIC) from
        NUMBER_MIN on, zero-padded: a number that lost its leading zero. Text that starts
        with "0" kept its zeros and is not read this way ("0475123456" is a phone number).
    """
    clean = normalise(text)
    out = [int(re.sub("[^0-9]", "", m.group(1))) for m in _GROUPED.finditer(clean)]
    for run in _RUN.finditer(clean):
        digits = re.sub("[^0-9]", "", run.group(0))
        if len(digits) == 11:
            out.append(int(digits))
    whole = number_of_rendering(clean.strip())
    if whole is not None:
        out.append(whole)
    return out


def number_of_rendering(cell: str) -> int | None:
    """The whole number a cell renders (see numbers_in_text), if it is one of 8-11 digits.

    The cell must hold 8 digits or more itself: a number of that size written with fewer
    ("6E+09") carries too little of a national number to be one.
    """
    if sum(c.isdigit() for c in cell) < 8:
        return None
    value: int | None = None
    match = _GROUPED_NUMBER.fullmatch(cell)
    if match is not None:
        digits = re.sub("[^0-9]", "", match.group("int"))
        if digits.startswith("0") and len(digits) < 11:
            return None
        value = int(digits)
    else:
        sci = _SCIENTIFIC.fullmatch(cell)
        if sci is None:
            return None
        fraction = (sci.group("f") or "").rstrip("0")
        exponent = int(sci.group("e"))
        if len(fraction) > exponent:
            return None  # not a whole number
        value = int(sci.group("m") + fraction) * 10 ** (exponent - len(fraction))
    if not NUMBER_MIN <= value < _LIMIT:
        return None
    return value if lost_zero_plausible(np.array([value], dtype=np.int64))[0] else None


def contains_insz_text(text: str) -> bool:
    """Whether a text cell holds a valid INSZ or bis number in any rendering (the reference)."""
    return any(is_valid_number(n) for n in numbers_in_text(text))
