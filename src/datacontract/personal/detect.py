"""Personal-data detectors over pyarrow columns: INSZ / bis numbers, e-mail addresses, phones.

Every detector takes a pa.Array or pa.ChunkedArray of any type and returns a numpy bool array of
the same length, False for nulls. They run over every cell of every column of a file (the
forbidden-content rules), so the hot path is pyarrow.compute (RE2) and numpy only: cheap tests
select the few cells that can hold a match, RE2 finds it, and arithmetic decides on it. Python
looks at a single cell only when that cell holds several INSZ-shaped candidates and the first
one failed its check (`_insz_in_text`).

RE2 costs some 60 ns per cell even when a pattern cannot match, so the regular expressions only
see cells that can hold a match: those with enough digits (counted in numpy over the string
bytes, `digit_counts`) for INSZ and phone numbers, those with an "@" for e-mail addresses. A
column of pseudonyms or names thus costs a pass over its bytes, not a regex per cell.

Types. Text (string, large_string, string_view, and dictionaries of these) is searched as text.
For the INSZ detectors an integer, or an integral float or decimal, is read as its 11-digit
zero-padded number, because a spreadsheet drops the leading zero of everyone born in 2000-2009.
`contains_insz` only considers numbers of at least 8 digits (a birth year 00 loses up to three
zeros, but counts and amounts below 10**7 must not read as "00 00 0D SSS CC"); `is_insz`, which
checks a column declared to hold INSZ, pads any value. Other types (dates, booleans, binary,
nested) give all False, and the e-mail, phone and pattern detectors look at text only.

Boundaries. RE2 has no look-around, so a candidate INSZ is written `(?:^|[^0-9+])` NUMBER
`(?:[^0-9]|$)`: a run of 12 or more digits is not an INSZ and holds none, while the same 11 digits
delimited by anything but a digit are one ("x@example.be", "tel ... x"). A number right after
a "+" is an international phone number, not an INSZ.
"""

from __future__ import annotations

import functools
import importlib
import re

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.personal import insz
from datacontract.personal.cells import (
    as_text,
    bool_mask,
    byte_counts,
    cell_counts,
    digit_counts,
    is_text,
    longest,
    match,
    match_where,
    per_row,
    text_mask,
)

Mask = npt.NDArray[np.bool_]

_INSZ_ANY = insz.PATTERN
_INSZ_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", insz.PATTERN)  # the same without named groups
_INSZ_IN_TEXT = "(?:^|[^0-9+])" + _INSZ_ANY + "(?:[^0-9]|$)"
_INSZ_WHOLE = "^" + _INSZ_ANY + "$"
_INSZ_MASKED = "(^|[^0-9+])" + _INSZ_PLAIN + "([^0-9]|$)"  # keep the boundaries: \1#\2
_PART_NAMES = ("yy", "mm", "dd", "seq", "cc")
_CONTAINS_MIN = insz.NUMBER_MIN  # contains_insz: numbers of 8 digits and more (see above)
_INSZ_DIGITS = 11
# Python's own regex parser (re._parser): only to bound how short a pattern's match can be.
_sre_parse = importlib.import_module("re._parser").parse
_SHORT_DIGITS = 8  # the fewest digits a rendering of a number that lost its zeros has
# Any 11 digits joined by gaps, delimited: a run of exactly 11 digits in a cell of 11 digits,
# or one of the windows a longer cell may hide a second candidate in.
_WINDOW = "(?:^|[^0-9+])[0-9](?:" + insz.SEP + "[0-9]){10}(?:[^0-9]|$)"
# A whole cell that renders one number (insz.number_of_rendering, without back-references).
_THOUSANDS = "|".join(f"[1-9][0-9]{{0,2}}(?:{sep}[0-9]{{3}})+" for sep in (r"\.", ",", " ", "'"))
_RENDERED = r"^\s*(?P<int>" + _THOUSANDS + r"|[0-9]+)(?:[.,]0*)?\s*$"
_SCIENTIFIC = r"^\s*[0-9](?:[.,][0-9]*)?[eE]\+?[0-9]{1,3}\s*$"
_INSZ_LIMIT = 100_000_000_000  # 10**11

