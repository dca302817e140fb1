"""Names a ledger carries that the contract does not declare never come out of any output.

A ledger's events carry names written by the parties (party, sender, receiver, dataset, hop,
milestone). The rule (contract/names.py, docs/architecture.md "Names are data too"): an output
shows a name only when the contract declares it; an undeclared one is said withheld, by the
event's number. The ledger below is chained and complete (append_event), its undeclared names
are canaries: a synthetic INSZ (make_insz), an e-mail address and a marker string, and every
output of every command that reads a ledger is searched for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.ledger.append import append_event
from datacontract.ledger.chain import EventDraft
from datacontract.personal.insz import NOTATIONS, format_insz, make_insz

FLOWS = Path(__file__).resolve().parents[1] / "fixtures" / "flows"
AT = "2025-12-31T12:00:00+01:00"
INSZ = make_insz(dt.date(1984, 6, 12), 207)
EMAIL = "kanarie.ledger@kanarie-test.be"
MARKER = "ZZLEDGERCANARY"
CANARIES = [
    *(format_insz(INSZ, n) for n in NOTATIONS),
    EMAIL,
    MARKER,
    "ZZHOPCANARY",
    "ZZMILECANARY",
]


def _draft(event: dict[str, object], **changes: object) -> EventDraft:
    fields = {k: event[k] for k in EventDraft.__dataclass_fields__ if k in event}
    fields.update(changes)
    return EventDraft(**fields)  # type: ignore[arg-type]


def canary_ledger(folder: Path) -> Path:
    """The unknown_party flow, chained anew, with a party, a sender, a receiver, a dataset, a
    hop and a milestone the contract does not declare, each a canary."""
    ledger = folder / "ledger.jsonl"
    ledger.touch()
    lines = (FLOWS / "unknown_party" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    for event in events:
        append_event(ledger, _draft(event, receiver=INSZ if event["receiver"] == "gemeente_x"
                                    else event["receiver"]))  # fmt: skip
    last = events[-1]
    time = "2025-07-20T10:00:00+02:00"
    sha = hashlib.sha256(b"canary").hexdigest()
    base = {**last, "findings": (), "violation": False, "time": time, "sha256": sha, "rows": 3}
    for draft in (
        _draft(base, kind="sent", party=EMAIL, sender=EMAIL, receiver="fons",
               dataset="dataset_4", hop="stap6_contact"),
        _draft(base, kind="received", party=MARKER, sender="opgroeien_it", receiver=MARKER,
               dataset=f"ds_{EMAIL}", hop="ZZHOPCANARY"),
        _draft(base, kind="milestone", party="opgroeien_it", sender=None, receiver=None,
               dataset=None, hop=None, sha256=None, rows=None, milestone="ZZMILECANARY"),
        _draft(base, kind="destroyed", party=INSZ, sender=None, receiver=None,
               dataset="dataset_4", hop=None, rows=None),
    ):  # fmt: skip
        append_event(ledger, draft)
    (folder / "ledger.jsonl.lock").unlink(missing_ok=True)
    return ledger


def assert_no_canary(text: str) -> None:
    """No canary in `text`, in any notation of the INSZ, nor a part of the e-mail address."""
    for canary in CANARIES:
        assert canary not in text, canary
    assert "kanarie" not in text.lower() and "CANARY" not in text


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return canary_ledger(tmp_path_factory.mktemp("canary"))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_prove_withholds_undeclared_names(ledger: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"proof.{fmt}"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                  "--format", fmt, "--output", out)  # fmt: skip
    assert run.code == 1 and "Traceback" not in run.everything, run.everything
    said = out.read_text(encoding="utf-8")
    assert_no_canary(run.everything + said)
    assert "a hop not in the contract" in said  # the receipt on the undeclared hop
    if fmt == "json":
        held = {(h["party"], h["dataset"]) for h in json.loads(said)["holdings"]}
        assert ("a party not in the contract", "a dataset not in the contract") in held


def test_prove_html_withholds_undeclared_names(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "proof.html"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                  "--format", "html", "--output", out)  # fmt: skip
    assert run.code == 1 and "Traceback" not in run.everything, run.everything
    page = out.read_text(encoding="utf-8")
    assert_no_canary(run.everything + page)
    # the graph and the appendix number the undeclared parties alike, by first appearance
    appendix = page[page.index("<table class='events'>") :]
    for number in (1, 2, 3):
        assert f"partij niet in het contract ({number})" in appendix
        assert f">partij niet in het contract ({number})</text>" in page
    assert "mijlpaal niet in het contract" in appendix and "stap niet in het contract" in appendix


@pytest.mark.parametrize("keyring", [False, True])
def test_ledger_verify_withholds_undeclared_names(
    ledger: Path, tmp_path: Path, keyring: bool
) -> None:
    """With a keyring every unsigned event's problem names its party: withheld when the
    contract does not declare it; and so in the proof that reads the same keyring."""
    ring: list[str | Path] = []
    if keyring:
        assert run_cli("keys", "new", "--party", "fons", "--out", tmp_path / "ring").code == 0
        ring = ["--keyring", tmp_path / "ring"]
    run = run_cli("ledger", "verify", "--ledger", ledger, "--contract", CONTRACT, *ring)
    assert "Traceback" not in run.everything, run.everything
    assert_no_canary(run.everything)
    assert "a party the contract does not declare" in run.everything
    if keyring:
        assert "(its party is a party not in the contract)" in run.everything
        proof = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                        "--format", "json", *ring)  # fmt: skip
        assert "a party not in the contract" in proof.everything, proof.everything
        assert_no_canary(proof.everything)


def test_lineage_export_withholds_undeclared_names(ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    run = run_cli("lineage", "export", "--contract", CONTRACT, "--ledger", ledger,
                  "--at", AT, "--output", out)  # fmt: skip
    assert run.code == 0 and "Traceback" not in run.everything, run.everything
    assert_no_canary(run.everything + out.read_text(encoding="utf-8"))


def test_every_message_that_names_an_event_name_withholds_an_undeclared_one() -> None:
    """The family behind every refusal and counterexample: each catalogue code whose values
    name a party, dataset, hop or milestone (flow/withheld.py), said with a canary in every
    such value, carries no canary in English or Dutch once withheld; the hooks' refusals
    (flow/record.py) and the proof render their messages so."""
    from datacontract.contract.load import load_contract
    from datacontract.contract.names import LedgerNames
    from datacontract.flow.withheld import _NAMES, _ROLES, message_withheld
    from datacontract.messages import Events, Message, render
    from datacontract.messages.catalogue import CATALOGUE

    names = LedgerNames.of(load_contract(CONTRACT).contract)
    word = Message("withheld.party", ())
    other = {"name": "fons", "hop": "stap4", "names": ("fons",), "hops": ("stap4",),
             "number": 2, "time": "2025-03-01T10:00:00+01:00", "seq": 3,
             "events": Events((3,)), "word": word, "part": word, "parts": (word,)}  # fmt: skip
    checked = 0
    for code, wording in CATALOGUE.items():
        planted = {k for k, v in wording.values.items() if k in _ROLES and v in _NAMES}
        if not planted:
            continue
        values = tuple(
            (k, ((EMAIL, MARKER) if v in ("names", "hops") else INSZ) if k in planted else other[v])
            for k, v in wording.values.items()
        )
        message = message_withheld(Message(code, values), names)  # type: ignore[arg-type]
        for language in ("en", "nl"):
            assert_no_canary(render(message, language))  # type: ignore[arg-type]
        checked += 1
    assert checked >= 20


def test_prove_pdf_withholds_undeclared_names(ledger: Path, tmp_path: Path) -> None:
    """The PDF is the page printed: its text (every page) holds no canary either."""
    from pypdf import PdfReader

    out = tmp_path / "proof.pdf"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger, "--at", AT,
                  "--format", "pdf", "--output", out)  # fmt: skip
    if run.code == 2 and "Chromium" in run.everything:
        pytest.skip("no PDF renderer installed")
    assert run.code == 1 and "Traceback" not in run.everything, run.everything
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "niet in het contract" in text
    assert_no_canary(run.everything + text + out.read_bytes().decode("latin-1"))
