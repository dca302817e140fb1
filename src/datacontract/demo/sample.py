"""`datacontract sample`: synthetic rows that satisfy one dataset of any contract.

Derived from the declarations alone, so that a new contract can be tried in a minute: a
declared value list gives a choice among its labels; a pattern gives a string generated from
the regular expression itself; `format: insz` gives national numbers with valid check digits
(synthetic: computed from random birth dates and sequence numbers, belonging to no one);
`email` and `phone` give addresses and numbers at example domains and a mobile prefix; ranges
bound the numbers. Then the dataset's rules are made true, in this order: one value per file
(`single_value`), parts that name another column (`part_equals`), totals (`sum_equals`),
limits (`at_most`), flags (`flag_matches_count`), and uniqueness.

A pattern is read with Python's own regex parser (`re._parser`, the parser `re` compiles
with) and only the constructs contracts use are generated: literals, classes and ranges,
repeats, groups, alternatives and anchors. Anything else is a clear error naming the column.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from datacontract.contract import model
from datacontract.contract.references import unknown
from datacontract.errors import ContractError, UsageError
from datacontract.output import write_file, writing
from datacontract.personal.insz import make_insz

# The parser `re` itself compiles with (re._parser; sre_parse before Python 3.11). It has no
# type stubs, so it is loaded by name and used as Any.
_sre: Any = importlib.import_module("re._parser")

FORMATS = (".parquet", ".csv", ".json", ".jsonl", ".xlsx")
XML = ".xml"  # a MAGDA dataset's one document (demo/magda_documents.py)
_NULL_SHARE = 0.1  # nullable columns no rule looks at get some empty cells


def sample_rows(
    contract: model.Contract,
    dataset: model.Dataset,
    rows: int,
    seed: int,
    reference_date: dt.date | None = None,
) -> list[dict[str, Any]]:
    """`rows` synthetic rows for `dataset`, every declared rule made true.

    Age rules without a reference column count on `reference_date`, the date of the transfer
    the sample stands for; a date column an age rule counts on is set to it. Without one, the
    ages hold on every day from the protocol's date to today where the rule's span allows it
    (else on today), so that a sample can travel on the protocol's own timeline as well as now.
    """
    rng = np.random.default_rng(seed)
    today = dt.date.today()
    on = (
        (reference_date, reference_date)
        if reference_date is not None
        else (min(contract.protocol.date, today), today)
    )
    in_rules = _rule_columns(dataset)
    out: list[dict[str, Any]] = [{} for _ in range(rows)]
    for column in dataset.columns:
        seen: set[object] = set()
        for i, row in enumerate(out):
            if column.nullable and column.name not in in_rules and rng.random() < _NULL_SHARE:
                row[column.name] = None
                continue
            value = _value(column, rng, i)
            tries = 0
            while column.unique and value in seen and tries < 100:
                value, tries = _value(column, rng, i + tries * rows), tries + 1
            seen.add(value)
            row[column.name] = value
    for rule in dataset.rules:
        if isinstance(rule, model.AgeBetweenRule):
            ref = dataset.column(rule.reference_column or "")
            if reference_date is not None and ref is not None and ref.type == "date":
                for row in out:  # the file's own date is the transfer's (a MAGDA request's)
                    row[ref.name] = reference_date.isoformat()
            _make_age(rule, out, rng, on)
    for rule in dataset.rules:
        _apply(rule, dataset, out, rng)
    for rule in dataset.rules:
        if isinstance(rule, model.UniqueRule):
            _make_unique(rule.columns, dataset, out, rng)
    if dataset.nested and out:
        # One document has one top-level object: its own values are the same in every row.
        top = [c.name for c in dataset.columns if c.path is not None and "[]" not in c.path]
        for row in out:
            row.update({name: out[0][name] for name in top})
    return out


def formats(dataset: model.Dataset) -> tuple[str, ...]:
    """The extensions this dataset travels as: XML for a MAGDA document, its `file` rule's
    formats, JSON for a nested dataset, else all. `write_sample` writes any of FORMATS all the
    same (a nested or MAGDA dataset then as its flat rows); only a transfer checks the format."""
    if dataset.magda is not None:
        return (XML,)
    if dataset.file is not None and dataset.file.formats:
        return tuple(f".{f}" for f in dataset.file.formats)
    if dataset.nested:
        return (".json",)
    return FORMATS


def write_sample(
    rows: list[dict[str, Any]],
    dataset: model.Dataset,
    path: Path,
    password: str | None = None,
) -> Path:
    """Write rows in the format PATH's extension names: a nested dataset as `.json` is one
    JSON document; a MAGDA dataset as `.xml` is the service's document; a workbook of a
    dataset that travels encrypted is encrypted with `password` when one is given (see
    `needs_password`)."""
    suffix = path.suffix.lower()
    if suffix == XML and dataset.magda is not None:
        from datacontract.demo.magda_documents import magda_document

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(magda_document(dataset, rows))
        return path
    if suffix not in FORMATS:
        also = f" ({XML} for a MAGDA dataset)"
        known = unknown("file type", suffix or "(none)", FORMATS)
        raise UsageError(f"{path}: {known}{also}: the output format follows the extension")
    encrypted = bool(password) and needs_password(dataset, path)
    names = [c.name for c in dataset.columns]
    if dataset.nested and suffix == ".json":
        from datacontract.check.nested import document_of_rows

        document = document_of_rows(dataset, rows)
        write_file(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    elif suffix == ".json":
        write_file(path, json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif suffix == ".jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        write_file(path, text)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(names)
        for r in rows:
            sheet.append([r.get(n) for n in names])
        if encrypted:
            import io

            from msoffcrypto.format.ooxml import OOXMLFile

            plain = io.BytesIO()
            book.save(plain)
            plain.seek(0)
            with writing(path) as out:
                OOXMLFile(plain).encrypt(password, out)
        else:
            with writing(path) as out:
                book.save(out)
    else:
        import pyarrow as pa

        types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
        table = pa.table(
            {
                c.name: pa.array([r.get(c.name) for r in rows], type=types.get(c.type, pa.string()))
                for c in dataset.columns
            }
        )
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            with writing(path) as out:
                pq.write_table(table, out)
        else:
            import pyarrow.csv as pacsv

            with writing(path) as out:
                pacsv.write_csv(table, out)
    return path


# --- one value ------------------------------------------------------------------------------------


def needs_password(dataset: model.Dataset, path: Path) -> bool:
    """Whether the dataset travels as an encrypted workbook and PATH is one."""
    return dataset.file is not None and dataset.file.encrypted and path.suffix.lower() == ".xlsx"


def _value(column: model.Column, rng: np.random.Generator, i: int) -> Any:
    if column.values:
        return column.values[int(rng.integers(len(column.values)))]
    if column.format == "insz":
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 60)))
        return make_insz(birth, int(rng.integers(1, 998)))
    if column.format == "email":
        return f"persoon{i}.{int(rng.integers(1000))}@example.org"
    if column.format == "phone":
        digits = "".join(str(int(d)) for d in rng.integers(0, 10, 6))
        return f"+32 47{int(rng.integers(10))} {digits[:2]} {digits[2:4]} {digits[4:]}"
    if column.pattern is not None:
        try:
            return _from_regex(column.pattern, rng)
        except ValueError as exc:
            raise ContractError(f"column {column.name}: cannot sample its pattern: {exc}") from None
    lo = column.minimum if column.minimum is not None else 0
    hi = column.maximum if column.maximum is not None else lo + 3
    if column.type == "integer":
        return int(rng.integers(int(lo), int(hi) + 1))
    if column.type == "number":
        return round(float(rng.uniform(lo, hi)), 2)
    if column.type == "boolean":
        return bool(rng.integers(2))
    if column.type == "date":
        return (dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(366)))).isoformat()
    if column.type == "datetime":
        start = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        return (start + dt.timedelta(minutes=int(rng.integers(525_600)))).isoformat()
    return f"{column.name}-{i}"


def _from_regex(pattern: str, rng: np.random.Generator) -> str:
    return "".join(_emit(_sre.parse(pattern), rng))


def _emit(items: Any, rng: np.random.Generator) -> list[str]:
    out: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            out.append(chr(av))
        elif op is _sre.IN:
            out.append(_one_of(av, rng))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            lo, hi, sub = av
            hi = lo + 3 if hi is _sre.MAXREPEAT else hi
            for _ in range(int(rng.integers(lo, hi + 1))):
                out.extend(_emit(sub, rng))
        elif op is _sre.SUBPATTERN:
            out.extend(_emit(av[-1], rng))
        elif op is _sre.BRANCH:
            branches = av[1]
            out.extend(_emit(branches[int(rng.integers(len(branches)))], rng))
        elif op is _sre.AT:
            continue
        elif op is _sre.CATEGORY:
            out.append(_category(av))
        elif op is _sre.ANY:
            out.append("x")
        else:
            raise ValueError(f"regex construct {op} is not supported")
    return out


def _one_of(av: Sequence[Any], rng: np.random.Generator) -> str:
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
    return choices[int(rng.integers(len(choices)))]


def _category(value: Any) -> str:
    name = str(value)
    if "DIGIT" in name and "NOT" not in name:
        return "5"
    if "SPACE" in name and "NOT" not in name:
        return " "
    return "a"


# --- the rules ------------------------------------------------------------------------------------


def _rule_columns(dataset: model.Dataset) -> set[str]:
    names: set[str] = set()
    for rule in dataset.rules:
        for field in ("columns", "column", "total", "limit", "flag", "count", "equals"):
            value = getattr(rule, field, None)
            if isinstance(value, str):
                names.add(value)
            elif isinstance(value, tuple):
                names.update(value)
    return names


def _apply(
    rule: model.Rule, dataset: model.Dataset, rows: list[dict[str, Any]], rng: np.random.Generator
) -> None:
    if isinstance(rule, model.SingleValueRule) and rows:
        for row in rows:
            row[rule.column] = rows[0][rule.column]
    elif isinstance(rule, model.PartEqualsRule):
        for row in rows:
            text = row.get(rule.column)
            if isinstance(text, str) and row.get(rule.equals) is not None:
                parts = text.split(rule.separator)
                if len(parts) > rule.part:
                    parts[rule.part] = str(row[rule.equals])
                    row[rule.column] = rule.separator.join(parts)
    elif isinstance(rule, model.SumEqualsRule):
        total = dataset.column(rule.total)
        least = int(total.minimum) if total is not None and total.minimum is not None else 0
        for row in rows:
            if sum(int(row[c] or 0) for c in rule.columns) < least:
                row[rule.columns[int(rng.integers(len(rule.columns)))]] = least
            row[rule.total] = sum(int(row[c] or 0) for c in rule.columns)
    elif isinstance(rule, model.AtMostRule):
        for row in rows:
            for c in rule.columns:
                if row.get(c) is not None and row.get(rule.limit) is not None:
                    row[c] = min(row[c], row[rule.limit])
    elif isinstance(rule, model.PartsCountRule):
        listed = dataset.column(rule.column)
        for row in rows:
            n, text = row.get(rule.count), row.get(rule.column)
            if not isinstance(n, int) or not isinstance(text, str) or listed is None:
                continue
            parts = text.split(rule.separator)
            while len(parts) < n:
                parts.append(str(_value(listed, rng, 0)).split(rule.separator)[0])
            row[rule.column] = rule.separator.join(parts[: max(n, 1)])
    elif isinstance(rule, model.FlagMatchesCountRule):
        for row in rows:
            row[rule.flag] = 1 if (row.get(rule.count) or 0) > 0 else 0


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _make_age(
    rule: model.AgeBetweenRule,
    rows: list[dict[str, Any]],
    rng: np.random.Generator,
    window: tuple[dt.date, dt.date],
) -> None:
    """A national number whose birth date makes the person the rule's age on every day of
    `window` (or, if the rule's span is too short for that, on its last day)."""
    for row in rows:
        if row.get(rule.column) is None:
            continue
        first, last = window
        if rule.reference_column is not None:
            ref = row.get(rule.reference_column)
            if ref is None:
                continue
            first = last = dt.date.fromisoformat(str(ref)[:10])
        birth = _birth_within(rule, first, last, rng) or _birth_within(rule, last, last, rng)
        assert birth is not None
        row[rule.column] = make_insz(max(birth, dt.date(1900, 1, 1)), int(rng.integers(1, 998)))


def _birth_within(
    rule: model.AgeBetweenRule, first: dt.date, last: dt.date, rng: np.random.Generator
) -> dt.date | None:
    """A birth date that gives an allowed age on `first` and on `last` (so on every day
    between), or None when the rule's span is too short for the window."""
    latest = _years_before(first, rule.minimum)  # old enough on the first day
    span = rule.maximum if rule.maximum is not None else rule.minimum + 40
    earliest = _years_before(last, span + 1) + dt.timedelta(days=1)  # young enough on the last
    if earliest > latest:
        return None
    return earliest + dt.timedelta(days=int(rng.integers(0, (latest - earliest).days + 1)))


def _make_unique(
    columns: Sequence[str],
    dataset: model.Dataset,
    rows: list[dict[str, Any]],
    rng: np.random.Generator,
) -> None:
    """Draw the first generated (pattern or format) column again where a key repeats."""
    again = next(
        (
            c
            for name in columns
            if (c := dataset.column(name)) is not None
            and (c.pattern is not None or c.format is not None)
        ),
        None,
    )
    seen: set[tuple[object, ...]] = set()
    for i, row in enumerate(rows):
        key = tuple(row.get(c) for c in columns)
        tries = 0
        while key in seen and again is not None and tries < 100:
            row[again.name] = _value(again, rng, i + tries)
            key, tries = tuple(row.get(c) for c in columns), tries + 1
        seen.add(key)


__all__ = ["FORMATS", "XML", "formats", "needs_password", "sample_rows", "write_sample"]
