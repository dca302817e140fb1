"""Run a dataset's checks over a file, batch by batch, and collect findings lazily.

Data flows one way: read/table.py streams record batches, compile.py's pandera schema checks each,
the Tally keeps counts and row numbers, and the rules that span the file (uniqueness, one value
per file) keep bounded state here: 8 bytes of hash and 8 of row number per row for uniqueness,
and at most a handful of distinct values for single-value rules. No value is kept beyond the
batch it came in, and none reaches a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import type_advice
from datacontract.check.magda import magda_findings, standard_path
from datacontract.check.nested import open_document
from datacontract.check.parts import carried_findings
from datacontract.check.results import MAX_SAMPLE_ROWS, Finding, ValidationResult, counted
from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.contract.names import Declared, by_position, file_label, plain
from datacontract.contract.references import find_dataset
from datacontract.errors import InputFileError
from datacontract.personal.redact import declared_labels
from datacontract.read.formats import FORMATS
from datacontract.read.prefetch import read_ahead
from datacontract.read.table import TableSource, open_table, sha256_file

if TYPE_CHECKING:
    from datacontract.check.batch import Tally
    from datacontract.check.compile import CompiledDataset
    from datacontract.check.file_state import FileState

# Cells in one batch: 131,072 rows of a 128-column file. A wider file is read in fewer rows at a
# time, so that memory follows the cells, not the columns times a fixed number of rows.
BATCH_CELLS = 131_072 * 128

Progress = Callable[[int, int | None], None]
"""Called after each batch with (rows done, rows expected or None)."""


@dataclass(frozen=True)
class Options:
    """How to validate: one object instead of a growing list of keyword arguments."""

    batch_rows: int = 131_072
    progress: Progress | None = None
    password: str | None = None
    # Facts of this one transfer that every row must state: (column, value, article, role),
    # role "sender" or "receiver". A hop sets ("ua", "FONS", ..., "sender") when fons sends (a
    # payer sends only its own families) and ("ua", "INFINO", ..., "receiver") when infino
    # receives its sample on stap3 (000 art. 6: "diens cliënten").
    expected: tuple[tuple[str, str, str, str], ...] = ()
    # The date of the transfer, for age rules without a reference column (default: today).
    reference_date: dt.date | None = None
    # Also check how the file travels (the dataset's `file` rules: format, encryption), as
    # the hooks do for every transfer; `validate --transfer` asks for it.
    transfer: bool = False
    # The worksheet that holds the table, in a workbook where several hold data.
    sheet: str | None = None
    # Which of the command's file arguments this is (from 1), to name the file by when its
    # path may not be shown (contract/names.py, rule 3).
    position: int | None = None


def validate_file(
    loaded: LoadedContract,
    dataset_id: str,
    path: str | Path,
    options: Options | None = None,
) -> ValidationResult:
    """Check one file against one dataset of a contract; never raises on bad data."""
    options = options or Options()
    contract = loaded.contract
    dataset = find_dataset(contract, dataset_id)
    document: list[Finding] = []
    if dataset.nested and Path(path).suffix.lower() == ".json":
        source, document = open_document(path, dataset, batch_rows=options.batch_rows)
    else:
        source = open_table(
            path, batch_rows=options.batch_rows, password=options.password, sheet=options.sheet
        )
        narrow = max(BATCH_CELLS // max(len(source.columns), 1), 1_024)
        if narrow < source.batch_rows:  # a wide file: as many cells per batch, fewer rows
            source = open_table(
                path, batch_rows=narrow, password=options.password, sheet=options.sheet
            )
        document = magda_findings(dataset, path)
    _refuse_values_as_names(dataset, source)
    # pandera and polars load only once the file is open: a file refused on opening (too wide,
    # not a table, unreadable) is answered without them.
    from datacontract.check.batch import Tally
    from datacontract.check.compile import CompiledDataset
    from datacontract.check.file_state import FileState

    compiled = CompiledDataset(contract, dataset, options.reference_date)
    state = FileState(dataset)
    tally = Tally()
    structural: dict[tuple[str, str], int] = {}
    rows = 0
    misses_of: dict[tuple[str, str], int] = {(c, role): 0 for c, _, _, role in options.expected}
    sample_of: dict[tuple[str, str], list[int]] = {(c, r): [] for c, _, _, r in options.expected}
    nested_names: list[str] = []  # keys below the top level (struct fields), from the first batch
    for batch in read_ahead(source.batches()):
        if not nested_names and batch.first_row == 1:
            nested_names = _nested_names(batch.data.schema)
        for column, value, _, role in options.expected:
            if column in batch.data.schema.names:
                raw = batch.data.column(column)
                same = pc.fill_null(pc.equal(pc.cast(raw, pa.string()), value), False)
                misses = np.flatnonzero(~np.asarray(same.to_numpy(zero_copy_only=False)))
                misses_of[(column, role)] += int(misses.size)
                first = misses[:MAX_SAMPLE_ROWS] + batch.first_row
                sample_of[(column, role)].extend(first.tolist())
        # the record batch as the reader gave it, into polars without a copy (compile.py)
        for key in compiled.check(batch.data, batch.first_row, tally):
            structural[key] = structural.get(key, 0) + batch.data.num_rows
        state.update(batch.data, batch.first_row)
        rows += batch.data.num_rows
        if options.progress is not None:
            options.progress(rows, source.rows_hint)
    if rows == 0:
        # An empty file still has to have the right columns.
        names = list(source.columns)
        empty = pa.RecordBatch.from_arrays([pa.array([], pa.string()) for _ in names], names=names)
        for key in compiled.check(empty, 1, tally):
            structural[key] = 0
    findings = (_file_findings(dataset, source, rows) if options.transfer else []) + document
    findings += _findings(compiled, tally, structural, state, source.columns, source.column_rows)
    findings += _other_parts_findings(compiled, source)
    findings += carried_findings(compiled, source)
    findings += _name_findings(compiled, [*source.columns, *nested_names])
    keys_digest = state.keys_digest()
    for column, _, article, role in options.expected:
        count, sample = misses_of[(column, role)], sample_of[(column, role)]
        if count:
            side = "sending" if role == "sender" else "receiving"
            findings.append(
                Finding(
                    f"{dataset.id}.{column}.is_{role}",
                    column,
                    count,
                    article,
                    f"{counted(count, 'row')} in column {column!r} "
                    f"{'does' if count == 1 else 'do'} not name the {side} party",
                    tuple(sorted(sample)[:MAX_SAMPLE_ROWS]),
                )
            )
    return ValidationResult(
        contract=contract.contract,
        contract_version=contract.version,
        contract_sha256=loaded.sha256,
        dataset=dataset.id,
        file=file_label(str(path), options.position),
        sha256=sha256_file(path),
        rows=rows,
        findings=tuple(findings),
        rules=tuple((r.rule, r.article) for r in compiled.rules.values()),
        demands=tuple((r.rule, r.demand) for r in compiled.rules.values()),
        keys_digest=keys_digest,
        columns_by_reference=_by_reference(dataset, source.columns),
    )


def _refuse_values_as_names(dataset: model.Dataset, source: TableSource) -> None:
    """A file whose header row holds data (an export without a header) is no table: refuse it
    (exit 2) before any name from it reaches a report. A name is taken for a value when it is
    a label a column declares or matches a column's pattern; the message names its position
    and the column it resembles, never its text. (A name on which a detector fires is not
    refused but withheld: see redact.column_label.)"""
    declared = {c.name for c in dataset.columns}
    resembles = _resembled_columns(dataset, source.columns)
    for position, (name, like) in enumerate(zip(source.columns, resembles, strict=True), 1):
        if name in declared or like is None:
            continue
        header_row = FORMATS[source.format].header_row
        if header_row:
            message = (
                f"no header row: the first row holds values, not column names (column "
                f"{position} looks like a value of {like!r}); the first row must name "
                "the columns"
            )
        else:
            message = (
                f"key {position} of the rows looks like a value of {like!r}, not a column name"
            )
        raise InputFileError(source.path, message, 1 if header_row else None)


def _resembled_columns(dataset: model.Dataset, names: Sequence[str]) -> list[str | None]:
    """For each name, the declared column whose label it is or whose pattern it matches."""
    out: list[str | None] = [None] * len(names)
    cells = pa.array(list(names), pa.string())
    for column in reversed(dataset.columns):  # the first declared column wins
        hit = np.zeros(len(names), dtype=bool)
        if column.values is not None:
            labels = pa.array([str(v) for v in column.values], pa.string())
            hit |= np.asarray(pc.fill_null(pc.is_in(cells, value_set=labels), False))
        if column.pattern is not None:
            whole = "^(?:" + column.pattern + ")$"
            hit |= np.asarray(pc.fill_null(pc.match_substring_regex(cells, whole), False))
        for i in np.flatnonzero(hit):
            out[int(i)] = column.name
    return out


def _nested_names(schema: pa.Schema) -> list[str]:
    """The names of struct fields and map keys' types below the top-level columns, any depth."""
    out: list[str] = []

    def walk(t: pa.DataType) -> None:
        if pa.types.is_struct(t):
            for f in t:
                out.append(f.name)
                walk(f.type)
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
            walk(t.value_type)
        elif pa.types.is_map(t):
            walk(t.key_type)
            walk(t.item_type)

    for field in schema:
        walk(field.type)
    return out


