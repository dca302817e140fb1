"""A real PostgreSQL server for the tests, started in a temporary directory (Debian's
`postgresql` package, which `make` installs when missing): a unix socket, no TCP, trust
authentication, fsync off. As root the server runs as the unprivileged user `nobody`, as
PostgreSQL requires. CI runs these tests; a missing server binary is a failure, not a skip."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(f"{name} not found: `make` installs Debian's postgresql package")
    return found


class Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.folder}&user={user}"

    def database(self) -> str:
        """A fresh, empty database; its URL (as the superuser that operates the ledger)."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return self.url(name)

    def party_role(self, url: str, role: str, party: str | None = None) -> str:
        """A login role that appends for a party (its own name, or mapped to party) with the
        grants docs/ledger.md gives; the URL of url's database as that role."""
        self.role(url, role)
        self.sql(url, f'GRANT SELECT, INSERT ON datacontract_ledger TO "{role}"')
        self.sql(url, f'GRANT SELECT ON datacontract_ledger_meta TO "{role}"')
        if party is not None:
            self.sql(url, f"INSERT INTO datacontract_ledger_roles VALUES ('{role}', '{party}')")
        return url.replace("user=postgres", f"user={role}")

    def role(self, url: str, role: str) -> str:
        """A login role of the cluster (made once: roles are shared by every database), with no
        grant in url's database; the URL of that database as the role."""
        self.sql(url, f"DO $$ BEGIN CREATE ROLE \"{role}\" LOGIN; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$")  # fmt: skip
        return url.replace("user=postgres", f"user={role}")

    def sql(self, url: str, statement: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]


@contextmanager
def running() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="dc-pg-", dir="/tmp"))
    as_root = os.geteuid() == 0
    run_as: dict[str, str] = {"user": "nobody"} if as_root else {}
    if as_root:
        os.chmod(folder, 0o755)
        shutil.chown(folder, user="nobody")
    data = folder / "data"
    try:
        subprocess.run(
            [_binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--no-sync"],
            check=True, capture_output=True, cwd=folder, **run_as,  # type: ignore[arg-type]
        )  # fmt: skip
        subprocess.run(
            [_binary("pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
             f"-k {folder} -c listen_addresses='' -F -c max_connections=100", "start"],
            check=True, capture_output=True, cwd=folder, **run_as,  # type: ignore[arg-type]
        )  # fmt: skip
        yield Server(folder)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True, cwd=folder, **run_as,  # type: ignore[arg-type]
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
