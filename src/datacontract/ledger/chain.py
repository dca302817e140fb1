"""The append-only, hash-chained event ledger of a data-sharing flow (manifests: manifest.py;
the event and its checks: event.py; the reader's fast path: ledger/fast.py).

The ledger is the evidence Opgroeien regie shows on request of VUTG or a payer that the
measures were taken (art. 6, last paragraph). It is a JSON Lines file: one event per line, in
canonical JSON (sorted keys, no spaces, UTF-8), ending in a newline.

- Hash-chained: an event carries ``prev``, the ``hash`` of the event before it ("0" * 64 for
  the first), and ``hash``, the SHA-256 of its own canonical JSON without the ``hash`` key.
  Editing, removing or reordering a line breaks the chain at that line. read_ledger reports
  every break with its line number and never raises on tampering.
- Crash-safe (append.py): append_event writes one line with a single os.write on a file
  opened O_APPEND and fsyncs it before returning; a partial write is truncated away before the
  lock is released. A last line without its newline (a crash mid-write) is reported as
  ``truncated_last_line`` even when it happens to be valid JSON, because the writer always
  writes the newline in the same write. It is never dropped or repaired silently: an operator
  decides, and until then nothing more is appended.
- Serialised: writers hold an exclusive flock on ``<ledger>.lock`` while they read and verify
  the ledger, run the caller's flow check and append, so check-then-append is atomic.

What a chain cannot show on its own: that its tail was cut off at a line boundary, or that the
last line was edited and rehashed. A proof therefore names ledger_hash() of the ledger it was
made on; a ledger whose head no longer matches a published proof has lost or changed events.
Signed events (signing.py), receipts' witnesses and signed checkpoints (checkpoint.py) close
that gap: audit.py checks them.

Nothing here holds a cell value: an event names datasets, hops, parties, a file hash and a
row count, and its findings carry rule ids, articles and counts. Problem messages name only
line and seq numbers. No other module writes ledgers.
"""

from __future__ import annotations

import gc
import hashlib
import operator
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from datacontract import limits
from datacontract.errors import LedgerError
from datacontract.ledger.canonical import canonical_json, strict_loads
from datacontract.ledger.event import (
    EVENT_KINDS,
    GENESIS,
    Event,
    EventDraft,
    NotAnEvent,
    event_fields,
)
from datacontract.ledger.fast import fast_fields
from datacontract.messages import Message, say

__all__ = [
    "EVENT_KINDS",
    "GENESIS",
    "Event",
    "EventDraft",
    "LedgerProblem",
    "LedgerState",
    "canonical_json",
    "ledger_hash",
    "read_ledger",
]

# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class LedgerProblem:
    """One place where the ledger is not what its writer wrote."""

    # "edited" | "removed_or_reordered" | "bad_json" | "bad_event" | "truncated_last_line"
    # | "out_of_order_time" | "bad_seq" | "bad_first"
    kind: str
    line: int  # 1-based line in the ledger file
    seq: int | None
    said: Message  # a code of datacontract/messages.py: line and seq numbers, never a value

    @property
    def message(self) -> str:
        """What it says in English (`ledger verify`, the JSON, refusals)."""
        return self.said.english

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "line": self.line, "seq": self.seq, "message": self.message}


@dataclass(frozen=True)
class LedgerState:
    """What a ledger holds and, when it was tampered with or cut short, where."""

    events: tuple[Event, ...]  # the events that parsed, in file order
    problems: tuple[LedgerProblem, ...] = ()  # empty when intact

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def head(self) -> str:
        """The hash of the last event, GENESIS when there is none (check intact first)."""
        return self.events[-1].hash if self.events else GENESIS


_EVENT_ORDER = operator.itemgetter(*Event._fields)
_SEQ, _PREV, _HASH = (Event._fields.index(name) for name in ("seq", "prev", "hash"))


