"""ODCS 3.2 out and in: every shipped contract exports to a document that the ODCS JSON Schema
(shipped by the open-data-contract-standard package) accepts, and imports back equal."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.contract import model
from datacontract.contract.dump import contract_yaml
from datacontract.contract.load import load_contract, parse_contract
from datacontract.errors import ContractError
from datacontract.standards.odcs_export import export_odcs, odcs_data, odcs_yaml
from datacontract.standards.odcs_import import check_odcs, contract_from_odcs, import_odcs

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
# The JSON Schema the open-data-contract-standard package ships, read from the package itself.
ODCS_SCHEMA = json.loads(
    resources.files("open_data_contract_standard").joinpath("schema.json").read_text("utf-8")
)


def odcs_errors(data: Any) -> list[str]:
    validator = jsonschema.Draft201909Validator(ODCS_SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def adequacy_odcs() -> dict[str, Any]:
    return odcs_data(export_odcs(load_contract(CONTRACT).contract))


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_every_contract_exports_to_valid_odcs_and_imports_back_equal(path: Path) -> None:
    contract = load_contract(path).contract
    text = odcs_yaml(export_odcs(contract))
    data = yaml.safe_load(text)  # as a peer reads the file
    assert data["apiVersion"] == "v3.2.0" and data["kind"] == "DataContract"
    assert odcs_errors(data) == []
    assert [s["name"] for s in data["schema"]] == [d.id for d in contract.datasets]
    imported = contract_from_odcs(data, str(path))
    assert imported.left_out == ()
    assert imported.contract.model_dump() == contract.model_dump()
    # and the YAML the import writes loads as the same contract
    assert (
        parse_contract(contract_yaml(imported.contract, "x")).model_dump() == contract.model_dump()
    )


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_one_dataset_documents_are_valid_odcs_too(path: Path) -> None:
    contract = load_contract(path).contract
    for dataset in contract.datasets:
        data = odcs_data(export_odcs(contract, dataset.id))
        assert odcs_errors(data) == []
        hops = next((p["value"] for p in data["customProperties"] if p["property"] == "hops"), [])
        assert {h["dataset"] for h in hops} <= {dataset.id}


def test_columns_map_to_the_standards_fields() -> None:
    data = adequacy_odcs()
    d1 = next(s for s in data["schema"] if s["name"] == "dataset_1")
    props = {p["name"]: p for p in d1["properties"]}
    assert [e["value"] for e in props["ua"]["enum"]] == [
        "FONS",
        "KIDSLIFE",
        "INFINO",
        "MYFAMILY",
        "PARENTIA",
    ]
    assert props["ua"]["required"] is True  # ODCS required: no null values
    assert props["insz"]["classification"] == "identifier"
    assert props["insz"]["logicalTypeOptions"] == {"format": "insz"}
    assert props["cgpa_code"]["logicalTypeOptions"] == {"pattern": "^CG[0-9]{8}$"}
    article = props["insz"]["authoritativeDefinitions"][0]
    assert article["type"] == "protocolArticle" and "D3 stap 2" in article["description"]
    values_check = next(q for q in props["ua"]["quality"] if q["metric"] == "invalidValues")
    assert values_check["name"] == "dataset_1.ua.values" and values_check["mustBe"] == 0
    unique = next(q for q in d1["quality"] if q["name"] == "dataset_1.one_row_per_income_provider")
    assert unique["metric"] == "duplicateValues"
    assert unique["arguments"] == {"properties": ["cgpa_code", "insz"]}
    forbidden = next(q for q in d1["quality"] if q["name"] == "dataset_1.no_contact_data")
    assert (
        forbidden["type"] == "custom" and forbidden["implementation"]["kind"] == "forbidden_content"
    )
    top = {p["property"]: p["value"] for p in data["customProperties"]}
    assert {"protocol", "parties", "hops", "invariants", "detectors", "items"} <= set(top)
    achtergrond = next(s for s in data["schema"] if s["name"] == "achtergrond")
    kinderen = next(p for p in achtergrond["properties"] if p["name"] == "aantal_kinderen")
    assert kinderen["logicalType"] == "integer" and kinderen["logicalTypeOptions"] == {"minimum": 1}


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(adequacy_odcs())
    if change == "no id":
        del data["id"]
    elif change == "unknown top-level key":
        data["colour"] = "blue"
    elif change == "logical type":
        data["schema"][0]["properties"][0]["logicalType"] = "text"
    elif change == "article without url":
        del data["schema"][0]["properties"][0]["authoritativeDefinitions"][0]["url"]
    elif change == "quality without operator":
        del data["schema"][0]["quality"][0]["mustBe"]
    return data


@pytest.mark.parametrize(
    "change",
    [
        "no id",
        "unknown top-level key",
        "logical type",
        "article without url",
        "quality without operator",
    ],
)
def test_the_odcs_schema_refuses_broken_documents(change: str) -> None:
    data = _broken(change)
    assert odcs_errors(data) != []
    with pytest.raises(ContractError, match=r"not a valid ODCS 3\.2 document"):
        check_odcs(data, {}, "x.odcs.yaml")


def test_cli_round_trip_through_files(tmp_path: Path) -> None:
    odcs = tmp_path / "adequacy.odcs.yaml"
    back = tmp_path / "back.yaml"
    run = run_cli("export", "--format", "odcs", "--contract", CONTRACT, "--output", odcs)
    assert run.code == 0, run.everything
    run = run_cli("import", "--format", "odcs", odcs, "--output", back)
    assert run.code == 0, run.everything
    assert (
        load_contract(back).contract.model_dump() == load_contract(CONTRACT).contract.model_dump()
    )
    assert run_cli("lint", "--contract", back).code == 0


def test_import_refuses_a_one_dataset_document(tmp_path: Path) -> None:
    odcs = tmp_path / "d4.odcs.yaml"
    assert (
        run_cli("export", "--contract", CONTRACT, "--dataset", "dataset_4", "--output", odcs).code
        == 0
    )
    run = run_cli("import", odcs)
    assert run.code == 2
    assert "holds dataset 'dataset_4' only" in run.stderr and "Traceback" not in run.everything


def test_import_names_the_line_of_a_broken_document(tmp_path: Path) -> None:
    text = odcs_yaml(export_odcs(load_contract(CONTRACT).contract))
    odcs = tmp_path / "bad.odcs.yaml"
    odcs.write_text(text.replace("logicalType: string", "logicalType: text", 1), encoding="utf-8")
    run = run_cli("import", odcs)
    assert run.code == 2
    line = 1 + text.splitlines().index(
        next(s for s in text.splitlines() if s.strip() == "logicalType: string")
    )
    assert f"bad.odcs.yaml:{line}:" in run.stderr


def test_import_says_what_it_leaves_out_and_needs_articles(tmp_path: Path) -> None:
    data = adequacy_odcs()
    data["servers"] = [{"server": "prod", "type": "local", "path": "/data", "format": "parquet"}]
    data["customProperties"].append({"property": "owner", "value": "x", "vendor": "atlan"})
    data["schema"][0]["properties"][0]["logicalTypeOptions"] = {"maxLength": 8}
    imported = contract_from_odcs(data, "x.odcs.yaml")
    assert any("logicalTypeOptions.maxLength" in item for item in imported.left_out)
    assert any("servers" in item for item in imported.left_out)
    assert any("vendor atlan" in item for item in imported.left_out)
    del data["schema"][0]["properties"][1]["authoritativeDefinitions"]
    with pytest.raises(ContractError, match="has no article citation"):
        contract_from_odcs(data, "x.odcs.yaml")


def test_a_hostile_document_is_refused_with_exit_2(tmp_path: Path) -> None:
    rows = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    odcs = tmp_path / "laughs.odcs.yaml"
    odcs.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = run_cli("import", odcs)
    assert run.code == 2 and "expand" in run.stderr
    with pytest.raises(ContractError, match=r"laughs\.odcs\.yaml"):
        import_odcs(str(odcs))


def test_hostile_strings_are_written_inert_and_read_back_the_same(tmp_path: Path) -> None:
    title = "Titel [/] \u202eevil\x1b[2J \x9b é"
    data = load_contract(CONTRACT).contract.model_dump(mode="json", by_alias=True)
    data["title"] = title
    path = tmp_path / "hostile.yaml"
    path.write_text(contract_yaml(model.Contract.model_validate(data)), encoding="utf-8")
    run = run_cli("export", "--contract", path)
    assert run.code == 0, run.everything
    assert not any(ch in run.stdout for ch in "\u202e\x1b\x9b")
    assert yaml.safe_load(run.stdout)["name"] == title
    assert load_contract(path).contract.title == title
