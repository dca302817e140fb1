"""The destruction terms: a dataset must be gone by a deadline, judged at the time of the proof.

- `destroyed_within`: after a milestone + days (the prize draw, the end of the fieldwork, the
  end of the simulations, the aid granted). A milestone that is never recorded must not let a
  file be kept forever: `fallback` names other milestones (each with its days) that set the
  term when the first is not recorded, and `latest` a time by which the party holds none in
  any case. Without a ledger, a duty that could lapse (no `latest` and no `retained_at_most`
  for the same party and datasets) is itself a counterexample.
- `retained_at_most`: each copy is destroyed within a term counted from when the party got it,
  or from a date its file reports (`retention_reference`, recorded by the hook with the event:
  003's "5 jaar vanaf de laatste betaling"), whichever is earlier.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from datacontract.contract import model
from datacontract.errors import ContractError
from datacontract.flow.declared import declared_refs
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, by_seq, declared, example, name, names, param
from datacontract.ledger.chain import Event
from datacontract.messages import Message, event, say


def _days(inv: model.Invariant, value: object, what: str = "days") -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ContractError(f"invariant {inv.id!r}: {what!r} must be a whole number of days")
    return value


def _fallbacks(inv: model.Invariant) -> list[tuple[str, int]]:
    raw = param(inv, "fallback", default=[])
    if not isinstance(raw, list):
        raise ContractError(f"invariant {inv.id!r}: 'fallback' is a list of {{milestone, days}}")
    out = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("milestone"), str):
            raise ContractError(
                f"invariant {inv.id!r}: each fallback names a milestone and its days"
            )
        out.append((entry["milestone"], _days(inv, entry.get("days"), "fallback days")))
    return out


def _latest(inv: model.Invariant) -> datetime | None:
    raw = param(inv, "latest", default=None)
    if raw is None:
        return None
    try:
        when = datetime.fromisoformat(str(raw))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ContractError(
            f"invariant {inv.id!r}: 'latest' is a time with an offset, "
            "e.g. 2026-01-01T00:00:00+01:00"
        )
    return when


def _lapses(flow: Flow, inv: model.Invariant, party: str, datasets: set[str]) -> list[str]:
    """The datasets whose duty ends with nothing when the milestones are never recorded."""
    if param(inv, "latest", default=None) is not None:
        return []
    covered: set[str] = set()
    for other in flow.contract.invariants:
        if other.kind == "retained_at_most" and party in names(other, "parties", default=()):
            covered |= set(names(other, "datasets", default=()))
    return sorted(datasets - covered)


def destroyed_within(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    party, datasets = name(inv, "party"), set(names(inv, "datasets"))
    milestone = name(inv, "milestone")
    days = _days(inv, param(inv, "days"))
    fallbacks = _fallbacks(inv)
    latest = _latest(inv)
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
    for wanted, after in [(milestone, days), *fallbacks]:
        if wanted in recorded:
            start = recorded[wanted]
            deadline = start.when + timedelta(days=after)
            missed = None if wanted == milestone else say("term.unrecorded", milestone=milestone)
            term = say("term.after", milestone=wanted, days=after, unrecorded=missed)
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


def retained_at_most(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    """Each copy a party gets (receipt, making, or sending what it made) is destroyed within
    the term counted from that moment, or from the earlier date its file reports (the event's
    `reference`): `years` (calendar years) and/or `days`."""
    parties, datasets = set(names(inv, "parties")), set(names(inv, "datasets"))
    years, days = param(inv, "years", default=0), param(inv, "days", default=0)
    if not isinstance(years, int) or not isinstance(days, int) or years < 0 or days < 0:
        raise ContractError(f"invariant {inv.id!r}: 'years' and 'days' must be whole numbers")
    if years == 0 and days == 0:
        raise ContractError(f"invariant {inv.id!r}: give the term in 'years' or 'days'")
    if flow.state is None:
        return declared_refs(flow, inv, parties=sorted(parties), datasets=sorted(datasets))
    in_years, in_days = say("term.years", years=years), say("term.days", days=days)
    term = (
        say("term.both", years=in_years, days=in_days)
        if years and days
        else (in_years if years else in_days)
    )

    def deadline(start: datetime) -> datetime:
        year = start.year + years
        try:
            moved = start.replace(year=year)
        except ValueError:  # 29 February in a year that has none
            moved = start.replace(year=year, day=28)
        return moved + timedelta(days=days)

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
