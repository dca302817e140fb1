"""What a ledger's repairs cut: the notes `ledger repair` writes beside a file ledger
(jsonl_file.py: ``<ledger>.repairs.jsonl``, one canonical JSON note per cut: time, line,
offset, bytes, sha256, the cut bytes in base64).

A proof names every repair: a repair cuts only a torn last line, but a torn line can hold a
whole event whose newline never reached the disk, and then evidence was removed. A backend
that commits whole events (PostgreSQL) has no repairs. Nothing here returns the cut bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from datacontract import limits
from datacontract.errors import LedgerError
from datacontract.ledger.backend import LedgerBackend

REPAIRS_SUFFIX = ".repairs.jsonl"  # the name jsonl_file.FileLedger gives its repair log


@dataclass(frozen=True)
class RepairNote:
    """One cut: when (ISO 8601), the line cut (1-based), its size in bytes, and whether the
    bytes cut were a whole event (a JSON object with a hash) that lacked only its newline."""

    time: str
    line: int
    size: int
    whole_event: bool


def repairs_of(backend: LedgerBackend) -> tuple[RepairNote, ...]:
    """The repairs recorded beside the ledger, oldest first; () when none (or atomic).
    LedgerError naming the log when it exists and cannot be read; a note that is not one is
    reported as a repair of unknown line (line 0), never skipped."""
    from datacontract.ledger.jsonl_file import FileLedger

    if not isinstance(backend, FileLedger):
        return ()
    log = backend.path.with_name(backend.path.name + REPAIRS_SUFFIX)
    try:
        data = limits.read_regular(log, limits.JSON_BYTES, "a repair log")
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise LedgerError(f"{log}: cannot read the repair log: {exc.strerror or exc}") from exc
    return tuple(_note(raw) for raw in data.splitlines() if raw.strip())


def _note(raw: bytes) -> RepairNote:
    try:
        note = json.loads(raw)
        cut = base64.b64decode(str(note["cut"]), validate=True)
        return RepairNote(str(note["time"]), int(note["line"]), int(note["bytes"]), _whole(cut))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return RepairNote("", 0, 0, False)


def _whole(cut: bytes) -> bool:
    try:
        obj = json.loads(cut)
    except ValueError:
        return False
    return isinstance(obj, dict) and isinstance(obj.get("hash"), str)
