"""The events after a known head, read without the events before it (a proof from a state).

A proof's state (flow/state_file.py) names the head it was made at: its seq, hash and time, and
for a file ledger the byte offset just after its line. A backend's read_after reads only what
follows: `file_after` the file from that offset (after checking that the line ending there is
the head's: same seq, same hash), ledger/postgres.py the rows after that seq (after checking
the head row's hash), each through a Chain that `following` links to the head. Each line is
checked as a whole read checks it, numbered from seq + 1, so an event after the head that was
edited, removed or moved is the problem a whole read reports there. LedgerError (exit 2) when
the ledger no longer holds the head where the state says: then the state is not of this
ledger, or the ledger was rewritten.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from datacontract import limits
from datacontract.errors import LedgerError
from datacontract.ledger.chain import Chain, LedgerState, feed

_BACK = 1 << 16  # how far back from the offset the head's line is looked for


def following(seq: int, head: str, when: datetime) -> Chain:
    """A Chain that goes on after event seq (hash head, time when); from the start for 0."""
    chain = Chain()
    if seq:
        chain.follow(head, seq, when)
    return chain


def file_after(path: Path, seq: int, head: str, when: datetime, offset: int) -> LedgerState:
    """A file ledger's events after event seq, whose line ends at byte offset (see module)."""
    chain = following(seq, head, when)
    try:
        stream = limits.open_regular(path)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc.strerror or exc}") from exc
    with stream:
        try:
            size = os.fstat(stream.fileno()).st_size
            if seq:
                start = max(0, offset - _BACK)
                stream.seek(start)
                before = stream.read(max(0, offset - start))
                line = before[:-1].rsplit(b"\n", 1)[-1] if before.endswith(b"\n") else b""
                if offset > size or not _is_head(line, seq, head):
                    raise LedgerError(
                        f"{path}: the ledger does not hold the state's head (event {seq}) where "
                        "the state says: the state is of another ledger, or this one was "
                        "rewritten; prove in full"
                    )
            stream.seek(offset)
        except OSError as exc:
            raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror or exc}") from exc
        feed(path, stream, chain)
    return chain.state()


def _is_head(line: bytes, seq: int, head: str) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and obj.get("seq") == seq and obj.get("hash") == head
