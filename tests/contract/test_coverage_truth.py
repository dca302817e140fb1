"""Coverage tells the truth (issue 24): an item of article 3 that `coverage` calls `encoded` or
`partial` has an encoder the engine is seen to enforce. For each such item, this walks its
encoders: a column or a dataset rule must be broken by a mutation derived from its declaration
(tests/contract/test_protocols.py) and the file refused for that very column or rule; an
invariant is enforced by the prover (tests/flow, test_protocols' bad ledgers). An item whose
encoders are only names nothing refuses fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT
from tests.contract.test_protocols import (
    _column_mutations,
    _options,
    _rows,
    _rule_mutations,
    _write_mutated,
)

from datacontract.check.validate import validate_file
from datacontract.contract import model
from datacontract.contract.load import LoadedContract, load_contract

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
LOADED = {p.stem: load_contract(p) for p in CONTRACTS}


# A text each pattern detector of 000 finds (synthetic: a code, a research code, a stratum).
PLANTED = {
    "cgpa_code": "CG12345678",
    "gezinscode": "GABCDEFGHIJKLMNOP",
    "stratum": "FONS/1/0-5/I1",
}


def _pattern_rules(
    loaded: LoadedContract, ds: model.Dataset
) -> tuple[model.Dataset, list[tuple[str, Callable[[Any], Any]]]]:
    """The dataset without its rules that scan for pattern detectors (the shared mutations
    plant only INSZ, e-mail and phone), and a mutation for each of those rules."""
    from tests.contract.test_protocols import _set

    def by_pattern(rule: model.Rule) -> bool:
        return isinstance(rule, model.ForbiddenContentRule) and any(
            (d := loaded.contract.detector(name)) is not None and d.detector == "pattern"
            for name in rule.detect
        )

    own = []
    for rule in ds.rules:
        if by_pattern(rule):
            assert isinstance(rule, model.ForbiddenContentRule)
            target = next(
                c.name
                for c in ds.columns
                if c.type == "string" and c.name not in rule.except_columns
            )
            name = next(n for n in rule.detect if n in PLANTED)
            own.append((rule.id, _set(target, f"zie {PLANTED[name]} hier")))
    kept = ds.model_copy(update={"rules": tuple(r for r in ds.rules if not by_pattern(r))})
    return kept, own


def _mutation_for(
    loaded: LoadedContract, encoder: str
) -> tuple[model.Dataset, str, Callable[[Any], Any]] | None:
    """A mutation that breaks `encoder` (a column `ds.col` or a rule id), and the rule the
    refusal must name; None when nothing derived from the declaration breaks it."""
    for ds in loaded.contract.datasets:
        if not encoder.startswith(f"{ds.id}."):
            continue
        kept, own = _pattern_rules(loaded, ds)
        for rule, mutate in [*_column_mutations(ds), *_rule_mutations(loaded, kept), *own]:
            if rule == encoder or rule.startswith(f"{encoder}."):
                return ds, rule, mutate
    return None


def _cases() -> list[tuple[str, str]]:
    return [
        (name, item.id)
        for name, loaded in LOADED.items()
        for item in loaded.contract.items
        if item.status in ("encoded", "partial")
    ]


@pytest.mark.parametrize(("contract", "item_id"), _cases())
def test_an_encoded_item_is_enforced(contract: str, item_id: str, tmp_path: Path) -> None:
    loaded = LOADED[contract]
    item = next(i for i in loaded.contract.items if i.id == item_id)
    invariants = {inv.id for inv in loaded.contract.invariants}
    refused = []
    for encoder in item.encoded_by:
        found = _mutation_for(loaded, encoder)
        if found is None:
            continue
        ds, rule, mutate = found
        path = _write_mutated(ds, mutate(_rows(loaded, ds)), tmp_path / f"{ds.id}_{len(refused)}")
        result = validate_file(loaded, ds.id, path, _options())
        assert rule in {f.rule for f in result.findings}, (item_id, encoder, rule)
        refused.append(encoder)
        break  # one encoder the engine is seen to enforce is enough for the item
    proven = [e for e in item.encoded_by if e in invariants]
    assert refused or proven, f"{item_id}: no encoder the engine enforces ({item.encoded_by})"
