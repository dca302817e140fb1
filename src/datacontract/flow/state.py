"""The state of a proof after some event: every invariant folded so far, and the lineage.

`Folding` runs every invariant of a contract as a fold (flow/fold.py, flow/folds_held.py)
over the counted events, one at a time, beside the lineage (lineage.Lineage); its verdicts
at the end are the pure functions' verdicts over all those events (tests/flow/test_state.py
checks both at every cut of generated ledgers). `dump` writes down what is still needed of
the past (open holdings, first milestones, the parties a hop went between, counterexamples
found so far, ...) as plain JSON; `Folding.load` goes on from it, so that a proof from a
checkpoint reads only the events after it (flow/state_file.py binds a state to its contract,
ledger and head).

FOLDS is the registry: one fold per kind of flow/kinds.py's KINDS. A kind without a fold
fails tests/flow/test_state.py, so a new kind cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable

from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.flow import fold, folds_held
from datacontract.flow.fold import End, Fold, FoldMaker, Json
from datacontract.flow.lineage import Holding, Lineage
from datacontract.flow.proof import Verdict
from datacontract.ledger.chain import Event

FOLDS: dict[str, FoldMaker] = {
    "never_held_together": folds_held.NeverHeldTogether,
    "received_after_milestone": fold.ReceivedAfterMilestone,
    "received_before_milestone": fold.ReceivedBeforeMilestone,
    "received_after_destroyed": folds_held.ReceivedAfterDestroyed,
    "not_after": fold.NotAfter,
    "never_holds": folds_held.NeverHolds,
    "received_matches_sent": fold.ReceivedMatchesSent,
    "declared_only": fold.DeclaredOnly,
    "no_recorded_violation": fold.NoRecordedViolation,
    "same_keys_as": fold.SameKeysAs,
    "once_before": fold.OnceBefore,
    "destroyed_within": folds_held.DestroyedWithin,
    "retained_at_most": folds_held.RetainedAtMost,
    "preceded_by": fold.PrecededBy,
    "ledger_intact": fold.AtEnd,
    "identifiers_only_pseudonymised": fold.AtEnd,
    "income_only_in_classes": fold.AtEnd,
}
"""The fold of every invariant kind (flow/kinds.py KINDS has the same keys: a test checks it)."""


class Folding:
    """Every invariant of a contract folded over the counted events, with the lineage.

    keep_closed: keep every closed holding (the proof lists them); without it, memory holds
    only what is still open."""

    def __init__(self, loaded: LoadedContract, *, keep_closed: bool = True) -> None:
        self.loaded = loaded
        self.folds: list[tuple[model.Invariant, Fold]] = [
            (inv, FOLDS[inv.kind](loaded, inv)) for inv in loaded.contract.invariants
        ]
        self.lineage = Lineage(loaded.contract, [f for _, f in self.folds], keep_closed)
        self.counted = 0  # counted events folded
        self.names: set[str] = set()  # the hops and datasets they name (for vacuity)

    def feed(self, events: Iterable[Event]) -> None:
        """Fold more counted events, in ledger order."""
        # a fold that keeps nothing per event (its `event` is Fold's, which does nothing) is
        # not called a million times for nothing
        folds = [f for _, f in self.folds if type(f).event is not Fold.event]
        lineage, names = self.lineage, self.names
        for e in events:
            for f in folds:
                f.event(e)
            lineage.feed(e)
            if e.hop is not None:
                names.add(e.hop)
            if e.dataset is not None:
                names.add(e.dataset)
            self.counted += 1

    def verdicts(self, end: End) -> list[Verdict]:
        """Every invariant's verdict, in the contract's order."""
        out = []
        for inv, f in self.folds:
            found = f.finish(end)
            out.append(Verdict(inv.id, inv.kind, inv.title, inv.article, not found, tuple(found)))
        return out

    def holdings(self) -> list[Holding]:
        return self.lineage.holdings()

    def dump(self) -> Json:
        """What the folds and the lineage still need (plain JSON, deterministic)."""
        lineage = self.lineage
        opened = [
            [h.party, h.dataset, h.start_seq, h.start, h.how, h.sha256]
            for h in lineage.open_holdings()
        ]
        return {
            "counted": self.counted,
            "names": sorted(self.names),
            "lineage": {"open": opened, "ever": sorted([list(k) for k in lineage.ever])},
            "invariants": {inv.id: f.dump() for inv, f in self.folds},
        }

    @classmethod
    def load(cls, loaded: LoadedContract, data: Json, *, keep_closed: bool = True) -> Folding:
        """The folding `dump` wrote down (for this contract: the caller checks it)."""
        out = cls(loaded, keep_closed=keep_closed)
        out.counted = int(data["counted"])
        out.names = set(data["names"])
        for party, dataset, start_seq, start, how, sha256 in data["lineage"]["open"]:
            held = Holding(party, dataset, start_seq, start, how, sha256=sha256)
            out.lineage.current.setdefault((party, dataset), {})[start_seq] = held
        out.lineage.ever = {(p, d) for p, d in data["lineage"]["ever"]}
        for inv, f in out.folds:
            f.load(data["invariants"][inv.id])
        return out


__all__ = ["FOLDS", "End", "Folding"]
