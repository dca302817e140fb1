"""The proof's words after the Dutch review: a line names its events once, and a hop is named
once ("stap6_contact", never "stap stap6_contact"), in every code and every format.

Families, not instances: every code of the catalogue that cites an event is put in a verdict
and rendered in text and HTML (the PDF prints the HTML); every code that names a hop is
rendered in both languages with an id that says "stap" and one that does not.
"""

from __future__ import annotations

import re

import pytest
from tests.conftest import CONTRACT

from datacontract.flow.proof import Counterexample, Proof, Verdict
from datacontract.messages import (
    CATALOGUE,
    LANGUAGES,
    Message,
    Value,
    cited,
    event,
    hop_name,
    hops_name,
    render,
    say,
)
from datacontract.report.proof import to_html, to_text
from datacontract.report.proof_dutch import dutch

HOP_KINDS = ("hop", "hops")


def _sample(kind: str, hop: str, seqs: tuple[int, ...]) -> Value:
    """A value of `kind`: events and seqs cite `seqs` (23 and 24), numbers and times never
    say 23 or 24, so each number in a line is a citation."""
    return {
        "name": "x",
        "hop": hop,
        "hops": (hop,),
        "number": 2,
        "time": "2025-03-14T10:00:00+01:00",
        "seq": seqs[0],
        "events": event(*seqs),
        "names": ("a",),
        "word": say("what.event"),
        "part": None,
        "parts": (),
    }[kind]


def _message(code: str, hop: str = "stap4", seqs: tuple[int, ...] = (23,)) -> Message:
    kinds = CATALOGUE[code].values
    return say(code, **{name: _sample(kind, hop, seqs) for name, kind in kinds.items()})


def _citing() -> list[str]:
    return sorted(c for c, w in CATALOGUE.items() if {"events", "seq"} & set(w.values.values()))


def _proof(examples: list[tuple[str, Counterexample]]) -> Proof:
    verdicts = tuple(
        Verdict(invariant=inv, kind="never_holds", title="t", article="art. 6", holds=False,
                counterexamples=(c,))
        for inv, c in examples
    )  # fmt: skip
    return Proof(contract="c", version="1", contract_sha256="0" * 64, mode="ledger",
                 ledger="ledger.jsonl", ledger_hash="1" * 64, at="2025-12-31T12:00:00+01:00",
                 events=40, verdicts=verdicts)  # fmt: skip


def _count(text: str, seq: int) -> int:
    return len(re.findall(rf"(?<![\d.]){seq}(?![\d.])", text))


@pytest.mark.parametrize("extra", [(), (31,)], ids=["the_sentence_cites_them", "one_more"])
def test_every_line_names_its_events_once(extra: tuple[int, ...]) -> None:
    """For every code that cites events: a counterexample whose sentence already cites all its
    events is said without them before it (text and HTML); one that names an event its
    sentence does not cite keeps them before it, so every event is named, none twice over."""
    from datacontract.contract.load import load_contract

    examples = []
    for i, code in enumerate(_citing()):
        for seqs in ((23,), (23, 24)):
            said = _message(code, seqs=seqs)
            events = tuple(sorted(cited(said) | set(extra)))
            c = Counterexample(events=events, parties=(), datasets=(), hops=(), times=(),
                               said=said)  # fmt: skip
            examples.append((f"inv_{i}_{len(seqs)}", c))
    proof = _proof(examples)
    text = to_text(proof, terminal=False)
    page = to_html(proof, load_contract(CONTRACT).contract)
    assert "stap stap" not in page
    for inv, c in examples:
        (line,) = [ln for ln in text.splitlines() if f" {inv} (" in ln and " — " in ln]
        (row,) = re.findall(rf"<tr class='broken' id='inv-{inv}'>(.*?)</tr>", page, re.S)
        cell = row.rsplit("<td>", 1)[1]
        for seq in c.events:
            english, nl = _count(c.message, seq), _count(dutch(c.said), seq)
            added = 1 if extra else 0
            assert _count(line.split(" — ", 1)[1], seq) == english + added, (c.said.code, line)
            assert _count(re.sub("<[^>]+>", "", cell), seq) == nl + added, (c.said.code, cell)
            assert _count(line, seq) >= 1 and _count(cell, seq) >= 1


