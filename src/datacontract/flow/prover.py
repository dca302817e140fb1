"""The flow invariants as pure functions: (contract, holdings, ledger, time) -> verdict.

Each kind of invariant the contract may declare is one entry of flow.kinds.KINDS; `prove`
runs them in the contract's order and returns a Proof: every invariant with its verdict, and
for each broken one the counterexamples: the events (by seq), parties, datasets, hops and times
involved, and the article it breaks. Without a ledger, `prove` checks the declared flow alone:
can the hops the contract declares, with the invariants it declares, lead to a bad path?

On a ledger the verdicts come from the kinds' folds (flow/state.py): one pass over the
counted events, keeping only what each invariant still needs, with the pure functions' results
(tests/flow/test_state_fold.py); `resumed` goes on from a checkpoint's state instead of the
first event (flow/state_prove.py). On the declared flow, and on a damaged ledger's prefix, the
pure functions judge.

`breaks` is the pre-transfer question a hook asks: which invariants would this one event break,
given what the ledger holds? Only counterexamples that involve the new event count, so a
violation recorded earlier does not block every later honest transfer.

On a ledger, the proof also says what its verdicts rest on (flow/evidence.py: signatures,
checkpoints, repairs, the first damage) and what it cannot see (`scope`: messages of the
catalogue, generated from this contract and ledger: the ledger holds what the parties recorded
themselves; each invariant that holds vacuously; each NOT FROM THE PROTOCOL reading a verdict
rests on; each repair; each unsigned event). On a damaged ledger every invariant is judged on
the events before the first damage, at the time of the last of them: a breach there is a
breach; an invariant that holds there is "not judged", since events from the damage on may be
missing or false; and ledger_intact names the damage.

Nothing here reads files except the declared SQL derivations (through sqllineage) and the
contract's own notes (flow/interpretations.py); nothing here holds a cell value: events carry
hashes, counts, rule ids and articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.contract.refs import refs
from datacontract.flow.authority import uncounted
from datacontract.flow.declared import unguarded_meetings
from datacontract.flow.evidence import judged_prefix, keys_scope
from datacontract.flow.interpretations import invariant_notes
from datacontract.flow.kinds import KINDS, check
from datacontract.flow.lineage import Holding, holdings
from datacontract.flow.proof import Counterexample, Evidence, Proof, Verdict
from datacontract.flow.state import End, Folding
from datacontract.flow.view import Flow
from datacontract.flow.withheld import ledger_names, withhold
from datacontract.ledger.chain import Event, LedgerState
from datacontract.messages import Message, render, say


def _verdict(flow: Flow, inv: model.Invariant) -> Verdict:
    found = check(flow, inv)
    return Verdict(inv.id, inv.kind, inv.title, inv.article, not found, tuple(found))


def looks_at(inv: model.Invariant) -> tuple[str, ...]:
    """The hops and datasets an invariant names (its typed references), in its order."""
    return tuple(dict.fromkeys(name for _, name, m in refs(inv) if m.what in ("hop", "dataset")))


# The kinds judged on something other than the ledger's events: the ledger's own integrity, and
# the declared SQL derivations (flow/sqllineage.py). Never vacuous for want of an event.
NOT_ON_EVENTS = frozenset(
    {"ledger_intact", "identifiers_only_pseudonymised", "income_only_in_classes"}
)


def _vacuous(inv: model.Invariant, folded: Folding) -> bool:
    """True when the counted events name no hop or dataset the invariant names (an invariant
    that names none looks at every event: vacuous on an empty ledger)."""
    if inv.kind in NOT_ON_EVENTS:
        return False
    names = set(looks_at(inv))
    if not names:
        return not folded.counted
    return not names & folded.names


def _judged(
    loaded: LoadedContract, ledger: LedgerState, evidence: Evidence, at: datetime
) -> list[Verdict]:
    """The verdicts on a damaged ledger: each invariant on the events before the damage, at
    the time of the last of them (or `at`, when earlier); ledger_intact on the whole ledger."""
    damage = evidence.damage
    assert damage is not None
    before = judged_prefix(ledger, damage.line)
    when = min(at, datetime.fromisoformat(before[-1].time)) if before else at
    whole = Flow(loaded, ledger.events, holdings(loaded.contract, ledger.events), at, ledger)
    prefix = Flow(loaded, before, holdings(loaded.contract, before), when, LedgerState(before, ()))
    out = []
    for inv in loaded.contract.invariants:
        if inv.kind == "ledger_intact":
            out.append(_verdict(whole, inv))
            continue
        v = _verdict(prefix, inv)
        out.append(v if not v.holds else replace(v, holds=False, status="not_judged"))
    return out


@dataclass(frozen=True)
class Resumed:
    """A proof's state after event `size` (flow/state_file.py read it, checked against its
    checkpoint, contract and ledger): the folding to go on from, and the ledger's head there."""

    folding: Folding
    size: int
    head: str


