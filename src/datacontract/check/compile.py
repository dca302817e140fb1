"""Dataset -> pandera schema (its polars backend). Every check is named by its rule id.

Each Arrow record batch the reader gives is taken into polars without a copy (`pl.from_arrow`)
and validated by a `pandera.polars.DataFrameSchema`, every check of the contract one pandera
check. A second schema of the same columns, without checks, is strict about them (a column the
dataset does not declare, a required column missing); it runs once per set of column names, as
every batch of a file has the same (pandera's polars backend cannot put a failed column name and
a failed check's verdict in one report: pandera 0.35 concatenates them as one column).
A check computes a boolean mask on the batch's Arrow columns with pyarrow or numpy (the same
masks in every format, coerce.py), hands the mask to the batch's Tally (which keeps counts and a
few row numbers, never values) and tells pandera only whether the batch passed. pandera's
failure cases therefore never hold cell values either: a check returns a single boolean, and the
values stay inside the check. No pandas is involved (issue 26).

Rules that span the whole file (uniqueness, one value per file) keep bounded state across
batches in `FileState` and are settled by validate.py at the end of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandera.polars as pandera
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from pandera.errors import SchemaErrors
from polars.exceptions import PanicException

from datacontract.check.batch import Batch, Mask, Tally, bool_mask, check_re2
from datacontract.check.coerce import Coerced, found_forms
from datacontract.check.results import counted
from datacontract.check.rules import by_reference_checks, dataset_rule_checks
from datacontract.contract import model
from datacontract.errors import CheckCrashed
from datacontract.personal import detect
from datacontract.personal.redact import declared_values

COLUMN_NOT_ALLOWED = "column_in_schema"
"""pandera's structural failure: the file has a column the dataset does not declare."""
COLUMN_MISSING = "column_in_dataframe"
"""pandera's structural failure: a required column of the dataset is not in the file."""


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about a rule: its article and what it demands."""

    rule: str
    article: str | None
    demand: str


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
        self.structure = pandera.DataFrameSchema(
            {
                c.name: pandera.Column(None, nullable=True, required=c.required, name=c.name)
                for c in dataset.columns
            },
            # Columns a protocol defines by reference are accepted, and named in the report.
            strict=dataset.columns_by_reference is None,
            ordered=False,
            name=dataset.id,
        )
        self._structural: dict[tuple[str, ...], list[tuple[str, str]]] = {}

    # -- running ------------------------------------------------------------------------------

    def check(self, data: pa.RecordBatch, first_row: int, tally: Tally) -> list[tuple[str, str]]:
        """Run the schema on one record batch (row `first_row` of the file is its first);
        return pandera's structural failures as (COLUMN_NOT_ALLOWED or COLUMN_MISSING, column
        name): names only, never a value. Raises CheckCrashed when a check could not run."""
        batch = self._current = Batch(data, first_row, tally)
        frame = polars_frame(data)
        names = tuple(data.schema.names)
        if names not in self._structural:
            try:
                self.structure.validate(frame.head(0), lazy=True)
                self._structural[names] = []
            except SchemaErrors as exc:
                self._structural[names] = _structural(exc.failure_cases)
        try:
            self.schema.validate(frame, lazy=True)
        except SchemaErrors:
            pass  # each check's verdict is in the Tally, with counts and row numbers
        finally:
            self._current = None
        if batch.crashed:
            # A check that could not run must never look like a pass. The exception's text is
            # not shown: it may quote a cell.
            crashed = ", ".join(f"{r} ({e})" for r, e in sorted(batch.crashed.items()))
            raise CheckCrashed(f"internal error: these checks could not run: {crashed}")
        return self._structural[names]

    @property
    def batch(self) -> Batch:
        assert self._current is not None, "checks run only inside CompiledDataset.check"
        return self._current

    # -- building -----------------------------------------------------------------------------

    def register(self, rule: str, article: str | None, demand: str) -> str:
        """Name a rule, its article and what it demands, for the reports."""
        self.rules[rule] = RuleInfo(rule, article, demand)
        return rule

    def _build_schema(self) -> pandera.DataFrameSchema:
        ds = self.dataset
        columns = {c.name: self._column(c) for c in ds.columns}
        checks = [check for rule in ds.rules for check in dataset_rule_checks(self, rule)]
        checks += by_reference_checks(self)
        self.register(f"{ds.id}.columns.allowed", ds.article, "only the dataset's columns")
        self.register(f"{ds.id}.columns.required", ds.article, "every required column is present")
        if ds.file is not None and ds.file.formats:
            self.register(f"{ds.id}.file.format", ds.file.article, "a file of the declared format")
        if ds.file is not None and ds.file.min_rows is not None:
            self.register(
                f"{ds.id}.file.min_rows",
                ds.file.article,
                f"at least {counted(ds.file.min_rows, 'row')}",
            )
        if ds.file is not None and ds.file.encrypted:
            self.register(f"{ds.id}.file.encrypted", ds.file.article, "an encrypted file")
        if ds.nested:
            self.register(f"{ds.id}.document.shape", ds.article, "the declared JSON shape")
            for c in ds.columns:
                self.register(f"{ds.id}.{c.name}.json_type", c.article, f"a JSON {c.type}")
        # the columns' presence is self.structure's: a column the file lacks is not checked
        return pandera.DataFrameSchema(
            columns, checks=checks, strict=False, ordered=False, name=ds.id
        )

    def _column(self, col: model.Column) -> pandera.Column:
        ds, name = self.dataset.id, col.name
        checks: list[pandera.Check] = []

        def add(kind: str, demand: str, fn: Callable[[Coerced], Mask]) -> None:
            add_on_batch(kind, demand, lambda batch: fn(batch.typed(col)))

        def add_on_batch(kind: str, demand: str, fn: Callable[[Batch], Mask]) -> None:
            rule = self.register(f"{ds}.{name}.{kind}", col.article, demand)

            def run(_: object) -> bool:
                batch = self.batch
                try:
                    return batch.record(rule, name, fn(batch))
                except Exception as exc:  # reported by check(), never as a pass
                    batch.crashed[rule] = type(exc).__name__
                    return False

            checks.append(pandera.Check(run, name=rule, error=demand))

        def refused(batch: Batch) -> Mask:
            # the forms of the refused cells, for the message (a pattern's name, no value)
            t = batch.typed(col)
            if t.bad.any():
                rule = f"{ds}.{name}.type"
                forms = found_forms(batch.raw(name), col.type, t.bad)
                batch.tally.add_forms(rule, name, forms)
            return t.bad

        add_on_batch("type", f"values of type {col.type}", refused)
        if not col.nullable:
            add("nullable", "no empty values", lambda t: bool_mask(pc.is_null(t.values)) & ~t.bad)
        if col.values is not None:
            allowed = pa.array(list(col.values), type=t_arrow(col))
            labels = pa.array([str(v) for v in col.values], pa.string())
            textual = col.type == "string"

            def outside(batch: Batch) -> Mask:
                if textual and batch.raw(name).type == pa.string():
                    # the typed column is the raw one: the rows off the labels, computed once
                    # a batch for this check and the forbidden-content scan (Batch.unlabelled)
                    raw = batch.raw(name)
                    mask = np.zeros(batch.num_rows, dtype=bool)
                    mask[batch.unlabelled(name, labels)] = True
                    if raw.null_count:  # an empty cell is the nullable rule's, not this one's
                        mask &= bool_mask(pc.is_valid(raw))
                    return mask
                t = batch.typed(col)
                off = bool_mask(pc.invert(pc.is_in(t.values, value_set=allowed)))
                off &= bool_mask(pc.is_valid(t.values))
                return off

            add_on_batch("values", f"one of the declared values ({declared_values(col)})", outside)
        if col.pattern is not None:
            check_re2(col.pattern, f"datasets[{ds}].columns[{name}].pattern")
            pattern = col.pattern
            add(
                "pattern",
                f"matches the pattern {pattern}",
                lambda t: bool_mask(pc.invert(pc.match_substring_regex(t.values, pattern))),
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
                lambda t: ~fmt(t.values) & bool_mask(pc.is_valid(t.values)),
            )
        if col.minimum is not None or col.maximum is not None:
            lo, hi = col.minimum, col.maximum
            add("range", _range_text(lo, hi), lambda t: _out_of_range(t.values, lo, hi))
        if col.unique:
            self.register(f"{ds}.{name}.unique", col.article, "no value twice in the file")
        return pandera.Column(None, checks=checks, nullable=True, required=False, name=name)

    def column_of(self, name: str) -> model.Column:
        col = self.dataset.column(name)
        assert col is not None, f"load.py checks rule references ({name})"
        return col

    def safe_labels(self, detectors: list[Callable[[pa.Array], Mask]]) -> dict[str, pa.Array]:
        """Columns whose declared values no detector flags: their labels, as text."""
        out: dict[str, pa.Array] = {}
        for col in self.dataset.columns:
            if not col.values:
                continue
            labels = pa.array([str(v) for v in col.values], pa.string())
            if not any(fn(labels).any() for fn in detectors):
                out[col.name] = labels
        return out

    def detector(self, detector_id: str) -> Callable[[pa.Array], Mask]:
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
        check_re2(pattern, f"detectors[{det.id}].pattern")
        return lambda arr: detect.contains_pattern(arr, pattern)


def t_arrow(col: model.Column) -> pa.DataType:
    from datacontract.check.coerce import arrow_type

    return arrow_type(col.type)


def _out_of_range(values: pa.Array, lo: float | None, hi: float | None) -> Mask:
    mask = np.zeros(len(values), dtype=bool)
    if lo is not None:
        mask |= bool_mask(pc.less(values, lo))
    if hi is not None:
        mask |= bool_mask(pc.greater(values, hi))
    return mask


def _range_text(lo: float | None, hi: float | None) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if lo is not None and hi is not None:
        return f"between {num(lo)} and {num(hi)}"
    return f"at least {num(lo)}" if lo is not None else f"at most {num(hi)}"  # type: ignore[arg-type]


def polars_frame(data: pa.RecordBatch) -> pl.DataFrame:
    """The record batch as a polars frame for pandera, without a copy of fixed-width columns
    (`pl.from_arrow`). A column of an Arrow type polars is not known to take (POLARS_TAKES:
    an allow-list; a 256-bit decimal makes polars panic, an interval or a union it refuses) is
    given to pandera as a column of nulls of its length: every check reads the Arrow column
    itself (Batch.raw), so pandera needs only its name."""
    if all(_polars_takes(f.type) for f in data.schema):
        try:
            frame = pl.from_arrow(data, rechunk=False)
            assert isinstance(frame, pl.DataFrame)
            return frame
        except _REFUSED:
            pass  # one column at a time below
    return pl.DataFrame([_polars_column(data, i) for i in range(data.num_columns)])


_REFUSED = (Exception, PanicException)
"""What polars raises for data it cannot take: its errors, and a Rust panic (a BaseException)."""


def _polars_takes(t: pa.DataType) -> bool:
    """Whether polars takes an Arrow type (checked against polars 1.x: tests/check)."""
    if pa.types.is_dictionary(t):
        return _polars_takes(t.value_type)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return _polars_takes(t.value_type)
    if pa.types.is_struct(t):
        return all(_polars_takes(t.field(i).type) for i in range(t.num_fields))
    return any(
        is_kind(t)
        for is_kind in (
            pa.types.is_integer,
            pa.types.is_float32,
            pa.types.is_float64,
            pa.types.is_boolean,
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_binary,
            pa.types.is_large_binary,
            pa.types.is_fixed_size_binary,
            pa.types.is_date,
            pa.types.is_timestamp,
            pa.types.is_duration,
            pa.types.is_time,
            pa.types.is_decimal128,
            pa.types.is_null,
        )
    )


def _polars_column(data: pa.RecordBatch, i: int) -> pl.Series:
    name = data.schema.names[i]
    column = data.column(i)
    if _polars_takes(column.type):
        try:
            series = pl.from_arrow(column, rechunk=False)
            assert isinstance(series, pl.Series)
            return series.alias(name)
        except _REFUSED:
            pass  # read by the checks from Arrow, not by polars
    return pl.Series(name, [None] * data.num_rows, dtype=pl.Null)


def _structural(cases: pl.DataFrame) -> list[tuple[str, str]]:
    """pandera's own findings about columns (the failure case is a column name, not a value)."""
    out: list[tuple[str, str]] = []
    for check, case in cases.select("check", "failure_case").iter_rows():
        if check in (COLUMN_NOT_ALLOWED, COLUMN_MISSING):
            out.append((str(check), str(case)))
    return out
