"""pydantic's errors about a contract, said as a data manager reads them: each fault once.

pydantic reports a fault once per path that reaches it, and adds lines that are only its echo.
`explain` turns its list into ContractError lines `file:line:col: place: what`, where

- a value reached through a YAML alias (`*ua`) or a merge key (`<<: *svc`) is one node with one
  place (the anchor's line and column): its fault is said once, naming the other places that
  reuse it (`reused`);
- a union lists a failure per branch: a branch that failed on the value's own type is dropped
  when another branch got further into the value (a nested fault), and the type failures left
  at one place are one sentence (`must be a string or an integer, not a list`);
- a length or type line that only echoes a nested fault (`Tuple should have at least 1 item
  after validation`, `Input should be a valid dictionary`) is dropped;
- a misspelt key is said once, as unknown with the key meant, not also as a missing key;
- a value outside a fixed list (`type: strng`) gets the nearest known value.

No pydantic wording is left where it has a sentence of ours; a value is shown only as
references.shown shows a name (withheld when it looks like personal data).
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from datacontract.contract import model
from datacontract.contract.references import Path_, shown, unknown
from datacontract.errors import ContractError, Location

PLACE = "\0"  # where the place's name goes in a sentence, filled in once faults are merged
SHOWN_PLACES = 3  # the other places a reused node is named by, at most

# pydantic's error types that say "the value is not of this type", and the type, as said
_TYPES = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
    "set_type": "a list",
    "iterable_type": "a list",
    "none_required": "empty (null)",
    "date_type": "a date",
    "date_parsing": "a date",
    "date_from_datetime_parsing": "a date",
    "datetime_type": "a date and time",
    "datetime_parsing": "a date and time",
}
# errors about a whole list or mapping: an echo of a fault inside it when there is one
_ECHOES = {*_TYPES, "too_short", "too_long"}


def explain(
    exc: ValidationError, data: Any, marks: dict[Path_, tuple[int, int]], filename: str
) -> ContractError:
    """One ContractError for pydantic's errors about contract `data` (read_yaml's, with its
    `marks`): each fault once, at `filename:line:column`, sorted by place; at most 50 listed."""
    errors = [(e, _data_path(tuple(e["loc"]), data)) for e in exc.errors()[:200]]
    errors = _without_echoes(errors)
    said: dict[tuple[Location, str], list[Path_]] = {}
    for where, path, text in _sentences(errors, data, marks, filename):
        said.setdefault((where, text), []).append(path)
    messages = [(where, _fill(text, paths, data)) for (where, text), paths in said.items() if paths]
    messages.sort(key=lambda m: (m[0].line or 0, m[0].column or 0))
    if len(messages) == 1:
        return ContractError(messages[0][1], messages[0][0])
    shown_lines = [f"{where}: {text}" for where, text in messages[:50]]
    if len(messages) > 50:
        shown_lines.append(f"... and {len(messages) - 50} more")
    listing = "\n  ".join(shown_lines)
    return ContractError(f"{len(messages)} problems:\n  {listing}", messages[0][0])


def reused(places: list[str]) -> str:
    """'' for one place; for a node reached from more places (a YAML alias or `<<` merge), the
    words that name the others: ` (the same YAML node, reused by alias or '<<' merge, is also
    at 6 more places: a, b, c, ...)`."""
    others = list(dict.fromkeys(places[1:]))
    if not others:
        return ""
    named = ", ".join(others[:SHOWN_PLACES]) + (", ..." if len(others) > SHOWN_PLACES else "")
    count = "1 more place" if len(others) == 1 else f"{len(others)} more places"
    return f" (the same YAML node, reused by alias or '<<' merge, is also at {count}: {named})"


def _fill(text: str, paths: list[Path_], data: Any) -> str:
    places = list(dict.fromkeys(describe_path(p, data) for p in paths))
    return text.replace(PLACE, places[0]) + reused(places)


def _without_echoes(errors: list[tuple[ErrorDetails, Path_]]) -> list[tuple[ErrorDetails, Path_]]:
    """Drop what only echoes another fault: a type or length error at a place with an error
    deeper inside it (the union branch that got into the value, or the list whose item failed
    says what is wrong), and a type error at a place where another branch of a union took the
    value and found something else wrong with it (`columns: []`: too short, not "not a
    string")."""

    def echoes(err: ErrorDetails, path: Path_) -> bool:
        if err["type"] not in _ECHOES:
            return False
        for other, at in errors:
            if len(at) > len(path) and at[: len(path)] == path:
                return True
            if at == path and err["type"] in _TYPES and other["type"] not in _TYPES:
                return True
        return False

    return [(err, path) for err, path in errors if not echoes(err, path)]


def _sentences(
    errors: list[tuple[ErrorDetails, Path_]],
    data: Any,
    marks: dict[Path_, tuple[int, int]],
    filename: str,
) -> Iterable[tuple[Location, Path_, str]]:
    """(where, the place's path, the sentence with PLACE for the place's name) per fault."""
    known = _known_keys()
    # A misspelt key shows up twice: as unknown, and as the required key it was meant to be.
    misspelt = [
        (path[:-1], str(e["loc"][-1])) for e, path in errors if e["type"] == "extra_forbidden"
    ]
    types: dict[Path_, list[str]] = {}
    for err, path in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "missing" and any(
            parent == path and difflib.get_close_matches(str(loc[-1]), [extra], n=1, cutoff=0.6)
            for parent, extra in misspelt
        ):
            continue
        if kind in _TYPES:
            types.setdefault(path, []).append(_TYPES[kind])
            continue
        if kind == "extra_forbidden":
            key = str(loc[-1])
            parent = path[:-1]
            line_col = marks.get((*parent, key, "<key>")) or marks.get(parent)
            here = _keys_at(loc[:-1])
            hint = difflib.get_close_matches(key, sorted(here or known), n=1, cutoff=0.6)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else _listing(here)
            text, path = f"unknown key {shown(key)} in {PLACE}{suggestion}", parent
        elif kind == "missing":
            key = str(loc[-1])
            line_col = marks.get(path)
            if key == "article":
                text = f"{PLACE} has no article citation: every column and rule cites its article"
            else:
                text = f"{PLACE} misses required key {key!r}"
        elif kind == "union_tag_invalid":
            # An unknown kind of a rule (or of any union chosen by a key): at the key's value,
            # with a suggestion and the known kinds.
            ctx = err.get("ctx", {})
            key = str(ctx.get("discriminator", "kind")).strip("'")
            tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
            path = (*path, key)
            line_col = marks.get(path) or marks.get(path[:-1])
            text = f"{PLACE}: {unknown(key, str(ctx.get('tag', '')), sorted(tags))}"
        elif kind == "union_tag_not_found":
            # No kind at all: which kinds there are
            key = str(err.get("ctx", {}).get("discriminator", "kind")).strip("'")
            line_col = marks.get(path)
            listed = ", ".join(_tags_at(loc)) or "?"
            text = f"{PLACE} misses required key {key!r}, one of: {listed}"
        else:
            line_col = marks.get(path)
            text = f"{PLACE}: {_said(err, path)}"
        yield Location(filename, *(line_col or (None, None))), path, text
    for path, expected in types.items():
        where = Location(filename, *(marks.get(path) or (None, None)))
        wanted = " or ".join(dict.fromkeys(expected))
        yield where, path, f"{PLACE}: must be {wanted}, not {_kind_of(_value_at(path, data))}"


def _said(err: ErrorDetails, path: Path_) -> str:
    """Our sentence for one pydantic error that is not about a key or a type."""
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "literal_error":
        options = [
            o.strip().strip("'")
            for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        what = str(path[-1]) if path and isinstance(path[-1], str) else "value"
        value = err.get("input")
        if isinstance(value, str):
            return unknown(what, value, options)
        return f"must be one of: {', '.join(options)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"may have {ctx.get('max_length')} item(s) at most"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"does not match the pattern {ctx.get('pattern')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }
        return f"must be {words[kind]} {bound}"
    message = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _value_at(path: Path_, data: Any) -> Any:
    node = data
    for part in path:
        node = node[part]  # _data_path keeps only the parts that are in the data
    return node


def _kind_of(value: Any) -> str:
    """What a YAML value is, by its type only (never the value)."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


# -- places and keys ----------------------------------------------------------------------------


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


def _annotation_at(loc: tuple[Any, ...]) -> Any:
    """The type the model expects at a pydantic error location (`("datasets", 0, "rules", 3,
    "at_most")`: an at_most rule), or None when the location does not lead to one."""
    here: Any = model.Contract
    for part in (p for p in loc if isinstance(p, str)):  # an int is a list's item: same model
        options = list(dict.fromkeys(_models_in(here)))
        tagged = [m for m in options if len(options) > 1 and part in _tags(m)]  # a union's
        having = tagged or [m for m in options if part in m.model_fields]
        if len(having) != 1:
            return None
        here = having[0] if tagged else having[0].model_fields[part].annotation
    return here


def _keys_at(loc: tuple[Any, ...]) -> list[str] | None:
    """The keys of the model at a pydantic error location, or None; a misspelt key is matched
    against these first."""
    found = list(dict.fromkeys(_models_in(_annotation_at(loc))))
    return [f.alias or n for n, f in found[0].model_fields.items()] if len(found) == 1 else None


def _tags_at(loc: tuple[Any, ...]) -> list[str]:
    """The tags of the union at a pydantic error location (a rule's kinds), sorted."""
    options = list(dict.fromkeys(_models_in(_annotation_at(loc))))
    return sorted({str(t) for m in options for t in _tags(m)}) if len(options) > 1 else []


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
    return name if shown(name) == repr(name) else "(withheld)"
