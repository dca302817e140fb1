"""Dataset -> pandera schema. Every check is named by its rule id.

The schema is strict about columns and runs every check of the contract on one batch of rows.
A check computes a boolean mask with pyarrow or numpy, hands the mask to the batch's Tally
(which keeps counts and a few row numbers, never values) and tells pandera only whether the
batch passed. pandera's failure cases therefore never hold cell values either: a check returns
a single boolean, and the values stay inside the check.

Rules that span the whole file (uniqueness, one value per file) keep bounded state across
batches in `FileState` and are settled by validate.py at the end of the file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from datacontract import detect, insz, model
from datacontract.coerce import Coerced, coerce
from datacontract.errors import CheckCrashed, ContractError
from datacontract.redact import declared_values
from datacontract.results import MAX_SAMPLE_ROWS

Mask = np.ndarray


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about a rule: its article and what it demands."""

    rule: str
    article: str | None
    demand: str


@dataclass
class Tally:
    """Counts and a few row numbers per (rule, column); never a value."""

    counts: dict[tuple[str, str | None], int] = field(default_factory=dict)
    rows: dict[tuple[str, str | None], list[int]] = field(default_factory=dict)

    def add(self, rule: str, column: str | None, mask: Mask, first_row: int) -> bool:
        """Record the rows where `mask` is True; return whether the batch passed."""
        bad = int(np.count_nonzero(mask))
        if bad == 0:
            return True
        key = (rule, column)
        self.counts[key] = self.counts.get(key, 0) + bad
        sample = self.rows.setdefault(key, [])
        if len(sample) < MAX_SAMPLE_ROWS:
            where = np.flatnonzero(mask)[: MAX_SAMPLE_ROWS - len(sample)]
            sample.extend(int(i) + first_row for i in where)
        return False

    def add_count(self, rule: str, column: str | None, count: int, rows: Sequence[int]) -> None:
        key = (rule, column)
        self.counts[key] = self.counts.get(key, 0) + count
        sample = self.rows.setdefault(key, [])
        sample.extend(rows[: max(0, MAX_SAMPLE_ROWS - len(sample))])


class Batch:
    """One batch of rows while its checks run: the raw columns and their typed form."""

    def __init__(self, frame: pd.DataFrame, first_row: int, tally: Tally) -> None:
        self.frame = frame
        self.first_row = first_row
        self.tally = tally
        self.crashed: dict[str, str] = {}
        self._typed: dict[str, Coerced] = {}

    def raw(self, name: str) -> pa.Array:
        return _to_arrow(self.frame[name])

    def typed(self, column: model.Column) -> Coerced:
        if column.name not in self._typed:
            self._typed[column.name] = coerce(self.raw(column.name), column.type)
        return self._typed[column.name]

    def record(self, rule: str, column: str | None, mask: Mask) -> bool:
        return self.tally.add(rule, column, mask, self.first_row)


