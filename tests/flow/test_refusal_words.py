"""A refusal records nothing, so it cannot cite an event by a number the ledger does not hold:
the transfer it refuses is "this transfer" (its arrival "the arrival of this transfer"), a
refused receipt "this receipt"; every event number it names is one the ledger holds."""

from __future__ import annotations

import re
from pathlib import Path

from tests.flow.test_hop import files, receive, refused, send, up_to_fieldwork  # noqa: F401

from datacontract.ledger.chain import read_ledger


def cited(text: str) -> set[int]:
    """Every sequence number a message cites: `event 25`, `events 25 and 35`, `events 25, 35`."""
    out = set()
    for group in re.findall(r"\bevents? ((?:\d+(?:, | and )?)+)", text):
        out |= {int(n) for n in re.findall(r"\d+", group)}
    return out


def test_a_refusal_cites_only_events_the_ledger_holds(
    files: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    up_to_fieldwork(ledger, files)
    last = read_ledger(ledger).events[-1].seq
    before = ledger.read_bytes()
    background = files["achtergrond"]
    run = send(ledger, background, "stap6_achtergrond", "2025-07-15T10:00:00+02:00")
    refused(run, ledger, before, "contact_and_background_apart", "this transfer")
    assert cited(run.stderr) and max(cited(run.stderr)) <= last, run.stderr
    assert "the arrival of this transfer" in run.stderr

    recorded = send(
        ledger, background, "stap6_achtergrond", "2025-07-15T10:00:00+02:00", "--record-violation"
    )
    assert recorded.code == 1
    last = read_ledger(ledger).events[-1].seq
    before = ledger.read_bytes()
    run = receive(ledger, background, "stap6_achtergrond", "2025-07-15T11:00:00+02:00")
    refused(run, ledger, before, "this receipt")
    assert max(cited(run.stderr)) <= last, run.stderr
