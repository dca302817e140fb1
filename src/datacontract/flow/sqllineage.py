"""Column lineage of the declared derivations (SQL, read with sqlglot): the only sqlglot user.

A contract's `lineage/<contract>/` folder holds one SELECT per dataset a party makes, named
after the dataset. For every column of a checked dataset, sqlglot's column lineage gives the
path back to the source columns, through the other files. Two invariants read those paths:

- identifiers_only_pseudonymised: a path that starts at an identifier column (insz,
  cgpa_code) must pass through the declared keyed pseudonymisation, a call of the named
  function with the identifier in its first argument and a key as its second. A bare hash is
  no pseudonym: sha256 over some 10^9 possible national numbers is reversed in minutes.
- income_only_in_classes: a path that starts at an income amount must end in a CASE whose
  results are all class labels the contract declares for that column (or NULL).

`derivation` gives the same lineage one step back, column by column, for OpenLineage's
column-lineage facet (standards/openlineage.py): which columns of which tables each column is
computed from, how, and whether it passes through the keyed pseudonym.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node, lineage

from datacontract.contract import invariants as kinds
from datacontract.contract import model
from datacontract.errors import ContractError
from datacontract.messages import Message, say

DIALECT = "duckdb"


@dataclass(frozen=True)
class Problem:
    dataset: str
    column: str
    said: Message  # a code of datacontract/messages/catalogue.py (derivation.*)

    @property
    def message(self) -> str:
        return self.said.english


def read_folder(folder: Path) -> dict[str, str]:
    """dataset id -> its SELECT, from <folder>/<dataset>.sql."""
    if not folder.is_dir():
        raise ContractError(f"{folder}: the folder of declared derivations does not exist")
    out = {}
    for path in sorted(folder.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        try:
            sqlglot.parse_one(text, dialect=DIALECT)
        except SqlglotError as exc:
            raise ContractError(f"{path}: not a SQL statement sqlglot can read: {exc}") from None
        out[path.stem] = text
    return out


def _paths(node: Node, trail: tuple[Node, ...] = ()) -> Iterator[tuple[Node, ...]]:
    """Every root-to-leaf path of a lineage tree."""
    trail = (*trail, node)
    if not node.downstream:
        yield trail
        return
    for child in node.downstream:
        yield from _paths(child, trail)


def _leaf_column(node: Node) -> str:
    return node.name.rsplit(".", 1)[-1].lower()


def _pseudonymised(trail: tuple[Node, ...], identifier: str, function: str) -> bool:
    """Some step of the path wraps the identifier in function(identifier, key)."""
    for node in trail:
        for call in node.expression.find_all(exp.Anonymous, exp.Func):
            name = call.name if isinstance(call, exp.Anonymous) else call.sql_name()
            if name.lower() != function.lower():
                continue
            args = (
                list(call.expressions)
                if isinstance(call, exp.Anonymous)
                else list(call.args.values())
            )
            if len(args) >= 2 and any(
                c.name.lower() == identifier for c in args[0].find_all(exp.Column)
            ):
                return True
    return False


def _functions(trail: tuple[Node, ...]) -> Message:
    names = {
        (f.name if isinstance(f, exp.Anonymous) else f.sql_name()).lower()
        for node in trail
        for f in node.expression.find_all(exp.Anonymous, exp.Func)
    }
    if not names:
        return say("derivation.no_function")
    return say("derivation.functions", names=tuple(sorted(names)))


def _lineage(column: str, dataset: str, sql: Mapping[str, str]) -> Node:
    every = _traced(dataset, tuple(sorted(sql.items())))
    if column not in every:
        raise ContractError(f"{dataset}.sql: cannot trace column {column!r}: not in the query")
    return every[column]


@functools.lru_cache(maxsize=64)
def _traced(dataset: str, sql: tuple[tuple[str, str], ...]) -> dict[str, Node]:
    """sqlglot's lineage of every output column of one derivation, in one walk (the query is
    qualified and scoped once, and the columns share their sub-trees); cached, as both SQL
    invariants trace the same files."""
    sources = {name: text for name, text in sql if name != dataset}
    try:
        every = lineage(None, dict(sql)[dataset], {}, sources=sources, dialect=DIALECT)
    except (SqlglotError, ValueError, KeyError) as exc:
        raise ContractError(f"{dataset}.sql: cannot trace its columns: {exc}") from None
    assert isinstance(every, dict)
    return every


def check(
    contract: model.Contract,
    folder: Path,
    params: kinds.IdentifiersOnlyPseudonymisedParams | kinds.IncomeOnlyInClassesParams,
) -> list[Problem]:
    sql = read_folder(folder)
    if isinstance(params, kinds.IdentifiersOnlyPseudonymisedParams):
        return _identifiers(contract, sql, params)
    return _income(contract, sql, params)


def _identifiers(
    contract: model.Contract, sql: dict[str, str], params: kinds.IdentifiersOnlyPseudonymisedParams
) -> list[Problem]:
    identifiers = {i.lower() for i in params.identifiers}
    function = params.pseudonymise_with
    out = []
    for dataset_id in params.datasets:
        dataset = contract.dataset(dataset_id)
        if dataset is None or dataset_id not in sql:
            out.append(Problem(dataset_id, "", say("derivation.missing", dataset=dataset_id)))
            continue
        for column in dataset.columns:
            for trail in _paths(_lineage(column.name, dataset_id, sql)):
                leaf = _leaf_column(trail[-1])
                if leaf in identifiers and not _pseudonymised(trail, leaf, function):
                    out.append(
                        Problem(
                            dataset_id,
                            column.name,
                            say(
                                "derivation.not_pseudonymised",
                                dataset=dataset_id,
                                column=column.name,
                                leaf=leaf,
                                functions=_functions(trail),
                                function=function,
                            ),
                        )
                    )
    return out


def _income(
    contract: model.Contract, sql: dict[str, str], params: kinds.IncomeOnlyInClassesParams
) -> list[Problem]:
    pattern = re.compile(params.income)
    out = []
    for dataset_id in params.datasets:
        dataset = contract.dataset(dataset_id)
        if dataset is None or dataset_id not in sql:
            out.append(Problem(dataset_id, "", say("derivation.missing", dataset=dataset_id)))
            continue
        for column in dataset.columns:
            root = _lineage(column.name, dataset_id, sql)
            if not any(pattern.search(_leaf_column(t[-1])) for t in _paths(root)):
                continue
            problem = _classified(root, column)
            if problem is not None:
                said = say(problem, dataset=dataset_id, column=column.name)
                out.append(Problem(dataset_id, column.name, said))
    return out


def _classified(root: Node, column: model.Column) -> str | None:
    """None when the column's expression is a CASE into the declared classes; else the code of
    what is wrong (derivation.*, saying the dataset and the column)."""
    expression = root.expression.this if isinstance(root.expression, exp.Alias) else root.expression
    if not isinstance(expression, exp.Case):
        return "derivation.unclassified"
    if not column.values:
        return "derivation.no_labels"
    labels = {str(v) for v in column.values}
    results = [branch.args.get("true") for branch in expression.args.get("ifs", [])]
    results.append(expression.args.get("default"))
    for result in results:
        if result is None or isinstance(result, exp.Null):
            continue
        if not isinstance(result, exp.Literal) or not result.is_string or result.this not in labels:
            return "derivation.other_label"
    return None


# --- column lineage for the ecosystem (standards/openlineage.py) --------------------------------


@dataclass(frozen=True, order=True)
class SourceColumn:
    """One column a derived column (or the whole derivation) is computed from, one step back.

    `table` is the table the declared SQL reads (a dataset id of the contract or a source such as
    `steekproef`); `kind` and `subtype` follow OpenLineage's column-lineage facet: DIRECT with
    IDENTITY, TRANSFORMATION or AGGREGATION when its value flows into the column, INDIRECT with
    CONDITIONAL, JOIN, GROUP_BY or FILTER when it only decides which value or which rows.
    `masked`: the value passes through the keyed pseudonym (art. 4), so no original is left.
    """

    table: str
    column: str
    kind: str
    subtype: str
    masked: bool = False


@dataclass(frozen=True)
class Derivation:
    """The declared SQL of one made dataset, column by column, one step back."""

    dataset: str
    columns: dict[str, tuple[SourceColumn, ...]]  # output column -> what it is computed from
    rows: tuple[SourceColumn, ...]  # what decides the rows: joins, filters, grouping
    tables: tuple[str, ...]  # every table the SELECT reads, sorted


def derivation(folder: Path, dataset: str, pseudonym: str = "keyed_pseudonym") -> Derivation | None:
    """The column lineage of `<folder>/<dataset>.sql`, one step back (None without that file).

    Each derivation is traced on its own: a column read from another made dataset stops at that
    dataset's column, as a lineage graph wants it. ContractError when the SQL cannot be traced.
    """
    sql = read_folder(folder)
    if dataset not in sql:
        return None
    every = _traced(dataset, ((dataset, sql[dataset]),))
    columns = {name: tuple(sorted(set(_sources(node, pseudonym)))) for name, node in every.items()}
    rows = _row_sources(sqlglot.parse_one(sql[dataset], dialect=DIALECT))
    tables = {s.table for found in columns.values() for s in found} | {s.table for s in rows}
    return Derivation(dataset, columns, rows, tuple(sorted(tables)))


def _sources(root: Node, pseudonym: str) -> Iterator[SourceColumn]:
    for trail in _paths(root):
        leaf = trail[-1]
        if len(trail) < 2 or not isinstance(leaf.expression, exp.Table):
            continue  # a literal or a function without columns: nothing flows in
        uses = [
            _use(trail[i].expression, trail[i + 1].name, pseudonym) for i in range(len(trail) - 1)
        ]
        if any(u is None for u in uses):
            continue
        steps = [u for u in uses if u is not None]
        masked = any(m for _, m in steps)
        kinds = {k for k, _ in steps}
        if "CONDITIONAL" in kinds:
            yield SourceColumn(leaf.expression.name, _leaf_column(leaf), "INDIRECT", "CONDITIONAL")
            continue
        subtype = (
            "AGGREGATION"
            if "AGGREGATION" in kinds
            else "IDENTITY"
            if kinds == {"IDENTITY"}
            else "TRANSFORMATION"
        )
        yield SourceColumn(leaf.expression.name, _leaf_column(leaf), "DIRECT", subtype, masked)


def _use(expression: exp.Expr, child: str, pseudonym: str) -> tuple[str, bool] | None:
    """How the column named `child` ("alias.column") is used in one projection: (subtype,
    masked); a use in a value beats a use in a condition only. None when it does not occur."""
    table, _, name = child.rpartition(".")
    found = [
        c
        for c in expression.find_all(exp.Column)
        if c.name.lower() == name.lower() and (not table or c.table.lower() == table.lower())
    ]
    if not found:
        return None
    uses = [_one_use(c, expression, pseudonym) for c in found]
    values = [u for u in uses if u[0] != "CONDITIONAL"]
    return values[0] if values else uses[0]


def _one_use(column: exp.Column, top: exp.Expr, pseudonym: str) -> tuple[str, bool]:
    projection = top.this if isinstance(top, exp.Alias) else top
    if projection is column:
        return "IDENTITY", False
    subtype, masked = "TRANSFORMATION", False
    node: exp.Expr = column
    while node is not top and node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.If | exp.Case) and node is parent.this:
            subtype = "CONDITIONAL"  # the column decides which branch, its value stays out
        if isinstance(parent, exp.AggFunc) and subtype != "CONDITIONAL":
            subtype = "AGGREGATION"
        if _calls(parent, pseudonym) and _first_argument(parent, node):
            masked = True
        node = parent
    return subtype, masked


def _calls(node: exp.Expr, function: str) -> bool:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() == function.lower()
    return isinstance(node, exp.Func) and node.sql_name().lower() == function.lower()


def _first_argument(call: exp.Expr, child: exp.Expr) -> bool:
    args = list(call.expressions) if isinstance(call, exp.Anonymous) else list(call.args.values())
    return bool(args) and args[0] is child


def _row_sources(statement: exp.Expr) -> tuple[SourceColumn, ...]:
    """The columns of the outermost SELECT's joins, WHERE and GROUP BY (INDIRECT lineage)."""
    if not isinstance(statement, exp.Select):
        return ()
    tables = {t.alias_or_name.lower(): t.name for t in statement.find_all(exp.Table)}
    parts: list[tuple[str, exp.Expr | None]] = [
        ("JOIN", join.args.get("on")) for join in statement.args.get("joins") or []
    ]
    parts += [("FILTER", statement.args.get("where")), ("GROUP_BY", statement.args.get("group"))]
    out = {
        SourceColumn(tables[c.table.lower()], c.name, "INDIRECT", subtype)
        for subtype, part in parts
        if part is not None
        for c in part.find_all(exp.Column)
        if c.table.lower() in tables
    }
    return tuple(sorted(out, key=lambda s: (s.subtype, s.table, s.column)))
