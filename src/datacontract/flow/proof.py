"""What a proof is: every invariant's verdict and, for a broken one, its counterexamples; the
evidence it rests on and how strong that is; and what it cannot see (its scope and limits).

A counterexample names ledger events by sequence number, and parties, datasets, hops and times;
what it says is a code of the catalogue (datacontract/messages.py) with its values, published
in the JSON as English words (`message`). None of it holds a cell value from a data file.

The strength of a proof (`Proof.level`, one of LEVELS, strongest first):
- "proven": every invariant holds, on a ledger whose every signature was verified against a
  keyring and that extends a signed checkpoint, with no repair recorded (or on the declared
  flow alone, which needs no evidence);
- "holds": every invariant holds, but on weaker evidence (signatures not checked, no
  checkpoint, a repair): not a proof; `Evidence.weaknesses` says which;
- "broken": an invariant is broken on events the ledger holds intact;
- "not_judged": the ledger is damaged (`Evidence.damage`, the first damage): the verdicts that
  depend on events from the damage on are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datacontract.flow.lineage import Holding
from datacontract.ledger.chain import Event, LedgerProblem
from datacontract.messages import Message, render

LEVELS = ("proven", "holds", "broken", "not_judged")  # strongest first


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
    """One invariant's verdict. `status` is "holds", "broken", or "not_judged" (the ledger is
    damaged and the invariant could only be judged on the events before the damage, where it
    holds); `vacuous` when it holds only because the ledger records no event it looks at;
    `notes` the contract's own NOT FROM THE PROTOCOL notes on it (English, the contract's
    words): the readings of the protocol it rests on."""

    invariant: str
    kind: str
    title: str
    article: str
    holds: bool
    counterexamples: tuple[Counterexample, ...] = ()
    status: str = ""  # "" means: from `holds` ("holds" or "broken")
    vacuous: bool = False
    notes: tuple[str, ...] = ()

    @property
    def judged(self) -> str:
        """holds | broken | not_judged."""
        return self.status or ("holds" if self.holds else "broken")

    def to_json(self) -> dict[str, object]:
        return {
            "invariant": self.invariant,
            "kind": self.kind,
            "title": self.title,
            "article": self.article,
            "holds": self.holds,
            "verdict": self.judged,
            "vacuous": self.vacuous,
            "counterexamples": [c.to_json() for c in self.counterexamples],
        }


@dataclass(frozen=True)
class Damage:
    """The first place the ledger is not what its writers wrote: its kind ("removed": an event
    removed or moved; "edited"; "cut": a cut or torn tail; "rewritten": history rewritten and
    rehashed; "out_of_order": a time earlier than the event before; "forged" or "unsigned": an
    event its party did not sign), the line of the ledger (1-based) and the seq it names, what
    the ledger's check said, and how many events before it the verdicts were judged on."""

    kind: str
    line: int
    seq: int | None
    said: Message
    judged_events: int

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "line": self.line,
            "seq": self.seq,
            "message": self.said.english,
            "judged_events": self.judged_events,
        }


@dataclass(frozen=True)
class Repair:
    """A cut the ledger's repair recorded beside it: when, the line cut, how many bytes, and
    whether those bytes were a whole event (then evidence was removed)."""

    time: str
    line: int
    size: int
    whole_event: bool

    def to_json(self) -> dict[str, object]:
        return {
            "time": self.time,
            "line": self.line,
            "bytes": self.size,
            "whole_event": self.whole_event,
        }


@dataclass(frozen=True)
class Evidence:
    """What the verdicts rest on.

    signatures: "verified" (every event's signature checked against bound keys, none bad),
      "failed" (checked, and some event is unsigned or not its party's), "not_checked" (no
      keys bound); signed: how many events carry a signature; keyring: the SHA-256 of the keys
      used (their parties and raw public keys, sorted), None without any.
    keys: where those keys came from: "contract" (the contract's `parties[].keys`, pinned by
      the contract's SHA-256; a --keyring given as well agreed with them), "keyring" (a folder
      given with the proof, pinned by nothing), None (no keys: signatures not checked);
      key_parties: the parties those keys bind, sorted.
    checkpoint: "consistent" (the ledger extends every checkpoint given), "inconsistent",
      "absent" (none given); checkpointed: the events the largest consistent checkpoint covers.
    repairs: every cut recorded beside the ledger. damage: the first damage, or None.
    """

    signatures: str = "not_checked"
    signed: int = 0
    keyring: str | None = None
    checkpoint: str = "absent"
    checkpointed: int = 0
    repairs: tuple[Repair, ...] = ()
    damage: Damage | None = None
    unsigned: tuple[int, ...] = ()  # seqs of events that carry no signature
    keys: str | None = None
    key_parties: tuple[str, ...] = ()
    # proven from a checkpoint's proof state (flow/state_file.py): its SHA-256 and the event
    # it was made at (the events after it were read; the rest are in the state)
    from_state: tuple[str, int] | None = None

    @property
    def weaknesses(self) -> tuple[str, ...]:
        """Why the evidence is not the strongest: "signatures_not_checked",
        "signatures_failed", "no_checkpoint", "checkpoint_inconsistent", "repaired",
        "damaged"; empty when it is."""
        out = []
        if self.signatures == "not_checked":
            out.append("signatures_not_checked")
        elif self.signatures == "failed":
            out.append("signatures_failed")
        if self.checkpoint == "absent":
            out.append("no_checkpoint")
        elif self.checkpoint == "inconsistent":
            out.append("checkpoint_inconsistent")
        if self.repairs:
            out.append("repaired")
        if self.damage is not None:
            out.append("damaged")
        return tuple(out)

    def to_json(self) -> dict[str, object]:
        return {
            "signatures": self.signatures,
            "signed_events": self.signed,
            "unsigned_events": list(self.unsigned),
            "keyring_sha256": self.keyring,
            "keys_from": self.keys,
            "key_parties": list(self.key_parties),
            "checkpoint": self.checkpoint,
            "checkpointed_events": self.checkpointed,
            "repairs": [r.to_json() for r in self.repairs],
            "damage": self.damage.to_json() if self.damage is not None else None,
            "weaknesses": list(self.weaknesses),
        } | (
            {"from_state": {"state_sha256": self.from_state[0], "event": self.from_state[1]}}
            if self.from_state is not None
            else {}
        )


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
    evidence: Evidence = field(default_factory=Evidence)
    # What the proof cannot see, generated from this contract and ledger: messages of the
    # catalogue (scope.*), in the order the proof gives them.
    scope: tuple[Message, ...] = ()

    @property
    def holds(self) -> bool:
        return all(v.holds for v in self.verdicts)

    @property
    def level(self) -> str:
        """One of LEVELS (see the module docstring)."""
        if self.evidence.damage is not None:
            return "not_judged"
        if not self.holds:
            return "broken"
        if self.mode == "declared" or not self.evidence.weaknesses:
            return "proven"
        return "holds"

    def meets(self, required: str) -> bool:
        """Whether the proof is at least as strong as `required` (one of LEVELS)."""
        return LEVELS.index(self.level) <= LEVELS.index(required)

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
            "level": self.level,
            "evidence": self.evidence.to_json() if self.mode == "ledger" else None,
            "verdicts": [v.to_json() for v in self.verdicts],
            "scope": [{"code": m.code, "message": render(m, "en")} for m in self.scope],
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
