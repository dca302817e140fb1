"""The format registry (read/formats.py) is the one place a format is declared: every copy
of its names elsewhere is checked here, and every registered format opens its own sample.

On a failure, the message says which copy drifted and what it should hold."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import pytest
import yaml
from tests.conftest import CONTRACT

from datacontract.contract.base import FileFormat
from datacontract.contract.load import load_contract
from datacontract.demo import sample
from datacontract.read import formats
from datacontract.read.table import open_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_contract_literal_names_the_registered_formats() -> None:
    assert typing.get_args(FileFormat) == formats.names(), (
        f"contract/base.py FileFormat must be Literal{list(formats.names())}"
    )


def test_the_contract_schema_enum_names_the_registered_formats() -> None:
    schema = json.loads((ROOT / "schemas" / "contract.schema.json").read_text(encoding="utf-8"))
    enums = [
        node["enum"]
        for node in _nodes(schema)
        if isinstance(node, dict) and set(node.get("enum", ())) >= {"csv", "parquet"}
    ]
    assert enums and all(tuple(e) == formats.names() for e in enums), (
        "run `datacontract schema --output schemas/contract.schema.json`"
    )


def _nodes(node: object) -> typing.Iterator[object]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _nodes(child)


def test_the_pre_commit_hooks_match_every_registered_extension() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        assert hook["files"] == formats.hook_pattern(), (
            f"{hook['id']}: files must be {formats.hook_pattern()}"
        )
    pattern = re.compile(formats.hook_pattern())
    for extension in formats.hook_extensions():
        assert pattern.search(f"a/b{extension.upper()}") and pattern.search(f"b{extension}")
    assert not pattern.search("a.yaml") and not pattern.search("a.csv.bak")
    for f in formats.FORMATS.values():  # a README.txt beside the exports is not data (issue 27)
        assert set(f.prose_extensions) <= set(f.extensions), f.name
        for extension in f.prose_extensions:
            assert not pattern.search(f"exports/README{extension}")


def test_the_docs_table_is_the_registry() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- formats:begin -->\n(.*?)<!-- formats:end -->", text, re.S)
    assert found is not None, "docs/cli.md lost its formats markers"
    assert found.group(1) == formats.markdown_table(), (
        "docs/cli.md's table of formats, between the markers, must be:\n" + formats.markdown_table()
    )


def test_every_extension_belongs_to_one_format_and_names_are_lower_case() -> None:
    seen: dict[str, str] = {}
    for entry in formats.FORMATS.values():
        assert entry.name == entry.name.lower() and entry.extensions
        for extension in entry.extensions:
            assert extension.startswith(".") and extension == extension.lower()
            assert extension not in seen, (extension, seen.get(extension), entry.name)
            seen[extension] = entry.name
    assert seen == formats.EXTENSIONS


def test_sample_writes_every_format_with_a_writer() -> None:
    written = {f.extensions[0] for f in formats.FORMATS.values() if f.write_sample}
    assert set(sample.FORMATS) == written
    assert "ods" in formats.FORMATS and ".ods" in sample.FORMATS


@pytest.mark.parametrize(
    "name", [n for n, f in formats.FORMATS.items() if f.write_sample is not None]
)
def test_every_registered_format_opens_its_own_sample(tmp_path: Path, name: str) -> None:
    loaded = load_contract(CONTRACT)
    dataset = loaded.contract.dataset("dataset_4")
    assert dataset is not None
    rows = sample.sample_rows(loaded.contract, dataset, 7, 1)
    path = sample.write_sample(rows, dataset, tmp_path / f"x{formats.FORMATS[name].extensions[0]}")
    source = open_table(path)
    assert source.format == name
    assert source.columns == tuple(c.name for c in dataset.columns)
    assert sum(b.data.num_rows for b in source.batches()) == 7
