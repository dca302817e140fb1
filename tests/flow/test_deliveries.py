"""A party holds deliveries, not datasets (issue 24, high finding 1).

004 art. 3: the answers are "gedurende 5 jaar bewaard"; 003 art. 3 b: "gedurende een termijn van
5 jaar vanaf de laatste betaling". On these permanent flows a party receives many answers, each
with its own term: VUTG holding an answer of 2025 and one of 2029 destroys the first by 2030 and
may keep the second until 2034. `destroy` names what it destroys: a delivery (by its sha256 or
its receipt event), several, or every copy (`--all`, also what `destroy --party P --dataset D`
alone means, as the spec says).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests.conftest import ROOT

import datacontract as api
from datacontract.contract.load import load_contract
from datacontract.errors import UsageError
from datacontract.flow.record import Refused
from datacontract.ledger import store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import EventDraft, read_ledger

AHOVOKS = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
LOADED = load_contract(AHOVOKS)


def _sha(n: int) -> str:
    return hashlib.sha256(f"answer {n}".encode()).hexdigest()


def _answer(ledger: Path, n: int, day: str, party: str = "vutg") -> None:
    """AHOVOKS answers `party` on `day` (the request first, as art. 3 wants)."""
    c = LOADED.contract
    base = {"contract": c.contract, "contract_version": c.version}
    for kind, hop, ds, snd, rcv, sha in (
        ("sent", "vraag", "historiekinschrijving_vraag", party, "ahovoks", _sha(-n)),
        ("received", "vraag", "historiekinschrijving_vraag", party, "ahovoks", _sha(-n)),
        ("sent", "consultatie", "historiekinschrijving", "ahovoks", party, _sha(n)),
        ("received", "consultatie", "historiekinschrijving", "ahovoks", party, _sha(n)),
    ):
        who = snd if kind == "sent" else rcv
        draft = EventDraft(
            time=f"{day}T10:00:00+01:00", kind=kind, party=who, dataset=ds, hop=hop,
            sender=snd, receiver=rcv, sha256=sha, rows=1, **base,
        )  # fmt: skip
        store.append(ledger, draft, Appending())


def _ledger(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    ledger = tmp_path / "ledger.jsonl"
    store.init(ledger, LOADED.contract.contract, LOADED.contract.version)
    store.append(
        ledger,
        EventDraft(
            time="2025-01-02T09:00:00+01:00",
            kind="milestone",
            party="vutg",
            milestone="kennisgeving_gezin",
            contract=LOADED.contract.contract,
            contract_version=LOADED.contract.version,
        ),
        Appending(),
    )
    _answer(ledger, 1, "2025-03-01")
    _answer(ledger, 2, "2029-03-01")
    return ledger


def _destroy(ledger: Path, at: str, **which: object) -> api.Recorded:
    return api.destroy(
        api.DutyOptions(AHOVOKS, "vutg", "historiekinschrijving", ledger, at, **which)  # type: ignore[arg-type]
    )


def _retention_id() -> str:
    return next(i.id for i in LOADED.contract.invariants if i.kind == "retained_at_most")


def test_each_delivery_runs_its_own_term(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    # 2030-06: the answer of 2025 is late, the answer of 2029 is not.
    proof = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2030-06-01T00:00:00+01:00")).proof
    verdict = next(v for v in proof.verdicts if v.invariant == _retention_id())
    assert len(verdict.counterexamples) == 1
    got = {e for c in verdict.counterexamples for e in c.events}
    received = [
        e.seq for e in read_ledger(ledger).events if e.kind == "received" and e.hop == "consultatie"
    ]
    assert received[0] in got and received[1] not in got


def test_destroying_one_delivery_keeps_the_other_with_its_term(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    first = _destroy(ledger, "2030-02-01T10:00:00+01:00", sha256=(_sha(1),))
    assert first.event.sha256 == _sha(1)
    proof = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2033-06-01T00:00:00+01:00")).proof
    assert next(v for v in proof.verdicts if v.invariant == _retention_id()).holds
    # the second answer is still held: a second destroy is not refused, and past 2034 it is late
    late = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2034-06-01T00:00:00+01:00")).proof
    verdict = next(v for v in late.verdicts if v.invariant == _retention_id())
    assert len(verdict.counterexamples) == 1
    second = _destroy(ledger, "2034-01-01T10:00:00+01:00", sha256=(_sha(2),))
    assert second.event.sha256 == _sha(2)
    end = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2040-01-01T00:00:00+01:00")).proof
    assert next(v for v in end.verdicts if v.invariant == _retention_id()).holds


def test_a_delivery_is_named_by_its_receipt_event(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    received = [
        e for e in read_ledger(ledger).events if e.kind == "received" and e.hop == "consultatie"
    ]
    done = _destroy(ledger, "2030-02-01T10:00:00+01:00", events=(received[1].seq,))
    assert done.event.sha256 == received[1].sha256
    proof = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2030-06-01T00:00:00+01:00")).proof
    verdict = next(v for v in proof.verdicts if v.invariant == _retention_id())
    assert len(verdict.counterexamples) == 1  # the 2025 answer is still held, and late


def test_all_and_the_bare_command_destroy_every_copy(tmp_path: Path) -> None:
    for which in ({"every": True}, {}):
        ledger = _ledger(tmp_path / str(len(which)))
        done = _destroy(ledger, "2030-02-01T10:00:00+01:00", **which)
        assert done.event.sha256 is None
        with pytest.raises(Refused):
            _destroy(ledger, "2030-02-02T10:00:00+01:00", **which)


def test_a_delivery_not_held_is_refused_and_nothing_recorded(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    before = ledger.read_bytes()
    with pytest.raises(Refused):
        _destroy(ledger, "2030-02-01T10:00:00+01:00", sha256=(_sha(7),))
    with pytest.raises(UsageError):
        _destroy(ledger, "2030-02-01T10:00:00+01:00", events=(1,))  # a milestone, no delivery
    with pytest.raises(UsageError):
        _destroy(ledger, "2030-02-01T10:00:00+01:00", sha256=(_sha(1),), every=True)
    assert ledger.read_bytes() == before
    _destroy(ledger, "2030-02-01T10:00:00+01:00", sha256=(_sha(1),))
    with pytest.raises(Refused):  # destroyed already
        _destroy(ledger, "2030-02-02T10:00:00+01:00", sha256=(_sha(1),))


def test_the_proof_shows_each_deliverys_holding(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path)
    _destroy(ledger, "2030-02-01T10:00:00+01:00", sha256=(_sha(1),))
    proof = api.prove(api.ProveOptions(AHOVOKS, ledger, at="2031-01-01T00:00:00+01:00")).proof
    mine = [h for h in proof.holdings if h.party == "vutg" and h.dataset == "historiekinschrijving"]
    assert [(h.sha256, h.end_seq is None) for h in mine] == [(_sha(1), False), (_sha(2), True)]


def test_the_command_line_names_deliveries(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    ledger = _ledger(tmp_path)
    base = ["destroy", "--contract", AHOVOKS, "--party", "vutg", "--dataset"]
    base += ["historiekinschrijving", "--ledger", ledger]
    one = run_cli(*base, "--sha256", _sha(1), "--at", "2030-02-01T10:00:00+01:00")
    assert one.code == 0 and f"delivery sha256 {_sha(1)}" in one.stdout
    both = run_cli(*base, "--all", "--sha256", _sha(2), "--at", "2030-02-02T10:00:00+01:00")
    assert both.code == 2 and "Traceback" not in both.everything
    rest = run_cli(*base, "--all", "--at", "2030-02-02T10:00:00+01:00")
    assert rest.code == 0 and "every copy" in rest.stdout
    again = run_cli(*base, "--at", "2030-02-03T10:00:00+01:00")
    assert again.code == 1 and "refused" in again.stderr
