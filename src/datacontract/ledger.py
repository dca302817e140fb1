"""The append-only, hash-chained event ledger of a data-sharing flow (manifests: manifest.py;
the event and its checks: event.py; the reader's fast path: ledger_fast.py).

The ledger is the evidence Opgroeien regie shows on request of VUTG or a payer that the
measures were taken (art. 6, last paragraph). It is a JSON Lines file: one event per line, in
canonical JSON (sorted keys, no spaces, UTF-8), ending in a newline.

- Hash-chained: an event carries ``prev``, the ``hash`` of the event before it ("0" * 64 for
  the first), and ``hash``, the SHA-256 of its own canonical JSON without the ``hash`` key.
  Editing, removing or reordering a line breaks the chain at that line. read_ledger reports
  every break with its line number and never raises on tampering.
- Crash-safe: append_event writes one line with a single os.write on a file opened O_APPEND
  and fsyncs it before returning; a partial write is truncated away before the lock is
  released. A last line without its newline (a crash mid-write) is reported as
  ``truncated_last_line`` even when it happens to be valid JSON, because the writer always
  writes the newline in the same write. It is never dropped or repaired silently: an operator
  decides, and until then nothing more is appended.
- Serialised: writers hold an exclusive flock on ``<ledger>.lock`` while they read and verify
  the ledger, run the caller's flow check and append, so check-then-append is atomic.

What a chain cannot show on its own: that its tail was cut off at a line boundary, or that the
last line was edited and rehashed. A proof therefore names ledger_hash() of the ledger it was
made on; a ledger whose head no longer matches a published proof has lost or changed events.

Nothing here holds a cell value: an event names datasets, hops, parties, a file hash and a
row count, and its findings carry rule ids, articles and counts. Problem messages name only
line and seq numbers. No other module writes ledgers.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import operator
import os
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from datacontract.canonical import aware_time, canonical_json, is_sha256, strict_loads
from datacontract.errors import LedgerError, LedgerRefused
from datacontract.event import (
    EVENT_KINDS,
    GENESIS,
    Event,
    EventDraft,
    NotAnEvent,
    digest,
    event_fields,
    is_day,
    shape_problem,
)
from datacontract.ledger_fast import fast_fields
from datacontract.manifest import fsync_folder

__all__ = [
    "EVENT_KINDS",
    "GENESIS",
    "LOCK_TIMEOUT",
    "Event",
    "EventDraft",
    "LedgerProblem",
    "LedgerState",
    "append_event",
    "canonical_json",
    "ledger_hash",
    "read_ledger",
]

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer's lock


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class LedgerProblem:
    """One place where the ledger is not what its writer wrote."""

    # "edited" | "removed_or_reordered" | "bad_json" | "bad_event" | "truncated_last_line"
    # | "out_of_order_time" | "bad_seq" | "bad_first"
    kind: str
    line: int  # 1-based line in the ledger file
    seq: int | None
    message: str  # names line and seq numbers only, never a field value

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


class _Chain:
    """Checks ledger lines one after the other, each against the event before it."""

    def __init__(self) -> None:
        self.line = 0
        self.events: list[Event] = []
        self.problems: list[LedgerProblem] = []
        self.size = 0  # bytes fed so far
        # The hash and seq of the line before; None when that line could not be read, so
        # that one bad line is reported once and not again as a break at the next line.
        self._prev: tuple[str, int] | None = (GENESIS, 0)
        self._last: tuple[datetime, int] | None = None  # time and seq of the last event read

    def state(self) -> LedgerState:
        return LedgerState(tuple(self.events), tuple(self.problems))

    def _report(self, kind: str, seq: int | None, message: str) -> None:
        self.problems.append(LedgerProblem(kind, self.line, seq, message))

    def feed(self, raw: bytes) -> None:
        self.line += 1
        self.size += len(raw)
        n = self.line
        if not raw.endswith(b"\n"):
            self._prev = None
            self._report(
                "truncated_last_line",
                None,
                f"line {n} has no final newline: the last write was cut short",
            )
            return
        try:
            text = raw[:-1].decode("utf-8")
        except ValueError:
            self._prev = None
            self._report("bad_json", None, f"line {n} is not JSON")
            return
        fast = fast_fields(text)
        if fast is not None:
            fields, when, body = fast
            if hashlib.sha256(body.encode("utf-8")).hexdigest() != fields[_HASH]:
                seq = fields[_SEQ]
                self._report("edited", seq, f"line {n} (seq {seq}) does not match its hash: edited")
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
            self._report("bad_json", None, f"line {n} is not JSON")
            return None
        try:
            values, when = event_fields(obj)
        except NotAnEvent as exc:
            self._prev = None
            self._report("bad_event", None, f"line {n} is not a ledger event: {exc}")
            return None
        seq: int = values["seq"]
        stated: str = values["hash"]
        del obj["hash"]
        body = canonical_json(obj)
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != stated:
            self._report("edited", seq, f"line {n} (seq {seq}) does not match its hash: edited")
        elif text.replace(f'"hash":"{stated}",', "", 1) != body:
            # Same content, other bytes (spaces, escapes, a duplicated key): not the writer's.
            self._report(
                "edited", seq, f"line {n} (seq {seq}) is not in the ledger's canonical form: edited"
            )
        return values, when

    def _link(self, fields: tuple[Any, ...], when: datetime, n: int) -> None:
        """Check the event (its fields in Event order) against the one before it; keep it."""
        seq: int = fields[_SEQ]
        stated: str = fields[_HASH]
        if n == 1:
            if fields[_PREV] != GENESIS or seq != 1:
                self._report(
                    "bad_first",
                    seq,
                    f"line 1 (seq {seq}) is not a first event: events before it were removed",
                )
        elif self._prev is not None:
            prev_hash, prev_seq = self._prev
            if fields[_PREV] == prev_hash:
                # one copy of the string for both events
                fields = (*fields[:_PREV], prev_hash, *fields[_PREV + 1 :])
            else:
                self._report(
                    "removed_or_reordered",
                    seq,
                    f"line {n} (seq {seq}) does not follow line {n - 1}: an event was removed "
                    f"or moved, or line {n - 1} was edited and its hash recomputed",
                )
            if seq != prev_seq + 1:
                self._report("bad_seq", seq, f"line {n} has seq {seq}, expected {prev_seq + 1}")
        if self._last is not None and when < self._last[0]:
            self._report(
                "out_of_order_time",
                seq,
                f"line {n} (seq {seq}) is earlier than the event before it (seq {self._last[1]})",
            )
        self._prev = (stated, seq)
        self._last = (when, seq)
        self.events.append(Event._make(fields))


def _feed(path: Path, stream: IO[bytes], chain: _Chain, contents: Any = None) -> None:
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
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return LedgerState(())
    except OSError as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
    chain = _Chain()
    with stream:
        _feed(path, stream, chain)
    return chain.state()


def ledger_hash(path: Path) -> str:
    """The hash of the ledger's last event ("0" * 64 when empty), which a proof names.

    It does not check that the ledger is intact: read_ledger does.
    """
    return read_ledger(path).head


# --------------------------------------------------------------------------- appending


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the exclusive lock on ``<ledger>.lock``; the lock file itself is never removed."""
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise LedgerError(f"{lock}: cannot open the ledger's lock: {exc.strerror}") from exc
    try:
        deadline = clock.monotonic() + timeout
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if clock.monotonic() >= deadline:
                    raise LedgerError(
                        f"{path}: another writer held the ledger's lock for more than "
                        f"{timeout:g} s ({lock}); nothing was recorded"
                    ) from None
                clock.sleep(pause)
                pause = min(pause * 2, 0.02)
            except OSError as exc:
                raise LedgerError(f"{lock}: cannot lock the ledger: {exc.strerror}") from exc
        yield
    finally:
        os.close(fd)  # releases the lock


