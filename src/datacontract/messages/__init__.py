"""Every sentence the prover and the ledger's auditor say, as a code with values, in English
and Dutch side by side (one catalogue, in the manner of a gettext catalogue).

A `Message` is a code and its values: names from the contract (parties, datasets, hops,
milestones, invariants), numbers, times, cited ledger events, and nested messages (a verb, a
role, a term). `render(message, "en")` gives the English the JSON proof, the text output and
the hooks' refusals publish; `render(message, "nl")` the Dutch of the HTML and PDF proof. No
module parses another's sentences: whoever needs other words for a value (a refusal saying
"this transfer" for the event it would add, the HTML page linking an event number to its
row) passes a function to `render`, which applies it to the value.

CATALOGUE (catalogue.py) holds one `Wording` per code: the values it carries, each with its
kind, and one template per language in `str.format` syntax naming only those values. A test
fails when a code lacks a language, when a template names a value the code does not carry (or
leaves one unsaid), or when a code is said nowhere in the source.

Value kinds (what `say` accepts for each):
- name: a contract name (str), said as it is
- hop: a hop's id (str), said with the language's noun ("stap vraag", "hop vraag") unless the
  id already reads as one ("stap6_contact", not "stap stap6_contact": `hop_name`)
- hops: several hop ids (tuple of str): "stap6_contact, stap6_telefoon", "stappen a, b"
- number: a whole number (int), said as it is; a template may give it its noun in both
  numbers, `{count:gebeurtenis|gebeurtenissen}`: "1 gebeurtenis", "2 gebeurtenissen"
- time: an ISO 8601 time (str), said as it is
- seq: a ledger event's sequence number (int) after a word that already says "event"
- events: `Events` (one or two cited events): "event 5", "events 3 and 7"
- names: several contract names (tuple of str), said "a, b"
- word: a nested Message (a verb, a role, a term)
- part: a nested Message or None (an optional piece; None says nothing)
- parts: several nested Messages, said "a; b"

This module imports nothing of the project: the ledger (below every other part) words its
problems with it too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Union, cast

from datacontract.messages.catalogue import CATALOGUE, KINDS, LANGUAGES, Language, Wording


@dataclass(frozen=True)
class Events:
    """One or two ledger events a sentence cites, by sequence number."""

    seqs: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.seqs) not in (1, 2):
            raise ValueError(f"a sentence cites one or two events, not {len(self.seqs)}")


Value = Union[str, int, Events, "Message", tuple[str, ...], tuple["Message", ...], None]
Values = dict[str, Value]  # some values of a message, to pass on to `say` as keywords


@dataclass(frozen=True)
class Message:
    """A code of CATALOGUE and its values (made by `say`, which checks them)."""

    code: str
    values: tuple[tuple[str, Value], ...]

    def get(self, name: str) -> Value:
        return dict(self.values).get(name)

    @property
    def english(self) -> str:
        return render(self, "en")

    def __str__(self) -> str:
        return self.english


def say(code: str, **values: Value) -> Message:
    """The message `code` with its values; a code not in CATALOGUE, a value it does not carry
    (or one it carries left out), or a value of the wrong kind is a ValueError (a fault of the
    program, not of the input)."""
    wording = CATALOGUE.get(code)
    if wording is None:
        raise ValueError(f"no message {code!r} in the catalogue")
    if set(values) != set(wording.values):
        raise ValueError(f"message {code!r} carries {sorted(wording.values)}, not {sorted(values)}")
    for name, value in values.items():
        if not _fits(wording.values[name], value):
            raise ValueError(f"message {code!r}: {name!r} is not a {wording.values[name]}")
    return Message(code, tuple((name, values[name]) for name in wording.values))


def _fits(kind: str, value: Value) -> bool:
    if kind in ("name", "hop", "time"):
        return isinstance(value, str)
    if kind in ("number", "seq"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "events":
        return isinstance(value, Events)
    if kind in ("names", "hops"):
        return isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    if kind == "word":
        return isinstance(value, Message)
    if kind == "part":
        return value is None or isinstance(value, Message)
    if kind == "parts":
        return isinstance(value, tuple) and all(isinstance(v, Message) for v in value)
    return False


def fields(template: str) -> set[str]:
    """The value names a template says."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


# The noun a hop is said with (the protocols' "Stap 6", 000 D3), and the words an id may begin
# with that already say it (followed by a digit, "_", "-" or nothing): "stap6_contact".
_HOP_NOUN: dict[Language, tuple[str, str]] = {"en": ("hop", "hops"), "nl": ("stap", "stappen")}
_HOP_WORDS: dict[Language, str] = {"en": "hop|step", "nl": "stap"}


def _self_named(hop: str, language: Language) -> bool:
    return re.match(rf"(?:{_HOP_WORDS[language]})(?![a-z])", hop, re.IGNORECASE) is not None


def hop_name(hop: str, language: Language = "en") -> str:
    """A hop as a sentence names it: its id after the language's noun ("stap vraag", "hop
    stap4"), or the id alone when it already begins with that noun ("stap6_contact", never
    "stap stap6_contact")."""
    return hop if _self_named(hop, language) else f"{_HOP_NOUN[language][0]} {hop}"


