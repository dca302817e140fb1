"""A full proof of a file ledger in chunks: memory follows the proof's state, not the ledger.

`streamed` reads the ledger file from its first line with one Chain, CHUNK lines at a time;
each chunk is audited as the whole audit would audit it, going on from what the audit keeps of
the chunks before (flow/state_audit.py's AuditKeep: signatures, who made each event, replayed
receipts, witnesses), folded into the proof's state (flow/state.py's Folding, from the empty
state), and dropped. So at most CHUNK events are held at once, beside the state: the open
holdings and what each invariant still needs, the audit's open deliveries, the seqs of unsigned
events (the evidence lists them) and the closed holdings (Proof.holdings: the JSON lists them).

It gives None, and the caller reads and audits the whole ledger as before, whenever the whole
read could say something the chunks cannot: a checkpoint given (checked against the whole
ledger), a problem of the chain anywhere (its damage is judged on the prefix before it), or any
event the audit keeps too little to clear (AuditKeep.clean: a signature, an author out of role,
a receipt of a delivery it does not follow, a witness it did not keep). So a streamed proof has
the whole read's verdicts, counterexamples and evidence (tests/flow/test_state_stream.py
compares the two); its `records` are empty: the formats that list every event (HTML, PDF) are
made from the whole read (api/flow.py prove).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from datacontract import limits
from datacontract.contract.load import LoadedContract
from datacontract.errors import LedgerError
from datacontract.flow.evidence import key_parties, keyring_fingerprint
from datacontract.flow.proof import Evidence, Proof, Repair
from datacontract.flow.prover import Resumed, prove
from datacontract.flow.state import Folding
from datacontract.flow.state_audit import AuditKeep
from datacontract.ledger.chain import Chain, Event, LedgerState
from datacontract.ledger.event import GENESIS
from datacontract.ledger.signing import Keyring

CHUNK = 8192
"""Ledger lines read, audited and folded at a time (the most events held at once)."""


@dataclass(frozen=True)
class Streamed:
    """A proof made in chunks, and the ledger's first event (for the caller's check of --at)."""

    proof: Proof
    first: Event | None


def streamed(
    loaded: LoadedContract,
    path: Path,
    *,
    bound: Keyring | None,
    keys_from: str,
    at: datetime,
    repairs: Sequence[Repair],
) -> Streamed | None:
    """The proof of the file ledger at `path` (existing) made in chunks, None when the whole
    ledger must be read instead (see the module). bound: the keys every signature is checked
    against (None: not checked), keys_from where they come from ("contract" or "keyring").
    LedgerError when the file cannot be opened or read."""
    size = CHUNK
    try:
        stream = limits.open_regular(path)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
    chain = Chain()
    keep = AuditKeep()
    folding = Folding(loaded)
    read = _Read()

    def fold() -> bool:
        """Audit and fold the events the chain holds, and drop them; False when the whole
        ledger must be read."""
        events, chain.events = chain.events, []
        if not keep.clean(loaded.contract, events, bound):
            return False
        folding.feed(events)
        if events:
            read.first = read.first or events[0]
            read.last = events[-1]
            read.total += len(events)
        return True

    collecting = gc.isenabled()
    gc.disable()  # events hold no cycles (as ledger/chain.feed): dropped chunks are freed
    try:
        with stream:
            for raw in stream:
                chain.feed(raw)
                if chain.problems:
                    return None
                if len(chain.events) >= size and not fold():
                    return None
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
    finally:
        if collecting:
            gc.enable()
    if not fold():
        return None
    evidence = Evidence(
        signatures="not_checked" if bound is None else "verified",
        signed=keep.signed,
        keyring=keyring_fingerprint(bound) if bound is not None else None,
        checkpoint="absent",
        checkpointed=0,
        repairs=tuple(repairs),
        damage=None,
        unsigned=tuple(keep.unsigned),
        keys=keys_from if bound is not None else None,
        key_parties=key_parties(bound, [p.id for p in loaded.contract.parties])
        if bound is not None
        else (),
    )
    head = read.last.hash if read.last is not None else GENESIS
    resumed = Resumed(folding, read.total, head)
    proof = prove(
        loaded, LedgerState(()), at=at, ledger_path=str(path), evidence=evidence, resumed=resumed
    )
    return Streamed(proof, read.first)


@dataclass
class _Read:
    """What the chunks read so far leave: the first and last event, and how many."""

    first: Event | None = None
    last: Event | None = None
    total: int = 0
