"""`make bench`, the prove half (issue 26.4): prove in full and from a checkpoint's state, and
PostgreSQL append latency as the ledger grows. Figures, never limits.

- prove over a generated ledger of the adequacy contract (each delivery sent, received and,
  five deliveries later, destroyed by its payer: a ledger whose live state stays small, as a
  ledger under a retention term does): the whole `datacontract prove` process in full, and
  from the state of a checkpoint made at 99% of the events (`ledger checkpoint --state`, then
  `prove --checkpoint CP --from-state S`); wall time, CPU time and peak memory of each, and
  the bare chain check (json + sha256 per line) as the floor of any full read;
- PostgreSQL: the latency of one append (a connection, the lock, the head row, INSERT,
  COMMIT: what a hook pays, without its flow check) on a ledger of 10,000 events and of a
  larger one, loaded by COPY through the same triggers.

Entry point: run(quick) -> list[Row] (benchmarks/run.py prints each Row's line()); or
`python benchmarks/prove_bench.py [--quick] [EVENTS ...]`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ledger_bench import CHAIN, copy_into

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"
CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
BIN = Path(sys.executable).parent
AT = "2026-01-01T00:00:00+01:00"


@dataclass(frozen=True)
class Row:
    """One figure: what was measured, wall and CPU seconds, peak memory (MiB; 0 when not
    measured), and a note (the target, the ratio)."""

    name: str
    seconds: float
    cpu: float = 0.0
    peak_mib: float = 0.0
    note: str = ""

    def line(self) -> str:
        cpu = f", CPU {self.cpu:.1f} s" if self.cpu else ""
        peak = f", {self.peak_mib:.0f} MiB peak" if self.peak_mib else ""
        note = f" ({self.note})" if self.note else ""
        took = f"{self.seconds * 1000:.1f} ms" if self.seconds < 1 else f"{self.seconds:.2f} s"
        return f"- {self.name}: {took}{cpu}{peak}{note}"


LEDGER = """
import hashlib, sys
from datetime import datetime, timedelta, timezone
from datacontract.ledger.chain import canonical_json
n, path = int(sys.argv[1]), sys.argv[2]
payers = ["fons", "kidslife", "infino", "myfamily", "parentia"]
start = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=1)))
prev = "0" * 64
seq = 0
def write(out, body):
    global prev, seq
    body.update({"contract": "groeipakket-toereikendheid-2025", "contract_version": "1.0.0",
                 "violation": False, "findings": [], "prev": prev, "milestone": None,
                 "seq": seq, "time": (start + timedelta(seconds=seq)).isoformat()})
    body["hash"] = hashlib.sha256(canonical_json(body).encode()).hexdigest()
    prev = body["hash"]
    out.write(canonical_json(body) + "\\n")
with open(path, "w", encoding="utf-8") as out:
    i = 0
    while seq < n:
        payer, sha = payers[i % 5], hashlib.sha256(str(i).encode()).hexdigest()
        for kind in ("sent", "received", "destroyed"):
            if seq >= n:
                break
            seq += 1
            if kind == "destroyed":
                if i < 5:
                    seq -= 1
                    continue
                old = i - 5
                write(out, {"kind": kind, "party": payers[old % 5], "dataset": "dataset_1",
                            "hop": None, "sender": None, "receiver": None, "rows": None,
                            "sha256": hashlib.sha256(str(old).encode()).hexdigest()})
            else:
                write(out, {"kind": kind, "party": "opgroeien_it" if kind == "sent" else payer,
                            "dataset": "dataset_1", "hop": "stap3", "sender": "opgroeien_it",
                            "receiver": payer, "sha256": sha, "rows": 10})
        i += 1
