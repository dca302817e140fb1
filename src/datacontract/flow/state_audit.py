"""What the audit of later events needs of earlier ones, kept in a proof's state.

A proof from a state (flow/state_file.py) is made only on a ledger whose events up to the
state are intact, counted and in role (the state refuses to be made otherwise), and it stays
one only when the events after it are so too: any problem the whole audit would report after
the state (a broken chain, a signature, an author out of role, a replayed receipt, a witness
the ledger does not hold) makes the proof read the whole ledger instead, so that its verdicts,
counterexamples and evidence are the whole read's, problems and all. `AuditKeep.clean` says
whether the later events are free of them; where what it keeps cannot tell (a receipt of a
delivery it no longer follows, a witness of an event it did not keep), it says no.

Kept: the signed and unsigned events (the evidence lists the unsigned), the first signed one,
and the deliveries not yet received as often as sent (each with its sends' hashes and the
witnesses already used): authority.replays's memory, less what is settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from datacontract.contract.model import Contract
from datacontract.flow.authority import delivery, role_problem
from datacontract.flow.fold import Json
from datacontract.ledger.chain import Event
from datacontract.ledger.signing import Keyring, event_signature_problem

Delivery = tuple[str | None, ...]


@dataclass
class Open:
    """A delivery sent and received a different number of times: its sends' seqs."""

    sends: int = 0
    receipts: int = 0
    seqs: list[int] = field(default_factory=list)


class AuditKeep:
    """The audit's memory after some event (see the module)."""

    def __init__(self) -> None:
        self.signed = 0
        self.unsigned: list[int] = []
        self.first_signed: int | None = None
        self.open: dict[Delivery, Open] = {}  # only while sends != receipts
        self.sent: dict[int, str] = {}  # a kept send's seq -> its hash
        self.witnessed: dict[str, int] = {}  # a used witness of a kept send -> that send

    def _settle(self, key: Delivery) -> None:
        entry = self.open[key]
        if entry.sends == entry.receipts:
            gone = set(entry.seqs)
            for s in gone:
                self.sent.pop(s, None)
            self.witnessed = {w: s for w, s in self.witnessed.items() if s not in gone}
            del self.open[key]

    def feed(self, e: Event, *, whole: bool = False) -> bool:
        """One more event; False when what is kept cannot tell whether the whole audit finds a
        replayed receipt or a false witness here (the caller then reads in full). `whole`:
        fed from the first event of a ledger the whole audit found intact (nothing to tell)."""
        if e.sig is not None:
            self.signed += 1
            self.first_signed = e.seq if self.first_signed is None else self.first_signed
        else:
            self.unsigned.append(e.seq)
        if e.kind == "sent":
            key = delivery(e)
            sent = self.open.setdefault(key, Open())
            sent.sends += 1
            sent.seqs.append(e.seq)
            self.sent[e.seq] = e.hash
            self._settle(key)
        elif e.kind == "received":
            key = delivery(e)
            entry = self.open.get(key)
            if entry is None:
                if not whole:
                    return False  # a delivery settled before, or never sent: not followed
                entry = self.open[key] = Open()
            if not whole and entry.receipts and entry.receipts >= entry.sends:
                return False  # a replay
            if e.witness is not None:
                if not whole and e.witness in self.witnessed:
                    return False  # a replay
                seq_text, head = e.witness.split(":")
                if int(seq_text) and self.sent.get(int(seq_text)) == head:
                    self.witnessed[e.witness] = int(seq_text)
                elif int(seq_text) and not whole:
                    return False  # a witness not kept, or not the ledger's
            entry.receipts += 1
            self._settle(key)
        return True

    def clean(
        self,
        contract: Contract,
        events: Sequence[Event],
        keyring: Keyring | None,
    ) -> bool:
        """Whether the whole audit would find no problem in `events` (the events after the
        state, read intact by the Chain), as far as what is kept can tell; folds them in."""
        for e in events:
            if keyring is not None:
                if event_signature_problem(e, keyring) is not None:
                    return False
            elif e.sig is None and self.first_signed is not None:
                return False
            if role_problem(contract, e) is not None:
                return False
            if not self.feed(e):
                return False
        return True

    def dump(self) -> Json:
        return {
            "signed": self.signed,
            "unsigned": _ranges(self.unsigned),
            "first_signed": self.first_signed,
            "open": [[list(k), v.sends, v.receipts, v.seqs] for k, v in self.open.items()],
            "sent": sorted([s, h] for s, h in self.sent.items()),
            "witnessed": sorted([w, s] for w, s in self.witnessed.items()),
        }

    @classmethod
    def load(cls, data: Json) -> AuditKeep:
        out = cls()
        out.signed = int(data["signed"])
        out.unsigned = [s for first, last in data["unsigned"] for s in range(first, last + 1)]
        out.first_signed = data["first_signed"]
        out.open = {tuple(k): Open(n, r, list(seqs)) for k, n, r, seqs in data["open"]}
        out.sent = {int(s): h for s, h in data["sent"]}
        out.witnessed = {w: int(s) for w, s in data["witnessed"]}
        return out


def _ranges(seqs: list[int]) -> list[list[int]]:
    """Ascending seqs as [first, last] runs (most ledgers are signed throughout, or not at all)."""
    out: list[list[int]] = []
    for s in seqs:
        if out and out[-1][1] == s - 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out
