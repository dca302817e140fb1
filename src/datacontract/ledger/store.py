"""A ledger by its name: a JSON Lines file (the embedded default) or a ``postgresql://`` URL.

Every command names its ledger as text; locate() turns it into a Path or a PostgreSQL URL, and
read, append, init and repair work the same on both (postgres.py for the server). The file
backend: `init` creates an empty file and refuses an existing one; appending to a missing one
is refused (append.py); `repair` cuts only a torn last line, under the lock, and records what it
cut in ``<ledger>.repairs.jsonl`` beside it (the bytes, their hash and when).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from datacontract.errors import LedgerError, LedgerRefused
from datacontract.ledger.append import LOCK_TIMEOUT, Appending, _locked, append_event
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import Event, EventDraft, LedgerState, read_ledger
from datacontract.ledger.manifest import fsync_folder

Ledger = Path | str  # a file, or a postgresql:// URL


def locate(text: str | Path) -> Ledger:
    """The ledger a command names: a URL stays text, anything else is a file path."""
    if isinstance(text, str) and text.startswith(("postgresql://", "postgres://")):
        return text
    return Path(text)


def name_of(ledger: Ledger) -> str:
    """How messages and proofs name a ledger (a URL without its password)."""
    if isinstance(ledger, Path):
        return str(ledger)
    from datacontract.ledger.postgres import public_url

    return public_url(ledger)


def exists(ledger: Ledger) -> bool:
    if isinstance(ledger, Path):
        return ledger.is_file()
    from datacontract.ledger import postgres

    return postgres.exists(ledger)


def read(ledger: Ledger) -> LedgerState:
    """Every event and every problem of the ledger (a missing file is empty: see exists)."""
    if isinstance(ledger, Path):
        return read_ledger(ledger)
    from datacontract.ledger import postgres

    return postgres.read(ledger)


def append(ledger: Ledger, draft: EventDraft, how: Appending) -> Event:
    """Append one event (see append.Appending); refused on a ledger that does not exist."""
    if isinstance(ledger, Path):
        return append_event(ledger, draft, how=how)
    from datacontract.ledger import postgres

    return postgres.append(ledger, draft, how)


def init(ledger: Ledger, contract: str, version: str) -> None:
    """Create an empty ledger for a contract; LedgerError (exit 2) if one exists."""
    if not isinstance(ledger, Path):
        from datacontract.ledger import postgres

        postgres.init(ledger, contract, version)
        return
    try:
        fd = os.open(ledger, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise LedgerError(
            f"{ledger}: a ledger exists already; init creates only new ones"
        ) from None
    except OSError as exc:
        raise LedgerError(f"{ledger}: cannot create the ledger: {exc.strerror or exc}") from exc
    os.close(fd)
    fsync_folder(ledger.parent)


@dataclass(frozen=True)
class Torn:
    """A torn last line: where it starts (byte offset, line) and how many bytes it has."""

    offset: int
    line: int
    size: int


def torn_tail(path: Path, state: LedgerState) -> Torn | None:
    """The torn last line when that is the ledger's only problem; None otherwise."""
    if [p.kind for p in state.problems] != ["truncated_last_line"]:
        return None
    data = path.read_bytes()
    offset = data.rfind(b"\n") + 1
    return Torn(offset, state.problems[0].line, len(data) - offset)


def repair(path: Path, lock_timeout: float = LOCK_TIMEOUT) -> Torn | None:
    """Cut a torn last line and record it in ``<ledger>.repairs.jsonl``; None if intact.

    LedgerRefused (exit 1) when the ledger has any other problem: those are evidence, and no
    command removes evidence.
    """
    if not path.is_file():
        raise LedgerError(f"{path}: no such ledger")
    with _locked(path, lock_timeout):
        state = read_ledger(path)
        if state.intact:
            return None
        torn = torn_tail(path, state)
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
        log = path.with_name(path.name + ".repairs.jsonl")
        try:
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
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
