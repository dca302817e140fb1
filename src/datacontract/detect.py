"""Personal-data detectors over pyarrow columns: INSZ / bis numbers, e-mail addresses, phones.

Every detector takes a pa.Array or pa.ChunkedArray of any type and returns a numpy bool array of
the same length, False for nulls. They run over every cell of every column of a file (the
forbidden-content rules), so the hot path is pyarrow.compute (RE2) and numpy only: cheap tests
select the few cells that can hold a match, RE2 finds it, and arithmetic decides on it. Python
looks at a single cell only when that cell holds several INSZ-shaped candidates and the first
one failed its check (`_insz_in_text`).

RE2 costs some 60 ns per cell even when a pattern cannot match, so the regular expressions only
see cells that can hold a match: those with enough digits (counted in numpy over the string
bytes, `_digit_counts`) for INSZ and phone numbers, those with an "@" for e-mail addresses. A
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

import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from datacontract import insz

Mask = npt.NDArray[np.bool_]

_INSZ_ANY = insz.PATTERN
_INSZ_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", insz.PATTERN)  # the same without named groups
_INSZ_IN_TEXT = "(?:^|[^0-9+])" + _INSZ_ANY + "(?:[^0-9]|$)"
_INSZ_WHOLE = "^" + _INSZ_ANY + "$"
_INSZ_MASKED = "(^|[^0-9+])" + _INSZ_PLAIN + "([^0-9]|$)"  # keep the boundaries: \1#\2
_PART_NAMES = ("yy", "mm", "dd", "seq", "cc")
_CONTAINS_MIN = insz.NUMBER_MIN  # contains_insz: numbers of 8 digits and more (see above)
_INSZ_DIGITS = 11
_SHORT_DIGITS = 8  # the fewest digits a rendering of a number that lost its zeros has
# Any 11 digits joined by gaps, delimited: a run of exactly 11 digits in a cell of 11 digits,
# or one of the windows a longer cell may hide a second candidate in.
_WINDOW = "(?:^|[^0-9+])[0-9](?:" + insz.SEP + "[0-9]){10}(?:[^0-9]|$)"
# A whole cell that renders one number (insz.number_of_rendering, without back-references).
_THOUSANDS = "|".join(f"[1-9][0-9]{{0,2}}(?:{sep}[0-9]{{3}})+" for sep in (r"\.", ",", " ", "'"))
_RENDERED = r"^\s*(?P<int>" + _THOUSANDS + r"|[0-9]+)(?:[.,]0*)?\s*$"
_SCIENTIFIC = r"^\s*[0-9](?:[.,][0-9]*)?[eE]\+?[0-9]{1,2}\s*$"
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
    return _per_chunk(arr, lambda a: _insz_cells(a, whole=False))


def is_insz(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Cells that are, whitespace trimmed, exactly one valid INSZ or bis number.

    The format check of a column declared to hold INSZ. Integer columns: the value zero-padded
    to 11 digits, whatever its length.
    """
    return _per_chunk(arr, lambda a: _insz_cells(a, whole=True))


