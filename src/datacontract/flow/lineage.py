"""Who held which dataset, when: the lineage of a flow, from the contract and the ledger.

Two layers, one graph:

- the declared flow (the contract): parties, datasets, hops and the derivations a dataset is
  made from (`derived_from`, e.g. dataset_3 from dataset_1 and dataset_2);
- what happened (the ledger): holdings, each an interval from the event that gave a party a
  copy to the event that destroyed it (open when it was never destroyed).

A party holds deliveries, not datasets (issue 24): every file it receives on a hop is a holding
of its own, identified by its receipt event and its file's sha256, with its own retention term
(003 art. 3 b, 004 art. 3: VUTG may keep an answer of 2029 until 2034 after destroying the one
of 2025). A dataset the contract says a party makes (`made_by`) is one holding at its maker,
from the first sign in the ledger that it was made: a `made` event, its sending, or the holding
of a dataset derived from it (dataset_4 at opgroeien_it means dataset_3 was made there).

A `destroyed` event that names a sha256 closes the party's open deliveries of that dataset with
that hash (identical bytes are one file, however often they came); one without a sha256 closes
every copy the party holds of the dataset (`destroy --all`, and the bare `destroy`). A
destruction of a made dataset with no earlier sign opens and closes it there. The invariants
that speak of datasets (never held together, received after destroyed) read `by_dataset`, the
union of a party's holdings of a dataset. The holdings are built in one pass over the events,
so a ledger of a million events is a tight loop, not a graph search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datacontract.contract import model

if TYPE_CHECKING:
    from datacontract.ledger.chain import Event


@dataclass(frozen=True, slots=True)
class Holding:
    """One interval during which a party held a dataset."""

    party: str
    dataset: str
    start_seq: int  # the event that gave it (for a made dataset: the first sign of its making)
    start: str  # its time
    how: str  # "received", "made", "sent" (a maker sending what it made), "derived"
    end_seq: int | None = None  # the `destroyed` event, None while still held
    end: str | None = None
    sha256: str | None = None  # a delivery's file hash (how == "received"); None for a made copy

    @property
    def delivery(self) -> bool:
        """A file received on a hop (one holding per receipt), not a copy its maker holds."""
        return self.how == "received"

    def open_at(self, seq: int) -> bool:
        """Held just before event `seq` happened."""
        return self.start_seq < seq and (self.end_seq is None or self.end_seq > seq)

    def overlaps(self, other: Holding) -> bool:
        ends = self.end_seq if self.end_seq is not None else float("inf")
        other_ends = other.end_seq if other.end_seq is not None else float("inf")
        return self.start_seq < other_ends and other.start_seq < ends


def makers(contract: model.Contract) -> dict[str, frozenset[str]]:
    return {d.id: frozenset(d.made_by) for d in contract.datasets}


def sources(contract: model.Contract) -> dict[str, frozenset[str]]:
    """Every dataset a dataset is made from, transitively (dataset_4 <- dataset_3 <- ...)."""
    direct = {d.id: set(d.derived_from) for d in contract.datasets}
    out: dict[str, frozenset[str]] = {}
    for ds in direct:
        seen: set[str] = set()
        todo = list(direct[ds])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        out[ds] = frozenset(seen)
    return out


class Watcher:
    """What a Lineage tells as it goes (flow/folds_held.py): a holding began (`new_run`: no
    other copy of that dataset was open at that party, so by_dataset starts a run), or one
    closed (`run_over`: the party holds no other copy of it)."""

    def began(self, held: Holding, event: Event, new_run: bool) -> None:
        """A holding began at `event`."""

    def closed(self, held: Holding, event: Event, run_over: bool) -> None:
        """A holding (`held`, closed) ended at `event`."""


class Lineage:
    """The holdings, built one event at a time (a fold): the open ones and, with `keep_closed`,
    the closed ones; `watchers` are told of every beginning and end (see Watcher). The state
    a later fold resumes from is `open_state()` (state.py writes it down)."""

    def __init__(
        self, contract: model.Contract, watchers: Sequence[Watcher] = (), keep_closed: bool = True
    ) -> None:
        self.made = makers(contract)
        self.upstream = sources(contract)
        # (party, dataset) -> the open holdings, by the seq that began them
        self.current: dict[tuple[str, str], dict[int, Holding]] = {}
        self.ever: set[tuple[str, str]] = set()
        self.done: list[Holding] = []
        self.watchers = tuple(watchers)
        self.keep_closed = keep_closed

    def _begin(self, party: str, dataset: str, event: Event, how: str) -> None:
        key = (party, dataset)
        new_run = not self.current.get(key)
        if how != "received" and not new_run:
            return  # a maker's send or making of what it holds already is no new copy
        sha = event.sha256 if how == "received" else None
        held = Holding(party, dataset, event.seq, event.time, how, sha256=sha)
        self.current.setdefault(key, {})[event.seq] = held
        self.ever.add(key)
        for w in self.watchers:
            w.began(held, event, new_run)
        if how != "derived":
            # holding a dataset shows the party made what it is derived from, if it makes it
            for parent in self.upstream.get(dataset, ()):
                if (party, parent) not in self.ever and party in self.made.get(parent, ()):
                    self._begin(party, parent, event, "derived")

    def _close(self, held: Holding, event: Event, run_over: bool) -> None:
        ended = Holding(
            held.party,
            held.dataset,
            held.start_seq,
            held.start,
            held.how,
            event.seq,
            event.time,
            held.sha256,
        )
        if self.keep_closed:
            self.done.append(ended)
        for w in self.watchers:
            w.closed(ended, event, run_over)

    def feed(self, event: Event) -> None:
        """One more event (in ledger order)."""
        kind, ds = event.kind, event.dataset
        if ds is None:
            return
        if kind == "received" and event.receiver is not None:
            self._begin(event.receiver, ds, event, "received")
        elif kind == "sent" and event.sender is not None:
            self._begin(event.sender, ds, event, "sent")
        elif kind == "made" and event.party is not None:
            self._begin(event.party, ds, event, "made")
        elif kind == "destroyed" and event.party is not None:
            key = (event.party, ds)
            if event.sha256 is None and not self.current.get(key):
                self._begin(event.party, ds, event, "made")
            open_ = self.current.get(key, {})
            gone = [s for s, h in open_.items() if event.sha256 in (None, h.sha256)]
            for n, seq in enumerate(gone, start=1):
                self._close(open_.pop(seq), event, n == len(gone) and not open_)

    def open_holdings(self) -> list[Holding]:
        """The holdings still open, in the order they began (ties: party, dataset)."""
        out = [h for copies in self.current.values() for h in copies.values()]
        out.sort(key=lambda h: (h.start_seq, h.party, h.dataset))
        return out

    def holdings(self) -> list[Holding]:
        """Every holding seen (closed ones only with keep_closed), in the order they began."""
        out = self.done + [h for copies in self.current.values() for h in copies.values()]
        out.sort(key=lambda h: (h.start_seq, h.party, h.dataset))
        return out


def holdings(contract: model.Contract, events: Iterable[Event]) -> list[Holding]:
    """Every holding the ledger shows, one per delivery and one per made copy, in the order
    they began (ties: party, dataset)."""
    lineage = Lineage(contract)
    for event in events:
        lineage.feed(event)
    return lineage.holdings()


def by_dataset(held: Iterable[Holding]) -> list[Holding]:
    """The dataset view: a party's overlapping holdings of a dataset merged into one interval
    (from the first start to the last end, open when one of them is open), for the invariants
    that speak of datasets rather than deliveries."""
    out: list[Holding] = []
    last: dict[tuple[str, str], int] = {}  # (party, dataset) -> index in out of the open run
    for h in sorted(held, key=lambda h: h.start_seq):
        key = (h.party, h.dataset)
        i = last.get(key)
        if i is not None and out[i].overlaps(h):
            run = out[i]
            later = run if run.end_seq is None or (h.end_seq or 0) < run.end_seq else h
            if h.end_seq is None:
                later = h
            out[i] = Holding(
                h.party, h.dataset, run.start_seq, run.start, run.how, later.end_seq, later.end
            )
        else:
            last[key] = len(out)
            out.append(h)
    return out


def graph(
    contract: model.Contract, events: Sequence[Event] = (), held: Sequence[Holding] = ()
) -> Any:
    """The lineage as a networkx MultiDiGraph: declared hops and derivations, actual transfers.

    Nodes: ("party", id) and ("dataset", id). Edges: "hop" (sender -> receiver, declared),
    "derives" (source dataset -> derived dataset), "transfer" (sender -> receiver, with the
    event seq), "holds" (party -> dataset, with the interval).
    """
    import networkx as nx

    g = nx.MultiDiGraph(contract=contract.contract)
    for party in contract.parties:
        g.add_node(("party", party.id), kind="party", label=party.id)
    for dataset in contract.datasets:
        g.add_node(("dataset", dataset.id), kind="dataset", label=dataset.id)
        for parent in dataset.derived_from:
            g.add_edge(("dataset", parent), ("dataset", dataset.id), kind="derives")
    for hop in contract.hops:
        for sender in hop.sender:
            for receiver in hop.receiver:
                g.add_edge(
                    ("party", sender),
                    ("party", receiver),
                    kind="hop",
                    hop=hop.id,
                    dataset=hop.dataset,
                    optional=hop.optional,
                )
    transfers: dict[tuple[str, str, str | None, str | None], list[int]] = {}
    flagged: set[tuple[str, str, str | None, str | None]] = set()
    for event in events:
        if event.kind == "sent" and event.sender and event.receiver:
            key = (event.sender, event.receiver, event.hop, event.dataset)
            transfers.setdefault(key, []).append(event.seq)
            if event.violation:
                flagged.add(key)
    for (sender, receiver, hop_id, dataset_id), seqs in transfers.items():
        for node in (sender, receiver):
            if ("party", node) not in g:
                g.add_node(("party", node), kind="party", label=node, undeclared=True)
        # one edge per sender, receiver and hop, however many times it was used
        g.add_edge(
            ("party", sender),
            ("party", receiver),
            kind="transfer",
            hop=hop_id,
            dataset=dataset_id,
            seqs=tuple(seqs),
            violation=(sender, receiver, hop_id, dataset_id) in flagged,
        )
    for h in held:
        g.add_edge(
            ("party", h.party),
            ("dataset", h.dataset),
            kind="holds",
            start=h.start_seq,
            end=h.end_seq,
        )
    return g
