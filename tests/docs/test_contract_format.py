"""docs/contract-format.md cannot drift from the contract's JSON Schema (issue 27): its list of
every key of every part is what contract/schema_doc.py makes from the schema, every example in
it is accepted by its part's schema, every category is defined, and no code block is broken."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml
from tests.conftest import ROOT

from datacontract.contract.schema import contract_schema
from datacontract.contract.schema_doc import BEGIN, END, parts, with_keys

PAGE = ROOT / "docs" / "contract-format.md"
SCHEMA = json.loads((ROOT / "schemas" / "contract.schema.json").read_text(encoding="utf-8"))
CONTRACTS = [
    yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "contracts").glob("*.yaml"))
]


def test_the_committed_schema_is_the_models() -> None:
    assert json.loads(json.dumps(contract_schema())) == SCHEMA, "run `make schema`"


def test_every_key_of_every_part_is_the_schemas() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page == with_keys(page, SCHEMA, CONTRACTS), (
        "docs/contract-format.md's keys differ from the schema: run `make docs`"
    )


def _generated() -> str:
    page = PAGE.read_text(encoding="utf-8")
    return page[page.index(BEGIN) + len(BEGIN) : page.index(END)]


def test_every_part_is_listed_with_every_key_and_its_required_ones() -> None:
    text = _generated()
    sections = dict(re.findall(r"#### (\w+)\n(.*?)(?=<a id=|\Z)", text, re.S))
    for name, part in parts(SCHEMA).items():
        assert name in sections, name
        for key in part.get("properties", {}):
            row = re.search(rf"^\| `{re.escape(key)}` \|.*$", sections[name], re.M)
            assert row is not None, f"{name}.{key}"
            assert (" yes |" in row.group()) == (key in part.get("required", ())), row.group()
    hop = sections["Hop"]
    assert re.search(r"^\| `channel` \|.*\| yes \|", hop, re.M)  # issue 27: a hop needs one


def test_every_example_is_accepted_by_its_parts_schema() -> None:
    sections = re.findall(r"#### (\w+)\n(.*?)(?=<a id=|\Z)", _generated(), re.S)
    examples = [
        (name, block.group(1))
        for name, body in sections
        if (block := re.search(r"```yaml\n(.*?)```", body, re.S))
    ]
    assert len(examples) == len(parts(SCHEMA)) - 1  # every part but the top level
    for name, block in examples:
        part = parts(SCHEMA)[name]
        validator = jsonschema.Draft202012Validator({**part, "$defs": SCHEMA["$defs"]})
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(block))]
        assert not errors, (name, errors)


def test_every_column_category_is_defined() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for category in SCHEMA["$defs"]["Column"]["properties"]["category"]["enum"]:
        assert re.search(rf"^\| `{category}` \| \w", page, re.M), category


def test_no_code_block_is_broken() -> None:
    fences = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if "```" in line]
    for line in fences:
        assert re.fullmatch(r"```(\w+)?", line), f"a fence with text beside it: {line!r}"
    assert len(fences) % 2 == 0
