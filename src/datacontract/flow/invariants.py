"""The flow invariants, one pure function per kind: (flow, invariant) -> counterexamples.

A Flow is everything an invariant may look at: the contract, the ledger's events, the holdings
derived from them (lineage.py) and the time of the proof; `state` is None when only the
declared flow is checked; an empty list of counterexamples means the invariant holds. The
registry of kinds (flow/kinds.py) pairs each function with the model of its parameters.
"""

from __future__ import annotations

import operator
from pathlib import Path

from datacontract.contract import invariants as kinds
from datacontract.contract import model
from datacontract.flow.declared import declared_apart
from datacontract.flow.lineage import Holding, by_dataset
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, by_seq, declared, example
from datacontract.ledger.chain import Event, LedgerProblem
from datacontract.messages import Message, Values, event, say


def never_held_together(flow: Flow, inv: kinds.NeverHeldTogether) -> list[Counterexample]:
    party = inv.params.party
    first, second = set(inv.params.first), set(inv.params.second)
    if flow.state is None:
        return declared_apart(flow, inv, party, first, second)
    mine = [h for h in by_dataset(flow.held) if h.party == party]
    seqs = by_seq(flow)
    out = []
    for a in (h for h in mine if h.dataset in first):
        for b in (h for h in mine if h.dataset in second):
            if a.overlaps(b):
                later, end = max(a.start_seq, b.start_seq), _until(a, b)
                involved = sorted(seqs[s] for s in (a.start_seq, b.start_seq) if s in seqs)
                until = say("held_together.until", event=event(end)) if end else None
                pair: Values = {"first": a.dataset, "second": b.dataset}
                said = say("held_together", party=party, **pair, since=event(later), until=until)
                out.append(example(involved, said, parties=[party]))
    return out


def _until(a: Holding, b: Holding) -> int | None:
    ends = [e for e in (a.end_seq, b.end_seq) if e is not None]
    return min(ends) if len(ends) == 2 else (ends[0] if ends else None)


def _verb(e: Event) -> Message:
    """'sent' or 'received': what a transfer event says it did."""
    return say(f"verb.{e.kind}")


def _on(e: Event) -> Values:
    """What a sentence about a transfer says of it: its verb, its hop and the event."""
    return {"verb": _verb(e), "hop": str(e.hop), "event": event(e.seq)}


def received_after_milestone(flow: Flow, inv: kinds.ReceivedAfterMilestone) -> list[Counterexample]:
    """Every transfer on the hops comes after the milestone; with `same_party`, after the
    milestone recorded by the transfer's receiver (a payer consults only after a family told
    it, 004 C2)."""
    hops, milestone = list(inv.params.all_hops), inv.params.milestone
    same_party = inv.params.same_party
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    reached: set[str | None] = set()  # who recorded it (None: anyone, without same_party)
    out = []
    for e in flow.events:
        if e.kind == "milestone" and e.milestone == milestone:
            reached.add(e.party if same_party else None)
        elif e.kind in ("sent", "received") and e.hop in hops:
            who = e.receiver if same_party else None
            if who not in reached:
                by = say("before_milestone.by", party=str(e.receiver)) if same_party else None
                on: Values = {"verb": _verb(e), "hop": str(e.hop)}
                out.append(example([e], say("before_milestone", **on, milestone=milestone, by=by)))
    return out


def received_before_milestone(
    flow: Flow, inv: kinds.ReceivedBeforeMilestone
) -> list[Counterexample]:
    """No transfer on the hops once the milestone is recorded (the second-wave phone numbers
    travel during the fieldwork, not after it)."""
    hops, milestone = list(inv.params.all_hops), inv.params.milestone
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    reached: Event | None = None
    out = []
    for e in flow.events:
        if e.kind == "milestone" and e.milestone == milestone and reached is None:
            reached = e
        elif e.kind in ("sent", "received") and e.hop in hops and reached is not None:
            after: Values = {"milestone": milestone, "reached": event(reached.seq)}
            out.append(example([reached, e], say("after_milestone", **_on(e), **after)))
    return out


def received_after_destroyed(flow: Flow, inv: kinds.ReceivedAfterDestroyed) -> list[Counterexample]:
    hop, party = inv.params.hop, inv.params.party
    destroyed = set(inv.params.destroyed)
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    seqs = by_seq(flow)
    watched = [h for h in by_dataset(flow.held) if h.party == party and h.dataset in destroyed]
    out = []
    for e in flow.events:
        if e.hop != hop:
            continue
        # The party on either side: the researchers receive the background file, and IT sends
        # it holding no contact file of its own (000 art. 6: "noch door Opgroeien Regie").
        side = e.receiver if e.kind == "received" else e.sender if e.kind == "sent" else None
        if side != party:
            continue
        still = [h for h in watched if h.open_at(e.seq)]
        for h in still:
            held: Values = {"held": h.dataset, "since": event(h.start_seq)}
            said = say("while_still_held", **_on(e), party=party, dataset=str(e.dataset), **held)
            out.append(example([seqs[h.start_seq], e] if h.start_seq in seqs else [e], said))
    return out


