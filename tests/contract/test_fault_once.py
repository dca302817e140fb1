"""A contract fault is said once, at its file:line:col, with a did-you-mean and in our words.

pydantic's error list misleads in kinds, each made here from the five shipped contracts:
- a node reused by a YAML alias (`*ua`) or a merge key (`<<: *svc`): one line per path to it;
- an echo of a nested fault at the place above it (`Tuple should have at least 1 item after
  validation`, `Input should be a valid dictionary`);
- a union that lists every branch (`Input should be a valid string` and `... integer`);
- internals (`Unable to extract tag using discriminator`, `Input should be ...`).
`load_contract` (every command that reads a contract) and `lint` must say each fault once.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import ROOT, run_cli

from datacontract.contract.lint import lint_contract, schema_problems
from datacontract.contract.load import contract_from_data, load_contract, read_yaml
from datacontract.errors import ContractError

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
# pydantic's own wording: none of it may reach a data manager
INTERNALS = re.compile(
    r"Input should|should have at least|after validation|Unable to extract|Value error|"
    r"valid dictionary|Field required|Extra inputs|pydantic|type="
)
BOOLEANS = ("required", "nullable", "show_values", "by_reference", "unique")


def _swap(word: str) -> str:
    """A typing slip: the last two letters swapped (`category` -> `categoyr`)."""
    return word[:-2] + word[-1] + word[-2]


def _problem_lines(error: ContractError) -> list[str]:
    lines = str(error).splitlines()
    return [line.strip() for line in lines[1:]] if re.search(r"\d+ problems:$", lines[0]) else lines


def _shared_mappings(path: Path) -> Iterator[tuple[yaml.MappingNode, int]]:
    """Every mapping node of the file reached from more than one place (an anchor used by an
    alias or a `<<` merge), with the number of places it is reached from."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    reached: dict[int, list[yaml.Node]] = {}

    def walk(node: yaml.Node) -> None:
        reached.setdefault(id(node), []).append(node)
        if len(reached[id(node)]) > 1:
            return  # its insides are counted once
        if isinstance(node, yaml.MappingNode):
            for _, value in node.value:
                if isinstance(value, yaml.SequenceNode) and all(
                    isinstance(v, yaml.MappingNode) for v in value.value
                ):
                    for item in value.value:
                        walk(item)
                else:
                    walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    for nodes in reached.values():
        if len(nodes) > 1 and isinstance(nodes[0], yaml.MappingNode):
            yield nodes[0], len(nodes)


