"""`prove --from-state`: a proof from a checkpoint's state reads only the events after it and
gives the whole read's verdicts, counterexamples, evidence and scope, at every cut of a
generated ledger; a state changed, of another contract or of another ledger is refused (exit 2)
naming what differs."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT, run_cli
from tests.flow.state_ledgers import START, generated

from datacontract.api.flow import ProveOptions, prove
from datacontract.api.ledger import CheckpointOptions, ledger_checkpoint
from datacontract.contract.load import LoadedContract, load_contract
from datacontract.errors import LedgerError
from datacontract.flow.authority import delivery, replays, role_problem
from datacontract.ledger import store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import Event, EventDraft
from datacontract.ledger.keys import new_keys

SHIPPED = sorted((ROOT / "contracts").glob("*.yaml"))
AT = (START + timedelta(days=900)).isoformat()


def _draft(e: Event) -> EventDraft:
    return EventDraft(
        time=e.time,
        kind=e.kind,
        contract=e.contract,
        contract_version=e.contract_version,
        party=e.party,
        dataset=e.dataset,
        hop=e.hop,
        sender=e.sender,
        receiver=e.receiver,
        sha256=e.sha256,
        rows=e.rows,
        violation=e.violation,
        findings=e.findings,
        milestone=e.milestone,
        keys=e.keys,
        reference=e.reference,
    )


def _in_role(loaded: LoadedContract, events: list[Event]) -> list[Event]:
    """The events an honest ledger holds: authors in role, each receipt after its send."""
    kept = [e for e in events if role_problem(loaded.contract, e) is None]
    again = {e.seq for e, _ in replays(kept)}
    out, waiting = [], Counter[tuple[str | None, ...]]()
    for e in kept:
        if e.seq in again:
            continue
        if e.kind == "sent":
            waiting[delivery(e)] += 1
        elif e.kind == "received":
            if not waiting[delivery(e)]:
                continue
            waiting[delivery(e)] -= 1
        out.append(e)
    return out


def _ledger(tmp: Path, loaded: LoadedContract, events: list[Event], name: str = "whole") -> Path:
    path = tmp / f"{name}.jsonl"
    store.init(str(path), loaded.contract.contract, loaded.contract.version)
    for e in events:
        store.append(str(path), _draft(e), Appending())
    return path


def _json(proof: Any) -> dict[str, Any]:
    out: dict[str, Any] = proof.to_json()
    del out["holdings"]  # from a state: those open at it and every one since
    out["evidence"].pop("from_state", None)
    return out


def _cut(tmp: Path, loaded: LoadedContract, whole: Path, k: int, key: Path) -> tuple[Path, Path]:
    """A checkpoint and state after the first k events of whole; the ledger then grown back."""
    lines = whole.read_bytes().splitlines(keepends=True)
    ledger = tmp / f"cut{k}.jsonl"
    ledger.write_bytes(b"".join(lines[:k]))
    state, cp = tmp / f"cut{k}.state", tmp / f"cut{k}.cp"
    made = ledger_checkpoint(CheckpointOptions(str(ledger), key, loaded, None, str(state)))
    assert made.text is not None
    cp.write_text(made.text)
    shutil.copyfile(whole, ledger)
    return cp, state


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    new_keys("auditor", folder)
    return folder / "auditor.key"


# Every cut of one contract's ledger; a few cuts of the others' (each proof re-reads the declared
# SQL of the derivations: test_state_fold.py checks every cut of every contract at the fold).
CUTS = {SHIPPED[1].stem: None}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_a_proof_from_the_state_at_every_cut_is_the_whole_proof(
    path: Path, key: Path, tmp_path: Path
) -> None:
    loaded = load_contract(path)
    events = _in_role(loaded, generated(loaded, 45, seed=7))
    whole = _ledger(tmp_path, loaded, events)
    full = prove(ProveOptions(loaded, str(whole), at=AT, format="json")).proof
    assert not full.holds  # breaches to compare
    n = len(events)
    every = path.stem in CUTS
    for k in range(n + 1) if every else sorted({0, 1, n // 3, n // 2, n - 1, n}):
        cp, state = _cut(tmp_path, loaded, whole, k, key)
        ledger = tmp_path / f"cut{k}.jsonl"
        options = ProveOptions(
            loaded, str(ledger), checkpoints=(str(cp),), at=AT, format="json", from_state=state
        )
        baseline = prove(ProveOptions(loaded, str(ledger), checkpoints=(str(cp),), at=AT)).proof
        resumed = prove(options).proof
        assert resumed.evidence.from_state is not None, f"cut {k}: read in full"
        assert resumed.evidence.from_state[1] == k
        assert _json(resumed) == _json(baseline), f"cut after event {k}"
        assert len(resumed.records) == len(events) - k  # only the events after it were read


def test_a_ledger_with_problems_after_the_state_is_proven_in_full(
    key: Path, tmp_path: Path
) -> None:
    loaded = load_contract(SHIPPED[0])
    events = generated(loaded, 60, seed=3)  # authors out of role, replays
    honest = _in_role(loaded, events)
    k = len(honest) // 2
    later = [e for e in events if e.seq > honest[k - 1].seq]
    assert any(role_problem(loaded.contract, e) for e in later)
    whole = _ledger(tmp_path, loaded, honest[:k] + later)
    cp, state = _cut(tmp_path, loaded, whole, k, key)
    ledger = tmp_path / f"cut{k}.jsonl"
    base = ProveOptions(loaded, str(ledger), checkpoints=(str(cp),), at=AT)
    resumed = prove(ProveOptions(**{**base.__dict__, "from_state": state})).proof
    assert resumed.evidence.from_state is None
    assert _json(resumed) == _json(prove(base).proof)


def test_a_changed_state_another_contract_or_ledger_is_refused(key: Path, tmp_path: Path) -> None:
    loaded = load_contract(SHIPPED[0])
    events = _in_role(loaded, generated(loaded, 50, seed=5))
    assert len(events) > 20
    whole = _ledger(tmp_path, loaded, events)
    cp, state = _cut(tmp_path, loaded, whole, 20, key)
    ledger = tmp_path / "cut20.jsonl"

    def proving(contract: LoadedContract | Path, at_ledger: Path, with_state: Path) -> None:
        prove(
            ProveOptions(
                contract, str(at_ledger), checkpoints=(str(cp),), at=AT, from_state=with_state
            )
        )

    changed = tmp_path / "changed.state"
    doc = json.loads(state.read_text())
    doc["folding"]["counted"] += 1
    changed.write_text(json.dumps(doc))
    with pytest.raises(LedgerError, match=r"SHA-256 .* the checkpoint .* signs"):
        proving(loaded, ledger, changed)
    other = tmp_path / "other.yaml"
    other.write_text(SHIPPED[0].read_text() + "\n# another version\n")
    with pytest.raises(LedgerError, match="made for contract"):
        proving(other, ledger, state)
    another = _in_role(loaded, generated(loaded, 80, seed=9))
    assert len(another) > 20
    elsewhere = _ledger(tmp_path, loaded, another, "elsewhere")
    with pytest.raises(LedgerError, match="does not hold the state's head"):
        proving(loaded, elsewhere, state)
    # and on the command line: exit 2, the message, no traceback
    run = run_cli(
        "prove", "--contract", SHIPPED[0], "--ledger", ledger, "--checkpoint", cp,
        "--from-state", changed, "--at", AT,
    )  # fmt: skip
    assert run.code == 2
    assert "SHA-256" in run.stderr and "Traceback" not in run.everything


def test_a_signed_ledger_is_proven_from_its_state_with_the_same_keyring(tmp_path: Path) -> None:
    """Signatures verified up to the state (made with the keyring) and after it: the whole
    read's evidence ("verified", the keyring's fingerprint); without the keyring the state,
    made against keys, is not used (the whole ledger is read)."""
    from datacontract.ledger.keys import load_signer

    loaded = load_contract(SHIPPED[1])
    events = _in_role(loaded, generated(loaded, 40, seed=13))
    keys = tmp_path / "keys"
    keys.mkdir()
    names = {p for e in events for p in (e.party, e.sender, e.receiver) if p} | {"auditor"}
    for party in sorted(names):
        new_keys(party, keys)
    ring = tmp_path / "ring"
    ring.mkdir()
    for pub in keys.glob("*.pub"):
        shutil.copy(pub, ring / pub.name)
    path = tmp_path / "signed.jsonl"
    store.init(str(path), loaded.contract.contract, loaded.contract.version)
    for e in events:
        signer = load_signer(keys / f"{e.party}.key")
        store.append(str(path), _draft(e), Appending(signer=signer))
    k = len(events) // 2
    lines = path.read_bytes().splitlines(keepends=True)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(lines[:k]))
    state, cp = tmp_path / "state", tmp_path / "cp"
    made = ledger_checkpoint(
        CheckpointOptions(str(part), keys / "auditor.key", loaded, ring, state)
    )
    assert made.text is not None
    cp.write_text(made.text)
    shutil.copyfile(path, part)
    base = ProveOptions(loaded, str(part), keyring=ring, checkpoints=(str(cp),), at=AT)
    resumed = prove(ProveOptions(**{**base.__dict__, "from_state": state})).proof
    assert resumed.evidence.from_state is not None
    assert resumed.evidence.signatures == "verified"
    assert _json(resumed) == _json(prove(base).proof)
    unkeyed = ProveOptions(loaded, str(part), checkpoints=(str(cp),), at=AT, from_state=state)
    assert prove(unkeyed).proof.evidence.from_state is None


@pytest.mark.parametrize(
    "garbage",
    [b"not json\n", b"[]\n", b'{"format": "datacontract-proof-state/1"}\n', b'{"format": 1}\n'],
)
def test_a_signed_state_that_is_no_state_is_refused(
    garbage: bytes, key: Path, tmp_path: Path
) -> None:
    """Even signed by its checkpoint, a file that is not a state is exit 2, never a traceback."""
    from datacontract.flow.state_file import state_sha256
    from datacontract.ledger.checkpoint import make_checkpoint
    from datacontract.ledger.keys import load_signer

    loaded = load_contract(SHIPPED[0])
    events = _in_role(loaded, generated(loaded, 20, seed=2))
    whole = _ledger(tmp_path, loaded, events)
    state, cp = tmp_path / "state", tmp_path / "cp"
    state.write_bytes(garbage)
    ledger = store.read(str(whole)).events
    text = make_checkpoint(
        loaded.contract.contract, ledger, load_signer(key), state_sha256(garbage)
    )
    cp.write_text(text)
    run = run_cli(
        "prove", "--contract", SHIPPED[0], "--ledger", whole, "--checkpoint", cp,
        "--from-state", state, "--at", AT,
    )  # fmt: skip
    assert run.code == 2, run.everything
    assert "not a proof state" in run.stderr and "Traceback" not in run.everything
