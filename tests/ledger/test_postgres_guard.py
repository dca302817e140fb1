"""The PostgreSQL ledger against its own parties (issue 23): a real server (postgres_server.py),
one role per party, and each attack played with the database role's own SQL, bypassing this
program. The database refuses every row that is not the next event of the ledger in the
inserting party's name; the others' appends go on; no wait is without end."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from tests.ledger.postgres_server import Server
from tests.ledger.shared import cli, data_file, send, setup

from datacontract.ledger import postgres
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.event import digest

Row = tuple[int, str | None, str, str, str]  # seq, party, prev, hash, line


@dataclass
class Ledger:
    url: str  # as the owner
    contract: Path
    keys: Path
    as_a: str  # role a, party a
    as_fons: str  # role fons, mapped to party b
    folder: Path
    files: int = 0

    def send_as_a(self) -> Any:
        self.files += 1
        return send(self.contract, self.as_a, data_file(self.folder, f"f{self.files}.csv"),
                    "--key", self.keys / "a.key")  # fmt: skip


@pytest.fixture(scope="module")
def ledger(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    folder = tmp_path_factory.mktemp("guard")
    url = pg_server.database()
    contract, keys = setup(folder, url)
    as_a = pg_server.party_role(url, "a")
    as_fons = pg_server.party_role(url, "fons", party="b")
    made = Ledger(url, contract, keys, as_a, as_fons, folder)
    assert made.send_as_a().code == 0
    return made


def _head(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT line FROM datacontract_ledger ORDER BY seq DESC LIMIT 1")
        found = row.fetchone()
    assert found is not None
    head: dict[str, Any] = json.loads(found[0])
    return head


def _next(url: str, **changes: Any) -> dict[str, Any]:
    """The next event of the ledger, a receipt by b of the head's file, as a writer with the
    right to write b's events would make it (unsigned), with changes; hash computed."""
    head = _head(url)
    event = {k: v for k, v in head.items() if k not in ("sig", "hash", "witness")}
    event.update(kind="received", party="b", seq=head["seq"] + 1, prev=head["hash"])
    event["time"] = "2999-01-01T10:00:00+01:00"
    event.update(changes)
    event = {k: v for k, v in event.items() if v is not _DROP}
    event["hash"] = digest({k: v for k, v in event.items() if k != "hash"})
    return event


_DROP = object()


def _row(event: dict[str, Any], **column: Any) -> Row:
    line = column.pop("line", canonical_json(event))
    values = {"seq": event["seq"], "party": event["party"], "prev": event["prev"],
              "hash": event["hash"], **column}  # fmt: skip
    return values["seq"], values["party"], values["prev"], values["hash"], line


def _spaced(url: str) -> Row:
    event = _next(url)
    return _row(event, line=json.dumps(event, sort_keys=True))  # same content, not canonical


def _rehashed_line(url: str, text: Callable[[str], str]) -> Row:
    event = _next(url)
    return _row(event, line=text(canonical_json(event)))


# Each attack: a row role `fons` (party b) inserts by hand. The family: anything that is not
# the next event, canonical and whole, in b's name.
ATTACKS: dict[str, Callable[[str], Row]] = {
    "garbage line": lambda u: _row(_next(u), line="garbage {"),
    "empty line": lambda u: _row(_next(u), line=""),
    "a JSON array": lambda u: _row(_next(u), line="[1,2]"),
    "a JSON string": lambda u: _row(_next(u), line='"x"'),
    "not canonical": _spaced,
    "a duplicated key": lambda u: _rehashed_line(u, lambda t: t.replace("{", '{"rows":0,', 1)),
    "an escaped letter": lambda u: _rehashed_line(u, lambda t: t.replace('"b"', '"\\u0062"', 1)),
    "a field missing": lambda u: _row(_next(u, contract_version=_DROP)),
    "an unknown kind": lambda u: _row(_next(u, kind="forgotten")),
    "a float count": lambda u: _row(_next(u, rows=1.5)),
    "a count as text": lambda u: _row(_next(u, rows="3")),
    "a bad file hash": lambda u: _row(_next(u, sha256="x" * 64)),
    "a finding not an object": lambda u: _row(_next(u, findings=[1])),
    "a bad signature": lambda u: _row(_next(u, sig="not a signature")),
    "a naive time": lambda u: _row(_next(u, time="2999-01-01T10:00:00")),
    "a time before the head": lambda u: _row(_next(u, time="2000-01-01T10:00:00+01:00")),
    "an impossible date": lambda u: _row(_next(u, time="2999-02-30T10:00:00+01:00")),
    "another contract": lambda u: _row(_next(u, contract="other")),
    "a receipt whose party is not its receiver": lambda u: _row(_next(u, receiver="a")),
    "a wrong hash": lambda u: _row(_next(u), hash="1" * 64),
    "a hash column other than the line's": lambda u: _row(_next(u), hash=_next(u, rows=99)["hash"]),
    "a seq skipped": lambda u: _row(_next(u, seq=_head(u)["seq"] + 2)),
    "a seq repeated": lambda u: _row(_next(u, seq=_head(u)["seq"])),
    "a prev not the head": lambda u: _row(_next(u, prev="0" * 64)),
    "a party column other than the line's": lambda u: _row(_next(u), party="fons"),
    "in another party's name": lambda u: _row(_next(u, party="a", receiver="a")),
    "the line in another party's name, the column in its own": lambda u: _row(
        _next(u, party="a", receiver="a"), party="b"
    ),
    "in the role's own name, not its party's": lambda u: _row(
        _next(u, party="fons", receiver="fons")
    ),
    "without a party": lambda u: _row(_next(u, kind="milestone", milestone="done", party=None)),
}

