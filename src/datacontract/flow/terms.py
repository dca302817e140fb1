"""The destruction terms: a dataset must be gone by a deadline, judged at the time of the proof.

- `destroyed_within`: after a milestone + a term (the prize draw, the end of the fieldwork, the
  end of the simulations, the aid granted). A milestone that is never recorded must not let a
  file be kept forever: `fallback` names other milestones (each with its term) that set the
  term when the first is not recorded, and `latest` a time by which the party holds none in
  any case. Without a ledger, a duty that could lapse (no `latest` and no `retained_at_most`
  for the same party and datasets) is itself a counterexample.
- `retained_at_most`: each copy (each delivery, lineage.py) is destroyed within a term counted
  from when the party got that copy, or from a date its file reports (`retention_reference`,
  recorded by the hook with the event: 003's "5 jaar vanaf de laatste betaling"), whichever is
  earlier.

Terms are days, weeks, months and years counted on the calendar (contract/invariants.py,
`Term.after`: a month from 31 January ends on the last day of February).
"""

from __future__ import annotations

from datetime import datetime, time

from datacontract.contract import invariants as kinds
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, by_seq, declared, example
from datacontract.ledger.chain import Event
from datacontract.messages import Message, event, say


def _span(term: kinds.Term) -> Message:
    """A term in words: `5 years`, `6 months and 2 weeks`, `30 days`."""
    parts = [
        say(f"term.{unit}", **{unit: n})
        for unit, n in (
            ("years", term.years),
            ("months", term.months),
            ("weeks", term.weeks),
            ("days", term.days),
        )
        if n
    ]
    words = parts[0]
    for more in parts[1:]:
        words = say("term.both", years=words, days=more)
    return words


def _lapses(flow: Flow, inv: kinds.DestroyedWithin, party: str, datasets: set[str]) -> list[str]:
    """The datasets whose duty ends with nothing when the milestones are never recorded."""
    if inv.params.latest is not None:
        return []
    covered: set[str] = set()
    for other in flow.contract.invariants:
        if isinstance(other, kinds.RetainedAtMost) and party in other.params.parties:
            covered |= set(other.params.datasets)
    return sorted(datasets - covered)


def destroyed_within(flow: Flow, inv: kinds.DestroyedWithin) -> list[Counterexample]:
    party, datasets = inv.params.party, set(inv.params.datasets)
    milestone = inv.params.milestone
    fallbacks = [(f.milestone, f) for f in inv.params.fallback]
    latest = inv.params.latest
    if flow.state is None:
        out: list[Counterexample] = []  # names are checked at load; what the terms allow:
        lapsing = _lapses(flow, inv, party, datasets)
        if lapsing:
            out.append(
                declared(
                    say(
                        "may_lapse",
                        milestone=milestone,
                        fallbacks=say("may_lapse.fallbacks") if fallbacks else None,
                        party=party,
                        datasets=tuple(lapsing),
                    ),
                    parties=[party],
                    datasets=lapsing,
                )
            )
        return out
    recorded: dict[str, Event] = {}
    for e in flow.events:
        if e.kind == "milestone" and e.milestone is not None:
            recorded.setdefault(e.milestone, e)
    start: Event | None = None
    deadline: datetime | None = None
    term: Message | None = None
    terms: list[tuple[str, kinds.Term]] = [(milestone, inv.params), *fallbacks]
    for wanted, after in terms:
        if wanted in recorded:
            start = recorded[wanted]
            deadline = after.after(start.when)
            missed = None if wanted == milestone else say("term.unrecorded", milestone=milestone)
            term = (
                say("term.after", milestone=wanted, days=after.days, unrecorded=missed)
                if after.days_only
                else say("term.after_span", milestone=wanted, term=_span(after), unrecorded=missed)
            )
            break
    if latest is not None and (deadline is None or latest < deadline):
        deadline, start = latest, None
        missed = None if milestone in recorded else say("term.unrecorded", milestone=milestone)
        term = say("term.latest", time=latest.isoformat(), unrecorded=missed)
    if deadline is None or term is None:
        return []  # the term has not started: nothing is late yet
    out = []
    seqs = by_seq(flow)
    begun = [start] if start is not None else []
    for h in flow.held:
        if h.party != party or h.dataset not in datasets:
            continue
        got = [seqs[h.start_seq]] if h.start_seq in seqs else []
        if h.end_seq is None and flow.at > deadline:
            out.append(
                example(
                    [*begun, *got],
                    say(
                        "still_held_late",
                        party=party,
                        dataset=h.dataset,
                        since=event(h.start_seq),
                        at=flow.at.isoformat(),
                        term=term,
                        deadline=deadline.isoformat(),
                    ),
                    parties=[party],
                    datasets=[h.dataset],
                )
            )
        elif (
            h.end_seq is not None and h.end is not None and datetime.fromisoformat(h.end) > deadline
        ):
            out.append(
                example(
                    [*begun, seqs[h.end_seq]],
                    say(
                        "destroyed_late",
                        party=party,
                        dataset=h.dataset,
                        event=event(h.end_seq),
                        term=term,
                        deadline=deadline.isoformat(),
                    ),
                )
            )
    return out


