"""The five cases of issue 25 in the formats test_prover_evidence.py leaves out: the PDF (its
text, as pypdf reads it) of a forged unsigned event without a keyring, a repaired (cut) tail,
an event deleted in the middle and the Dutch dates; and `demo` off a terminal in plain lines
(text, JSON and HTML of the first four are in test_prover_evidence.py, `prove`, `ledger
verify` and `coverage` off a terminal too).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.flow.test_prover_evidence import (
    BOXES,
    CONTRACT,
    _appended_unsigned,
    _checkpoint,
    _flow,
)
from tests.ledger.shared import cli, data_file, receive, send


def _pdf_text(tmp_path: Path, contract: Path, ledger: Path, *extra: str | Path) -> tuple[int, str]:
    from pypdf import PdfReader

    out = tmp_path / "proof.pdf"
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--format", "pdf",
              "--output", out, *extra)  # fmt: skip
    assert out.is_file(), run.everything
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    return run.code, text


def _never_proven(text: str) -> bool:
    return "Bewezen" not in text.replace("niet bewezen", "")


def test_the_pdf_of_a_forged_unsigned_event_without_a_keyring(tmp_path: Path) -> None:
    contract, _keys, ledger = _flow(tmp_path)
    seq = _appended_unsigned(ledger, kind="received", rows=999)
    code, text = _pdf_text(tmp_path, contract, ledger)
    assert code == 1 and _never_proven(text)
    assert f"Niet te beoordelen: het grootboek is beschadigd op regel {seq}" in text
    assert f"Gebeurtenis {seq} draagt geen handtekening." in text
    assert "Er werd geen sleutelring opgegeven" in text


@pytest.mark.parametrize("whole", [False, True])
def test_the_pdf_of_a_repaired_ledger(tmp_path: Path, whole: bool) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines) + (lines[-1].rstrip(b"\n") if whole else lines[-1][:40]))
    assert cli("ledger", "repair", "--ledger", ledger).code == 0
    code, text = _pdf_text(tmp_path, contract, ledger, "--keyring", keys, "--checkpoint", cp)
    assert code == 0 and _never_proven(text)
    assert "Geldt, maar is niet bewezen: het grootboek werd hersteld" in text
    assert "1 herstelling vastgelegd naast het grootboek" in text and "knipte regel 7" in text
    assert ("volledige gebeurtenis" in text) is whole


def test_the_pdf_of_an_event_deleted_in_the_middle(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:2] + lines[3:]))
    code, text = _pdf_text(tmp_path, contract, ledger, "--keyring", keys, "--checkpoint", cp)
    assert code == 1
    assert "Niet te beoordelen: het grootboek is beschadigd op regel 3 (een gebeurtenis werd " \
        "verwijderd of verplaatst)" in text  # fmt: skip
    assert "niet beoordeeld" in text and "ingekort" not in text
    assert "De oordelen steunen op de 2 gebeurtenissen ervoor" in text


def test_the_pdf_writes_dates_as_the_protocols_do(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    contract = tmp_path / "mini.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    for n, at in enumerate(("2025-03-14T10:00:00+01:00", "2025-12-29T09:30:00+01:00")):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, str(ledger), f, "--at", at).code == 0
        assert receive(contract, str(ledger), f, "--at", at.replace(":00:00", ":05:00")).code == 0
    _, text = _pdf_text(tmp_path, contract, ledger, "--at", "2026-01-20T12:00:00+01:00")
    assert "14 maart 2025 om 10:00" in text and "20 januari 2026 om 12:00" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)
    assert "gebeurtenissen 1 tot 4" not in text  # cited in order, never "4 tot 1"


def test_demo_off_a_terminal_is_plain_lines(tmp_path: Path) -> None:
    run = cli("demo", "--out", tmp_path / "demo", "--rows", "20", "--seed", "3")
    assert run.code == 0, run.everything
    assert not BOXES & set(run.stdout), run.stdout
    head = re.search(r"ledger head ([0-9a-f]+); contract sha256 ([0-9a-f]+)$", run.stdout, re.M)
    assert head is not None and all(len(h) == 64 for h in head.groups())
    signed = re.compile(r"  - signatures: all \d+ events signed by their party")
    assert any(signed.match(line) for line in run.stdout.splitlines()), run.stdout
