"""The folds of the kinds that read holdings (flow/fold.py says what a fold is).

They watch the lineage (lineage.Watcher) and keep only what is still open: a party's open
runs of a dataset (by_dataset's merged intervals: a run starts when the party holds no other
copy and ends when it holds none), the open holdings a term applies to, and, for a
destruction term whose milestone is not yet recorded, the closed copies it may still judge.
A counterexample is written down as soon as nothing later can change it; the rest at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from datacontract.contract import invariants as kinds
from datacontract.contract.load import LoadedContract
from datacontract.flow.fold import End, Fold, Json, Key, event_from, event_json
from datacontract.flow.lineage import Holding
from datacontract.flow.proof import Counterexample
from datacontract.flow.terms import _span
from datacontract.flow.view import example
from datacontract.ledger.chain import Event
from datacontract.messages import Message, Values, event, say


@dataclass
class Run:
    """A party's run of a dataset: from the event that began it, open while end_seq is None."""

    dataset: str
    start: Event
    end_seq: int | None = None

    def overlaps(self, other: Run) -> bool:
        ends = self.end_seq if self.end_seq is not None else float("inf")
        other_ends = other.end_seq if other.end_seq is not None else float("inf")
        return self.start.seq < other_ends and other.start.seq < ends

    def to_json(self) -> Json:
        return [self.dataset, event_json(self.start)]


def _run(data: Json) -> Run:
    return Run(data[0], event_from(data[1]))


class NeverHolds(Fold):
    def __init__(self, loaded: LoadedContract, inv: kinds.NeverHolds) -> None:
        super().__init__(loaded, inv)
        self.party, self.datasets = inv.params.party, set(inv.params.datasets)

    def began(self, held: Holding, e: Event, new_run: bool) -> None:
        if new_run and held.party == self.party and held.dataset in self.datasets:
            said = say("held", party=self.party, dataset=held.dataset, since=event(held.start_seq))
            c = example([e], said, parties=[self.party], datasets=[held.dataset])
            self.found.append(((held.start_seq, held.party, held.dataset), c))


class _Runs(Fold):
    """The open runs of one party, of some datasets."""

    def __init__(self, loaded: LoadedContract, inv: Any, party: str, datasets: set[str]) -> None:
        super().__init__(loaded, inv)
        self.party, self.watched = party, datasets
        self.runs: dict[str, Run] = {}

    def began(self, held: Holding, e: Event, new_run: bool) -> None:
        if new_run and held.party == self.party and held.dataset in self.watched:
            run = self.runs[held.dataset] = Run(held.dataset, e)
            self.opened(run)

    def closed(self, held: Holding, e: Event, run_over: bool) -> None:
        if run_over and held.party == self.party and held.dataset in self.watched:
            run = self.runs.pop(held.dataset)
            run.end_seq = e.seq
            self.ended(run)

    def opened(self, run: Run) -> None:
        """A run began."""

    def ended(self, run: Run) -> None:
        """A run ended (run.end_seq set)."""

    def ordered(self) -> list[Run]:
        return sorted(self.runs.values(), key=lambda r: (r.start.seq, r.dataset))


class NeverHeldTogether(_Runs):
    """Keeps the open runs and the pairs of them that were open together; a pair is judged
    when the first of the two ends (its `until` is then known), or at the end."""

    def __init__(self, loaded: LoadedContract, inv: kinds.NeverHeldTogether) -> None:
        self.first, self.second = set(inv.params.first), set(inv.params.second)
        super().__init__(loaded, inv, inv.params.party, self.first | self.second)
        self.pairs: set[tuple[str, str]] = set()

    def opened(self, run: Run) -> None:
        d = run.dataset
        for other in self.runs.values():
            if d in self.first and other.dataset in self.second:
                self.pairs.add((d, other.dataset))
            if other is not run and other.dataset in self.first and d in self.second:
                self.pairs.add((other.dataset, d))

    def ended(self, run: Run) -> None:
        for pair in sorted(p for p in self.pairs if run.dataset in p):
            self.pairs.discard(pair)
            a, b = (run if d == run.dataset else self.runs[d] for d in pair)
            self._judge(a, b)

    def _judge(self, a: Run, b: Run) -> None:
        if not a.overlaps(b):
            return
        later = max(a.start.seq, b.start.seq)
        ends = [e for e in (a.end_seq, b.end_seq) if e is not None]
        end = min(ends) if ends else None
        involved = sorted([a.start, b.start], key=lambda e: e.seq)
        until = say("held_together.until", event=event(end)) if end else None
        pair: Values = {"first": a.dataset, "second": b.dataset}
        said = say("held_together", party=self.party, **pair, since=event(later), until=until)
        key = (a.start.seq, a.dataset, b.start.seq, b.dataset)
        self.found.append((key, example(involved, said, parties=[self.party])))

    def at_end(self, end: End) -> list[tuple[Key, Counterexample]]:
        before = len(self.found)
        for a, b in sorted(self.pairs):
            self._judge(self.runs[a], self.runs[b])
        out = self.found[before:]
        del self.found[before:]
        return out

    def keep(self) -> Json:
        return {"runs": [r.to_json() for r in self.ordered()], "pairs": sorted(self.pairs)}

    def resume(self, data: Json) -> None:
        self.runs = {r.dataset: r for r in map(_run, data["runs"])}
        self.pairs = {(a, b) for a, b in data["pairs"]}


