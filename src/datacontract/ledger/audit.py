"""What an auditor checks beyond the chain: signatures, receipts' witnesses, checkpoints.

audit() returns the ledger's state with a LedgerProblem for every event not signed by the
party it names (with a keyring), every receipt whose witnessed head the ledger no longer holds,
and every checkpoint the ledger does not extend; the prover shows each as a counterexample of
`ledger_intact`, and `ledger verify` lists them. Messages (codes of datacontract/messages.py)
name seq numbers and files only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.ledger.chain import LedgerProblem, LedgerState
from datacontract.ledger.checkpoint import Checkpoint, checkpoint_problem
from datacontract.ledger.signing import event_signature_problem
from datacontract.messages import say


def audit(
    state: LedgerState,
    *,
    keyring: Mapping[str, Ed25519PublicKey] | None = None,
    checkpoints: Sequence[tuple[str, Checkpoint]] = (),
) -> LedgerState:
    """state, with the problems of signatures, witnesses and checkpoints added."""
    found: list[LedgerProblem] = []
    by_seq = {e.seq: e for e in state.events}
    for line, e in enumerate(state.events, start=1):
        if keyring is not None:
            problem = event_signature_problem(e, keyring)
            if problem is not None:
                kind = "forged" if problem.code == "sig.forged" else "unsigned"
                found.append(LedgerProblem(kind, line, e.seq, problem))
        if e.witness is not None:
            seq_text, head = e.witness.split(":")
            seen = by_seq.get(int(seq_text))
            if int(seq_text) and (seen is None or seen.hash != head):
                found.append(
                    LedgerProblem(
                        "witness",
                        line,
                        e.seq,
                        say("witness", seq=e.seq, witnessed=int(seq_text)),
                    )
                )
    contract = state.events[0].contract if state.events else None
    for name, cp in checkpoints:
        problem = checkpoint_problem(name, cp, contract, state.events, keyring)
        if problem is not None:
            found.append(LedgerProblem("checkpoint", cp.size, None, problem))
    return LedgerState(state.events, state.problems + tuple(found))
