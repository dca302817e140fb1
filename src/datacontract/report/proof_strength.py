"""The strength of a proof in words, for every format: its headline (which says the level:
proven on signed and checkpointed evidence, holds but not proven, broken, not judged), the
lines of evidence it rests on, and each verdict's word. Messages of the catalogue, so the text
and JSON speak English and the HTML and PDF Dutch from the same codes.
"""

from __future__ import annotations

from datacontract.flow.proof import Counterexample, Proof, Verdict
from datacontract.messages import Message, cited, say

_STATUS = {"holds": "holds", "broken": "broken", "not_judged": "not judged"}


def headline(proof: Proof) -> Message:
    """The verdict's words, which say its strength (flow/proof.py LEVELS)."""
    level = proof.level
    if level == "proven":
        return say("level.proven_declared" if proof.mode == "declared" else "level.proven")
    if level == "holds":
        return say("level.holds", weak=tuple(say(f"weak.{w}") for w in proof.evidence.weaknesses))
    if level == "broken":
        broken = sum(1 for v in proof.verdicts if not v.holds)
        return say("level.broken", broken=broken, total=len(proof.verdicts))
    damage = proof.evidence.damage
    assert damage is not None
    return say("level.not_judged", line=damage.line, damage=say(f"damage.{damage.kind}"))


def evidence_lines(proof: Proof) -> list[tuple[str, Message]]:
    """What the verdicts rest on, one (key, message) a line, the keys "signatures",
    "checkpoint" and "repairs" (a ledger proof; none for the declared flow)."""
    if proof.mode != "ledger":
        return []
    e = proof.evidence
    n = proof.events
    bad = sum(1 for p in proof.problems if p.kind in ("forged", "unsigned"))
    if e.signatures == "verified" and e.keys == "contract":
        signatures = say("evidence.verified_contract", count=n, parties=e.key_parties)
    elif e.signatures == "verified":
        signatures = say("evidence.verified", count=n, keyring=str(e.keyring))
    elif e.signatures == "failed" and e.keys == "contract":
        signatures = say("evidence.failed_contract", bad=bad, count=n, parties=e.key_parties)
    elif e.signatures == "failed":
        signatures = say("evidence.failed", bad=bad, count=n, keyring=str(e.keyring))
    else:
        signatures = say("evidence.not_checked", signed=e.signed, count=n)
    if e.checkpoint == "consistent":
        checkpoint = say("evidence.checkpoint_consistent", covered=e.checkpointed, count=n)
    elif e.checkpoint == "inconsistent":
        checkpoint = say("evidence.checkpoint_inconsistent")
    else:
        checkpoint = say("evidence.checkpoint_absent")
    repairs = (
        say("evidence.repairs", count=len(e.repairs)) if e.repairs else say("evidence.no_repair")
    )
    return [("signatures", signatures), ("checkpoint", checkpoint), ("repairs", repairs)]


def status_word(v: Verdict) -> str:
    """holds, holds (vacuously), broken, not judged."""
    word = _STATUS[v.judged]
    return f"{word} (vacuously)" if v.vacuous else word


def says_its_events(c: Counterexample) -> bool:
    """Whether the counterexample's sentence already cites every event it names, so that a
    line (text, HTML, PDF) says them once, not before the sentence too ("event 23: event 23:
    ..."); False when it names none (the line says "the ledger" or "declared flow")."""
    return bool(c.events) and set(c.events) <= cited(c.said)
