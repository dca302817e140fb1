"""A proof says what it proves, from what evidence, and what it cannot see (issue 25).

Each case is played on a small signed flow (tests/ledger/shared.py's keys and hooks, with a
contract of two hops here) and proven in every format: text, JSON, HTML (and the PDF once):
- signed, checkpointed, verified: PROVED, the strongest level, exit 0 also with --require;
- an unsigned event slipped in at the end: without --keyring never PROVED (holds, not a
  proof; the event named), with it "not judged" (damaged), --require proven exits 1;
- `ledger repair` cut a torn tail: the repair is named (verify and proof) and the proof is no
  longer the strongest; a cut whole event says so;
- an event removed in the middle: the damage is the finding (a removed event, not a cut);
  knock-on failures are "not judged", never breaches; a breach before the damage still is;
- an invariant that holds because nothing happened is said to hold vacuously;
- plain lines off a terminal: no box, no wrapped line, hashes whole.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Run
from tests.ledger.shared import DATASET_D, HEAD, cli, data_file, receive, send, signed_flow

from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.event import digest

CONTRACT = (
    HEAD
    + DATASET_D
    + """\
  - id: e
    title: E
    made_by: a
    article: art. 3
    columns:
      - {name: x, category: background, article: art. 3}
hops:
  - {id: share, dataset: d, from: a, to: b, channel: c, article: art. 4}
  - {id: late, dataset: e, from: a, to: b, channel: c, article: art. 4, optional: true}
milestones:
  - {id: done, title: Done, party: b, article: art. 5}
invariants:
  - {id: ledger_intact, kind: ledger_intact, title: intact, article: art. 6}
  - {id: hash_travels, kind: received_matches_sent, title: hashes, article: art. 7}
  # NOT FROM THE PROTOCOL: the text says "na afloop"; read as after the milestone done.
  - id: late_after_done
    kind: received_after_milestone
    title: late after done
    params: {hop: late, milestone: done}
    article: art. 8
