"""The prover's counterexample messages in Dutch, for the HTML and PDF proof.

The prover (flow/invariants.py, flow/terms.py, flow/declared.py, ledger/audit.py) writes its
messages in English, as the JSON publishes them. The page speaks Dutch: each English sentence
shape has a Dutch one here, with the names, numbers and times carried over unchanged. A
message of a shape not (yet) here is shown as it is, after "(in het Engels)"; a test runs every
flow scenario and fails on such a message, so a new sentence in the prover needs its Dutch here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_W = r"(?P<{}>\S+?)"
_VERB = {"sent": "verstuurd", "received": "ontvangen"}
_ROLE = {"sender": "afzender", "receiver": "ontvanger", "party": "partij"}
_WHAT = {"hop": "hop", "party": "partij", "dataset": "dataset", "milestone": "mijlpaal"}
UNTRANSLATED = "(in het Engels) "


def _p(pattern: str) -> re.Pattern[str]:
    """A whole-message pattern; {name} is a name without spaces."""
    return re.compile("^" + re.sub(r"\{(\w+)\}", lambda m: _W.format(m.group(1)), pattern) + "$")


def _term(text: str) -> str:
    """'veldwerk_afgelopen + 60 days (loting was not recorded)', 'the latest time T', '5 year(s)
    and 3 day(s)'."""
    text = re.sub(r"(\S+) \+ (\d+) days", r"\1 + \2 dagen", text)
    text = re.sub(r"\((\S+) was not recorded\)", r"(\1 werd niet vastgelegd)", text)
    text = re.sub(r"the latest time (\S+)", r"het uiterste tijdstip \1", text)
    text = re.sub(r"(\d+) year\(s\)", r"\1 jaar", text)
    text = re.sub(r"(\d+) day\(s\)", r"\1 dag(en)", text)
    return text.replace(" and ", " en ")


def _since(text: str) -> str:
    text = re.sub(
        r"from the date its file reports \(recorded with event (\d+)\)",
        r"vanaf de datum die het bestand meldt (vastgelegd met gebeurtenis \1)",
        text,
    )
    text = re.sub(
        r"after it got it at event (\d+) \((\S+)\)",
        r"nadat het dat kreeg bij gebeurtenis \1 (\2)",
        text,
    )
    return re.sub(r"\(due (\S+)\)", r"(uiterlijk \1)", text)


def _declared_problem(text: str) -> str:
    """One of the '; '-separated problems of a declared_only message."""
    for pattern, make in _DECLARED:
        m = pattern.match(text)
        if m:
            return make(m.groupdict())
    return UNTRANSLATED + text


Make = Callable[[dict[str, str]], str]

_DECLARED: list[tuple[re.Pattern[str], Make]] = [
    (
        _p(r"(?P<role>sender|receiver|party) {who} is not a party of the contract"),
        lambda g: f"{_ROLE[g['role']]} {g['who']} is geen partij van het contract",
    ),
    (_p(r"dataset {d} is not declared"), lambda g: f"dataset {g['d']} is niet verklaard"),
    (_p(r"milestone {m} is not declared"), lambda g: f"mijlpaal {g['m']} is niet verklaard"),
    (_p(r"hop {h} is not declared"), lambda g: f"hop {g['h']} is niet verklaard"),
    (
        _p(r"hop {h} carries {a}, not {b}"),
        lambda g: f"hop {g['h']} draagt {g['a']}, niet {g['b']}",
    ),
    (_p(r"{p} does not send on {h}"), lambda g: f"{g['p']} verstuurt niet op {g['h']}"),
    (_p(r"{p} does not receive on {h}"), lambda g: f"{g['p']} ontvangt niet op {g['h']}"),
]

