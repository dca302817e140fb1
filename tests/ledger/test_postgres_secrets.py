"""A PostgreSQL ledger's URL (issues 23 and 28): a password in it, wherever it is written, is
printed by no command in no format; a malformed URL is exit 2 with a message that repeats
nothing of it; and libpq's own ways to give a password (PGPASSWORD, a password file, a service
file) work, so that no one needs to put one on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import psycopg
import pytest
from tests.ledger.postgres_server import Server
from tests.ledger.shared import cli, data_file, receive, send, setup
from tests.ledger.test_backends import LEDGER_COMMANDS

from datacontract.errors import UsageError
from datacontract.ledger import pg_url, store

SECRET = "Pw-9f3e-never-shown"


def _with_password(url: str, where: str) -> str:
    """The test server's URL (postgresql:///DB?host=...&user=postgres) with SECRET in it."""
    if where == "userinfo":
        return url.replace("postgresql:///", f"postgresql://postgres:{SECRET}@/")
    if where == "query":
        return url + f"&password={SECRET}"
    assert where == "encoded"  # percent-encoded, and a character that needs it
    return url + "&password=" + SECRET.replace("-", "%2D") + "%25"


@pytest.mark.parametrize("where", ["userinfo", "query", "encoded"])
def test_a_password_in_the_url_is_printed_by_no_command(
    tmp_path: Path, pg_server: Server, where: str
) -> None:
    url = _with_password(pg_server.database(), where)
    contract, keys = setup(tmp_path, url)
    f = data_file(tmp_path, "d.csv")
    runs = [
        send(contract, url, f, "--key", keys / "a.key"),
        receive(contract, url, f, "--key", keys / "b.key", "--keyring", keys),
        cli("milestone", "done", "--contract", contract, "--ledger", url, "--key", keys / "b.key"),
        cli(
            "destroy",
            "--contract",
            contract,
            "--ledger",
            url,
            "--party",
            "b",
            "--dataset",
            "d",
            "--key",
            keys / "b.key",
        ),
        cli("ledger", "init", "--ledger", url, "--contract", contract),  # exists: refused
        cli("ledger", "verify", "--ledger", url, "--keyring", keys),
        cli("ledger", "verify", "--ledger", url, "--format", "json"),
        cli(
            "ledger",
            "checkpoint",
            "--ledger",
            url,
            "--key",
            keys / "a.key",
            "--output",
            tmp_path / "cp",
        ),
        cli("ledger", "repair", "--ledger", url),
        cli("lineage", "export", "--ledger", url, "--contract", contract),
    ]
    for fmt in ("text", "json", "html"):
        out = tmp_path / f"proof.{fmt}"
        runs.append(cli("prove", "--contract", contract, "--ledger", url, "--keyring", keys,
                        "--format", fmt, "--output", out))  # fmt: skip
        runs.append(cli("prove", "--contract", contract, "--ledger", url, "--format", fmt))
        if fmt == "json":
            proof = json.loads(runs[-1].stdout)  # the published JSON proof
            assert "postgres" in proof["ledger"] and SECRET not in json.dumps(proof)
        assert SECRET not in out.read_text(encoding="utf-8")
    # and when the server says no: another database, another role
    for wrong in (url.replace("?host", "x?host"), url.replace("user=postgres", "user=nobody9")):
        runs.append(cli("ledger", "verify", "--ledger", wrong))
        assert runs[-1].code == 2
    assert [r.code for r in runs[:4]] == [0, 0, 0, 0], [r.everything for r in runs[:4]]
    for written in tmp_path.rglob("*"):  # manifests, checkpoints, proofs: no file holds it
        if written.is_file():
            assert SECRET.encode() not in written.read_bytes(), written.name
    for run in runs:
        assert SECRET not in run.everything and SECRET.replace("-", "%2D") not in run.everything
        assert "Traceback" not in run.everything


MALFORMED = {
    "an unclosed IPv6 host": f"postgresql://u:{SECRET}@[::1/db",
    "an unclosed IPv6 host, no path": f"postgresql://u:{SECRET}@[::1",
    "a port too large": f"postgresql://u:{SECRET}@h:99999/db",
    "a port of zero": f"postgresql://u:{SECRET}@h:0/db",
    "a port that is no number": f"postgresql://u:{SECRET}@h:port/db",
    "a second port that is no number": f"postgresql://u:{SECRET}@h:1,g:x/db",
    "a port as a parameter": f"postgresql://u:{SECRET}@h/db?port=-1",
    "a bogus sslmode": f"postgresql://u:{SECRET}@h/db?sslmode=bogus",
    "a bogus target_session_attrs": f"postgresql://u:{SECRET}@h/db?target_session_attrs=x",
    "a connect_timeout no number": f"postgresql://u:{SECRET}@h/db?connect_timeout=soon",
    "a stray % in the password": f"postgresql://u:{SECRET}%@h/db",
    "a bad %XX in the password": f"postgresql://u:{SECRET}%zz@h/db",
    "a stray % in ?password=": f"postgresql://h/db?password={SECRET}%",
    "a misspelt parameter": f"postgresql://h/db?passwd={SECRET}",
    "a / in the password": f"postgresql://u:pa/{SECRET}@h/db",
    "a / first in the password": f"postgresql://u:/{SECRET}@h/db",
}


