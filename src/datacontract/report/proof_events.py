"""The proof's appendix: every ledger event, so that each event a counterexample cites can be
looked up, and the links from the citations to its rows.

A row per event: sequence number (the anchor `ev-N` a citation links to), time, kind, party,
hop with sender and receiver, dataset or milestone, rows, the file's SHA-256 and the state of
its signature. A ledger of more than APPENDIX_LIMIT events lists every event the proof cites
and the first and last ones, and says how many it leaves to the ledger itself. Events carry no
cell values (hashes, counts, names); every string is escaped and made inert.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from datacontract.contract.names import LedgerNames
from datacontract.flow.proof import Proof
from datacontract.flow.withheld import events_withheld
from datacontract.ledger.chain import Event
from datacontract.report.inert import plain
from datacontract.report.proof_dutch import KINDS, PROBLEMS, count, moment
from datacontract.report.proof_marks import Marks

APPENDIX_LIMIT = 5000  # events listed one by one; beyond it the cited ones and both ends
ENDS = 100  # events of each end of a long ledger listed all the same


def _e(text: object) -> str:
    return html.escape(plain(str(text)))


def cite(seqs: Iterable[int], listed: set[int]) -> str:
    """'gebeurtenis 22' or 'gebeurtenissen 22 en 31', each number a link to its row."""
    numbers = [cited_number(s, listed) for s in sorted(set(seqs))]  # in the ledger's order
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"gebeurtenis {numbers[0]}"
    return f"gebeurtenissen {', '.join(numbers[:-1])} en {numbers[-1]}"


def cited_number(seq: int, listed: set[int]) -> str:
    """An event's number as a link to its row in the appendix (plain when not listed)."""
    return f'<a href="#ev-{seq}">{seq}</a>' if seq in listed else str(seq)


def listed_events(proof: Proof, marks: Marks) -> list[Event]:
    """The events the appendix lists: all of them, or for a long ledger the cited ones and
    both ends."""
    events = proof.records
    if len(events) <= APPENDIX_LIMIT:
        return list(events)
    return [
        e
        for i, e in enumerate(events)
        if e.seq in marks.events or i < ENDS or i >= len(events) - ENDS
    ]


_SIGNATURES = {
    "contract": "Handtekening: 'geldig (sleutel uit het contract)' is gecontroleerd met een "
    "sleutel die het contract (parties[].keys) aan de partij van de gebeurtenis bindt.",
    "": "Handtekening: 'geldig (sleutelring)' is gecontroleerd met de publieke sleutel van de "
    "partij die de gebeurtenis noemt; zonder sleutelring is ze niet gecontroleerd.",
}


GROUP = 16  # hex digits of a hash on one line of a narrow column


def grouped(digest: str) -> str:
    """A hash for a narrow column, escaped: whole groups of GROUP digits, one a line (never
    cut at whatever character the column ends on), so that a reader compares it group by
    group with `sha256sum`'s."""
    parts = [digest[i : i + GROUP] for i in range(0, len(digest), GROUP)]
    return "<br>".join(html.escape(plain(p)) for p in parts)


def appendix_html(
    proof: Proof,
    marks: Marks,
    events: list[Event],
    names: LedgerNames,
    *,
    keys: str | None = None,
) -> str:
    """The appendix as HTML: a sentence and the table of events; `names` the names the
    contract declares (any other an event carries is said withheld); `keys` where the keys
    that checked the signatures came from ("contract", "keyring"; None: not checked)."""
    if not proof.records:
        return (
            "<p>Het bewijs gaat enkel over de gegevensstroom volgens het contract: "
            "er is geen grootboek.</p>"
        )
    problems: dict[int, list[str]] = {}
    for p in proof.problems:
        if p.seq is not None:
            problems.setdefault(p.seq, []).append(PROBLEMS.get(p.kind, p.kind))
    left = len(proof.records) - len(events)
    intro = (
        (
            "<p>De enige gebeurtenis van het "
            if len(proof.records) == 1
            else f"<p>Alle {count(len(proof.records), 'gebeurtenis', 'gebeurtenissen')} van het "
        )
        + "grootboek, in volgorde. Een rode regel is een gebeurtenis die een tegenvoorbeeld noemt. "
        + _SIGNATURES.get(keys or "", _SIGNATURES[""])
    )
    if left:
        intro += (
            f" Het grootboek is lang: deze bijlage toont de gebeurtenissen die het bewijs noemt "
            f"en de eerste en laatste {ENDS}; de overige {count(left, 'staat', 'staan')} in het "
            "grootboek zelf, waarvan de voorpagina de hashcode van de laatste gebeurtenis geeft."
        )
    rows = [
        "<table class='events'><thead><tr><th>nr.</th><th>tijd</th><th>soort</th><th>partij</th>"
        "<th>stap: van → naar</th><th>dataset of mijlpaal</th><th>rijen</th>"
        "<th>hashcode van het bestand (SHA-256)</th><th>handtekening</th></tr></thead><tbody>"
    ]
    # a name the contract does not declare is said withheld, numbered by first appearance as
    # in the graph (contract/names.py rule 4)
    said = {w.seq: w for w in events_withheld(proof.records, names, "nl")}
    for e in events:
        kind = KINDS.get(e.kind, e.kind) + (" (als schending vastgelegd)" if e.violation else "")
        w = said.get(e.seq, e)
        hop = f"{w.hop}: {w.sender} → {w.receiver}" if e.hop else ""
        what = w.dataset if e.kind != "milestone" else w.milestone
        red = " class='cited'" if e.seq in marks.events else ""
        rows.append(
            f"<tr id='ev-{e.seq}'{red}><td>{e.seq}</td><td class='time'>{_e(moment(e.time))}</td>"
            f"<td>{_e(kind)}</td><td>{_e(w.party or '')}</td><td>{_e(hop)}</td>"
            f"<td>{_e(what or '')}</td><td>{'' if e.rows is None else e.rows}</td>"
            f"<td class='hash'>{grouped(e.sha256 or '')}</td>"
            f"<td>{_e(_signature(e, problems.get(e.seq, []), keys))}</td></tr>"
        )
    rows.append("</tbody></table>")
    return intro + "</p>" + "".join(rows)


def _signature(e: Event, problems: list[str], keys: str | None) -> str:
    if problems:
        return "; ".join(dict.fromkeys(problems))
    if e.sig is None:
        return "niet ondertekend"
    if keys == "contract":
        return "geldig (sleutel uit het contract)"
    if keys is not None:
        return "geldig (sleutelring)"
    return "ondertekend, niet gecontroleerd"
