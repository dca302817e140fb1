"""`datacontract lint`: a contract checked without touching data, in three stages.

1. the JSON Schema of the format (contract/schema.py, `schemas/contract.schema.json`): unknown
   keys (with the nearest known key), wrong types, missing keys (every column and rule cites
   its article), patterns, unknown rule kinds;
2. the loader's own rules (contract/load.py, references.py): every name points at something
   the contract declares, no id twice, coherent columns (`show_values` needs `values`), ...;
3. coverage (contract/coverage.py): every article-3 item is encoded (or says why not), and
   none claims more than it encodes.

A stage runs when the one before it found nothing (a contract of the wrong shape has no names
to resolve). Every problem names `file:line:column` and the key (`datasets[dataset_1].columns
[insz].article`). A file that cannot be read as YAML is a ContractError (exit 2), not a
problem: lint has nothing to say about it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from datacontract.contract import model
from datacontract.contract.coverage import coverage
from datacontract.contract.explain import describe_path, reused
from datacontract.contract.load import contract_from_data, read_yaml
from datacontract.contract.references import Path_, shown, unknown
from datacontract.contract.schema import contract_schema, json_ready
from datacontract.errors import ContractError, Location

STAGES = ("schema", "loader", "coverage")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a contract: where, which key, what, found by which stage."""

    location: Location
    key: str
    message: str
    stage: str

    def __str__(self) -> str:
        return f"{self.location}: {self.key}: {self.message}"


@dataclass(frozen=True)
class Lint:
    """What `lint_contract` found: no problems means the contract holds to the format."""

    path: str
    problems: tuple[Problem, ...]
    contract: model.Contract | None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def lint_contract(path: str) -> Lint:
    """Lint the contract at `path`; raise ContractError only when it is not readable YAML."""
    document = read_yaml(path)
    problems = schema_problems(document.data, document.marks, document.path)
    if problems:
        return Lint(document.path, tuple(problems), None)
    try:
        contract = contract_from_data(document.data, document.marks, document.path)
    except ContractError as exc:
        problems = _loader_problems(exc, document.data, document.marks, document.path)
        return Lint(document.path, tuple(problems), None)
    problems, warnings = _coverage_problems(contract, document.marks, document.path)
    problems = _todo_problems(document.data, document.marks, document.path) + problems
    return Lint(document.path, tuple(problems), contract, tuple(warnings))


# -- stage 1: the JSON Schema ------------------------------------------------------------------


def schema_problems(data: Any, marks: dict[Path_, tuple[int, int]], filename: str) -> list[Problem]:
    """Every place where `data` (a contract read from YAML) breaks the JSON Schema."""
    validator = jsonschema.Draft202012Validator(contract_schema())
    found: dict[tuple[Location, str], list[str]] = {}
    for error in validator.iter_errors(json_ready(data)):
        for path, message in _explain(validator, error):
            problem = _problem(path, message, data, marks, filename, "schema")
            found.setdefault((problem.location, message), []).append(problem.key)
    # A node reached by a YAML alias or `<<` merge breaks the schema once per path to it: one
    # problem, at the node's place, naming the other paths.
    out = [
        Problem(where, keys[0], message + reused(keys), "schema")
        for (where, message), keys in found.items()
    ]
    out.sort(key=lambda p: (p.location.line or 0, p.location.column or 0))
    return out


