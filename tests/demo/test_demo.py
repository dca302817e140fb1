"""`datacontract demo`: the whole flow through the hooks, the ledger and the proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.ledger.chain import read_ledger

FILES = [
    *(
        f"dataset_{n}_{p}.parquet"
        for n in (1, 2)
        for p in ("fons", "kidslife", "infino", "myfamily", "parentia")
    ),
    "dataset_3.parquet",
    "dataset_4.parquet",
    "achtergrond.parquet",
]


def test_the_honest_demo_proves(tmp_path: Path) -> None:
    run = run_cli("demo", "--out", tmp_path, "--rows", "60", "--seed", "5")
    assert run.code == 0, run.everything
    for name in [*FILES, "ledger.jsonl", "proof.html", "proof.json"]:
        assert (tmp_path / name).is_file(), name
    state = read_ledger(tmp_path / "ledger.jsonl")
    assert state.intact
    assert {e.hop for e in state.events if e.hop} == {
        "stap3", "stap4", "stap6_contact", "stap6_achtergrond",
    }  # fmt: skip
    proof = json.loads((tmp_path / "proof.json").read_text(encoding="utf-8"))
    assert proof["holds"] is True and proof["events"] == len(state.events)
    assert str(tmp_path / "proof.html") in run.stdout
    # every event signed by its party; the auditor's checkpoint and keyring prove it again
    assert all(e.sig for e in state.events)
    audited = run_cli(
        "prove", "--contract", CONTRACT, "--ledger", tmp_path / "ledger.jsonl",
        "--keyring", tmp_path / "keys", "--checkpoint", tmp_path / "ledger.checkpoint",
    )  # fmt: skip
    assert audited.code == 0, audited.everything


def test_a_second_run_starts_a_new_ledger(tmp_path: Path) -> None:
    assert run_cli("demo", "--out", tmp_path, "--rows", "20").code == 0
    first = (tmp_path / "ledger.jsonl").read_bytes()
    assert run_cli("demo", "--out", tmp_path, "--rows", "20").code == 0
    assert (tmp_path / "ledger.jsonl").read_bytes() == first  # same seed, same timeline


@pytest.mark.parametrize(
    ("violation", "invariant"),
    [
        ("background-too-early", "contact_and_background_apart"),
        ("second-delivery", "payers_once_by_february"),
        ("tampered-file", "hash_travels_with_file"),
        ("insz-in-dataset-4", "every_transfer_holds_to_contract"),
    ],
)
def test_a_violation_is_refused_recorded_and_caught(
    tmp_path: Path, violation: str, invariant: str
) -> None:
    run = run_cli("demo", "--out", tmp_path, "--rows", "30", "--violation", violation)
    assert run.code == 1
    assert "refused live" in run.stdout and "recorded as violation" in run.stdout
    if violation == "background-too-early":
        # in a log every statement is one line, and a refusal names no event it did not record
        assert (
            "  - contact_and_background_apart (art. 6; D3 stap 6): onderzoekers_swvg held "
            "dataset_4 and achtergrond at the same time from the arrival of this transfer on"
        ) in run.stdout.splitlines()
    proof = json.loads((tmp_path / "proof.json").read_text(encoding="utf-8"))
    broken = {v["invariant"] for v in proof["verdicts"] if not v["holds"]}
    assert invariant in broken
    assert read_ledger(tmp_path / "ledger.jsonl").intact


def test_unknown_violation_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    run = run_cli("demo", "--out", tmp_path / "out", "--violation", "nope")
    assert run.code == 2 and "background-too-early" in run.stderr
    assert not (tmp_path / "out").exists()


def test_the_other_protocols_run_refuse_and_prove(tmp_path: Path) -> None:
    run = run_cli("demo-protocols", "--out", tmp_path, "--seed", "3")
    assert run.code == 0, run.everything
    for contract in (
        "ikt-ouderbijdrage-2025",
        "lokale-besturen-sociale-toeslag-2020",
        "jobbonusplus-2025",
        "ahovoks-historiekinschrijving-2019",
    ):
        folder = tmp_path / contract
        proof = json.loads((folder / "proof.json").read_text(encoding="utf-8"))
        assert proof["holds"] and proof["events"] > 0, contract
        assert (folder / "proof.html").stat().st_size > 1000
        assert contract in run.stdout
    # one refusal per story; the municipality and AHOVOKS also try a request or consultation
    # before its condition (the signed protocol, the family's notice)
    assert run.stdout.count("refused") == 7
    # AHOVOKS: MAGDA XML documents, a request for a student under 25 refused before it leaves
    assert "historiekinschrijving_vraag.student_25_or_over" in run.stdout
    ahovoks = tmp_path / "ahovoks-historiekinschrijving-2019"
    sent = sorted(p.name for p in ahovoks.glob("*.xml.manifest.json"))
    assert sent == [
        "04_historiekinschrijving_vraag.xml.manifest.json",
        "05_historiekinschrijving.xml.manifest.json",
    ]
    assert (ahovoks / "05_historiekinschrijving.xml").read_bytes().startswith(b"<?xml")
    key = (tmp_path / "dpo-key.txt").read_text(encoding="utf-8").strip()
    assert key not in run.everything
    assert (tmp_path / "dpo-key.txt").stat().st_mode & 0o077 == 0