def _to_arrow(series: pd.Series) -> pa.Array:
    values = series.array
    if hasattr(values, "__arrow_array__"):
        arr = values.__arrow_array__()
    else:  # not an Arrow-backed column (should not happen: frames are built by validate.py)
        arr = pa.array(series, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _bool(arr: pa.Array | pa.ChunkedArray) -> Mask:
    filled = pc.fill_null(arr, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


class CompiledDataset:
    """A dataset of a contract as a pandera schema plus the rules that span the file."""

    def __init__(
        self,
        contract: model.Contract,
        dataset: model.Dataset,
        reference_date: dt.date | None = None,
    ) -> None:
        self.contract = contract
        self.dataset = dataset
        # The date of the transfer, for age rules without a reference column.
        self.reference_date = reference_date or dt.date.today()
        self.rules: dict[str, RuleInfo] = {}
        # (rule id, detectors) of each forbidden-content rule, for the parts of a file beside
        # its table (the other worksheets of a workbook)
        self.forbidden: list[tuple[str, Callable[[pa.Array], Mask]]] = []
        self._current: Batch | None = None
        self.schema = self._build_schema()

    # -- running ------------------------------------------------------------------------------

    def check(self, frame: pd.DataFrame, first_row: int, tally: Tally) -> list[dict[str, Any]]:
        """Run the schema on one batch; return pandera's structural failures (no values)."""
        batch = self._current = Batch(frame, first_row, tally)
        structural: list[dict[str, Any]] = []
        try:
            self.schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            structural = _structural(exc.failure_cases)
        finally:
            self._current = None
        if batch.crashed:
            # A check that could not run must never look like a pass. The exception's text is
            # not shown: it may quote a cell.
            crashed = ", ".join(f"{r} ({e})" for r, e in sorted(batch.crashed.items()))
            raise CheckCrashed(f"internal error: these checks could not run: {crashed}")
        return structural

    @property
    def batch(self) -> Batch:
        assert self._current is not None, "checks run only inside CompiledDataset.check"
        return self._current

    # -- building -----------------------------------------------------------------------------

    def _rule(self, rule: str, article: str | None, demand: str) -> str:
        self.rules[rule] = RuleInfo(rule, article, demand)
        return rule

    def _build_schema(self) -> pandera.DataFrameSchema:
        ds = self.dataset
        columns = {c.name: self._column(c) for c in ds.columns}
        checks = [check for rule in ds.rules for check in self._dataset_rule(rule)]
        checks += self._by_reference_checks()
        self._rule(f"{ds.id}.columns.allowed", ds.article, "only the dataset's columns")
        self._rule(f"{ds.id}.columns.required", ds.article, "every required column is present")
        if ds.file is not None and ds.file.formats:
            self._rule(f"{ds.id}.file.format", ds.file.article, "a file of the declared format")
        if ds.file is not None and ds.file.min_rows is not None:
            self._rule(
                f"{ds.id}.file.min_rows", ds.file.article, f"at least {ds.file.min_rows} row(s)"
            )
        if ds.file is not None and ds.file.encrypted:
            self._rule(f"{ds.id}.file.encrypted", ds.file.article, "an encrypted file")
        if ds.nested:
            self._rule(f"{ds.id}.document.shape", ds.article, "the declared JSON shape")
            for c in ds.columns:
                self._rule(f"{ds.id}.{c.name}.json_type", c.article, f"a JSON {c.type}")
        return pandera.DataFrameSchema(
            columns,
            checks=checks,
            # Columns a protocol defines by reference are accepted, and named in the report.
            strict=ds.columns_by_reference is None,
            ordered=False,
            name=ds.id,
        )

    def _column(self, col: model.Column) -> pandera.Column:
        ds, name = self.dataset.id, col.name
        checks: list[pandera.Check] = []

        def add(kind: str, demand: str, fn: Callable[[Coerced], Mask]) -> None:
            rule = self._rule(f"{ds}.{name}.{kind}", col.article, demand)

            def run(series: pd.Series) -> bool:
                batch = self.batch
                try:
                    return batch.record(rule, name, fn(batch.typed(col)))
                except Exception as exc:  # reported by check(), never as a pass
                    batch.crashed[rule] = type(exc).__name__
                    return False

            checks.append(pandera.Check(run, name=rule, error=demand))

        add("type", f"values of type {col.type}", lambda t: t.bad)
        if not col.nullable:
            add("nullable", "no empty values", lambda t: _bool(pc.is_null(t.values)) & ~t.bad)
        if col.values is not None:
            allowed = pa.array(list(col.values), type=t_arrow(col))
            add(
                "values",
                f"one of the declared values ({declared_values(col)})",
                lambda t: (
                    _bool(pc.invert(pc.is_in(t.values, value_set=allowed)))
                    & _bool(pc.is_valid(t.values))
                ),
            )
        if col.pattern is not None:
            _check_re2(col.pattern, f"datasets[{ds}].columns[{name}].pattern")
            pattern = col.pattern
            add(
                "pattern",
                f"matches the pattern {pattern}",
                lambda t: _bool(pc.invert(pc.match_substring_regex(t.values, pattern))),
            )
        if col.format is not None:
            whole = {"insz": detect.is_insz, "email": detect.is_email, "phone": detect.is_phone}
            fmt = whole[col.format]
            label = {
                "insz": "a valid national register or bis number",
                "email": "a valid e-mail address",
                "phone": "a valid phone number",
            }[col.format]
            add(
                "format",
                label,
                lambda t: ~fmt(t.values) & _bool(pc.is_valid(t.values)),
            )
        if col.minimum is not None or col.maximum is not None:
            lo, hi = col.minimum, col.maximum
            add("range", _range_text(lo, hi), lambda t: _out_of_range(t.values, lo, hi))
        if col.unique:
            self._rule(f"{ds}.{name}.unique", col.article, "no value twice in the file")
        return pandera.Column(None, checks=checks, nullable=True, required=col.required, name=name)

    def _dataset_rule(self, rule: model.Rule) -> list[pandera.Check]:
        rid = rule.id

        def frame_check(demand: str, needs: Sequence[str], fn: Callable[[Batch], None]) -> None:
            self._rule(rid, rule.article, demand)

            def run(frame: pd.DataFrame) -> bool:
                batch = self.batch
                if any(c not in frame.columns for c in needs):
                    return True  # the missing column is reported by columns.required
                before = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
                try:
                    fn(batch)
                except Exception as exc:  # reported by check(), never as a pass
                    batch.crashed[rid] = type(exc).__name__
                    return False
                after = sum(v for (r, _), v in batch.tally.counts.items() if r == rid)
                return after == before

            out.append(pandera.Check(run, name=rid, error=demand))

        out: list[pandera.Check] = []
        if isinstance(rule, model.SumEqualsRule):
            parts = [self._col(c) for c in rule.columns]
            total = self._col(rule.total)

            def sum_equals(b: Batch) -> None:
                acc = np.zeros(len(b.frame), dtype=np.int64)
                known = np.ones(len(b.frame), dtype=bool)
                for p in parts:
                    acc += _ints(b.typed(p).values)
                    known &= _bool(pc.is_valid(b.typed(p).values))
                t = b.typed(total).values
                known &= _bool(pc.is_valid(t))
                b.record(rid, total.name, known & (acc != _ints(t)))

            frame_check(
                f"{' + '.join(rule.columns)} = {rule.total}",
                [*rule.columns, rule.total],
                sum_equals,
            )
        elif isinstance(rule, model.AtMostRule):
            limited = [self._col(c) for c in rule.columns]
            limit = self._col(rule.limit)

            def at_most(b: Batch) -> None:
                lim = b.typed(limit).values
                for c in limited:
                    v = b.typed(c).values
                    b.record(rid, c.name, _bool(pc.greater(v, lim)))

            frame_check(
                f"each of {', '.join(rule.columns)} is at most {rule.limit}",
                [*rule.columns, rule.limit],
                at_most,
            )
        elif isinstance(rule, model.FlagMatchesCountRule):
            flag, count = self._col(rule.flag), self._col(rule.count)

            def flag_matches(b: Batch) -> None:
                f = b.typed(flag).values
                n = b.typed(count).values
                expected = pc.cast(pc.greater(n, 0), pa.int64())
                b.record(rid, flag.name, _bool(pc.not_equal(pc.cast(f, pa.int64()), expected)))

            frame_check(
                f"{rule.flag} is 1 exactly when {rule.count} > 0",
                [rule.flag, rule.count],
                flag_matches,
            )
        elif isinstance(rule, model.PartEqualsRule):
            whole, other = self._col(rule.column), self._col(rule.equals)

            def part_equals(b: Batch) -> None:
                pieces = pc.split_pattern(b.typed(whole).values, pattern=rule.separator)
                part = pc.list_element(
                    pc.if_else(
                        pc.greater(pc.list_value_length(pieces), rule.part),
                        pieces,
                        pa.scalar(None, pieces.type),
                    ),
                    rule.part,
                )
                b.record(rid, whole.name, _bool(pc.not_equal(part, b.typed(other).values)))

            frame_check(
                f"part {rule.part + 1} of {rule.column} (split on {rule.separator!r}) "
                f"equals {rule.equals}",
                [rule.column, rule.equals],
                part_equals,
            )
        elif isinstance(rule, model.ForbiddenContentRule):
            detectors = [self._detector(d) for d in rule.detect]
            exempt = set(rule.except_columns)
            labels = self._safe_labels(detectors)

            def scan(raw: pa.Array) -> Mask:
                mask = np.zeros(len(raw), dtype=bool)
                for fn in detectors:
                    mask |= fn(raw)
                return mask

            self.forbidden.append((rid, scan))

            def forbidden(b: Batch) -> None:
                for name in b.frame.columns:
                    if name in exempt:
                        continue
                    raw = b.raw(name)
                    known = labels.get(str(name))
                    if known is not None and pa.types.is_string(raw.type):
                        # A cell that equals a declared label holds nothing a detector finds
                        # (checked on the labels at compile time): scan only the other cells.
                        mask = np.zeros(len(raw), dtype=bool)
                        rest = np.flatnonzero(
                            _bool(pc.invert(pc.is_in(raw, value_set=known)))
                            & ~_bool(pc.is_null(raw))
                        )
                        if rest.size:
                            mask[rest] = scan(raw.take(pa.array(rest)))
                    else:
                        mask = scan(raw)
                    b.record(rid, str(name), mask)

            frame_check(
                f"no {', '.join(rule.detect)} in any column"
                + (f" except {', '.join(rule.except_columns)}" if exempt else ""),
                [],
                forbidden,
            )
        elif isinstance(rule, model.ForbiddenColumnsRule):
            banned = {c.lower() for c in rule.columns}

            def forbidden_columns(b: Batch) -> None:
                for name in b.frame.columns:
                    if str(name).strip().lower() in banned:
                        b.record(rid, str(name), np.ones(len(b.frame), dtype=bool))

            frame_check(f"none of the columns {', '.join(rule.columns)}", [], forbidden_columns)
        elif isinstance(rule, model.PartsCountRule):
            listed, counted = self._col(rule.column), self._col(rule.count)

            def parts_count(b: Batch) -> None:
                parts = pc.list_value_length(
                    pc.split_pattern(b.typed(listed).values, pattern=rule.separator)
                )
                n = pc.cast(b.typed(counted).values, pa.int64())
                b.record(rid, listed.name, _bool(pc.not_equal(pc.cast(parts, pa.int64()), n)))

            frame_check(
                f"{rule.column} lists as many values (split on {rule.separator!r}) as {rule.count}",
                [rule.column, rule.count],
                parts_count,
            )
        elif isinstance(rule, model.AgeBetweenRule):
            number = self._col(rule.column)
            reference = self._col(rule.reference_column) if rule.reference_column else None
            lo, hi = rule.minimum, rule.maximum
            on = "the transfer date" if reference is None else rule.reference_column

            def age_between(b: Batch) -> None:
                numbers = _insz_numbers(b.typed(number).values)
                if reference is None:
                    ref = np.full(len(numbers), np.datetime64(self.reference_date, "D"))
                    known = numbers >= 0
                else:
                    days = pc.cast(b.typed(reference).values, pa.date32())
                    known = (numbers >= 0) & _bool(pc.is_valid(days))
                    filled = pc.fill_null(days, pa.scalar(0, pa.date32()))
                    ref = np.asarray(filled.to_numpy(zero_copy_only=False), "datetime64[D]")
                youngest, oldest, valid = insz.age_bounds(numbers, ref)
                outside = youngest < lo
                if hi is not None:
                    outside |= oldest > hi
                b.record(rid, number.name, known & valid & outside)

            ages = f"{lo} to {hi} years old" if hi is not None else f"at least {lo} years old"
            frame_check(
                f"the person of {rule.column} is {ages} on {on} (birth date from the number)",
                [rule.column] + ([reference.name] if reference else []),
                age_between,
            )
        elif isinstance(rule, model.UniqueRule):
            self._rule(rid, rule.article, f"one row per {', '.join(rule.columns)}")
        elif isinstance(rule, model.SingleValueRule):
            self._rule(rid, rule.article, f"one value of {rule.column} in the whole file")
        return out

    def _by_reference_checks(self) -> list[pandera.Check]:
        """Columns accepted by reference are never direct identifiers: refused by name."""
        ds = self.dataset
        if ds.columns_by_reference is None:
            return []
        never = ds.columns_by_reference.never
        rid = self._rule(
            f"{ds.id}.columns_by_reference.never",
            never.article,
            "no column accepted by reference is named as a direct identifier "
            f"({', '.join(never.names)})",
        )
        declared = set(ds.column_names)

        def run(frame: pd.DataFrame) -> bool:
            batch = self.batch
            passed = True
            for name in frame.columns:
                if str(name) not in declared and direct_identifier(str(name), never.names):
                    passed = batch.record(rid, str(name), np.ones(len(frame), dtype=bool))
            return passed

        return [pandera.Check(run, name=rid, error=self.rules[rid].demand)]

    def _col(self, name: str) -> model.Column:
        col = self.dataset.column(name)
        assert col is not None, f"load.py checks rule references ({name})"
        return col

    def _safe_labels(self, detectors: list[Callable[[pa.Array], Mask]]) -> dict[str, pa.Array]:
        """Columns whose declared values no detector flags: their labels, as text."""
        out: dict[str, pa.Array] = {}
        for col in self.dataset.columns:
            if not col.values:
                continue
            labels = pa.array([str(v) for v in col.values], pa.string())
            if not any(fn(labels).any() for fn in detectors):
                out[col.name] = labels
        return out

    def _detector(self, detector_id: str) -> Callable[[pa.Array], Mask]:
        det = self.contract.detector(detector_id)
        assert det is not None, f"load.py checks detector references ({detector_id})"
        if det.detector == "insz":
            return detect.contains_insz
        if det.detector == "email":
            return detect.contains_email
        if det.detector == "phone":
            return detect.contains_phone
        pattern = det.pattern
        assert pattern is not None
        _check_re2(pattern, f"detectors[{det.id}].pattern")
        return lambda arr: detect.contains_pattern(arr, pattern)


def _words(name: str) -> list[str]:
    """A column name as lowercase words without accents: `kindVoornaam` -> [kind, voornaam]."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    split = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", plain).lower()
    return [w for w in re.split(r"[^a-z0-9]+", split) if w]


def direct_identifier(name: str, never: Sequence[str]) -> bool:
    """Whether a column name says it holds one of `never` (see model.NeverByReference): as a
    word, the whole name, or the end of a compound (`kindnaam`, `moeder_geboortedatum`)."""
    words = _words(name)
    joined = "".join(words)
    for entry in never:
        wanted = "".join(_words(entry))
        if wanted and (wanted in words or joined.endswith(wanted)):
            return True
        if wanted and len(_words(entry)) > 1 and wanted in joined:
            return True
    return False


def t_arrow(col: model.Column) -> pa.DataType:
    from datacontract.coerce import arrow_type

    return arrow_type(col.type)


def _insz_numbers(values: pa.Array) -> np.ndarray:
    """The 11 digits of each cell as an integer (any notation), -1 where there are not 11."""
    text = pc.cast(values, pa.string())
    digits = pc.replace_substring_regex(text, pattern="[^0-9]", replacement="")
    eleven = pc.fill_null(pc.equal(pc.utf8_length(digits), 11), False)
    cast = pc.cast(pc.if_else(eleven, digits, pa.scalar(None, pa.string())), pa.int64())
    return np.asarray(pc.fill_null(cast, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _ints(arr: pa.Array) -> np.ndarray:
    return np.asarray(
        pc.fill_null(pc.cast(arr, pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64
    )


def _out_of_range(values: pa.Array, lo: float | None, hi: float | None) -> Mask:
    mask = np.zeros(len(values), dtype=bool)
    if lo is not None:
        mask |= _bool(pc.less(values, lo))
    if hi is not None:
        mask |= _bool(pc.greater(values, hi))
    return mask


def _range_text(lo: float | None, hi: float | None) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if lo is not None and hi is not None:
        return f"between {num(lo)} and {num(hi)}"
    return f"at least {num(lo)}" if lo is not None else f"at most {num(hi)}"  # type: ignore[arg-type]


_RE2_OK: set[str] = set()


def _check_re2(pattern: str, where: str) -> None:
    """pyarrow runs RE2, which lacks look-around and back-references: say so up front."""
    if pattern in _RE2_OK:
        return
    try:
        pc.match_substring_regex(pa.array([], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ContractError(f"{where}: pattern is not a valid RE2 expression ({exc})") from None
    _RE2_OK.add(pattern)


def _structural(cases: pd.DataFrame) -> list[dict[str, Any]]:
    """pandera's own findings about columns (the failure case is a column name, not a value)."""
    out: list[dict[str, Any]] = []
    for record in cases.to_dict("records"):
        check = str(record.get("check"))
        if check in ("column_in_schema", "column_in_dataframe"):
            out.append({"check": check, "column": str(record.get("failure_case"))})
    return out
