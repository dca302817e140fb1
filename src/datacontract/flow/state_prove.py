"""A proof from a checkpoint's proof state: only the events after it are read.

`from_state` reads the state (flow/state_file.py: checked against its checkpoint, contract and
ledger; refused, exit 2, naming what differs), then the events after its head
(LedgerBackend.read_after), and proves on those from the state. It gives None, and the caller
proves on the whole ledger, whenever the whole read could say something the state cannot:
another checkpoint given beside it, keys other than those the state's events were verified
against, a checkpoint signature the keyring does not verify, or any problem after the state (a
broken chain, a signature, an author out of role, a replayed receipt, a witness it did not
keep). So a proof from a state has the whole read's verdicts, counterexamples and evidence,
and says in its evidence that it was made from the state (`from_state`); its holdings are those
open at the state and every one since, its records the events after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.contract.load import LoadedContract
from datacontract.errors import LedgerError
from datacontract.flow.authority import declared_keys
from datacontract.flow.evidence import key_parties, keyring_fingerprint
from datacontract.flow.fold import event_from
from datacontract.flow.proof import Evidence, Proof, Repair
from datacontract.flow.prover import Resumed, prove
from datacontract.flow.state_file import keys_fingerprint, read_state, state_sha256
from datacontract.ledger.backend import LedgerBackend
from datacontract.ledger.chain import Event
from datacontract.ledger.checkpoint import Checkpoint, signed_by
from datacontract.ledger.signing import Keyring


def from_state(
    loaded: LoadedContract,
    backend: LedgerBackend,
    state_path: str | Path,
    checkpoints: Sequence[tuple[str, Checkpoint]],
    *,
    keyring: Mapping[str, Ed25519PublicKey] | None,
    bound: Keyring | None,
    at: datetime,
    repairs: Sequence[Repair],
) -> tuple[Proof, Event | None] | None:
    """The proof from the state, and the ledger's first event (for the caller's check of
    --at); None when the whole ledger must be read instead (see the module). keyring: the one
    given (the evidence names it); bound: the keys events are checked against."""
    signing = [(name, cp) for name, cp in checkpoints if cp.state is not None]
    if not signing:
        raise LedgerError(
            f"{state_path}: give the --checkpoint that signs this state (made with "
            "`ledger checkpoint --state`)"
        )
    from datacontract import limits

    try:
        sha = state_sha256(limits.read_regular(state_path, 1 << 30, "a proof's state"))
    except OSError as exc:
        raise LedgerError(f"{state_path}: cannot read the state: {exc.strerror or exc}") from exc
    name, cp = next(((n, c) for n, c in signing if c.state == sha), signing[0])
    state = read_state(state_path, loaded, cp, name)
    if len(checkpoints) > 1:
        return None  # the others are checked on the whole ledger
    if keys_fingerprint(bound) != state.doc["keys"]:
        return None  # its events were verified against other keys, or none
    if bound is not None and not signed_by(cp, bound):
        return None  # the whole read reports the checkpoint
    try:
        head_time = state.doc["head_time"]
        when = datetime.fromisoformat(head_time) if head_time else at
        first = state.doc["first"]
        first_event = event_from(first) if first is not None else None
    except (TypeError, ValueError) as exc:
        raise LedgerError(f"{state_path}: not a proof state ({type(exc).__name__})") from None
    after = backend.read_after(state.size, state.head, when, state.doc["offset"])
    if after.problems or not state.audit.clean(loaded.contract, after.events, bound):
        return None
    # the keys the events were checked against, named as a whole read names them
    # (api/flow.py prove): the contract's when it pins any (parties[].keys), else the keyring
    source = "contract" if declared_keys(loaded.contract) is not None else "keyring"
    evidence = Evidence(
        signatures="not_checked" if bound is None else "verified",
        signed=state.audit.signed,
        keyring=keyring_fingerprint(bound) if bound is not None else None,
        checkpoint="consistent",
        checkpointed=cp.size,
        repairs=tuple(repairs),
        damage=None,
        unsigned=tuple(state.audit.unsigned),
        from_state=(state.sha256, state.size),
        keys=source if bound is not None else None,
        key_parties=key_parties(bound, [p.id for p in loaded.contract.parties])
        if bound is not None
        else (),
    )
    resumed = Resumed(state.folding, state.size, state.head)
    proof = prove(
        loaded, after, at=at, ledger_path=backend.name, evidence=evidence, resumed=resumed
    )
    return proof, first_event
