"""Every flow scenario through `datacontract prove`: verdict, counterexample events, article.

Fixtures: tests/fixtures/flows/<scenario>/{ledger.jsonl, expected.json}, written by
make_fixtures.py (expected verdicts by hand, from the protocol).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

FLOWS = ROOT / "tests" / "fixtures" / "flows"
GOLDEN = ROOT / "tests" / "fixtures" / "proofs"
SCENARIOS = sorted(p.name for p in FLOWS.iterdir() if (p / "expected.json").exists())


def _prove(
    ledger: Path | None, at: str, fmt: str = "json", contract: Path = CONTRACT
) -> tuple[int, Any]:
    args: list[str | Path] = ["prove", "--contract", contract, "--at", at, "--format", fmt]
    if ledger is not None:
        args += ["--ledger", ledger]
    run = run_cli(*args)
    assert "Traceback" not in run.everything
    return run.code, json.loads(run.stdout) if fmt == "json" and run.stdout else run.everything


def _articles() -> dict[str, str]:
    from datacontract.contract.load import load_contract

    return {i.id: i.article for i in load_contract(CONTRACT).contract.invariants}


def test_every_scenario_of_the_issue_has_a_fixture() -> None:
    wanted = {
        "honest", "background_while_contact_held", "contact_destroyed_after_background",
        "contact_sent_again_after_background", "background_before_fieldwork_ended",
        "second_stap4_from_one_payer", "file_changed_between_send_and_receive",
        "file_broke_the_contract_at_send", "unknown_party", "ledger_line_edited",
        "ledger_line_removed", "ledger_lines_swapped", "ledger_last_line_truncated",
    }  # fmt: skip
    assert wanted <= set(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_verdict(scenario: str) -> None:
    expected = json.loads((FLOWS / scenario / "expected.json").read_text(encoding="utf-8"))
    code, proof = _prove(FLOWS / scenario / "ledger.jsonl", expected["at"])
    assert code == (0 if expected["holds"] else 1)
    assert proof["holds"] is expected["holds"]
    broken = {v["invariant"]: v for v in proof["verdicts"] if not v["holds"]}
    if expected["exact"]:
        assert set(broken) == set(expected["broken"])
    else:
        assert set(expected["broken"]) <= set(broken)
    articles = _articles()
    for invariant, seqs in expected["broken"].items():
        verdict = broken[invariant]
        assert verdict["article"] == articles[invariant]
        named = {s for c in verdict["counterexamples"] for s in c["events"]}
        assert set(seqs) <= named, (invariant, seqs, named)
    if "line" in expected:
        messages = " ".join(c["message"] for c in broken["ledger_intact"]["counterexamples"])
        assert f"line {expected['line']}" in messages


def test_fixtures_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", FLOWS / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_fixtures", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for scenario in SCENARIOS:
        for name in ("ledger.jsonl", "expected.json"):
            assert (tmp_path / scenario / name).read_bytes() == (
                FLOWS / scenario / name
            ).read_bytes()


def _normalised(proof: dict[str, Any]) -> dict[str, Any]:
    """What a golden file compares: everything but paths and the contract's own hash."""
    return {k: v for k, v in proof.items() if k not in ("ledger", "contract_sha256")}


@pytest.mark.parametrize("scenario", ["honest", "background_while_contact_held"])
def test_proof_json_matches_the_golden_file(scenario: str) -> None:
    expected = json.loads((FLOWS / scenario / "expected.json").read_text(encoding="utf-8"))
    _, proof = _prove(FLOWS / scenario / "ledger.jsonl", expected["at"])
    golden = GOLDEN / f"{scenario}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(_normalised(proof), indent=2) + "\n", encoding="utf-8")
    assert _normalised(proof) == json.loads(golden.read_text(encoding="utf-8"))


def test_destruction_term_is_judged_at_the_time_of_the_proof() -> None:
    """Before the end of the fieldwork + 30 days, a file not yet destroyed is not late."""
    ledger = FLOWS / "insz_files_never_destroyed" / "ledger.jsonl"
    verdicts = {}
    for at in ("2025-07-20T12:00:00+02:00", "2025-12-31T12:00:00+01:00"):
        _, proof = _prove(ledger, at)
        verdicts[at] = {v["invariant"]: v["holds"] for v in proof["verdicts"]}
    assert verdicts["2025-07-20T12:00:00+02:00"]["insz_files_destroyed"] is True
    assert verdicts["2025-12-31T12:00:00+01:00"]["insz_files_destroyed"] is False


# --- the declared flow alone ------------------------------------------------------------------


