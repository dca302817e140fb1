"""The OpenLineage spec's JSON Schemas, resolved locally: OpenLineage.json and every facet schema
(vendored in tests/fixtures/openlineage-spec, see its README.md) plus our own facet's schema
shipped in the package. No network: a $ref the registry does not hold is an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

import datacontract.standards as standards

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "openlineage-spec"
RUN_EVENT = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"


def _schemas() -> list[dict[str, Any]]:
    files = [SPEC / "OpenLineage.json", *sorted((SPEC / "facets").glob("*.json"))]
    files.append(Path(standards.__file__).parent / "DatacontractLedgerRunFacet.json")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def _offline(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)


def registry() -> Registry:
    resources = [(s["$id"], Resource.from_contents(s)) for s in _schemas()]
    return Registry(retrieve=_offline).with_resources(resources)  # type: ignore[call-arg]


def validator(ref: str, reg: Registry) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": ref}, registry=reg, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def facets(node: object, key: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every facet of an event, anywhere in it: (its key, the facet), found by _schemaURL."""
    if isinstance(node, dict):
        if "_schemaURL" in node:
            yield key, node
        for k, v in node.items():
            yield from facets(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from facets(item, key)


def problems(event: dict[str, Any], reg: Registry) -> list[str]:
    """Why an event breaks the spec: the RunEvent schema, then each facet against the schema
    its _schemaURL names, under the key that schema gives it."""
    out = [f"RunEvent: {e.message}" for e in validator(RUN_EVENT, reg).iter_errors(event)]
    for key, facet in facets(event):
        url = facet["_schemaURL"]
        document = reg.contents(url.split("#")[0])
        assert isinstance(document, dict)
        if key not in document.get("properties", {}):
            out.append(f"{key}: a {url.rsplit('/', 1)[-1]} goes under another key")
        out += [f"{key}: {e.message}" for e in validator(url, reg).iter_errors(facet)]
    return out