def prove(
    loaded: LoadedContract,
    ledger: LedgerState | None,
    *,
    at: datetime,
    ledger_path: Path | str | None = None,
    evidence: Evidence | None = None,
    resumed: Resumed | None = None,
) -> Proof:
    """Every invariant of the contract, on the ledger (or on the declared flow alone), with the
    evidence it rests on (flow/evidence.py's `evidence` of the audited ledger; by default
    signatures unchecked, no checkpoint, no repair) and its scope and limits.

    With `resumed`, `ledger` holds only the events after the state's (they follow its head,
    intact: api/flow.py reads them so); the verdicts are those of the whole ledger, the
    holdings those still open at the state and every one since, and `records` the events
    after it."""
    # An event its author may not make, a replayed receipt, an unsigned or forged event is a
    # breach of ledger_intact (its problem), and does not count toward the flow.
    records: Sequence[Event] = ledger.events if ledger is not None else ()
    skip = uncounted(ledger) if ledger is not None else frozenset()
    events = [e for e in records if e.seq not in skip] if skip else records
    seen = evidence or Evidence()
    if ledger is not None and evidence is None:
        from datacontract.flow.evidence import evidence as evidence_of

        seen = evidence_of(ledger, keyring=None, checkpoints=(), repairs=(), declared=())
    folded = resumed.folding if resumed is not None else Folding(loaded)
    before = resumed.size if resumed is not None else 0
    held: list[Holding] = []
    if ledger is not None:
        folded.feed(events)
        held = folded.holdings()
    if ledger is not None and seen.damage is not None:
        verdicts = _judged(loaded, ledger, seen, at)
    elif ledger is not None:
        verdicts = folded.verdicts(End(at, ledger.problems))
    else:
        flow = Flow(loaded, (), (), at, None)
        verdicts = [_verdict(flow, inv) for inv in loaded.contract.invariants]
    notes = invariant_notes(loaded.path)
    by_id = {inv.id: inv for inv in loaded.contract.invariants}
    verdicts = [
        replace(
            v,
            notes=notes.get(v.invariant, ()),
            vacuous=ledger is not None
            and v.holds
            and v.invariant in by_id
            and _vacuous(by_id[v.invariant], folded),
        )
        for v in verdicts
    ]
    separate = loaded.contract.separate
    if ledger is None and separate is not None:
        # Only a protocol that keeps data apart declares `separate`; one whose purpose is to
        # link identifiers and background data at one party (IKT) does not.
        meetings = unguarded_meetings(Flow(loaded, (), (), at, None), separate)
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
    # no name an event carries that the contract does not declare leaves the prover
    # (contract/names.py rule 4): every output of the proof prints what `withhold` leaves
    proof = Proof(
        evidence=seen,
        scope=scope(
            verdicts,
            seen,
            before + len(events),
            by_id,
            declared=ledger is None,
            parties=[p.id for p in loaded.contract.parties],
        ),
        contract=loaded.contract.contract,
        version=loaded.contract.version,
        contract_sha256=loaded.sha256,
        mode="ledger" if ledger is not None else "declared",
        ledger=str(ledger_path) if ledger_path is not None else None,
        ledger_hash=(ledger.head if records or resumed is None else resumed.head)
        if ledger is not None
        else None,
        at=at.isoformat(),
        events=before + len(records),
        verdicts=tuple(verdicts),
        holdings=tuple(held),
        records=tuple(records),
        problems=ledger.problems if ledger is not None else (),
    )
    return withhold(proof, ledger_names(loaded.contract))


def scope(
    verdicts: Sequence[Verdict],
    evidence: Evidence,
    counted: int,
    invariants: dict[str, model.Invariant],
    *,
    declared: bool,
    parties: Sequence[str] = (),
) -> tuple[Message, ...]:
    """What the proof cannot see, in the order an auditor reads it (see the module docstring):
    the ledger's own limit, the damage, signatures, checkpoints, repairs, each invariant that
    holds vacuously, each reading of the protocol a verdict rests on. `parties`: the contract's
    parties (those the contract pins no key for are named when it pins keys)."""
    out: list[Message] = []
    if declared:
        out.append(say("scope.declared"))
    else:
        signed = evidence.signatures == "verified"
        out.append(say("scope.self_recorded", signed=say("scope.signed") if signed else None))
        if evidence.damage is not None:
            d = evidence.damage
            out.append(
                say(
                    "scope.damage",
                    line=d.line,
                    damage=say(f"damage.{d.kind}"),
                    judged=d.judged_events,
                )
            )
        out.extend(keys_scope(evidence, parties))
        unsigned = evidence.unsigned
        if unsigned and len(unsigned) == counted:
            out.append(say("scope.unsigned_all"))
        elif len(unsigned) == 1:
            out.append(say("scope.unsigned_one", seq=unsigned[0]))
        elif unsigned:
            listed = tuple(str(s) for s in unsigned)
            out.append(say("scope.unsigned_many", count=len(unsigned), seqs=listed))
        if evidence.checkpoint == "consistent" and evidence.checkpointed < counted:
            out.append(say("scope.uncovered", covered=evidence.checkpointed))
        for r in evidence.repairs:
            if r.line == 0:
                out.append(say("scope.repair_unreadable"))
                continue
            whole = say("scope.repair_whole") if r.whole_event else None
            out.append(say("scope.repair", time=r.time, line=r.line, size=r.size, whole=whole))
        if not counted:
            out.append(say("scope.empty"))
        for v in verdicts:
            what = looks_at(invariants[v.invariant]) if v.invariant in invariants else ()
            if v.vacuous and what and counted:
                out.append(say("scope.vacuous", invariant=v.invariant, what=what))
    for v in verdicts:
        for note in v.notes:
            out.append(say("scope.interpretation", invariant=v.invariant, note=note))
    return tuple(out)


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


__all__ = [
    "Counterexample",
    "Proof",
    "Resumed",
    "Verdict",
    "breaks",
    "looks_at",
    "prove",
    "scope",
]