def _name_findings(compiled: CompiledDataset, names: Sequence[str]) -> list[Finding]:
    """The dataset's forbidden content in the file's own names (its header, its keys at any
    depth): a national number or an e-mail address written as a column name crosses the
    boundary as surely as one in a cell. The names themselves are never shown."""
    if not compiled.forbidden or not names:
        return []
    cells = pa.array(list(names), pa.string())
    out = []
    for rule, scan in compiled.forbidden:
        count = int(np.count_nonzero(scan(cells)))
        if count:
            info = compiled.rules[rule]
            out.append(
                Finding(
                    rule,
                    "(names of columns or keys)",
                    count,
                    info.article,
                    f"{counted(count, 'name')} of the file's columns or keys "
                    f"{_verb(count, 'break')} the rule: "
                    f"{info.demand} (a name is data too; the names are withheld)",
                )
            )
    return out


def _other_parts_findings(compiled: CompiledDataset, source: TableSource) -> list[Finding]:
    """The dataset's forbidden content, searched in every cell of the file's other parts."""
    if source.other_parts is None or not compiled.forbidden:
        return []
    counts: dict[tuple[str, str], int] = {}
    for label, data in source.other_parts():
        for rule, scan in compiled.forbidden:
            hits = sum(int(np.count_nonzero(scan(column))) for column in data.columns)
            if hits:
                counts[(rule, label)] = counts.get((rule, label), 0) + hits
    out = []
    for (rule, label), count in counts.items():
        info = compiled.rules[rule]
        out.append(
            Finding(
                rule,
                label,
                count,
                info.article,
                f"{counted(count, 'cell')} of {label}, beside the table in the same file, "
                f"{_verb(count, 'break')} the "
                f"rule: {info.demand}",
            )
        )
    return out


