"""Cast a column as read to the type its contract declares, without ever raising on a value.

Text formats (CSV, XLSX) arrive as strings; Parquet and JSON keep their own types. A cell that
does not fit the declared type becomes null here and is counted by the type rule: pyarrow's own
cast errors quote the offending value, so every cast below is made on cells already known to fit.

One value, one verdict, whatever the format (docs/contract-format.md, "Types"):
  - an integer column takes whole numbers however they are stored: 3, 3.0 and "3.0" (also
    "3,0", a Belgian decimal comma), a float or decimal 3.0; it refuses 3.5 in every format;
  - a number column takes a decimal point or a decimal comma in text ("3.5", "3,5");
  - NaN and infinities are no numbers: they count as empty (null) in integer and number
    columns, whether a float holds them (Parquet, JSON's NaN) or text spells them ("NaN",
    "Infinity", "-inf"), so a nullable column accepts them and a required one refuses them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.contract.model import ColumnType

# At most 18 digits: every such integer fits in int64, so the cast below cannot fail. Zero
# decimals (3.0, 3,00) are a whole number written by a program that stores floats.
_INTEGER_TEXT = r"^\s*[+-]?[0-9]{1,18}([.,]0{0,30})?\s*$"
_INTEGER_DECIMALS = r"[.,]0*\s*$"
_NUMBER_TEXT = r"^\s*[+-]?([0-9]{1,30}([.,][0-9]{0,30})?|[.,][0-9]{1,30})([eE][+-]?[0-9]{1,3})?\s*$"
_NOT_A_NUMBER = ("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
_DATE_TEXT = r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\s*$"
_DATETIME_TEXT = (
    r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?\s*$"
)
_TRUE = ("true", "1", "ja", "yes", "waar")
_FALSE = ("false", "0", "neen", "nee", "no", "onwaar")


@dataclass(frozen=True)
class Coerced:
    """A column in its declared type; `bad` marks non-null cells that did not fit."""

    values: pa.Array
    bad: np.ndarray


def coerce(raw: pa.Array | pa.ChunkedArray, declared: ColumnType) -> Coerced:
    arr = _plain(raw)
    if pa.types.is_float16(arr.type):  # few kernels take half floats: widen them first
        arr = pc.cast(arr, pa.float32())
    if declared in ("integer", "number") and _is_text(arr.type):
        fast = _plain_digits(arr, pa.int64() if declared == "integer" else pa.float64())
        if fast is not None:
            return _ok(fast)
    if declared in ("integer", "number"):
        arr = _no_nan(arr)
    t = arr.type
    if pa.types.is_null(t):
        return Coerced(pa.nulls(len(arr), _ARROW[declared]), np.zeros(len(arr), dtype=bool))
    if declared == "string":
        if _is_text(t):
            return _ok(pc.cast(arr, pa.string()))
        return _refuse(arr, pa.string())
    if declared == "integer":
        if pa.types.is_integer(t):
            return _ok(pc.cast(arr, pa.int64()))
        if pa.types.is_floating(t):
            whole = pc.fill_null(pc.and_(pc.is_finite(arr), pc.equal(pc.floor(arr), arr)), False)
            whole = pc.and_(
                whole, pc.less_equal(pc.abs(pc.fill_null(arr, 0.0)), float(2**53))
            )  # exactly representable
            return _fit(arr, whole, lambda fit: pc.cast(fit, pa.int64()))
        if pa.types.is_decimal(t):
            whole = pc.fill_null(pc.equal(pc.floor(arr), arr), False)
            in_range = pc.less_equal(pc.abs(pc.fill_null(arr, 0)), pa.scalar(10**18 - 1))
            fits = pc.and_(whole, pc.fill_null(in_range, False))
            return _fit(arr, fits, lambda fit: pc.cast(fit, pa.int64()))
        if _is_text(t):
            text = pc.cast(arr, pa.string())
            fits = pc.fill_null(pc.match_substring_regex(text, _INTEGER_TEXT), False)
            return _fit(text, fits, _parse_integers)
        return _refuse(arr, pa.int64())
    if declared == "number":
        if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
            return _ok(pc.cast(arr, pa.float64()))
        if _is_text(t):
            text = pc.cast(arr, pa.string())
            fits = pc.fill_null(pc.match_substring_regex(text, _NUMBER_TEXT), False)
            return _fit(text, fits, _parse_numbers)
        return _refuse(arr, pa.float64())
    if declared == "boolean":
        if pa.types.is_boolean(t):
            return _ok(arr)
        if _is_text(t):
            low = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(arr, pa.string())))
            is_true = pc.fill_null(pc.is_in(low, pa.array(_TRUE)), False)
            is_false = pc.fill_null(pc.is_in(low, pa.array(_FALSE)), False)
            fits = pc.or_(is_true, is_false)
            values = pc.if_else(fits, is_true, pa.scalar(None, pa.bool_()))
            return Coerced(values, _mask(pc.and_(pc.is_valid(arr), pc.invert(fits))))
        if pa.types.is_integer(t):
            fits = pc.fill_null(pc.is_in(arr, pa.array([0, 1], t)), False)
            values = pc.if_else(fits, pc.equal(arr, 1), pa.scalar(None, pa.bool_()))
            return Coerced(values, _mask(pc.and_(pc.is_valid(arr), pc.invert(fits))))
        return _refuse(arr, pa.bool_())
    if declared == "date":
        if pa.types.is_date(t):
            return _ok(pc.cast(arr, pa.date32()))
        if _is_text(t):
            text = pc.cast(arr, pa.string())
            fits = pc.fill_null(pc.match_substring_regex(text, _DATE_TEXT), False)
            return _fit(text, fits, _parse_dates)
        return _refuse(arr, pa.date32())
    # datetime
    if pa.types.is_timestamp(t):
        return _ok(arr)
    if _is_text(t):
        text = pc.cast(arr, pa.string())
        fits = pc.fill_null(pc.match_substring_regex(text, _DATETIME_TEXT), False)
        return _fit(text, fits, _parse_datetimes)
    return _refuse(arr, pa.timestamp("us", tz="UTC"))


_ARROW: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def arrow_type(declared: ColumnType) -> pa.DataType:
    return _ARROW[declared]


def _no_nan(arr: pa.Array) -> pa.Array:
    """NaN and infinities, as floats or as text, made null (see the module docstring)."""
    t = arr.type
    if pa.types.is_floating(t):
        return pc.if_else(pc.fill_null(pc.is_finite(arr), True), arr, pa.scalar(None, t))
    if _is_text(t):
        low = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
        spelled = pc.fill_null(pc.is_in(low, pa.array(_NOT_A_NUMBER, low.type)), False)
        if pc.any(spelled).as_py():
            return pc.if_else(spelled, pa.scalar(None, t), arr)
    return arr


def _plain_digits(text: pa.Array, target: pa.DataType) -> pa.Array | None:
    """The column cast to target when every cell is 1 to 18 ASCII digits and nothing else
    (what nearly every count column is); None otherwise, for the full reading below. Such
    cells are read the same way by that reading, and Arrow's own cast reads them at the
    speed of memory (the full reading runs three regular expressions per cell)."""
    plain = pc.and_(pc.ascii_is_decimal(text), pc.less_equal(pc.binary_length(text), 18))
    if not pc.all(plain).as_py():  # nulls are skipped: they stay null
        return None
    return pc.cast(text, target)


def _parse_integers(text: pa.Array) -> pa.Array:
    whole = pc.replace_substring_regex(pc.utf8_trim_whitespace(text), _INTEGER_DECIMALS, "")
    return pc.cast(pc.replace_substring_regex(whole, r"^\+", ""), pa.int64())


def _parse_numbers(text: pa.Array) -> pa.Array:
    point = pc.replace_substring(pc.utf8_trim_whitespace(text), ",", ".")
    return pc.cast(pc.replace_substring_regex(point, r"^\+", ""), pa.float64())


def _plain(raw: pa.Array | pa.ChunkedArray) -> pa.Array:
    arr = raw.combine_chunks() if isinstance(raw, pa.ChunkedArray) else raw
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return arr


def _is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _mask(cond: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(cond, False).to_numpy(zero_copy_only=False), dtype=bool)


def _ok(values: pa.Array) -> Coerced:
    return Coerced(values, np.zeros(len(values), dtype=bool))


def _refuse(arr: pa.Array, target: pa.DataType) -> Coerced:
    """The column has a type that cannot hold the declared one: every non-null cell is bad."""
    return Coerced(pa.nulls(len(arr), target), _mask(pc.is_valid(arr)))


def _fit(arr: pa.Array, fits: pa.Array, cast: object) -> Coerced:
    """Cast only the cells that fit; the others become null and are marked bad."""
    assert callable(cast)
    kept = pc.if_else(fits, arr, pa.scalar(None, arr.type))
    values = cast(kept)
    # a cell that fit the pattern but not the calendar (2025-02-30) is bad as well
    return Coerced(values, _mask(pc.and_(pc.is_valid(arr), pc.is_null(values))))


def _parse_dates(text: pa.Array) -> pa.Array:
    clean = pc.utf8_trim_whitespace(text)
    stamps = pc.strptime(clean, format="%Y-%m-%d", unit="s", error_is_null=True)
    dates = pc.cast(stamps, pa.date32())
    # strptime rolls 2025-02-30 over into March: keep only dates that print back the same
    same = pc.fill_null(pc.equal(pc.strftime(stamps, format="%Y-%m-%d"), clean), False)
    return pc.if_else(same, dates, pa.scalar(None, pa.date32()))


_OFFSET = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"
_UTC = pa.timestamp("us", tz="UTC")


def _parse_datetimes(text: pa.Array) -> pa.Array:
    clean = pc.replace_substring(pc.utf8_trim_whitespace(text), " ", "T")
    # A time without an offset is taken as UTC (documented in docs/contract-format.md).
    has_offset = pc.fill_null(pc.match_substring_regex(clean, _OFFSET), False)
    clean = pc.if_else(has_offset, clean, pc.binary_join_element_wise(clean, "Z", ""))
    try:
        return pc.cast(clean, _UTC)
    except pa.ArrowInvalid:
        # Only on the error path (an impossible calendar date): one cell at a time, and the
        # error, which would quote the cell, is never passed on.
        out: list[dt.datetime | None] = []
        for cell in clean.to_pylist():
            try:
                out.append(dt.datetime.fromisoformat(cell) if cell is not None else None)
            except ValueError:
                out.append(None)
        return pa.array(out, _UTC)


# -- what a refused cell looks like, and what would fit ----------------------------------------
#
# A type refusal says which form was found and which is expected, never the cell: each refused
# cell is matched against the common forms below (an allow-list of shapes, named by their
# pattern, e.g. `dd/mm/yyyy`); a cell of none of them is "another form". The recipes to convert
# each are in docs/converting.md, one section per declared type.

EXPECTED: dict[str, str] = {
    "string": "text",
    "integer": "a whole number (3; 3.0 and 3,0 are taken too)",
    "number": "a number with a decimal point or comma (3.5 or 3,5), no thousands separator",
    "boolean": "true/false (also ja/neen, yes/no, 1/0)",
    "date": "yyyy-mm-dd (ISO 8601, e.g. 2025-03-01)",
    "datetime": "yyyy-mm-ddThh:mm:ss with an offset (ISO 8601, e.g. 2025-03-01T09:30:00+01:00)",
}
"""What each declared type takes, in words (the docs' "Types" say the same)."""

_DMY = r"(0?[1-9]|[12][0-9]|3[01])"
_MON = r"(0?[1-9]|1[0-2])"
_TIME = r"[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.,][0-9]+)?)?"
_ZONE = r"(Z|[+-][0-9]{2}:?[0-9]{2})"
_NO_SUCH_DAY = "yyyy-mm-dd with a day the calendar lacks"
_TEXT_FORMS: tuple[tuple[str, str], ...] = (
    # date and time forms, the most common first (dd/mm/yyyy is the Belgian habit)
    (rf"^{_DMY}/{_MON}/[0-9]{{4}}$", "dd/mm/yyyy"),
    (rf"^{_DMY}-{_MON}-[0-9]{{4}}$", "dd-mm-yyyy"),
    (rf"^{_DMY}\.{_MON}\.[0-9]{{4}}$", "dd.mm.yyyy"),
    (rf"^{_MON}/{_DMY}/[0-9]{{4}}$", "mm/dd/yyyy"),
    (rf"^{_DMY}/{_MON}/[0-9]{{2}}$", "dd/mm/yy"),
    (rf"^[0-9]{{4}}/{_MON}/{_DMY}$", "yyyy/mm/dd"),
    (rf"^[0-9]{{4}}\.{_MON}\.{_DMY}$", "yyyy.mm.dd"),
    (r"^[12][0-9]{3}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$", "yyyymmdd"),
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", _NO_SUCH_DAY),
    (rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{_TIME}{_ZONE}?$", "yyyy-mm-ddThh:mm:ss (a time)"),
    (rf"^{_DMY}/{_MON}/[0-9]{{4}}{_TIME}$", "dd/mm/yyyy hh:mm"),
    (rf"^{_DMY}-{_MON}-[0-9]{{4}}{_TIME}$", "dd-mm-yyyy hh:mm"),
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "yyyy-mm-dd (no time)"),
    # numbers
    (r"^[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$", "a number with thousands separators (1.234,5)"),
    (r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$", "a number with thousands separators (1,234.5)"),
    (r"^[+-]?[0-9]{1,3}([  ][0-9]{3})+([.,][0-9]+)?$", "a number with spaces (1 234,5)"),
    (r"^[+-]?[0-9]+[.,][0-9]*[1-9][0-9]*$", "a number with decimals"),
    (r"^[+-]?[0-9]+([.,][0-9]+)?\s*(%|€|EUR)$", "a number with a unit (%, €)"),
    (r"^(€|EUR)\s*[+-]?[0-9]+([.,][0-9]+)?$", "a number with a unit (%, €)"),
    (r"^[+-]?[0-9]{19,}$", "a whole number of more than 18 digits"),
    (r"^[+-]?[0-9]+$", "a whole number"),
    (r"^[+-]?[0-9]*[.,][0-9]+([eE][+-]?[0-9]+)?$", "a number"),
    # yes and no in other words
    (r"(?i)^(j|n|y|t|f|oui|non|vrai|faux|x|v|-)$", "a one-word yes or no"),
)
_YES_NO = "a one-word yes or no"
_DATE_LIKE = ("date", "datetime")


def found_forms(raw: pa.Array, declared: ColumnType, bad: np.ndarray) -> dict[str, int]:
    """How many of the refused cells (`bad`) have each common form (a pattern's name such as
    `dd/mm/yyyy`, or the type a typed format stored, e.g. "a timestamp"); never a value. A
    text cell of no listed form is "another form"; a whole number in a date column is named
    as Excel's serial day number, the usual cause."""
    where = np.flatnonzero(bad)
    if where.size == 0:
        return {}
    cells = _plain(raw).take(pa.array(where))
    if not _is_text(cells.type):
        return {_typed_form(cells.type): int(where.size)}
    text = pc.utf8_trim_whitespace(pc.cast(cells, pa.string()))
    left = np.ones(len(text), dtype=bool)
    out: dict[str, int] = {}
    for pattern, form in _TEXT_FORMS:
        if form == _NO_SUCH_DAY and declared != "date":
            continue  # in a datetime column it is a date without its time (next forms)
        hit = left & _mask(pc.match_substring_regex(text, pattern))
        count = int(np.count_nonzero(hit))
        if count:
            if form == "a whole number" and declared in _DATE_LIKE:
                form = "a whole number (Excel's serial day number?)"
            if form == _YES_NO and declared != "boolean":
                form = "another form"
            out[form] = out.get(form, 0) + count
            left &= ~hit
    rest = int(np.count_nonzero(left))
    if rest:
        out["another form"] = rest
    return out


def _typed_form(kind: pa.DataType) -> str:
    """A column a typed format (Parquet, JSON, a workbook) stored as another type."""
    if pa.types.is_timestamp(kind):
        return "a timestamp (date and time)"
    if pa.types.is_date(kind):
        return "a date"
    if pa.types.is_boolean(kind):
        return "true/false"
    if pa.types.is_integer(kind):
        return "whole numbers"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "numbers (with decimals, or too large)"
    if pa.types.is_struct(kind) or pa.types.is_list(kind) or pa.types.is_map(kind):
        return "a nested object or list"
    return "another type"


def type_advice(declared: ColumnType, forms: dict[str, int]) -> str:
    """The sentence a type refusal adds: the forms found (with their counts), the form
    expected and where the recipes to convert are (docs/converting.md, by source: Excel,
    pandas, SQL). Names forms only, never a cell."""
    found = ", ".join(
        f"{form} ({count:,} row{'s' if count != 1 else ''})"
        for form, count in sorted(forms.items(), key=lambda item: (-item[1], item[0]))
    )
    anchor = {"date": "dates", "datetime": "dates-and-times"}.get(declared, f"{declared}s")
    return (
        f"found {found}; expected {EXPECTED[declared]}; to convert (Excel, pandas, SQL) see "
        f"docs/converting.md#{anchor}"
    )
