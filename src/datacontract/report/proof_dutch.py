"""The Dutch of the proof's page: its sentences, dates, event kinds and signature states.

The HTML and PDF proof speak Dutch, as the protocols and VUTG do; the JSON keeps the English
terms (`holds`, `sent`, ...). The prover's counterexamples and the ledger's problems are codes
with values (datacontract/messages.py holds their English and Dutch side by side): `dutch`
renders one in Dutch for the page, escaped, with each cited event's number a link to its row.
Month names and kinds follow the protocols' own usage.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime

from datacontract.messages import Message, Voice, render
from datacontract.report.inert import plain

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

KINDS = {
    "sent": "verstuurd",
    "received": "ontvangen",
    "destroyed": "vernietigd",
    "milestone": "mijlpaal",
    "made": "aangemaakt",
}

# LedgerProblem.kind -> what it says about the event it names
PROBLEMS = {
    "forged": "vervalst: de handtekening hoort niet bij de partij",
    "unsigned": "niet ondertekend (de sleutelring eist een handtekening)",
    "edited": "gewijzigd: de hash klopt niet",
    "witness": "verwijst naar een herschreven geschiedenis",
    "removed_or_reordered": "volgt niet op de vorige regel",
    "out_of_order_time": "vroeger dan de gebeurtenis ervoor",
    "bad_seq": "verkeerd volgnummer",
    "bad_first": "geen eerste gebeurtenis",
}


def _escaped(text: str) -> str:
    return html.escape(plain(text))


def dutch(said: Message, number: Callable[[int], str] | None = None) -> str:
    """A counterexample's or problem's words in Dutch, as HTML: every piece escaped and made
    inert, each cited event's number said by `number` (a link to its row; plain when None)."""
    return render(said, voice=Voice("nl", text=_escaped, number=number))


def long_date(day: date) -> str:
    """14 maart 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment(text: str) -> str:
    """An ISO 8601 time as 2025-03-10 11:00 +01:00; the text itself when it is not one."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    offset = when.strftime("%z")
    zone = f" {offset[:3]}:{offset[3:]}" if offset else ""
    seconds = ":%S" if when.second else ""
    return when.strftime(f"%Y-%m-%d %H:%M{seconds}") + zone


def count(n: int, one: str, many: str) -> str:
    """1 gebeurtenis, 2 gebeurtenissen (with a thin dot as thousands separator)."""
    return f"{n:,}".replace(",", ".") + " " + (one if n == 1 else many)
