"""The Dutch of the proof holds to its glossary (docs/woordenlijst.md, issue 25 item 4).

The glossary's table is read here, so that the document and the test cannot drift apart:
- every Dutch template whose English template names a concept of the table uses the table's
  Dutch term for it (a hop is a `stap`, a checkpoint a `controlepunt`, ...);
- no Dutch template, and no visible text of the HTML proof, holds a word the table bans (the
  English terms, and the words they replaced: `drager`, `kophash`, `overdracht`, ...);
- counts agree with their noun (`1 gebeurtenis`, `2 gebeurtenissen`: no `dag(en)`), and the
  page says no raw ISO 8601 time.
Names of the ledger's fields in quotes ('hash') and options (--checkpoint) do not count.
"""

from __future__ import annotations

import html
import json
import re
import string
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.contract.load import load_contract
from datacontract.messages import CATALOGUE, Value, Voice, event, render, say
from datacontract.report.proof_dutch import moment

GLOSSARY = ROOT / "docs" / "woordenlijst.md"
FLOWS = ROOT / "tests" / "fixtures" / "flows"
FIELD = re.compile(r"'[A-Za-z_:]+'")  # a ledger field or contract key, quoted
OPTION = re.compile(r"--[a-z][a-z-]*")
TICKED = re.compile(r"`([^`]+)`")
# nouns a count may stand before; each needs its noun in both numbers ({n:een|twee})
NOUNS = re.compile(
    r"\b(gebeurtenis(sen)?|dag(en)?|maand(en)?|week|weken|veld(en)?|herstelling(en)?|"
    r"invariant(en)?|bytes?|regels?|partij(en)?|stap(pen)?|bestand(en)?|rij(en)?)\b"
)


