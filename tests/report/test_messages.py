"""The catalogue of what the prover and the ledger say (datacontract/messages): every code in
English and Dutch, every template naming exactly the code's values, every code said somewhere,
and every counterexample of every flow scenario worded from the catalogue in both languages.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT

from datacontract.messages import (
    CATALOGUE,
    KINDS,
    LANGUAGES,
    Message,
    Voice,
    event,
    fields,
    render,
    say,
)

SRC = ROOT / "src" / "datacontract"
FLOWS = ROOT / "tests" / "fixtures" / "flows"
SCENARIOS = sorted(p.name for p in FLOWS.iterdir() if (p / "expected.json").exists())
UNTRANSLATED = "(in het Engels)"


def test_every_code_has_both_languages_and_names_only_its_values() -> None:
    wrong = []
    for code, wording in CATALOGUE.items():
        wrong += [f"{code}: kind {k!r}" for k in wording.values.values() if k not in KINDS]
        for language in LANGUAGES:
            template = wording.template(language)
            if not template.strip():
                wrong.append(f"{code}: no {language}")
            elif fields(template) != set(wording.values):
                wrong.append(f"{code} ({language}) says {sorted(fields(template))}")
    assert wrong == []


def _said_codes() -> set[str]:
    """The codes the source says: as a literal ("held"), or as a prefix of an f-string
    (f"verb.{e.kind}") whose every code counts as said."""
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in SRC.rglob("*.py")
        if "messages" not in p.relative_to(SRC).parts
    )
    quoted = set(re.findall(r"""["']([a-z_]+(?:\.[a-z0-9_]+)?)["']""", source))
    prefixes = set(re.findall(r"""f["']([a-z_]+)\.\{""", source))
    return {c for c in CATALOGUE if c in quoted or (c.split(".")[0] in prefixes and "." in c)}


def test_every_code_is_said_somewhere() -> None:
    """The catalogue's own grammar says the event words (event.one, event.two, event.and)."""
    grammar = {"event.one", "event.two", "event.and"}
    assert sorted(set(CATALOGUE) - _said_codes() - grammar) == []


def test_say_refuses_what_a_code_does_not_carry() -> None:
    with pytest.raises(ValueError, match="no message"):
        say("held_togther", party="p")
    with pytest.raises(ValueError, match="carries"):
        say("held", party="p", dataset="d")  # `since` left out
    with pytest.raises(ValueError, match="not a events"):
        say("held", party="p", dataset="d", since=5)
    with pytest.raises(ValueError, match="one or two"):
        event(1, 2, 3)


def test_values_are_substituted_not_parsed() -> None:
    said = say("sent_twice", dataset="dataset_1", who="betaler_a", hop="stap4", events=event(3, 7))
    assert (
        render(said) == "dataset_1 sent a second time for betaler_a on hop stap4 (events 3 and 7)"
    )
    assert render(said, "nl") == (
        "dataset_1 een tweede keer verstuurd voor betaler_a in stap4 (gebeurtenissen 3 en 7)"
    )
    # a refusal says the event it would add in words, the other by number
    this = say("event.this", what=say("what.sent"))
    refused = render(said, voice=Voice("en", cite={7: this}.get))
    assert refused.endswith("(event 3 and this transfer)")
    # the page links each cited number and escapes every piece
    page = render(
        say("held", party="<b>", dataset="d", since=event(4)),
        voice=Voice("nl", text=lambda t: t.replace("<", "&lt;"), number=lambda n: f"[{n}]"),
    )
    assert page == "&lt;b> had d in bezit vanaf gebeurtenis [4]"
    # a time value may be said otherwise (the page's dates), the rest as it is
    late = say("after_deadline", hop="stap4", who="b", time="2025-03-14T10:00:00+01:00",
               deadline="2025-03-01T00:00:00+01:00")  # fmt: skip
    dated = render(late, voice=Voice("nl", time=lambda t: t[:10]))
    assert dated == "stap4 door b op 2025-03-14, na het uiterste tijdstip 2025-03-01"


def _messages(said: Message) -> list[Message]:
    out = [said]
    for _, value in said.values:
        for one in value if isinstance(value, tuple) else (value,):
            if isinstance(one, Message):
                out += _messages(one)
    return out


def _proofs() -> list[list[Message]]:
    from datacontract.contract.load import load_contract
    from datacontract.flow import prover
    from datacontract.ledger import store

    loaded = load_contract(CONTRACT)
    out = []
    for scenario in SCENARIOS:
        at = json.loads((FLOWS / scenario / "expected.json").read_text())["at"]
        state = store.read(store.locate(str(FLOWS / scenario / "ledger.jsonl")))
        proof = prover.prove(loaded, state, at=datetime.fromisoformat(at))
        out.append([c.said for v in proof.verdicts for c in v.counterexamples])
    return out


def test_every_counterexample_of_every_scenario_is_worded_in_both_languages() -> None:
    """What the HTML and PDF proof show is the catalogue's Dutch, never the English; the JSON's
    message is the catalogue's English (tests/flow's golden proofs hold it word for word)."""
    said = [m for proof in _proofs() for m in proof]
    assert len(said) > 20
    for m in said:
        dutch, english = render(m, "nl"), render(m, "en")
        assert UNTRANSLATED not in dutch and dutch != english, english


def test_the_modules_that_word_the_proof_parse_no_sentence() -> None:
    """No regular expression over the project's own words in the prover or the report: the
    patterns left are Graphviz's SVG, control characters and the contract's income pattern."""
    allowed = {"proof_graph.py", "inert.py", "sqllineage.py"}
    for part in ("flow", "report"):
        for p in (SRC / part).glob("*.py"):
            if p.name not in allowed:
                assert not re.search(
                    r"\bre\.(sub|match|compile|search|findall)\(", p.read_text()
                ), p


def test_a_message_crosses_marshal_whole() -> None:
    """The ledger's readers of parts of a file send their problems back through marshal."""
    import marshal

    from datacontract.messages import from_plain, to_plain

    nested = say(
        "undeclared",
        event=event(3),
        problems=(
            say("undeclared.party", role=say("role.sender")),
            say("undeclared.carries", hop="stap4", declared="d", dataset="e"),
        ),
    )
    held = say("held_together", party="p", first="a", second="b", since=event(2), until=None)
    why = say("line.not_event", line=4, why=say("shape.lacks", missing=("seq", "hash")))
    for said in (nested, held, why):
        assert from_plain(marshal.loads(marshal.dumps(to_plain(said)))) == said


def test_the_cover_finds_a_broken_checkpoint_by_its_value(tmp_path: Path) -> None:
    """The page says a checkpoint the ledger no longer extends, found by the problem's
    `checkpoint` value (not by searching its sentence)."""
    from tests.ledger.shared import cli, data_file, receive, send, setup

    ledger = str(tmp_path / "l.jsonl")
    contract, keys = setup(tmp_path, ledger)
    for n in range(2):
        f = data_file(tmp_path, f"d{n}.csv")
        assert send(contract, ledger, f, "--key", keys / "a.key", "--at",
                    f"2025-01-0{n + 1}T10:00:00+01:00").code == 0  # fmt: skip
        assert receive(contract, ledger, f, "--key", keys / "b.key", "--keyring", keys, "--at",
                       f"2025-01-0{n + 1}T11:00:00+01:00").code == 0  # fmt: skip
    good, cut = tmp_path / "good", tmp_path / "cut"
    cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key", "--output", cut)
    lines = Path(ledger).read_bytes().splitlines(keepends=True)
    Path(ledger).write_bytes(b"".join(lines[:-1]))  # the last event gone
    cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key", "--output", good)
    page = tmp_path / "p.html"
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--checkpoint", good,
              "--checkpoint", cut, "--at", "2025-02-01T00:00:00+01:00", "--format", "html",
              "--output", page)  # fmt: skip
    assert run.code == 1, run.everything
    said = page.read_text(encoding="utf-8")
    cover = {name: said[said.index(f"<code>{name}</code>") :][:400] for name in (good, cut)}
    assert "NIET" in cover[cut] and "NIET" not in cover[good].split("<br>")[0]
