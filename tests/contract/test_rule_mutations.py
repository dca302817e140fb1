"""Every rule of every contract, mutated: a misspelt kind, a misspelt parameter, a parameter of
the wrong type. Each is refused when the contract loads (lint, validate, and every command that
reads the contract), at the line of the mistake, with a suggestion for a misspelling; none is
skipped because it was not understood (issue 21, item 1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import ROOT, run_cli

from datacontract.contract.load import load_contract, read_yaml
from datacontract.errors import ContractError

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
FIXED = {"id", "kind", "article", "note"}


def _swap(word: str) -> str:
    """A typing slip: the last two letters swapped (`total` -> `totla`)."""
    return word[:-2] + word[-1] + word[-2]


def _mutations(path: Path) -> Iterator[tuple[str, list[str], int, str]]:
    """(name, mutated lines, line of the mistake, what the message must say) for each rule."""
    document = read_yaml(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for d_i, dataset in enumerate(document.data["datasets"]):
        for r_i, rule in enumerate(dataset.get("rules", [])):
            base = ("datasets", d_i, "rules", r_i)
            kind = rule["kind"]
            line, col = document.marks[(*base, "kind")]
            changed = list(lines)
            text = changed[line - 1]
            assert text[col - 1 :].startswith(kind)
            wrong = kind[:-1]
            changed[line - 1] = text[: col - 1] + wrong + text[col - 1 + len(kind) :]
            yield f"{rule['id']}.kind", changed, line, f"did you mean {kind!r}"
            for key in rule:
                if key in FIXED:
                    continue
                line, col = document.marks[(*base, key, "<key>")]
                changed = list(lines)
                text = changed[line - 1]
                changed[line - 1] = text[: col - 1] + _swap(key) + text[col - 1 + len(key) :]
                yield f"{rule['id']}.{key}", changed, line, f"did you mean {key!r}"
                # the value replaced by a mapping, a wrong type for every parameter
                changed = list(lines)
                indent = col - 1
                changed[line - 1] = " " * indent + f"{key}: {{wrong: 1}}"
                after = line
                while after < len(changed) and (
                    len(changed[after]) - len(changed[after].lstrip()) > indent
                    or changed[after].startswith(" " * indent + "- ")
                ):
                    del changed[after]
                yield f"{rule['id']}.{key}:type", changed, line, key


CASES = [(path, *case) for path in CONTRACTS for case in _mutations(path)]


def test_every_contract_has_rules_to_mutate() -> None:
    assert len(CONTRACTS) == 5
    kinds = {name.rsplit(".", 1)[-1] for _, name, *_ in CASES}
    assert "kind" in kinds and len(CASES) > 200


@pytest.mark.parametrize(
    ("path", "name", "lines", "line", "said"), CASES, ids=[c[1] for c in CASES]
)
def test_a_mutated_rule_is_refused_at_load(
    tmp_path: Path, path: Path, name: str, lines: list[str], line: int, said: str
) -> None:
    variant = tmp_path / path.name
    variant.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContractError) as caught:
        load_contract(variant)
    message = str(caught.value)
    assert re.search(rf"{re.escape(path.name)}:{line}:\d+", message), message
    assert said in message, message


# Through the command line, one rule of each contract and each kind of mistake: lint says
# where (exit 1: the contract fails lint), validate refuses to run (exit 2), no traceback.
def _mistake(name: str) -> str:
    if name.endswith(":type"):
        return "type"
    return "kind" if name.endswith(".kind") else "key"


FIRST = {(path, _mistake(name)): (path, name, *rest) for path, name, *rest in reversed(CASES)}


@pytest.mark.parametrize(
    ("path", "name", "lines", "line", "said"),
    list(FIRST.values()),
    ids=[c[1] for c in FIRST.values()],
)
def test_lint_and_validate_refuse_a_mutated_rule(
    tmp_path: Path, path: Path, name: str, lines: list[str], line: int, said: str
) -> None:
    variant = tmp_path / path.name
    variant.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = read_yaml(path).data["datasets"][0]["id"]
    data = tmp_path / "empty.csv"
    data.write_text("a\n", encoding="utf-8")
    lint = run_cli("lint", "--contract", variant)
    assert lint.code == 1, lint.everything
    assert f"{path.name}:{line}:" in lint.stdout and said in lint.stdout, lint.stdout
    validate = run_cli("validate", "--contract", variant, "--dataset", dataset, data)
    assert validate.code == 2, validate.everything
    assert f"{path.name}:{line}:" in validate.stderr and said in validate.stderr
    assert "Traceback" not in lint.everything + validate.everything
