"""A PostgreSQL append without a flow check reads the head row alone (issue 26.4): the chain it
builds is the same, the trigger still refuses a row that does not continue it, and what the
full read refused (a signed ledger taking an unsigned event, another contract) it refuses."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from tests.ledger.postgres_server import Server

from datacontract.errors import LedgerError, LedgerRefused
from datacontract.ledger import postgres, store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import EventDraft
from datacontract.ledger.keys import load_signer, new_keys


def _draft(i: int, contract: str = "bench") -> EventDraft:
    return EventDraft(
        time="2025-01-01T00:00:00+01:00",
        kind="made",
        contract=contract,
        contract_version="1",
        party="a",
        dataset=f"d{i % 3}",
    )


def test_an_append_without_a_check_reads_only_the_head(
    pg_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_server.database()
    where = store.locate(url)
    store.init(where, "bench", "1")

    def whole_chain(*_: object, **__: object) -> object:
        raise AssertionError("the whole chain was read")

    monkeypatch.setattr(postgres, "_chain", whole_chain)
    made = [store.append(where, _draft(i), Appending(stamp=True)) for i in range(12)]
    monkeypatch.undo()
    state = store.read(where)
    assert state.intact
    assert [e.seq for e in state.events] == list(range(1, 13))
    assert [e.hash for e in state.events] == [e.hash for e in made]


def test_the_head_path_refuses_what_the_full_read_refuses(
    pg_server: Server, tmp_path: Path
) -> None:
    url = pg_server.database()
    where = store.locate(url)
    store.init(where, "bench", "1")
    new_keys("a", tmp_path)
    signed = Appending(stamp=True, signer=load_signer(tmp_path / "a.key"))
    store.append(where, _draft(0), signed)
    with pytest.raises(LedgerRefused, match="signed"):
        store.append(where, _draft(1), Appending(stamp=True))
    with pytest.raises(LedgerError, match="bound to contract"):
        store.append(where, _draft(1, "other"), signed)
    store.append(where, _draft(2), signed)
    assert [e.seq for e in postgres.read(url).events] == [1, 2]


def test_the_trigger_still_refuses_a_row_off_the_chain(pg_server: Server) -> None:
    url = pg_server.database()
    where = store.locate(url)
    store.init(where, "bench", "1")
    first = store.append(where, _draft(0), Appending(stamp=True))
    line = first.to_json()
    with psycopg.connect(url) as conn, pytest.raises(psycopg.Error):
        conn.execute(
            "INSERT INTO datacontract_ledger (seq, party, prev, hash, line) "
            "VALUES (%s, %s, %s, %s, %s)",
            (3, "a", first.hash, first.hash, str(line)),
        )


def test_a_proof_from_a_state_reads_the_rows_after_its_head(
    pg_server: Server, tmp_path: Path
) -> None:
    """The state of a database ledger: the rows after its seq, the same proof as a whole read."""
    from tests.conftest import CONTRACT
    from tests.flow.state_ledgers import generated
    from tests.flow.test_state_prove import AT, _draft, _in_role, _json

    from datacontract.api.flow import ProveOptions, prove
    from datacontract.api.ledger import CheckpointOptions, ledger_checkpoint
    from datacontract.contract.load import load_contract

    loaded = load_contract(CONTRACT)
    events = _in_role(loaded, generated(loaded, 40, seed=11))
    url = pg_server.database()
    store.init(url, loaded.contract.contract, loaded.contract.version)
    k = len(events) // 2
    for e in events[:k]:
        store.append(url, _draft(e), Appending())
    new_keys("auditor", tmp_path)
    state = tmp_path / "state"
    made = ledger_checkpoint(CheckpointOptions(url, tmp_path / "auditor.key", loaded, None, state))
    assert made.text is not None
    (tmp_path / "cp").write_text(made.text)
    for e in events[k:]:
        store.append(url, _draft(e), Appending())
    whole = ProveOptions(loaded, url, checkpoints=(str(tmp_path / "cp"),), at=AT)
    resumed = prove(ProveOptions(**{**whole.__dict__, "from_state": state})).proof
    assert resumed.evidence.from_state is not None
    assert len(resumed.records) == len(events) - k
    assert _json(resumed) == _json(prove(whole).proof)
