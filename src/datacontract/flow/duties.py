"""The hooks of what is not a transfer: destroy, made, milestone (see hop.py for the rest).

- `destroy` records that a party destroyed what it holds of a dataset: one delivery (named by
  its file's sha256 or its receipt event), several, or every copy (`every`, the spec's bare
  `destroy --party P --dataset D`); see lineage.py for how a party holds deliveries;
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
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.contract.load import LoadedContract
from datacontract.contract.references import unknown
from datacontract.errors import UsageError
from datacontract.flow.lineage import Holding, holdings
from datacontract.flow.record import Acting, Finding, Recorded, Refused, append_duty
from datacontract.ledger import store
from datacontract.ledger.canonical import is_sha256, parse_time
from datacontract.ledger.chain import Event, EventDraft, LedgerState
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


@dataclass(frozen=True)
class Deliveries:
    """What `destroy` destroys: the deliveries whose file hash is in `sha256` or whose receipt
    event's seq is in `events`; with neither, every copy held (`every` says so explicitly)."""

    sha256: tuple[str, ...] = ()
    events: tuple[int, ...] = ()
    every: bool = False


def destroy(
    loaded: LoadedContract,
    ledger: store.Ledger,
    party: str,
    dataset: str,
    at: datetime | None = None,
    key: Signer | None = None,
    keyring: Mapping[str, Ed25519PublicKey] | None = None,
    which: Deliveries = Deliveries(),
) -> Recorded:
    """Record that a party destroyed deliveries of a dataset (`which`): one `destroyed` event
    per distinct file named, carrying its sha256, or, when none is named, one event without a
    sha256 for every copy it holds. Refused (exit 1, nothing recorded) when it holds none of
    what is named; UsageError for a malformed hash, an event that is no receipt of the dataset
    by the party, or `every` together with named deliveries. Returns the last event recorded."""
    sha256, events, every = which.sha256, which.events, which.every
    _known(loaded, party, dataset)
    if every and (sha256 or events):
        raise UsageError("--all destroys every copy: give it alone, or name the deliveries")
    bad = [i + 1 for i, h in enumerate(sha256) if not is_sha256(h)]
    if bad:
        raise UsageError(f"--sha256 number {bad[0]} is not 64 lowercase hexadecimal characters")
    named = dict.fromkeys([*sha256, *_hashes_of(ledger, party, dataset, events)])
    hashes: list[str | None] = list(named) or [None]
    last: Recorded | None = None
    for h in hashes:
        last = _destroy_one(loaded, ledger, party, dataset, h, at, key, keyring)
    assert last is not None
    return last


def _hashes_of(ledger: store.Ledger, party: str, dataset: str, seqs: tuple[int, ...]) -> list[str]:
    """The file hashes of the deliveries that `seqs` received (each a `received` event of the
    dataset at the party); UsageError naming the first seq that is not one."""
    if not seqs:
        return []
    got: dict[int, Event] = {e.seq: e for e in store.read(ledger).events if e.seq in set(seqs)}
    out = []
    for seq in seqs:
        e = got.get(seq)
        if e is None or e.kind != "received" or e.receiver != party or e.dataset != dataset:
            raise UsageError(
                f"event {seq} is not a receipt of {dataset} by {party}: name a delivery by "
                "the event that received it"
            )
        out.append(str(e.sha256))
    return out


def _destroy_one(
    loaded: LoadedContract,
    ledger: store.Ledger,
    party: str,
    dataset: str,
    sha256: str | None,
    at: datetime | None,
    key: Signer | None,
    keyring: Mapping[str, Ed25519PublicKey] | None,
) -> Recorded:
    c = loaded.contract
    when = at or parse_time(None)
    draft = EventDraft(
        time=when.isoformat(),
        kind="destroyed",
        contract=c.contract,
        contract_version=c.version,
        party=party,
        dataset=dataset,
        sha256=sha256,
    )

    def holds(state: LedgerState) -> None:
        held = _open(loaded, state, party, dataset)
        if sha256 is not None:
            if not any(h.sha256 == sha256 for h in held):
                raise Refused(
                    "destroy",
                    [
                        Finding(
                            "destroy.holds",
                            None,
                            f"{party} holds no delivery of {dataset} with that sha256: it never "
                            "received that file on a hop, or it was destroyed already",
                        )
                    ],
                )
            return
        made = party in (c.dataset(dataset) or c.datasets[0]).made_by
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


def _open(loaded: LoadedContract, state: LedgerState, party: str, dataset: str) -> list[Holding]:
    return [
        h
        for h in holdings(loaded.contract, state.events)
        if h.party == party and h.dataset == dataset and h.end_seq is None
    ]


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
