"""A full `prove` of a file ledger in chunks (flow/state_stream.py): at most a chunk of events
held at once, and the whole read's verdicts, counterexamples, evidence, scope and holdings, in
JSON and text; a ledger whose problems the chunks cannot clear is read whole, as before."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.flow.state_ledgers import START, generated
from tests.flow.test_state_prove import SHIPPED, _draft, _in_role, _ledger

from datacontract.api import flow as api_flow
from datacontract.api.flow import ProveOptions, prove
from datacontract.contract.load import load_contract
from datacontract.errors import UsageError
from datacontract.flow import state_stream
from datacontract.flow.authority import role_problem
from datacontract.ledger import store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import Chain
from datacontract.ledger.jsonl_file import FileLedger
from datacontract.ledger.keys import load_signer, new_keys

AT = (START + timedelta(days=900)).isoformat()
CHUNK = 7


class Watch:
    """The most events any Chain held at once, and whether the whole ledger was read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.most = 0
        self.whole_reads = 0
        feed = Chain.feed
        read = FileLedger.read

        def watched_feed(chain: Chain, raw: bytes) -> None:
            feed(chain, raw)
            self.most = max(self.most, len(chain.events))

        def watched_read(ledger: FileLedger) -> Any:
            self.whole_reads += 1
            return read(ledger)

        monkeypatch.setattr(Chain, "feed", watched_feed)
        monkeypatch.setattr(FileLedger, "read", watched_read)
        monkeypatch.setattr(state_stream, "CHUNK", CHUNK)


def _whole(options: ProveOptions, monkeypatch: pytest.MonkeyPatch) -> api_flow.Proved:
    """The proof as the whole read makes it (no chunks)."""
    with monkeypatch.context() as m:
        m.setattr(api_flow, "_streamed", lambda *_: None)
        return prove(options)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_full_prove_in_chunks_holds_a_chunk_and_is_the_whole_proof(
    path: Path, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_contract(path)
    events = _in_role(loaded, generated(loaded, 90, seed=11))
    assert len(events) > 5 * CHUNK
    ledger = _ledger(tmp_path, loaded, events)
    options = ProveOptions(loaded, str(ledger), at=AT, format=fmt)
    whole = _whole(options, monkeypatch)
    assert len(whole.proof.records) == len(events)
    watch = Watch(monkeypatch)
    chunked = prove(options)
    assert watch.whole_reads == 0, "the ledger was read whole"
    assert 0 < watch.most <= CHUNK
    assert chunked.proof.records == ()
    assert chunked.document == whole.document
    assert chunked.proof.to_json() == whole.proof.to_json()  # holdings too, in any format
    assert chunked.proof.verdicts == whole.proof.verdicts
    assert chunked.proof.evidence == whole.proof.evidence


def test_html_lists_every_event_so_it_reads_the_whole_ledger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_contract(SHIPPED[0])
    events = _in_role(loaded, generated(loaded, 30, seed=2))
    ledger = _ledger(tmp_path, loaded, events)
    watch = Watch(monkeypatch)
    proved = prove(ProveOptions(loaded, str(ledger), at=AT, format="html"))
    assert watch.whole_reads == 1
    assert len(proved.proof.records) == len(events)


def _edited(ledger: Path) -> None:
    """One event's row count changed in place: the chain breaks there."""
    lines = ledger.read_bytes().splitlines(keepends=True)
    middle = len(lines) // 2
    lines[middle] = lines[middle].replace(b'"seq":', b'"rows":99,"seq":', 1)
    ledger.write_bytes(b"".join(lines))


@pytest.mark.parametrize("damage", ["out_of_role", "edited", "torn"])
def test_a_ledger_the_chunks_cannot_clear_is_read_whole(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_contract(SHIPPED[0])
    events = generated(loaded, 80, seed=3)
    if damage == "out_of_role":
        assert any(role_problem(loaded.contract, e) for e in events)
        ledger = _ledger(tmp_path, loaded, events)
    else:
        ledger = _ledger(tmp_path, loaded, _in_role(loaded, events))
        if damage == "edited":
            _edited(ledger)
        else:
            ledger.write_bytes(ledger.read_bytes()[:-9])
    options = ProveOptions(loaded, str(ledger), at=AT, format="json")
    whole = _whole(options, monkeypatch)
    assert not whole.proof.holds
    watch = Watch(monkeypatch)
    again = prove(options)
    assert watch.whole_reads == 1
    assert again.document == whole.document


def test_an_at_before_the_first_event_is_refused_as_before(tmp_path: Path) -> None:
    loaded = load_contract(SHIPPED[0])
    ledger = _ledger(tmp_path, loaded, _in_role(loaded, generated(loaded, 20, seed=4)))
    early = (START - timedelta(days=1)).isoformat()
    with pytest.raises(UsageError):
        prove(ProveOptions(loaded, str(ledger), at=early, format="json"))


@pytest.mark.parametrize("keyring", ["ring", "none", "wrong"])
def test_a_signed_ledger_in_chunks_has_the_whole_reads_evidence(
    keyring: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signatures checked chunk by chunk against the keyring ("verified", its fingerprint), not
    checked without one, and a key that is not the party's (a forged event) read whole."""
    loaded = load_contract(SHIPPED[1])
    events = _in_role(loaded, generated(loaded, 40, seed=13))
    keys, ring = tmp_path / "keys", tmp_path / "ring"
    keys.mkdir()
    ring.mkdir()
    for party in sorted({p for e in events for p in (e.party, e.sender, e.receiver) if p}):
        new_keys(party, keys)
    for pub in keys.glob("*.pub"):
        shutil.copy(pub, ring / pub.name)
    if keyring == "wrong":  # one party's key in the keyring is a stranger's
        new_keys("stranger", tmp_path)
        shutil.copy(tmp_path / "stranger.pub", sorted(ring.glob("*.pub"))[0])
    path = tmp_path / "signed.jsonl"
    store.init(str(path), loaded.contract.contract, loaded.contract.version)
    for e in events:
        store.append(str(path), _draft(e), Appending(signer=load_signer(keys / f"{e.party}.key")))
    given = None if keyring == "none" else ring
    options = ProveOptions(loaded, str(path), keyring=given, at=AT, format="json")
    whole = _whole(options, monkeypatch)
    watch = Watch(monkeypatch)
    chunked = prove(options)
    assert watch.whole_reads == (1 if keyring == "wrong" else 0)
    assert chunked.document == whole.document
    expected = {"ring": "verified", "none": "not_checked", "wrong": "failed"}[keyring]
    assert chunked.proof.evidence.signatures == expected
