"""YAML -> Contract, with errors that point at `contract.yaml:12:5`.

The YAML is composed into nodes first so that every key and value keeps its line and column;
pydantic then checks the shape, and `_check_references` checks that names point at things the
contract declares. A typo in a key gets a suggestion from the keys the format knows.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from datacontract import model
from datacontract.errors import ContractError, Location

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedContract:
    """A contract together with where it came from and the hash of its bytes."""

    contract: model.Contract
    path: str
    sha256: str


def load_contract(path: str | Path) -> LoadedContract:
    """Read and check a contract file; raise ContractError naming file:line:column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContractError("contract file not found", Location(str(path))) from None
    except OSError as exc:
        raise ContractError(f"cannot read contract: {exc.strerror}", Location(str(path))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContractError(
            f"contract is not UTF-8 (byte {exc.start})", Location(str(path))
        ) from None
    contract = parse_contract(text, str(path))
    return LoadedContract(contract, str(path), hashlib.sha256(raw).hexdigest())


def parse_contract(text: str, filename: str = "<contract>") -> model.Contract:
    data, marks = _compose(text, filename)
    if not isinstance(data, dict):
        raise ContractError("a contract is a mapping of keys", Location(filename, 1, 1))
    try:
        contract = model.Contract.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, data, marks, filename) from None
    _check_references(contract, marks, filename)
    return contract


# -- YAML with positions ----------------------------------------------------------------------


def _compose(text: str, filename: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContractError(
            f"not valid YAML: {exc.problem or exc.context}", Location(filename, line, col)
        ) from None
    if node is None:
        raise ContractError("contract file is empty", Location(filename))
    marks: dict[Path_, tuple[int, int]] = {}
    return _to_python(node, (), marks, filename, yaml.SafeLoader("")), marks


def _to_python(
    node: yaml.Node,
    path: Path_,
    marks: dict[Path_, tuple[int, int]],
    filename: str,
    scalars: yaml.SafeLoader,
) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        # YAML merge keys (`<<: *anchor`) first, so that explicit keys override them.
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    merged = _to_python(source, path, marks, filename, scalars)
                    if not isinstance(merged, dict):
                        line, col = source.start_mark.line + 1, source.start_mark.column + 1
                        raise ContractError(
                            "'<<' merges mappings only", Location(filename, line, col)
                        )
                    for key, value in merged.items():
                        out.setdefault(key, value)
        marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        explicit: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value
            if key in explicit:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                raise ContractError(f"key {key!r} appears twice", Location(filename, line, col))
            marks[(*path, key, "<key>")] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            explicit.add(key)
            out[key] = _to_python(value_node, (*path, key), marks, filename, scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*path, i), marks, filename, scalars)
            for i, item in enumerate(node.value)
        ]
    return scalars.construct_object(node)


# -- explaining pydantic errors ---------------------------------------------------------------


