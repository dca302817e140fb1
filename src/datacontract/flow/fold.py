"""An invariant as a fold: the events one at a time, and only what of the past it still needs.

Each kind of flow/kinds.py has a fold here or in flow/folds_held.py (the registry is
flow/state.py's FOLDS: a kind without one fails tests/flow/test_state.py). A fold sees each
counted event before the lineage does (`event`), the lineage's holdings as they begin and end
(lineage.Watcher), and gives its counterexamples at the end (`finish`), in exactly the order
the kind's pure function (flow/invariants.py, flow/terms.py) gives them over all events: each
counterexample carries a sort key (the seq it was found at, or the start of the holding it is
about). What a fold keeps between events is its state (`dump`, `load`: plain JSON values), so
a proof can stop after any event and go on later from the state alone (flow/state.py).

This module: the base, the JSON forms of events and counterexamples, and the folds of the
kinds that read the events in order (their pure functions are one loop over the events).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from datacontract.contract import invariants as kinds
from datacontract.contract.load import LoadedContract
from datacontract.flow import invariants as pure
from datacontract.flow.lineage import Watcher
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, example
from datacontract.ledger.chain import Event, LedgerProblem, LedgerState
from datacontract.messages import Plain, Values, event, from_plain, say, to_plain

Json = Any  # a plain JSON value (dict, list, str, int, bool, None)
Key = tuple[Any, ...]  # a counterexample's place in its kind's order


@dataclass(frozen=True)
class End:
    """What a fold is finished with: the proof's time and the ledger's problems."""

    at: datetime
    problems: tuple[LedgerProblem, ...] = ()


def event_json(e: Event) -> Json:
    return e.to_json()


def event_from(data: Json) -> Event:
    values = dict(data)
    values["findings"] = tuple(values.get("findings", ()))
    return Event(**values)


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def example_json(key: Key, c: Counterexample) -> Json:
    return [
        list(key),
        list(c.events),
        list(c.parties),
        list(c.datasets),
        list(c.hops),
        list(c.times),
        _lists(to_plain(c.said)),
    ]


def _lists(value: Any) -> Any:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


def example_from(data: Json) -> tuple[Key, Counterexample]:
    key, events, parties, datasets, hops, times, said = data
    plain: Plain = _tuples(said)
    c = Counterexample(
        tuple(events), tuple(parties), tuple(datasets), tuple(hops), tuple(times), from_plain(plain)
    )
    return tuple(key), c


class Fold(Watcher):
    """One invariant of a contract, folded over the events (see the module)."""

    def __init__(self, loaded: LoadedContract, inv: Any) -> None:
        self.loaded = loaded
        self.inv = inv
        self.found: list[tuple[Key, Counterexample]] = []

    def event(self, e: Event) -> None:
        """One more counted event, before the lineage sees it."""

    def at_end(self, end: End) -> list[tuple[Key, Counterexample]]:
        """The counterexamples that only the end (its time, what is still open) decides."""
        return []

    def finish(self, end: End) -> list[Counterexample]:
        """Every counterexample, in the kind's order."""
        both = [*self.found, *self.at_end(end)]
        both.sort(key=lambda kc: kc[0])  # stable: ties keep the order they were found in
        return [c for _, c in both]

    def keep(self) -> Json:
        """What this fold keeps beyond its counterexamples (JSON)."""
        return None

    def resume(self, data: Json) -> None:
        """Take back what keep() gave."""

    def dump(self) -> Json:
        return {"found": [example_json(k, c) for k, c in self.found], "kept": self.keep()}

    def load(self, data: Json) -> None:
        self.found = [example_from(item) for item in data["found"]]
        self.resume(data["kept"])


class AtEnd(Fold):
    """A kind judged on something other than the events (the ledger's problems, the declared
    SQL): its pure check at the end, on a flow without events."""

    def finish(self, end: End) -> list[Counterexample]:
        flow = Flow(self.loaded, (), (), end.at, LedgerState((), end.problems))
        from datacontract.flow.kinds import check

        return check(flow, self.inv)


class EachEvent(Fold):
    """A kind whose counterexamples each come from one event, on what earlier ones left: the
    subclass's `step(e)` gives the counterexamples found at e."""

    def step(self, e: Event) -> list[Counterexample]:
        raise NotImplementedError

    def event(self, e: Event) -> None:
        for c in self.step(e):
            self.found.append(((e.seq,), c))