def retained_at_most(flow: Flow, inv: kinds.RetainedAtMost) -> list[Counterexample]:
    """Each copy a party gets (receipt, making, or sending what it made) is destroyed within
    the term counted from that moment, or from the earlier date its file reports (the event's
    `reference`): years, months, weeks and days, on the calendar (kinds.Term.after)."""
    parties, datasets = set(inv.params.parties), set(inv.params.datasets)
    if flow.state is None:
        return []  # names are checked at load: nothing to prove without a ledger
    term = _span(inv.params)
    deadline = inv.params.after

    def begins(e: Event) -> tuple[datetime, bool]:
        """When the term of this copy starts, and whether that is a date of the data."""
        if e.reference is None:
            return e.when, False
        day = datetime.combine(datetime.fromisoformat(e.reference).date(), time(), e.when.tzinfo)
        return (day, True) if day < e.when else (e.when, False)

    out = []

    def late(start: Event, party: str, dataset: str, end: Event | None) -> None:
        begun, from_data = begins(start)
        due = deadline(begun)
        # A date taken from the data is never shown: neither it nor the due date it gives.
        since = (
            say("since.reported", event=event(start.seq))
            if from_data
            else say("since.got", event=event(start.seq), time=start.time)
        )
        when_due = None if from_data else say("since.due", time=due.isoformat())
        if end is None and flow.at > due:
            out.append(
                example(
                    [start],
                    say(
                        "kept_too_long",
                        party=party,
                        dataset=dataset,
                        at=flow.at.isoformat(),
                        term=term,
                        since=since,
                        due=when_due,
                    ),
                    parties=[party],
                    datasets=[dataset],
                )
            )
        elif end is not None and end.when > due:
            out.append(
                example(
                    [start, end],
                    say(
                        "destroyed_too_late",
                        party=party,
                        dataset=dataset,
                        event=event(end.seq),
                        term=term,
                        since=since,
                        due=when_due,
                    ),
                    parties=[party],
                    datasets=[dataset],
                )
            )

    # One term per holding: each delivery from its own receipt (or the date its file reports),
    # a maker's copy from its making (lineage.py); a forwarder's send starts nothing.
    seqs = by_seq(flow)
    for h in flow.held:
        if h.party not in parties or h.dataset not in datasets or h.start_seq not in seqs:
            continue
        if h.how == "derived" or (h.how == "sent" and h.party not in _makers(flow, h.dataset)):
            continue
        end = seqs.get(h.end_seq) if h.end_seq is not None else None
        late(seqs[h.start_seq], h.party, h.dataset, end)
    return out


def _makers(flow: Flow, dataset: str | None) -> tuple[str, ...]:
    ds = flow.contract.dataset(dataset) if dataset else None
    return ds.made_by if ds is not None else ()