def _file_findings(dataset: model.Dataset, source: TableSource, rows: int) -> list[Finding]:
    rules = dataset.file
    if rules is None:
        return []
    out = []
    if rules.formats and source.format not in rules.formats:
        out.append(
            Finding(
                f"{dataset.id}.file.format",
                None,
                1,
                rules.article,
                f"the file is {source.format}; {dataset.id} travels as "
                f"{' or '.join(rules.formats)}",
            )
        )
    if rules.min_rows is not None and rows < rules.min_rows:
        out.append(
            Finding(
                f"{dataset.id}.file.min_rows",
                None,
                1,
                rules.article,
                f"the file holds {counted(rows, 'data row')}; a transfer of {dataset.id} holds "
                f"at least "
                f"{rules.min_rows}",
            )
        )
    if rules.encrypted and not source.encrypted:
        out.append(
            Finding(
                f"{dataset.id}.file.encrypted",
                None,
                1,
                rules.article,
                f"the file is not encrypted; {dataset.id} travels as an encrypted file "
                "(a password-protected workbook)",
            )
        )
    return out


def _verb(count: int, plural: str) -> str:
    return plural if count != 1 else plural + "s"


def _in_rows(count: int) -> str:
    """How many rows a column's absence or presence touches: every row of the file."""
    return f"all {counted(count, 'row')}" if count else "the header; no data rows"