def _known_keys() -> set[str]:
    keys: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def walk(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, field in cls.model_fields.items():
            keys.add(field.alias or name)
            for sub in _models_in(field.annotation):
                walk(sub)

    walk(model.Contract)
    return keys


def _models_in(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)
    for meta in getattr(annotation, "__metadata__", ()) or ():
        yield from _models_in(meta)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _models_in(origin)


def _data_path(loc: tuple[int | str, ...], data: Any) -> Path_:
    """Drop the parts of a pydantic loc that are not in the data (union tags, validators)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            # either a union tag (skip it) or a missing/unknown key (stop here)
            continue
    return tuple(path)


def _describe(path: Path_, data: Any) -> str:
    """A readable name for a place: datasets[dataset_4].columns[email]."""
    out: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part]
            name = item.get("id") or item.get("name") if isinstance(item, dict) else None
            out[-1] = f"{out[-1]}[{name if name else part}]" if out else f"[{part}]"
            node = item
        else:
            out.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out) or "contract"


def _explain(
    exc: ValidationError, data: Any, marks: dict[Path_, tuple[int, int]], filename: str
) -> ContractError:
    messages: list[tuple[Location, str]] = []
    known = _known_keys()
    errors = exc.errors()
    # A misspelt key shows up twice: as unknown, and as the required key it was meant to be.
    # Say it once, with the suggestion.
    misspelt = [
        (_data_path(tuple(e["loc"][:-1]), data), str(e["loc"][-1]))
        for e in errors
        if e["type"] == "extra_forbidden"
    ]
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "missing" and any(
            parent == _data_path(loc[:-1], data)
            and difflib.get_close_matches(str(loc[-1]), [extra], n=1, cutoff=0.6)
            for parent, extra in misspelt
        ):
            continue
        if kind == "extra_forbidden":
            key = str(loc[-1])
            parent = _data_path(loc[:-1], data)
            line_col = marks.get((*parent, key, "<key>")) or marks.get(parent)
            hint = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            text = f"unknown key {key!r} in {_describe(parent, data)}{suggestion}"
        elif kind == "missing":
            key = str(loc[-1])
            parent = _data_path(loc[:-1], data)
            line_col = marks.get(parent)
            what = _describe(parent, data)
            if key == "article":
                text = f"{what} has no article citation: every column and rule cites its article"
            else:
                text = f"{what} misses required key {key!r}"
        else:
            path = _data_path(loc, data)
            line_col = marks.get(path)
            text = f"{_describe(path, data)}: {err['msg']}"
        messages.append((Location(filename, *(line_col or (None, None))), text))
    messages.sort(key=lambda m: (m[0].line or 0, m[0].column or 0))
    if len(messages) == 1:
        return ContractError(messages[0][1], messages[0][0])
    listing = "\n  ".join(f"{where}: {text}" for where, text in messages)
    return ContractError(f"{len(messages)} problems:\n  {listing}", messages[0][0])


# -- references between parts of the contract ------------------------------------------------


def _check_references(
    contract: model.Contract, marks: dict[Path_, tuple[int, int]], filename: str
) -> None:
    problems: list[tuple[Path_, str]] = []

    def unique_ids(kind: str, ids: list[str]) -> None:
        for i, ident in enumerate(ids):
            if ident in ids[:i]:
                problems.append(((kind, i), f"{kind} id {ident!r} is declared twice"))

    parties = [p.id for p in contract.parties]
    channels = [c.id for c in contract.channels]
    detectors = [d.id for d in contract.detectors]
    datasets = [d.id for d in contract.datasets]
    unique_ids("parties", parties)
    unique_ids("channels", channels)
    unique_ids("detectors", detectors)
    unique_ids("datasets", datasets)
    unique_ids("hops", [h.id for h in contract.hops])
    unique_ids("milestones", [m.id for m in contract.milestones])
    unique_ids("invariants", [v.id for v in contract.invariants])

    def ref(path: Path_, value: str, known: list[str], what: str) -> None:
        if value not in known:
            hint = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            problems.append((path, f"unknown {what} {value!r}{suggestion}"))

    for d_i, d in enumerate(contract.datasets):
        names = list(d.column_names)
        for c_i, c in enumerate(d.columns):
            if c.name in names[:c_i]:
                problems.append(
                    (("datasets", d_i, "columns", c_i), f"column {c.name!r} is declared twice")
                )
            if c.pattern is not None:
                try:
                    re.compile(c.pattern)
                except re.error as exc:
                    problems.append(
                        (
                            ("datasets", d_i, "columns", c_i, "pattern"),
                            f"pattern does not compile: {exc}",
                        )
                    )
        for p_i, party in enumerate(d.made_by):
            ref(("datasets", d_i, "made_by", p_i), party, parties, "party")
        for s_i, src in enumerate(d.derived_from):
            ref(("datasets", d_i, "derived_from", s_i), src, datasets, "dataset")
        for k_i, key in enumerate(d.keys):
            ref(("datasets", d_i, "keys", k_i), key, list(d.column_names), f"column of {d.id}")
        rule_ids = [r.id for r in d.rules]
        for r_i, rule in enumerate(d.rules):
            base: Path_ = ("datasets", d_i, "rules", r_i)
            if rule.id in rule_ids[:r_i]:
                problems.append((base, f"rule id {rule.id!r} is declared twice"))
            for field_name, column in _rule_columns(rule):
                if isinstance(rule, model.ForbiddenColumnsRule):
                    if column in names:
                        problems.append(
                            (
                                (*base, field_name),
                                f"column {column!r} is both allowed and forbidden",
                            )
                        )
                    continue
                ref((*base, field_name), column, names, f"column of {d.id}")
            if isinstance(rule, model.ForbiddenContentRule):
                for k, det in enumerate(rule.detect):
                    ref((*base, "detect", k), det, detectors, "detector")
            if isinstance(rule, model.AgeBetweenRule):
                problems.extend((base, text) for text in _age_rule_problems(d, rule))
        problems.extend(
            (("datasets", d_i, *where), text) for where, text in _by_reference_problems(contract, d)
        )
        problems.extend((("datasets", d_i, *where), text) for where, text in _nesting_problems(d))
    for h_i, hop in enumerate(contract.hops):
        base = ("hops", h_i)
        ref((*base, "dataset"), hop.dataset, datasets, "dataset")
        ref((*base, "channel"), hop.channel, channels, "channel")
        for k, party in enumerate(hop.sender):
            ref((*base, "from", k), party, parties, "party")
        for k, party in enumerate(hop.receiver):
            ref((*base, "to", k), party, parties, "party")
    encoders = [f"{d.id}.{c.name}" for d in contract.datasets for c in d.columns]
    encoders += [r.id for d in contract.datasets for r in d.rules]
    encoders += [v.id for v in contract.invariants]
    encoders += [f"{d.id}.file" for d in contract.datasets if d.file is not None]
    unique_ids("items", [item.id for item in contract.items])
    for i_i, item in enumerate(contract.items):
        for e_i, name in enumerate(item.encoded_by):
            ref(("items", i_i, "encoded_by", e_i), name, encoders, "column, rule or invariant")
        for p_i, part in enumerate(item.parts):
            for e_i, name in enumerate(part.encoded_by):
                ref(
                    ("items", i_i, "parts", p_i, "encoded_by", e_i),
                    name,
                    encoders,
                    "column, rule or invariant",
                )
        if item.status in ("encoded", "partial") and not item.encoded_by:
            problems.append(
                (
                    ("items", i_i),
                    f"item {item.id!r} is {item.status} but names nothing that encodes it",
                )
            )
    for m_i, milestone in enumerate(contract.milestones):
        if milestone.party is not None:
            ref(("milestones", m_i, "party"), milestone.party, parties, "party")
    for d_i, detector in enumerate(contract.detectors):
        if detector.pattern is not None:
            try:
                re.compile(detector.pattern)
            except re.error as exc:
                problems.append((("detectors", d_i, "pattern"), f"pattern does not compile: {exc}"))

    if problems:
        lines = []
        first: Location | None = None
        for path, text in problems:
            line_col = marks.get(path)
            while line_col is None and path:
                path = path[:-1]
                line_col = marks.get(path)
            location = Location(filename, *(line_col or (None, None)))
            first = first or location
            lines.append(f"{location}: {text}")
        if len(lines) == 1:
            raise ContractError(problems[0][1], first)
        raise ContractError(f"{len(lines)} problems:\n  " + "\n  ".join(lines), first)


# What a column accepted by reference is scanned for, whatever it is called (finding: "by
# reference is not an open door"): national numbers and contact data.
BY_REFERENCE_SCANS = ("insz", "email", "phone")


def _by_reference_problems(contract: model.Contract, d: model.Dataset) -> list[tuple[Path_, str]]:
    out: list[tuple[Path_, str]] = []
    if d.columns_by_reference is not None:
        scanned = {
            det.detector
            for rule in d.rules
            if isinstance(rule, model.ForbiddenContentRule)
            for name in rule.detect
            if (det := contract.detector(name)) is not None
        }
        lacking = [kind for kind in BY_REFERENCE_SCANS if kind not in scanned]
        if lacking:
            out.append(
                (
                    ("columns_by_reference",),
                    f"{d.id} accepts columns by reference, so a forbidden_content rule must scan "
                    f"them for {', '.join(lacking)} (a detector of that kind)",
                )
            )
    ref = d.retention_reference
    if ref is not None:
        date = d.column(ref.column)
        if date is None or date.type not in ("date", "datetime"):
            out.append(
                (
                    ("retention_reference", "column"),
                    f"retention_reference column {ref.column!r} must be a date or datetime "
                    f"column of {d.id}",
                )
            )
        if ref.positive is not None:
            amount = d.column(ref.positive)
            if amount is None or amount.type not in ("integer", "number"):
                out.append(
                    (
                        ("retention_reference", "positive"),
                        f"retention_reference positive {ref.positive!r} must be an integer or "
                        f"number column of {d.id}",
                    )
                )
    return out


def _age_rule_problems(d: model.Dataset, rule: model.AgeBetweenRule) -> list[str]:
    out: list[str] = []
    column = d.column(rule.column)
    if column is not None and column.type != "string":
        out.append(f"age_between reads a national number: column {rule.column!r} must be a string")
    if rule.reference_column is not None:
        ref = d.column(rule.reference_column)
        if ref is not None and ref.type not in ("date", "datetime"):
            out.append(f"reference_column {rule.reference_column!r} must be a date or datetime")
    return out


def _nesting_problems(d: model.Dataset) -> list[tuple[Path_, str]]:
    """A nested dataset: every column has a path, the paths differ, and the arrays form one
    chain (each array inside the previous one), so that a document flattens to one table."""
    paths = [c.path for c in d.columns]
    if all(p is None for p in paths):
        return []
    out: list[tuple[Path_, str]] = []
    for c_i, c in enumerate(d.columns):
        if c.path is None:
            out.append(
                (
                    ("columns", c_i),
                    f"column {c.name!r} has no path: a nested dataset gives every column one",
                )
            )
    given = [p for p in paths if p is not None]
    for c_i, c in enumerate(d.columns):
        if c.path is not None and given.count(c.path) > 1:
            out.append((("columns", c_i, "path"), f"path {c.path!r} is given to two columns"))
    arrays = sorted(
        {p[: i + 2] for p in given for i in range(len(p)) if p[i : i + 2] == "[]"}, key=len
    )
    for shorter, longer in itertools.pairwise(arrays):
        if not longer.startswith(shorter + "."):
            out.append(
                (
                    (),
                    f"arrays {shorter!r} and {longer!r} are not nested in one another: "
                    "a nested dataset has one chain of arrays",
                )
            )
    scalars = set(given)
    for p in given:
        parts = p.split(".")
        for i in range(1, len(parts)):
            prefix = ".".join(parts[:i])
            if prefix in scalars or prefix.removesuffix("[]") in scalars:
                out.append(((), f"path {prefix!r} is both a value and holds {p!r}"))
    if d.file is not None and d.file.formats and set(d.file.formats) != {"json"}:
        out.append((("file", "formats"), "a nested dataset is read from JSON files only"))
    return out


def _rule_columns(rule: model.Rule) -> list[tuple[str, str]]:
    """(field, column) pairs a rule refers to, for reference checks."""
    out: list[tuple[str, str]] = []
    for field_name in ("column", "total", "limit", "flag", "count", "equals", "reference_column"):
        value = getattr(rule, field_name, None)
        if isinstance(value, str):
            out.append((field_name, value))
    for column in getattr(rule, "columns", ()) or ():
        out.append(("columns", column))
    for column in getattr(rule, "except_columns", ()) or ():
        out.append(("except_columns", column))
    return out


def suggest(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' for a near miss of a known name, else ''."""
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""