def _contract_without(tmp_path: Path, invariant: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    start = text.index(f"  - id: {invariant}\n")
    end = text.find("\n  - id: ", start + 1)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / CONTRACT.name
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    shutil.copytree(ROOT / "lineage", tmp_path.parent / "lineage", dirs_exist_ok=True)
    return path


def test_the_declared_flow_proves() -> None:
    code, proof = _prove(None, "2025-12-31T12:00:00+01:00")
    assert code == 0 and proof["mode"] == "declared"


@pytest.mark.parametrize(
    ("removed", "broken", "hop"),
    [
        ("background_after_contact_destroyed", "contact_and_background_apart", "stap6_achtergrond"),
        ("no_contact_after_background", "contact_and_background_apart", "stap6_contact"),
        (
            "contact_and_background_apart",
            "declared_flow_keeps_contact_and_background_apart",
            None,
        ),
    ],
)
def test_a_contract_that_allows_a_bad_path_does_not_prove(
    tmp_path: Path, removed: str, broken: str, hop: str | None
) -> None:
    contract = _contract_without(tmp_path / "contracts", removed)
    code, proof = _prove(None, "2025-12-31T12:00:00+01:00", contract=contract)
    assert code == 1
    verdict = next(v for v in proof["verdicts"] if v["invariant"] == broken)
    assert not verdict["holds"]
    if hop is not None:
        assert any(hop in c["hops"] for c in verdict["counterexamples"])


# --- the declared SQL derivations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "broken"),
    [
        ("dataset_4.sql", "  d3.gezinscode AS gezinscode,", "  sha256(d3.insz) AS gezinscode,",
         "identifiers_only_pseudonymised"),
        ("dataset_4.sql", "  d3.stratum AS stratum,", "  d3.cgpa_code AS stratum,",
         "identifiers_only_pseudonymised"),
        ("achtergrond.sql", "  CASE\n    WHEN g.inkomen_ki IS NULL THEN NULL",
         "  g.inkomen_ki AS inkomen_ki_klasse, CASE\n    WHEN g.inkomen_ki IS NULL THEN NULL",
         "income_only_in_classes"),
        ("achtergrond.sql", "ELSE 'K4_boven_68329.61'\n  END AS inkomen_ivt_klasse",
         "ELSE 'meer dan 68329.61'\n  END AS inkomen_ivt_klasse", "income_only_in_classes"),
    ],
)  # fmt: skip
def test_a_bad_derivation_does_not_prove(
    tmp_path: Path, file: str, old: str, new: str, broken: str
) -> None:
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    shutil.copy(CONTRACT, contracts / CONTRACT.name)
    shutil.copytree(ROOT / "lineage", tmp_path / "lineage")
    sql = tmp_path / "lineage" / "groeipakket-toereikendheid-2025" / file
    text = sql.read_text(encoding="utf-8")
    assert old in text
    if "AS inkomen_ki_klasse, CASE" in new:  # replace the whole CASE by the raw amount
        start = text.index("  CASE\n    WHEN g.inkomen_ki IS NULL")
        end = text.index("AS inkomen_ki_klasse") + len("AS inkomen_ki_klasse")
        sql.write_text(text[:start] + "  g.inkomen_ki AS inkomen_ki_klasse" + text[end:])
    else:
        sql.write_text(text.replace(old, new), encoding="utf-8")
    code, proof = _prove(None, "2025-12-31T12:00:00+01:00", contract=contracts / CONTRACT.name)
    assert code == 1
    assert broken in {v["invariant"] for v in proof["verdicts"] if not v["holds"]}


# --- the HTML proof ---------------------------------------------------------------------------


def test_html_proof_is_self_contained_and_highlights_the_counterexample(tmp_path: Path) -> None:
    ledger = FLOWS / "background_while_contact_held" / "ledger.jsonl"
    out = tmp_path / "proof.html"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger,
                  "--at", "2025-12-31T12:00:00+01:00", "--format", "html", "--output", out)  # fmt: skip
    assert run.code == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert 'src="http' not in page and 'href="http' not in page and "<script" not in page
    assert "contact_and_background_apart" in page and "class='broken'" in page
    assert "onderzoekers_swvg" in page and "#c62828" in page  # the party drawn in red
    # In a real browser (Debian's chromium, which `make test` installs: no skip).
    from tests.browser import look

    shot = tmp_path / "proof.png"
    seen = look(out, shot)
    assert seen.console == [] and seen.errors == [] and seen.requests == [], seen
    assert shot.stat().st_size > 20_000
