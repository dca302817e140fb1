"""`make docs`: the generated parts of docs/cli.md (every command and option, from the click
commands) and of docs/contract-format.md (every key of every part, from the JSON Schema, with
examples from contracts/). tests/docs fails when either page differs from what this writes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from datacontract.cli.main import main
from datacontract.cli.reference import with_reference
from datacontract.contract.schema_doc import with_keys

ROOT = Path(__file__).resolve().parent.parent


def contracts() -> list[object]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "contracts").glob("*.yaml"))
    ]


def schema() -> dict[str, object]:
    text = (ROOT / "schemas" / "contract.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


if __name__ == "__main__":
    cli = ROOT / "docs" / "cli.md"
    cli.write_text(with_reference(cli.read_text(encoding="utf-8"), main), encoding="utf-8")
    page = ROOT / "docs" / "contract-format.md"
    text = with_keys(page.read_text(encoding="utf-8"), schema(), contracts())
    page.write_text(text, encoding="utf-8")
