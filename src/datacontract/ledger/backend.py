"""What every ledger backend is: one interface (LedgerBackend), whatever stores the lines.

A backend keeps the same canonical lines and hash chain (chain.py) wherever it stores them, so
every verdict and every proof is the same on all of them. store.py chooses one by the scheme of
the ledger's name (its BACKENDS registry); the file backend is jsonl_file.py, the PostgreSQL
backend postgres.py. Errors: LedgerError (exit 2) for a ledger that cannot be reached, created
or read; LedgerRefused (exit 1) for an append or a repair the ledger's state forbids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from datacontract.ledger.append import Appending
from datacontract.ledger.chain import Event, EventDraft, LedgerState
from datacontract.ledger.repairs import RepairNote


@dataclass(frozen=True)
class Torn:
    """A torn last line: where it starts (byte offset, 1-based line), how many bytes it has,
    and where a repair records what it cuts (a name, never a secret)."""

    offset: int
    line: int
    size: int
    record: str


class LedgerBackend(Protocol):
    """One ledger, wherever it is kept. Implementations are frozen and cheap to make: nothing
    is opened or connected until a method is called."""

    @property
    def name(self) -> str:
        """How messages, proofs and manifests name the ledger: never a password."""

    @property
    def atomic(self) -> bool:
        """True when the store commits whole events (no torn line can exist to repair)."""

    def exists(self) -> bool:
        """Whether the ledger has been created (`ledger init`)."""

    def init(self, contract: str, version: str) -> None:
        """Create an empty ledger bound to a contract; LedgerError if one exists."""

    def read(self) -> LedgerState:
        """Every event and every problem, never raising on tampering. Of a ledger that does not
        exist: empty (a file) or LedgerError (a server): callers ask exists() first."""

    def append(self, draft: EventDraft, how: Appending) -> Event:
        """Append one event under the ledger's lock (append.Appending says what runs under it);
        LedgerError if the ledger does not exist, LedgerRefused if it is broken."""

    def bound_contract(self) -> str:
        """The contract id the ledger is bound to ('' while nothing says)."""

    def read_after(self, seq: int, head: str, when: datetime, offset: int | None) -> LedgerState:
        """The events after event `seq` (its hash `head`, its time `when`; `offset`: where a
        file's next line starts, from mark()), checked as a whole read checks them, linked to
        that head (ledger/tail.py); LedgerError when the ledger does not hold that head."""

    def mark(self) -> int | None:
        """Where the next event will start (a file's size in bytes; None for a database):
        read_after's offset for the ledger's current head."""

    def torn_tail(self, state: LedgerState) -> Torn | None:
        """The torn last line when that is the ledger's only problem (None if atomic)."""

    def repair(self) -> Torn | None:
        """Cut a torn last line (and only that), recording the cut; None when intact or atomic.
        LedgerRefused (exit 1) for any other problem: that is evidence."""

    def repairs(self) -> tuple[RepairNote, ...]:
        """Every cut a repair recorded, oldest first (a proof names each); () if atomic."""