def _by_reference(dataset: model.Dataset, columns: tuple[str, ...]) -> tuple[str, ...] | None:
    """The file's columns the contract accepts unchecked, named as a report may name them."""
    if dataset.columns_by_reference is None:
        return None
    # accepted only under a name the contract allows (issue 24), so shown by that name unless
    # it looks personal; otherwise by position (contract/names.py, rule 1)
    allow = dataset.columns_by_reference.allow
    return tuple(
        name if allow.allows(name) and Declared.of([name]).may_show(name) else by_position(i)
        for i, name in enumerate(columns)
        if dataset.column(name) is None
    )


# -- findings ---------------------------------------------------------------------------------


def _findings(
    compiled: CompiledDataset,
    tally: Tally,
    structural: dict[tuple[str, str], int],
    state: FileState,
    file_columns: tuple[str, ...],
    carried: Mapping[str, int] | None = None,
) -> list[Finding]:
    ds = compiled.dataset
    out: list[Finding] = []
    # Only the names the dataset declares are shown; any other by its position (names.py).
    # Declared: a column of any dataset of the contract; for a MAGDA document, an element path
    # whose every element the service's XSD defines (the standard's names).
    standard = [n for n in file_columns if ds.magda is not None and standard_path(n)]
    # and a column the dataset allows by reference (its allow-list, issue 24)
    by_ref = ds.columns_by_reference
    allowed = [n for n in file_columns if by_ref is not None and by_ref.allow.allows(n)]
    contract = compiled.contract
    names = [*(c.name for d in contract.datasets for c in d.columns), *standard, *allowed]
    declared = Declared.of(names)
    shown_as = dict(zip(file_columns, declared_labels(file_columns, declared), strict=True))

    def label(name: str | None) -> str | None:
        if name is None:
            return None
        if name in shown_as:
            return shown_as[name]
        return name if declared.may_show(name) else "(a name not in the contract)"

    for (check, column), count in sorted(structural.items()):
        shown: str | None
        if check == "column_in_schema":
            rule = f"{ds.id}.columns.allowed"
            shown = label(column)
            named = f"column {shown!r}" if shown == column else shown  # or `column 7 (not...`
            written = count if carried is None else min(count, carried.get(column, count))
            touched = (
                _in_rows(count) if written == count else f"{counted(written, 'row')} of {count:,}"
            )
            message = f"{named} is not allowed in {ds.id} ({touched})"
            count = written
        else:
            rule = f"{ds.id}.columns.required"
            shown = plain(column, "(a column whose name looks like personal data)")
            named = f"{shown!r}" if shown == column else shown
            message = f"required column {named} is missing ({_in_rows(count)})"
        out.append(Finding(rule, shown, count, ds.article, message))
    for (rule_id, where_column), count in tally.counts.items():
        info = compiled.rules[rule_id]
        shown = label(where_column)
        where = f" in column {shown!r}" if shown == where_column else f" in {shown}"
        where = where if shown else ""
        forms = tally.forms.get((rule_id, where_column))
        typed = ds.column(where_column) if where_column is not None else None
        advice = f"; {type_advice(typed.type, forms)}" if forms and typed is not None else ""
        out.append(
            Finding(
                rule=rule_id,
                column=shown,
                count=count,
                article=info.article,
                message=f"{counted(count, 'row')}{where} {_verb(count, 'break')} the rule: "
                f"{info.demand}{advice}",
                rows=tuple(tally.rows.get((rule_id, where_column), ())),
            )
        )
    out.extend(state.findings())
    return out