INSERT = "INSERT INTO datacontract_ledger (seq, party, prev, hash, line) VALUES (%s,%s,%s,%s,%s)"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_row_that_is_not_the_next_event_in_the_roles_name_is_refused(
    ledger: Ledger, attack: str
) -> None:
    before = _head(ledger.url)["seq"]
    row = ATTACKS[attack](ledger.url)
    with psycopg.connect(ledger.as_fons) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute(INSERT, row)
    said = str(refused.value)
    assert "refuses this row" in said or "row-level security" in said, said
    assert _head(ledger.url)["seq"] == before
    # the others' appends go on, and the ledger is whole
    assert ledger.send_as_a().code == 0
    assert cli("ledger", "verify", "--ledger", ledger.as_fons, "--keyring", ledger.keys).code == 0


def test_the_role_of_a_party_can_append_its_own_next_event(ledger: Ledger) -> None:
    """The guard is not a wall: b's role (fons, mapped to b) appends a well-made b event."""
    event = _next(ledger.url)
    with psycopg.connect(ledger.as_fons) as conn:
        conn.execute(INSERT, _row(event))
    assert _head(ledger.url)["hash"] == event["hash"]
    state = cli("ledger", "verify", "--ledger", ledger.url)
    assert state.code == 0, state.everything
    assert ledger.send_as_a().code == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE datacontract_ledger SET party = 'b'",
        "DELETE FROM datacontract_ledger",
        "TRUNCATE datacontract_ledger",
        "INSERT INTO datacontract_ledger_roles VALUES ('fons', 'a')",
        "UPDATE datacontract_ledger_roles SET party = 'a'",
        "DROP TABLE datacontract_ledger",
        "ALTER TABLE datacontract_ledger DISABLE TRIGGER USER",
        "DROP POLICY parties_append_their_own ON datacontract_ledger",
        "CREATE OR REPLACE FUNCTION datacontract_ledger_lock() RETURNS void LANGUAGE sql AS ''",
    ],
)
def test_a_partys_role_cannot_change_rows_roles_or_schema(ledger: Ledger, statement: str) -> None:
    with psycopg.connect(ledger.as_fons) as conn, pytest.raises(psycopg.Error):
        conn.execute(statement)  # type: ignore[arg-type]
    assert ledger.send_as_a().code == 0


def test_an_idle_session_holding_the_lock_is_a_bounded_wait(
    ledger: Ledger, pg_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "LOCK_WAIT", 1.0)
    # a role without the grant cannot take the lock at all, by the function or by hand
    stranger = pg_server.role(ledger.url, "stranger")
    pg_server.sql(ledger.url, 'GRANT SELECT ON datacontract_ledger TO "stranger"')  # an auditor
    for statement in ("SELECT datacontract_ledger_lock()",
                      "LOCK TABLE datacontract_ledger_lock IN EXCLUSIVE MODE"):  # fmt: skip
        with psycopg.connect(stranger) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)  # type: ignore[arg-type]
    # the old advisory lock no longer stops anyone
    with psycopg.connect(stranger, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (0x6C656467,))
        assert ledger.send_as_a().code == 0
    # a party that takes the lock (or inserts) and idles holds up the others for LOCK_WAIT only
    for hold in ("SELECT datacontract_ledger_lock()", "SELECT 1 FROM datacontract_ledger"):
        with psycopg.connect(ledger.as_fons) as idle:
            if hold.startswith("SELECT 1"):  # an insert of its own, left uncommitted
                idle.execute(INSERT, _row(_next(ledger.url)))
            else:
                idle.execute(hold)  # type: ignore[arg-type]
            started = time.monotonic()
            run = ledger.send_as_a()
            waited = time.monotonic() - started
            assert run.code == 2, run.everything
            assert "waited 1 s for the ledger's lock" in run.stderr
            assert "nothing was recorded" in run.stderr and waited < 10
            idle.rollback()
        assert ledger.send_as_a().code == 0