def _draft_body(draft: EventDraft) -> tuple[dict[str, object], datetime]:
    """The draft as the fields of a ledger line, its time normalised; LedgerError if unusable."""
    when = aware_time(draft.time)
    if when is None:
        raise LedgerError(
            f"event time {draft.time!r} is not an ISO 8601 time with an offset "
            "(e.g. 2025-02-10T09:00:00+01:00): a time without an offset cannot be ordered"
        )
    body: dict[str, object] = {f.name: getattr(draft, f.name) for f in fields(draft)}
    if body["keys"] is None:
        del body["keys"]  # lines without keys stay as they were written before keys existed
    elif not is_sha256(body["keys"]):
        raise LedgerError("cannot record this event: keys must be a SHA-256 digest")
    if body["reference"] is None:
        del body["reference"]
    elif not is_day(body["reference"]):
        raise LedgerError("cannot record this event: reference must be a date (YYYY-MM-DD)")
    body["time"] = when.isoformat()
    body["findings"] = list(draft.findings)
    problem = shape_problem(body)
    if problem is not None:
        raise LedgerError(f"cannot record this event: {problem}")
    try:
        canonical_json(body)
    except (TypeError, ValueError):
        raise LedgerError("cannot record this event: its findings are not plain JSON") from None
    return body, when


