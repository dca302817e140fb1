"""YAML -> Contract, with errors that point at `contract.yaml:12:5`.

The YAML is composed into nodes first so that every key and value keeps its line and column;
pydantic then checks the shape, and references.py checks that names point at things the
contract declares. A typo in a key gets a suggestion from the keys the format knows.
"""

from __future__ import annotations

import difflib
import hashlib
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from datacontract import limits
from datacontract.contract import model
from datacontract.contract.references import Path_, check_references, unknown
from datacontract.contract.references import shown as shown_name
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
        raise _explain(exc, data, marks, filename) from None
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


def _keys_at(loc: tuple[Any, ...]) -> list[str] | None:
    """The keys of the model at a pydantic error location (`("datasets", 0, "rules", 3,
    "at_most")`: an at_most rule's), or None; a misspelt key is matched against these first."""
    here: Any = model.Contract
    for part in (p for p in loc if isinstance(p, str)):  # an int is a list's item: same model
        options = list(dict.fromkeys(_models_in(here)))
        tagged = [m for m in options if len(options) > 1 and part in _tags(m)]  # a union's
        having = tagged or [m for m in options if part in m.model_fields]
        if len(having) != 1:
            return None
        here = having[0] if tagged else having[0].model_fields[part].annotation
    found = list(dict.fromkeys(_models_in(here)))
    return [f.alias or n for n, f in found[0].model_fields.items()] if len(found) == 1 else None


def _listing(keys: list[str] | None) -> str:
    """'; known keys: a, b, c' when the model at the error is known (no near match was)."""
    return f"; known keys: {', '.join(sorted(keys))}" if keys else ""


def _tags(cls: type[BaseModel]) -> set[Any]:
    """The values of a model's Literal fields: its tag in a union (a rule's kind)."""
    fields = [f.annotation for f in cls.model_fields.values()]
    return {v for f in fields if typing.get_origin(f) is typing.Literal for v in typing.get_args(f)}


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


def describe_path(path: Path_, data: Any) -> str:
    """A readable name for a place: datasets[dataset_4].columns[email]."""
    out: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part]
            name = item.get("id") or item.get("name") if isinstance(item, dict) else None
            label = _segment(str(name)) if name else part
            out[-1] = f"{out[-1]}[{label}]" if out else f"[{part}]"
            node = item
        else:
            out.append(_segment(str(part)))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out) or "contract"


def _segment(name: str) -> str:
    """A key or id as a place may be named by: withheld when it looks like personal data."""
    return name if shown_name(name) == repr(name) else "(withheld)"


def _explain(
    exc: ValidationError, data: Any, marks: dict[Path_, tuple[int, int]], filename: str
) -> ContractError:
    messages: list[tuple[Location, str]] = []
    known = _known_keys()
    errors = exc.errors()[:200]  # a hostile contract can have a million: explain the first
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
            here = _keys_at(loc[:-1])
            hint = difflib.get_close_matches(key, sorted(here or known), n=1, cutoff=0.6)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else _listing(here)
            text = f"unknown key {shown_name(key)} in {describe_path(parent, data)}{suggestion}"
        elif kind == "missing":
            key = str(loc[-1])
            parent = _data_path(loc[:-1], data)
            line_col = marks.get(parent)
            what = describe_path(parent, data)
            if key == "article":
                text = f"{what} has no article citation: every column and rule cites its article"
            else:
                text = f"{what} misses required key {key!r}"
        elif kind == "union_tag_invalid":
            # An unknown kind of a rule (or of any union chosen by a key): at the key's value,
            # with a suggestion and the known kinds.
            ctx = err.get("ctx", {})
            key = str(ctx.get("discriminator", "kind")).strip("'")
            tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
            parent = _data_path(loc, data)
            line_col = marks.get((*parent, key)) or marks.get(parent)
            what = describe_path((*parent, key), data)
            text = f"{what}: {unknown(key, str(ctx.get('tag', '')), sorted(tags))}"
        else:
            path = _data_path(loc, data)
            line_col = marks.get(path)
            text = f"{describe_path(path, data)}: {err['msg']}"
        messages.append((Location(filename, *(line_col or (None, None))), text))
    messages.sort(key=lambda m: (m[0].line or 0, m[0].column or 0))
    if len(messages) == 1:
        return ContractError(messages[0][1], messages[0][0])
    shown = [f"{where}: {text}" for where, text in messages[:50]]
    if len(messages) > 50:
        shown.append(f"... and {len(messages) - 50} more")
    listing = "\n  ".join(shown)
    return ContractError(f"{len(messages)} problems:\n  {listing}", messages[0][0])
