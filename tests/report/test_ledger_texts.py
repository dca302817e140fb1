"""A ledger event's free text never comes out of any output unless the contract declares it.

A violation recorded with --record-violation carries findings (rule, article, message, count)
and every event a contract version, all written by the event's author. The rule (flow/withheld.py
`ledger_names`, `texts_withheld`): a finding's rule is shown only when the contract declares it,
its article only when it is that rule's, its message never; a contract version not the
contract's is a ledger problem for `ledger verify` and is exported withheld. The canaries (a
synthetic INSZ made with make_insz, an e-mail address, a marker) stand in every such field.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli
from tests.report.test_ledger_names import AT, FLOWS, _draft, assert_no_canary, canary_ledger

from datacontract.check.compile import CompiledDataset
from datacontract.contract.load import load_contract
from datacontract.ledger.append import append_event
from datacontract.personal.insz import NOTATIONS, format_insz, make_insz

INSZ = make_insz(dt.date(1979, 3, 4), 311)
EMAIL = "kanarie.tekst@kanarie-test.be"
MARKER = "ZZTEXTCANARY"


def _declared_rule(dataset: str) -> tuple[str, str]:
    c = load_contract(CONTRACT).contract
    ds = next(d for d in c.datasets if d.id == dataset)
    info = next(i for i in CompiledDataset(c, ds).rules.values() if i.article)
    return info.rule, str(info.article)


def text_ledger(folder: Path) -> tuple[Path, str, str]:
    """The canary ledger of test_ledger_names, then a send recorded as a violation whose
    findings hold canaries in every text, and a send under a canary contract version."""
    ledger = canary_ledger(folder)
    lines = (FLOWS / "unknown_party" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    sent = next(e for e in map(json.loads, lines) if e["kind"] == "sent")
    rule, article = _declared_rule(sent["dataset"])
    findings = (
        {"rule": f"rule.{INSZ}", "article": EMAIL, "message": MARKER, "count": 2},
        {"rule": rule, "article": f"art. {MARKER}", "message": format_insz(INSZ, NOTATIONS[-1]),
         "count": 1},
        {"rule": rule, "article": article, "message": EMAIL, "count": 1},
    )  # fmt: skip
    base = {**sent, "time": "2025-07-21T10:00:00+02:00"}
    append_event(ledger, _draft(base, violation=True, findings=findings))
    later = {**base, "time": "2025-07-22T10:00:00+02:00", "findings": ()}
    append_event(ledger, _draft(later, contract_version=f"1.0.0+{MARKER}.{EMAIL}"))
    (folder / "ledger.jsonl.lock").unlink(missing_ok=True)
    return ledger, rule, article


def assert_no_text(text: str) -> None:
    assert_no_canary(text)
    for canary in (*(format_insz(INSZ, n) for n in NOTATIONS), EMAIL, MARKER):
        assert canary not in text, canary


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    return text_ledger(tmp_path_factory.mktemp("texts"))


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_prove_withholds_a_findings_text(
    texts: tuple[Path, str, str], tmp_path: Path, fmt: str
) -> None:
    ledger, rule, article = texts
    out = tmp_path / f"proof.{fmt}"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                  "--format", fmt, "--output", out)  # fmt: skip
    assert run.code == 1 and "Traceback" not in run.everything, run.everything
    said = out.read_text(encoding="utf-8")
    assert_no_text(run.everything + said)
    if fmt != "html":  # the page says it in Dutch
        assert "a rule not in the contract (an article not the rule's)" in said
        assert f"{rule} (an article not the rule's)" in said
        assert f"{rule} ({article})" in said


def test_prove_pdf_withholds_a_findings_text(texts: tuple[Path, str, str], tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "proof.pdf"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", texts[0], "--at", AT,
                  "--format", "pdf", "--output", out)  # fmt: skip
    if run.code == 2 and "Chromium" in run.everything:
        pytest.skip("no PDF renderer installed")
    assert run.code == 1 and "Traceback" not in run.everything, run.everything
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert_no_text(run.everything + text + out.read_bytes().decode("latin-1"))


def test_ledger_verify_says_an_other_version_without_echoing_it(
    texts: tuple[Path, str, str],
) -> None:
    run = run_cli("ledger", "verify", "--ledger", texts[0], "--contract", CONTRACT)
    assert "Traceback" not in run.everything, run.everything
    assert_no_text(run.everything)
    assert "names a contract version that is not the contract's" in run.everything


def test_lineage_export_withholds_a_findings_text_and_an_other_version(
    texts: tuple[Path, str, str], tmp_path: Path
) -> None:
    out = tmp_path / "events.jsonl"
    run = run_cli("lineage", "export", "--contract", CONTRACT, "--ledger", texts[0],
                  "--at", AT, "--output", out)  # fmt: skip
    assert run.code == 0 and "Traceback" not in run.everything, run.everything
    exported = out.read_text(encoding="utf-8")
    assert_no_text(run.everything + exported)
    assert "a rule not in the contract" in exported
    assert "a version not the contract's" in exported


def test_the_rules_a_hook_records_are_declared_and_only_they() -> None:
    """Every rule a hook may record is shown with the article it is recorded with; another
    rule, or a declared rule cited with another article, is not."""
    from datacontract.flow.withheld import ledger_names

    c = load_contract(CONTRACT).contract
    names = ledger_names(c)
    rule, article = _declared_rule(c.datasets[0].id)
    assert names.rule_shown(rule) and names.article_shown(rule, article)
    for inv in c.invariants:
        assert names.article_shown(inv.id, inv.article)
    for hook in ("authority", "received_once", "hash_travels_with_file", "declared_flow_only"):
        assert names.rule_shown(hook)
    assert names.article_shown("hash_travels_with_file", "the hash manifest")
    assert not names.rule_shown(f"rule.{INSZ}") and not names.rule_shown(EMAIL)
    assert not names.article_shown(rule, EMAIL) and not names.article_shown(EMAIL, article)
