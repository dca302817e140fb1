"""A ledger by its name: the registry of backends, chosen by the scheme of the name.

Every command names its ledger as text (``--ledger``): a plain path or a ``file://`` URL is the
JSON Lines file (jsonl_file.py, the embedded default), a ``postgresql://`` or ``postgres://``
URL a ledger on a PostgreSQL server (postgres.py). locate() turns the name into a
LedgerBackend (backend.py); an unknown scheme is a UsageError (exit 2) listing the known ones.
The functions below take a backend or a name, so callers (flow/, the API) never name a backend.

Adding a backend: its module (a class with the LedgerBackend methods), one line in BACKENDS,
its test in tests/ledger/test_backends.py.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

from datacontract.errors import UsageError
from datacontract.ledger.append import Appending
from datacontract.ledger.backend import LedgerBackend, Torn
from datacontract.ledger.chain import Event, EventDraft, LedgerState

__all__ = [
    "BACKENDS",
    "Ledger",
    "LedgerBackend",
    "Torn",
    "append",
    "exists",
    "init",
    "locate",
    "read",
]


def _file(location: str) -> LedgerBackend:
    from datacontract.ledger.jsonl_file import file_ledger

    return file_ledger(location)


def _postgresql(location: str) -> LedgerBackend:
    # imported only for a postgresql:// ledger: psycopg is not loaded for a file
    from datacontract.ledger.postgres import PostgresLedger

    return PostgresLedger(location)


# The registry: scheme -> the backend for a name with that scheme (given the whole name).
BACKENDS: dict[str, Callable[[str], LedgerBackend]] = {
    "file": _file,
    "postgresql": _postgresql,
    "postgres": _postgresql,
}
PLAIN_PATH = "file"  # the backend of a name without a scheme

Ledger = LedgerBackend | Path | str  # a backend, or how a command names one

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
_SHOWN = re.compile(r"[a-z][a-z+.\-]{0,19}")  # a scheme short and digit-free enough to repeat


def _scheme_of(text: str) -> str:
    """The scheme a ledger's name gives (lower case), PLAIN_PATH for a path."""
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else PLAIN_PATH


def locate(where: Ledger) -> LedgerBackend:
    """The backend a ledger's name chooses by its scheme; a Path is a file; a backend is itself.

    UsageError (exit 2) for a scheme no backend serves, naming the known schemes (the name
    itself is not repeated: a URL can carry a password).
    """
    if isinstance(where, Path):
        return BACKENDS[PLAIN_PATH](str(where))
    if not isinstance(where, str):
        return where
    scheme = _scheme_of(where)
    backend = BACKENDS.get(scheme)
    if backend is None:
        known = ", ".join(f"{s}://" for s in sorted(BACKENDS))
        shown = f"{scheme}://" if _SHOWN.fullmatch(scheme) else "this scheme"
        near = difflib.get_close_matches(scheme, list(BACKENDS), n=1)
        hint = f" (did you mean {near[0]}://?)" if near and shown != "this scheme" else ""
        raise UsageError(
            f"--ledger: no ledger backend serves {shown}{hint}; known: {known}, "
            "or a plain file path"
        )
    return backend(where)


def exists(where: Ledger) -> bool:
    return locate(where).exists()


def read(where: Ledger) -> LedgerState:
    """Every event and every problem of the ledger (a missing file is empty: see exists)."""
    return locate(where).read()


def append(where: Ledger, draft: EventDraft, how: Appending) -> Event:
    """Append one event (see append.Appending); refused on a ledger that does not exist."""
    return locate(where).append(draft, how)


def init(where: Ledger, contract: str, version: str) -> None:
    """Create an empty ledger for a contract; LedgerError (exit 2) if one exists."""
    locate(where).init(contract, version)
