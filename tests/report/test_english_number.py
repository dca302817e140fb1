"""English counts agree with their noun, as the Dutch do (tests/report/test_dutch_glossary.py):
every code rendered with every number 1, then 2, says "1 event", "2 events", never "1 events",
"2 event" or "day(s)". A count stands before its noun as `{count:event|events}`."""

from __future__ import annotations

import re

import pytest
from tests.report.test_dutch_glossary import _sample

from datacontract.messages import CATALOGUE, render, say

NOUNS = (
    "event", "day", "week", "month", "year", "field", "repair", "byte", "row", "party",
    "file", "invariant", "family", "families", "column", "sheet", "part", "hop", "delivery",
    "deliveries", "checkpoint", "line", "key", "signature",
)  # fmt: skip
SINGULAR = {n for n in NOUNS if not n.endswith("ies")}


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"


def disagreements(said: str) -> list[str]:
    """The counts of `said` whose noun is in the other number, and every "(s)"."""
    wrong = ["(s)"] if "(s)" in said else []
    plurals = {_plural(s) for s in SINGULAR}
    for number, noun in re.findall(r"\b([12]) ([a-z]+)\b", said):
        if (number == "1" and noun in plurals) or (number == "2" and noun in SINGULAR):
            wrong.append(f"{number} {noun}")
    return wrong


@pytest.mark.parametrize("n", [1, 2])
def test_every_code_rendered_in_english_agrees_in_number(n: int) -> None:
    wrong = []
    for code, wording in CATALOGUE.items():
        values = {k: _sample(k, kind, n) for k, kind in wording.values.items()}
        wrong += [f"{code}: {w}" for w in disagreements(render(say(code, **values), "en"))]
    assert wrong == []


def test_the_check_can_fail() -> None:
    """disagreements finds what it looks for (a vacuous check would pass anything)."""
    assert disagreements("it holds 1 fields and 2 day, 1 families, 3 day(s)") == [
        "(s)", "1 fields", "2 day", "1 families"
    ]  # fmt: skip
    assert disagreements("1 event, 2 events, 1 family, 2 families, line 1 is") == []
