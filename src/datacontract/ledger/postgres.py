"""The ledger on a PostgreSQL server (psycopg 3), for organisations that share one ledger.

The same events, lines and chain as the file: each row keeps the event's canonical line, and
read() feeds those lines to the same Chain, so every verdict (and every proof) is the file's.
The database guards its own rows, whoever writes them (postgres_sql.py, created by init(); see
docs/ledger.md): an insert trigger recomputes what a row claims (canonical line, event shape,
party, chain, hash), row-level security keeps each party's role to its own name, and UPDATE,
DELETE and TRUNCATE are refused.

append() runs in one transaction: the ledger's lock (datacontract_ledger_lock()), the head it
links to, the event's time from the server's clock (one clock for all organisations), the
caller's check, the signature, INSERT, COMMIT. Without a caller's check (Appending.check) it
reads only the head row: the insert trigger checks that the row continues the chain, so the
time an append takes does not grow with the ledger. With one (the hooks' flow invariants look
at every event) it reads the chain as the check needs. Every wait is bounded (LOCK_WAIT and
the others below). The URL is checked before connecting and shown without secrets (pg_url.py).
Errors: a malformed URL is UsageError (exit 2); connection, SQL and time-out errors are
LedgerError (exit 2), in words that hold no password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from datacontract.errors import LedgerError
from datacontract.ledger.append import LOCK_TIMEOUT, Appending, _draft_body, event_of, finish_record
from datacontract.ledger.backend import Torn
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import Chain, Event, EventDraft, LedgerState
from datacontract.ledger.pg_url import check, public_url, scrubbed
from datacontract.ledger.postgres_sql import SCHEMA, schema_sql
from datacontract.ledger.repairs import RepairNote
from datacontract.ledger.tail import following

__all__ = ["LOCK_WAIT", "SCHEMA", "PostgresLedger", "public_url", "schema_sql"]

# Every wait is bounded (seconds): the ledger's lock as the file ledger's (append.py), a
# statement, and a transaction left idle by this process. A wait that runs out is a LedgerError
# (exit 2) naming it; nothing is recorded.
LOCK_WAIT = LOCK_TIMEOUT  # as long as the file ledger waits for its lock (append.py)
STATEMENT_WAIT = 60.0
IDLE_WAIT = 60.0
CONNECT_WAIT = 10
# The advisory lock key ledgers used before the guard; no longer taken: any role that can connect
# could hold an advisory lock, while datacontract_ledger_lock() is only for roles that may append.
_LOCK = 0x6C656467


def _bounded(conn: psycopg.Connection[Any]) -> None:
    """Set this session's time-outs (see LOCK_WAIT): a lock held by another session, however
    long it idles, makes this one give up instead of waiting without end."""
    conn.execute(
        "SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false),"
        " set_config('idle_in_transaction_session_timeout', %s, false)",
        (f"{int(LOCK_WAIT * 1000)}ms", f"{int(STATEMENT_WAIT * 1000)}ms",
         f"{int(IDLE_WAIT * 1000)}ms"),
    )  # fmt: skip
    conn.commit()


@contextmanager
def _connected(url: str) -> Iterator[psycopg.Connection[Any]]:
    try:
        conn = psycopg.connect(check(url), connect_timeout=CONNECT_WAIT)
    except psycopg.Error as exc:
        raise LedgerError(
            f"{public_url(url)}: cannot connect to the ledger: {_why(exc, url)}"
        ) from None
    try:
        with conn:
            _bounded(conn)
            yield conn
    except psycopg.Error as exc:
        raise LedgerError(f"{public_url(url)}: {_why(exc, url)}; nothing was recorded") from None
    finally:
        conn.close()


def _why(exc: psycopg.Error, url: str) -> str:
    """What went wrong, in words that hold no secret (pg_url.scrubbed)."""
    if isinstance(exc, psycopg.errors.LockNotAvailable):
        return (
            f"waited {LOCK_WAIT:g} s for the ledger's lock, which another session holds "
            "(the database's owner can end it: docs/ledger.md)"
        )
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return f"a statement took longer than {STATEMENT_WAIT:g} s and was cancelled"
    if isinstance(exc, psycopg.errors.IdleInTransactionSessionTimeout):
        return f"the transaction was idle for longer than {IDLE_WAIT:g} s"
    if isinstance(exc, psycopg.errors.UndefinedFunction):
        return (
            "this ledger's database lacks the guard of this version (datacontract_ledger_lock); "
            "docs/ledger.md says how its owner upgrades it"
        )
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = str(primary or exc).strip()
    said = scrubbed(text.splitlines()[0], url) if text else "error"
    if isinstance(exc, psycopg.errors.InsufficientPrivilege) and "datacontract_ledger_lock" in said:
        return (
            "this database role may not append to the ledger, so it may not take its lock "
            "(the owner grants INSERT and SELECT: docs/ledger.md)"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege) and "row-level security" in said:
        return (
            "this database role may append only in the name of its own party "
            f"(row-level security: {said})"
        )
    return said


def _has_ledger(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regclass('datacontract_ledger_meta') IS NOT NULL").fetchone()
    return bool(row and row[0])


def exists(url: str) -> bool:
    with _connected(url) as conn:
        return _has_ledger(conn)


def init(url: str, contract: str, version: str) -> None:
    """Create the ledger's tables, triggers and policies; LedgerError if they exist."""
    with _connected(url) as conn:
        if _has_ledger(conn):
            raise LedgerError(f"{public_url(url)}: a ledger exists already in this database")
        row = conn.execute("SELECT current_schema()").fetchone()
        if row is None or row[0] is None:
            raise LedgerError(
                f"{public_url(url)}: no schema to create the ledger in (see search_path)"
            )
        conn.execute(schema_sql(str(row[0])))  # our text; the schema's name quoted
        conn.execute(
            "INSERT INTO datacontract_ledger_meta (contract, version) VALUES (%s, %s)",
            (contract, version),
        )