def _explain(
    validator: jsonschema.protocols.Validator, error: ValidationError
) -> Iterator[tuple[Path_, str]]:
    """(path, message) for one error, with a message of ours: never a long dump of values."""
    path: Path_ = tuple(error.absolute_path)
    kind, expected, instance, schema = _parts(error)
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = sorted(schema.get("properties", {}))
        for key in instance:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
                if not hint and known:
                    suggestion = f"; known keys: {', '.join(known)}"
                yield (*path, key, "<key>"), f"unknown key {shown(str(key))}{suggestion}"
    elif kind == "required" and isinstance(instance, dict):
        unknown = [k for k in instance if k not in schema.get("properties", {})]
        for key in expected:
            # A misspelt key is unknown and leaves a required key missing: said once, as
            # unknown, with the suggestion.
            if key not in instance and not difflib.get_close_matches(key, unknown, n=1, cutoff=0.6):
                yield (
                    path,
                    (
                        "has no article citation: every column and rule cites its article"
                        if key == "article"
                        else f"misses required key {key!r}"
                    ),
                )
    elif kind == "oneOf" and "discriminator" in schema:
        yield from _one_rule(validator, error, path)
    elif kind == "anyOf":
        kinds = sorted({t for e in error.context or () if e.validator == "type" for t in _types(e)})
        # a branch that got into the value (an item of a list), or that has the value's type
        # but breaks it otherwise, says what is wrong: the others only say it is not theirs
        branch = [e for e in error.context or () if e.validator != "type" or e.relative_path]
        if branch:
            yield from _explain(validator, branch[0])
        else:
            yield (
                path,
                f"must be {' or '.join(_a(t) for t in kinds)}, not {_a(_json_type(instance))}",
            )
    elif kind == "type":
        yield (
            path,
            f"must be {' or '.join(_a(t) for t in _types(error))}, not {_a(_json_type(instance))}",
        )
    elif kind in ("enum", "const"):
        allowed = [str(a) for a in (expected if kind == "enum" else [expected])]
        near = (
            difflib.get_close_matches(instance, allowed, n=1, cutoff=0.6)
            if isinstance(instance, str)
            else []
        )
        suggestion = f"; did you mean {near[0]!r}?" if near else ""
        yield path, f"must be one of: {', '.join(allowed)}{suggestion}"
    elif kind == "pattern":
        yield path, f"does not match the pattern {expected}"
    elif kind == "minItems":
        yield path, f"needs at least {expected} item(s)"
    elif kind == "minLength":
        yield (
            path,
            "must not be empty" if expected == 1 else f"needs {expected} characters at least",
        )
    elif kind == "minimum":
        yield path, f"must be at least {expected}"
    else:
        yield path, f"breaks the schema's {kind!r} rule"


def _one_rule(
    validator: jsonschema.protocols.Validator, error: ValidationError, path: Path_
) -> Iterator[tuple[Path_, str]]:
    """A dataset rule: its `kind` chooses the schema it is checked against."""
    _, _, instance, schema = _parts(error)
    mapping: dict[str, str] = schema["discriminator"]["mapping"]
    kind = instance.get("kind") if isinstance(instance, dict) else None
    what = "invariant" if "invariants" in path else "rule"
    if not isinstance(kind, str) or kind not in mapping:
        where = (*path, "kind") if isinstance(instance, dict) and "kind" in instance else path
        if isinstance(kind, str):
            yield where, unknown(f"{what} kind", kind, sorted(mapping))
        else:
            article = "an" if what == "invariant" else "a"
            yield where, f"{article} {what}'s kind is one of: {', '.join(sorted(mapping))}"
        return
    branch = validator.evolve(schema={"$ref": mapping[kind]})
    for sub in branch.iter_errors(instance):
        for sub_path, message in _explain(validator, sub):
            yield (*path, *sub_path), message


