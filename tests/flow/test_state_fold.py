"""A proof folded over the events gives the pure functions' verdicts, and one resumed from its
state after any event gives the same verdicts, counterexamples and holdings still open."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import ROOT
from tests.flow.state_ledgers import START, generated

from datacontract.contract.load import LoadedContract, load_contract
from datacontract.flow.kinds import KINDS, check
from datacontract.flow.lineage import holdings
from datacontract.flow.proof import Verdict
from datacontract.flow.state import FOLDS, End, Folding
from datacontract.flow.view import Flow
from datacontract.ledger.chain import Event, LedgerState

SHIPPED = sorted((ROOT / "contracts").glob("*.yaml"))


def _loaded(path: Path) -> LoadedContract:
    return load_contract(path)


def _pure(loaded: LoadedContract, events: list[Event], at: datetime) -> list[Verdict]:
    flow = Flow(loaded, events, holdings(loaded.contract, events), at, LedgerState(tuple(events)))
    out = []
    for inv in loaded.contract.invariants:
        found = check(flow, inv)
        out.append(Verdict(inv.id, inv.kind, inv.title, inv.article, not found, tuple(found)))
    return out


def _resumed(loaded: LoadedContract, events: list[Event], cut: int) -> Folding:
    first = Folding(loaded, keep_closed=False)
    first.feed(events[:cut])
    data = json.loads(json.dumps(first.dump(), sort_keys=True))  # through its JSON text
    again = Folding.load(loaded, data, keep_closed=False)
    again.feed(events[cut:])
    return again


def test_every_kind_has_a_fold() -> None:
    """The registry requirement: a kind added to KINDS without a fold fails here."""
    assert set(FOLDS) == set(KINDS)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [1, 2])
def test_fold_is_the_pure_proof_at_every_cut(path: Path, seed: int) -> None:
    loaded = _loaded(path)
    events = generated(loaded, 90, seed)
    times = (START + timedelta(days=200), START + timedelta(days=4000))
    wanted = [_pure(loaded, events, at) for at in times]
    assert all(any(not v.holds for v in want) for want in wanted)  # breaches to compare
    whole = Folding(loaded)
    whole.feed(events)
    assert [whole.verdicts(End(at)) for at in times] == wanted
    assert whole.holdings() == holdings(loaded.contract, events)
    for cut in range(len(events) + 1):
        again = _resumed(loaded, events, cut)
        # finishing twice is allowed: a fold's end leaves its state as it was
        assert [again.verdicts(End(at)) for at in times] == wanted, f"cut after event {cut}"
        assert again.lineage.open_holdings() == whole.lineage.open_holdings()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contract=st.sampled_from(SHIPPED),
    seed=st.integers(0, 10_000),
    n=st.integers(0, 60),
    cut=st.floats(0, 1),
    days=st.integers(0, 6000),
)
def test_resumed_fold_matches_on_random_ledgers(
    contract: Path, seed: int, n: int, cut: float, days: int
) -> None:
    loaded = _loaded(contract)
    events = generated(loaded, n, seed)
    at = START + timedelta(days=days)
    k = int(cut * n)
    assert _resumed(loaded, events, k).verdicts(End(at)) == _pure(loaded, events, at)
