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
