"""The proof's PDF and page read as pictures (issue 25): what a reader sees, checked by family.

Found by rendering docs/proof-*.pdf to PNG and looking at every page: hashes cut wherever a
line ended (a checkpoint's head split in the middle of the cover's text, the appendix's file
hashes cut at 17 and 13 digits). The checks here, each on the PDF Chromium prints and on the
page in Chromium:
- every piece of text lies inside its page's box (pypdf's text positions);
- a hash is never cut (nor joined into a ligature, "ff" as one glyph, in the text font): a run of hex digits on a line is a whole hash or whole groups of 16
  (the appendix's narrow column), and every file hash of the ledger is in the PDF;
- a table row is never split over two pages: each event's hash groups are on one page;
- no page is empty and no heading is the last line of a page (an orphaned heading);
- on the page in the browser, nothing is wider than the page and every hash on the cover is
  on one line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.browser import look
from tests.conftest import CONTRACT, ROOT
from tests.ledger.shared import cli

FLOWS = ROOT / "tests" / "fixtures" / "flows"
HEADINGS = (
    "Oordeel per invariant",
    "Reikwijdte en grenzen van dit bewijs",
    "Gegevensstromen: wie bezorgt welk bestand aan wie",
    "Tijdlijn: wie had welk bestand in bezit, en wanneer",
    "Bijlage: de gebeurtenissen van het grootboek",
)
HEX = re.compile(r"[0-9a-f]{8,}")
LIGATURES = re.compile("[\ufb00-\ufb06]")  # ff, fi, fl, ffi, ffl, long st, st


def _signed_proof(tmp_path: Path, scenario: str, fmt: str) -> tuple[Path, Path]:
    """The study's proof of a flow fixture, with a checkpoint and signed with --key: every
    kind of hash the cover shows. The proof file and the ledger."""
    ledger = tmp_path / "ledger.jsonl"
    shutil.copy(FLOWS / scenario / "ledger.jsonl", ledger)
    keys = tmp_path / "keys"
    assert cli("keys", "new", "--party", "opgroeien_it", "--out", keys).code == 0
    cp = tmp_path / "head.checkpoint"
    key = keys / "opgroeien_it.key"
    assert cli("ledger", "checkpoint", "--ledger", ledger, "--key", key, "--output", cp).code == 0
    at = json.loads((FLOWS / scenario / "expected.json").read_text())["at"]
    out = tmp_path / f"proof.{fmt}"
    # the keyring binds the key to its party (a key bound to none signs nothing)
    run = cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--checkpoint", cp,
              "--keyring", keys, "--at", at, "--key", key, "--issuer", "A. Auditor, VUTG",
              "--format", fmt, "--output", out)  # fmt: skip
    assert run.code in (0, 1) and out.is_file(), run.everything
    return out, ledger


def _file_hashes(ledger: Path) -> set[str]:
    lines = ledger.read_text(encoding="utf-8").splitlines()
    return {str(e["sha256"]) for e in map(json.loads, lines) if e.get("sha256")}


def _read(page: Any) -> tuple[str, list[str]]:
    """A PDF page's text, and the pieces of it that lie outside the page's box."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    outside: list[str] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if not (-1 <= x <= width and -1 <= y <= height):
            outside.append(text.strip()[:20])

    return page.extract_text(visitor_text=visit), outside


def pdf_faults(pdf: Path, file_hashes: set[str]) -> list[str]:
    """What reads badly in a PDF, one line a fault (empty: none)."""
    from pypdf import PdfReader

    faults: list[str] = []
    pages = PdfReader(str(pdf)).pages
    texts = []
    for n, page in enumerate(pages, start=1):
        text, outside = _read(page)
        texts.append(text)
        if outside:
            faults.append(f"page {n}: text outside the page: {outside[:3]}")
        joined = sorted(set(LIGATURES.findall(text)))
        if joined:
            faults.append(f"page {n}: letters joined into ligatures (a hash's 'ff' too): {joined}")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) < 3:
            faults.append(f"page {n}: (almost) empty: {lines}")
        elif lines[-1] in HEADINGS:
            faults.append(f"page {n}: ends on the heading {lines[-1]!r}")
        for line in lines:
            for run in HEX.findall(line):
                if len(run) % 16:
                    faults.append(f"page {n}: a hash cut at {len(run)} digits: {run}")
    flat = [re.sub(r"\s+", "", t) for t in texts]
    for digest in sorted(file_hashes):
        groups = [digest[i : i + 16] for i in range(0, 64, 16)]
        whole = [n for n, t in enumerate(flat, 1) if digest in t]
        if not whole:
            faults.append(f"the file hash {digest[:16]}... is not in the PDF whole")
        for n, text in enumerate(texts, 1):
            here = [g for g in groups if g in text]
            if here and len(here) < len(groups) and digest not in flat[n - 1]:
                faults.append(f"page {n}: a row split over pages (hash {digest[:16]}...)")
    return faults


@pytest.mark.parametrize("scenario", ["honest", "background_while_contact_held"])
def test_the_pdf_reads_as_a_document(tmp_path: Path, scenario: str) -> None:
    pdf, ledger = _signed_proof(tmp_path, scenario, "pdf")
    assert pdf_faults(pdf, _file_hashes(ledger)) == []


def test_the_golden_pdfs_read_as_documents() -> None:
    """docs/proof-*.pdf as `make proof-docs` made them (the demo's ledger is not kept: only
    the checks that need no ledger)."""
    for pdf in sorted((ROOT / "docs").glob("proof-*.pdf")):
        assert pdf_faults(pdf, set()) == [], pdf.name


_MEASURE = """() => {
  const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
  const cut = [...document.querySelectorAll('dl.cover code.hash, dl.cover code.sig')]
    .filter(c => c.getClientRects().length !== 1).map(c => c.textContent.slice(0, 16));
  const rows = [...document.querySelectorAll('table.events td.hash')]
    .filter(td => td.textContent && td.scrollWidth > td.clientWidth + 1).length;
  return {wide, cut, rows};
}"""


def test_the_page_in_the_browser_keeps_every_hash_whole(tmp_path: Path) -> None:
    page, _ = _signed_proof(tmp_path, "background_while_contact_held", "html")
    seen = look(page, None, _MEASURE)
    assert seen.measured == {"wide": False, "cut": [], "rows": 0}
