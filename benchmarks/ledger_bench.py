"""`make bench`, the shared ledger: append throughput and prove time on both backends.

Appends go through ledger.store.append (the hooks' own path: lock, chain check, Ed25519
signature, fsync or COMMIT) in one process; prove is the whole `datacontract prove` process
over the same generated ledger, once as a JSON Lines file and once loaded into PostgreSQL (a
server started in a temporary directory, as the tests do). Figures, never limits.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _appends(ledger: str, count: int) -> float:
    """Events per second appended to a fresh ledger, signed, one after the other."""
    from datacontract.ledger import store
    from datacontract.ledger.append import Appending
    from datacontract.ledger.chain import EventDraft
    from datacontract.ledger.keys import load_signer, new_keys

    where = store.locate(ledger)
    store.init(where, "bench", "1")
    with tempfile.TemporaryDirectory() as keys:
        new_keys("a", Path(keys))
        how = Appending(stamp=True, signer=load_signer(Path(keys) / "a.key"))
        start = time.perf_counter()
        for i in range(count):
            draft = EventDraft(
                time="2025-01-01T00:00:00+01:00",
                kind="made",
                contract="bench",
                contract_version="1",
                party="a",
                dataset=f"d{i % 7}",
            )
            store.append(where, draft, how)
        return count / (time.perf_counter() - start)


# The least a chain check can do: parse every line and hash it again.
CHAIN = """
import hashlib, json, sys
prev = "0" * 64
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line)
    digest = event.pop("hash")
    body = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event["prev"] == prev and hashlib.sha256(body.encode()).hexdigest() == digest
    prev = digest
"""


def copy_into(url: str, ledger: Path) -> None:
    """Load a generated ledger's lines into a PostgreSQL ledger (the COPY an operator would
    run to migrate a file; the triggers check every row all the same)."""
    import json

    import psycopg

    from datacontract.ledger import store

    store.init(url, "groeipakket-toereikendheid-2025", "1.0.0")
    copy = "COPY datacontract_ledger (seq, party, prev, hash, line) FROM STDIN"
    with (
        psycopg.connect(url) as conn,
        conn.cursor() as cur,
        cur.copy(copy) as cp,
        open(ledger, encoding="utf-8") as lines,
    ):
        for line in lines:
            e = json.loads(line)
            cp.write_row((e["seq"], e["party"], e["prev"], e["hash"], line.rstrip("\n")))


def ledger_figures(
    generated: Callable[[int], Path], prove_cmd: Callable[[str], list[str]], events: int
) -> list[str]:
    """Append throughput (signed) and prove time, file and PostgreSQL."""
    from tests.ledger.postgres_server import running

    out = []
    with running() as server, tempfile.TemporaryDirectory() as tmp:
        n = 300
        file_rate = _appends(str(Path(tmp) / "a.jsonl"), n)
        pg_rate = _appends(server.database(), n)
        out.append(
            f"- signed appends, one writer, {n} events: file {file_rate:.0f}/s (lock, fsync), "
            f"PostgreSQL {pg_rate:.0f}/s (a connection per append, as each hook call makes; "
            "advisory lock, COMMIT; fsync off in this bench server)"
        )
        ledger = generated(events)
        url = server.database()
        copy_into(url, ledger)
        timings = {}
        for name, where in (("file", str(ledger)), ("PostgreSQL", url)):
            start = time.perf_counter()
            subprocess.run(prove_cmd(where), check=False, capture_output=True)
            timings[name] = time.perf_counter() - start
        out.append(
            f"- prove over {events:,} events: file {timings['file']:.1f} s, PostgreSQL "
            f"{timings['PostgreSQL']:.1f} s ({timings['PostgreSQL'] / timings['file']:.2f}×: "
            "the same Chain reads the lines the database returns)"
        )
    return out
