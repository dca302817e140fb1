"""The flow invariants as pure functions: (contract, holdings, ledger, time) -> verdict.

Each kind of invariant the contract may declare is one function in RULES; `prove` runs them in
the contract's order and returns a Proof: every invariant with its verdict, and for each broken
one the counterexamples: the events (by seq), parties, datasets, hops and times involved, and
the article it breaks. Without a ledger, `prove` checks the declared flow alone: can the hops
the contract declares, with the invariants it declares, lead to a bad path?

`breaks` is the pre-transfer question a hook asks: which invariants would this one event break,
given what the ledger holds? Only counterexamples that involve the new event count, so a
violation recorded earlier does not block every later honest transfer.

Nothing here reads files except the declared SQL derivations (through sqllineage); nothing here
holds a cell value: events carry hashes, counts, rule ids and articles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from datacontract import model
from datacontract.errors import ContractError
from datacontract.ledger import Event, LedgerState
from datacontract.lineage import Holding, holdings, makers, sources
from datacontract.load import LoadedContract


@dataclass(frozen=True)
class Counterexample:
    events: tuple[int, ...]  # ledger seq numbers involved (empty in declared-flow mode)
    parties: tuple[str, ...]
    datasets: tuple[str, ...]
    hops: tuple[str, ...]
    times: tuple[str, ...]
    message: str  # plain words; never a cell value

    def to_json(self) -> dict[str, object]:
        return {
            "events": list(self.events),
            "parties": list(self.parties),
            "datasets": list(self.datasets),
            "hops": list(self.hops),
            "times": list(self.times),
            "message": self.message,
        }


@dataclass(frozen=True)
class Verdict:
    invariant: str
    kind: str
    title: str
    article: str
    holds: bool
    counterexamples: tuple[Counterexample, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "invariant": self.invariant,
            "kind": self.kind,
            "title": self.title,
            "article": self.article,
            "holds": self.holds,
            "counterexamples": [c.to_json() for c in self.counterexamples],
        }


@dataclass(frozen=True)
class Proof:
    contract: str
    version: str
    contract_sha256: str
    mode: str  # "ledger" or "declared"
    ledger: str | None
    ledger_hash: str | None
    at: str
    events: int
    verdicts: tuple[Verdict, ...]
    holdings: tuple[Holding, ...] = field(default=(), compare=False)

    @property
    def holds(self) -> bool:
        return all(v.holds for v in self.verdicts)

    def to_json(self) -> dict[str, object]:
        """Stable keys, deterministic order: golden files compare it byte for byte."""
        return {
            "contract": self.contract,
            "version": self.version,
            "contract_sha256": self.contract_sha256,
            "mode": self.mode,
            "ledger": self.ledger,
            "ledger_hash": self.ledger_hash,
            "at": self.at,
            "events": self.events,
            "holds": self.holds,
            "verdicts": [v.to_json() for v in self.verdicts],
        }


@dataclass(frozen=True)
class Flow:
    """Everything an invariant looks at: the contract, the events, the holdings, the time."""

    loaded: LoadedContract
    events: Sequence[Event]
    held: Sequence[Holding]
    at: datetime
    state: LedgerState | None  # None: the declared flow alone

    @property
    def contract(self) -> model.Contract:
        return self.loaded.contract


Check = Callable[[Flow, model.Invariant], list[Counterexample]]


def _param(inv: model.Invariant, name: str, *, default: object = ...) -> object:
    if name in inv.params:
        return inv.params[name]
    if default is ...:
        raise ContractError(f"invariant {inv.id!r} ({inv.kind}) needs the parameter {name!r}")
    return default


def _names(inv: model.Invariant, name: str, default: object = ...) -> tuple[str, ...]:
    value = _param(inv, name, default=default)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ContractError(f"invariant {inv.id!r}: {name!r} must be a name or a list of names")


def _name(inv: model.Invariant, name: str) -> str:
    value = _param(inv, name)
    if not isinstance(value, str):
        raise ContractError(f"invariant {inv.id!r}: {name!r} must be a name")
    return value


def _example(events: Sequence[Event], message: str, **extra: Sequence[str]) -> Counterexample:
    def collect(attr: str) -> tuple[str, ...]:
        found = [getattr(e, attr) for e in events] + list(extra.get(attr, ()))
        return tuple(dict.fromkeys(v for v in found if v))

    parties = [p for e in events for p in (e.party, e.sender, e.receiver) if p]
    return Counterexample(
        events=tuple(e.seq for e in events),
        parties=tuple(dict.fromkeys([*parties, *extra.get("parties", ())])),
        datasets=collect("dataset"),
        hops=collect("hop"),
        times=tuple(e.time for e in events),
        message=message,
    )


def _declared(message: str, **names: Sequence[str]) -> Counterexample:
    return Counterexample(
        (),
        tuple(names.get("parties", ())),
        tuple(names.get("datasets", ())),
        tuple(names.get("hops", ())),
        (),
        message,
    )


def _by_seq(flow: Flow) -> dict[int, Event]:
    return {e.seq: e for e in flow.events}


def _transfers(
    flow: Flow, hops: Sequence[str], kinds: Sequence[str] = ("sent", "received")
) -> list[Event]:
    wanted = set(hops)
    return [e for e in flow.events if e.kind in kinds and e.hop in wanted]


# --- the invariants, over what the ledger records -----------------------------------------------


def never_held_together(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    party = _name(inv, "party")
    first, second = set(_names(inv, "first")), set(_names(inv, "second"))
    if flow.state is None:
        return _declared_apart(flow, inv, party, first, second)
    mine = [h for h in flow.held if h.party == party]
    seqs = _by_seq(flow)
    out = []
    for a in (h for h in mine if h.dataset in first):
        for b in (h for h in mine if h.dataset in second):
            if a.overlaps(b):
                later = max(a.start_seq, b.start_seq)
                involved = [seqs[s] for s in (a.start_seq, b.start_seq) if s in seqs]
                out.append(
                    _example(
                        sorted(involved, key=lambda e: e.seq),
                        f"{party} held {a.dataset} and {b.dataset} at the same time from event "
                        f"{later} on" + (f" until event {_until(a, b)}" if _until(a, b) else ""),
                        parties=[party],
                    )
                )
    return out


def _until(a: Holding, b: Holding) -> int | None:
    ends = [e for e in (a.end_seq, b.end_seq) if e is not None]
    return min(ends) if len(ends) == 2 else (ends[0] if ends else None)


def received_after_milestone(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    hop, milestone = _name(inv, "hop"), _name(inv, "milestone")
    if flow.state is None:
        return _declared_refs(flow, inv, hops=[hop], milestones=[milestone])
    reached: int | None = None
    out = []
    for e in flow.events:
        if e.kind == "milestone" and e.milestone == milestone and reached is None:
            reached = e.seq
        elif e.kind in ("sent", "received") and e.hop == hop and reached is None:
            out.append(_example([e], f"{e.kind} on {hop} before the milestone {milestone}"))
    return out


def received_after_destroyed(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    hop, party = _name(inv, "hop"), _name(inv, "party")
    destroyed = set(_names(inv, "destroyed"))
    if flow.state is None:
        return _declared_refs(flow, inv, hops=[hop], parties=[party], datasets=sorted(destroyed))
    seqs = _by_seq(flow)
    out = []
    for e in flow.events:
        if e.kind != "received" or e.hop != hop or e.receiver != party:
            continue
        still = [
            h for h in flow.held if h.party == party and h.dataset in destroyed and h.open_at(e.seq)
        ]
        for h in still:
            out.append(
                _example(
                    [seqs[h.start_seq], e] if h.start_seq in seqs else [e],
                    f"{party} received {e.dataset} on {hop} (event {e.seq}) while it still held "
                    f"{h.dataset} (since event {h.start_seq}, not destroyed before)",
                )
            )
    return out


def not_after(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    hops, after = _names(inv, "hops"), _name(inv, "after_hop")
    if flow.state is None:
        return _declared_refs(flow, inv, hops=[*hops, after])
    first: Event | None = None
    out = []
    for e in flow.events:
        if e.kind not in ("sent", "received"):
            continue
        if e.hop == after and first is None:
            first = e
        elif e.hop in hops and first is not None:
            out.append(
                _example(
                    [first, e],
                    f"{e.kind} on {e.hop} (event {e.seq}) after {after} (event {first.seq})",
                )
            )
    return out


def never_holds(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    party, datasets = _name(inv, "party"), set(_names(inv, "datasets"))
    if flow.state is None:
        return [
            _declared(
                f"the contract declares hop {h.id} that gives {h.dataset} to {party}",
                parties=[party],
                datasets=[h.dataset],
                hops=[h.id],
            )
            for h in flow.contract.hops
            if party in h.receiver and h.dataset in datasets
        ] + [
            _declared(f"the contract says {party} makes {d.id}", parties=[party], datasets=[d.id])
            for d in flow.contract.datasets
            if party in d.made_by and d.id in datasets
        ]
    seqs = _by_seq(flow)
    return [
        _example(
            [seqs[h.start_seq]] if h.start_seq in seqs else [],
            f"{party} held {h.dataset} from event {h.start_seq}",
            parties=[party],
            datasets=[h.dataset],
        )
        for h in flow.held
        if h.party == party and h.dataset in datasets
    ]


def received_matches_sent(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    if flow.state is None:
        return []
    sent: set[tuple[str | None, ...]] = set()
    out = []
    for e in flow.events:
        key = (e.sha256, e.hop, e.dataset, e.sender, e.receiver)
        if e.kind == "sent":
            sent.add(key)
        elif e.kind == "received" and key not in sent:
            out.append(
                _example(
                    [e],
                    f"the file received on {e.hop} (event {e.seq}) matches no manifest sent "
                    "before it: its hash, hop, dataset, sender or receiver differ",
                )
            )
    return out


def declared_only(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    c = flow.contract
    parties = {p.id for p in c.parties}
    datasets = {d.id for d in c.datasets}
    milestones = {m.id for m in c.milestones}
    hops = {h.id: h for h in c.hops}
    if flow.state is None:
        return []
    out = []
    for e in flow.events:
        problems = []
        for role in ("party", "sender", "receiver"):
            who = getattr(e, role)
            if who is not None and who not in parties:
                problems.append(f"{role} {who} is not a party of the contract")
        if e.dataset is not None and e.dataset not in datasets:
            problems.append(f"dataset {e.dataset} is not declared")
        if e.kind == "milestone" and e.milestone not in milestones:
            problems.append(f"milestone {e.milestone} is not declared")
        if e.kind in ("sent", "received"):
            hop = hops.get(e.hop or "")
            if hop is None:
                problems.append(f"hop {e.hop} is not declared")
            else:
                if e.dataset != hop.dataset:
                    problems.append(f"hop {hop.id} carries {hop.dataset}, not {e.dataset}")
                if e.sender not in hop.sender:
                    problems.append(f"{e.sender} does not send on {hop.id}")
                if e.receiver not in hop.receiver:
                    problems.append(f"{e.receiver} does not receive on {hop.id}")
        if problems:
            out.append(_example([e], f"event {e.seq}: " + "; ".join(problems)))
    return out


def same_keys_as(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    """A file sent back on `hop` holds exactly the rows its sender received on `source_hop`.

    Compared by the order-independent digest of the dataset's key columns that each hook
    records: a payer's dataset_2 names the same income providers as the dataset_1 it got,
    nothing lost, nothing added. Events without a digest (older ledgers) are not compared.
    """
    hop, source_hop = _name(inv, "hop"), _name(inv, "source_hop")
    if flow.state is None:
        return _declared_refs(flow, inv, hops=[hop, source_hop])
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
                out.append(
                    _example(
                        [source, e],
                        f"{e.sender} sent {e.dataset} on {hop} (event {e.seq}) with other rows "
                        f"than the {source.dataset} it received on {source_hop} (event "
                        f"{source.seq}): families lost or added",
                    )
                )
    return out


def no_recorded_violation(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    """Every event recorded with --record-violation is a counterexample, with its rules."""
    out = []
    for e in flow.events:
        if e.violation:
            broken = sorted({f"{f.get('rule')} ({f.get('article')})" for f in e.findings})
            out.append(
                _example([e], f"event {e.seq} was recorded although it breaks: {'; '.join(broken)}")
            )
    return out


def once_before(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    hops = set(_names(inv, "hops"))
    per = _param(inv, "per", default="sender")
    if per not in ("sender", "receiver"):
        raise ContractError(f"invariant {inv.id!r}: 'per' is sender or receiver")
    raw_deadline = _param(inv, "deadline", default=None)
    deadline = datetime.fromisoformat(str(raw_deadline)) if raw_deadline is not None else None
    if flow.state is None:
        return _declared_refs(flow, inv, hops=sorted(hops))
    first: dict[tuple[str | None, str | None], Event] = {}
    out = []
    for e in flow.events:
        if e.kind != "sent" or e.hop not in hops:
            continue
        who = e.sender if per == "sender" else e.receiver
        if deadline is not None and e.when >= deadline:
            out.append(
                _example([e], f"{e.hop} by {who} at {e.time}, after the deadline {raw_deadline}")
            )
        earlier = first.setdefault((e.hop, who), e)
        if earlier is not e:
            out.append(
                _example(
                    [earlier, e],
                    f"{e.hop} used a second time for {who} (events {earlier.seq} and {e.seq})",
                )
            )
    return out


def destroyed_within(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    party, datasets = _name(inv, "party"), set(_names(inv, "datasets"))
    milestone = _name(inv, "milestone")
    days = _param(inv, "days")
    if not isinstance(days, int) or days < 0:
        raise ContractError(f"invariant {inv.id!r}: 'days' must be a whole number of days")
    if flow.state is None:
        return _declared_refs(
            flow, inv, parties=[party], datasets=sorted(datasets), milestones=[milestone]
        )
    end = next((e for e in flow.events if e.kind == "milestone" and e.milestone == milestone), None)
    if end is None:
        return []  # the term has not started: nothing is late yet
    deadline = end.when + timedelta(days=days)
    out = []
    seqs = _by_seq(flow)
    for h in flow.held:
        if h.party != party or h.dataset not in datasets:
            continue
        if h.end_seq is None and flow.at > deadline:
            out.append(
                _example(
                    [end, *([seqs[h.start_seq]] if h.start_seq in seqs else [])],
                    f"{party} still holds {h.dataset} (since event {h.start_seq}) at "
                    f"{flow.at.isoformat()}, "
                    f"later than {milestone} + {days} days ({deadline.isoformat()})",
                    parties=[party],
                    datasets=[h.dataset],
                )
            )
        elif (
            h.end_seq is not None and h.end is not None and datetime.fromisoformat(h.end) > deadline
        ):
            out.append(
                _example(
                    [end, seqs[h.end_seq]],
                    f"{party} destroyed {h.dataset} at event {h.end_seq}, later than {milestone} + "
                    f"{days} days ({deadline.isoformat()})",
                )
            )
    return out


def ledger_intact(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    if flow.state is None:
        return []
    return [
        Counterexample(
            (p.seq,) if p.seq is not None else (), (), (), (), (), f"line {p.line}: {p.message}"
        )
        for p in flow.state.problems
    ]


def derivations(flow: Flow, inv: model.Invariant) -> list[Counterexample]:
    """The declared SQL of the derivations (step 5) keeps identifiers and income out."""
    from datacontract import sqllineage

    folder = Path(str(_param(inv, "sql")))
    if not folder.is_absolute():
        folder = Path(flow.loaded.path).parent / folder
    problems = sqllineage.check(flow.contract, folder, inv.kind, inv.params)
    return [_declared(p.message, datasets=[p.dataset]) for p in problems]


# --- the declared flow alone --------------------------------------------------------------------


def _declared_refs(
    flow: Flow,
    inv: model.Invariant,
    *,
    hops: Sequence[str] = (),
    parties: Sequence[str] = (),
    datasets: Sequence[str] = (),
    milestones: Sequence[str] = (),
) -> list[Counterexample]:
    c = flow.contract
    known = {
        "hop": {h.id for h in c.hops},
        "party": {p.id for p in c.parties},
        "dataset": {d.id for d in c.datasets},
        "milestone": {m.id for m in c.milestones},
    }
    out = []
    for what, names in (
        ("hop", hops),
        ("party", parties),
        ("dataset", datasets),
        ("milestone", milestones),
    ):
        for name in names:
            if name not in known[what]:
                out.append(_declared(f"invariant {inv.id} names an undeclared {what} {name}"))
    return out


def _declared_apart(
    flow: Flow, inv: model.Invariant, party: str, first: set[str], second: set[str]
) -> list[Counterexample]:
    """Can the declared hops bring `first` and `second` data together at `party`?

    They can, unless every hop that brings `second` waits for the destruction of all `first`
    data (a received_after_destroyed invariant) and no hop of `first` data may follow it (a
    not_after invariant).
    """
    c = flow.contract
    into = [h for h in c.hops if party in h.receiver]
    firsts = [h for h in into if h.dataset in first]
    seconds = [h for h in into if h.dataset in second]
    if not firsts or not seconds:
        return []
    out = []
    for late in seconds:
        guarded = any(
            i.kind == "received_after_destroyed"
            and i.params.get("hop") == late.id
            and i.params.get("party") == party
            and {h.dataset for h in firsts} <= set(_names(i, "destroyed", default=()))
            for i in c.invariants
        )
        if not guarded:
            out.append(
                _declared(
                    f"hop {late.id} may bring {late.dataset} to {party} while it holds "
                    f"{', '.join(sorted({h.dataset for h in firsts}))}: no invariant makes it wait "
                    "for their destruction",
                    parties=[party],
                    datasets=[late.dataset],
                    hops=[late.id],
                )
            )
        for early in firsts:
            closed = any(
                i.kind == "not_after"
                and i.params.get("after_hop") == late.id
                and early.id in _names(i, "hops", default=())
                for i in c.invariants
            )
            if not closed:
                out.append(
                    _declared(
                        f"hop {early.id} may bring {early.dataset} to {party} after {late.id}: "
                        "no invariant forbids it",
                        parties=[party],
                        datasets=[early.dataset],
                        hops=[early.id, late.id],
                    )
                )
    return out


def _unguarded_meetings(flow: Flow) -> list[Counterexample]:
    """Contact and background data that declared hops bring to one party, with no invariant."""
    c = flow.contract

    def categories(dataset_id: str) -> set[str]:
        d = c.dataset(dataset_id)
        return {col.category for col in d.columns} if d else set()

    out = []
    for party in c.parties:
        into = [h for h in c.hops if party.id in h.receiver]
        contact = {h.dataset for h in into if categories(h.dataset) & {"contact", "identifier"}}
        background = {h.dataset for h in into if "background" in categories(h.dataset)}
        if not contact or not background:
            continue
        covered = any(
            i.kind == "never_held_together"
            and i.params.get("party") == party.id
            and contact <= set(_names(i, "first", default=()))
            and background <= set(_names(i, "second", default=()))
            for i in c.invariants
        )
        if not covered:
            out.append(
                _declared(
                    f"declared hops bring contact data ({', '.join(sorted(contact))}) and "
                    f"background data ({', '.join(sorted(background))}) to {party.id}, and no "
                    "never_held_together invariant keeps them apart",
                    parties=[party.id],
                    datasets=sorted(contact | background),
                )
            )
    return out


RULES: dict[str, Check] = {
    "never_held_together": never_held_together,
    "received_after_milestone": received_after_milestone,
    "received_after_destroyed": received_after_destroyed,
    "not_after": not_after,
    "never_holds": never_holds,
    "received_matches_sent": received_matches_sent,
    "declared_only": declared_only,
    "no_recorded_violation": no_recorded_violation,
    "same_keys_as": same_keys_as,
    "once_before": once_before,
    "destroyed_within": destroyed_within,
    "ledger_intact": ledger_intact,
    "identifiers_only_pseudonymised": derivations,
    "income_only_in_classes": derivations,
}


def _verdict(flow: Flow, inv: model.Invariant) -> Verdict:
    rule = RULES.get(inv.kind)
    if rule is None:
        raise ContractError(
            f"invariant {inv.id!r} has an unknown kind {inv.kind!r}; "
            f"known: {', '.join(sorted(RULES))}"
        )
    found = rule(flow, inv)
    return Verdict(inv.id, inv.kind, inv.title, inv.article, not found, tuple(found))


def prove(
    loaded: LoadedContract,
    ledger: LedgerState | None,
    *,
    at: datetime,
    ledger_path: Path | None = None,
) -> Proof:
    """Every invariant of the contract, on the ledger (or on the declared flow alone)."""
    events: Sequence[Event] = ledger.events if ledger is not None else ()
    held = holdings(loaded.contract, events) if ledger is not None else []
    flow = Flow(loaded, events, held, at, ledger)
    verdicts = [_verdict(flow, inv) for inv in loaded.contract.invariants]
    if ledger is None:
        meetings = _unguarded_meetings(flow)
        verdicts.append(
            Verdict(
                "declared_flow_keeps_contact_and_background_apart",
                "declared_flow",
                "De verklaarde stroom brengt contact- en achtergrondgegevens nergens samen",
                "art. 6",
                not meetings,
                tuple(meetings),
            )
        )
    return Proof(
        contract=loaded.contract.contract,
        version=loaded.contract.version,
        contract_sha256=loaded.sha256,
        mode="ledger" if ledger is not None else "declared",
        ledger=str(ledger_path) if ledger_path is not None else None,
        ledger_hash=ledger.head if ledger is not None else None,
        at=at.isoformat(),
        events=len(events),
        verdicts=tuple(verdicts),
        holdings=tuple(held),
    )


# Kinds a single new event can break; the others look at the whole ledger or at time alone.
_EVENT_KINDS = (
    "never_held_together",
    "received_after_milestone",
    "received_after_destroyed",
    "not_after",
    "never_holds",
    "received_matches_sent",
    "declared_only",
    "once_before",
    "same_keys_as",
)


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
        if inv.kind not in _EVENT_KINDS:
            continue
        mine = tuple(c for c in RULES[inv.kind](flow, inv) if new & set(c.events))
        if mine:
            out.append(Verdict(inv.id, inv.kind, inv.title, inv.article, False, mine))
    return tuple(out)


__all__ = ["Counterexample", "Proof", "Verdict", "breaks", "makers", "prove", "sources"]
