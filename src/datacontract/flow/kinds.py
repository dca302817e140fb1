"""The registry of invariant kinds: one entry per kind a contract may declare.

An entry holds everything about its kind: the model of an invariant of that kind (its typed
parameters, contract/invariants.py, checked when the contract loads), its check (a pure
function of flow/invariants.py or flow/terms.py, over the ledger or, when `flow.state` is
None, over the declared flow alone), and whether one new event can break it (then the hooks
check it before each transfer: prover.breaks). A kind the contract model declares and this
registry lacks, or the reverse, fails a test (tests/contract/test_invariant_kinds.py).

To add a kind: its model in contract/invariants.py (and in the `Invariant` union), its check,
its entry here, and its fold in flow/state.py's FOLDS (what of the past it still needs, so that
a proof can go on from a checkpoint's state: tests/flow/test_state_fold.py fails without one,
and checks the fold against the check at every cut of generated ledgers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from datacontract.contract import invariants as kinds
from datacontract.flow.invariants import (
    declared_only,
    derivations,
    ledger_intact,
    never_held_together,
    never_holds,
    no_recorded_violation,
    not_after,
    once_before,
    preceded_by,
    received_after_destroyed,
    received_after_milestone,
    received_before_milestone,
    received_matches_sent,
    same_keys_as,
)
from datacontract.flow.proof import Counterexample
from datacontract.flow.terms import destroyed_within, retained_at_most
from datacontract.flow.view import Flow

InvT = TypeVar("InvT", bound=kinds.InvariantBase)


@dataclass(frozen=True)
class Kind(Generic[InvT]):
    """Everything about one invariant kind: the model of an invariant of that kind (its
    parameters, contract/invariants.py), its check over the ledger and the declared flow (one
    function: `flow.state` is None for the declared flow alone), and whether one new event can
    break it (then the hooks check it before each transfer; the others look at the whole ledger
    or at time alone)."""

    model: type[InvT]
    check: Callable[[Flow, InvT], list[Counterexample]]
    per_event: bool

    def run(self, flow: Flow, inv: kinds.Invariant) -> list[Counterexample]:
        """The counterexamples of `inv` (an invariant of this kind) in `flow`."""
        if not isinstance(inv, self.model):
            raise TypeError(f"invariant {inv.id!r} is a {inv.kind}, not a {self.model.__name__}")
        return self.check(flow, inv)


def _kind(
    model_: type[InvT], check: Callable[[Flow, InvT], list[Counterexample]], *, per_event: bool
) -> Kind[Any]:
    return Kind(model_, check, per_event)


KINDS: dict[str, Kind[Any]] = {
    "never_held_together": _kind(kinds.NeverHeldTogether, never_held_together, per_event=True),
    "received_after_milestone": _kind(
        kinds.ReceivedAfterMilestone, received_after_milestone, per_event=True
    ),
    "received_before_milestone": _kind(
        kinds.ReceivedBeforeMilestone, received_before_milestone, per_event=True
    ),
    "received_after_destroyed": _kind(
        kinds.ReceivedAfterDestroyed, received_after_destroyed, per_event=True
    ),
    "not_after": _kind(kinds.NotAfter, not_after, per_event=True),
    "never_holds": _kind(kinds.NeverHolds, never_holds, per_event=True),
    "received_matches_sent": _kind(
        kinds.ReceivedMatchesSent, received_matches_sent, per_event=True
    ),
    "declared_only": _kind(kinds.DeclaredOnly, declared_only, per_event=True),
    "no_recorded_violation": _kind(
        kinds.NoRecordedViolation, no_recorded_violation, per_event=False
    ),
    "same_keys_as": _kind(kinds.SameKeysAs, same_keys_as, per_event=True),
    "once_before": _kind(kinds.OnceBefore, once_before, per_event=True),
    "destroyed_within": _kind(kinds.DestroyedWithin, destroyed_within, per_event=False),
    "retained_at_most": _kind(kinds.RetainedAtMost, retained_at_most, per_event=False),
    "preceded_by": _kind(kinds.PrecededBy, preceded_by, per_event=True),
    "ledger_intact": _kind(kinds.LedgerIntact, ledger_intact, per_event=False),
    "identifiers_only_pseudonymised": _kind(
        kinds.IdentifiersOnlyPseudonymised, derivations, per_event=False
    ),
    "income_only_in_classes": _kind(kinds.IncomeOnlyInClasses, derivations, per_event=False),
}
"""Every invariant kind (contract/invariants.py declares the same kinds: a test checks it)."""


def check(flow: Flow, inv: kinds.Invariant) -> list[Counterexample]:
    """The counterexamples of one invariant in `flow` (its kind's check)."""
    return KINDS[inv.kind].run(flow, inv)