# The chain this process last appended to, per URL: the rows before its head cannot change
# (the append-only trigger), so the next append reads only the rows after it, once it has
# checked that the head row is still the one it knows.
_known: dict[str, Chain] = {}


def _chain(conn: psycopg.Connection[Any], url: str, *, cached: bool = False) -> Chain:
    if not _has_ledger(conn):
        raise LedgerError(
            f"{public_url(url)}: no ledger in this database; create it with "
            "`datacontract ledger init` (nothing was recorded)"
        )
    chain = _known.pop(url, None) if cached else None
    if chain is not None and chain.events:
        head = chain.events[-1]
        row = conn.execute(
            "SELECT hash FROM datacontract_ledger WHERE seq = %s", (head.seq,)
        ).fetchone()
        if row is None or row[0] != head.hash:
            chain = None
    if chain is None or not chain.state().intact:
        chain = Chain()
    after = chain.events[-1].seq if chain.events else 0
    with conn.cursor() as cur:
        cur.execute("SELECT line FROM datacontract_ledger WHERE seq > %s ORDER BY seq", (after,))
        for (line,) in cur:
            chain.feed(line.encode("utf-8") + b"\n")
    return chain


def rows_after(url: str, chain: Chain, seq: int, head: str) -> None:
    """Feed chain the rows after event seq (ledger/tail.py), once the head row is checked to
    be the one the caller knows (its hash); LedgerError when it is not."""
    with _connected(url) as conn:
        if not _has_ledger(conn):
            raise LedgerError(f"{public_url(url)}: no ledger in this database")
        if seq:
            row = conn.execute(
                "SELECT hash FROM datacontract_ledger WHERE seq = %s", (seq,)
            ).fetchone()
            if row is None or row[0] != head:
                raise LedgerError(
                    f"{public_url(url)}: the ledger does not hold the state's head (event "
                    f"{seq}): the state is of another ledger, or this one was rewritten"
                )
        with conn.cursor() as cur:
            cur.execute("SELECT line FROM datacontract_ledger WHERE seq > %s ORDER BY seq", (seq,))
            for (line,) in cur:
                chain.feed(line.encode("utf-8") + b"\n")


def read(url: str) -> LedgerState:
    with _connected(url) as conn:
        return _chain(conn, url).state()


def bound_contract(url: str) -> str:
    with _connected(url) as conn:
        row = conn.execute("SELECT contract FROM datacontract_ledger_meta").fetchone()
    return str(row[0]) if row else ""