def not_after(flow: Flow, inv: kinds.NotAfter) -> list[Counterexample]:
    hops, after = inv.params.hops, inv.params.after_hop
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    first: Event | None = None
    out = []
    for e in flow.events:
        if e.kind not in ("sent", "received"):
            continue
        if e.hop == after and first is None:
            first = e
        elif e.hop in hops and first is not None:
            out.append(
                example(
                    [first, e],
                    say("after_hop", **_on(e), after=after, first=event(first.seq)),
                )
            )
    return out


def never_holds(flow: Flow, inv: kinds.NeverHolds) -> list[Counterexample]:
    party, datasets = inv.params.party, set(inv.params.datasets)
    if flow.state is None:
        return [
            declared(
                say("declares_hop_to", hop=h.id, dataset=h.dataset, party=party),
                parties=[party],
                datasets=[h.dataset],
                hops=[h.id],
            )
            for h in flow.contract.hops
            if party in h.receiver and h.dataset in datasets
        ] + [
            declared(
                say("declares_maker", party=party, dataset=d.id), parties=[party], datasets=[d.id]
            )
            for d in flow.contract.datasets
            if party in d.made_by and d.id in datasets
        ]
    seqs = by_seq(flow)
    return [
        example(
            [seqs[h.start_seq]] if h.start_seq in seqs else [],
            say("held", party=party, dataset=h.dataset, since=event(h.start_seq)),
            parties=[party],
            datasets=[h.dataset],
        )
        for h in by_dataset(flow.held)
        if h.party == party and h.dataset in datasets
    ]


def received_matches_sent(flow: Flow, inv: kinds.ReceivedMatchesSent) -> list[Counterexample]:
    if flow.state is None:
        return []
    sent: set[tuple[str | None, ...]] = set()
    out = []
    for e in flow.events:
        key = _MANIFEST(e)
        if e.kind == "sent":
            sent.add(key)
        elif e.kind == "received" and key not in sent:
            out.append(
                example(
                    [e],
                    say("no_manifest", hop=str(e.hop), event=event(e.seq)),
                )
            )
    return out


def declared_only(flow: Flow, inv: kinds.DeclaredOnly) -> list[Counterexample]:
    if flow.state is None:
        return []
    judge = Undeclared(flow.contract)
    out = []
    for e in flow.events:
        found = judge(e)
        if found is not None:
            out.append(found)
    return out


class Undeclared:
    """What declared_only says of one event: a counterexample naming every name it uses that
    the contract does not declare, or None (events with the same names are judged once)."""

    def __init__(self, c: model.Contract) -> None:
        self.parties = {p.id for p in c.parties}
        self.datasets = {d.id for d in c.datasets}
        self.milestones = {m.id for m in c.milestones}
        self.hops = {h.id: h for h in c.hops}
        self.judged: dict[tuple[str | None, ...], tuple[Message, ...]] = {}

    def __call__(self, e: Event) -> Counterexample | None:
        names = _NAMES(e)
        found = self.judged.get(names)
        if found is None:
            found = self.judged[names] = self._problems(e)
        if found:
            return example([e], say("undeclared", event=event(e.seq), problems=found))
        return None

    def _problems(self, e: Event) -> tuple[Message, ...]:
        problems = []
        for role in ("party", "sender", "receiver"):
            who = getattr(e, role)
            if who is not None and who not in self.parties:
                problems.append(say("undeclared.party", role=say(f"role.{role}")))
        if e.dataset is not None and e.dataset not in self.datasets:
            problems.append(say("undeclared.dataset"))
        if e.kind == "milestone" and e.milestone not in self.milestones:
            problems.append(say("undeclared.milestone"))
        if e.kind in ("sent", "received"):
            # an undeclared name is said above, withheld; below only declared names are shown
            hop = self.hops.get(e.hop or "")
            if hop is None:
                problems.append(say("undeclared.hop"))
            else:
                if e.dataset != hop.dataset and e.dataset in self.datasets:
                    carries: Values = {"declared": hop.dataset, "dataset": str(e.dataset)}
                    problems.append(say("undeclared.carries", hop=hop.id, **carries))
                if e.sender not in hop.sender and e.sender in self.parties:
                    problems.append(say("undeclared.sender", party=str(e.sender), hop=hop.id))
                if e.receiver not in hop.receiver and e.receiver in self.parties:
                    problems.append(say("undeclared.receiver", party=str(e.receiver), hop=hop.id))
        return tuple(problems)


# What an event's manifest names, and every name declared_only judges.
_MANIFEST = operator.attrgetter("sha256", "hop", "dataset", "sender", "receiver")
_NAMES = operator.attrgetter("kind", "party", "sender", "receiver", "dataset", "milestone", "hop")