class ReceivedAfterDestroyed(_Runs):
    """Keeps the party's open runs of the datasets it must have destroyed."""

    def __init__(self, loaded: LoadedContract, inv: kinds.ReceivedAfterDestroyed) -> None:
        super().__init__(loaded, inv, inv.params.party, set(inv.params.destroyed))
        self.hop = inv.params.hop

    def event(self, e: Event) -> None:
        if e.hop != self.hop:
            return
        side = e.receiver if e.kind == "received" else e.sender if e.kind == "sent" else None
        if side != self.party:
            return
        for run in self.ordered():
            held: Values = {"held": run.dataset, "since": event(run.start.seq)}
            on: Values = {"verb": say(f"verb.{e.kind}"), "hop": str(e.hop), "event": event(e.seq)}
            said = say("while_still_held", **on, party=self.party, dataset=str(e.dataset), **held)
            self.found.append(((e.seq,), example([run.start, e], said)))

    def keep(self) -> Json:
        return [r.to_json() for r in self.ordered()]

    def resume(self, data: Json) -> None:
        self.runs = {r.dataset: r for r in map(_run, data)}


def _key(h: Holding) -> Key:
    return (h.start_seq, h.party, h.dataset)


class _Copies(Fold):
    """The open holdings (each with the event that began it) that a term applies to."""

    def wanted(self, held: Holding) -> bool:
        raise NotImplementedError

    def __init__(self, loaded: LoadedContract, inv: Any) -> None:
        super().__init__(loaded, inv)
        self.open: dict[Key, tuple[Holding, Event]] = {}

    def began(self, held: Holding, e: Event, new_run: bool) -> None:
        if self.wanted(held):
            self.open[_key(held)] = (held, e)

    def closed(self, held: Holding, e: Event, run_over: bool) -> None:
        got = self.open.pop(_key(held), None)
        if got is not None:
            self.ended(held, got[1], e)

    def ended(self, held: Holding, start: Event, end: Event) -> None:
        raise NotImplementedError

    def copies_json(self) -> Json:
        return [[_holding_json(h), event_json(e)] for h, e in self.open.values()]

    def copies_from(self, data: Json) -> None:
        pairs = [(_holding_from(h), event_from(e)) for h, e in data]
        self.open = {_key(h): (h, e) for h, e in pairs}


def _holding_json(h: Holding) -> Json:
    return [h.party, h.dataset, h.start_seq, h.start, h.how, h.sha256]


def _holding_from(data: Json) -> Holding:
    party, dataset, start_seq, start, how, sha256 = data
    return Holding(party, dataset, start_seq, start, how, sha256=sha256)


