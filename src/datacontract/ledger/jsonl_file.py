"""The file backend: a ledger as a JSON Lines file (the embedded default; `file://` or a path).

`init` creates an empty file and refuses an existing one; appending to a missing one is refused
(append.py, under the ``<ledger>.lock`` flock); `repair` cuts only a torn last line, under the
lock, and records what it cut in ``<ledger>.repairs.jsonl`` beside it (the bytes, their hash
and when). Registered in store.BACKENDS under the scheme ``file`` and for plain paths.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from datacontract.errors import LedgerError, LedgerRefused, UsageError
from datacontract.ledger.append import LOCK_TIMEOUT, Appending, _locked, append_event
from datacontract.ledger.backend import Torn
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import Event, EventDraft, LedgerState, read_ledger
from datacontract.ledger.manifest import fsync_folder
from datacontract.ledger.repairs import RepairNote, read_repair_log


def file_ledger(location: str) -> FileLedger:
    """A path, or a ``file://`` URL of this machine (``file:///srv/ledger.jsonl``)."""
    if location[:7].lower() != "file://":
        return FileLedger(Path(location))
    parts = urlsplit(location)
    if parts.netloc not in ("", "localhost") or not parts.path:
        raise UsageError("--ledger: a file:// URL names a file on this machine, e.g. file:///path")
    return FileLedger(Path(unquote(parts.path)))


@dataclass(frozen=True)
class FileLedger:
    """A ledger in one JSON Lines file (see the module)."""

    path: Path
    lock_timeout: float = LOCK_TIMEOUT  # seconds a writer waits for another writer's lock

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def atomic(self) -> bool:
        return False  # a crash mid-write can leave a torn last line

    def exists(self) -> bool:
        return self.path.is_file()

    def read(self) -> LedgerState:
        return read_ledger(self.path)

    def append(self, draft: EventDraft, how: Appending) -> Event:
        return append_event(self.path, draft, how=how)

    def init(self, contract: str, version: str) -> None:
        # the file is bound by its events' contract (append.py checks each against the first)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise LedgerError(
                f"{self.path}: a ledger exists already; init creates only new ones"
            ) from None
        except OSError as exc:
            raise LedgerError(
                f"{self.path}: cannot create the ledger: {exc.strerror or exc}"
            ) from exc
        os.close(fd)
        fsync_folder(self.path.parent)

    def bound_contract(self) -> str:
        events = self.read().events if self.exists() else []
        return events[0].contract if events else ""

    def torn_tail(self, state: LedgerState) -> Torn | None:
        if [p.kind for p in state.problems] != ["truncated_last_line"]:
            return None
        data = self.path.read_bytes()
        offset = data.rfind(b"\n") + 1
        return Torn(offset, state.problems[0].line, len(data) - offset, str(self._log))

    @property
    def _log(self) -> Path:
        return self.path.with_name(self.path.name + ".repairs.jsonl")

    def repairs(self) -> tuple[RepairNote, ...]:
        return read_repair_log(self._log)

    def repair(self) -> Torn | None:
        path = self.path
        if not path.is_file():
            raise LedgerError(f"{path}: no such ledger")
        with _locked(path, self.lock_timeout):
            state = read_ledger(path)
            if state.intact:
                return None
            torn = self.torn_tail(state)
            if torn is None:
                raise LedgerRefused(
                    f"{path}: repair cuts only a torn last line, and this ledger has other "
                    f"problems ({state.problems[0].message}); nothing was changed"
                )
            data = path.read_bytes()[torn.offset :]
            note = {
                "time": datetime.now().astimezone().isoformat(),
                "line": torn.line,
                "offset": torn.offset,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "cut": base64.b64encode(data).decode("ascii"),
            }
            try:
                fd = os.open(self._log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, (canonical_json(note) + "\n").encode("utf-8"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                with open(path, "r+b") as stream:
                    stream.truncate(torn.offset)
                    os.fsync(stream.fileno())
            except OSError as exc:
                raise LedgerError(f"{path}: cannot repair: {exc.strerror or exc}") from exc
        return torn