# E-mail: a dot-atom local part, '@', dot-separated domain labels and a top-level domain of at
# least two letters (RFC 5322 without quoted local parts, comments or IP literals). Non-ASCII
# letters are accepted (internationalised addresses), spaces are not.
_ALNUM = r"A-Za-z0-9\p{L}\p{N}"  # in RE2 classes: ASCII, and any Unicode letter or digit
_ATOM = "[" + _ALNUM + "!#$%&'*+/=?^_`{|}~-]+"
_LABEL = f"[{_ALNUM}](?:[{_ALNUM}-]{{0,61}}[{_ALNUM}])?"
_EMAIL = _ATOM + r"(?:\." + _ATOM + r")*@(?:" + _LABEL + r"\.)+[A-Za-z]{2,63}"
_EMAIL_IN_TEXT = _EMAIL + "(?:[^A-Za-z0-9_-]|$)"
_EMAIL_WHOLE = "^" + _EMAIL + "$"
_EMAIL_MAX = 254  # RFC 5321: the longest address a mail server takes

# Phone numbers, separators being at most one space, dot, slash or hyphen between digit groups.
_S = "[ ./-]?"
_G2 = f"[0-9]{{2}}{_S}[0-9]{{2}}{_S}[0-9]{{2}}|[0-9]{{3}}{_S}[0-9]{{3}}"  # 6 digits: xx xx xx
_BE_SUBSCRIBER = (  # the Belgian national number after its 0 (or +32): 8 or 9 digits
    f"4[5-9][0-9]{_S}(?:{_G2})"  # mobile      04xx xx xx xx
    f"|[2349]{_S}[0-9]{{3}}{_S}[0-9]{{2}}{_S}[0-9]{{2}}"  # 1-digit zone 0x xxx xx xx
    f"|[15678][0-9]{_S}(?:{_G2})"  # 2-digit zone 0xx xx xx xx
    f"|[89]00{_S}[0-9]{{2}}{_S}[0-9]{{3}}"  # 0800 / 0900 xx xxx
)
_TRUNK = rf"(?:\(0\){_S}|0)?"  # "+32 (0)475 ..." and the frequent "+32 0475 ..."
_ABROAD = rf"[1-9][0-9]{{0,2}}{_S}{_TRUNK}[0-9](?:{_S}[0-9]){{6,11}}"  # country code, 7-12 digits
_PHONE = (
    f"0(?:{_BE_SUBSCRIBER})"
    rf"|(?:\+|00)32{_S}{_TRUNK}(?:{_BE_SUBSCRIBER})"
    rf"|\+{_ABROAD}"
    rf"|00[1-9][0-9]{{0,2}}[ ./-]{_TRUNK}[0-9](?:{_S}[0-9]){{6,11}}"  # 00 + country code + gap
)
_PHONE_IN_TEXT = "(?:^|[^0-9+])(?:" + _PHONE + ")(?:[^0-9]|$)"
_PHONE_WHOLE = "^(?:" + _PHONE + ")$"
_PHONE_DIGITS = 8  # the shortest: + and a one-digit country code, then 7 digits