def same_keys_as(flow: Flow, inv: kinds.SameKeysAs) -> list[Counterexample]:
    """A file sent back on `hop` holds exactly the rows its sender received on `source_hop`.

    Compared by the order-independent digest of the dataset's key columns that each hook
    records: a payer's dataset_2 names the same income providers as the dataset_1 it got,
    nothing lost, nothing added. Events without a digest (older ledgers) are not compared.
    """
    hop, source_hop = inv.params.hop, inv.params.source_hop
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    received: dict[str, Event] = {}
    out = []
    for e in flow.events:
        if e.kind != "sent":
            continue
        if e.hop == source_hop and e.receiver is not None:
            received[e.receiver] = e
        elif e.hop == hop and e.sender is not None and e.keys is not None:
            source = received.get(e.sender)
            if source is not None and source.keys is not None and source.keys != e.keys:
                was: Values = {"source_hop": source_hop, "source": event(source.seq)}
                now: Values = {"sender": e.sender, "dataset": str(e.dataset), "event": event(e.seq)}
                said = say("other_rows", **now, hop=hop, source_dataset=str(source.dataset), **was)
                out.append(example([source, e], said))
    return out


def no_recorded_violation(flow: Flow, inv: kinds.NoRecordedViolation) -> list[Counterexample]:
    """Every event recorded with --record-violation is a counterexample, with its rules."""
    return [recorded_violation(e) for e in flow.events if e.violation]


def recorded_violation(e: Event) -> Counterexample:
    """The counterexample of an event recorded with --record-violation: its rules."""
    rules = sorted(
        {(str(f.get("rule")), str(f.get("article"))) for f in e.findings},
        key=lambda ra: f"{ra[0]} ({ra[1]})",
    )
    broken = tuple(
        say("recorded_violation.rule", rule=rule, article=article) for rule, article in rules
    )
    return example([e], say("recorded_violation", event=event(e.seq), broken=broken))


def once_before(flow: Flow, inv: kinds.OnceBefore) -> list[Counterexample]:
    hops = set(inv.params.hops)
    per = inv.params.per
    deadline = inv.params.deadline
    raw_deadline = deadline.isoformat() if deadline is not None else None
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    first: dict[tuple[str | None, str | None], Event] = {}
    out = []
    for e in flow.events:
        if e.kind != "sent" or e.hop not in hops:
            continue
        who = e.sender if per == "sender" else e.receiver
        if deadline is not None and e.when >= deadline:
            late: Values = {"time": e.time, "deadline": str(raw_deadline)}
            out.append(example([e], say("after_deadline", hop=str(e.hop), who=str(who), **late)))
        start = inv.params.not_before
        if start is not None and e.when < start:
            early: Values = {"time": e.time, "start": start.isoformat()}
            out.append(example([e], say("before_start", hop=str(e.hop), who=str(who), **early)))
        # Once per dataset and party, whichever of the hops (an SFTP and a mail hop of one
        # delivery are one delivery).
        earlier = first.setdefault((e.dataset, who), e)
        if earlier is not e:
            twice: Values = {"dataset": str(e.dataset), "who": str(who), "hop": str(e.hop)}
            said = say("sent_twice", **twice, events=event(earlier.seq, e.seq))
            out.append(example([earlier, e], said))
    return out


def preceded_by(flow: Flow, inv: kinds.PrecededBy) -> list[Counterexample]:
    """A transfer on `hops` comes only after one on `after_hops` between the same parties:
    `same: receiver` (the receiver got the earlier one too: consulted only after the
    mutation message) or `same: reverse` (an answer goes back to who asked)."""
    hops, after = set(inv.params.hops), set(inv.params.after_hops)
    same = inv.params.same
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    earlier: dict[tuple[str | None, str | None], Event] = {}
    out = []
    for e in flow.events:
        if e.kind != "sent":
            continue
        if e.hop in after:
            earlier.setdefault((e.sender, e.receiver), e)
            earlier.setdefault((None, e.receiver), e)
        if e.hop in hops:
            key = (None, e.receiver) if same == "receiver" else (e.receiver, e.sender)
            if key not in earlier:
                before: Values = {"receiver": str(e.receiver), "hops": tuple(sorted(after))}
                wanted = (
                    say("not_preceded.received", **before)
                    if same == "receiver"
                    else say("not_preceded.sent", **before, sender=str(e.sender))
                )
                said = say("not_preceded", hop=str(e.hop), event=event(e.seq), wanted=wanted)
                out.append(example([e], said))
    return out


def ledger_intact(flow: Flow, inv: kinds.LedgerIntact) -> list[Counterexample]:
    if flow.state is None:
        return []

    def said(p: LedgerProblem) -> Message:  # a problem that names its line says it once
        if p.said.get("line") == p.line or p.kind == "checkpoint":  # a checkpoint has no line
            return p.said
        return say("ledger_line", line=p.line, problem=p.said)

    return [
        Counterexample((p.seq,) if p.seq is not None else (), (), (), (), (), said(p))
        for p in flow.state.problems
    ]


def derivations(
    flow: Flow, inv: kinds.IdentifiersOnlyPseudonymised | kinds.IncomeOnlyInClasses
) -> list[Counterexample]:
    """The declared SQL of the derivations (step 5) keeps identifiers and income out."""
    from datacontract.flow import sqllineage

    folder = Path(inv.params.sql)
    if not folder.is_absolute():
        folder = Path(flow.loaded.path).parent / folder
    problems = sqllineage.check(flow.contract, folder, inv.params)
    return [declared(p.said, datasets=[p.dataset]) for p in problems]
