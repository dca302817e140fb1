"""What of a proof is drawn in red: the counterexamples' events, parties, hops and holdings.

Red marks only what a counterexample names, never more: an event is red when a counterexample
cites its sequence number; a holding when a counterexample cites the event that began or ended
it and names its party (and its dataset, when it names datasets); a hop and a party when a
counterexample names them. Everything else keeps its ordinary colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from datacontract.flow.lineage import Holding
from datacontract.flow.proof import Proof

RED = "#c62828"  # the counterexample, everywhere on the page
BLUE = "#2f5d9e"  # what happened: a hop that carried data, a holding
GREY = "#8a949e"  # declared, but nothing in the ledger: a hop that carried no data
RED_FILL = "#fdecea"
BLUE_FILL = "#eef3fb"
GREY_FILL = "#f3f4f6"


@dataclass(frozen=True)
class Marks:
    """The parts of a proof its counterexamples name (sets of seqs, party ids, hop ids)."""

    events: frozenset[int]
    parties: frozenset[str]
    hops: frozenset[str]
    # (party, dataset-or-None, seq): a holding of party begun or ended by seq is red
    holdings: frozenset[tuple[str, str | None, int]]

    def holding(self, h: Holding) -> bool:
        """True when a counterexample names this holding (see the module docstring)."""
        for seq in (h.start_seq, h.end_seq):
            if seq is None:
                continue
            if (h.party, h.dataset, seq) in self.holdings or (h.party, None, seq) in self.holdings:
                return True
        return False


def marks_of(proof: Proof) -> Marks:
    """Every event, party, hop and holding the proof's counterexamples name."""
    events: set[int] = set()
    parties: set[str] = set()
    hops: set[str] = set()
    held: set[tuple[str, str | None, int]] = set()
    for verdict in proof.verdicts:
        for c in verdict.counterexamples:
            events.update(c.events)
            parties.update(c.parties)
            hops.update(c.hops)
            datasets: tuple[str | None, ...] = c.datasets or (None,)
            held.update((p, d, s) for p in c.parties for d in datasets for s in c.events)
    return Marks(frozenset(events), frozenset(parties), frozenset(hops), frozenset(held))