def _parts(error: ValidationError) -> tuple[str, Any, Any, dict[str, Any]]:
    """The keyword that failed, its value in the schema, the instance, the (sub)schema."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    expected: Any = error.validator_value
    instance: Any = error.instance
    return str(error.validator), expected, instance, dict(schema)


def _types(error: ValidationError) -> list[str]:
    value: Any = error.validator_value
    return [value] if isinstance(value, str) else list(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _a(kind: str) -> str:
    return {"null": "null", "array": "a list", "object": "a mapping"}.get(
        kind, f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
    )


def _problem(
    path: Path_,
    message: str,
    data: Any,
    marks: dict[Path_, tuple[int, int]],
    filename: str,
    stage: str,
) -> Problem:
    line_col = marks.get(path)
    probe = path
    while line_col is None and probe:
        probe = probe[:-1]
        line_col = marks.get(probe)
    key_path = tuple(p for p in path if p != "<key>")
    return Problem(
        Location(filename, *(line_col or (None, None))),
        describe_path(key_path, data),
        message,
        stage,
    )


# -- stage 2: the loader -----------------------------------------------------------------------

_LISTED = re.compile(r"^\s+(?P<line>\d+)(?::(?P<col>\d+))?: (?P<text>.*)$")


def _loader_problems(
    exc: ContractError, data: Any, marks: dict[Path_, tuple[int, int]], filename: str
) -> list[Problem]:
    """The loader's error as problems: one per line of its listing (`N problems:`), each
    with the key found at its line and column."""
    lines = exc.detail.splitlines()
    if len(lines) == 1 or not re.match(r"^\d+ problems:$", lines[0]):
        where = exc.location or Location(filename)
        return [Problem(where, _key_at(where, data, marks), exc.detail, "loader")]
    out = []
    prefix = f"{filename}:"
    for line in lines[1:]:
        rest = line.strip()
        match = _LISTED.match(" " + rest[len(prefix) :]) if rest.startswith(prefix) else None
        if match is None:
            where = exc.location or Location(filename)
            out.append(Problem(where, _key_at(where, data, marks), rest, "loader"))
            continue
        col = int(match["col"]) if match["col"] else None
        where = Location(filename, int(match["line"]), col)
        out.append(Problem(where, _key_at(where, data, marks), match["text"], "loader"))
    return out


def _key_at(where: Location, data: Any, marks: dict[Path_, tuple[int, int]]) -> str:
    """The key of the deepest value that starts at `where` ('contract' if none does)."""
    paths = [
        tuple(p for p in path if p != "<key>")
        for path, mark in marks.items()
        if mark == (where.line, where.column)
    ]
    return describe_path(max(paths, key=len), data) if paths else "contract"


# -- stage 3: coverage -------------------------------------------------------------------------


def _todo_problems(data: Any, marks: dict[Path_, tuple[int, int]], filename: str) -> list[Problem]:
    """Every value a draft left `TODO` (contract/draft.py), at its line: an article to cite, a
    title, a name to write."""
    out: list[Problem] = []

    def walk(node: Any, path: Path_) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))
        elif isinstance(node, str) and (node.strip() == "TODO" or node.startswith("TODO:")):
            what = (
                "still TODO: cite the protocol's article"
                if path and path[-1] == "article"
                else "still TODO: fill it in"
            )
            out.append(_problem(path, what, data, marks, filename, "coverage"))

    walk(data, ())
    return out


def _coverage_problems(
    contract: model.Contract, marks: dict[Path_, tuple[int, int]], filename: str
) -> tuple[list[Problem], list[str]]:
    cov = coverage(contract)
    out: list[Problem] = []
    if not contract.items:
        out.append(
            Problem(
                Location(filename, 1, 1),
                "items",
                "the contract lists no article-3 items (what may cross, and what encodes it)",
                "coverage",
            )
        )
    for i, item in enumerate(contract.items):
        key = f"items[{item.id}]"
        where = Location(filename, *(marks.get(("items", i)) or (None, None)))
        if item.status == "not_encoded":
            out.append(
                Problem(
                    where,
                    key,
                    "is not encoded: encode it, or say it is partial and what is missing",
                    "coverage",
                )
            )
        elif item.status == "encoded" and item.uncovered:
            parts = "; ".join(item.uncovered)
            out.append(
                Problem(where, key, f"is marked encoded, but nothing encodes: {parts}", "coverage")
            )
    warnings = [
        f"column {name} crosses a boundary and no article-3 item names it" for name in cov.unlisted
    ]
    return out, warnings
