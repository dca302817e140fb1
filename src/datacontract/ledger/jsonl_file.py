"""The file backend: a ledger as a JSON Lines file (the embedded default; `file://` or a path).

`init` creates an empty file and refuses an existing one, and names its contract in
``<ledger>.contract`` beside it (what binds the ledger while it holds no event); appending to
a missing one is refused (append.py, under the ``<ledger>.lock`` flock); `repair` cuts only a
torn last line, under the lock, and records what it cut in ``<ledger>.repairs.jsonl`` beside
it (the bytes, their hash and when). The note is written whole and fsynced before anything is
cut: a repair whose note cannot be written (a full disk, a file size limit) cuts nothing and
says so (LedgerError, exit 2). Registered in store.BACKENDS under the scheme ``file`` and for
plain paths.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from datacontract import limits
from datacontract.errors import LedgerError, LedgerRefused, UsageError
from datacontract.ledger.append import LOCK_TIMEOUT, Appending, _locked, append_event
from datacontract.ledger.backend import Torn
from datacontract.ledger.canonical import canonical_json, strict_loads
from datacontract.ledger.chain import Event, EventDraft, LedgerState, read_ledger
from datacontract.ledger.manifest import fsync_folder
from datacontract.ledger.repairs import RepairNote, read_repair_log
from datacontract.output import write_file


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

    def read_after(self, seq: int, head: str, when: datetime, offset: int | None) -> LedgerState:
        from datacontract.ledger.tail import file_after

        return file_after(self.path, seq, head, when, offset or 0)

    def mark(self) -> int | None:
        return self.path.stat().st_size

    def append(self, draft: EventDraft, how: Appending) -> Event:
        return append_event(self.path, draft, how=how)

    def init(self, contract: str, version: str) -> None:
        # the file is bound by its events' contract (append.py checks each against the first);
        # while it holds none, by the contract named beside it (so that a checkpoint of the
        # empty ledger names its contract, and one of another contract's is told apart)
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
        try:
            write_file(self._binding, canonical_json({"contract": contract, "version": version}))
        except OSError as exc:
            self.path.unlink(missing_ok=True)  # an empty ledger bound to nothing: not made
            raise LedgerError(
                f"{self._binding}: cannot record the ledger's contract: {exc.strerror or exc}"
            ) from exc
        fsync_folder(self.path.parent)

    @property
    def _binding(self) -> Path:
        return self.path.with_name(self.path.name + ".contract")

    def bound_contract(self) -> str:
        """The contract of the first event; of an empty ledger, the one `init` named ('' when
        unknown: a ledger made before the binding was kept, or a binding that is not one)."""
        events = self.read().events if self.exists() else []
        if events:
            return events[0].contract
        try:
            data = limits.read_regular(self._binding, 4096, "a ledger's contract")
            bound = strict_loads(data.decode("utf-8"))
        except (OSError, ValueError):
            return ""
        contract = bound.get("contract") if isinstance(bound, dict) else None
        return contract if isinstance(contract, str) else ""

    def torn_tail(self, state: LedgerState) -> Torn | None:
        if [p.kind for p in state.problems] != ["truncated_last_line"]:
            return None
        data = self.path.read_bytes()
        offset = data.rfind(b"\n") + 1
        return Torn(offset, state.problems[0].line, len(data) - offset, str(self._log))

    def _note(self, note: dict[str, object]) -> None:
        """Append one note to the repairs log, whole and fsynced (and its folder entry, when the
        log is new); LedgerError (exit 2) otherwise, the log cut back to what it was: a repair
        whose record is not on disk must not cut anything (a full disk, a file size limit)."""
        log, line = self._log, (canonical_json(note) + "\n").encode("utf-8")
        new = not log.exists()
        try:
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            before = os.lseek(fd, 0, os.SEEK_END)
        except OSError as exc:
            raise LedgerError(
                f"{self.path}: cannot record the repair in {log} ({exc.strerror or exc}); "
                "nothing was cut"
            ) from exc
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, f"only {written} of {len(line)} bytes were written")
            os.fsync(fd)
            if new:
                fsync_folder(log.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, before)
                os.fsync(fd)
            raise LedgerError(
                f"{self.path}: cannot record the repair in {log} ({exc.strerror or exc}); "
                "nothing was cut"
            ) from exc
        finally:
            os.close(fd)

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
            self._note(note)  # durably, or LedgerError: nothing is cut without its note
            try:
                with open(path, "r+b") as stream:
                    stream.truncate(torn.offset)
                    os.fsync(stream.fileno())
            except OSError as exc:
                raise LedgerError(f"{path}: cannot repair: {exc.strerror or exc}") from exc
        return torn
