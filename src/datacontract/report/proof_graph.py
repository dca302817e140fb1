"""The lineage graph of a proof, laid out by Graphviz (dot) and inlined as SVG.

One edge per declared hop, labelled with its id and dataset: a hop between one party and
several (IT and the five payers) ends at the box that groups those several, so its label is
drawn once. Every party of the contract is placed: those without a hop in a box of their own
("geen overdracht in deze stroom"), and parties the ledger names but the contract does not in a
box "niet in het contract". dot places edge labels as nodes of their own, so labels never
overlap each other, an edge or a party.

Colours (proof_marks.py), the same in the legend: a hop that carried data (the ledger holds an
event on it) blue, a hop that carried none grey, dashed when the contract calls it optional;
a hop or party a counterexample names red. A transfer the ledger records outside the declared
hops is drawn dotted.

Every name goes into an HTML-like dot label through html.escape (and `plain`), node and edge
ids are our own, so nothing from a contract or a ledger can reach dot's syntax. Needs the
`dot` program (Debian: graphviz); without it, a UsageError (exit 2) says so.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from datacontract.contract.model import Contract
from datacontract.contract.names import LedgerNames
from datacontract.errors import UsageError
from datacontract.flow.proof import Proof
from datacontract.report.inert import plain
from datacontract.report.proof_marks import (
    BLUE,
    BLUE_FILL,
    GREY,
    GREY_FILL,
    RED,
    RED_FILL,
    Marks,
)

FONT = "DejaVu Sans"
MAX_UNDECLARED = 40  # parties the contract does not name, drawn one by one; the rest counted


def lineage_svg(proof: Proof, contract: Contract, marks: Marks) -> str:
    """The graph as an <svg> element (no XML prolog), ready to inline in the page."""
    import graphviz

    graph = _graph(proof, contract, marks)
    try:
        svg = graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise UsageError(
            "the proof's lineage graph is laid out by Graphviz: install its `dot` program "
            "(Debian: apt-get install graphviz; `make install` does it)"
        ) from None
    except graphviz.CalledProcessError as exc:
        said = plain(str(exc.stderr or "")[:200])
        raise UsageError(f"Graphviz could not lay out the lineage graph: {said}") from None
    return _inline(svg)


def legend_html() -> str:
    """The key to the graph's colours and strokes (the same constants as the edges)."""
    items = [
        (
            BLUE,
            "",
            "stap van het contract waarin gegevens verstuurd werden (het grootboek bevat er een "
            "gebeurtenis van)",
        ),
        (GREY, "", "stap van het contract zonder gebeurtenis in het grootboek"),
        (GREY, "6,4", "gestreept: een facultatieve stap (het contract noemt ze optioneel)"),
        (RED, "", "stap of partij die een tegenvoorbeeld noemt"),
        (RED, "2,3", "gestippeld: verzending buiten de stappen van het contract"),
    ]
    rows = "".join(
        f'<li><svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" '
        f'stroke="{color}" stroke-width="2.4"'
        + (f' stroke-dasharray="{dash}"' if dash else "")
        + f"/></svg> {html.escape(text)}</li>"
        for color, dash, text in items
    )
    boxes = (
        f'<li><span class="swatch" style="background:{BLUE_FILL};border-color:{BLUE}"></span> '
        "partij</li>"
        f'<li><span class="swatch" style="background:{RED_FILL};border-color:{RED}"></span> '
        "partij in een tegenvoorbeeld</li>"
        f'<li><span class="swatch group"></span> groep: de stap gaat naar of komt van elk van '
        "deze partijen</li>"
    )
    return f'<ul class="key">{rows}{boxes}</ul>'


def _label(*lines: tuple[str, int, bool]) -> str:
    """An HTML-like dot label: lines of (text, point size, bold), every text escaped; a table
    row per line, so that each line gets its own height (no line runs into the next)."""
    rows = []
    for text, size, bold in lines:
        escaped = html.escape(plain(text))
        inner = f"<B>{escaped}</B>" if bold else escaped
        rows.append(f'<TR><TD><FONT POINT-SIZE="{size}">{inner}</FONT></TD></TR>')
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="0">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _wrapped(text: str, width: int = 32) -> list[str]:
    return textwrap.wrap(text, width) or [text]