class DestroyedWithin(_Copies):
    """Keeps the open copies, the first recording of each milestone that sets the term, and,
    until the term's own milestone is recorded (which fixes the deadline), the copies
    destroyed meanwhile."""

    def __init__(self, loaded: LoadedContract, inv: kinds.DestroyedWithin) -> None:
        super().__init__(loaded, inv)
        p = inv.params
        self.terms: list[tuple[str, kinds.Term]] = [
            (p.milestone, p),
            *((f.milestone, f) for f in p.fallback),
        ]
        self.milestones = {m for m, _ in self.terms}
        self.recorded: dict[str, Event] = {}
        self.pending: list[tuple[Holding, Event]] = []  # destroyed before the deadline is fixed

    def wanted(self, held: Holding) -> bool:
        p = self.inv.params
        return held.party == p.party and held.dataset in p.datasets

    def event(self, e: Event) -> None:
        if e.kind == "milestone" and e.milestone in self.milestones:
            first = e.milestone not in self.recorded
            self.recorded.setdefault(e.milestone, e)
            if first and e.milestone == self.inv.params.milestone:
                for held, end in self.pending:
                    self._late(held, end)
                self.pending = []

    def _term(self) -> tuple[Event | None, datetime | None, Message | None]:
        milestone, latest = self.inv.params.milestone, self.inv.params.latest
        start: Event | None = None
        deadline: datetime | None = None
        term: Message | None = None
        for wanted, after in self.terms:
            if wanted in self.recorded:
                start = self.recorded[wanted]
                deadline = after.after(start.when)
                missed = (
                    None if wanted == milestone else say("term.unrecorded", milestone=milestone)
                )
                term = (
                    say("term.after", milestone=wanted, days=after.days, unrecorded=missed)
                    if after.days_only
                    else say(
                        "term.after_span", milestone=wanted, term=_span(after), unrecorded=missed
                    )
                )
                break
        if latest is not None and (deadline is None or latest < deadline):
            deadline, start = latest, None
            missed = (
                None if milestone in self.recorded else say("term.unrecorded", milestone=milestone)
            )
            term = say("term.latest", time=latest.isoformat(), unrecorded=missed)
        return start, deadline, term

    def _unrecorded(self) -> Message:
        return say("term.unrecorded", milestone=self.inv.params.milestone)

    def ended(self, held: Holding, start: Event, end: Event) -> None:
        if self.inv.params.milestone in self.recorded:
            self._late(held, end)
        else:
            self.pending.append((held, end))

    def _late(self, held: Holding, end: Event) -> None:
        begun_at, deadline, term = self._term()
        if deadline is None or term is None or end.when <= deadline:
            return
        begun = [begun_at] if begun_at is not None else []
        said = say(
            "destroyed_late",
            party=held.party,
            dataset=held.dataset,
            event=event(end.seq),
            term=term,
            deadline=deadline.isoformat(),
        )
        self.found.append((_key(held), example([*begun, end], said)))

    def at_end(self, end: End) -> list[tuple[Key, Counterexample]]:
        before = len(self.found)
        for held, gone in self.pending:
            self._late(held, gone)
        begun_at, deadline, term = self._term()
        if deadline is not None and term is not None and end.at > deadline:
            begun = [begun_at] if begun_at is not None else []
            for held, start in self.open.values():
                said = say(
                    "still_held_late",
                    party=held.party,
                    dataset=held.dataset,
                    since=event(held.start_seq),
                    at=end.at.isoformat(),
                    term=term,
                    deadline=deadline.isoformat(),
                )
                c = example([*begun, start], said, parties=[held.party], datasets=[held.dataset])
                self.found.append((_key(held), c))
        out = self.found[before:]
        del self.found[before:]
        return out

    def keep(self) -> Json:
        return {
            "open": self.copies_json(),
            "recorded": [[m, event_json(e)] for m, e in sorted(self.recorded.items())],
            "pending": [[_holding_json(h), event_json(e)] for h, e in self.pending],
        }

    def resume(self, data: Json) -> None:
        self.copies_from(data["open"])
        self.recorded = {m: event_from(e) for m, e in data["recorded"]}
        self.pending = [(_holding_from(h), event_from(e)) for h, e in data["pending"]]


class RetainedAtMost(_Copies):
    """Keeps the open copies (each judged when destroyed, or at the end)."""

    def wanted(self, held: Holding) -> bool:
        p = self.inv.params
        if held.party not in p.parties or held.dataset not in p.datasets:
            return False
        if held.how == "derived":
            return False
        ds = self.loaded.contract.dataset(held.dataset)
        return not (held.how == "sent" and held.party not in (ds.made_by if ds else ()))

    def _due(self, start: Event) -> tuple[datetime, bool]:
        if start.reference is None:
            begun, from_data = start.when, False
        else:
            day = datetime.combine(
                datetime.fromisoformat(start.reference).date(), time(), start.when.tzinfo
            )
            begun, from_data = (day, True) if day < start.when else (start.when, False)
        return self.inv.params.after(begun), from_data

    def _since(self, start: Event, due: datetime, from_data: bool) -> Values:
        # A date taken from the data is never shown: neither it nor the due date it gives.
        since = (
            say("since.reported", event=event(start.seq))
            if from_data
            else say("since.got", event=event(start.seq), time=start.time)
        )
        return {
            "since": since,
            "due": None if from_data else say("since.due", time=due.isoformat()),
        }

    def ended(self, held: Holding, start: Event, end: Event) -> None:
        due, from_data = self._due(start)
        if end.when > due:
            said = say(
                "destroyed_too_late",
                party=held.party,
                dataset=held.dataset,
                event=event(end.seq),
                term=_span(self.inv.params),
                **self._since(start, due, from_data),
            )
            c = example([start, end], said, parties=[held.party], datasets=[held.dataset])
            self.found.append((_key(held), c))

    def at_end(self, end: End) -> list[tuple[Key, Counterexample]]:
        out = []
        for held, start in self.open.values():
            due, from_data = self._due(start)
            if end.at > due:
                said = say(
                    "kept_too_long",
                    party=held.party,
                    dataset=held.dataset,
                    at=end.at.isoformat(),
                    term=_span(self.inv.params),
                    **self._since(start, due, from_data),
                )
                c = example([start], said, parties=[held.party], datasets=[held.dataset])
                out.append((_key(held), c))
        return out

    def keep(self) -> Json:
        return self.copies_json()

    def resume(self, data: Json) -> None:
        self.copies_from(data)
