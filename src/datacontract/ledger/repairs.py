"""What a ledger's repairs cut: the notes `ledger repair` writes beside a file ledger
(jsonl_file.py: ``<ledger>.repairs.jsonl``, one canonical JSON note per cut: time, line,
offset, bytes, sha256, the cut bytes in base64), read by the backend's `repairs()`.

A proof names every repair: a repair cuts only a torn last line, but a torn line can hold a
whole event whose newline never reached the disk, and then evidence was removed. A backend
that commits whole events (PostgreSQL) has no repairs. Nothing here returns the cut bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path

from datacontract import limits
from datacontract.errors import LedgerError


@dataclass(frozen=True)
class RepairNote:
    """One cut: when (ISO 8601), the line cut (1-based), its size in bytes, and whether the
    bytes cut were a whole event (a JSON object with a hash) that lacked only its newline."""

    time: str
    line: int
    size: int
    whole_event: bool


def read_repair_log(log: Path) -> tuple[RepairNote, ...]:
    """The repairs a repair log records, oldest first; () when there is no log. LedgerError
    naming the log when it exists and cannot be read; a note that is not one is reported as a
    repair of unknown line (line 0), never skipped."""
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