def _refusal(path: Path, state: LedgerState) -> str:
    first = state.problems[0]
    more = len(state.problems) - 1
    also = f" (and {more} more problem{'s' * (more != 1)})" if more else ""
    return f"{path}: the ledger is not intact, nothing was recorded: {first.message}{also}"


@dataclass(frozen=True)
class _Written:
    """A ledger as this process last left it, so that its next append need not parse it again.

    Used only while the file is the same file and its first ``chain.size`` bytes still hash to
    ``contents``: checking those bytes again would give the same answer. Every byte is still
    read and hashed under the lock, so an edit made in between is found all the same.
    """

    file: tuple[int, int]  # st_dev, st_ino
    chain: _Chain
    contents: bytes  # SHA-256 of the ledger's bytes


_last_written: _Written | None = None  # one ledger at a time: memory stays bounded


def _current(path: Path, fd: int | None) -> tuple[_Chain, Any]:
    """The ledger's chain, checked, and a running hash of its bytes; called under the lock."""
    global _last_written
    written, _last_written = _last_written, None
    contents = hashlib.sha256()
    chain = _Chain()
    if fd is None:
        return chain, contents
    try:
        info = os.fstat(fd)
        with open(fd, "rb", closefd=False) as stream:
            if (
                written is not None
                and written.file == (info.st_dev, info.st_ino)
                and info.st_size >= written.chain.size
            ):
                left = written.chain.size
                while left:
                    block = stream.read(min(left, 1 << 20))
                    if not block:
                        break
                    contents.update(block)
                    left -= len(block)
                if contents.digest() == written.contents:
                    chain = written.chain
                else:
                    stream.seek(0)
                    contents = hashlib.sha256()
            _feed(path, stream, chain, contents)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
    return chain, contents


def append_event(
    path: Path,
    draft: EventDraft,
    *,
    check: Callable[[LedgerState], None] | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Event:
    """Append one event under the ledger's lock, after checking the ledger and the flow.

    Refuses with LedgerError, leaving the ledger as it was, when the ledger is not intact or
    the event is earlier than the last one. ``check`` runs under the lock on the current state
    (the caller's flow invariants); whatever it raises propagates and nothing is written.
    """
    global _last_written
    body, when = _draft_body(draft)
    with _locked(path, lock_timeout):
        try:
            fd: int | None = os.open(path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            fd = None
        except OSError as exc:
            raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
        try:
            chain, contents = _current(path, fd)
            state = chain.state()
            if not state.intact:
                raise LedgerRefused(_refusal(path, state))
            last = state.events[-1] if state.events else None
            if last is not None and when < last.when:
                raise LedgerRefused(
                    f"{path}: events must come in time order: this event at {body['time']} "
                    f"is earlier than the last one (seq {last.seq}) at {last.time}; "
                    "nothing was recorded"
                )
            if check is not None:
                check(state)
            record = {
                **body,
                "seq": last.seq + 1 if last else 1,
                "prev": last.hash if last else GENESIS,
            }
            record["hash"] = digest(record)
            line = (canonical_json(record) + "\n").encode("utf-8")
            if fd is None:
                fd = _create(path)
            identity = _append_line(path, fd, line, chain.size)
        finally:
            if fd is not None:
                os.close(fd)
        # Read back as any reader will see it: the event holds copies, not the caller's objects.
        chain.feed(line)
        contents.update(line)
        _last_written = _Written(identity, chain, contents.digest())
    return chain.events[-1]


def _create(path: Path) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot create the ledger: {exc.strerror or exc}") from exc
    fsync_folder(path.parent)
    return fd


def _append_line(path: Path, fd: int, line: bytes, verified_size: int) -> tuple[int, int]:
    """One write of one whole line, fsynced; on any failure the file is cut back to before.

    Returns the file's identity (device, inode).
    """
    try:
        info = os.fstat(fd)
        size = info.st_size
    except OSError as exc:
        raise LedgerError(f"{path}: cannot append: {exc.strerror or exc}") from exc
    if size != verified_size:  # someone wrote without taking the lock
        raise LedgerError(f"{path}: the ledger changed while it was locked; nothing was recorded")
    try:
        written = os.write(fd, line)
        if written == len(line):
            os.fsync(fd)
            return info.st_dev, info.st_ino
        reason = f"only {written} of {len(line)} bytes were written"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError as exc:
        raise LedgerError(
            f"{path}: cannot append the event ({reason}) and cannot cut the ledger back to "
            f"{size} bytes ({exc.strerror or exc}): its last line may be incomplete"
        ) from exc
    raise LedgerError(f"{path}: cannot append the event ({reason}); the ledger is as it was")
