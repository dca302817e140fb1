"""Both backends, the same scenarios: a JSON Lines file and a PostgreSQL database (a real
server the suite starts itself). Simultaneous senders are all recorded; the database refuses
UPDATE, DELETE and TRUNCATE, and a party's role appends only in its own name."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import psycopg
import pytest
from tests.ledger.postgres_server import Server
from tests.ledger.shared import cli, data_file, receive, send, setup

from datacontract.errors import LedgerError, UsageError
from datacontract.ledger import store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import EventDraft


def _send_one(args: tuple[str, str, str, str]) -> tuple[int, str]:
    contract, ledger, file, key = args
    run = send(Path(contract), ledger, Path(file), "--key", key)
    return run.code, run.everything


@pytest.mark.parametrize("senders", [5, 20])
def test_simultaneous_senders_are_all_recorded(
    tmp_path: Path, ledger_url: str, senders: int
) -> None:
    contract, keys = setup(tmp_path, ledger_url)
    files = [data_file(tmp_path, f"d{n}.csv", rows=n + 1) for n in range(senders)]
    jobs = [(str(contract), ledger_url, str(f), str(keys / "a.key")) for f in files]
    assert cli("validate", files[0], "--contract", contract, "--dataset", "d").code == 0
    # each sender its own fresh process, as each payer's hook is: a process forked from one
    # that has run polars (this one) may deadlock on polars' thread pool, so spawn, never fork
    with multiprocessing.get_context("spawn").Pool(senders) as pool:
        results = pool.map(_send_one, jobs)
    assert [code for code, _ in results] == [0] * senders, [r for r in results if r[0]]
    state = store.read(store.locate(ledger_url))
    assert state.intact and len(state.events) == senders
    assert [e.when for e in state.events] == sorted(e.when for e in state.events)
    assert cli("ledger", "verify", "--ledger", ledger_url, "--keyring", keys).code == 0


def test_the_same_flow_gives_the_same_verdicts_on_both_backends(
    tmp_path: Path, pg_server: Server
) -> None:
    proofs = []
    for backend, ledger in (("file", str(tmp_path / "l.jsonl")), ("pg", pg_server.database())):
        folder = tmp_path / backend
        folder.mkdir()
        contract, keys = setup(folder, ledger)
        for n in range(2):
            f = data_file(folder, f"d{n}.csv")
            at = f"2025-01-0{n + 1}T10:00:00+01:00"
            assert send(contract, ledger, f, "--key", keys / "a.key", "--at", at).code == 0
            at = f"2025-01-0{n + 1}T11:00:00+01:00"
            r = receive(contract, ledger, f, "--key", keys / "b.key", "--keyring", keys, "--at", at)
            assert r.code == 0, r.everything
        cp = folder / "cp"
        cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key", "--output", cp)
        run = cli("prove", "--contract", contract, "--ledger", ledger, "--keyring", keys,
                  "--checkpoint", cp, "--format", "json", "--at", "2025-02-01T00:00:00+01:00")  # fmt: skip
        assert run.code == 0, run.everything
        proof = json.loads(run.stdout)
        proofs.append(([(v["invariant"], v["holds"]) for v in proof["verdicts"]], proof["events"]))
    assert proofs[0] == proofs[1]


def test_a_missing_database_ledger_is_exit_2(tmp_path: Path, pg_server: Server) -> None:
    url = pg_server.database()  # a database without a ledger in it
    contract, keys = setup(tmp_path, str(tmp_path / "other.jsonl"))
    run = send(contract, url, data_file(tmp_path, "d.csv"), "--key", keys / "a.key")
    assert run.code == 2 and "no ledger in this database" in run.stderr
    assert not store.exists(url)
    again = cli("ledger", "init", "--ledger", url, "--contract", contract)
    assert again.code == 0
    assert cli("ledger", "init", "--ledger", url, "--contract", contract).code == 2


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE datacontract_ledger SET party = 'b'",
        "DELETE FROM datacontract_ledger",
        "TRUNCATE datacontract_ledger",
        "UPDATE datacontract_ledger_meta SET contract = 'x'",
    ],
)
def test_the_database_refuses_to_rewrite_history(
    tmp_path: Path, pg_server: Server, statement: str
) -> None:
    url = pg_server.database()
    contract, keys = setup(tmp_path, url)
    assert send(contract, url, data_file(tmp_path, "d.csv"), "--key", keys / "a.key").code == 0
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        pg_server.sql(url, statement)  # even the owner
    assert len(store.read(url).events) == 1


def test_a_partys_role_appends_only_in_its_own_name(tmp_path: Path, pg_server: Server) -> None:
    url = pg_server.database()
    contract, keys = setup(tmp_path, url)
    as_a, as_b = (pg_server.party_role(url, party) for party in ("a", "b"))
    f = data_file(tmp_path, "d.csv")
    assert send(contract, as_a, f, "--key", keys / "a.key").code == 0
    # b's role cannot append a's event, even with a's key
    g = data_file(tmp_path, "e.csv")
    run = send(contract, as_b, g, "--key", keys / "a.key")
    assert run.code == 2 and "row-level security" in run.stderr
    assert run.stderr.count("\n") <= 2  # a message, not a traceback
    # nor rewrite it
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        pg_server.sql(as_b, "UPDATE datacontract_ledger SET party = 'b'")
    # nor insert a row that is not an event, bypassing this program (test_postgres_guard.py)
    with pytest.raises(psycopg.errors.RaiseException, match="lacks a field"):
        pg_server.sql(
            as_b,
            "INSERT INTO datacontract_ledger (seq, party, prev, hash, line) "
            f"VALUES (7, 'b', '{'0' * 64}', '{'1' * 64}', '{{}}')",
        )
    r = receive(contract, as_b, f, "--key", keys / "b.key", "--keyring", keys)
    assert r.code == 0, r.everything
    assert cli("ledger", "verify", "--ledger", url, "--keyring", keys).code == 0


@pytest.mark.parametrize("attack", ["cut", "emptied", "rewritten", "forged"])
def test_a_superuser_rewrite_is_caught_by_checkpoint_or_signature(
    tmp_path: Path, pg_server: Server, attack: str
) -> None:
    """The database's superuser can disable the triggers and rewrite the table; what the
    parties keep (a checkpoint, their keys) still catches it."""
    from tests.ledger.shared import rehashed

    url = pg_server.database()
    contract, keys = setup(tmp_path, url)
    for n in range(2):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, url, f, "--key", keys / "a.key").code == 0
        assert receive(contract, url, f, "--key", keys / "b.key", "--keyring", keys).code == 0
    cp = tmp_path / "head.checkpoint"
    cli("ledger", "checkpoint", "--ledger", url, "--key", keys / "a.key", "--output", cp)
    with psycopg.connect(url) as conn:
        lines = [r[0].encode() + b"\n" for r in conn.execute(
            "SELECT line FROM datacontract_ledger ORDER BY seq")]  # fmt: skip
    lines = {
        "cut": lines[:2],
        "emptied": [],
        "rewritten": rehashed(lines, 1, rows=50),
        "forged": rehashed(lines, 3, rows=50),
    }[attack]
    with psycopg.connect(url) as conn:
        conn.execute("ALTER TABLE datacontract_ledger DISABLE TRIGGER USER")
        conn.execute("DELETE FROM datacontract_ledger")
        for raw in lines:
            e = json.loads(raw)
            conn.execute(
                "INSERT INTO datacontract_ledger (seq, party, prev, hash, line) "
                "VALUES (%s, %s, %s, %s, %s)",
                (e["seq"], e["party"], e["prev"], e["hash"], raw.decode().rstrip("\n")),
            )
        conn.execute("ALTER TABLE datacontract_ledger ENABLE TRIGGER USER")
    if attack == "forged":
        with_cp = cli("ledger", "verify", "--ledger", url, "--checkpoint", tmp_path / "none")
        assert with_cp.code == 2  # (a missing checkpoint file is unusable input)
        run = cli("ledger", "verify", "--ledger", url, "--keyring", keys)
        assert run.code == 1 and "seq 3" in run.stderr
    else:
        run = cli("ledger", "verify", "--ledger", url, "--checkpoint", cp)
        assert run.code == 1 and "head.checkpoint" in run.stderr, run.everything
    proof = cli("prove", "--contract", contract, "--ledger", url, "--keyring", keys,
                "--checkpoint", cp)  # fmt: skip
    assert proof.code == 1


# --- the registry: one interface, chosen by the scheme of --ledger ---------------------------

SECRET = "pw-not-to-be-shown"
# Every command that takes --ledger, with what else it needs to reach the ledger.
LEDGER_COMMANDS = {
    "hop send": lambda c, f, k: ["hop", "send", f, "--contract", c, "--hop", "share"],
    "hop receive": lambda c, f, k: ["hop", "receive", f, "--contract", c, "--hop", "share"],
    "destroy": lambda c, f, k: ["destroy", "--contract", c, "--party", "a", "--dataset", "d"],
    "made": lambda c, f, k: ["made", "--contract", c, "--party", "a", "--dataset", "d"],
    "milestone": lambda c, f, k: ["milestone", "done", "--contract", c],
    "prove": lambda c, f, k: ["prove", "--contract", c],
    "ledger init": lambda c, f, k: ["ledger", "init", "--contract", c],
    "ledger verify": lambda c, f, k: ["ledger", "verify"],
    "ledger checkpoint": lambda c, f, k: ["ledger", "checkpoint", "--key", k],
    "ledger repair": lambda c, f, k: ["ledger", "repair"],
    "lineage export": lambda c, f, k: ["lineage", "export", "--contract", c],
}


def test_each_scheme_chooses_its_backend(tmp_path: Path) -> None:
    plain = store.locate(str(tmp_path / "l.jsonl"))
    assert plain.name == str(tmp_path / "l.jsonl") and not plain.atomic
    assert store.locate(f"file://{tmp_path}/l.jsonl").name == str(tmp_path / "l.jsonl")
    assert store.locate(tmp_path / "l.jsonl").name == str(tmp_path / "l.jsonl")
    for scheme in ("postgresql", "postgres", "POSTGRESQL"):
        backend = store.locate(f"{scheme}://owner:{SECRET}@db.example/ledger")
        assert backend.atomic
        said = f"{backend.name} {backend!r} {backend!s}"
        assert SECRET not in said and "db.example" in backend.name
    assert store.locate(plain) is plain  # a backend is itself


def test_every_registered_backend_has_the_whole_interface(tmp_path: Path) -> None:
    members = {n for n in dir(store.LedgerBackend) if not n.startswith("_")} | {"name", "atomic"}
    for scheme, make in store.BACKENDS.items():
        where = str(tmp_path / "l.jsonl") if scheme == "file" else f"{scheme}://u@h/db"
        backend = make(where)
        missing = {m for m in members if not hasattr(backend, m)}
        assert missing == set(), scheme


@pytest.mark.parametrize(
    "name", [f"mysql://u:{SECRET}@h/db", f"postgresq://u:{SECRET}@h/db", "s3://bucket/ledger"]
)
def test_an_unknown_scheme_is_a_usage_error_naming_the_known_ones(name: str) -> None:
    with pytest.raises(UsageError) as refused:
        store.locate(name)
    message = str(refused.value)
    assert all(f"{s}://" in message for s in store.BACKENDS), message
    assert SECRET not in message
    if name.startswith("postgresq:"):
        assert "did you mean postgresql://" in message


@pytest.mark.parametrize("command", sorted(LEDGER_COMMANDS))
def test_every_command_refuses_an_unknown_scheme_with_exit_2(tmp_path: Path, command: str) -> None:
    contract, keys = setup(tmp_path, str(tmp_path / "real.jsonl"))
    args = LEDGER_COMMANDS[command](contract, data_file(tmp_path, "d.csv"), keys / "a.key")
    run = cli(*args, "--ledger", f"mysql://u:{SECRET}@h/db")
    assert run.code == 2, run.everything
    assert "postgresql://" in run.stderr and "file://" in run.stderr
    assert SECRET not in run.everything


def test_ledger_has_one_help_everywhere() -> None:
    said = (
        "--ledger LEDGER The ledger: a JSON Lines file (a path or file://) or a postgresql:// URL."
    )
    for command in LEDGER_COMMANDS:
        text = " ".join(cli(*command.split(), "--help").stdout.split())
        assert said in text, command


def test_the_interface_works_alike_on_every_backend(tmp_path: Path, ledger_url: str) -> None:
    backend = store.locate(ledger_url)
    assert not backend.exists()
    backend.init("mini", "1")
    assert backend.exists() and backend.read().events == ()
    assert backend.bound_contract() in ("", "mini")  # a file is bound by its first event
    with pytest.raises(LedgerError):
        backend.init("mini", "1")
    draft = EventDraft(
        time="2025-01-01T10:00:00+01:00",
        kind="milestone",
        contract="mini",
        contract_version="1",
        party="b",
        milestone="done",
    )
    event = backend.append(draft, Appending())
    state = backend.read()
    assert state.intact and [e.hash for e in state.events] == [event.hash]
    assert backend.bound_contract() == "mini"
    assert backend.torn_tail(state) is None and backend.repair() is None