def _opt_event(data: Json) -> Event | None:
    return event_from(data) if data is not None else None


class ReceivedAfterMilestone(EachEvent):
    def __init__(self, loaded: LoadedContract, inv: kinds.ReceivedAfterMilestone) -> None:
        super().__init__(loaded, inv)
        self.hops, self.milestone = set(inv.params.all_hops), inv.params.milestone
        self.same_party = inv.params.same_party
        self.reached: set[str | None] = set()

    def step(self, e: Event) -> list[Counterexample]:
        if e.kind == "milestone" and e.milestone == self.milestone:
            self.reached.add(e.party if self.same_party else None)
        elif e.kind in ("sent", "received") and e.hop in self.hops:
            who = e.receiver if self.same_party else None
            if who not in self.reached:
                by = say("before_milestone.by", party=str(e.receiver)) if self.same_party else None
                on: Values = {"verb": say(f"verb.{e.kind}"), "hop": str(e.hop)}
                said = say("before_milestone", **on, milestone=self.milestone, by=by)
                return [example([e], said)]
        return []

    def keep(self) -> Json:
        return sorted(self.reached, key=lambda p: (p is not None, p or ""))

    def resume(self, data: Json) -> None:
        self.reached = set(data)


class ReceivedBeforeMilestone(EachEvent):
    def __init__(self, loaded: LoadedContract, inv: kinds.ReceivedBeforeMilestone) -> None:
        super().__init__(loaded, inv)
        self.hops, self.milestone = set(inv.params.all_hops), inv.params.milestone
        self.reached: Event | None = None

    def step(self, e: Event) -> list[Counterexample]:
        if e.kind == "milestone" and e.milestone == self.milestone and self.reached is None:
            self.reached = e
        elif e.kind in ("sent", "received") and e.hop in self.hops and self.reached is not None:
            after: Values = {"milestone": self.milestone, "reached": event(self.reached.seq)}
            return [example([self.reached, e], say("after_milestone", **_on(e), **after))]
        return []

    def keep(self) -> Json:
        return event_json(self.reached) if self.reached is not None else None

    def resume(self, data: Json) -> None:
        self.reached = _opt_event(data)


def _on(e: Event) -> Values:
    return {"verb": say(f"verb.{e.kind}"), "hop": str(e.hop), "event": event(e.seq)}


class NotAfter(EachEvent):
    def __init__(self, loaded: LoadedContract, inv: kinds.NotAfter) -> None:
        super().__init__(loaded, inv)
        self.hops, self.after = set(inv.params.hops), inv.params.after_hop
        self.first: Event | None = None

    def step(self, e: Event) -> list[Counterexample]:
        if e.kind not in ("sent", "received"):
            return []
        if e.hop == self.after and self.first is None:
            self.first = e
        elif e.hop in self.hops and self.first is not None:
            said = say("after_hop", **_on(e), after=self.after, first=event(self.first.seq))
            return [example([self.first, e], said)]
        return []

    def keep(self) -> Json:
        return event_json(self.first) if self.first is not None else None

    def resume(self, data: Json) -> None:
        self.first = _opt_event(data)


class ReceivedMatchesSent(EachEvent):
    """Keeps a 128-bit digest of the manifest of every send (a later receipt may name any)."""

    def __init__(self, loaded: LoadedContract, inv: kinds.ReceivedMatchesSent) -> None:
        super().__init__(loaded, inv)
        self.sent: set[str] = set()

    def step(self, e: Event) -> list[Counterexample]:
        if e.kind not in ("sent", "received"):
            return []
        key = hashlib.blake2b(repr(pure._MANIFEST(e)).encode(), digest_size=16).hexdigest()
        if e.kind == "sent":
            self.sent.add(key)
        elif key not in self.sent:
            return [example([e], say("no_manifest", hop=str(e.hop), event=event(e.seq)))]
        return []

    def keep(self) -> Json:
        return "".join(sorted(self.sent))  # 32 hex digits each, one string: quick to read

    def resume(self, data: Json) -> None:
        self.sent = {data[i : i + 32] for i in range(0, len(data), 32)}


class DeclaredOnly(EachEvent):
    """Judges each event alone: keeps nothing."""

    def __init__(self, loaded: LoadedContract, inv: kinds.DeclaredOnly) -> None:
        super().__init__(loaded, inv)
        self.judge = pure.Undeclared(loaded.contract)

    def step(self, e: Event) -> list[Counterexample]:
        found = self.judge(e)
        return [found] if found is not None else []


