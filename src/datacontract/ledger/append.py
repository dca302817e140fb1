"""Appending to the ledger: one event, under the ledger's lock, atomically (see chain.py).

Writers hold an exclusive flock on ``<ledger>.lock`` while they read and verify the ledger,
run the caller's flow check and append, so check-then-append is atomic. The line is written
with a single os.write on a file opened O_APPEND and fsynced before the lock is released; a
partial write is truncated away. A broken ledger, or an event earlier than the last, is
refused (LedgerRefused) and nothing is written; a ledger that does not exist is refused
(LedgerError, exit 2) and nothing is created. finish_record, shared with the PostgreSQL
backend, takes the event's time under the lock when asked (Appending.stamp), signs the event
(Appending.signer; an unsigned event is refused once the ledger holds a signed one)
and runs the caller's prepare step (a send's manifest) before the write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from datacontract import limits
from datacontract.errors import LedgerError, LedgerRefused
from datacontract.ledger.canonical import aware_time, canonical_json, is_sha256
from datacontract.ledger.chain import Chain, LedgerState, feed
from datacontract.ledger.event import (
    GENESIS,
    Event,
    EventDraft,
    digest,
    is_day,
    is_witness,
    shape_problem,
)
from datacontract.ledger.keys import Signer
from datacontract.ledger.signing import sign_event

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer's lock


@contextlib.contextmanager
def _locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold the exclusive lock on ``<ledger>.lock``; the lock file itself is never removed."""
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
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
    if body["witness"] is None:
        del body["witness"]
    elif not is_witness(body["witness"]):
        raise LedgerError("cannot record this event: witness must be SEQ:HASH")
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


def _refusal(path: str, state: LedgerState) -> str:
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
    chain: Chain
    contents: bytes  # SHA-256 of the ledger's bytes


_last_written: _Written | None = None  # one ledger at a time: memory stays bounded


def _current(path: Path, fd: int | None) -> tuple[Chain, Any]:
    """The ledger's chain, checked, and a running hash of its bytes; called under the lock."""
    global _last_written
    written, _last_written = _last_written, None
    contents = hashlib.sha256()
    chain = Chain()
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
            feed(path, stream, chain, contents)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
    return chain, contents


@dataclass(frozen=True)
class Appending:
    """How an event is appended, beyond its draft (the same for every backend).

    ``check`` runs under the lock on the current state (the caller's flow invariants); what it
    raises propagates and nothing is written. ``stamp``: the event's time is taken under the
    lock (now, never earlier than the last event), so simultaneous writers are ordered as they
    commit. ``signer`` signs the event (it must be the party the event names). ``prepare`` runs
    under the lock with the finished event before it is written (the manifest of a send) and
    returns how to undo it should the write fail; what it raises propagates, nothing written.
    """

    check: Callable[[LedgerState], None] | None = None
    stamp: bool = False
    signer: Signer | None = None
    prepare: Callable[[Event], Callable[[], None]] | None = None


def finish_record(
    where: str,
    state: LedgerState,
    body: dict[str, object],
    when: datetime,
    how: Appending,
    now: datetime | None = None,
) -> dict[str, object]:
    """The ledger line's fields for body appended to state (under the lock): time order,
    the flow check, seq, prev, signature and hash. LedgerRefused/whatever check raises.
    ``now``: the clock to stamp with (the database server's), else this machine's."""
    if not state.intact:
        raise LedgerRefused(_refusal(where, state))
    last = state.events[-1] if state.events else None
    if how.stamp:
        now = now or datetime.now().astimezone()
        when = max(now, last.when) if last else now
        body = {**body, "time": when.isoformat()}
    if last is not None and when < last.when:
        raise LedgerRefused(
            f"{where}: events must come in time order: this event at {body['time']} "
            f"is earlier than the last one (seq {last.seq}) at {last.time}; "
            "nothing was recorded"
        )
    if state.events and state.events[0].contract != body["contract"]:
        raise LedgerRefused(
            f"{where}: this ledger records contract {state.events[0].contract}, not "
            f"{body['contract']}; nothing was recorded"
        )
    if how.signer is None and state.events:
        signed = next((e.seq for e in reversed(state.events) if e.sig is not None), None)
        if signed is not None:
            raise LedgerRefused(
                f"{where}: this ledger's events are signed (event {signed} is): a signed ledger "
                "takes only signed events; give the acting party's key (--key); nothing was "
                "recorded"
            )
    if how.signer is not None and body["party"] != how.signer.party:
        raise LedgerError(
            f"the key given is {how.signer.party}'s, but the event is {body['party']}'s: "
            "a party signs only its own events; nothing was recorded"
        )
    if how.check is not None:
        how.check(state)
    record = {**body, "seq": last.seq + 1 if last else 1, "prev": last.hash if last else GENESIS}
    if how.signer is not None:
        sign_event(record, how.signer)
    record["hash"] = digest(record)
    return record


def append_event(
    path: Path,
    draft: EventDraft,
    *,
    check: Callable[[LedgerState], None] | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    how: Appending | None = None,
) -> Event:
    """Append one event under the ledger's lock, after checking the ledger and the flow.

    Refuses with LedgerError (exit 2), creating nothing, when the ledger does not exist
    (`ledger init` creates one), and with LedgerRefused, leaving the ledger as it was, when
    the ledger is not intact or the event is earlier than the last one. See Appending.
    """
    global _last_written
    how = how or Appending(check=check)
    body, when = _draft_body(draft)
    if not path.is_file():
        raise LedgerError(
            f"{path}: no such ledger; create it with `datacontract ledger init` "
            "(nothing was recorded)"
        )
    with _locked(path, lock_timeout):
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            raise LedgerError(f"{path}: no such ledger (nothing was recorded)") from None
        except OSError as exc:
            raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
        if fd is not None:
            try:
                limits.check_descriptor(fd)  # a FIFO or a device would be read forever
            except OSError as exc:
                os.close(fd)
                raise LedgerError(f"{path}: the ledger {exc.strerror}") from None
        try:
            chain, contents = _current(path, fd)
            record = finish_record(str(path), chain.state(), body, when, how)
            line = (canonical_json(record) + "\n").encode("utf-8")
            undo = how.prepare(event_of(line)) if how.prepare is not None else None
            try:
                identity = _append_line(path, fd, line, chain.size)
            except BaseException:
                if undo is not None:
                    undo()
                raise
        finally:
            os.close(fd)
        # Read back as any reader will see it: the event holds copies, not the caller's objects.
        chain.feed(line)
        contents.update(line)
        _last_written = _Written(identity, chain, contents.digest())
    return chain.events[-1]


def event_of(line: bytes) -> Event:
    """The event a canonical ledger line holds, as a reader sees it."""
    chain = Chain()
    chain.feed(line)
    return chain.events[-1]


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
