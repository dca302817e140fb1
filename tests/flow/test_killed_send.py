"""A send killed (kill -9) after its manifest is written but before the ledger has its event
leaves no manifest beside the file (issue 28): the manifest is staged under a hidden name and
put in place only once the ledger holds the event, so no manifest ever names an event the
ledger lacks. A send refused under the lock leaves none either."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTRACT, Run, run_cli

CHILD = """
import os, signal, sys
from datacontract.ledger import append

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

append._append_line = killed  # the file ledger: killed as it writes the line
from datacontract.cli.main import main
sys.argv = ["datacontract", *sys.argv[1:]]
main()
"""


def _sample(tmp_path: Path) -> Path:
    init = run_cli("ledger", "init", "--ledger", tmp_path / "ledger.jsonl", "--contract", CONTRACT)
    assert init.code == 0, init.everything
    # D3 stap 6: the processor agreement comes before any file reaches the researchers
    agreed = run_cli("milestone", "verwerkersovereenkomst_onderzoekers", "--contract", CONTRACT,
                     "--ledger", tmp_path / "ledger.jsonl", "--at", "2025-01-10T09:00:00+01:00")  # fmt: skip
    assert agreed.code == 0, agreed.everything
    data = tmp_path / "dataset_4.csv"
    made = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "20", "--output", data
    )
    assert made.code == 0, made.everything
    return data


def test_a_send_killed_before_the_ledger_has_its_event_leaves_no_manifest(
    tmp_path: Path,
) -> None:
    data = _sample(tmp_path)
    ledger = tmp_path / "ledger.jsonl"
    args = ("hop", "send", str(data), "--contract", str(CONTRACT), "--hop", "stap6_contact")
    args += ("--ledger", str(ledger), "--at", "2025-03-10T10:00:00+01:00")
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=300
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert not (tmp_path / "dataset_4.csv.manifest.json").exists()
    verified = run_cli("ledger", "verify", "--ledger", ledger)
    assert verified.code == 0 and "1 event" in verified.stdout, verified.everything
    # the send, run again, records the event and only then puts its manifest in place
    again = run_cli(*args)
    assert again.code == 0, again.everything
    assert (tmp_path / "dataset_4.csv.manifest.json").exists()
    assert "2 events" in run_cli("ledger", "verify", "--ledger", ledger).stdout


def _send(data: Path, ledger: Path, at: str) -> Run:
    return run_cli("hop", "send", data, "--contract", CONTRACT, "--hop", "stap6_contact",
                   "--ledger", ledger, "--at", at)  # fmt: skip


def test_a_send_refused_leaves_no_manifest(tmp_path: Path) -> None:
    data = _sample(tmp_path)
    ledger = tmp_path / "ledger.jsonl"
    first = _send(data, ledger, "2025-03-10T10:00:00+01:00")
    assert first.code == 0, first.everything
    (tmp_path / "dataset_4.csv.manifest.json").unlink()
    # an event out of time order is refused under the lock: nothing recorded, no manifest
    late = _send(data, ledger, "2025-03-01T10:00:00+01:00")
    assert late.code != 0
    assert not (tmp_path / "dataset_4.csv.manifest.json").exists()
    assert [p.name for p in tmp_path.iterdir() if "manifest" in p.name] == []
    assert "2 events" in run_cli("ledger", "verify", "--ledger", ledger).stdout