class _Layout:
    """The dot source of one proof's graph (a graphviz.Digraph, built once)."""

    def __init__(self, proof: Proof, contract: Contract, marks: Marks) -> None:
        import graphviz

        self.proof, self.contract, self.marks = proof, contract, marks
        self.g = graphviz.Digraph("gegevensstromen")
        self.g.attr(
            rankdir="LR",
            compound="true",
            nodesep="0.3",
            ranksep="1.1",
            fontname=FONT,
            fontsize="10",
            bgcolor="transparent",
            pad="0.2",
            newrank="true",
        )
        self.g.attr("node", shape="box", style="rounded,filled", fontname=FONT, margin="0.12,0.06")
        self.g.attr("edge", fontname=FONT, arrowsize="0.8")
        self.ledger_names = LedgerNames.of(contract)
        self.node_of: dict[str, str] = {}  # party -> node id
        self.cluster_of: dict[frozenset[str], str] = {}  # a group of parties -> its cluster

    def party(
        self, g: object, party: str, name: str | None, known: bool, said: str | None = None
    ) -> None:
        """A party's box: `said` in place of its id when the contract does not declare it."""
        node = self.node_of.setdefault(party, f"p{len(self.node_of)}")
        bad = party in self.marks.parties
        held = sorted(
            {
                self.ledger_names.label("dataset", h.dataset, "nl")
                for h in self.proof.holdings
                if h.party == party and h.end_seq is None
            }
        )
        party = said if said is not None else party
        lines = [(party, 11, True)]
        lines += [(line, 9, False) for line in _wrapped(name or "")] if name else []
        if held:
            lines += [(line, 8, False) for line in _wrapped("nog in bezit: " + ", ".join(held), 36)]
        g.node(  # type: ignore[attr-defined]
            node,
            _label(*lines),
            id=f"party-{node}",
            tooltip=plain(party),
            fillcolor=RED_FILL if bad else (BLUE_FILL if known else GREY_FILL),
            color=RED if bad else (BLUE if known else GREY),
            penwidth="2" if bad else "1",
            style="rounded,filled" if known else "rounded,filled,dashed",
            **{"class": "party cx" if bad else "party"},
        )


def _groups(contract: Contract) -> list[frozenset[str]]:
    """The sets of several parties a hop sends to or receives from, when no two of them share
    a party without being the same set (then each can be one box); others get no box."""
    sides = [frozenset(s) for h in contract.hops for s in (h.sender, h.receiver) if len(s) > 1]
    unique = list(dict.fromkeys(sides))
    return [s for s in unique if not any(s & t and s != t for t in unique)]


def _graph(proof: Proof, contract: Contract, marks: Marks) -> Any:
    lay = _Layout(proof, contract, marks)
    names = {p.id: p.name for p in contract.parties}
    groups = _groups(contract)
    in_group = {p: grp for grp in groups for p in grp}
    for i, grp in enumerate(groups):
        cluster = f"cluster_g{i}"
        lay.cluster_of[grp] = cluster
        with lay.g.subgraph(name=cluster) as sub:
            sub.attr(
                label=_label((f"elk van deze {len(grp)} partijen", 9, False)),
                rank="same",  # side by side, so that the hop's one edge reaches them all
                style="rounded,dashed",
                color=GREY,
                fontcolor="#555555",
            )
            for p in contract.parties:
                if p.id in grp:
                    lay.party(sub, p.id, names[p.id], True)
    with_hops = {p for h in contract.hops for p in (*h.sender, *h.receiver)}
    idle = [p.id for p in contract.parties if p.id not in with_hops]
    if idle:
        with lay.g.subgraph(name="cluster_idle") as sub:
            sub.attr(
                label=_label(("geen verzending in deze gegevensstroom", 9, False)),
                style="rounded,dashed",
                color=GREY,
                fontcolor="#555555",
            )
            for one in idle:
                lay.party(sub, one, names[one], True)
    for p in contract.parties:
        if p.id in with_hops and p.id not in in_group:
            lay.party(lay.g, p.id, names[p.id], True)
    _undeclared(lay, names)
    used = {e.hop for e in proof.records if e.kind in ("sent", "received") and e.hop}
    for hop in contract.hops:
        bad = hop.id in marks.hops
        color = RED if bad else (BLUE if hop.id in used else GREY)
        tail, tail_attrs = _end(lay, hop.id, hop.sender, "ltail", color)
        head, head_attrs = _end(lay, hop.id, hop.receiver, "lhead", color)
        lay.g.edge(
            tail,
            head,
            label=_label((hop.id, 10, True), (hop.dataset, 8, False)),
            id=f"hop-{hop.id}",
            color=color,
            fontcolor=color,
            penwidth="2.4" if bad else "1.5",
            style="dashed" if hop.optional else "solid",
            tooltip=plain(f"{hop.id}: {hop.dataset} ({hop.article})"),
            **tail_attrs,
            **head_attrs,
            **{"class": "hop cx" if bad else "hop"},
        )
    return lay.g