"""
)
BOXES = set("│┃┏┓┗┛━─┌┐└┘├┤┬┴┼╭╮╰╯═║")


def _flow(tmp_path: Path, transfers: int = 3) -> tuple[Path, Path, Path]:
    """Signed transfers a -> b on `share`, each sent and received: 2 events each."""
    return signed_flow(tmp_path, transfers, CONTRACT)


def _checkpoint(ledger: Path, keys: Path, tmp_path: Path) -> Path:
    cp = tmp_path / "head.checkpoint"
    run = cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key", "--output", cp)
    assert run.code == 0, run.everything
    return cp


def _prove(contract: Path, ledger: Path, fmt: str, *extra: str | Path) -> Run:
    return cli("prove", "--contract", contract, "--ledger", ledger, "--format", fmt, *extra)


def _all(contract: Path, ledger: Path, *extra: str | Path) -> tuple[int, dict[str, Any], str, str]:
    """The exit code, the JSON proof, the text and the HTML page; the same code in each."""
    as_json = _prove(contract, ledger, "json", *extra)
    text = _prove(contract, ledger, "text", *extra)
    page = _prove(contract, ledger, "html", *extra)
    assert as_json.code == text.code == page.code, (as_json.code, text.code, page.code)
    return as_json.code, json.loads(as_json.stdout), text.stdout, page.stdout


def _appended_unsigned(ledger: Path, **changes: object) -> int:
    """Append an event nobody signed (a copy of the last, its hash chained): what anyone with
    write access to the file can do. Its seq."""
    lines = ledger.read_bytes().splitlines(keepends=True)
    last = json.loads(lines[-1])
    obj = {k: v for k, v in last.items() if k not in ("sig", "hash", "witness")}
    obj.update(seq=last["seq"] + 1, prev=last["hash"], **changes)
    obj["hash"] = digest(obj)
    ledger.write_bytes(b"".join(lines) + (canonical_json(obj) + "\n").encode("utf-8"))
    return int(obj["seq"])


def _verdicts(proof: dict[str, Any]) -> dict[str, str]:
    return {v["invariant"]: v["verdict"] for v in proof["verdicts"]}


def _visible(page: str) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
    )


def test_signed_and_checkpointed_evidence_is_proven(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    code, proof, text, page = _all(contract, ledger, "--keyring", keys, "--checkpoint", cp)
    assert code == 0 and proof["level"] == "proven"
    assert proof["evidence"]["signatures"] == "verified"
    assert proof["evidence"]["checkpoint"] == "consistent" and proof["evidence"]["weaknesses"] == []
    assert text.startswith("PROVED on signed and checkpointed evidence")
    assert "Bewezen op ondertekende gebeurtenissen en een bevestigd controlepunt" in page
    assert "banner ok" in page
    strict = _prove(contract, ledger, "json", "--keyring", keys, "--checkpoint", cp,
                    "--require", "proven")  # fmt: skip
    assert strict.code == 0


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_without_a_keyring_the_same_ledger_is_not_proven(tmp_path: Path, fmt: str) -> None:
    contract, _keys, ledger = _flow(tmp_path)
    run = _prove(contract, ledger, fmt)
    assert run.code == 0  # every invariant holds: the exit code stays as it was
    assert "PROVED" not in run.stdout and "Bewezen" not in run.stdout
    strict = _prove(contract, ledger, fmt, "--require", "proven")
    assert strict.code == 1
    assert _prove(contract, ledger, fmt, "--require", "holds").code == 0


def test_an_unsigned_forged_event_is_never_proved(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path)
    seq = _appended_unsigned(ledger, kind="received", rows=999)
    code, proof, text, page = _all(contract, ledger)
    # An unsigned event after signed ones is damage even without a keyring (a signed ledger
    # takes only signed events, issue 23): never proved, and not judged past it.
    assert code == 1 and proof["level"] == "not_judged" and "PROVED" not in text
    assert "signatures_not_checked" in proof["evidence"]["weaknesses"]
    assert proof["evidence"]["unsigned_events"] == [seq]
    assert proof["evidence"]["damage"]["kind"] == "unsigned"
    assert text.startswith(f"NOT JUDGED: the ledger is damaged at line {seq}")
    shown = _visible(page)
    assert "Bewezen" not in shown.replace("niet bewezen", "")
    assert "Niet te beoordelen" in shown
    # with the keyring the event is damage: the proof is not judged, exit 1 as for damage
    code, proof, text, page = _all(contract, ledger, "--keyring", keys)
    assert code == 1 and proof["level"] == "not_judged"
    assert proof["evidence"]["damage"]["kind"] == "unsigned"
    assert proof["evidence"]["damage"]["seq"] == seq
    assert text.startswith(f"NOT JUDGED: the ledger is damaged at line {seq}")
    assert "Niet te beoordelen: het grootboek is beschadigd op regel" in _visible(page)


def test_the_issuer_is_never_the_login_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.delenv("DATACONTRACT_ISSUER", raising=False)
    contract, _, ledger = _flow(tmp_path, transfers=1)
    page = _prove(contract, ledger, "html").stdout
    assert "<dt>Opgesteld door</dt><dd>niet opgegeven" in page
    login = getpass.getuser()
    assert f"<dd>{login}</dd>" not in page and f"door {login} " not in page
    named = _prove(contract, ledger, "html", "--issuer", "A. Auditor, VUTG").stdout
    assert "<dt>Opgesteld door</dt><dd>A. Auditor, VUTG</dd>" in named


@pytest.mark.parametrize("whole", [False, True])
def test_a_repair_is_named_and_the_proof_is_no_longer_the_strongest(
    tmp_path: Path, whole: bool
) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    torn = lines[-1].rstrip(b"\n") if whole else lines[-1][:40]  # a whole event, or a piece
    ledger.write_bytes(b"".join(lines) + torn)
    assert cli("ledger", "repair", "--ledger", ledger).code == 0
    verify = cli("ledger", "verify", "--ledger", ledger, "--keyring", keys)
    assert verify.code == 0 and "repaired at" in verify.stdout and "line 7 cut" in verify.stdout
    code, proof, text, page = _all(contract, ledger, "--keyring", keys, "--checkpoint", cp)
    assert code == 0 and proof["level"] == "holds"
    assert proof["evidence"]["weaknesses"] == ["repaired"]
    [repair] = proof["evidence"]["repairs"]
    assert repair["line"] == 7 and repair["whole_event"] is whole
    assert "repairs: 1 repair recorded beside the ledger" in text
    assert re.search(r"A repair at \S+ cut line 7 \(\d+ bytes\) off the ledger", text)
    assert ("were a whole event" in text) is whole
    shown = _visible(page)
    assert "Herstellingen" in shown and "knipte regel 7" in shown
    assert ("volledige gebeurtenis" in shown) is whole
    assert _prove(contract, ledger, "json", "--keyring", keys, "--checkpoint", cp,
                  "--require", "proven").code == 1  # fmt: skip


def test_an_event_removed_in_the_middle_is_the_finding_not_the_knock_on(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:2] + lines[3:]))  # the second send (line 3) removed
    code, proof, text, page = _all(contract, ledger, "--keyring", keys, "--checkpoint", cp)
    assert code == 1 and proof["level"] == "not_judged"
    damage = proof["evidence"]["damage"]
    assert (damage["kind"], damage["line"], damage["judged_events"]) == ("removed", 3, 2)
    verdicts = _verdicts(proof)
    # its receipt (now line 3) matches no send: a knock-on, not judged; no breach but the damage
    assert verdicts["hash_travels"] == "not_judged"
    assert [k for k, v in verdicts.items() if v == "broken"] == ["ledger_intact"]
    assert text.startswith("NOT JUDGED: the ledger is damaged at line 3 (an event was removed")
    assert "not judged: hash_travels" in text
    for said in (text, _visible(page), json.dumps(proof)):
        assert (
            "cut short" not in said and "ingekort" not in said and "afgeknipt einde van" not in said
        )
    shown = _visible(page)
    assert "een gebeurtenis werd verwijderd of verplaatst" in shown
    assert "niet beoordeeld" in shown and "geschonden" in shown


def test_a_breach_before_the_damage_is_still_a_breach(tmp_path: Path) -> None:
    contract, _keys, ledger = _flow(tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    obj = json.loads(lines[1])  # the first receipt: another file's hash
    obj["sha256"] = "0" * 64
    obj.pop("hash")
    obj["hash"] = digest(obj)
    lines[1] = (canonical_json(obj) + "\n").encode("utf-8")  # edited: line 3 no longer follows
    del lines[4]  # and an event removed further on
    ledger.write_bytes(b"".join(lines))
    code, proof, _, _ = _all(contract, ledger)
    assert code == 1 and proof["evidence"]["damage"]["line"] == 3
    assert _verdicts(proof)["hash_travels"] == "broken"  # on line 2, before the damage


def test_an_invariant_that_nothing_tested_holds_vacuously(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path, transfers=1)
    _code, proof, text, page = _all(contract, ledger)
    vacuous = {v["invariant"]: v["vacuous"] for v in proof["verdicts"]}
    assert vacuous == {"ledger_intact": False, "hash_travels": False, "late_after_done": True}
    assert "holds (vacuously): late_after_done" in text
    said = [s["message"] for s in proof["scope"]]
    assert (
        "late_after_done holds only because the ledger records no event it looks at (late): "
        "nothing took place that could break it." in said
    )
    shown = _visible(page)
    assert "Reikwijdte en grenzen van dit bewijs" in shown
    assert "late_after_done geldt enkel omdat het grootboek geen gebeurtenis bevat" in shown
    assert "zonder gebeurtenis om te toetsen" in shown
    # the reading of the protocol the verdict rests on, in every format
    note = 'the text says "na afloop"; read as after the milestone done.'
    assert any(note in s for s in said) and note in text
    assert "steunt op een lezing die niet letterlijk in het protocol staat" in shown
    # once an event of its kind happens, it is not vacuous any more
    f = data_file(tmp_path, "e.csv")
    run = cli("hop", "send", f, "--contract", contract, "--hop", "late", "--ledger", ledger,
              "--key", keys / "a.key", "--record-violation")  # fmt: skip
    assert run.code == 1
    _, proof, _, _ = _all(contract, ledger)
    assert not any(v["vacuous"] for v in proof["verdicts"])


def test_the_scope_names_what_the_ledger_cannot_show(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path, transfers=1)
    _, proof, _text, page = _all(contract, ledger, "--keyring", keys)
    first = proof["scope"][0]["message"]
    assert first.startswith("The ledger holds what the parties recorded themselves.")
    assert "and who signed each" in first
    assert "Het grootboek bevat wat de partijen zelf vastlegden." in _visible(page)
    assert any("not pinned by the contract" in s["message"] for s in proof["scope"])


@pytest.mark.parametrize("case", ["proven", "damaged", "vacuous"])
def test_prove_off_a_terminal_is_plain_lines(tmp_path: Path, case: str) -> None:
    contract, keys, ledger = _flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    if case == "damaged":
        lines = ledger.read_bytes().splitlines(keepends=True)
        ledger.write_bytes(b"".join(lines[:2] + lines[3:]))
    run = _prove(contract, ledger, "text", "--keyring", keys, "--checkpoint", cp)
    proof = json.loads(
        _prove(contract, ledger, "json", "--keyring", keys, "--checkpoint", cp).stdout
    )
    out = run.stdout
    assert not BOXES & set(out), out
    lines = out.splitlines()
    assert (
        f"ledger head {proof['ledger_hash']}; contract sha256 {proof['contract_sha256']}" in lines
    )
    for said in proof["scope"]:  # every sentence whole on its line
        assert f"  - {said['message']}" in lines
    for v in proof["verdicts"]:
        word = {"holds": "holds", "broken": "broken", "not_judged": "not judged"}[v["verdict"]]
        word += " (vacuously)" if v["vacuous"] else ""
        assert f"  {word}: {v['invariant']} ({v['article']})" in lines


def test_ledger_verify_and_coverage_off_a_terminal_are_plain_lines(tmp_path: Path) -> None:
    from tests.conftest import CONTRACT as STUDY

    _contract, keys, ledger = _flow(tmp_path, transfers=1)
    verify = cli("ledger", "verify", "--ledger", ledger, "--keyring", keys)
    head = json.loads(ledger.read_bytes().splitlines()[-1])["hash"]
    assert verify.code == 0 and head in verify.stdout and len(verify.stdout.splitlines()) == 1
    covered = cli("coverage", "--contract", STUDY)
    assert not BOXES & set(covered.stdout)
    assert any(
        line.startswith("  encoded: vg1.gezinscode: ") for line in covered.stdout.splitlines()
    )


def test_the_pdf_says_the_strength_too(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    contract, _, ledger = _flow(tmp_path, transfers=1)
    out = tmp_path / "proof.pdf"
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--format", "pdf",
              "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    reader = pypdf.PdfReader(str(out))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Geldt, maar is niet bewezen" in text and "Reikwijdte en grenzen" in text


def test_the_dutch_page_writes_dates_as_the_protocols_do_and_labels_every_year(
    tmp_path: Path,
) -> None:
    """Dates as '14 maart 2025 om 10:00' (never a raw ISO time), and a timeline that crosses a
    new year names the new year on its first tick in it."""
    ledger = tmp_path / "ledger.jsonl"
    contract = tmp_path / "mini.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    for n, at in enumerate(("2025-12-10T10:00:00+01:00", "2025-12-29T09:30:00+01:00")):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, str(ledger), f, "--at", at).code == 0
        assert receive(contract, str(ledger), f, "--at", at.replace(":00:00", ":05:00")).code == 0
    page = _prove(contract, ledger, "html", "--at", "2026-01-20T12:00:00+01:00").stdout
    shown = _visible(page)
    assert "20 januari 2026 om 12:00" in shown and "10 december 2025 om 10:00" in shown
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", shown)
    timeline = page[page.index('<svg class="timeline"') :]
    ticks = re.findall(r'text-anchor="middle">([^<]+)</text>', timeline[: timeline.index("</svg>")])
    january = [t for t in ticks if " jan" in f" {t}"]
    assert january and january[0].endswith("2026"), ticks
    assert any(t.endswith("2025") for t in ticks), ticks


def test_events_are_cited_in_the_ledgers_order() -> None:
    from datacontract.messages import event, render, say

    said = say("sent_twice", dataset="d", who="a", hop="share", events=event(7, 3))
    assert render(said) == "d sent a second time for a on hop share (events 3 and 7)"
    assert "(gebeurtenissen 3 en 7)" in render(said, "nl")


def test_on_an_empty_ledger_only_what_looks_at_events_holds_vacuously(tmp_path: Path) -> None:
    from tests.conftest import CONTRACT as STUDY

    ledger = tmp_path / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", ledger, "--contract", STUDY).code == 0
    run = _prove(STUDY, ledger, "json", "--at", "2025-03-01T00:00:00+01:00")
    proof = json.loads(run.stdout)
    vacuous = {v["invariant"]: v["vacuous"] for v in proof["verdicts"]}
    # the declared SQL and the ledger's own integrity are judged on something: not vacuous
    assert not vacuous["identifiers_only_pseudonymised"] and not vacuous["ledger_intact"]
    assert vacuous["contact_and_background_apart"] and vacuous["phone_wave_during_fieldwork"]
    said = [s["message"] for s in proof["scope"]]
    assert (
        "The ledger records no event: every invariant on events holds only because nothing took place."
        in said
    )
