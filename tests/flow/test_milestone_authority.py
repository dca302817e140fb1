"""The red team's first attack (issue 23): a party records a milestone the contract gives to
another, then data travel that the milestone would allow. The proof must show a breach of
ledger_intact naming the article, and the transfer the forged milestone opened, not PROVED."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli
from tests.ledger.shared import rehashed

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "contracts/groeipakket-toereikendheid-2025.yaml"
HONEST = ROOT / "tests/fixtures/flows/honest/ledger.jsonl"
AT = "2025-12-31T12:00:00+01:00"


def _prove(ledger: Path) -> tuple[int, Any]:
    run = run_cli(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT, "--format", "json"
    )
    assert "Traceback" not in run.everything and "internal error" not in run.everything
    return run.code, json.loads(run.stdout)


def _milestone_seq(lines: list[bytes], name: str) -> int:
    return next(json.loads(ln)["seq"] for ln in lines if json.loads(ln).get("milestone") == name)


def test_the_honest_ledger_still_proves() -> None:
    code, proof = _prove(HONEST)
    assert code == 0 and proof["holds"] is True


def test_a_milestone_recorded_by_a_party_it_is_not_given_to_does_not_open_the_flow(
    tmp_path: Path,
) -> None:
    lines = HONEST.read_bytes().splitlines(keepends=True)
    seq = _milestone_seq(lines, "veldwerk_afgelopen")
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_bytes(b"".join(rehashed(lines, seq, party="opgroeien_it")))
    code, proof = _prove(ledger)
    assert code == 1 and proof["holds"] is False
    broken = {v["invariant"]: v for v in proof["verdicts"] if not v["holds"]}
    assert "ledger_intact" in broken, broken
    said = " ".join(c["message"] for c in broken["ledger_intact"]["counterexamples"])
    assert "opgroeien_it may not make the milestone veldwerk_afgelopen" in said, said
    assert "onderzoekers_swvg" in said and "art. 6" in said
    # the background data that the forged milestone let through are a breach of their own
    assert "background_after_fieldwork" in broken, broken


def test_the_hook_refuses_a_milestone_out_of_role(tmp_path: Path) -> None:
    lines = HONEST.read_bytes().splitlines(keepends=True)
    seq = _milestone_seq(lines, "veldwerk_afgelopen")
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_bytes(b"".join(lines[: seq - 1]))
    run = run_cli(
        "milestone", "veldwerk_afgelopen", "--contract", CONTRACT, "--ledger", ledger,
        "--party", "opgroeien_it", "--at", "2025-06-30T17:00:00+02:00",
    )  # fmt: skip
    assert run.code == 1 and "refused" in run.stderr and "art. 6" in run.stderr, run.everything
    assert ledger.read_bytes() == b"".join(lines[: seq - 1])
