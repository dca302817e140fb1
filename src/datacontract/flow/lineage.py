"""Who held which dataset, when: the lineage of a flow, from the contract and the ledger.

Two layers, one graph:

- the declared flow (the contract): parties, datasets, hops and the derivations a dataset is
  made from (`derived_from`, e.g. dataset_3 from dataset_1 and dataset_2);
- what happened (the ledger): holdings, each an interval from the event that gave a party a
  dataset to the event that destroyed it (open when it was never destroyed).

A party holds a dataset from the moment it receives it on a hop, or, for a dataset the contract
says it makes (`made_by`), from the first sign in the ledger that it was made: a `made` event,
its sending, or the holding of a dataset derived from it (dataset_4 at opgroeien_it means
dataset_3 was made there). A `destroyed` event closes the interval; a destruction of a made
dataset with no earlier sign opens and closes it there. The holdings are built in one pass over
the events, so a ledger of a million events is a tight loop, not a graph search.
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


def holdings(contract: model.Contract, events: Iterable[Event]) -> list[Holding]:
    """Every holding interval the ledger shows, in the order they began."""
    made = makers(contract)
    upstream = sources(contract)
    current: dict[tuple[str, str], Holding] = {}
    done: list[Holding] = []

    def begin(party: str, dataset: str, event: Event, how: str) -> None:
        if (party, dataset) in current:
            return
        current[(party, dataset)] = Holding(party, dataset, event.seq, event.time, how)
        if how != "derived":
            # holding a dataset shows the party made what it is derived from, if it makes it
            for parent in upstream.get(dataset, ()):
                fresh = (party, parent) not in current and not any(
                    h.party == party and h.dataset == parent for h in done
                )
                if fresh and party in made.get(parent, ()):
                    begin(party, parent, event, "derived")

    for event in events:
        kind, ds = event.kind, event.dataset
        if ds is None:
            continue
        if kind == "received" and event.receiver is not None:
            begin(event.receiver, ds, event, "received")
        elif kind == "sent" and event.sender is not None:
            begin(event.sender, ds, event, "sent")
        elif kind == "made" and event.party is not None:
            begin(event.party, ds, event, "made")
        elif kind == "destroyed" and event.party is not None:
            key = (event.party, ds)
            if key not in current:
                begin(event.party, ds, event, "made")
            held = current.pop(key)
            done.append(
                Holding(
                    held.party,
                    held.dataset,
                    held.start_seq,
                    held.start,
                    held.how,
                    event.seq,
                    event.time,
                )
            )
    out = done + list(current.values())
    out.sort(key=lambda h: (h.start_seq, h.party, h.dataset))
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