def test_every_command_refuses_a_malformed_url_with_exit_2(tmp_path: Path) -> None:
    contract, keys = setup(tmp_path, str(tmp_path / "real.jsonl"))
    f = data_file(tmp_path, "d.csv")
    for case, url in MALFORMED.items():
        with pytest.raises(UsageError) as refused:
            store.locate(url)
        assert SECRET not in str(refused.value), case
        for command in sorted(LEDGER_COMMANDS):
            args = LEDGER_COMMANDS[command](contract, f, keys / "a.key")
            run = cli(*args, "--ledger", url)
            assert run.code == 2, (case, command, run.everything)
            assert "not a usable postgresql:// URL" in run.stderr, (case, command, run.stderr)
            assert SECRET not in run.everything, (case, command)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql://fons:{SECRET}@db.example:5433/ledger?sslmode=verify-full",
         "postgresql://fons@db.example:5433/ledger?sslmode=verify-full"),
        (f"postgres://db.example/ledger?user=fons&password={SECRET}&application_name=x",
         "postgresql://fons@db.example/ledger?application_name=x"),
        (f"postgresql://[::1]:5432/l?sslpassword={SECRET}&options=-c%20x%3D{SECRET}",
         "postgresql://[::1]:5432/l"),
        ("postgresql://?service=ledger", "postgresql://?service=ledger"),
        ("postgresql://", "postgresql://"),
        ("postgresql://u@h1:5433,h2/l", "postgresql://u@/l?host=h1,h2&port=5433,"),
    ],
)  # fmt: skip
def test_the_ledgers_name_is_built_from_an_allow_list(url: str, shown: str) -> None:
    assert pg_url.public_url(url) == shown
    assert store.locate(url).name == shown


def test_a_servers_message_keeps_only_the_quoted_names_it_was_given() -> None:
    url = f"postgresql://fons:{SECRET}@h/ledger"
    said = pg_url.scrubbed(f'role "fons" on "ledger": "{SECRET}" and "other", \'h\' \'x\'', url)
    assert said == 'role "fons" on "ledger": "…" and "…", \'h\' \'…\''


def _password_role(pg_server: Server, url: str) -> str:
    """A role that must give its password (scram-sha-256): the server's other roles trust."""
    data = pg_server.folder / "data"
    hba = data / "pg_hba.conf"
    line = "local all pwrole scram-sha-256\n"
    text = hba.read_text()
    if line not in text:
        hba.write_text(line + text)
    pg_server.sql(url, f"ALTER ROLE pwrole PASSWORD '{SECRET}'")
    pg_server.sql(url, "SELECT pg_reload_conf()")
    return url.replace("user=postgres", "user=pwrole")


def test_libpqs_own_ways_to_give_a_password_work(
    tmp_path: Path, pg_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_server.database()
    contract, keys = setup(tmp_path, url)
    pg_server.party_role(url, "pwrole")
    as_pw = _password_role(pg_server, url)
    for name in ("PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # not the machine's ~/.pgpass
    refused = cli("ledger", "verify", "--ledger", as_pw)
    assert refused.code == 2 and "password" in refused.stderr, refused.everything
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(as_pw).close()
    # PGPASSWORD
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert cli("ledger", "verify", "--ledger", as_pw).code == 0
    monkeypatch.delenv("PGPASSWORD")
    # a password file
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:pwrole:{SECRET}\n")
    os.chmod(passfile, 0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    # connected with the file's password: what stops a's event now is pwrole's party, not auth
    run = send(contract, as_pw, data_file(tmp_path, "d.csv"), "--key", keys / "a.key")
    assert run.code == 2 and "row-level security" in run.stderr, run.everything
    run = cli("ledger", "verify", "--ledger", as_pw)
    assert run.code == 0, run.everything
    # a service file: the URL names only the service
    services = tmp_path / "services.conf"
    database = url.split("///")[1].split("?")[0]
    services.write_text(
        f"[ledger]\nhost={pg_server.folder}\ndbname={database}\nuser=pwrole\n", encoding="utf-8"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    run = cli("ledger", "verify", "--ledger", "postgresql://?service=ledger")
    assert run.code == 0 and "service=ledger" in run.stdout, run.everything
    monkeypatch.setenv("PGSERVICE", "ledger")
    run = cli("ledger", "verify", "--ledger", "postgresql://")
    assert run.code == 0, run.everything
    assert all(SECRET not in r.everything for r in (refused, run))
