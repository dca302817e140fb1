"""The declared flow alone: can the contract's hops, with its invariants, lead to a bad path?

Used by `datacontract prove` without a ledger (every invariant's references exist: the loader
refuses a contract naming an undeclared hop, party, dataset or milestone, contract/references.py),
wherever declared hops bring contact and background data to one party, the invariants must
keep them apart (never held together, background only after the contact data's destruction,
no contact data after the background).
"""

from __future__ import annotations

from datacontract.contract import invariants as kinds
from datacontract.contract import model
from datacontract.flow.proof import Counterexample
from datacontract.flow.view import Flow, declared
from datacontract.messages import say


def declared_apart(
    flow: Flow, inv: kinds.NeverHeldTogether, party: str, first: set[str], second: set[str]
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
            isinstance(i, kinds.ReceivedAfterDestroyed)
            and i.params.hop == late.id
            and i.params.party == party
            and {h.dataset for h in firsts} <= set(i.params.destroyed)
            for i in c.invariants
        )
        if not guarded:
            out.append(
                declared(
                    say(
                        "may_bring_while_held",
                        hop=late.id,
                        dataset=late.dataset,
                        party=party,
                        held=tuple(sorted({h.dataset for h in firsts})),
                    ),
                    parties=[party],
                    datasets=[late.dataset],
                    hops=[late.id],
                )
            )
        for early in firsts:
            closed = any(
                isinstance(i, kinds.NotAfter)
                and i.params.after_hop == late.id
                and early.id in i.params.hops
                for i in c.invariants
            )
            if not closed:
                out.append(
                    declared(
                        say(
                            "may_bring_after",
                            hop=early.id,
                            dataset=early.dataset,
                            party=party,
                            after=late.id,
                        ),
                        parties=[party],
                        datasets=[early.dataset],
                        hops=[early.id, late.id],
                    )
                )
    return out


def unguarded_meetings(flow: Flow, separate: model.Separation) -> list[Counterexample]:
    """Data the contract keeps apart (`separate`, e.g. contact and background) that declared
    hops bring to one party, with no never_held_together invariant between them."""
    c = flow.contract

    def categories(dataset_id: str) -> set[str]:
        d = c.dataset(dataset_id)
        return {col.category for col in d.columns} if d else set()

    out = []
    for party in c.parties:
        into = [h for h in c.hops if party.id in h.receiver]
        contact = {h.dataset for h in into if categories(h.dataset) & set(separate.first)}
        background = {h.dataset for h in into if categories(h.dataset) & set(separate.second)}
        if not contact or not background:
            continue
        covered = any(
            isinstance(i, kinds.NeverHeldTogether)
            and i.params.party == party.id
            and contact <= set(i.params.first)
            and background <= set(i.params.second)
            for i in c.invariants
        )
        if not covered:
            out.append(
                declared(
                    say(
                        "meet_unguarded",
                        contact=tuple(sorted(contact)),
                        background=tuple(sorted(background)),
                        party=party.id,
                    ),
                    parties=[party.id],
                    datasets=sorted(contact | background),
                )
            )
    return out