def contains_insz(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Cells holding a valid INSZ or bis number anywhere, in any notation of insz.NOTATIONS.

    Text: an 11-digit candidate delimited by non-digits (so inside e-mail addresses and free
    text too) whose check digits hold. Integers and integral floats/decimals of 8 to 11 digits:
    the number zero-padded to 11 digits. Everything else: False.
    """
    return per_row(arr, lambda a: _insz_cells(a, whole=False))


def is_insz(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Cells that are, whitespace trimmed, exactly one valid INSZ or bis number.

    The format check of a column declared to hold INSZ. Integer columns: the value zero-padded
    to 11 digits, whatever its length.
    """
    return per_row(arr, lambda a: _insz_cells(a, whole=True))


def contains_email(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells holding an e-mail address anywhere (local@domain.tld, no spaces)."""

    def search(s: pa.Array) -> Mask:
        return match_where(s, bool_mask(pc.match_substring(s, "@")), _EMAIL_IN_TEXT)

    return per_row(arr, lambda a: text_mask(a, search))


def is_email(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells that are, whitespace trimmed, exactly one e-mail address of <= 254 chars."""

    def whole(s: pa.Array) -> Mask:
        trimmed = pc.utf8_trim_whitespace(s)
        short = bool_mask(pc.less_equal(pc.utf8_length(trimmed), _EMAIL_MAX))
        return short & match(trimmed, _EMAIL_WHOLE)

    return per_row(arr, lambda a: text_mask(a, whole))


def contains_phone(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells holding a Belgian or international phone number anywhere.

    Accepted, with at most one space, dot, slash or hyphen between digit groups:
      - national: 04xx xx xx xx (mobile, 045x-049x), 0x xxx xx xx (zones 02, 03, 04, 09),
        0xx xx xx xx (two-digit zones 01x, 05x-08x), 0800 / 0900 xx xxx; the last six digits may
        also be grouped xxx xxx;
      - the same after +32 or 0032, with an optional "(0)" or 0: +32 475 12 34 56,
        0032 (0)2 123 45 67;
      - other countries: + and a country code, or 00, a country code and a separator, then 7 to
        12 digits: +31 6 12345678, 0044 20 7946 0958.
    Not flagged: dates (05/06/2023, 2024-01-05), national numbers under 9 digits, digits glued
    to more digits, and the digits of a valid INSZ in any notation (the "YYMMDD-SSS" of the mixed
    notation is shaped like 0xx xxx xxx, so INSZ numbers are masked before the phone search).
    An INSZ written right after a "+" does read as an international number.
    """

    def search(s: pa.Array) -> Mask:
        if longest(s) < _PHONE_DIGITS:
            return np.zeros(len(s), dtype=bool)
        found = match_where(s, digit_counts(s) >= _PHONE_DIGITS, _PHONE_IN_TEXT)
        hits = np.flatnonzero(found)
        if hits.size == 0:
            return found
        cells = s.take(pa.array(hits))
        with_insz = np.flatnonzero(_insz_in_text(cells))
        if with_insz.size:
            masked = pc.replace_substring_regex(
                cells.take(pa.array(with_insz)), _INSZ_MASKED, r"\1#\2"
            )
            found[hits[with_insz]] = match(masked, _PHONE_IN_TEXT)
        return found

    return per_row(arr, lambda a: text_mask(a, search))


def is_phone(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells that are, whitespace trimmed, exactly one phone number (see contains_phone)."""

    def whole(s: pa.Array) -> Mask:
        trimmed = pc.utf8_trim_whitespace(s)
        return match(trimmed, _PHONE_WHOLE) & ~_insz_cells(trimmed, whole=True)

    return per_row(arr, lambda a: text_mask(a, whole))


def contains_pattern(arr: pa.Array | pa.ChunkedArray, pattern: str) -> Mask:
    """Text cells where the RE2 regular expression `pattern` matches somewhere."""
    least = _least_width(pattern)

    def search(s: pa.Array) -> Mask:
        if least and longest(s) < least:
            return np.zeros(len(s), dtype=bool)
        return match(s, pattern)

    return per_row(arr, lambda a: text_mask(a, search))


@functools.lru_cache(maxsize=256)
def _least_width(pattern: str) -> int:
    """The fewest characters a match of pattern has, as Python's regex parser reads it; 0 when
    that parser does not read it (RE2-only syntax) or reads it otherwise (flags), so that no
    cell is ever skipped on a guess."""
    if "(?" in pattern.replace("(?:", ""):
        return 0
    try:
        low, _ = _sre_parse(pattern).getwidth()
    except (re.error, ValueError, OverflowError, RecursionError):
        return 0
    return int(low)


def matches_pattern(arr: pa.Array | pa.ChunkedArray, pattern: str) -> Mask:
    """Text cells that the RE2 regular expression `pattern` matches as a whole (not trimmed)."""
    whole = "^(?:" + pattern + ")$"
    return per_row(arr, lambda a: text_mask(a, lambda s: match(s, whole)))


# --- INSZ ---------------------------------------------------------------------------------------


def _insz_cells(arr: pa.Array, *, whole: bool) -> Mask:
    t = arr.type
    if is_text(t):
        text = as_text(arr)
        if not whole:
            if longest(text) < _SHORT_DIGITS:  # no cell has room for a number's digits
                return np.zeros(len(text), dtype=bool)
            return _insz_in_text(text)
        trimmed = pc.utf8_trim_whitespace(text)
        out = match(trimmed, _INSZ_WHOLE)
        rows = np.flatnonzero(out)
        out[rows] = insz.valid_numbers(_insz_numbers(trimmed.take(pa.array(rows)), _INSZ_WHOLE))
        return out
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        numbers = _whole_numbers(arr)
        if not whole:  # a column declared to hold INSZ holds them, whatever they lost
            numbers[numbers < _CONTAINS_MIN] = -1
            numbers[~insz.lost_zero_plausible(numbers)] = -1
        return insz.valid_numbers(numbers)
    return np.zeros(len(arr), dtype=bool)


def _insz_in_text(text: pa.Array) -> Mask:
    """Cells of a string array that hold a valid INSZ in any rendering (insz.numbers_in_text).

    The vectorised path agrees with the reference reading `insz.contains_insz_text` (a property
    test holds them to it) and sends to Python only the cells it cannot settle:
      1. cells with a byte beyond ASCII or a tab or line break, and at least 8 Unicode digits
         (a no-break space between the groups, full-width digits, a zero-width space):
         normalised and read in Python;
      2. ASCII cells of 11 digits or more: the leftmost grouped candidate (RE2), checked;
      3. ASCII cells of exactly 11 digits in one run of any grouping: those digits, checked;
      4. ASCII cells of 8 digits or more that render one number as a whole (thousands grouping,
         float text; a lost leading zero): that number, checked;
      5. what is left with 12 digits or more and an 11-digit window (a second candidate), or in
         scientific notation: read in Python.
    """
    digits, foreign = byte_counts(text)
    out = np.zeros(len(text), dtype=bool)
    # every digit beyond ASCII takes two bytes or more: fewer than 8 digits in all is no number
    unicode_rows = np.flatnonzero((foreign > 0) & (digits + foreign >= _SHORT_DIGITS))
    if unicode_rows.size:
        cells = text.take(pa.array(unicode_rows))
        enough = np.asarray(
            pc.fill_null(pc.count_substring_regex(cells, r"\p{Nd}"), 0).to_numpy(
                zero_copy_only=False
            )
            >= _SHORT_DIGITS
        )
        for i in np.flatnonzero(enough):
            out[unicode_rows[i]] = insz.contains_insz_text(str(cells[int(i)].as_py()))
    plain = foreign == 0
    # 2. the leftmost grouped candidate
    rows = np.flatnonzero(plain & (digits >= _INSZ_DIGITS))
    if rows.size:
        cells = text.take(pa.array(rows))
        found = np.flatnonzero(match(cells, _INSZ_IN_TEXT))
        if found.size:
            numbers = _insz_numbers(cells.take(pa.array(found)), _INSZ_IN_TEXT)
            out[rows[found]] = insz.valid_numbers(numbers)
    # 3. eleven digits in one run
    rows = np.flatnonzero(plain & (digits == _INSZ_DIGITS) & ~out)
    if rows.size:
        cells = text.take(pa.array(rows))
        run = match(cells, _WINDOW)
        numbers = _all_digits(cells)
        out[rows] = run & insz.valid_numbers(numbers)
    # 4. a whole cell that renders one number: only digits and . , ' + e E and spaces
    rows = np.flatnonzero(plain & (digits >= _SHORT_DIGITS) & ~out)
    if rows.size == 0:
        return out
    cells = text.take(pa.array(rows))
    numeric = cell_counts(cells, _not_numeric) == 0
    if numeric.any():
        some = np.flatnonzero(numeric)
        whole = pc.struct_field(pc.extract_regex(cells.take(pa.array(some)), _RENDERED), "int")
        numbers = _all_digits(whole)
        zero_led = bool_mask(pc.starts_with(pc.fill_null(whole, ""), "0"))
        numbers[zero_led & (numbers < _INSZ_LIMIT // 10)] = -1  # kept its zeros: not a lost one
        numbers[numbers < insz.NUMBER_MIN] = -1
        numbers[~insz.lost_zero_plausible(numbers)] = -1
        out[rows[some]] = insz.valid_numbers(numbers)
    # 5. the rest, in Python: a second candidate, or scientific notation
    left = ~out[rows] & ((digits[rows] > _INSZ_DIGITS) | numeric)
    if left.any():
        some = np.flatnonzero(left)
        rest = cells.take(pa.array(some))
        window = (digits[rows[some]] > _INSZ_DIGITS) & match(rest, _WINDOW)
        window |= numeric[some] & match(rest, _SCIENTIFIC)
        for i in np.flatnonzero(window):
            out[rows[some[i]]] = insz.contains_insz_text(str(rest[int(i)].as_py()))
    return out


_NUMERIC_BYTES = np.zeros(256, dtype=bool)
_NUMERIC_BYTES[[ord(c) for c in "0123456789.,'+eE "]] = True


def _not_numeric(data: npt.NDArray[np.uint8]) -> Mask:
    """Bytes that no rendering of a number holds (see insz.number_of_rendering)."""
    return np.asarray(~_NUMERIC_BYTES[data], dtype=bool)


def _all_digits(text: pa.Array) -> npt.NDArray[np.int64]:
    """The digits of each cell read as one integer; -1 for nulls, no digits, or 12 and more."""
    digits = pc.replace_substring_regex(pc.fill_null(text, ""), "[^0-9]", "")
    short = pc.and_(
        pc.greater(pc.utf8_length(digits), 0), pc.less_equal(pc.utf8_length(digits), 11)
    )
    kept = pc.if_else(short, digits, pa.scalar(None, digits.type))
    numbers = pc.fill_null(pc.cast(kept, pa.int64()), -1)
    return np.array(numbers.to_numpy(zero_copy_only=False), dtype=np.int64)


def _insz_numbers(text: pa.Array, pattern: str) -> npt.NDArray[np.int64]:
    """The first INSZ-shaped candidate of each cell as an integer, -1 where there is none."""
    parts = pc.extract_regex(text, pattern)
    fields = [pc.struct_field(parts, name) for name in _PART_NAMES]
    digits = pc.binary_join_element_wise(*fields, pa.scalar("", fields[0].type))
    numbers = pc.fill_null(pc.cast(digits, pa.int64()), -1)
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=np.int64)


def _whole_numbers(arr: pa.Array) -> npt.NDArray[np.int64]:
    """Non-negative whole numbers below 10**11 as int64; -1 for nulls and everything else."""
    t = arr.type
    if pa.types.is_integer(t):
        if pa.types.is_uint64(t):  # the only integer type whose values may not fit int64
            limit = pa.scalar(_INSZ_LIMIT, t)
            arr = pc.if_else(pc.less(arr, limit), arr, limit)
        values = np.asarray(
            pc.fill_null(pc.cast(arr, pa.int64()), -1).to_numpy(zero_copy_only=False),
            dtype=np.int64,
        )
        return np.where((values >= 0) & (values < _INSZ_LIMIT), values, -1)
    floats = np.asarray(
        pc.fill_null(pc.cast(arr, pa.float64()), np.nan).to_numpy(zero_copy_only=False),
        dtype=np.float64,
    )
    integral = np.isfinite(floats) & (floats >= 0) & (floats < _INSZ_LIMIT)
    integral &= np.floor(np.where(integral, floats, 0.0)) == floats
    return np.where(integral, np.where(integral, floats, 0.0).astype(np.int64), -1)
