"""A Contract model written back as contract YAML (docs/contract-format.md), for importers.

Keys in the models' order, defaults left out (as a person writes a contract), dates as ISO
text; `load.parse_contract(contract_yaml(c))` gives back `c` (tests/standards/test_odcs.py).
"""

from __future__ import annotations

from typing import Any

import yaml

from datacontract.contract import model


def yaml_text(data: Any) -> str:
    """JSON data as YAML text, keys in their order, inert on a terminal: when a string holds a
    character that is not printable (a control, a bidi override), every non-ASCII character is
    written as a YAML escape (the same values, in ASCII bytes)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if all(ch.isprintable() or ch == "\n" for ch in text):
        return text
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)


def contract_yaml(contract: model.Contract, header: str = "") -> str:
    """The contract as YAML text, after `header` (each of its lines written as a comment)."""
    data = contract.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    body = yaml_text(data)
    inert = "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in header)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in inert.splitlines())
    return comments + ("\n" if comments else "") + body
