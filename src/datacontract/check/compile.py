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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.batch import Batch, Mask, Tally, bool_mask, check_re2
from datacontract.check.coerce import Coerced, found_forms
from datacontract.check.results import counted
from datacontract.check.rules import by_reference_checks, dataset_rule_checks
from datacontract.contract import model
from datacontract.errors import CheckCrashed
from datacontract.personal import detect
from datacontract.personal.redact import declared_values


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

    # -- running ------------------------------------------------------------------------------

    def check(
        self,
        frame: pd.DataFrame,
        first_row: int,
        tally: Tally,
        data: pa.RecordBatch | None = None,
    ) -> list[dict[str, Any]]:
        """Run the schema on one batch; return pandera's structural failures (no values).

        `data` is the record batch `frame` was made from, if any: checks read its columns.
        """
        batch = self._current = Batch(frame, first_row, tally, data)
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
            rule = self.register(f"{ds}.{name}.{kind}", col.article, demand)

            def run(series: pd.Series) -> bool:
                batch = self.batch
                try:
                    return batch.record(rule, name, fn(batch.typed(col)))
                except Exception as exc:  # reported by check(), never as a pass
                    batch.crashed[rule] = type(exc).__name__
                    return False

            checks.append(pandera.Check(run, name=rule, error=demand))

        def refused(t: Coerced) -> Mask:
            # the forms of the refused cells, for the message (a pattern's name, no value)
            if t.bad.any():
                rule = f"{ds}.{name}.type"
                forms = found_forms(self.batch.raw(name), col.type, t.bad)
                self.batch.tally.add_forms(rule, name, forms)
            return t.bad

        add("type", f"values of type {col.type}", refused)
        if not col.nullable:
            add("nullable", "no empty values", lambda t: bool_mask(pc.is_null(t.values)) & ~t.bad)
        if col.values is not None:
            allowed = pa.array(list(col.values), type=t_arrow(col))
            add(
                "values",
                f"one of the declared values ({declared_values(col)})",
                lambda t: (
                    bool_mask(pc.invert(pc.is_in(t.values, value_set=allowed)))
                    & bool_mask(pc.is_valid(t.values))
                ),
            )
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
        return pandera.Column(None, checks=checks, nullable=True, required=col.required, name=name)

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


def _structural(cases: pd.DataFrame) -> list[dict[str, Any]]:
    """pandera's own findings about columns (the failure case is a column name, not a value)."""
    out: list[dict[str, Any]] = []
    for record in cases.to_dict("records"):
        check = str(record.get("check"))
        if check in ("column_in_schema", "column_in_dataframe"):
            out.append({"check": check, "column": str(record.get("failure_case"))})
    return out
