"""`age_between`: the person whose national number is in `column` is `minimum` to `maximum`
years old (completed years) on the reference date: the row's `reference_column`, or the date
of the transfer. The birth date is read from the number (personal/insz.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, bool_mask, insz_numbers
from datacontract.check.kinds.base import RuleKind, SampleChunk
from datacontract.contract.rules import AgeBetweenRule
from datacontract.personal import insz

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: AgeBetweenRule) -> str:
    lo, hi = rule.minimum, rule.maximum
    on = rule.reference_column or "the transfer date"
    ages = f"{lo} to {hi} years old" if hi is not None else f"at least {lo} years old"
    return f"the person of {rule.column} is {ages} on {on} (birth date from the number)"


def _check(compiled: CompiledDataset, rule: AgeBetweenRule) -> Callable[[Batch], None]:
    number = compiled.column_of(rule.column)
    reference = compiled.column_of(rule.reference_column) if rule.reference_column else None
    lo, hi = rule.minimum, rule.maximum

    def age_between(b: Batch) -> None:
        numbers = insz_numbers(b.typed(number).values)
        if reference is None:
            ref = np.full(len(numbers), np.datetime64(compiled.reference_date, "D"))
            known = numbers >= 0
        else:
            days = pc.cast(b.typed(reference).values, pa.date32())
            known = (numbers >= 0) & bool_mask(pc.is_valid(days))
            filled = pc.fill_null(days, pa.scalar(0, pa.date32()))
            ref = np.asarray(filled.to_numpy(zero_copy_only=False), "datetime64[D]")
        youngest, oldest, valid = insz.age_bounds(numbers, ref)
        outside = youngest < lo
        if hi is not None:
            outside |= oldest > hi
        b.record(rule.id, number.name, known & valid & outside)

    return age_between


# --- samples --------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_span(
    rule: AgeBetweenRule, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date] | None:
    """The birth dates that give an allowed age on `first` and on `last` (so on every day
    between), or None when the rule's span is too short for the window."""
    latest = _years_before(first, rule.minimum)  # old enough on the first day
    span = rule.maximum if rule.maximum is not None else rule.minimum + 40
    earliest = _years_before(last, span + 1) + dt.timedelta(days=1)  # young enough on the last
    return (earliest, latest) if earliest <= latest else None


def _sample(chunk: SampleChunk, rule: AgeBetweenRule) -> None:
    """National numbers whose birth dates make the people the rule's age on every day of the
    chunk's window (or, if the rule's span is too short for that, on its last day), or on the
    row's own reference date (set to the transfer's date, when the sample has one)."""
    epoch = dt.date(1970, 1, 1)
    keep = chunk.null(rule.column).copy()
    ref = chunk.dataset.column(rule.reference_column or "")
    if rule.reference_column is not None and ref is not None:
        if chunk.reference_date is not None and ref.type == "date":
            # the file's own date is the transfer's (a MAGDA request's)
            chunk.values[ref.name] = np.full(chunk.n, chunk.reference_date.isoformat())
            chunk.nulls[ref.name] = np.zeros(chunk.n, dtype=bool)
        keep |= chunk.null(ref.name)
        lo = np.zeros(chunk.n, dtype=np.int64)
        hi = np.zeros(chunk.n, dtype=np.int64)
        refs = chunk.values[ref.name].tolist()
        for i in np.flatnonzero(~keep).tolist():
            day = dt.date.fromisoformat(str(refs[i])[:10])
            span = _birth_span(rule, day, day)
            assert span is not None
            lo[i], hi[i] = (span[0] - epoch).days, (span[1] - epoch).days
    else:
        first, last = chunk.window
        span = _birth_span(rule, first, last) or _birth_span(rule, last, last)
        assert span is not None
        lo = np.full(chunk.n, (span[0] - epoch).days, dtype=np.int64)
        hi = np.full(chunk.n, (span[1] - epoch).days, dtype=np.int64)
    lo = np.maximum(lo, (dt.date(1900, 1, 1) - epoch).days)
    hi = np.maximum(hi, lo)
    births = lo + (chunk.rng.random(chunk.n) * (hi - lo + 1)).astype(np.int64)
    numbers = chunk.insz(births, chunk.rng.integers(1, 998, size=chunk.n))
    chunk.values[rule.column] = np.where(keep, chunk.values[rule.column], numbers)


KIND = RuleKind(
    AgeBetweenRule,
    _demand,
    batch_check=_check,
    sample=_sample,
    sample_stage=0,  # the numbers first: other rules may read them
    sample_keeps=lambda rule: (rule.column,),  # the reference date may be empty
)