def contains_email(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells holding an e-mail address anywhere (local@domain.tld, no spaces)."""

    def search(s: pa.Array) -> Mask:
        return _match_where(s, _bool(pc.match_substring(s, "@")), _EMAIL_IN_TEXT)

    return _per_chunk(arr, lambda a: _text_mask(a, search))


def is_email(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells that are, whitespace trimmed, exactly one e-mail address of <= 254 chars."""

    def whole(s: pa.Array) -> Mask:
        trimmed = pc.utf8_trim_whitespace(s)
        short = _bool(pc.less_equal(pc.utf8_length(trimmed), _EMAIL_MAX))
        return short & _match(trimmed, _EMAIL_WHOLE)

    return _per_chunk(arr, lambda a: _text_mask(a, whole))


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
        found = _match_where(s, _digit_counts(s) >= _PHONE_DIGITS, _PHONE_IN_TEXT)
        hits = np.flatnonzero(found)
        if hits.size == 0:
            return found
        cells = s.take(pa.array(hits))
        with_insz = np.flatnonzero(_insz_in_text(cells))
        if with_insz.size:
            masked = pc.replace_substring_regex(
                cells.take(pa.array(with_insz)), _INSZ_MASKED, r"\1#\2"
            )
            found[hits[with_insz]] = _match(masked, _PHONE_IN_TEXT)
        return found

    return _per_chunk(arr, lambda a: _text_mask(a, search))


def is_phone(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """Text cells that are, whitespace trimmed, exactly one phone number (see contains_phone)."""

    def whole(s: pa.Array) -> Mask:
        trimmed = pc.utf8_trim_whitespace(s)
        return _match(trimmed, _PHONE_WHOLE) & ~_insz_cells(trimmed, whole=True)

    return _per_chunk(arr, lambda a: _text_mask(a, whole))


def contains_pattern(arr: pa.Array | pa.ChunkedArray, pattern: str) -> Mask:
    """Text cells where the RE2 regular expression `pattern` matches somewhere."""
    return _per_chunk(arr, lambda a: _text_mask(a, lambda s: _match(s, pattern)))


def matches_pattern(arr: pa.Array | pa.ChunkedArray, pattern: str) -> Mask:
    """Text cells that the RE2 regular expression `pattern` matches as a whole (not trimmed)."""
    whole = "^(?:" + pattern + ")$"
    return _per_chunk(arr, lambda a: _text_mask(a, lambda s: _match(s, whole)))


# --- INSZ ---------------------------------------------------------------------------------------


def _insz_cells(arr: pa.Array, *, whole: bool) -> Mask:
    t = arr.type
    if _is_text(t):
        text = _as_text(arr)
        if not whole:
            return _insz_in_text(text)
        trimmed = pc.utf8_trim_whitespace(text)
        out = _match(trimmed, _INSZ_WHOLE)
        rows = np.flatnonzero(out)
        out[rows] = insz.valid_numbers(_insz_numbers(trimmed.take(pa.array(rows)), _INSZ_WHOLE))
        return out
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        numbers = _whole_numbers(arr)
        if not whole:
            numbers[numbers < _CONTAINS_MIN] = -1
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
    digits, foreign = _byte_counts(text)
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
        found = np.flatnonzero(_match(cells, _INSZ_IN_TEXT))
        if found.size:
            numbers = _insz_numbers(cells.take(pa.array(found)), _INSZ_IN_TEXT)
            out[rows[found]] = insz.valid_numbers(numbers)
    # 3. eleven digits in one run
    rows = np.flatnonzero(plain & (digits == _INSZ_DIGITS) & ~out)
    if rows.size:
        cells = text.take(pa.array(rows))
        run = _match(cells, _WINDOW)
        numbers = _all_digits(cells)
        out[rows] = run & insz.valid_numbers(numbers)
    # 4. a whole cell that renders one number: only digits and . , ' + e E and spaces
    rows = np.flatnonzero(plain & (digits >= _SHORT_DIGITS) & ~out)
    if rows.size == 0:
        return out
    cells = text.take(pa.array(rows))
    numeric = _cell_counts(cells, _not_numeric) == 0
    if numeric.any():
        some = np.flatnonzero(numeric)
        whole = pc.struct_field(pc.extract_regex(cells.take(pa.array(some)), _RENDERED), "int")
        numbers = _all_digits(whole)
        zero_led = _bool(pc.starts_with(pc.fill_null(whole, ""), "0"))
        numbers[zero_led & (numbers < _INSZ_LIMIT // 10)] = -1  # kept its zeros: not a lost one
        numbers[numbers < insz.NUMBER_MIN] = -1
        out[rows[some]] = insz.valid_numbers(numbers)
    # 5. the rest, in Python: a second candidate, or scientific notation
    left = ~out[rows] & ((digits[rows] > _INSZ_DIGITS) | numeric)
    if left.any():
        some = np.flatnonzero(left)
        rest = cells.take(pa.array(some))
        window = (digits[rows[some]] > _INSZ_DIGITS) & _match(rest, _WINDOW)
        window |= numeric[some] & _match(rest, _SCIENTIFIC)
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


# --- plumbing -----------------------------------------------------------------------------------


def _per_chunk(arr: pa.Array | pa.ChunkedArray, fn: Callable[[pa.Array], Mask]) -> Mask:
    """Run `fn` over every cell of any storage type, and give one flag per row.

    Chunks are joined; dictionaries decoded (each distinct value checked once); binary cells
    read as UTF-8 text (invalid bytes replaced); a struct's row is flagged when any of its
    fields is, a list's (or map's) when any of its items is, at any depth.
    """
    if isinstance(arr, pa.ChunkedArray):
        masks = [_per_chunk(chunk, fn) for chunk in arr.chunks]
        return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
    t = arr.type
    if pa.types.is_dictionary(t):
        # Every detector is cell by cell: check each distinct value once, then spread.
        per_value = _per_chunk(arr.dictionary, fn)
        if per_value.size == 0:
            return np.zeros(len(arr), dtype=bool)
        indices = np.asarray(
            pc.fill_null(pc.cast(arr.indices, pa.int64()), -1).to_numpy(zero_copy_only=False),
            dtype=np.int64,
        )
        return np.where(indices >= 0, per_value[np.maximum(indices, 0)], False)
    if pa.types.is_struct(t):
        mask = np.zeros(len(arr), dtype=bool)
        for child in arr.flatten():
            mask |= _per_chunk(child, fn)
        return mask
    if pa.types.is_map(t):
        offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        first, last = int(offsets[0]), int(offsets[-1])
        hit = _per_chunk(arr.keys.slice(first, last - first), fn)
        hit |= _per_chunk(arr.items.slice(first, last - first), fn)
        rows = np.searchsorted(offsets, np.flatnonzero(hit) + first, side="right") - 1
        return np.bincount(rows, minlength=len(arr))[: len(arr)] > 0
    if _is_list(t):
        items = arr.flatten()
        if len(items) == 0:
            return np.zeros(len(arr), dtype=bool)
        parents = np.asarray(pc.list_parent_indices(arr).to_numpy(zero_copy_only=False))
        hit = _per_chunk(items, fn)
        return np.bincount(parents[hit], minlength=len(arr))[: len(arr)] > 0
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return fn(_binary_as_text(arr))
    if pa.types.is_fixed_size_binary(t):
        return fn(_binary_as_text(arr.cast(pa.large_binary())))
    return fn(arr)


def _is_list(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_map(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    )


def _binary_as_text(arr: pa.Array) -> pa.Array:
    """Binary cells as UTF-8 text; bytes that are not UTF-8 become U+FFFD, cell by cell."""
    try:
        return pc.cast(arr, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        cells = [None if v is None else v.decode("utf-8", "replace") for v in arr.to_pylist()]
        return pa.array(cells, pa.large_string())


def _text_mask(arr: pa.Array, fn: Callable[[pa.Array], Mask]) -> Mask:
    if _is_text(arr.type):
        return fn(_as_text(arr))
    return np.zeros(len(arr), dtype=bool)


def _is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _as_text(arr: pa.Array) -> pa.Array:
    """string_view has no regex kernels (pyarrow 26): search it as large_string."""
    return arr.cast(pa.large_string()) if pa.types.is_string_view(arr.type) else arr


def _match(text: pa.Array, pattern: str) -> Mask:
    return _bool(pc.match_substring_regex(text, pattern))


def _match_where(text: pa.Array, candidates: Mask, pattern: str) -> Mask:
    """`pattern` searched only in the candidate cells; False elsewhere."""
    out = np.zeros(len(text), dtype=bool)
    rows = np.flatnonzero(candidates)
    if rows.size == len(text):
        return _match(text, pattern)
    if rows.size:
        out[rows] = _match(text.take(pa.array(rows)), pattern)
    return out


def _digit_counts(text: pa.Array) -> npt.NDArray[np.int64]:
    """ASCII digits per cell of a string or large_string array, from its bytes, without RE2."""
    return _cell_counts(text, lambda data: (data - np.uint8(48)) < 10)  # wraps below "0"


def _byte_counts(text: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """ASCII digits, and bytes the Python reading must normalise, per cell (_digit_counts)."""

    def foreign(data: npt.NDArray[np.uint8]) -> Mask:
        # beyond ASCII, or ASCII whitespace other than the space (tab, line breaks, the
        # information separators): normalise() turns those into one space, RE2 does not
        return (data >= 0x80) | ((data - np.uint8(9)) < 5) | ((data - np.uint8(28)) < 4)

    return _digit_counts(text), _cell_counts(text, foreign)


def _cell_counts(
    text: pa.Array, flag: Callable[[npt.NDArray[np.uint8]], Mask]
) -> npt.NDArray[np.int64]:
    """How many bytes of each cell `flag` marks, from the array's buffers.

    A null counts the bytes it spans (normally none); callers only use the counts to choose
    which cells to search, and the search gives False for nulls.
    """
    n = len(text)
    counts = np.zeros(n, dtype=np.int64)
    _, offset_buffer, data_buffer = text.buffers()[:3]
    if n == 0 or data_buffer is None or data_buffer.size == 0:
        return counts
    width = np.dtype(np.int64 if pa.types.is_large_string(text.type) else np.int32)
    offsets = np.frombuffer(
        offset_buffer, dtype=width, count=n + 1, offset=text.offset * width.itemsize
    ).astype(np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, dtype=np.uint8)[start:end]
    marked = flag(data)
    positions = np.flatnonzero(marked)
    if positions.size <= n:  # few marks: find the cell of each one
        cells = np.searchsorted(offsets, positions + start, side="right") - 1
        return np.bincount(cells, minlength=n).astype(np.int64)
    # many marks: sum per cell; reduceat needs every start in range, hence one byte more
    padded = np.append(marked.view(np.uint8), np.uint8(0))
    rel = offsets - start
    counts = np.add.reduceat(padded, rel[:-1], dtype=np.int64)
    counts[rel[1:] == rel[:-1]] = 0  # reduceat gives an empty cell its next byte
    return counts


def _bool(arr: pa.Array) -> Mask:
    """A writable numpy copy, nulls False."""
    return np.array(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)
