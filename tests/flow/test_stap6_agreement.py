"""000 D3 stap 6: "Opgroeien Regie sluit uiteraard op voorhand met de onderzoekers een
verwerkersovereenkomst af over het doorgeven, bewaren, gebruiken en vernietigen van de
persoonsgegevens" (art. 6: "gedeeld met de onderzoekers met wie een verwerkersovereenkomst wordt
afgesloten"). No file reaches the researchers on any hop of stap 6 before the agreement is
recorded (milestone verwerkersovereenkomst_onderzoekers): the hook refuses it, citing the text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, Run, run_cli

AGREEMENT = "verwerkersovereenkomst_onderzoekers"
RULE = "researchers_bound_before_data"


def _run(*args: str | Path) -> Run:
    run = run_cli(*args)
    assert "Traceback" not in run.everything
    return run


def _send(ledger: Path, file: Path, hop: str, at: str) -> Run:
    return _run(
        "hop", "send", file, "--contract", CONTRACT, "--hop", hop, "--ledger", ledger, "--at", at
    )


def _milestone(ledger: Path, name: str, at: str) -> Run:
    return _run("milestone", name, "--contract", CONTRACT, "--ledger", ledger, "--at", at)


@pytest.fixture()
def contact(study_dir: dict[str, Path], tmp_path: Path) -> Path:
    out = tmp_path / "dataset_4.parquet"
    shutil.copy(study_dir["dataset_4"], out)
    return out


def test_contact_file_before_the_agreement_is_refused(contact: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = _send(ledger, contact, "stap6_contact", "2025-03-10T10:00:00+01:00")
    assert run.code == 1, run.everything
    assert RULE in run.stderr and "D3 stap 6" in run.stderr and AGREEMENT in run.stderr
    assert ledger.read_bytes() == b""


def test_an_agreement_concluded_afterwards_does_not_mend_it(contact: Path, tmp_path: Path) -> None:
    """Recorded as a violation, the early transfer stays broken in the proof, agreement or not."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    at = "2025-03-10T10:00:00+01:00"
    early = _run(
        "hop", "send", contact, "--contract", CONTRACT, "--hop", "stap6_contact",
        "--ledger", ledger, "--at", at, "--record-violation",
    )  # fmt: skip
    assert early.code == 1 and "RECORDED AS VIOLATION" in early.stderr
    assert _milestone(ledger, AGREEMENT, "2025-03-11T09:00:00+01:00").code == 0
    proof = _run(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-03-12T00:00:00+01:00"
    )
    assert proof.code == 1 and RULE in proof.stdout


def test_contact_file_after_the_agreement_passes(contact: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    assert _milestone(ledger, AGREEMENT, "2025-01-10T09:00:00+01:00").code == 0
    run = _send(ledger, contact, "stap6_contact", "2025-03-10T10:00:00+01:00")
    assert RULE not in run.everything


def test_only_opgroeien_regie_records_the_agreement(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = _run(
        "milestone", AGREEMENT, "--contract", CONTRACT, "--ledger", ledger,
        "--party", "onderzoekers_swvg", "--at", "2025-01-10T09:00:00+01:00",
    )  # fmt: skip
    assert run.code != 0 and ledger.read_bytes() == b""