_LEDGER: list[tuple[re.Pattern[str], Make]] = [
    (
        _p(r"line {l} \(seq {s}\) does not match its hash: edited"),
        lambda g: f"regel {g['l']} (volgnummer {g['s']}) past niet bij zijn hash: gewijzigd",
    ),
    (
        _p(r"line {l} \(seq {s}\) is not in the ledger's canonical form: edited"),
        lambda g: (
            f"regel {g['l']} (volgnummer {g['s']}) staat niet in de canonieke vorm van "
            "het grootboek: gewijzigd"
        ),
    ),
    (
        _p(
            r"line {l} \(seq {s}\) does not follow line {p}: an event was removed or moved, or "
            r"line {q} was edited and its hash recomputed"
        ),
        lambda g: (
            f"regel {g['l']} (volgnummer {g['s']}) volgt niet op regel {g['p']}: een "
            f"gebeurtenis werd verwijderd of verplaatst, of regel {g['q']} werd gewijzigd en zijn "
            "hash herberekend"
        ),
    ),
    (
        _p(r"line {l} has seq {s}, expected {e}"),
        lambda g: f"regel {g['l']} heeft volgnummer {g['s']}, verwacht {g['e']}",
    ),
    (
        _p(r"line {l} \(seq {s}\) is earlier than the event before it \(seq {p}\)"),
        lambda g: (
            f"regel {g['l']} (volgnummer {g['s']}) is vroeger dan de gebeurtenis ervoor "
            f"(volgnummer {g['p']})"
        ),
    ),
    (
        _p(r"line {l} has no final newline: the last write was cut short"),
        lambda g: (
            f"regel {g['l']} eindigt niet op een regeleinde: het laatste schrijven werd afgebroken"
        ),
    ),
    (_p(r"line {l} is not JSON"), lambda g: f"regel {g['l']} is geen JSON"),
    (
        _p(r"line {l} is not a ledger event: (?P<why>.+)"),
        lambda g: (
            f"regel {g['l']} is geen gebeurtenis van het grootboek ({UNTRANSLATED}{g['why']})"
        ),
    ),
    (
        _p(r"line {l} \(seq {s}\) is not a first event: events before it were removed"),
        lambda g: (
            f"regel {g['l']} (volgnummer {g['s']}) is geen eerste gebeurtenis: "
            "gebeurtenissen ervoor werden verwijderd"
        ),
    ),
    (
        _p(r"seq {s} is not signed \(its party is {p}\)"),
        lambda g: f"gebeurtenis {g['s']} is niet ondertekend (haar partij is {g['p']})",
    ),
    (
        _p(r"seq {s} names no party, so no party signed it"),
        lambda g: f"gebeurtenis {g['s']} noemt geen partij, dus geen partij ondertekende ze",
    ),
    (
        _p(r"seq {s} names {p}, whose key is not in the keyring"),
        lambda g: f"gebeurtenis {g['s']} noemt {g['p']}, wiens sleutel niet in de sleutelring zit",
    ),
    (
        _p(r"seq {s}: the signature is not (?P<p>\S+?)'s: forged or altered"),
        lambda g: (
            f"gebeurtenis {g['s']}: de handtekening is niet die van {g['p']}: vervalst of gewijzigd"
        ),
    ),
    (
        _p(
            r"seq {s} witnessed the ledger at seq {w} \(from the manifest at send\), and the "
            r"ledger no longer holds that event: the history before it was rewritten"
        ),
        lambda g: (
            f"gebeurtenis {g['s']} zag het grootboek bij gebeurtenis {g['w']} (uit het "
            "manifest bij verzending), en het grootboek bevat die gebeurtenis niet meer: de "
            "geschiedenis ervoor werd herschreven"
        ),
    ),
    (
        _p(
            r"checkpoint {c} names {n} events, the ledger "
            r"(?P<left>emptied|holds only \d+ events): cut short"
        ),
        lambda g: (
            f"checkpoint {g['c']} noemt {g['n']} gebeurtenissen, het grootboek "
            + (
                "is leeg"
                if g["left"] == "emptied"
                else g["left"].replace("holds only", "telt er maar").replace("events", "")
            )
            + ": ingekort"
        ),
    ),
    (
        _p(
            r"checkpoint {c}: event {n} is not the one the checkpoint names: the ledger was "
            r"rewritten \(and rehashed\) up to it"
        ),
        lambda g: (
            f"checkpoint {g['c']}: gebeurtenis {g['n']} is niet die van het checkpoint: het "
            "grootboek werd tot daar herschreven (en opnieuw gehasht)"
        ),
    ),
    (
        _p(r"checkpoint {c}: no signature on it verifies against the keyring"),
        lambda g: f"checkpoint {g['c']}: geen handtekening erop klopt met de sleutelring",
    ),
    (
        _p(r"checkpoint {c} is of another ledger \((?P<o>.+)\)"),
        lambda g: f"checkpoint {g['c']} hoort bij een ander grootboek ({g['o']})",
    ),
]