def _rows() -> list[tuple[list[str], list[str], list[str]]]:
    """(English terms, Dutch stems the test requires, banned words) per row of the table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        english, _, _, required, banned = cells
        rows.append((TICKED.findall(english), TICKED.findall(required), TICKED.findall(banned)))
    return rows


ROWS = _rows()
BANNED = sorted({word for _, _, banned in ROWS for word in banned})


def _literal(template: str) -> str:
    """The words of a template, without its values (with the nouns a count is said with:
    `{count:gebeurtenis|gebeurtenissen}`)."""
    parsed = string.Formatter().parse(template)
    return " ".join(
        literal + " " + (noun or "").replace("|", " ") for literal, _, noun, _ in parsed
    )


def _unquoted(text: str) -> str:
    return OPTION.sub(" ", FIELD.sub(" ", text))


def test_the_glossary_is_read() -> None:
    """The table has its rows (a broken table would make the tests below vacuous)."""
    assert len(ROWS) >= 30
    for term in ("hop", "checkpoint", "ledger", "lineage", "hash"):
        assert any(term in english for english, _, _ in ROWS), term
    for word in ("drager", "kophash", "checkpoint", "hop", "lineage", "overdracht", "hield"):
        assert word in BANNED, word


def test_every_dutch_template_uses_the_glossary_term() -> None:
    wrong = []
    for code, wording in CATALOGUE.items():
        english, dutch = _literal(wording.en), _literal(wording.nl).lower()
        for terms, required, _ in ROWS:
            if not required:
                continue
            named = [t for t in terms if re.search(rf"\b{re.escape(t)}(?:s|es)?\b", english)]
            if named and not any(stem.lower() in dutch for stem in required):
                wrong.append(f"{code}: '{named[0]}' is not said '{' of '.join(required)}'")
    assert wrong == []


def test_no_dutch_template_holds_a_banned_word() -> None:
    wrong = []
    for code, wording in CATALOGUE.items():
        dutch = _unquoted(_literal(wording.nl))
        wrong += [f"{code}: {w}" for w in BANNED if re.search(rf"\b{w}\b", dutch, re.I)]
        if re.search(r"\w\((e|en|n|s)\)", dutch):
            wrong.append(f"{code}: a plural in brackets")
    assert wrong == []


def test_a_count_before_a_noun_says_the_noun_in_both_numbers() -> None:
    """`{count} gebeurtenissen` says "1 gebeurtenissen": a number value before a noun must
    carry its noun as `{count:gebeurtenis|gebeurtenissen}`."""
    wrong = []
    for code, wording in CATALOGUE.items():
        template = wording.nl
        for name, kind in wording.values.items():
            bare = re.search(rf"\{{{name}\}} ([a-z]+)", template)
            if kind == "number" and bare and NOUNS.fullmatch(bare.group(1)):
                wrong.append(f"{code}: {{{name}}} {bare.group(1)}")
    assert wrong == []


def _sample(name: str, kind: str, n: int) -> Value:
    """A value of `kind` (n: 1 or 2, the number said and the events cited)."""
    words = {
        "verb": say("verb.sent"),
        "role": say("role.sender"),
        "what": say("what.sent"),
        "term": say("term.days", days=n),
        "since": say("since.got", event=event(3), time="2025-03-14T10:00:00+01:00"),
        "damage": say("damage.removed"),
        "problem": say("line.not_json", line=n),
        "why": say("shape.unknown_field", count=n),
        "wanted": say("not_preceded.received", receiver="b", hops=("stap4",)),
        "functions": say("derivation.no_function"),
        "years": say("term.years", years=n),
        "days": say("term.days", days=n),
    }
    samples: dict[str, Value] = {
        "name": "x",
        "number": n,
        "time": "2025-03-14T10:00:00+01:00",
        "seq": 5,
        "events": event(4) if n == 1 else event(4, 9),
        "names": ("a",) * n,
        "hop": "x",
        "hops": ("x",) * n,
        "word": words.get(name, say("what.event")),
        "part": None,
        "parts": (say("weak.no_checkpoint"),) * n,
    }
    return samples[kind]


@pytest.mark.parametrize("n", [1, 2])
def test_every_code_rendered_in_dutch_agrees_in_number(n: int) -> None:
    """Rendered with every number 1 (then 2): no "1 gebeurtenissen", no "2 gebeurtenis"."""
    wrong = []
    for code, wording in CATALOGUE.items():
        values = {k: _sample(k, kind, n) for k, kind in wording.values.items()}
        said = render(say(code, **values), "nl", Voice("nl", time=moment))
        for number, noun in re.findall(r"\b([12]) ([a-z]+)\b", said):
            plural = bool(re.search(r"(en|s)$", noun)) and noun != "gebeurtenis"
            if NOUNS.fullmatch(noun) and (number == "1") == plural:
                wrong.append(f"{code}: {number} {noun}")
        if re.search(r"\d{4}-\d{2}-\d{2}T\d", said):
            wrong.append(f"{code}: a raw ISO time")
    assert wrong == []


def _visible(page: str) -> str:
    """The page's words a reader sees and that the tool wrote: no style, no <code> (names of
    files and hashes), no tag or attribute; the contract's own titles, and its notes on a
    reading, which are English (scope.interpretation says so), left out."""
    page = re.sub(r"<style>.*?</style>|<code[^>]*>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r"in het Engels\): .*?</li>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    contract = load_contract(CONTRACT).contract
    own = [i.title for i in contract.invariants] + [contract.title]
    for title in sorted(filter(None, own), key=len, reverse=True):
        text = text.replace(title, " ")
    return _unquoted(text)


@pytest.mark.parametrize("scenario", ["background_while_contact_held", "ledger_line_removed", None])
def test_the_page_holds_no_banned_word_and_no_raw_time(
    tmp_path: Path, scenario: str | None
) -> None:
    out = tmp_path / "proof.html"
    args: list[str | Path] = ["prove", "--contract", CONTRACT, "--format", "html", "--output", out]
    if scenario is None:
        args += ["--at", "2025-12-31T12:00:00+01:00"]
    else:
        at = json.loads((FLOWS / scenario / "expected.json").read_text())["at"]
        args += ["--ledger", FLOWS / scenario / "ledger.jsonl", "--at", at]
    run = run_cli(*args)
    assert "Traceback" not in run.everything, run.everything
    text = _visible(out.read_text(encoding="utf-8"))
    found = [w for w in BANNED if re.search(rf"\b{w}\b", text, re.I)]
    assert found == []
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", text)
    assert "gebeurtenis" in text and "stap" in text  # the page was read at all


def test_a_count_is_said_with_its_noun_in_the_right_number() -> None:
    """`{size:gebeurtenis|gebeurtenissen}`: render says the number and the noun that fits."""
    one = render(say("checkpoint.emptied", checkpoint="c", size=1), "nl")
    two = render(say("checkpoint.emptied", checkpoint="c", size=2), "nl")
    assert "omvat 1 gebeurtenis," in one and "omvat 2 gebeurtenissen," in two
