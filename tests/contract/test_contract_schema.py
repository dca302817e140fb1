"""schemas/contract.schema.json: generated from the models, committed, and it agrees with the
contracts: it accepts all five and refuses a family of breakages, as `lint` does."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.contract.load import load_contract
from datacontract.contract.schema import json_ready, schema_text

COMMITTED = ROOT / "schemas" / "contract.schema.json"
CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


def schema_errors(data: Any) -> list[str]:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [e.message for e in validator.iter_errors(json_ready(data))]


def test_the_committed_schema_is_the_models_schema() -> None:
    # On failure: `datacontract schema --output schemas/contract.schema.json` (make schema).
    assert COMMITTED.read_text(encoding="utf-8") == schema_text()


def test_the_cli_prints_the_committed_schema() -> None:
    run = run_cli("schema")
    assert run.code == 0 and run.stdout == COMMITTED.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_the_schema_accepts_every_contract(path: Path) -> None:
    assert schema_errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def _column(data: dict[str, Any]) -> dict[str, Any]:
    return data["datasets"][0]["columns"][0]  # type: ignore[no-any-return]


def _rule(data: dict[str, Any]) -> dict[str, Any]:
    return data["datasets"][0]["rules"][0]  # type: ignore[no-any-return]


# Each breakage: what it does to the adequacy contract, and the key the lint must name.
BREAKAGES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "unknown key": (
        lambda d: _column(d).update(colour="red"),
        r"columns\[ua\]\.colour: unknown key",
    ),
    "misspelt key": (
        lambda d: d["datasets"][0].update(colums=d["datasets"][0].pop("columns")),
        r"datasets\[dataset_1\]\.colums: unknown key 'colums'; did you mean 'columns'",
    ),
    "wrong type": (
        lambda d: _column(d).update(nullable="maybe"),
        r"columns\[ua\]\.nullable: must be a boolean",
    ),
    "missing article": (
        lambda d: _column(d).pop("article"),
        r"columns\[ua\]: has no article citation",
    ),
    "rule without article": (
        lambda d: _rule(d).pop("article"),
        r"rules\[dataset_1\.one_row_per_income_provider\]: has no article",
    ),
    "unknown category": (
        lambda d: _column(d).update(category="secret"),
        r"columns\[ua\]\.category: must be one of",
    ),
    "unknown rule kind": (
        lambda d: _rule(d).update(kind="uniq"),
        r"\.kind: unknown rule kind 'uniq' \(did you mean 'unique'\?\); known: age_between",
    ),
    "rule missing a key": (lambda d: _rule(d).pop("columns"), r"misses required key 'columns'"),
    "bad id": (
        lambda d: d["parties"][0].update(id="Opgroeien DM"),
        r"parties\[Opgroeien DM\]\.id: does not match",
    ),
    "no columns": (
        lambda d: d["datasets"][0].update(columns=[]),
        r"datasets\[dataset_1\]\.columns: needs at least 1",
    ),
    "missing version": (lambda d: d.pop("version"), r"contract: misses required key 'version'"),
}


def _adequacy() -> dict[str, Any]:
    data = load_contract(CONTRACT).contract.model_dump(
        mode="json", by_alias=True, exclude_defaults=True
    )
    return copy.deepcopy(data)


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_the_schema_and_lint_refuse_each_breakage(name: str, tmp_path: Path) -> None:
    data = _adequacy()
    assert schema_errors(data) == []
    breakage, expected = BREAKAGES[name]
    breakage(data)
    assert schema_errors(data) != [], name
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    run = run_cli("lint", "--contract", path)
    assert run.code == 1, run.everything
    # file:line:column: key: message
    assert re.search(rf"broken\.yaml:\d+:\d+: .*{expected}", run.stdout), run.stdout
    assert "Traceback" not in run.everything


def test_made_by_and_hop_parties_may_be_one_id_or_a_list() -> None:
    data = _adequacy()
    data["datasets"][0]["made_by"] = "opgroeien_it"
    data["hops"][0]["from"] = "opgroeien_it"
    assert schema_errors(data) == []
    data["hops"][0]["from"] = []
    assert schema_errors(data) != []