class Chain:
    """Checks ledger lines one after the other, each against the event before it."""

    def __init__(self, start_line: int = 0) -> None:
        """A chain from the first line, or (start_line > 0) one that continues after line
        start_line of a ledger whose earlier lines another Chain reads (ledger/split.py): its
        first event is then not linked to anything; the caller links it (link)."""
        self.line = start_line
        self.events: list[Event] = []
        self.problems: list[LedgerProblem] = []
        self.size = 0  # bytes fed so far
        # The hash and seq of the line before; None when that line could not be read, so
        # that one bad line is reported once and not again as a break at the next line.
        self._prev: tuple[str, int] | None = (GENESIS, 0) if start_line == 0 else None
        self._last: tuple[datetime, int] | None = None  # time and seq of the last event read

    def state(self) -> LedgerState:
        return LedgerState(tuple(self.events), tuple(self.problems))

    def follow(self, head: str, seq: int, when: datetime) -> None:
        """Go on after a known event (a checkpoint's head: its hash, seq and time), as if it
        had just been read on line seq: the next line must link to it (ledger/tail.py)."""
        self.line = seq
        self._prev = (head, seq)
        self._last = (when, seq)

    def _report(self, kind: str, seq: int | None, said: Message) -> None:
        self.problems.append(LedgerProblem(kind, self.line, seq, said))

    def feed(self, raw: bytes) -> None:
        self.line += 1
        self.size += len(raw)
        n = self.line
        if not raw.endswith(b"\n"):
            self._prev = None
            self._report("truncated_last_line", None, say("line.cut", line=n))
            return
        try:
            text = raw[:-1].decode("utf-8")
        except ValueError:
            self._prev = None
            self._report("bad_json", None, say("line.not_json", line=n))
            return
        fast = fast_fields(text)
        if fast is not None:
            fields, when, body = fast
            if hashlib.sha256(body.encode("utf-8")).hexdigest() != fields[_HASH]:
                seq = fields[_SEQ]
                self._report("edited", seq, say("line.edited", line=n, seq=seq))
        else:
            slow = self._slow_fields(text, n)
            if slow is None:
                return
            values, when = slow
            fields = _EVENT_ORDER(values)
        self._link(fields, when, n)

    def _slow_fields(self, text: str, n: int) -> tuple[dict[str, Any], datetime] | None:
        """Any line: parsed as JSON, checked field by field, re-encoded to check its form."""
        try:
            obj = strict_loads(text)
        except ValueError:  # JSONDecodeError, and NaN or Infinity
            self._prev = None
            self._report("bad_json", None, say("line.not_json", line=n))
            return None
        try:
            values, when = event_fields(obj)
        except NotAnEvent as exc:
            self._prev = None
            self._report("bad_event", None, say("line.not_event", line=n, why=exc.said))
            return None
        seq: int = values["seq"]
        stated: str = values["hash"]
        del obj["hash"]
        body = canonical_json(obj)
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != stated:
            self._report("edited", seq, say("line.edited", line=n, seq=seq))
        elif text.replace(f'"hash":"{stated}",', "", 1) != body:
            # Same content, other bytes (spaces, escapes, a duplicated key): not the writer's.
            self._report("edited", seq, say("line.not_canonical", line=n, seq=seq))
        return values, when

    def _link(self, fields: tuple[Any, ...], when: datetime, n: int) -> None:
        """Check the event (its fields in Event order) against the one before it; keep it."""
        self.events.append(Event._make(self.link(fields, when, n)))

    def link(self, fields: tuple[Any, ...], when: datetime, n: int) -> tuple[Any, ...]:
        """Report what breaks between the event on line n (its fields in Event order) and
        the one before it; the fields back, sharing the previous hash's string."""
        seq: int = fields[_SEQ]
        stated: str = fields[_HASH]
        if n == 1:
            if fields[_PREV] != GENESIS or seq != 1:
                self._report("bad_first", seq, say("line.not_first", line=1, seq=seq))
        elif self._prev is not None:
            prev_hash, prev_seq = self._prev
            if fields[_PREV] == prev_hash:
                # one copy of the string for both events
                fields = (*fields[:_PREV], prev_hash, *fields[_PREV + 1 :])
            else:
                said = say("line.not_following", line=n, seq=seq, previous=n - 1)
                self._report("removed_or_reordered", seq, said)
            if seq != prev_seq + 1:
                said = say("line.bad_seq", line=n, seq=seq, expected=prev_seq + 1)
                self._report("bad_seq", seq, said)
        if self._last is not None and when < self._last[0]:
            said = say("line.earlier", line=n, seq=seq, previous=self._last[1])
            self._report("out_of_order_time", seq, said)
        self._prev = (stated, seq)
        self._last = (when, seq)
        return fields

    def forget_prev(self) -> None:
        """As after a line that could not be read: the next event is not linked by hash."""
        self._prev = None


def feed(path: Path, stream: Iterable[bytes], chain: Chain, contents: Any = None) -> None:
    """Feed every line left in stream to chain (and to the contents hash, when given)."""
    # Events hold no cycles; without this the collector rescans every event read so far,
    # again and again, and reading a million events takes several times as long.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for raw in stream:
            chain.feed(raw)
            if contents is not None:
                contents.update(raw)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
    finally:
        if collecting:
            gc.enable()


def read_ledger(path: Path) -> LedgerState:
    """Every event of the ledger, and every problem with it. A missing ledger is empty.

    Never raises on tampering: problems are reported. LedgerError only when the file exists
    but cannot be opened or read.
    """
    try:
        stream = limits.open_regular(path)  # a FIFO or a device is refused, never read
    except FileNotFoundError:
        return LedgerState(())
    except OSError as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
    with stream:
        from datacontract.ledger.split import read_in_two

        try:
            size = os.fstat(stream.fileno()).st_size
        except OSError as exc:
            raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
        state = read_in_two(path, stream, size)
        if state is not None:
            return state
        stream.seek(0)
        chain = Chain()
        feed(path, stream, chain)
    return chain.state()


def ledger_hash(path: Path) -> str:
    """The hash of the ledger's last event ("0" * 64 when empty), which a proof names.

    It does not check that the ledger is intact: read_ledger does.
    """
    return read_ledger(path).head
