"""`datacontract changelog OLD NEW`: each kind of change classed breaking or not, and exit 1 on
a breaking change without a major version bump."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract import model
from datacontract.contract.changelog import changelog, major
from datacontract.contract.dump import contract_yaml
from datacontract.contract.load import load_contract


def adequacy() -> dict[str, Any]:
    contract = load_contract(CONTRACT).contract
    return contract.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def dataset(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(d for d in data["datasets"] if d["id"] == ident)  # type: ignore[no-any-return]


def column(data: dict[str, Any], ident: str, name: str) -> dict[str, Any]:
    return next(c for c in dataset(data, ident)["columns"] if c["name"] == name)  # type: ignore[no-any-return]


def without_column(data: dict[str, Any], ident: str, name: str) -> None:
    """Remove a column and what names it (article-3 items), as an author would."""
    d = dataset(data, ident)
    d["columns"] = [c for c in d["columns"] if c["name"] != name]
    for item in data["items"]:
        item["encoded_by"] = [e for e in item.get("encoded_by", []) if e != f"{ident}.{name}"]
        if not item["encoded_by"] and item.get("status", "encoded") in ("encoded", "partial"):
            item["status"] = "not_encoded"
            item.pop("missing", None)


def write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(contract_yaml(model.Contract.model_validate(data)), encoding="utf-8")
    return path


def test_a_removed_column_is_breaking_and_needs_a_major_bump(tmp_path: Path) -> None:
    new = adequacy()
    without_column(new, "achtergrond", "wezen")
    path = write(tmp_path, "new.yaml", new)
    run = run_cli("changelog", CONTRACT, path)
    assert run.code == 1, run.everything
    assert "BREAKING  datasets[achtergrond].columns[wezen]" in run.stdout
    assert "column removed" in run.stdout and "without a major version bump" in run.stdout
    new["version"] = "2.0.0"
    run = run_cli("changelog", CONTRACT, write(tmp_path, "major.yaml", new), "--format", "json")
    assert run.code == 0, run.everything
    report = json.loads(run.stdout)
    assert report["major_bump"] is True and report["breaking"] >= 1 and report["holds"] is True


def test_the_same_contract_has_no_changes() -> None:
    run = run_cli("changelog", CONTRACT, CONTRACT)
    assert run.code == 0 and "0 change(s)" in run.stdout


Edit = Callable[[dict[str, Any]], None]


def _set(ident: str, name: str, **values: Any) -> Edit:
    return lambda data: column(data, ident, name).update(values)


def _add_column(required: bool) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        new = {"name": "nieuw", "category": "background", "article": "art. 3", "required": required}
        dataset(data, "achtergrond")["columns"].append(new)

    return edit


def _drop(key: str, ident: str) -> Edit:
    return lambda data: data.update({key: [x for x in data[key] if x["id"] != ident]})


def _add_rule(data: dict[str, Any]) -> None:
    rule = {"id": "achtergrond.one_ua", "kind": "single_value", "column": "ua", "article": "x"}
    dataset(data, "achtergrond")["rules"].append(rule)


def _drop_rule(data: dict[str, Any]) -> None:
    d = dataset(data, "achtergrond")
    d["rules"] = [r for r in d["rules"] if r["id"] != "achtergrond.rights_within_children"]


def _values(data: dict[str, Any], keep: int) -> None:
    c = column(data, "dataset_1", "ua")
    c["values"] = c["values"][:keep]


def _drop_dataset(data: dict[str, Any]) -> None:
    data["hops"] = [h for h in data["hops"] if h["dataset"] != "dataset_4_telefoon"]
    data["datasets"] = [d for d in data["datasets"] if d["id"] != "dataset_4_telefoon"]
    for item in data["items"]:
        for holder in [item, *item.get("parts", [])]:
            holder["encoded_by"] = [
                e for e in holder.get("encoded_by", []) if not e.startswith("dataset_4_telefoon.")
            ]


# (edit, where the change is, breaking?)
CHANGES: dict[str, tuple[Edit, str, bool]] = {
    "type narrowed": (
        _set("achtergrond", "gezinstype", type="integer", values=None, show_values=False),
        "columns[gezinstype].type",
        True,
    ),
    "integer to number": (
        _set("achtergrond", "aantal_kinderen", type="number"),
        "columns[aantal_kinderen].type",
        False,
    ),
    "pattern added": (
        _set("dataset_4", "email", pattern="^.+@.+$"),
        "columns[email].pattern",
        True,
    ),
    "pattern removed": (
        _set("dataset_1", "cgpa_code", pattern=None),
        "columns[cgpa_code].pattern",
        False,
    ),
    "label removed": (lambda d: _values(d, 4), "columns[ua].values", True),
    "label added": (
        lambda d: column(d, "dataset_1", "ua")["values"].append("NIEUW"),
        "columns[ua].values",
        False,
    ),
    "made not nullable": (
        _set("dataset_4", "email", nullable=False),
        "columns[email].nullable",
        True,
    ),
    "made nullable": (_set("dataset_1", "insz", nullable=True), "columns[insz].nullable", False),
    "minimum raised": (
        _set("achtergrond", "aantal_kinderen", minimum=2),
        "columns[aantal_kinderen].minimum",
        True,
    ),
    "minimum lowered": (
        _set("achtergrond", "aantal_kinderen", minimum=0),
        "columns[aantal_kinderen].minimum",
        False,
    ),
    "maximum lowered": (
        _set("achtergrond", "aantal_inkomensverstrekkers", maximum=1),
        "maximum",
        True,
    ),
    "maximum dropped": (
        _set("achtergrond", "aantal_inkomensverstrekkers", maximum=None),
        "maximum",
        False,
    ),
    "made unique": (_set("dataset_4", "email", unique=True), "columns[email].unique", True),
    "new required column": (_add_column(True), "columns[nieuw]", True),
    "new optional column": (_add_column(False), "columns[nieuw]", False),
    "rule added": (_add_rule, "rules[achtergrond.one_ua]", True),
    "rule removed": (_drop_rule, "rules[achtergrond.rights_within_children]", False),
    "dataset removed": (_drop_dataset, "datasets[dataset_4_telefoon]", True),
    "hop removed": (_drop("hops", "stap6_telefoon"), "hops[stap6_telefoon]", True),
    "invariant removed": (
        _drop("invariants", "contact_and_background_apart"),
        "invariants[contact_and_background_apart]",
        False,
    ),
    "note changed": (_set("dataset_1", "insz", note="een nota"), "columns[insz].note", False),
    "category changed": (
        _set("dataset_1", "insz", category="pseudonym"),
        "columns[insz].category",
        False,
    ),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_each_kind_of_change_is_classed(name: str) -> None:
    edit, where, breaking = CHANGES[name]
    data = adequacy()
    edit(data)
    old = load_contract(CONTRACT).contract
    log = changelog(old, model.Contract.model_validate(data))
    found = [c for c in log.changes if where in c.where]
    assert found, (name, log.changes)
    assert {c.breaking for c in found} == {breaking}, (name, found)
    assert log.holds is not breaking


def test_a_version_without_a_major_number_never_counts_as_a_bump() -> None:
    assert (major("1.0.0"), major("v2"), major("draft")) == (1, 2, None)
    data = adequacy()
    _values(data, 4)
    data["version"] = "draft-2"
    log = changelog(load_contract(CONTRACT).contract, model.Contract.model_validate(data))
    assert log.breaking and not log.major_bump and not log.holds


def test_a_broken_new_contract_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("contract: x\n", encoding="utf-8")
    run = run_cli("changelog", CONTRACT, path)
    assert run.code == 2 and "broken.yaml" in run.stderr
