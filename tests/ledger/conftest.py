from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.ledger.postgres_server import Server, running


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    with running() as server:
        yield server


@pytest.fixture(params=["file", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger name on each backend, not yet created: a file path, or a fresh database."""
    if request.param == "file":
        return str(tmp_path_factory.mktemp("ledger") / "ledger.jsonl")
    server: Server = request.getfixturevalue("pg_server")
    return server.database()
