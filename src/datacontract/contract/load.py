"""YAML -> Contract, with errors that point at `contract.yaml:12:5`.

The YAML is composed into nodes first so that every key and value keeps its line and column;
pydantic then checks the shape, and references.py checks that names point at things the
contract declares. A typo in a key gets a suggestion from the keys the format knows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from datacontract import limits
from datacontract.contract import model
from datacontract.contract.explain import explain
from datacontract.contract.references import Path_, check_references
from datacontract.contract.yaml_limits import LOADER, Budget, check_nesting
from datacontract.errors import ContractError, Location


@dataclass(frozen=True)
class LoadedContract:
    """A contract together with where it came from and the hash of its bytes."""

    contract: model.Contract
    path: str
    sha256: str


def load_contract(path: str | Path) -> LoadedContract:
    """Read and check a contract file; raise ContractError naming file:line:column."""
    document = read_yaml(path)
    contract = contract_from_data(document.data, document.marks, document.path)
    return LoadedContract(contract, document.path, document.sha256)


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file as Python data (aliases and merge keys resolved, dates as datetime.date),
    with the line and column (1-based) of every value and key: `marks[path]`, where a path is
    a tuple of keys and list indexes, and `marks[(*path, key, "<key>")]` is where a key is."""

    data: Any
    marks: dict[Path_, tuple[int, int]]
    path: str
    sha256: str


def read_yaml(path: str | Path, what: str = "contract") -> YamlDocument:
    """Read a YAML file within the limits of a contract (limits.CONTRACT_BYTES, nesting, alias
    expansion); raise ContractError naming the file (and line:column) for a missing,
    unreadable, oversized, non-UTF-8 or non-YAML file. `what` names it in messages."""
    path = Path(path)
    try:
        raw = limits.read_regular(path, limits.CONTRACT_BYTES, f"a {what}")
    except FileNotFoundError:
        raise ContractError(f"{what} file not found", Location(str(path))) from None
    except (limits.NotRegularFile, limits.TooLarge) as exc:
        raise ContractError(f"the {what} {exc.strerror}", Location(str(path))) from None
    except OSError as exc:
        raise ContractError(f"cannot read {what}: {exc.strerror}", Location(str(path))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContractError(
            f"{what} is not UTF-8 (byte {exc.start})", Location(str(path))
        ) from None
    data, marks = _compose(text, str(path))
    return YamlDocument(data, marks, str(path), hashlib.sha256(raw).hexdigest())


def parse_contract(text: str, filename: str = "<contract>") -> model.Contract:
    """A contract from YAML text; ContractError at `filename:line:col` when it is not one."""
    data, marks = _compose(text, filename)
    return contract_from_data(data, marks, filename)


def contract_from_data(
    data: Any, marks: dict[Path_, tuple[int, int]], filename: str
) -> model.Contract:
    """The Contract of YAML data (read_yaml's), its shape and references checked; raise
    ContractError at `filename:line:column` (from `marks`) for the first problems."""
    if not isinstance(data, dict):
        raise ContractError("a contract is a mapping of keys", Location(filename, 1, 1))
    try:
        contract = model.Contract.model_validate(data)
    except ValidationError as exc:
        raise explain(exc, data, marks, filename) from None
    check_references(contract, marks, filename)
    return contract


# -- YAML with positions ----------------------------------------------------------------------


def _compose(text: str, filename: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    try:
        check_nesting(text, filename)
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContractError(
            f"not valid YAML: {exc.problem or exc.context}", Location(filename, line, col)
        ) from None
    except yaml.reader.ReaderError as exc:
        # A control character or another character YAML does not allow: say where, not what.
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        column = exc.position - (text.rfind("\n", 0, max(exc.position, 0)) + 1) + 1
        raise ContractError(
            f"not valid YAML: character U+{exc.character:04X} is not allowed in YAML"
            if isinstance(exc.character, int)
            else "not valid YAML: a character YAML does not allow",
            Location(filename, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise ContractError(f"not valid YAML ({type(exc).__name__})", Location(filename)) from None
    if node is None:
        raise ContractError("contract file is empty", Location(filename))
    marks: dict[Path_, tuple[int, int]] = {}
    budget = Budget(filename)
    return _to_python(node, (), marks, budget, yaml.SafeLoader("")), marks


_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _to_python(
    node: yaml.Node,
    path: Path_,
    marks: dict[Path_, tuple[int, int]],
    budget: Budget,
    scalars: yaml.SafeLoader,
) -> Any:
    budget.enter(node, len(path))
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    filename = budget.filename
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if node.tag not in _COLLECTION_TAGS:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            raise ContractError(
                f"not valid YAML: the tag {node.tag!r} is not allowed in a contract",
                Location(filename, line, col),
            )
        outer = budget.open
        budget.open = outer | {id(node)}
        try:
            if isinstance(node, yaml.SequenceNode):
                return [
                    _to_python(item, (*path, i), marks, budget, scalars)
                    for i, item in enumerate(node.value)
                ]
            return _mapping(node, path, marks, budget, scalars)
        finally:
            budget.open = outer
    try:
        return scalars.construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError, TypeError):
        # e.g. 2025-02-30: a date that does not exist; the value itself is not repeated
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        raise ContractError(
            f"the value of tag {node.tag.rsplit(':', 1)[-1]!r} cannot be read (a date that does "
            "not exist, or a number out of range?)",
            Location(filename, line, col),
        ) from None


def _mapping(
    node: yaml.MappingNode,
    path: Path_,
    marks: dict[Path_, tuple[int, int]],
    budget: Budget,
    scalars: yaml.SafeLoader,
) -> dict[str, Any]:
    filename = budget.filename
    out: dict[str, Any] = {}
    # YAML merge keys (`<<: *anchor`) first, so that explicit keys override them.
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                merged = _to_python(source, path, marks, budget, scalars)
                if not isinstance(merged, dict):
                    line, col = source.start_mark.line + 1, source.start_mark.column + 1
                    raise ContractError("'<<' merges mappings only", Location(filename, line, col))
                for key, value in merged.items():
                    out.setdefault(key, value)
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    explicit: set[str] = set()
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise ContractError("a key must be a plain name", Location(filename, line, col))
        key = key_node.value
        if key in explicit:
            raise ContractError(f"key {key!r} appears twice", Location(filename, line, col))
        marks[(*path, key, "<key>")] = (line, col)
        explicit.add(key)
        out[key] = _to_python(value_node, (*path, key), marks, budget, scalars)
    return out
