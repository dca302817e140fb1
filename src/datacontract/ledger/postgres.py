"""The ledger on a PostgreSQL server (psycopg 3), for organisations that share one ledger.

The same events, lines and chain as the file: each row keeps the event's canonical line, and
read() feeds those lines to the same Chain, so every verdict (and every proof) is the file's.
In the database itself (created by init(), see docs/ledger.md):

- ``datacontract_ledger(seq, party, prev, hash, line, db_user, recorded)``: a row per event;
  a trigger refuses every UPDATE, DELETE and TRUNCATE, whoever asks;
- a BEFORE INSERT trigger takes the ledger's transaction lock and refuses a row whose seq and
  prev do not extend the head, so even a writer that bypasses this code cannot fork the chain;
- row-level security: a party's role (named as the party) may insert only rows in its own
  name (``party = current_user``) and read all; the owner role operates the ledger;
- ``datacontract_ledger_meta``: the contract the ledger is bound to.

append() runs in one transaction: the advisory lock on the head, the chain read and checked,
the event's time from the server's clock (one clock for all organisations), the caller's check,
the signature, INSERT, COMMIT. Connection and SQL errors are LedgerError (exit 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from datacontract.errors import LedgerError
from datacontract.ledger.append import Appending, _draft_body, event_of, finish_record
from datacontract.ledger.backend import Torn
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import Chain, Event, EventDraft, LedgerState
from datacontract.ledger.repairs import RepairNote

_LOCK = 0x6C656467  # the advisory lock of the ledger's head ("ledg")

SCHEMA = f"""
CREATE TABLE datacontract_ledger_meta (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    contract text NOT NULL,
    version text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE datacontract_ledger (
    seq bigint PRIMARY KEY CHECK (seq >= 1),
    party text,
    prev text NOT NULL,
    hash text NOT NULL UNIQUE,
    line text NOT NULL,
    db_user text NOT NULL DEFAULT current_user,
    recorded timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE FUNCTION datacontract_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON datacontract_ledger
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON datacontract_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION datacontract_ledger_append_only();
CREATE TRIGGER meta_fixed BEFORE UPDATE OR DELETE ON datacontract_ledger_meta
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_append_only();
CREATE FUNCTION datacontract_ledger_extends() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head record;
BEGIN
    PERFORM pg_advisory_xact_lock({_LOCK});
    SELECT seq, hash INTO head FROM datacontract_ledger ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <> COALESCE(head.seq, 0) + 1
       OR NEW.prev <> COALESCE(head.hash, repeat('0', 64)) THEN
        RAISE EXCEPTION 'event % does not extend the head of the ledger', NEW.seq;
    END IF;
    NEW.db_user := current_user;
    NEW.recorded := clock_timestamp();
    RETURN NEW;
END $$;
CREATE TRIGGER extends BEFORE INSERT ON datacontract_ledger
    FOR EACH ROW EXECUTE FUNCTION datacontract_ledger_extends();
ALTER TABLE datacontract_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY parties_read ON datacontract_ledger FOR SELECT USING (true);
CREATE POLICY parties_append_their_own ON datacontract_ledger FOR INSERT
    WITH CHECK (party = current_user);
"""


def public_url(url: str) -> str:
    """The URL without its password, for messages and proofs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + host))


@contextmanager
def _connected(url: str) -> Iterator[psycopg.Connection[Any]]:
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as exc:
        raise LedgerError(f"{public_url(url)}: cannot connect to the ledger: {_why(exc)}") from None
    try:
        with conn:
            yield conn
    except psycopg.Error as exc:
        raise LedgerError(f"{public_url(url)}: {_why(exc)}; nothing was recorded") from None
    finally:
        conn.close()


def _why(exc: psycopg.Error) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return str(primary or exc).strip().splitlines()[0] if str(primary or exc).strip() else "error"


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
        conn.execute(SCHEMA)  # a fixed text of ours, no input
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


def read(url: str) -> LedgerState:
    with _connected(url) as conn:
        return _chain(conn, url).state()


def bound_contract(url: str) -> str:
    with _connected(url) as conn:
        row = conn.execute("SELECT contract FROM datacontract_ledger_meta").fetchone()
    return str(row[0]) if row else ""


def append(url: str, draft: EventDraft, how: Appending) -> Event:
    """Append one event in one transaction holding the head's lock (see the module)."""
    body, when = _draft_body(draft)
    with _connected(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
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
        chain.feed((line + "\n").encode("utf-8"))
        _known.clear()  # one ledger at a time: memory stays bounded
        _known[url] = chain
    return event


@dataclass(frozen=True, repr=False)
class PostgresLedger:
    """A ledger on a PostgreSQL server, by its ``postgresql://`` URL (see the module); the
    URL's password stays out of name, repr and every message. Registered in store.BACKENDS."""

    url: str

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
