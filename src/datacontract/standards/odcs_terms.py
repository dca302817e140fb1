"""What our contract format and ODCS 3.2 call the same thing: the vocabulary both ways.

Shared by odcs_export.py and odcs_import.py, so that what one writes the other reads. The
mapping itself is documented in docs/standards.md (a table, field by field).
"""

from __future__ import annotations

from typing import Any

from open_data_contract_standard.model import AuthoritativeDefinition, CustomProperty

API_VERSION = "v3.2.0"
# ODCS asks custom properties to name their vendor (a lowercase identifier); ours is the
# distribution's name, since `datacontract` alone is datacontract-cli's.
VENDOR = "groeipakket-datacontract"
# An article of the protocol, as an ODCS authoritative definition: its text in `description`,
# the protocol's URL (or a URN naming the source text when the contract gives no URL) in `url`.
ARTICLE = "protocolArticle"

LOGICAL_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp",
}
COLUMN_TYPES = {odcs: ours for ours, odcs in LOGICAL_TYPES.items()}

# Top-level keys of a contract that ODCS has no field for, as camelCase custom properties.
CONTRACT_CUSTOM = {
    "protocol": "protocol",
    "parties": "parties",
    "channels": "channels",
    "detectors": "detectors",
    "hops": "hops",
    "milestones": "milestones",
    "invariants": "invariants",
    "separate": "separate",
    "items": "items",
    "note": "note",
}
DATASET_CUSTOM = {
    "made_by": "madeBy",
    "made_at_step": "madeAtStep",
    "derived_from": "derivedFrom",
    "keys": "keys",
    "file": "file",
    "columns_by_reference": "columnsByReference",
    "retention_reference": "retentionReference",
    "magda": "magda",
}
# A column's keys without an ODCS field. Our `required` (the column is present) is not ODCS's
# `required` (no null values, our `nullable: false`): it travels as `present`.
COLUMN_CUSTOM = {
    "required": "present",
    "show_values": "showValues",
    "path": "path",
    "by_reference": "byReference",
}
# Marks a document that holds one dataset of a contract (export --dataset): not importable.
DATASET_ONLY = "datasetOnly"


def article_definition(article: str, url: str) -> AuthoritativeDefinition:
    """An article of the protocol as ODCS holds it: `{type: protocolArticle, url, description}`."""
    return AuthoritativeDefinition(type=ARTICLE, url=url, description=article)


def custom(name: str, value: Any) -> CustomProperty:
    """A custom property of ours: `{property: name, value, vendor: groeipakket-datacontract}`."""
    return CustomProperty(property=name, value=value, vendor=VENDOR)


def source_url(url: str | None, seed: str) -> str:
    """Where a contract's articles are: the protocol's URL, or a URN naming its source text."""
    return url or f"urn:{VENDOR}:protocol:{seed}"
