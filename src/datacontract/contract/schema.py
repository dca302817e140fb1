"""The JSON Schema of the contract format, generated from the pydantic models (model.py).

`schemas/contract.schema.json` is `schema_text()`, committed so that editors and CI can check
a contract before the engine runs (docs/standards.md says how to point an editor at it); a
test regenerates it and compares, so it never drifts from the models. Regenerate it with
`datacontract schema --output schemas/contract.schema.json` (or `make schema`).

The schema says what the shape of a contract is (keys, types, patterns, required keys such as
every `article`); what only the loader checks (references between names, a `show_values`
without `values`, duplicate ids, coverage of the article-3 items) is `datacontract lint`'s
second and third stage (contract/lint.py). Dialect: JSON Schema 2020-12, as pydantic writes it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from datacontract.contract import model

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def contract_schema() -> dict[str, Any]:
    """The JSON Schema (a dict) every contract YAML, read as JSON, must satisfy."""
    schema = model.Contract.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": DIALECT,
        "title": "datacontract contract",
        "description": (
            "A data contract of the Groeipakket protocols (groeipakket-datacontract): "
            "parties, datasets, columns, rules, hops, invariants and article-3 items, each "
            "citing its article. The format: docs/contract-format.md. Generated from the "
            "pydantic models; `datacontract lint` also checks references and coverage."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    """The committed file's text: the schema as indented JSON, keys in the models' order."""
    return json.dumps(contract_schema(), indent=2, ensure_ascii=False) + "\n"


def json_ready(data: Any) -> Any:
    """YAML data as JSON data: dates and times as ISO 8601 text (as a YAML editor sends them
    to a JSON Schema validator); lists, mappings and scalars unchanged."""
    if isinstance(data, dict):
        return {str(k): json_ready(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [json_ready(v) for v in data]
    if isinstance(data, dt.date | dt.datetime | dt.time):
        return data.isoformat()
    return data