def _edit(text: str, line: int, col: int, old: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    here = lines[line - 1]
    assert here[col - 1 : col - 1 + len(old)] == old, (line, col, old)
    lines[line - 1] = here[: col - 1] + new + here[col - 1 + len(old) :]
    return "".join(lines)


def _reused_faults() -> Iterator[tuple[Path, str, str, int, int, str]]:
    """(contract, label, mutated text, line, col, what must be said) for a key misspelt and a
    value of the wrong type inside every mapping that an alias or a merge key reuses."""
    for path in CONTRACTS:
        text = path.read_text(encoding="utf-8")
        for node, _ in _shared_mappings(path):
            keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            key = next((k for k in ("category", "type", "name", "article") if k in keys), None)
            if key is None:
                continue
            key_node, _ = keys[key]
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            label = f"{path.stem}:{line}"
            yield (
                path,
                f"{label} key {key}",
                _edit(text, line, col, key, _swap(key)),
                line,
                col,
                f"did you mean '{key}'",
            )
            flags = [k for k in BOOLEANS if k in keys and keys[k][1].tag.endswith(":bool")]
            if flags:
                flag_value = keys[flags[0]][1]
                v_line, v_col = flag_value.start_mark.line + 1, flag_value.start_mark.column + 1
                yield (
                    path,
                    f"{label} value {flags[0]}",
                    _edit(text, v_line, v_col, flag_value.value, "maybe"),
                    v_line,
                    v_col,
                    "must be true or false, not a string",
                )


REUSED = list(_reused_faults())


def test_the_shipped_contracts_reuse_columns_by_alias_and_merge() -> None:
    texts = {case[0].name for case in REUSED}
    assert len(texts) >= 3 and len(REUSED) >= 20, [case[1] for case in REUSED]


@pytest.mark.parametrize(
    ("path", "label", "text", "line", "col", "said"), REUSED, ids=[c[1] for c in REUSED]
)
def test_a_fault_in_a_reused_node_is_said_once(
    tmp_path: Path, path: Path, label: str, text: str, line: int, col: int, said: str
) -> None:
    variant = tmp_path / path.name
    variant.write_text(text, encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        load_contract(variant)
    lines = _problem_lines(caught.value)
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith(f"{variant}:{line}:{col}: ") and said in lines[0], lines[0]
    assert not INTERNALS.search(str(caught.value)), str(caught.value)
    linted = lint_contract(str(variant))
    assert len(linted.problems) == 1, [str(p) for p in linted.problems]
    problem = linted.problems[0]
    assert (problem.location.line, problem.location.column) == (line, col), str(problem)
    assert not INTERNALS.search(problem.message), problem.message


def test_the_other_places_of_a_reused_node_are_named(tmp_path: Path) -> None:
    """The fault is said at the anchor, and the message names where else it is used."""
    path, _, text, *_ = next(c for c in REUSED if "key" in c[1])
    count = dict(_shared_mappings(path))
    variant = tmp_path / path.name
    variant.write_text(text, encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        load_contract(variant)
    assert re.search(r"reused by alias or '<<' merge, is also at \d+ more place", str(caught.value))
    assert max(count.values()) > 1


# -- unions and echoes: data mutated in place, with the shipped contract's marks -----------------


def _list_params(path: Path) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(label, path) of every list of names a rule or an invariant takes."""
    data = read_yaml(path).data
    for d_i, dataset in enumerate(data["datasets"]):
        for r_i, rule in enumerate(dataset.get("rules", [])):
            for key, value in rule.items():
                if isinstance(value, list) and value and isinstance(value[0], str):
                    yield f"{rule['id']}.{key}", ("datasets", d_i, "rules", r_i, key)
    for i, inv in enumerate(data.get("invariants", [])):
        for key, value in (inv.get("params") or {}).items():
            if isinstance(value, list) and value and isinstance(value[0], str):
                yield f"{inv['id']}.{key}", ("invariants", i, "params", key)


def _set(data: Any, where: tuple[Any, ...], value: Any) -> None:
    for part in where[:-1]:
        data = data[part]
    data[where[-1]] = value


def _refused(path: Path, change: Any) -> tuple[list[str], list[str], dict[Any, tuple[int, int]]]:
    """The loader's lines and the schema's problems for the contract with `change` made."""
    document = read_yaml(path)
    data = copy.deepcopy(document.data)
    change(data)
    with pytest.raises(ContractError) as caught:
        contract_from_data(data, document.marks, document.path)
    linted = [
        f"{p.location}: {p.key}: {p.message}"
        for p in schema_problems(data, document.marks, document.path)
    ]
    return _problem_lines(caught.value), linted, document.marks


UNIONS = [(path, label, where) for path in CONTRACTS for label, where in _list_params(path)]


def test_every_contract_has_lists_of_names_to_mutate() -> None:
    assert len({c[0] for c in UNIONS}) == 5 and len(UNIONS) > 40


@pytest.mark.parametrize(("path", "label", "where"), UNIONS, ids=[c[1] for c in UNIONS])
def test_a_union_says_one_branch(path: Path, label: str, where: tuple[Any, ...]) -> None:
    """A list of names (a name or a list of them): a nested list, a mapping and an empty list
    each give one line in our words, not one per branch of the union nor an echo above it."""
    for wrong, at, said in (
        ([["x"]], (*where, 0), "must be a string, not a list"),
        ({"wrong": 1}, where, "not a mapping"),
    ):
        lines, linted, marks = _refused(path, lambda d, w=wrong: _set(d, where, w))
        assert len(lines) == 1, (wrong, lines)
        line, col = marks[at]
        assert f":{line}:{col}: " in lines[0] and said in lines[0], lines[0]
        assert not INTERNALS.search(lines[0]), lines[0]
        assert len(linted) == 1 and f":{line}:{col}: " in linted[0], linted


def _kinds(path: Path) -> Iterator[tuple[str, tuple[Any, ...]]]:
    data = read_yaml(path).data
    for d_i, dataset in enumerate(data["datasets"]):
        for r_i, rule in enumerate(dataset.get("rules", [])):
            yield rule["id"], ("datasets", d_i, "rules", r_i)
    for i, inv in enumerate(data.get("invariants", [])):
        yield inv["id"], ("invariants", i)


@pytest.mark.parametrize("path", CONTRACTS, ids=[p.stem for p in CONTRACTS])
def test_a_rule_or_invariant_without_its_kind_lists_the_kinds(path: Path) -> None:
    for label, where in _kinds(path):
        lines, _, marks = _refused(path, lambda d, w=where: _get(d, w).pop("kind"))
        assert len(lines) == 1, (label, lines)
        line, col = marks[where]
        assert f":{line}:{col}: " in lines[0], lines[0]
        assert "misses required key 'kind', one of: " in lines[0], lines[0]
        assert not INTERNALS.search(lines[0]), lines[0]


def _get(data: Any, where: tuple[Any, ...]) -> Any:
    for part in where:
        data = data[part]
    return data


@pytest.mark.parametrize("path", CONTRACTS, ids=[p.stem for p in CONTRACTS])
def test_a_fault_inside_a_list_is_not_echoed_above_it(path: Path) -> None:
    """A column, rule or invariant that is not a mapping: one line at it, and no line at the
    list above (`datasets: needs at least 1 item`) or the dataset (`valid dictionary`)."""
    data = read_yaml(path).data
    places = [("datasets", 0, "columns", 0), ("datasets", 0), ("invariants", 0)]
    places += [
        ("datasets", d, "rules", 0) for d, s in enumerate(data["datasets"]) if s.get("rules")
    ][:1]
    for where in places:
        lines, _, marks = _refused(path, lambda d, w=where: _set(d, w, "x"))
        assert len(lines) == 1, (where, lines)
        line, col = marks[where]
        assert f":{line}:{col}: " in lines[0] and "must be a mapping, not a string" in lines[0]
        assert not INTERNALS.search(lines[0]), lines[0]


def test_lint_and_validate_say_a_reused_fault_once(tmp_path: Path) -> None:
    """Through the command line: lint lists one problem (exit 1), validate refuses (exit 2)."""
    path, _, text, line, col, said = REUSED[0]
    variant = tmp_path / path.name
    variant.write_text(text, encoding="utf-8")
    lint = run_cli("lint", "--contract", variant)
    assert lint.code == 1 and lint.stdout.count(f"{path.name}:{line}:{col}:") == 1, lint.stdout
    assert "1 problem(s)" in lint.stdout and said in lint.stdout, lint.stdout
    dataset = read_yaml(path).data["datasets"][0]["id"]
    data = tmp_path / "empty.csv"
    data.write_text("a\n", encoding="utf-8")
    validate = run_cli("validate", "--contract", variant, "--dataset", dataset, data)
    assert validate.code == 2 and validate.stderr.count(f"{path.name}:{line}:{col}:") == 1
    assert "Traceback" not in lint.everything + validate.everything
