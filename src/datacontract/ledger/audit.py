"""What an auditor checks beyond the chain: signatures, receipts' witnesses, checkpoints.

audit() returns the ledger's state with a LedgerProblem for every event not signed by the
party it names (with a keyring: "unsigned" or "forged"; without one, every unsigned event after
the ledger's first signed event: once a ledger is signed, it takes only signed events), every
receipt whose witnessed head the ledger no longer holds, and every checkpoint the ledger does
not extend or that belongs to another ledger (its origin is not this ledger's contract). The
prover shows each as a counterexample of `ledger_intact`, and `ledger verify` lists them.
Messages (codes of datacontract/messages.py) name seq numbers and files only. Who may make
each event is the contract's to say: flow/authority.py adds those problems.
"""

from __future__ import annotations

from collections.abc import Sequence

from datacontract.ledger.chain import LedgerProblem, LedgerState
from datacontract.ledger.checkpoint import Checkpoint, checkpoint_problem
from datacontract.ledger.signing import Keyring, event_signature_problem
from datacontract.messages import say


def audit(
    state: LedgerState,
    *,
    keyring: Keyring | None = None,
    checkpoints: Sequence[tuple[str, Checkpoint]] = (),
    contract: str | None = None,
) -> LedgerState:
    """state, with the problems of signatures, witnesses and checkpoints added.

    keyring: each party's public key(s); contract: the id of the contract the ledger is bound
    to, when it holds no event yet (a checkpoint's origin must name it).
    """
    found: list[LedgerProblem] = []
    by_seq = {e.seq: e for e in state.events}
    first_signed: int | None = None
    for line, e in enumerate(state.events, start=1):
        if keyring is not None:
            problem = event_signature_problem(e, keyring)
            if problem is not None:
                kind = "forged" if problem.code == "sig.forged" else "unsigned"
                found.append(LedgerProblem(kind, line, e.seq, problem))
        elif e.sig is not None:
            first_signed = e.seq if first_signed is None else first_signed
        elif first_signed is not None:
            said = say("sig.unsigned_after", seq=e.seq, first=first_signed)
            found.append(LedgerProblem("unsigned", line, e.seq, said))
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
    if state.events:
        contract = state.events[0].contract
    for name, cp in checkpoints:
        problem = checkpoint_problem(name, cp, contract, state.events, keyring)
        if problem is not None:
            found.append(LedgerProblem("checkpoint", cp.size, None, problem))
    return LedgerState(state.events, state.problems + tuple(found))