def _head(conn: psycopg.Connection[Any], url: str) -> LedgerState:
    """The ledger as an append without a flow check needs it: its head event alone (the
    trigger checks the rest of the chain on insert; `ledger verify` reads it all)."""
    if not _has_ledger(conn):
        raise LedgerError(
            f"{public_url(url)}: no ledger in this database; create it with "
            "`datacontract ledger init` (nothing was recorded)"
        )
    row = conn.execute("SELECT line FROM datacontract_ledger ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return LedgerState(())
    chain = Chain(start_line=1)  # a later line, not linked to the one before it here
    chain.feed(str(row[0]).encode("utf-8") + b"\n")
    return chain.state()


def append(url: str, draft: EventDraft, how: Appending) -> Event:
    """Append one event in one transaction holding the head's lock (see the module)."""
    body, when = _draft_body(draft)
    with _connected(url) as conn:
        conn.execute("SELECT datacontract_ledger_lock()")
        if how.check is None:
            return _append_at_head(conn, url, body, when, how)
        chain = _chain(conn, url, cached=True)
        bound = conn.execute("SELECT contract FROM datacontract_ledger_meta").fetchone()
        if bound and bound[0] != body["contract"]:
            raise LedgerError(
                f"{public_url(url)}: this ledger is bound to contract {bound[0]}, not "
                f"{body['contract']}; nothing was recorded"
            )
        row = conn.execute("SELECT clock_timestamp()").fetchone()
        now = row[0].astimezone() if row and isinstance(row[0], datetime) else None
        record = finish_record(public_url(url), chain.state(), body, when, how, now)
        line = canonical_json(record)
        event = event_of((line + "\n").encode("utf-8"))
        _insert(conn, record, line, event, how)
        chain.feed((line + "\n").encode("utf-8"))
        _known.clear()  # one ledger at a time: memory stays bounded
        _known[url] = chain
    return event


def _insert(
    conn: psycopg.Connection[Any],
    record: dict[str, object],
    line: str,
    event: Event,
    how: Appending,
) -> None:
    """INSERT and COMMIT the row (the trigger checks it), after how.prepare (undone if not)."""
    undo = how.prepare(event) if how.prepare is not None else None
    try:
        conn.execute(
            "INSERT INTO datacontract_ledger (seq, party, prev, hash, line) "
            "VALUES (%s, %s, %s, %s, %s)",
            (record["seq"], record["party"], record["prev"], record["hash"], line),
        )
        conn.commit()
    except BaseException:
        if undo is not None:
            undo()
        raise


def _append_at_head(
    conn: psycopg.Connection[Any], url: str, body: dict[str, object], when: datetime, how: Appending
) -> Event:
    """append() without a flow check: the head row is all it reads."""
    state = _head(conn, url)
    bound = conn.execute("SELECT contract FROM datacontract_ledger_meta").fetchone()
    if bound and bound[0] != body["contract"]:
        raise LedgerError(
            f"{public_url(url)}: this ledger is bound to contract {bound[0]}, not "
            f"{body['contract']}; nothing was recorded"
        )
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    now = row[0].astimezone() if row and isinstance(row[0], datetime) else None
    record = finish_record(public_url(url), state, body, when, how, now)
    line = canonical_json(record)
    event = event_of((line + "\n").encode("utf-8"))
    _insert(conn, record, line, event, how)
    _known.pop(url, None)  # a cached chain no longer ends at the head
    return event


@dataclass(frozen=True, repr=False)
class PostgresLedger:
    """A ledger on a PostgreSQL server, by its ``postgresql://`` URL (see the module); the
    URL's password stays out of name, repr and every message. Registered in store.BACKENDS."""

    url: str

    def __post_init__(self) -> None:
        check(self.url)  # a malformed URL is a UsageError (exit 2) before anything is opened

    def __repr__(self) -> str:
        return f"PostgresLedger({self.name!r})"

    @property
    def name(self) -> str:
        return public_url(self.url)

    @property
    def atomic(self) -> bool:
        return True  # each event is one committed row: nothing is ever torn

    def exists(self) -> bool:
        return exists(self.url)

    def init(self, contract: str, version: str) -> None:
        init(self.url, contract, version)

    def read(self) -> LedgerState:
        return read(self.url)

    def read_after(self, seq: int, head: str, when: datetime, offset: int | None) -> LedgerState:
        chain = following(seq, head, when)
        rows_after(self.url, chain, seq, head)
        return chain.state()

    def mark(self) -> int | None:
        return None

    def append(self, draft: EventDraft, how: Appending) -> Event:
        return append(self.url, draft, how)

    def bound_contract(self) -> str:
        return bound_contract(self.url)

    def torn_tail(self, state: LedgerState) -> Torn | None:
        return None

    def repair(self) -> Torn | None:
        return None

    def repairs(self) -> tuple[RepairNote, ...]:
        return ()  # whole events are committed or not: nothing is ever cut
