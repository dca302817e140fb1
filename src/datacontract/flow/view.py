"""What an invariant looks at (Flow) and the small helpers every invariant shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.flow.lineage import Holding
from datacontract.flow.proof import Counterexample
from datacontract.ledger.chain import Event, LedgerState
from datacontract.messages import Message


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


def example(events: Sequence[Event], said: Message, **extra: Sequence[str]) -> Counterexample:
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
        said=said,
    )


def declared(said: Message, **names: Sequence[str]) -> Counterexample:
    return Counterexample(
        (),
        tuple(names.get("parties", ())),
        tuple(names.get("datasets", ())),
        tuple(names.get("hops", ())),
        (),
        said,
    )


def by_seq(flow: Flow) -> dict[int, Event]:
    """The flow's events by seq; built once per flow (several invariants ask for it)."""
    cached = _BY_SEQ.get(id(flow))
    if cached is None or cached[0] is not flow:
        _BY_SEQ.clear()  # one flow at a time: a proof, or a hook's check
        cached = _BY_SEQ[id(flow)] = (flow, {e.seq: e for e in flow.events})
    return cached[1]


_BY_SEQ: dict[int, tuple[Flow, dict[int, Event]]] = {}


# --- the invariants, over what the ledger records -----------------------------------------------