_MESSAGES: list[tuple[re.Pattern[str], Make]] = [
    (
        _p(r"{p} held {a} and {b} at the same time from event {n} on(?: until event (?P<m>\d+))?"),
        lambda g: (
            f"{g['p']} hield {g['a']} en {g['b']} tegelijk vanaf gebeurtenis {g['n']}"
            + (f" tot gebeurtenis {g['m']}" if g["m"] else "")
        ),
    ),
    (
        _p(r"(?P<k>sent|received) on {h} before the milestone {m}(?: recorded by (?P<r>\S+))?"),
        lambda g: (
            f"{_VERB[g['k']]} op {g['h']} vóór de mijlpaal {g['m']}"
            + (f" (vastgelegd door {g['r']})" if g["r"] else "")
        ),
    ),
    (
        _p(r"(?P<k>sent|received) on {h} \(event {n}\) after the milestone {m} \(event {e}\)"),
        lambda g: (
            f"{_VERB[g['k']]} op {g['h']} (gebeurtenis {g['n']}) na de mijlpaal {g['m']} "
            f"(gebeurtenis {g['e']})"
        ),
    ),
    (
        _p(
            r"{p} (?P<k>sent|received) {d} on {h} \(event {n}\) while it still held {e} "
            r"\(since event {s}, not destroyed before\)"
        ),
        lambda g: (
            f"{g['p']} heeft {g['d']} {_VERB[g['k']]} op {g['h']} (gebeurtenis {g['n']}) "
            f"terwijl het {g['e']} nog hield (sinds gebeurtenis {g['s']}, niet eerder vernietigd)"
        ),
    ),
    (
        _p(r"(?P<k>sent|received) on {h} \(event {n}\) after {a} \(event {e}\)"),
        lambda g: (
            f"{_VERB[g['k']]} op {g['h']} (gebeurtenis {g['n']}) na {g['a']} (gebeurtenis {g['e']})"
        ),
    ),
    (
        _p(r"the contract declares hop {h} that gives {d} to {p}"),
        lambda g: f"het contract verklaart hop {g['h']}, die {g['d']} aan {g['p']} geeft",
    ),
    (
        _p(r"the contract says {p} makes {d}"),
        lambda g: f"volgens het contract maakt {g['p']} {g['d']}",
    ),
    (
        _p(r"{p} held {d} from event {n}"),
        lambda g: f"{g['p']} hield {g['d']} vanaf gebeurtenis {g['n']}",
    ),
    (
        _p(
            r"the file received on {h} \(event {n}\) matches no manifest sent before it: its "
            r"hash, hop, dataset, sender or receiver differ"
        ),
        lambda g: (
            f"het bestand dat op {g['h']} ontvangen werd (gebeurtenis {g['n']}) past bij "
            "geen eerder verstuurd manifest: hash, hop, dataset, afzender of ontvanger verschillen"
        ),
    ),
    (
        _p(r"event {n} was recorded although it breaks: (?P<r>.+)"),
        lambda g: f"gebeurtenis {g['n']} werd vastgelegd hoewel ze het contract breekt: {g['r']}",
    ),
    (
        _p(r"event {n}: (?P<r>.+)"),
        lambda g: (
            f"gebeurtenis {g['n']}: " + "; ".join(_declared_problem(p) for p in g["r"].split("; "))
        ),
    ),
    (
        _p(
            r"{s} sent {d} on {h} \(event {n}\) with other rows than the {e} it received on "
            r"{i} \(event {m}\): families lost or added"
        ),
        lambda g: (
            f"{g['s']} verstuurde {g['d']} op {g['h']} (gebeurtenis {g['n']}) met andere "
            f"rijen dan de {g['e']} die het op {g['i']} ontving (gebeurtenis {g['m']}): gezinnen "
            "verloren of toegevoegd"
        ),
    ),
    (
        _p(r"{h} by {w} at {t}, after the deadline {d}"),
        lambda g: f"{g['h']} door {g['w']} op {g['t']}, na de uiterste datum {g['d']}",
    ),
    (
        _p(r"{d} sent a second time for {w} on {h} \(events {a} and {b}\)"),
        lambda g: (
            f"{g['d']} een tweede keer verstuurd voor {g['w']} op {g['h']} "
            f"(gebeurtenissen {g['a']} en {g['b']})"
        ),
    ),
    (
        _p(r"{h} at event {n}, but {r} received nothing on (?P<hs>.+) before"),
        lambda g: (
            f"{g['h']} bij gebeurtenis {g['n']}, maar {g['r']} ontving vooraf niets op {g['hs']}"
        ),
    ),
    (
        _p(r"{h} at event {n}, but {r} sent {s} nothing on (?P<hs>.+) before"),
        lambda g: (
            f"{g['h']} bij gebeurtenis {g['n']}, maar {g['r']} stuurde {g['s']} vooraf "
            f"niets op {g['hs']}"
        ),
    ),
    (
        _p(r"{p} still holds {d} \(since event {n}\) at {at}, later than (?P<term>.+) \({dl}\)"),
        lambda g: (
            f"{g['p']} houdt {g['d']} (sinds gebeurtenis {g['n']}) nog op {g['at']}, "
            f"later dan {_term(g['term'])} ({g['dl']})"
        ),
    ),
    (
        _p(r"{p} destroyed {d} at event {n}, later than (?P<term>.+) \({dl}\)"),
        lambda g: (
            f"{g['p']} vernietigde {g['d']} bij gebeurtenis {g['n']}, later dan "
            f"{_term(g['term'])} ({g['dl']})"
        ),
    ),
    (
        _p(r"{p} still holds {d} at {at}: kept longer than (?P<rest>.+)"),
        lambda g: (
            f"{g['p']} houdt {g['d']} nog op {g['at']}: langer bewaard dan "
            f"{_since(_term(g['rest']))}"
        ),
    ),
    (
        _p(r"{p} destroyed {d} at event {n}, more than (?P<rest>.+)"),
        lambda g: (
            f"{g['p']} vernietigde {g['d']} bij gebeurtenis {g['n']}, meer dan "
            f"{_since(_term(g['rest']))}"
        ),
    ),
    (
        _p(r"invariant {i} names an undeclared (?P<w>hop|party|dataset|milestone) {x}"),
        lambda g: f"invariant {g['i']} noemt een niet-verklaarde {_WHAT[g['w']]} {g['x']}",
    ),
    (
        _p(
            r"hop {h} may bring {d} to {p} while it holds (?P<held>.+): no invariant makes it "
            r"wait for their destruction"
        ),
        lambda g: (
            f"hop {g['h']} kan {g['d']} bij {g['p']} brengen terwijl het {g['held']} "
            "houdt: geen invariant laat het wachten op hun vernietiging"
        ),
    ),
    (
        _p(r"hop {h} may bring {d} to {p} after {l}: no invariant forbids it"),
        lambda g: (
            f"hop {g['h']} kan {g['d']} bij {g['p']} brengen na {g['l']}: geen invariant "
            "verbiedt het"
        ),
    ),
    (
        _p(
            r"declared hops bring contact data \((?P<c>.+?)\) and background data \((?P<b>.+?)\) "
            r"to {p}, and no never_held_together invariant keeps them apart"
        ),
        lambda g: (
            f"verklaarde hops brengen contactgegevens ({g['c']}) en achtergrondgegevens "
            f"({g['b']}) bij {g['p']}, en geen never_held_together-invariant houdt ze gescheiden"
        ),
    ),
    (
        _p(r"line {l}: (?P<r>.+)"),
        lambda g: f"regel {g['l']}: {translated(g['r']) or UNTRANSLATED + g['r']}",
    ),
]


def translated(message: str) -> str | None:
    """The Dutch of a prover message, or None when its shape is not known here."""
    for pattern, make in (*_LEDGER, *_MESSAGES):
        m = pattern.match(message)
        if m:
            return make(m.groupdict())
    return None


def dutch(message: str) -> str:
    """The Dutch of a prover message; an unknown shape as it is, marked '(in het Engels)'."""
    said = translated(message)
    return said if said is not None else UNTRANSLATED + message
