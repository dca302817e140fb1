"""The hooks of what is not a transfer: destroy, made, milestone (see hop.py for the rest).

- `destroy` records that a party destroyed every copy of a dataset it holds (or makes);
- `made` records that a party made a dataset the contract says it makes (D3 stap 2 and 5);
- `milestone` records a milestone the contract declares (the end of the fieldwork).

Each checks, then appends one event, or refuses (Refused, exit 1) and records nothing. The
event's author must be one the contract allows (flow/authority.py: the maker, a holder, the
milestone's party). With `key` the event is signed by that party (it must be the party the
event names, and one of its keys where the contract or `keyring` binds keys); without `at` the
event's time is taken under the ledger's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.contract.load import LoadedContract
from datacontract.contract.references import unknown
from datacontract.errors import UsageError
from datacontract.flow.lineage import holdings
from datacontract.flow.record import Acting, Finding, Recorded, Refused, append_duty
from datacontract.ledger import store
from datacontract.ledger.canonical import parse_time
from datacontract.ledger.chain import EventDraft, LedgerState
from datacontract.ledger.keys import Signer


def _known(loaded: LoadedContract, party: str, dataset: str) -> None:
    c = loaded.contract
    if c.party(party) is None:
        raise UsageError(unknown("party", party, [p.id for p in c.parties]))
    if c.dataset(dataset) is None:
        raise UsageError(unknown("dataset", dataset, [d.id for d in c.datasets]))


def made(
    loaded: LoadedContract,
    ledger: store.Ledger,
    party: str,
    dataset: str,
    at: datetime | None = None,
    key: Signer | None = None,
    keyring: Mapping[str, Ed25519PublicKey] | None = None,
) -> Recorded:
    """Record that a party made a dataset the contract says it makes (D3 stap 2 and 5)."""
    _known(loaded, party, dataset)
    c = loaded.contract
    makers = (c.dataset(dataset) or c.datasets[0]).made_by
    if party not in makers:
        raise Refused(
            "made",
            [
                Finding(
                    "declared_flow_only",
                    (c.dataset(dataset) or c.datasets[0]).article,
                    f"the contract does not say {party} makes {dataset}"
                    + (f"; it says {' and '.join(makers)} make it" if makers else ""),
                )
            ],
        )
    when = at or parse_time(None)
    draft = EventDraft(
        time=when.isoformat(),
        kind="made",
        contract=c.contract,
        contract_version=c.version,
        party=party,
        dataset=dataset,
    )
    acting = Acting(ledger, key, stamp=at is None, keyring=keyring)
    return Recorded(append_duty(loaded, acting, draft, "made"))


def destroy(
    loaded: LoadedContract,
    ledger: store.Ledger,
    party: str,
    dataset: str,
    at: datetime | None = None,
    key: Signer | None = None,
    keyring: Mapping[str, Ed25519PublicKey] | None = None,
) -> Recorded:
    _known(loaded, party, dataset)
    c = loaded.contract
    when = at or parse_time(None)
    draft = EventDraft(
        time=when.isoformat(),
        kind="destroyed",
        contract=c.contract,
        contract_version=c.version,
        party=party,
        dataset=dataset,
    )

    def holds(state: LedgerState) -> None:
        made = party in (c.dataset(dataset) or c.datasets[0]).made_by
        held = any(
            h.party == party and h.dataset == dataset and h.end_seq is None
            for h in holdings(c, state.events)
        )
        if not held and not made:
            raise Refused(
                "destroy",
                [
                    Finding(
                        "destroy.holds",
                        None,
                        f"{party} holds no {dataset}: it never received it on a hop, the "
                        "contract does not say it makes it, or it was destroyed already",
                    )
                ],
            )

    acting = Acting(ledger, key, stamp=at is None, keyring=keyring)
    return Recorded(append_duty(loaded, acting, draft, "destroy", holds))


def milestone(
    loaded: LoadedContract,
    ledger: store.Ledger,
    name: str,
    party: str | None = None,
    at: datetime | None = None,
    key: Signer | None = None,
    keyring: Mapping[str, Ed25519PublicKey] | None = None,
) -> Recorded:
    c = loaded.contract
    declared = next((m for m in c.milestones if m.id == name), None)
    if declared is None:
        raise UsageError(unknown("milestone", name, [m.id for m in c.milestones]))
    who = party or declared.party or (key.party if key is not None else None)
    if who is not None and c.party(who) is None:
        raise UsageError(unknown("party", who, [p.id for p in c.parties]))
    when = at or parse_time(None)
    draft = EventDraft(
        time=when.isoformat(),
        kind="milestone",
        contract=c.contract,
        contract_version=c.version,
        party=who,
        milestone=name,
    )
    acting = Acting(ledger, key, stamp=at is None, keyring=keyring)
    return Recorded(append_duty(loaded, acting, draft, "milestone"))
