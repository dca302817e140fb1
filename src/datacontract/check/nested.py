"""Nested JSON documents, validated as JSON and then flattened to the rows the checks run on.

A dataset whose columns have a `path` (`verrichtingen[].bedrag`) is one JSON document per
file: an object whose keys, at every depth, are exactly the declared ones. The arrays of the
paths form one chain (load.py checks it), so the document flattens to one table: a row per
element of the innermost array, with the values of the enclosing objects repeated. An element
whose own array is empty or missing still gives one row, its deeper values empty (so that its
own values are checked); only an empty outermost array gives no rows at all.

What is checked here, before the rows reach the ordinary column checks:

- `<dataset>.columns.allowed`: a key the contract does not declare, at any depth, named by its
  path (`verrichtingen[].iban`); a key that looks like personal data is not named.
- `<dataset>.document.shape`: an object, an array or a value where the contract expects
  another of these.
- `<dataset>.<column>.json_type`: a JSON kind other than the declared type's (a number must be
  a JSON number, not the string "600"; a national number must be a JSON string).

Row numbers in findings are the flattened rows, 1-based. No value is ever put in a finding.
The document is read whole: a daily message is small; `read/table.py` streams the flat formats.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from datacontract.check.results import MAX_SAMPLE_ROWS, Finding
from datacontract.contract import model
from datacontract.contract.names import by_position
from datacontract.read.json_lines import json_kind, read_json_value, table_of_rows
from datacontract.read.table import TableSource

_JSON_KINDS: dict[str, tuple[str, ...]] = {
    "string": ("string",),
    "date": ("string",),
    "datetime": ("string",),
    "integer": ("number",),
    "number": ("number",),
    "boolean": ("boolean",),
}


@dataclass
class _Node:
    """The declared keys of one object level: values (key -> column) and child objects."""

    values: dict[str, model.Column] = field(default_factory=dict)
    children: dict[str, tuple[bool, _Node]] = field(default_factory=dict)  # key -> (array?, node)


def tree(dataset: model.Dataset) -> _Node:
    """The declared shape of a nested dataset's documents."""
    root = _Node()
    for column in dataset.columns:
        assert column.path is not None, "load.py gives every column of a nested dataset a path"
        node = root
        *parents, leaf = column.path.split(".")
        for part in parents:
            key, array = part.removesuffix("[]"), part.endswith("[]")
            node = node.children.setdefault(key, (array, _Node()))[1]
        node.values[leaf] = column
    return root


@dataclass
class _Tally:
    """Findings of the document's shape: counts and a few row numbers per (rule, column)."""

    dataset: model.Dataset
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    rows: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)

    def add(self, rule: str, where: str, message: str, row: int) -> None:
        key = (rule, where, message)
        self.counts[key] = self.counts.get(key, 0) + 1
        sample = self.rows.setdefault(key, [])
        if len(sample) < MAX_SAMPLE_ROWS:
            sample.append(row)

    def findings(self) -> list[Finding]:
        out = []
        for (rule, where, message), count in sorted(self.counts.items()):
            column = self.dataset.column(where)
            article = column.article if column is not None else self.dataset.article
            out.append(
                Finding(
                    rule,
                    where,
                    count,
                    article,
                    f"{message} ({count} time{'' if count == 1 else 's'})",
                    tuple(self.rows[(rule, where, message)]),
                )
            )
        return out


