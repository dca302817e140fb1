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
from contextlib import suppress
from datetime import date, datetime, timedelta, timezone, tzinfo

from datacontract.messages import Message, Voice, render
from datacontract.report.inert import plain

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
SHORT_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

KINDS = {
    "sent": "verzending",
    "received": "ontvangst",
    "destroyed": "vernietiging",
    "milestone": "mijlpaal",
    "made": "aanmaak",
}

# LedgerProblem.kind -> what it says about the event it names
PROBLEMS = {
    "forged": "vervalst: de handtekening hoort niet bij de partij",
    "unsigned": "niet ondertekend (de sleutelring eist een handtekening)",
    "edited": "gewijzigd: de hashcode klopt niet",
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
    inert, each cited event's number said by `number` (a link to its row; plain when None),
    each time as `moment` says it."""
    return render(said, voice=Voice("nl", text=_escaped, number=number, time=moment))


def long_date(day: date) -> str:
    """14 maart 2025."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment(text: str) -> str:
    """An ISO 8601 time as the protocols write it, in Belgian time: 14 maart 2025 om 10:00
    (with seconds when there are any); the text itself when it is not a time."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return text
    if when.tzinfo is not None:
        with suppress(OverflowError, ValueError):  # the year 9999: keep its own offset
            when = when.astimezone(_belgian())
    seconds = f":{when.second:02d}" if when.second else ""
    return f"{long_date(when.date())} om {when.hour:02d}:{when.minute:02d}{seconds}"


def _belgian() -> tzinfo:
    """Belgian time (Europe/Brussels), or UTC+1 where the system has no time zone data."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Brussels")
    except (ImportError, KeyError, ValueError, OSError):
        return timezone(timedelta(hours=1))


def count(n: int, one: str, many: str) -> str:
    """1 gebeurtenis, 2 gebeurtenissen (with a thin dot as thousands separator)."""
    return f"{n:,}".replace(",", ".") + " " + (one if n == 1 else many)