def test_select_and_insert_are_all_a_partys_role_needs(ledger: Ledger, pg_server: Server) -> None:
    """The grants of the issue's setup suffice; a role that may not insert may not lock."""
    half = pg_server.role(ledger.url, "half")
    pg_server.sql(ledger.url, "INSERT INTO datacontract_ledger_roles VALUES ('half', 'a')")
    pg_server.sql(ledger.url, 'GRANT SELECT, INSERT ON datacontract_ledger TO "half"')
    pg_server.sql(ledger.url, 'GRANT SELECT ON datacontract_ledger_meta TO "half"')
    run = send(ledger.contract, half, data_file(ledger.folder, "half.csv"),
               "--key", ledger.keys / "a.key")  # fmt: skip
    assert run.code == 0, run.everything  # SELECT and INSERT are all a party's role needs
    pg_server.sql(ledger.url, 'REVOKE INSERT ON datacontract_ledger FROM "half"')
    run = send(ledger.contract, half, data_file(ledger.folder, "half2.csv"),
               "--key", ledger.keys / "a.key")  # fmt: skip
    assert run.code == 2 and "may not append to the ledger" in run.stderr, run.everything


CANONICAL_CASES: list[object] = [
    {"b": 1, "a": [1, 2, {"d": None, "c": True}], "": False, "A": {}, "é": [], "z": "x"},
    {'quote"back\\slash': "tab\tnew\nline\rcr\bbs\fff\x01\x1f\x7f end"},
    {"text": "é ü ø 漢字 😀 \u2028 \u2029 \ufeff", "😀": 1, "\uffff": 2, "ÿ": 3, "Z": 4},
    {"n": [0, -1, 123456789012345678901234567890, 2**63]},
    {"nested": [[[[{"deep": [{"x": "<>&'/"}]}]]]]},
    [],
    "just text",
    {"k": 1.5, "m": 0.25},
]


@pytest.mark.parametrize("value", CANONICAL_CASES)
def test_the_database_writes_the_same_canonical_json_as_the_program(
    ledger: Ledger, value: object
) -> None:
    text = canonical_json(value)
    with psycopg.connect(ledger.url) as conn:
        row = conn.execute("SELECT datacontract_ledger_canonical(%s::jsonb)", (text,)).fetchone()
        spaced = json.dumps(value, ensure_ascii=True, indent=1)
        again = conn.execute("SELECT datacontract_ledger_canonical(%s::jsonb)", (spaced,))
        other = again.fetchone()
    assert row is not None and row[0] == text
    assert other is not None and other[0] == text  # any spelling of it, canonical again


def test_a_role_cannot_shadow_what_the_guard_reads(ledger: Ledger, pg_server: Server) -> None:
    """A temporary table named as the ledger (every role may make temporary tables) would give
    the guard a false head or contract if it looked names up in the session's search_path."""
    before = _head(ledger.url)
    with psycopg.connect(ledger.as_fons) as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute("CREATE TEMP TABLE datacontract_ledger (LIKE public.datacontract_ledger)")
        conn.execute("CREATE TEMP TABLE datacontract_ledger_meta (contract text)")
        conn.execute("INSERT INTO pg_temp.datacontract_ledger_meta VALUES ('other')")
        conn.execute("SET search_path = pg_temp, public")
        conn.execute(
            "INSERT INTO public.datacontract_ledger (seq, party, prev, hash, line) "
            "VALUES (%s, %s, %s, %s, %s)",
            _row(_next(ledger.url, contract="other")),  # well made, of another contract
        )
    assert "refuses this row" in str(refused.value), str(refused.value)
    assert "not of the contract" in str(refused.value), str(refused.value)
    assert _head(ledger.url) == before
    assert ledger.send_as_a().code == 0


