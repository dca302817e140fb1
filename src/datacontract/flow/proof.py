"""What a proof is: every invariant's verdict and, for a broken one, its counterexamples.

A counterexample names ledger events by sequence number, and parties, datasets, hops and times;
what it says is a code of the catalogue (datacontract/messages.py) with its values, published
in the JSON as English words (`message`). None of it holds a cell value from a data file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datacontract.flow.lineage import Holding
from datacontract.ledger.chain import Event, LedgerProblem
from datacontract.messages import Message


@dataclass(frozen=True)
class Counterexample:
    events: tuple[int, ...]  # ledger seq numbers involved (empty in declared-flow mode)
    parties: tuple[str, ...]
    datasets: tuple[str, ...]
    hops: tuple[str, ...]
    times: tuple[str, ...]
    said: Message  # a code and its values; never a cell value

    @property
    def message(self) -> str:
        """What it says in English, as the JSON proof and the text output publish it."""
        return self.said.english

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
    """The verdict of every invariant of a contract on a ledger (mode "ledger") or on the
    declared flow alone ("declared"), at a time; `holds` when every verdict does."""

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
    # The ledger as read: every event (the proof's appendix lists them, so that each event a
    # counterexample cites can be looked up) and every problem found in it (edits, unsigned or
    # forged events, checkpoints it does not extend). Not in the JSON: the ledger is beside it.
    records: tuple[Event, ...] = field(default=(), compare=False)
    problems: tuple[LedgerProblem, ...] = field(default=(), compare=False)

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
            # who held what, when: each delivery (and each maker's copy) from the event that
            # gave it to the one that destroyed it (null while still held)
            "holdings": [
                {
                    "party": h.party,
                    "dataset": h.dataset,
                    "how": h.how,
                    "from_event": h.start_seq,
                    "from": h.start,
                    "until_event": h.end_seq,
                    "until": h.end,
                    # the delivery's file hash (null for the copy a maker holds)
                    "sha256": h.sha256,
                }
                for h in self.holdings
            ],
        }