def _end(
    lay: _Layout, hop: str, side: Sequence[str], which: str, color: str
) -> tuple[str, dict[str, str]]:
    """The node an edge of `hop` starts or ends at for one side of it, and the dot attribute
    that clips it to the group's box; a side of several parties without a box of its own gets a
    junction point joined to each of them (the hop's one labelled edge meets it)."""
    if len(side) == 1:
        return lay.node_of[side[0]], {}
    group = frozenset(side)
    cluster = lay.cluster_of.get(group)
    if cluster is not None:
        return lay.node_of[side[0]], {which: cluster}
    junction = f"j_{hop}_{which}"
    lay.g.node(junction, "", shape="point", width="0.06", color=color)
    for party in side:  # the spokes in the hop's colour
        if which == "ltail":
            lay.g.edge(lay.node_of[party], junction, arrowhead="none", color=color)
        else:
            lay.g.edge(junction, lay.node_of[party], color=color)
    return junction, {}


def _undeclared(lay: _Layout, names: dict[str, str]) -> None:
    """Parties the ledger names but the contract does not, and transfers outside the declared
    hops (a party that does not send or receive on the hop it names), drawn dotted."""
    declared = {h.id: h for h in lay.contract.hops}
    # a party the contract does not declare is drawn by its number of first appearance, never
    # by the name the event carries (contract/names.py LedgerNames)
    strangers = list(
        dict.fromkeys(
            p
            for e in lay.proof.records
            for p in (e.party, e.sender, e.receiver)
            if p is not None and p not in names
        )
    )
    shown = strangers[:MAX_UNDECLARED]
    if shown:
        with lay.g.subgraph(name="cluster_unknown") as sub:
            more = len(strangers) - len(shown)
            title = "niet in het contract" + (f" (en nog {more})" if more else "")
            sub.attr(label=_label((title, 9, False)), style="rounded,dashed", color=RED)
            for i, p in enumerate(shown, 1):
                lay.party(sub, p, None, False, lay.ledger_names.label("party", p, "nl", i))
    seen: set[tuple[str, str, str]] = set()
    for e in lay.proof.records:
        if e.kind not in ("sent", "received") or e.sender is None or e.receiver is None:
            continue
        hop = declared.get(e.hop or "")
        if hop is not None and e.sender in hop.sender and e.receiver in hop.receiver:
            continue
        key = (e.sender, e.receiver, e.hop or "?")
        if key in seen or e.sender not in lay.node_of or e.receiver not in lay.node_of:
            continue
        seen.add(key)
        hop_said = lay.ledger_names.label("hop", e.hop, "nl") if e.hop else "?"
        lay.g.edge(
            lay.node_of[e.sender],
            lay.node_of[e.receiver],
            label=_label((hop_said, 9, True), ("buiten het contract", 8, False)),
            color=RED,
            fontcolor=RED,
            style="dotted",
            penwidth="2",
            **{"class": "hop undeclared cx"},
        )


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SIZE = re.compile(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')


def _inline(svg: str) -> str:
    """dot's SVG without its prolog and comments, scaled to the page's width."""
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    return _SIZE.sub(
        lambda m: (
            f'<svg class="lineage" role="img" aria-label="graaf van de gegevensstromen" '
            f'width="{m.group(1)}pt" '
            f'height="{m.group(2)}pt" style="max-width:100%;height:auto"'
        ),
        svg,
        count=1,
    )