def test_a_read_waits_a_bounded_time_too(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever lock another session holds (here the owner's, on the whole table), a command
    that reads the ledger gives up after LOCK_WAIT, naming the wait."""
    monkeypatch.setattr(postgres, "LOCK_WAIT", 1.0)
    with psycopg.connect(ledger.url) as owner:
        owner.execute("LOCK TABLE datacontract_ledger IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        run = cli("ledger", "verify", "--ledger", ledger.as_a)
        assert run.code == 2 and "waited 1 s for" in run.stderr, run.everything
        assert time.monotonic() - started < 10
        owner.rollback()
    assert cli("ledger", "verify", "--ledger", ledger.as_a).code == 0


@pytest.mark.parametrize("violation", [None, "insz-in-dataset-4"])
def test_the_guard_takes_every_event_the_program_writes(
    pg_server: Server, tmp_path: Path, violation: str | None
) -> None:
    """The demo's ledger (signed sends, receipts with witnesses, keys, references, makings,
    destructions, milestones; with a violation, findings) copied row by row into a database:
    the guard accepts each line as the program wrote it, and the copy verifies alike."""
    from tests.conftest import run_cli

    extra = ["--violation", violation] if violation else []
    run = run_cli("demo", "--out", tmp_path, "--rows", "20", "--seed", "5", *extra)
    assert run.code in (0, 1), run.everything
    lines = (tmp_path / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 10
    url = pg_server.database()
    contract = json.loads(lines[0])["contract"]
    with psycopg.connect(url) as conn:
        conn.execute(postgres.schema_sql("public"))  # type: ignore[arg-type]
        conn.execute(
            "INSERT INTO datacontract_ledger_meta (contract, version) VALUES (%s, '1')",
            (contract,),
        )
        for line in lines:
            e = json.loads(line)
            conn.execute(INSERT, (e["seq"], e["party"], e["prev"], e["hash"], line))
    kinds = {json.loads(line)["kind"] for line in lines}
    assert {"sent", "received", "milestone"} <= kinds
    here = cli("ledger", "verify", "--ledger", str(tmp_path / "ledger.jsonl"))
    there = cli("ledger", "verify", "--ledger", url)
    assert here.code == there.code == 0, there.everything


def test_the_guard_holds_a_role_to_its_party_without_row_level_security(
    ledger: Ledger, pg_server: Server
) -> None:
    """Row-level security is the second wall: a role given BYPASSRLS, or a table whose RLS was
    switched off, still appends only in its own party's name."""
    bypass = pg_server.party_role(ledger.url, "bypass", party="b")
    pg_server.sql(ledger.url, "ALTER ROLE bypass BYPASSRLS")
    try:
        for url in (bypass, ledger.as_fons):
            if url == ledger.as_fons:
                pg_server.sql(
                    ledger.url, "ALTER TABLE datacontract_ledger DISABLE ROW LEVEL SECURITY"
                )
            with psycopg.connect(url) as conn, pytest.raises(psycopg.Error) as refused:
                conn.execute(INSERT, _row(_next(ledger.url, party="a", receiver="a")))
            assert "may append only in the name of its own party" in str(refused.value)
    finally:
        pg_server.sql(ledger.url, "ALTER TABLE datacontract_ledger ENABLE ROW LEVEL SECURITY")
        pg_server.sql(ledger.url, "ALTER ROLE bypass NOBYPASSRLS")
    assert ledger.send_as_a().code == 0


CHILD = """
import sys
from datacontract.cli.main import main
sys.argv = ["datacontract", *sys.argv[1:]]
main()
"""


def test_a_send_killed_while_it_waits_for_the_lock_leaves_nothing(ledger: Ledger) -> None:
    """Issue 28: `hop send` killed (kill -9) as it waits for the database's lock: the ledger
    has no event of it, and no manifest beside the file names one; the next send works."""
    import signal
    import subprocess
    import sys

    before = _head(ledger.url)
    data = data_file(ledger.folder, "killed.csv")
    args = ["hop", "send", str(data), "--contract", str(ledger.contract), "--hop", "share",
            "--ledger", ledger.as_a, "--key", str(ledger.keys / "a.key")]  # fmt: skip
    with psycopg.connect(ledger.as_fons) as holder:
        holder.execute("SELECT datacontract_ledger_lock()")
        child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stderr=subprocess.PIPE)
        try:
            waiting = False
            deadline = time.monotonic() + 60
            while not waiting and time.monotonic() < deadline and child.poll() is None:
                with psycopg.connect(ledger.url, autocommit=True) as watch:
                    row = watch.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'a' "
                        "AND wait_event_type = 'Lock'"
                    ).fetchone()
                waiting = bool(row and row[0])
                time.sleep(0.1)
            assert waiting, "the child never waited for the lock"
            child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=30) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
            if child.stderr is not None:
                child.stderr.close()
        holder.rollback()
    assert _head(ledger.url) == before
    assert [p.name for p in ledger.folder.iterdir() if p.name.startswith("killed.csv.")] == []
    again = send(ledger.contract, ledger.as_a, data, "--key", ledger.keys / "a.key")
    assert again.code == 0, again.everything
    assert _head(ledger.url)["seq"] == before["seq"] + 1
    assert any(p.name.startswith("killed.csv.") for p in ledger.folder.iterdir())