class NoRecordedViolation(EachEvent):
    """Judges each event alone: keeps nothing."""

    def step(self, e: Event) -> list[Counterexample]:
        return [pure.recorded_violation(e)] if e.violation else []


class SameKeysAs(EachEvent):
    def __init__(self, loaded: LoadedContract, inv: kinds.SameKeysAs) -> None:
        super().__init__(loaded, inv)
        self.hop, self.source_hop = inv.params.hop, inv.params.source_hop
        self.received: dict[str, Event] = {}

    def step(self, e: Event) -> list[Counterexample]:
        if e.kind != "sent":
            return []
        if e.hop == self.source_hop and e.receiver is not None:
            self.received[e.receiver] = e
        elif e.hop == self.hop and e.sender is not None and e.keys is not None:
            source = self.received.get(e.sender)
            if source is not None and source.keys is not None and source.keys != e.keys:
                was: Values = {"source_hop": self.source_hop, "source": event(source.seq)}
                now: Values = {"sender": e.sender, "dataset": str(e.dataset), "event": event(e.seq)}
                said = say(
                    "other_rows", **now, hop=self.hop, source_dataset=str(source.dataset), **was
                )
                return [example([source, e], said)]
        return []

    def keep(self) -> Json:
        return [[k, event_json(v)] for k, v in sorted(self.received.items())]

    def resume(self, data: Json) -> None:
        self.received = {k: event_from(v) for k, v in data}


class OnceBefore(EachEvent):
    def __init__(self, loaded: LoadedContract, inv: kinds.OnceBefore) -> None:
        super().__init__(loaded, inv)
        self.first: dict[tuple[str | None, str | None], Event] = {}

    def step(self, e: Event) -> list[Counterexample]:
        p = self.inv.params
        if e.kind != "sent" or e.hop not in p.hops:
            return []
        out = []
        who = e.sender if p.per == "sender" else e.receiver
        if p.deadline is not None and e.when >= p.deadline:
            late: Values = {"time": e.time, "deadline": p.deadline.isoformat()}
            out.append(example([e], say("after_deadline", hop=str(e.hop), who=str(who), **late)))
        if p.not_before is not None and e.when < p.not_before:
            early: Values = {"time": e.time, "start": p.not_before.isoformat()}
            out.append(example([e], say("before_start", hop=str(e.hop), who=str(who), **early)))
        earlier = self.first.setdefault((e.dataset, who), e)
        if earlier is not e:
            twice: Values = {"dataset": str(e.dataset), "who": str(who), "hop": str(e.hop)}
            said = say("sent_twice", **twice, events=event(earlier.seq, e.seq))
            out.append(example([earlier, e], said))
        return out

    def keep(self) -> Json:
        return [[d, w, event_json(v)] for (d, w), v in self.first.items()]

    def resume(self, data: Json) -> None:
        self.first = {(d, w): event_from(v) for d, w, v in data}


class PrecededBy(EachEvent):
    """Keeps the pairs of parties a transfer on `after_hops` went between (not the events)."""

    def __init__(self, loaded: LoadedContract, inv: kinds.PrecededBy) -> None:
        super().__init__(loaded, inv)
        self.earlier: set[tuple[str | None, str | None]] = set()

    def step(self, e: Event) -> list[Counterexample]:
        p = self.inv.params
        if e.kind != "sent":
            return []
        if e.hop in p.after_hops:
            self.earlier.add((e.sender, e.receiver))
            self.earlier.add((None, e.receiver))
        if e.hop in p.hops:
            key = (None, e.receiver) if p.same == "receiver" else (e.receiver, e.sender)
            if key not in self.earlier:
                after = set(p.after_hops)
                before: Values = {"receiver": str(e.receiver), "hops": tuple(sorted(after))}
                wanted = (
                    say("not_preceded.received", **before)
                    if p.same == "receiver"
                    else say("not_preceded.sent", **before, sender=str(e.sender))
                )
                said = say("not_preceded", hop=str(e.hop), event=event(e.seq), wanted=wanted)
                return [example([e], said)]
        return []

    def keep(self) -> Json:
        return sorted([list(k) for k in self.earlier], key=lambda k: [v or "" for v in k])

    def resume(self, data: Json) -> None:
        self.earlier = {(a, b) for a, b in data}


FoldMaker = Callable[[LoadedContract, Any], Fold]
