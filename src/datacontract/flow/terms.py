"""The destruction terms: a dataset must be gone by a deadline, judged at the time of the proof.

- `destroyed_within`: after a milestone + a term (the prize draw, the end of the fieldwork, the
  end of the simulations, the aid granted). A milestone that is never recorded must not let a
  file be kept forever: `fallback` names other milestones (each with its term) that set the
  term when the first is not recorded, and `latest` a time by which the party holds none in
  any case. Without a ledger, a duty that could lapse (no `latest` and no `retained_at_most`
  for the same party and datasets) is itself a counterexample.
- `retained_at_most`: each copy is destroyed within a term counted from when the party got it,
  or from a date its file reports (`retention_reference`, recorded by the hook with the event:
  003's "5 jaar vanaf de laatste betaling"), whichever is earlier.

Terms are days, weeks, months and years counted on the calendar (contract/invariants.py,
`Term.after`: a month from 31 January ends on the last day of February).
"""

from __future__ import annotations

from datetime import datetime, time

from datacontract.contract import invariants as kinds
from datacontract.flow.declared import declared_refs
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, by_seq, declared, example
from datacontract.ledger.chain import Event


def _span(term: kinds.Term, day_word: str, year_word: str) -> str:
    """A term in words: `60 days`, `5 year(s)`, `6 month(s) and 2 week(s)`."""
    parts = [
        (term.years, year_word),
        (term.months, "month(s)"),
        (term.weeks, "week(s)"),
        (term.days, day_word),
    ]
    return " and ".join(f"{n} {word}" for n, word in parts if n)


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
        out = declared_refs(
            flow,
            inv,
            parties=[party],
            datasets=sorted(datasets),
            milestones=[milestone, *(m for m, _ in fallbacks)],
        )
        lapsing = _lapses(flow, inv, party, datasets)
        if lapsing:
            out.append(
                declared(
                    f"if {milestone}{' and its fallbacks' if fallbacks else ''} are never "
                    f"recorded, nothing makes {party} destroy {', '.join(lapsing)}: give the "
                    "invariant a 'latest' time, or declare a retained_at_most term for them",
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
    term = ""
    terms: list[tuple[str, kinds.Term]] = [(milestone, inv.params), *fallbacks]
    for wanted, after in terms:
        if wanted in recorded:
            start = recorded[wanted]
            deadline = after.after(start.when)
            term = f"{wanted} + {_span(after, 'days', 'year(s)')}"
            if wanted != milestone:
                term += f" ({milestone} was not recorded)"
            break
    if latest is not None and (deadline is None or latest < deadline):
        deadline, start = latest, None
        term = f"the latest time {latest.isoformat()}"
        if milestone not in recorded:
            term += f" ({milestone} was not recorded)"
    if deadline is None:
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
                    f"{party} still holds {h.dataset} (since event {h.start_seq}) at "
                    f"{flow.at.isoformat()}, later than {term} ({deadline.isoformat()})",
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
                    f"{party} destroyed {h.dataset} at event {h.end_seq}, later than {term} "
                    f"({deadline.isoformat()})",
                )
            )
    return out


def retained_at_most(flow: Flow, inv: kinds.RetainedAtMost) -> list[Counterexample]:
    """Each copy a party gets (receipt, making, or sending what it made) is destroyed within
    the term counted from that moment, or from the earlier date its file reports (the event's
    `reference`): years, months, weeks and days, on the calendar (kinds.Term.after)."""
    parties, datasets = set(inv.params.parties), set(inv.params.datasets)
    if flow.state is None:
        return declared_refs(flow, inv, parties=sorted(parties), datasets=sorted(datasets))
    term = _span(inv.params, "day(s)", "year(s)")
    deadline = inv.params.after

    def begins(e: Event) -> tuple[datetime, bool]:
        """When the term of this copy starts, and whether that is a date of the data."""
        if e.reference is None:
            return e.when, False
        day = datetime.combine(datetime.fromisoformat(e.reference).date(), time(), e.when.tzinfo)
        return (day, True) if day < e.when else (e.when, False)

    first: dict[tuple[str, str], Event] = {}  # the oldest copy not yet destroyed
    out = []

    def late(start: Event, party: str, dataset: str, end: Event | None) -> None:
        begun, from_data = begins(start)
        due = deadline(begun)
        # A date taken from the data is never shown: neither it nor the due date it gives.
        since = (
            f"from the date its file reports (recorded with event {start.seq})"
            if from_data
            else f"after it got it at event {start.seq} ({start.time})"
        )
        when_due = "" if from_data else f" (due {due.isoformat()})"
        if end is None and flow.at > due:
            out.append(
                example(
                    [start],
                    f"{party} still holds {dataset} at {flow.at.isoformat()}: kept longer than "
                    f"{term} {since}{when_due}",
                    parties=[party],
                    datasets=[dataset],
                )
            )
        elif end is not None and end.when > due:
            out.append(
                example(
                    [start, end],
                    f"{party} destroyed {dataset} at event {end.seq}, more than {term} {since}"
                    f"{when_due}",
                    parties=[party],
                    datasets=[dataset],
                )
            )

    for e in flow.events:
        if e.dataset not in datasets:
            continue
        holder = {"received": e.receiver, "made": e.party, "sent": e.sender}.get(e.kind)
        if e.kind == "sent" and e.sender not in _makers(flow, e.dataset):
            holder = None  # a forwarder's copy began when it received the file
        if holder in parties and holder is not None:
            first.setdefault((holder, e.dataset), e)
        elif e.kind == "destroyed" and e.party in parties and e.party is not None:
            start = first.pop((e.party, e.dataset), None)
            if start is not None:
                late(start, e.party, e.dataset, e)
    for (party, dataset), start in first.items():
        late(start, party, dataset, None)
    return out


def _makers(flow: Flow, dataset: str | None) -> tuple[str, ...]:
    ds = flow.contract.dataset(dataset) if dataset else None
    return ds.made_by if ds is not None else ()