class _Flattener:
    def __init__(self, dataset: model.Dataset) -> None:
        self.dataset = dataset
        self.tally = _Tally(dataset)
        self.rows = 0  # rows produced so far: the next row's number is rows + 1

    def object(self, value: Any, node: _Node, prefix: str, root: bool) -> list[dict[str, Any]]:
        ds = self.dataset.id
        start = self.rows
        here = start + 1
        if not isinstance(value, dict):
            if value is not None:
                self.tally.add(
                    f"{ds}.document.shape",
                    prefix.rstrip(".") or "(document)",
                    f"expected a JSON object at {prefix.rstrip('.') or 'the top'}, "
                    f"found a JSON {json_kind(value)}",
                    here,
                )
            result: list[dict[str, Any]] = [] if root else [{}]
            self.rows = start + len(result)
            return result
        for position, key in enumerate(value):
            if key not in node.values and key not in node.children:
                # not declared, so named by its position (contract/names.py, rule 1)
                shown = f"{prefix}{by_position(position, 'key')}"
                self.tally.add(
                    f"{ds}.columns.allowed",
                    shown,
                    f"{shown} is not allowed in {ds}",
                    here,
                )
        own: dict[str, Any] = {}
        for key, column in node.values.items():
            own[column.name] = self.scalar(value.get(key), column, f"{prefix}{key}", here)
        rows = [own]
        for key, (array, child) in node.children.items():
            inner = f"{prefix}{key}{'[]' if array else ''}."
            got = value.get(key)
            if array:
                child_rows = self.array(got, child, inner, f"{prefix}{key}")
            else:
                child_rows = self.object(got, child, inner, root=False)
            if not child_rows:
                continue  # an object without deeper rows keeps its own row
            rows = [{**r, **c} for r in rows for c in child_rows]
        self.rows = start + len(rows)
        return rows

    def array(self, value: Any, node: _Node, inner: str, where: str) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.tally.add(
                f"{self.dataset.id}.document.shape",
                where + "[]",
                f"expected a JSON array at {where}, found a JSON {json_kind(value)}",
                self.rows + 1,
            )
            return []
        out: list[dict[str, Any]] = []
        for element in value:
            out.extend(self.object(element, node, inner, root=False))
        return out

    def scalar(self, value: Any, column: model.Column, where: str, row: int) -> Any:
        kind = json_kind(value)
        if kind == "null":
            return None
        if kind in ("object", "array"):
            self.tally.add(
                f"{self.dataset.id}.document.shape",
                column.name,
                f"expected a value at {where}, found a JSON {kind}",
                row,
            )
            return None
        if kind not in _JSON_KINDS[column.type]:
            self.tally.add(
                f"{self.dataset.id}.{column.name}.json_type",
                column.name,
                f"the value at {where} is a JSON {kind}; the contract declares a "
                f"{column.type}, written as a JSON {_JSON_KINDS[column.type][0]}",
                row,
            )
        return value


def open_document(
    path: str | os.PathLike[str], dataset: model.Dataset, *, batch_rows: int = 131_072
) -> tuple[TableSource, list[Finding]]:
    """Read a nested JSON document as the flat rows of `dataset`, and the shape's findings."""
    name = os.fspath(path)
    document = read_json_value(name)
    flattener = _Flattener(dataset)
    rows = flattener.object(document, tree(dataset), "", root=True)
    names = dataset.column_names
    table = table_of_rows(name, [{n: row.get(n) for n in names} for row in rows])
    if not rows:
        columns: tuple[str, ...] = names
        batches: list[Any] = []
    else:
        columns = tuple(table.column_names)
        batches = table.to_batches(max_chunksize=batch_rows)
    source = TableSource(
        name,
        "json",
        columns,
        len(rows),
        os.stat(name).st_size,
        batch_rows,
        lambda: iter(batches),
    )
    return source, flattener.tally.findings()


def document_of_rows(dataset: model.Dataset, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The nested document whose flattening gives `rows` (rows that share the values of an
    enclosing object are grouped under one object): how `sample` writes nested datasets."""
    return _group(tree(dataset), rows) if rows else {}


def _group(node: _Node, rows: list[dict[str, Any]]) -> dict[str, Any]:
    first = rows[0]
    out: dict[str, Any] = {key: first.get(col.name) for key, col in node.values.items()}
    for key, (array, child) in node.children.items():
        if not array:
            out[key] = _group(child, rows)
            continue
        own = _own_columns(child)
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(repr(row.get(c)) for c in own), []).append(row)
        out[key] = [_group(child, members) for members in groups.values()]
    return out


def _own_columns(node: _Node) -> list[str]:
    """The columns of an element's own values and non-array children (not deeper arrays)."""
    names = [c.name for c in node.values.values()]
    for array, child in node.children.values():
        if not array:
            names.extend(_own_columns(child))
    return names