"""


@dataclass(frozen=True)
class Measured:
    seconds: float
    cpu: float
    peak_mib: float
    out: str


def measured(argv: list[str], ok: tuple[int, ...] = (0, 1)) -> Measured:
    """Wall time, CPU time (user + system) and peak RSS of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code not in ok:
        raise SystemExit(f"command failed ({code}): {' '.join(argv)}\n{err.decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, cpu, usage.ru_maxrss / 1024, out.decode(errors="replace"))


def ledger(events: int) -> Path:
    """The generated ledger of `events` events (cached in .bench-cache)."""
    path = CACHE / f"prove-{events}.jsonl"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-c", LEDGER, str(events), str(path)], check=True)
    return path


def _dc(*args: str | Path) -> list[str]:
    return [str(BIN / "datacontract"), *(str(a) for a in args)]


def prove_rows(events: int) -> list[Row]:
    """prove in full, from a state at 99%, making that state, and the bare chain check."""
    full, out = full_rows(events)
    return out + state_rows(events, full)


def full_rows(events: int) -> tuple[float, list[Row]]:
    """prove in full (its wall seconds, and the rows), and the bare chain check."""
    whole = ledger(events)
    out: list[Row] = []
    full = measured(
        _dc("prove", "--contract", CONTRACT, "--ledger", whole, "--at", AT, "--format", "json")
    )
    # the text proof lists no holding: what a read in chunks (flow/state_stream.py) holds
    # beside the proof's state
    text = measured(
        _dc("prove", "--contract", CONTRACT, "--ledger", whole, "--at", AT, "--format", "text")
    )
    chain = measured([sys.executable, "-c", CHAIN, str(whole)])
    for fmt, took in (("JSON", full), ("text", text)):
        target = "met" if took.seconds < 10 and took.peak_mib < 300 else "missed"
        out.append(
            Row(
                f"prove {events:,} events in full ({fmt})",
                took.seconds,
                took.cpu,
                took.peak_mib,
                f"{target} target < 10 s and < 300 MiB; {took.seconds / chain.seconds:.2f}× "
                "the bare chain check",
            )
        )
    out.append(
        Row(f"bare chain check, {events:,} events", chain.seconds, chain.cpu, chain.peak_mib)
    )
    return full.seconds, out


def state_rows(events: int, full_seconds: float | None = None) -> list[Row]:
    """Make a proof's state at 99% of the events, then prove from it."""
    whole = ledger(events)
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        from datacontract.ledger.keys import new_keys

        new_keys("auditor", Path(tmp))
        cut = events * 99 // 100
        part = Path(tmp) / "ledger.jsonl"
        with open(whole, "rb") as source, open(part, "wb") as sink:
            for _ in range(cut):
                sink.write(source.readline())
        cp, state = Path(tmp) / "cp", Path(tmp) / "state.json"
        made = measured(
            _dc("ledger", "checkpoint", "--ledger", part, "--key", Path(tmp) / "auditor.key",
                "--contract", CONTRACT, "--state", state, "--output", cp)
        )  # fmt: skip
        out.append(
            Row(
                f"ledger checkpoint --state at {cut:,} events",
                made.seconds,
                made.cpu,
                made.peak_mib,
                f"state {state.stat().st_size / 1024:.0f} KiB",
            )
        )
        with open(whole, "rb") as source, open(part, "ab") as sink:
            for _ in range(cut):
                source.readline()
            sink.write(source.read())
        resumed = measured(
            _dc("prove", "--contract", CONTRACT, "--ledger", part, "--checkpoint", cp,
                "--from-state", state, "--at", AT, "--format", "json")
        )  # fmt: skip
        how = "from the state" if '"from_state"' in resumed.out else "READ IN FULL (fallback)"
        met = "met" if resumed.seconds < 1 else "missed"
        faster = (
            f"; {full_seconds / resumed.seconds:.1f}× faster than in full" if full_seconds else ""
        )
        out.append(
            Row(
                f"prove {events:,} events from a checkpoint at 99% ({how})",
                resumed.seconds,
                resumed.cpu,
                resumed.peak_mib,
                f"{met} target < 1 s{faster}",
            )
        )
    return out


def _append_once(url: str, i: int) -> float:
    """Seconds of one append without a flow check (a new connection, as a hook makes)."""
    from datacontract.ledger import store
    from datacontract.ledger.append import Appending
    from datacontract.ledger.chain import EventDraft

    draft = EventDraft(
        time=AT, kind="destroyed", contract="groeipakket-toereikendheid-2025",
        contract_version="1.0.0", party="fons", dataset="dataset_1", sha256=f"{i:064x}",
    )  # fmt: skip
    start = time.perf_counter()
    store.append(url, draft, Appending(stamp=True))
    return time.perf_counter() - start


def postgres_rows(sizes: list[int], rounds: int = 40) -> list[Row]:
    """Append latency on PostgreSQL ledgers of each size (the first is the reference): every
    ledger loaded first, then one append to each in turn, `rounds` times, so that the load of
    a shared machine falls on all sizes alike; the median of each."""
    sys.path.insert(0, str(ROOT))
    from tests.ledger.postgres_server import running

    out: list[Row] = []
    with running() as server:
        urls, loading = [], []
        for n in sizes:
            url = server.database()
            start = time.perf_counter()
            copy_into(url, ledger(n))
            loading.append(time.perf_counter() - start)
            urls.append(url)
        times: list[list[float]] = [[] for _ in sizes]
        for i in range(rounds):
            for k, url in enumerate(urls):
                times[k].append(_append_once(url, i))
        first = statistics.median(times[0])
        for n, took, loaded in zip(sizes, times, loading, strict=True):
            latency = statistics.median(took)
            out.append(
                Row(
                    f"PostgreSQL append latency at {n:,} events (median of {rounds})",
                    latency,
                    note=f"{latency / first:.2f}× that at {sizes[0]:,}; target ≤ 1.5×; "
                    f"loaded by COPY in {loaded:.0f} s",
                )
            )
    return out


def run(quick: bool) -> list[Row]:
    """Every figure of the prove half: quick = 100,000 events and PostgreSQL at 10,000 and
    100,000; else 1,000,000 (and 10,000,000 with DATACONTRACT_BENCH_10M=1) and PostgreSQL at
    10,000 and 1,000,000."""
    sizes = [100_000] if quick else [1_000_000]
    if not quick and os.environ.get("DATACONTRACT_BENCH_10M"):
        sizes.append(10_000_000)
    rows = [row for n in sizes for row in prove_rows(n)]
    rows += postgres_rows([10_000, 100_000] if quick else [10_000, 100_000, 1_000_000])
    return rows


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--quick", "--state-only", "--postgres")]
    if "--postgres" in sys.argv:
        for row in postgres_rows([int(n) for n in args]):
            print(row.line(), flush=True)
    elif "--state-only" in sys.argv:
        for row in [r for n in args for r in state_rows(int(n))]:
            print(row.line(), flush=True)
    elif args:
        for row in [r for n in args for r in prove_rows(int(n))]:
            print(row.line(), flush=True)
    else:
        for row in run("--quick" in sys.argv):
            print(row.line(), flush=True)
