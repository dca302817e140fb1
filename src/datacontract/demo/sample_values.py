"""One column of synthetic values, drawn from its declaration with numpy (demo/sample_draw.py
draws the chunks and makes the rules true): a value list gives a choice among its labels; a
pattern gives strings generated from the regular expression itself (read with Python's own
parser, re._parser: literals, classes and ranges, repeats, groups, alternatives and anchors;
anything else is a ContractError naming the column); `format: insz` national numbers with
valid check digits from synthetic birth dates and sequence numbers (they belong to no one);
`email` and `phone` addresses and numbers at example domains and a mobile prefix; ranges bound
the numbers."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from datacontract.contract import model
from datacontract.errors import ContractError

_sre: Any = importlib.import_module("re._parser")
_EPOCH = np.datetime64("1970-01-01", "D")
# --- one column ---------------------------------------------------------------------------------


def values_of(column: model.Column, rng: np.random.Generator, start: int, n: int) -> np.ndarray:
    """n values for column, for rows start .. start + n - 1."""
    if column.values:
        labels = np.array([str(v) for v in column.values])
        if column.type == "integer" and all(isinstance(v, int) for v in column.values):
            labels = np.array(column.values, dtype=np.int64)
        return labels[rng.integers(len(column.values), size=n)]
    if column.format == "insz":
        days = rng.integers(0, 365 * 60, size=n) + (np.datetime64("1950-01-01") - _EPOCH)
        return insz_numbers(days.astype(np.int64), rng.integers(1, 998, size=n))
    if column.format == "email":
        tail = rng.integers(1000, size=n)
        return np.array(
            [
                f"persoon{i}.{t}@example.org"
                for i, t in zip(range(start, start + n), tail.tolist(), strict=True)
            ]
        )
    if column.format == "phone":
        digits = np.char.zfill(rng.integers(0, 10**7, size=n).astype(str), 7).tolist()
        return np.array([f"+32 47{t[0]} {t[1:3]} {t[3:5]} {t[5:]}" for t in digits])
    if column.pattern is not None:
        try:
            return from_regex(column.pattern, rng, n)
        except ValueError as exc:
            raise ContractError(f"column {column.name}: cannot sample its pattern: {exc}") from None
    lo = column.minimum if column.minimum is not None else 0
    hi = column.maximum if column.maximum is not None else lo + 3
    if column.type == "integer":
        return rng.integers(int(lo), int(hi) + 1, size=n)
    if column.type == "number":
        return np.round(rng.uniform(lo, hi, size=n), 2)
    if column.type == "boolean":
        return rng.integers(2, size=n).astype(bool)
    if column.type == "date":
        day: Any = np.datetime64("2024-01-01") + rng.integers(366, size=n)
        return np.asarray(np.datetime_as_string(day, unit="D"))
    if column.type == "datetime":
        minute: Any = np.datetime64("2024-01-01T00:00") + rng.integers(525_600, size=n)
        return np.char.add(np.datetime_as_string(minute, unit="s"), "+01:00")
    return np.array([f"{column.name}-{i}" for i in range(start, start + n)])


def insz_numbers(days: np.ndarray, sequence: np.ndarray) -> np.ndarray:
    """National numbers (11 digits, as text) for birth dates (days since 1970-01-01) and
    sequence numbers 1..997, with the check digits of the register: 97 - (YYMMDDSSS mod 97),
    with 2 in front of the nine digits for someone born from 2000 on."""
    dates = _EPOCH + days.astype("timedelta64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = (dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    mday = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    body = (years % 100) * 10_000_000 + months * 100_000 + mday * 1_000 + sequence
    base = np.where(years >= 2000, body + 2_000_000_000, body)
    number = body * 100 + (97 - base % 97)
    digits = (number[:, None] // 10 ** np.arange(10, -1, -1, dtype=np.int64)) % 10
    text: np.ndarray = (digits + ord("0")).astype(np.uint8).view("S11").ravel().astype("U11")
    return text


def from_regex(pattern: str, rng: np.random.Generator, n: int) -> np.ndarray:
    """n strings that match pattern (the constructs contracts use: literals, classes and
    ranges, repeats, groups, alternatives and anchors); ValueError for anything else."""
    return _emit(_sre.parse(pattern), rng, n)


def _emit(items: Any, rng: np.random.Generator, n: int) -> np.ndarray:
    out = np.full(n, "", dtype="U1")
    for op, av in items:
        out = np.char.add(out, _emit_one(op, av, rng, n))
    return out


def _emit_one(op: Any, av: Any, rng: np.random.Generator, n: int) -> np.ndarray:
    if op is _sre.LITERAL:
        return np.full(n, chr(av))
    if op is _sre.IN:
        choices = np.array(_choices(av))
        return choices[rng.integers(len(choices), size=n)]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        lo, hi, sub = av
        hi = lo + 3 if hi is _sre.MAXREPEAT else hi
        counts = rng.integers(lo, hi + 1, size=n)
        if len(sub) == 1 and sub[0][0] is _sre.IN:
            choices = np.array(_choices(sub[0][1]))
            drawn = choices[rng.integers(len(choices), size=(n, hi))]
            drawn[np.arange(hi)[None, :] >= counts[:, None]] = ""
            return np.ascontiguousarray(drawn).view(f"U{hi}")[:, 0] if hi else np.full(n, "")
        out = np.full(n, "", dtype="U1")
        for k in range(hi):
            out = np.where(counts > k, np.char.add(out, _emit(sub, rng, n)), out)
        return out
    if op is _sre.SUBPATTERN:
        return _emit(av[-1], rng, n)
    if op is _sre.BRANCH:
        branches = av[1]
        which = rng.integers(len(branches), size=n)
        out = np.full(n, "", dtype="U1")
        for b, branch in enumerate(branches):
            out = np.where(which == b, _emit(branch, rng, n), out)
        return out
    if op is _sre.AT:
        return np.full(n, "")
    if op is _sre.CATEGORY:
        return np.full(n, _category(av))
    if op is _sre.ANY:
        return np.full(n, "x")
    raise ValueError(f"regex construct {op} is not supported")


def _choices(av: Any) -> list[str]:
    choices: list[str] = []
    for op, value in av:
        if op is _sre.NEGATE:
            raise ValueError("negated character classes are not supported")
        if op is _sre.LITERAL:
            choices.append(chr(value))
        elif op is _sre.RANGE:
            choices.extend(chr(c) for c in range(value[0], value[1] + 1))
        elif op is _sre.CATEGORY:
            choices.append(_category(value))
    return choices


def _category(value: Any) -> str:
    name = str(value)
    if "DIGIT" in name and "NOT" not in name:
        return "5"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return "a"