def hops_name(hops: tuple[str, ...], language: Language = "en") -> str:
    """Several hops: "stap6_contact, stap6_telefoon" (ids that say it), else "stappen a, b"."""
    if len(hops) == 1 or all(_self_named(h, language) for h in hops):
        return ", ".join(hop_name(h, language) if len(hops) == 1 else h for h in hops)
    return f"{_HOP_NOUN[language][1]} {', '.join(hops)}"


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Voice:
    """How to render: the language, and what to do with the pieces.

    `text` is applied to every literal piece and every said value (the HTML page escapes);
    `number` says an event's sequence number (the HTML page links it to the event's row; its
    result is not passed through `text`); `cite` may say an event in other words (a refusal's
    "this transfer"): a Message for a seq, or None to cite it by number; `time` may say a time
    value otherwise (e.g. "14 maart 2025 om 10:00"; its result goes through `text`).
    """

    language: Language = "en"
    text: Callable[[str], str] = _same
    number: Callable[[int], str] | None = None
    cite: Callable[[int], Message | None] | None = None
    time: Callable[[str], str] | None = None


def render(message: Message, language: Language = "en", voice: Voice | None = None) -> str:
    """The message in `language` (with `voice`'s pieces, when given)."""
    how = voice if voice is not None else Voice(language)
    wording = CATALOGUE[message.code]
    values = dict(message.values)
    out = []
    for literal, name, noun, _ in string.Formatter().parse(wording.template(how.language)):
        out.append(how.text(literal))
        if name is not None:
            out.append(_value(wording.values[name], values[name], how, noun or ""))
    return "".join(out)


def _counted(value: int, noun: str) -> str:
    """A number with its noun, `noun` being 'one|many': 1 gebeurtenis, 2 gebeurtenissen."""
    one, _, many = noun.partition("|")
    return f"{value} {one if value == 1 else many or one}"


def _value(kind: str, value: Value, how: Voice, noun: str = "") -> str:
    if noun and kind == "number" and isinstance(value, int):
        return how.text(_counted(value, noun))
    if isinstance(value, Message):
        return render(value, how.language, how)
    if isinstance(value, Events):
        return _events(value, how)
    if kind == "seq" and isinstance(value, int) and how.number is not None:
        return how.number(value)
    if value is None:
        return ""
    if kind == "hop" and isinstance(value, str):
        return how.text(hop_name(value, how.language))
    if kind == "hops" and isinstance(value, tuple):
        return how.text(hops_name(tuple(str(v) for v in value), how.language))
    if kind == "time" and isinstance(value, str) and how.time is not None:
        return how.text(how.time(value))
    if isinstance(value, tuple):
        if kind == "parts":
            return how.text("; ").join(_value("word", v, how) for v in value)
        return how.text(", ".join(str(v) for v in value))
    return how.text(str(value))


def _events(events: Events, how: Voice) -> str:
    seqs = sorted(events.seqs)  # events are cited in the ledger's order
    named = [how.cite(s) if how.cite is not None else None for s in seqs]
    if any(n is not None for n in named):
        pairs = zip(seqs, named, strict=True)
        said = [n if n is not None else say("event.one", seq=s) for s, n in pairs]
        whole = say("event.and", first=said[0], second=said[1]) if len(said) == 2 else said[0]
        return render(whole, how.language, how)
    if len(events.seqs) == 1:
        return render(say("event.one", seq=events.seqs[0]), how.language, how)
    first, second = sorted(events.seqs)  # events are cited in the ledger's order
    return render(say("event.two", first=first, second=second), how.language, how)


Plain = tuple[object, ...]  # a message as nested tuples of str, int and None


def to_plain(message: Message) -> Plain:
    """The message as nested tuples of str, int and None (for marshal: the ledger's readers of
    parts of a file send their problems back that way); `from_plain` gives it back."""
    return ("m", message.code, tuple((name, _pack(v)) for name, v in message.values))


def _pack(value: Value) -> object:
    if isinstance(value, Message):
        return to_plain(value)
    if isinstance(value, Events):
        return ("e", value.seqs)
    if isinstance(value, tuple):
        return ("l", tuple(_pack(v) for v in value))
    return value


def from_plain(plain: Plain) -> Message:
    """The message `to_plain` gave."""
    _, code, values = cast(tuple[str, str, tuple[tuple[str, object], ...]], plain)
    return Message(code, tuple((name, _unpack(v)) for name, v in values))


def _unpack(value: object) -> Value:
    if not isinstance(value, tuple):
        return cast(Value, value)  # str, int or None
    if value[0] == "m":
        return from_plain(value)
    if value[0] == "e":
        return Events(tuple(value[1]))
    return cast(Value, tuple(_unpack(v) for v in value[1]))


def cited(message: Message) -> frozenset[int]:
    """Every event `message` cites by number, in itself or in a nested message (its `events`
    and `seq` values): what a line that names a counterexample's events before its sentence
    need not say again."""
    wording = CATALOGUE[message.code]
    out: set[int] = set()
    for name, value in message.values:
        if isinstance(value, Events):
            out.update(value.seqs)
        elif wording.values[name] == "seq" and isinstance(value, int):
            out.add(value)
        elif isinstance(value, Message):
            out |= cited(value)
        elif isinstance(value, tuple):
            for v in value:
                if isinstance(v, Message):
                    out |= cited(v)
    return frozenset(out)


def event(*seqs: int) -> Events:
    """The events a sentence cites: event(5), event(3, 7)."""
    return Events(tuple(seqs))


__all__ = [
    "CATALOGUE",
    "KINDS",
    "LANGUAGES",
    "Events",
    "Language",
    "Message",
    "Value",
    "Values",
    "Voice",
    "Wording",
    "cited",
    "event",
    "fields",
    "hop_name",
    "hops_name",
    "packed",
    "render",
    "say",
    "unpacked",
]
