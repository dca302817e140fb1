"""A Contract model written back as contract YAML (docs/contract-format.md), for importers.

Keys in the models' order, defaults left out (as a person writes a contract), dates as ISO
text; `load.parse_contract(contract_yaml(c))` gives back `c` (tests/standards/test_odcs.py).
"""

from __future__ import annotations

import yaml

from datacontract.contract import model


def contract_yaml(contract: model.Contract, header: str = "") -> str:
    """The contract as YAML text, after `header` (each of its lines written as a comment)."""
    data = contract.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + ("\n" if comments else "") + body