def _hop_codes() -> list[str]:
    return sorted(c for c, w in CATALOGUE.items() if set(HOP_KINDS) & set(w.values.values()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_hop_is_named_once(language: str) -> None:
    """Every code that names a hop, in both languages: an id that already says "stap" is said
    alone (no "stap stap6_contact", no "hop hop"), one that does not gets the noun before it
    ("stap vraag", "hop vraag")."""
    noun = {"en": "hop", "nl": "stap"}[language]
    assert _hop_codes(), "no code names a hop"
    for code in _hop_codes():
        for hop in ("stap6_contact", "vraag", "hop_1"):
            said = render(_message(code, hop=hop), language)  # type: ignore[arg-type]
            doubled = {"en": r"\bhops? (hop|step)", "nl": r"\b(stap|stappen) stap"}[language]
            assert not re.search(doubled, said, re.I), said
            plural = {"en": "hops", "nl": "stappen"}[language]
            if hop == "vraag":
                assert re.search(rf"\b({noun}|{plural}) vraag\b", said), (code, said)


def test_no_template_names_a_hop_with_a_plain_name() -> None:
    """A value that names a hop is of kind hop/hops (so it is said with its noun), and no
    template writes the noun before it itself."""
    for code, wording in CATALOGUE.items():
        for name, kind in wording.values.items():
            if "hop" in name or (name == "after" and "hop" in code):
                assert kind in HOP_KINDS, f"{code}: {name} is a {kind}"
        for template in (wording.en, wording.nl):
            names = "|".join(n for n, k in wording.values.items() if k in HOP_KINDS) or "-"
            assert not re.search(rf"\b(stap|hop|step|stappen|hops) \{{({names})\}}", template), code


def test_hop_names() -> None:
    assert hop_name("stap6_contact", "nl") == "stap6_contact"
    assert hop_name("Stap3", "nl") == "Stap3"
    assert hop_name("vraag", "nl") == "stap vraag"
    assert hop_name("stapel", "nl") == "stap stapel"  # a word that begins with "stap"
    assert hop_name("stap4", "en") == "hop stap4"
    assert hop_name("step-2", "en") == "step-2"
    assert hops_name(("stap6_contact", "stap6_telefoon"), "nl") == "stap6_contact, stap6_telefoon"
    assert hops_name(("vraag", "stap4"), "nl") == "stappen vraag, stap4"
    assert hops_name(("vraag",), "en") == "hop vraag"


def _page_of(verdicts: tuple[Verdict, ...], issue: object = None) -> str:
    from datacontract.contract.load import load_contract

    proof = _proof([])
    proof = Proof(**{**proof.__dict__, "verdicts": verdicts})
    return to_html(proof, load_contract(CONTRACT).contract, issue)  # type: ignore[arg-type]


def test_no_empty_counterexample_column() -> None:
    """A proof where every invariant holds has no counterexample column (an empty column
    with its heading reads as something missing); one with a counterexample has it."""
    held = Verdict(invariant="i", kind="never_holds", title="t", article="a", holds=True)
    assert "tegenvoorbeeld</th>" not in _page_of((held,))
    c = Counterexample(events=(3,), parties=(), datasets=(), hops=(), times=(),
                       said=_message("held_together.until"))  # fmt: skip
    broken = Verdict(invariant="j", kind="never_holds", title="t", article="a", holds=False,
                     counterexamples=(c,))  # fmt: skip
    page = _page_of((held, broken))
    assert "tegenvoorbeeld</th>" in page and page.count("<td>") % 4 == 0


@pytest.mark.parametrize("extended", [(True, True), (True, False)])
def test_the_cover_says_once_that_the_ledger_extends_its_checkpoints(
    extended: tuple[bool, ...],
) -> None:
    """The evidence line says the ledger extends every checkpoint; each file's own line says
    it again only when one is not extended (then each says which)."""
    from datacontract.report.proof_cover import CheckpointSeen, Issue

    seen = tuple(
        CheckpointSeen(name=f"cp{i}", size=3, head="ab" * 32, signers=("p",), extended=e)
        for i, e in enumerate(extended)
    )
    issue = Issue(issuer="x", made_at="2025-12-31T12:00:00+01:00", tool="t", checkpoints=seen)
    held = Verdict(invariant="i", kind="never_holds", title="t", article="a", holds=True)
    page = _page_of((held,), issue)
    said = page.count("het grootboek bouwt erop voort")
    assert said == (0 if all(extended) else extended.count(True)), said
    assert page.count("bouwt er NIET op voort") == extended.count(False)


def test_the_committed_pictures_are_the_pdf_pages() -> None:
    """docs/proof-<case>-<n>.png are the pages of docs/proof-<case>.pdf as `make proof-docs`
    renders them with pdftoppm: one picture a page, each of the page's A4 proportions (not a
    screenshot of the HTML, which is one tall picture), none left from an older PDF; and the
    Makefile installs Debian's poppler-utils for it, as it does graphviz and chromium."""
    import struct

    from pypdf import PdfReader
    from tests.conftest import ROOT

    docs = ROOT / "docs"
    pdfs = sorted(docs.glob("proof-*.pdf"))
    assert pdfs
    for pdf in pdfs:
        pages = len(PdfReader(pdf).pages)
        pictures = sorted(docs.glob(f"{pdf.stem}-*.png"))
        numbers = sorted(int(p.stem.rsplit("-", 1)[1]) for p in pictures)
        assert numbers == list(range(1, pages + 1)), (pdf.name, numbers)
        assert not (docs / f"{pdf.stem}.png").exists()
        for p in pictures:
            width, height = struct.unpack(">II", p.read_bytes()[16:24])  # the PNG's IHDR
            assert abs(height / width - 297 / 210) < 0.01, (p.name, width, height)
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pdftoppm" in make and "poppler-utils" in make
    proof_docs = make[make.index("\nproof-docs:") :].split("\n\n", 1)[0]
    assert "poppler" in proof_docs.split("\n")[1] and "pdftoppm" in proof_docs
