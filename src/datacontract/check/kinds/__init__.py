"""The registry of dataset rule kinds: one module per kind, each with its `KIND` entry.

`KINDS` maps a kind as contracts spell it (`sum_equals`) to its RuleKind (check/kinds/base.py);
every module of this package but base.py is one kind and is collected here, so adding a kind
is its parameter model (contract/rules.py), its module here, and its test. tests/check/
test_kinds.py fails when a model of contract/rules.py's `Rule` union has no entry.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from datacontract.check.kinds.base import OdcsLibrary, RuleKind, RuleState, SampleChunk
from datacontract.contract import model


def _collect() -> dict[str, RuleKind[Any]]:
    out: dict[str, RuleKind[Any]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name == "base":
            continue
        entry = getattr(importlib.import_module(f"{__name__}.{info.name}"), "KIND", None)
        assert isinstance(entry, RuleKind), f"check/kinds/{info.name}.py defines KIND"
        assert entry.name == info.name, f"check/kinds/{info.name}.py is kind {entry.name}"
        out[entry.name] = entry
    return out


KINDS: dict[str, RuleKind[Any]] = _collect()


def kind_of(rule: model.Rule) -> RuleKind[Any]:
    """The registry entry of a rule (every kind the loader accepts has one: test_kinds.py)."""
    return KINDS[rule.kind]


def same_in_every_row(dataset: model.Dataset) -> set[str]:
    """The columns a rule of the dataset holds to one value in the whole file."""
    return {c for rule in dataset.rules for c in kind_of(rule).same_in_every_row(rule)}


__all__ = [
    "KINDS",
    "OdcsLibrary",
    "RuleKind",
    "RuleState",
    "SampleChunk",
    "kind_of",
    "same_in_every_row",
]
