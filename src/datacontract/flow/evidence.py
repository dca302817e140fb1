"""What a proof's verdicts rest on: the ledger's signatures, checkpoints, repairs and its first
damage (flow/proof.py's Evidence and Damage), from the audited ledger state.

`first_damage` finds the first place the ledger is not what its writers wrote, among the
problems the chain check and the audit (ledger/chain.py, ledger/audit.py) report, and says its
kind in the auditor's terms: a removed (or moved) event, an edited one, a cut tail, a rewritten
history, an event earlier than the one before, an event its party did not sign. A checkpoint
that names more events than the ledger holds is a cut tail only when the chain shows nothing
else: after an event removed in the middle, the removal is the damage, not a cut.

`judged_prefix` gives the events before the damage: the prover judges the flow on those alone.

Keys: the signatures were checked against the keys the audit bound (flow/authority.py
`bound_keys`): the contract's `parties[].keys` when it declares any (a keyring pinned by the
contract's SHA-256: `keys_from="contract"`), else a `--keyring` folder (pinned by nothing). A
keyring that disagrees with the contract's keys is refused before any of this (exit 2: the
proof cannot tell which keys are the parties' own). `keys_scope` says which, for the proof's
scope and limits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

from datacontract.flow.proof import Damage, Evidence, Repair
from datacontract.ledger.chain import Event, LedgerProblem, LedgerState
from datacontract.ledger.signing import Keyring, keys_of
from datacontract.messages import Message, say

# LedgerProblem.kind -> the kind of damage it is (problems not listed are not damage to the
# ledger's events: a checkpoint whose signature does not verify, or of another ledger, weakens
# the evidence and breaks ledger_intact, but every event is still as its writer wrote it)
DAMAGE = {
    "edited": "edited",
    "bad_json": "edited",
    "bad_event": "edited",
    "removed_or_reordered": "removed",
    "bad_seq": "removed",
    "bad_first": "removed",
    "truncated_last_line": "cut",
    "out_of_order_time": "out_of_order",
    "witness": "rewritten",
    "forged": "forged",
    "unsigned": "unsigned",
}
# a checkpoint problem's code -> the kind of damage it shows
CHECKPOINT_DAMAGE = {
    "checkpoint.cut": "cut",
    "checkpoint.emptied": "cut",
    "checkpoint.rewritten": "rewritten",
}
_UNREADABLE = ("bad_json", "bad_event", "truncated_last_line")  # lines that gave no event
_SIGNATURE = ("forged", "unsigned")  # audit.py numbers these by event, not by file line


def keyring_fingerprint(keyring: Keyring) -> str:
    """The SHA-256 of a keyring: its parties and raw public keys, sorted (hex). A party with
    one key hashes as a keyring folder's PARTY.pub does; one with several (a contract's
    rotation) gives a line per key, in raw-key order; a party with none, nothing."""
    from datacontract.ledger.keys import raw_public

    digest = hashlib.sha256()
    for party in sorted(keyring):
        for raw in sorted(raw_public(k).hex() for k in keys_of(keyring, party)):
            digest.update(party.encode("utf-8") + b"\n" + raw.encode() + b"\n")
    return digest.hexdigest()


def key_parties(keyring: Keyring, declared: Collection[str]) -> tuple[str, ...]:
    """The parties of the contract (`declared`: its party ids) a keyring gives at least one
    key, sorted. A keyring's name the contract does not declare (a keyring folder may hold
    any PARTY.pub) is never listed: it is no party of the contract, and its name is not ours
    to print (a key so named is bound to no party)."""
    return tuple(sorted(p for p in keyring if p in declared and keys_of(keyring, p)))


def keys_scope(evidence: Evidence, parties: Sequence[str]) -> tuple[Message, ...]:
    """What the keys a proof checked the signatures with can and cannot show: no keys (not
    checked), a keyring given with the proof (pinned by nothing), or the keys the contract pins
    (and the contract's `parties` that declare none, whose events no key can verify)."""
    if evidence.keyring is None:
        return (say("scope.no_keyring"),)
    if evidence.keys != "contract":
        return (say("scope.keyring", keyring=evidence.keyring),)
    out = [say("scope.contract_keys", parties=evidence.key_parties)]
    keyless = tuple(p for p in parties if p not in evidence.key_parties)
    if keyless:
        out.append(say("scope.keyless_parties", parties=keyless))
    return tuple(out)


def event_lines(state: LedgerState) -> list[int]:
    """The ledger line (1-based) of each of state.events, skipping lines that gave no event."""
    dead = {p.line for p in state.problems if p.kind in _UNREADABLE}
    lines, line = [], 0
    for _ in state.events:
        line += 1
        while line in dead:
            line += 1
        lines.append(line)
    return lines


def _line_of(problem: LedgerProblem, lines: Sequence[int]) -> int:
    if problem.kind in _SIGNATURE and 0 < problem.line <= len(lines):
        return lines[problem.line - 1]
    return problem.line


def first_damage(state: LedgerState) -> tuple[str, int, LedgerProblem] | None:
    """(kind, line, problem) of the first damage, or None when the events are intact."""
    lines = event_lines(state)
    chain = [p for p in state.problems if p.kind in DAMAGE]
    if chain:
        first = min(chain, key=lambda p: (_line_of(p, lines), p.kind in _SIGNATURE))
        return DAMAGE[first.kind], _line_of(first, lines), first
    for p in state.problems:
        kind = CHECKPOINT_DAMAGE.get(p.said.code) if p.kind == "checkpoint" else None
        if kind == "cut":
            return kind, (lines[-1] + 1 if lines else 1), p
        if kind == "rewritten":
            return kind, 1, p  # somewhere up to the checkpoint's head: nothing before is sure
    return None


def judged_prefix(state: LedgerState, line: int) -> tuple[Event, ...]:
    """The events on the lines before `line`."""
    return tuple(e for e, at in zip(state.events, event_lines(state), strict=True) if at < line)


def evidence(
    state: LedgerState,
    *,
    keyring: Keyring | None,
    checkpoints: Sequence[int],
    repairs: Sequence[Repair],
    declared: Collection[str],
    keys_from: str = "keyring",
) -> Evidence:
    """The evidence of an audited ledger: `keyring` the keys the audit used (None: signatures
    not checked), `keys_from` where they came from ("contract": its parties[].keys; "keyring":
    a folder given with the proof), `declared` the contract's party ids (the only names
    key_parties lists), `checkpoints` the sizes of the checkpoints given (their
    problems are in state.problems), `repairs` what the ledger's repair log records."""
    kinds = {p.kind for p in state.problems}
    bad_checkpoints = {p.line for p in state.problems if p.kind == "checkpoint"}
    consistent = [size for size in checkpoints if size not in bad_checkpoints]
    if not checkpoints:
        checkpoint = "absent"
    elif len(consistent) == len(checkpoints):
        checkpoint = "consistent"
    else:
        checkpoint = "inconsistent"
    if keyring is None:
        signatures = "not_checked"
    else:
        signatures = "failed" if kinds & set(_SIGNATURE) else "verified"
    found = first_damage(state)
    damage = None
    if found is not None:
        kind, line, problem = found
        judged = len(judged_prefix(state, line))
        damage = Damage(kind, line, problem.seq, problem.said, judged)
    return Evidence(
        signatures=signatures,
        signed=sum(1 for e in state.events if e.sig is not None),
        keyring=keyring_fingerprint(keyring) if keyring is not None else None,
        checkpoint=checkpoint,
        checkpointed=max(consistent, default=0),
        repairs=tuple(repairs),
        damage=damage,
        unsigned=tuple(e.seq for e in state.events if e.sig is None),
        keys=keys_from if keyring is not None else None,
        key_parties=key_parties(keyring, declared) if keyring is not None else (),
    )
