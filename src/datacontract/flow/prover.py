"""The flow invariants as pure functions: (contract, holdings, ledger, time) -> verdict.

Each kind of invariant the contract may declare is one entry of flow.kinds.KINDS; `prove`
runs them in the contract's order and returns a Proof: every invariant with its verdict, and
for each broken one the counterexamples: the events (by seq), parties, datasets, hops and times
involved, and the article it breaks. Without a ledger, `prove` checks the declared flow alone:
can the hops the contract declares, with the invariants it declares, lead to a bad path?

`breaks` is the pre-transfer question a hook asks: which invariants would this one event break,
given what the ledger holds? Only counterexamples that involve the new event count, so a
violation recorded earlier does not block every later honest transfer.

Nothing here reads files except the declared SQL derivations (through sqllineage); nothing here
holds a cell value: events carry hashes, counts, rule ids and articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.flow.authority import uncounted
from datacontract.flow.declared import unguarded_meetings
from datacontract.flow.kinds import KINDS, check
from datacontract.flow.lineage import holdings
from datacontract.flow.proof import Counterexample, Proof, Verdict
from datacontract.flow.view import Flow
from datacontract.ledger.chain import Event, LedgerState
from datacontract.messages import render, say


def _verdict(flow: Flow, inv: model.Invariant) -> Verdict:
    found = check(flow, inv)
    return Verdict(inv.id, inv.kind, inv.title, inv.article, not found, tuple(found))


def prove(
    loaded: LoadedContract,
    ledger: LedgerState | None,
    *,
    at: datetime,
    ledger_path: Path | str | None = None,
) -> Proof:
    """Every invariant of the contract, on the ledger (or on the declared flow alone)."""
    records: Sequence[Event] = ledger.events if ledger is not None else ()
    # An event its author may not make, a replayed receipt, an unsigned or forged event is a
    # breach of ledger_intact (its problem), and does not count toward the flow.
    skip = uncounted(ledger) if ledger is not None else frozenset()
    events = [e for e in records if e.seq not in skip] if skip else records
    held = holdings(loaded.contract, events) if ledger is not None else []
    flow = Flow(loaded, events, held, at, ledger)
    verdicts = [_verdict(flow, inv) for inv in loaded.contract.invariants]
    separate = loaded.contract.separate
    if ledger is None and separate is not None:
        # Only a protocol that keeps data apart declares `separate`; one whose purpose is to
        # link identifiers and background data at one party (IKT) does not.
        meetings = unguarded_meetings(flow, separate)
        verdicts.append(
            Verdict(
                "declared_flow_keeps_contact_and_background_apart",
                "declared_flow",
                # the title of an invariant is the contract's (Dutch) words, in every format
                render(say("meet_unguarded.title"), "nl"),
                separate.article,
                not meetings,
                tuple(meetings),
            )
        )
    return Proof(
        contract=loaded.contract.contract,
        version=loaded.contract.version,
        contract_sha256=loaded.sha256,
        mode="ledger" if ledger is not None else "declared",
        ledger=str(ledger_path) if ledger_path is not None else None,
        ledger_hash=ledger.head if ledger is not None else None,
        at=at.isoformat(),
        events=len(records),
        verdicts=tuple(verdicts),
        holdings=tuple(held),
        records=tuple(records),
        problems=ledger.problems if ledger is not None else (),
    )


def breaks(
    loaded: LoadedContract, ledger: LedgerState, candidates: Sequence[Event], *, at: datetime
) -> tuple[Verdict, ...]:
    """The invariants the `candidates` (not yet appended) would break, given the ledger.

    Only counterexamples that involve a candidate count: a violation recorded earlier does
    not block every later honest event.
    """
    events = [*ledger.events, *candidates]
    new = {c.seq for c in candidates}
    flow = Flow(loaded, events, holdings(loaded.contract, events), at, ledger)
    out = []
    for inv in loaded.contract.invariants:
        kind = KINDS[inv.kind]  # every kind is known: the contract loaded
        if not kind.per_event:
            continue
        mine = tuple(c for c in kind.run(flow, inv) if new & set(c.events))
        if mine:
            out.append(Verdict(inv.id, inv.kind, inv.title, inv.article, False, mine))
    return tuple(out)


__all__ = ["Counterexample", "Proof", "Verdict", "breaks", "prove"]
