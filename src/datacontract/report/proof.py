"""The audit proof in three forms: text (rich), JSON (stable keys) and a self-contained HTML page.

The HTML page needs no network: inline CSS and inline SVG, laid out here. It shows the lineage
graph (parties in columns by role, declared hops grey, transfers that happened blue, the
counterexample's red), the holdings of each party on a timeline, and every invariant with its
verdict and article. Every text that goes into the page is escaped. A proof holds no cell
values to begin with: events carry hashes, counts, rule ids and articles.
"""

from __future__ import annotations

import html
import io
import json
from datetime import datetime

from datacontract.contract.model import Contract
from datacontract.flow.prover import Proof
from datacontract.report.inert import json_text, markup, plain


def render_proof(proof: Proof, fmt: str, contract: Contract, *, color: bool = False) -> str:
    if fmt == "json":
        return to_json(proof)
    if fmt == "html":
        return to_html(proof, contract)
    return to_text(proof, color=color)


def to_json(proof: Proof) -> str:
    return json_text(json.dumps(proof.to_json(), indent=2, ensure_ascii=False)) + "\n"


def to_text(proof: Proof, *, color: bool = False, width: int = 120) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, width=width, highlight=False)
    what = (
        f"ledger {markup(str(proof.ledger))} ({proof.events:,} events)"
        if proof.mode == "ledger"
        else "the declared flow"
    )
    verdict = "[green]PROVED[/]" if proof.holds else "[red]COUNTEREXAMPLE[/]"
    said = markup(f"{proof.contract} {proof.version}")
    console.print(f"{verdict} {said}, on {what}, at {markup(str(proof.at))}")
    table = Table()
    for name in ("invariant", "verdict", "article"):
        table.add_column(name)
    for v in proof.verdicts:
        verdict = "[green]holds[/]" if v.holds else "[red]broken[/]"
        table.add_row(markup(v.invariant), verdict, markup(v.article))
    console.print(table)
    for v in proof.verdicts:
        for c in v.counterexamples[:20]:
            events = f"events {', '.join(map(str, c.events))}" if c.events else "declared flow"
            said = markup(f"{v.invariant} ({v.article}) — {events}: {c.message}")
            console.print(f"  [red]✗[/] {said}")
        if len(v.counterexamples) > 20:
            console.print(f"    ... and {len(v.counterexamples) - 20} more")
    if proof.ledger_hash:
        heads = f"ledger head {proof.ledger_hash}; contract sha256 {proof.contract_sha256}"
        console.print(markup(heads))
    return buffer.getvalue()


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1d232a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.ok{color:#18794e;font-weight:600}.bad{color:#c62828;font-weight:600}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.3rem .5rem;
text-align:left;vertical-align:top}tr.broken td{background:#fdecea}
.banner{padding:.8rem 1rem;border-radius:6px;margin:1rem 0;font-weight:600}
.banner.ok{background:#e6f4ea}.banner.bad{background:#fdecea}
code{font-size:12px}svg text{font:12px system-ui,sans-serif}
"""


def to_html(proof: Proof, contract: Contract) -> str:
    return plain(_html(proof, contract), lines=True)


def _html(proof: Proof, contract: Contract) -> str:
    e = html.escape
    bad_seqs = {s for v in proof.verdicts for c in v.counterexamples for s in c.events}
    bad_parties = {p for v in proof.verdicts for c in v.counterexamples for p in c.parties}
    status = "ok" if proof.holds else "bad"
    headline = (
        "Proved: every invariant holds" if proof.holds else "Counterexample: an invariant is broken"
    )
    rows = []
    for v in proof.verdicts:
        rows.append(
            f"<tr class='{'held' if v.holds else 'broken'}'><td><code>{e(v.invariant)}</code><br>"
            f"{e(v.title)}</td><td class='{'ok' if v.holds else 'bad'}'>"
            f"{'holds' if v.holds else 'broken'}</td><td>{e(v.article)}</td><td>"
            + "".join(
                f"<div>{'events ' + e(', '.join(map(str, c.events))) + ': ' if c.events else ''}"
                f"{e(c.message)}</div>"
                for c in v.counterexamples[:20]
            )
            + "</td></tr>"
        )
    where = (
        f"ledger <code>{e(proof.ledger or '')}</code>, {proof.events:,} events, head "
        f"<code>{e(proof.ledger_hash or '')}</code>"
        if proof.mode == "ledger"
        else "the declared flow alone (no ledger)"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Proof: {e(proof.contract)}</title>
<style>{_CSS}</style></head><body>
<h1>Audit proof — {e(contract.title)}</h1>
<p>Contract <code>{e(proof.contract)}</code> {e(proof.version)} (sha256
<code>{e(proof.contract_sha256[:16])}…</code>), protocol of {e(str(contract.protocol.date))}.
Checked on {where}, at {e(proof.at)}.</p>
<div class="banner {status}">{e(headline)}</div>
<h2>Lineage</h2>
{_graph_svg(proof, contract, bad_seqs, bad_parties)}
<h2>Holdings per party</h2>
{_timeline_svg(proof, bad_parties)}
<h2>Invariants</h2>
<table><tr><th>invariant</th><th>verdict</th><th>article</th><th>counterexample</th></tr>
{"".join(rows)}</table>
<p style="color:#666">Generated by datacontract. Events are named by their sequence number in
the ledger; no value from any data file appears on this page.</p>
</body></html>
"""


def _columns(contract: Contract) -> dict[str, int]:
    """A column per party. Where one party serves several on a hop (IT and the payers), those
    several go left, the party in the middle, and those who only receive right; if that puts
    both ends of a hop in one column, the columns follow the flow instead."""
    column = _three_columns(contract)
    if any(column[s] == column[r] for h in contract.hops for s in h.sender for r in h.receiver):
        column = _flow_columns(contract)
    return column


def _three_columns(contract: Contract) -> dict[str, int]:
    fanned = {
        p
        for h in contract.hops
        for p in (*h.sender, *h.receiver)
        if (len(h.sender) > 1 and p in h.sender) or (len(h.receiver) > 1 and p in h.receiver)
    }
    senders = {p for h in contract.hops for p in h.sender}
    receivers = {p for h in contract.hops for p in h.receiver}
    column: dict[str, int] = {}
    for party in contract.parties:
        p = party.id
        if p in fanned:
            column[p] = 0  # one of several on a hop: the payers
        elif p in senders or p not in receivers:
            column[p] = 1  # the party in the middle, and those who take no part
        else:
            column[p] = 2  # those who only receive: the researchers
    return column


def _flow_columns(contract: Contract) -> dict[str, int]:
    """The first hop's senders on the left, each hop's receivers one column to the right of its
    senders; parties without hops in the first column."""
    column: dict[str, int] = {}
    if contract.hops:
        for p in contract.hops[0].sender:
            column[p] = 0
    for _ in range(len(contract.hops) + 1):  # until nothing moves (hops may go back and forth)
        moved = False
        for h in contract.hops:
            placed = [column[p] for p in h.sender if p in column]
            if placed:
                for r in h.receiver:
                    if r not in column:
                        column[r], moved = max(placed) + 1, True
            elif any(r in column for r in h.receiver):
                for p in h.sender:
                    column[p], moved = min(column[r] for r in h.receiver if r in column) - 1, True
        if not moved:
            break
    least = min(column.values(), default=0)
    column = {p: c - least for p, c in column.items()}
    for party in contract.parties:  # parties without hops, and hops apart from the first
        column.setdefault(party.id, 0)
    return column


def _graph_svg(proof: Proof, contract: Contract, bad_seqs: set[int], bad_parties: set[str]) -> str:
    """The parties in the order data flows between them, and the hops as arrows."""
    from datacontract.flow.lineage import graph

    g = graph(contract, (), proof.holdings)
    column = _columns(contract)
    columns = max(column.values(), default=0) + 1
    slots: dict[int, list[str]] = {c: [] for c in range(columns)}
    column = {p: c for p, c in column.items() if c in slots}
    for party in contract.parties:
        slots[column[party.id]].append(party.id)
    width, row_h = 1100, 72
    half = max(80, max((len(p.id) for p in contract.parties), default=0) * 4 + 12)  # box half-width
    height = max(len(v) for v in slots.values()) * row_h + 60
    step = (width - 2 * half - 40) / max(columns - 1, 1)
    pos = {}
    for col, parties in slots.items():
        x = half + 20 + col * step if columns > 1 else width / 2
        top = (height - 30 - len(parties) * row_h) / 2
        for i, p in enumerate(parties):
            pos[p] = (x, top + i * row_h + row_h / 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="lineage graph">',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
    ]
    bad_hops = {
        (sender, receiver, hop)
        for v in proof.verdicts
        for c in v.counterexamples
        for hop in c.hops
        for sender in c.parties
        for receiver in c.parties
    }
    used = {(h.party, h.dataset) for h in proof.holdings}
    seen_edges: set[tuple[str, str, str]] = set()
    labels: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for u, v, data in g.edges(data=True):
        if data.get("kind") != "hop":
            continue
        s, r = u[1], v[1]
        key = (s, r, data["hop"])
        if key in seen_edges or s not in pos or r not in pos:
            continue
        seen_edges.add(key)
        (x1, y1), (x2, y2) = pos[s], pos[r]
        offset = 6 if (x1, y1) < (x2, y2) else -6
        if key in bad_hops:
            color, width_px = "#c62828", 2.6
        elif (r, data["dataset"]) in used:
            color, width_px = "#4a6fa5", 1.6  # it happened
        else:
            color, width_px = "#bbb", 1.2
        dash = ' stroke-dasharray="5,4"' if data.get("optional") else ""
        if abs(x1 - x2) < 1:  # same column: from the side of one box to the side of the other
            sx, sy, ex, ey = x1 + half, y1 + offset, x2 + half, y2 + offset
        else:
            side = half if x2 > x1 else -half
            sx, sy, ex, ey = x1 + side, y1 + offset, x2 - side, y2 + offset
        parts.append(
            f'<line x1="{sx}" y1="{sy}" x2="{ex}" y2="{ey}" '
            f'stroke="{color}" stroke-width="{width_px}"{dash} marker-end="url(#arr)">'
            f"<title>{html.escape(data['hop'])}: {html.escape(data['dataset'])}</title></line>"
        )
        # One label per pair of parties, naming their hops (the datasets are in the tooltips).
        pair = (min(s, r), max(s, r))
        labels.setdefault(pair, []).append((data["hop"], color))
    for (a, b), hops in labels.items():
        (xa, ya), (xb, yb) = pos[a], pos[b]
        if abs(xa - xb) < 1:
            lx, ly = xa + half + 50, (ya + yb) / 2
        else:
            lx, ly = (xa + xb) / 2, (ya + yb) / 2
        names = sorted({hop for hop, _ in hops})
        color = next((c for _, c in hops if c == "#c62828"), hops[0][1])
        parts.append(
            f'<text x="{lx}" y="{ly - 8}" text-anchor="middle" font-size="10" fill="{color}" '
            f'paint-order="stroke" stroke="#fff" stroke-width="3">'
            f"{html.escape(', '.join(names))}</text>"
        )
    for p, (x, y) in pos.items():
        fill = "#fdecea" if p in bad_parties else "#eef3fb"
        stroke = "#c62828" if p in bad_parties else "#4a6fa5"
        held_now = sorted({h.dataset for h in proof.holdings if h.party == p and h.end_seq is None})
        parts.append(
            f'<rect x="{x - half}" y="{y - 18}" width="{2 * half}" height="36" rx="6" '
            f'fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{2 if p in bad_parties else 1}"/>'
            f'<text x="{x}" y="{y + 4}" text-anchor="middle">{html.escape(p)}</text>'
        )
        if held_now:
            held = f"holds {', '.join(held_now)}"
            shown = held if len(held) <= 2 * half // 6 else held[: 2 * half // 6 - 1] + "…"
            parts.append(
                f'<text x="{x}" y="{y + 30}" text-anchor="middle" fill="#555" font-size="10">'
                f"<title>{html.escape(held)}</title>{html.escape(shown)}</text>"
            )
    parts.append(
        f'<text x="10" y="{height - 8}" fill="#666">grey: declared hops (dashed: optional); '
        "blue: hops that carried data; red: parties and hops in a counterexample</text></svg>"
    )
    return "".join(parts)


def _timeline_svg(proof: Proof, bad_parties: set[str]) -> str:
    bad = {
        (party, seq)
        for v in proof.verdicts
        for c in v.counterexamples
        for party in c.parties
        for seq in c.events
    }
    if not proof.holdings:
        return "<p>No holdings: the proof was made on the declared flow alone.</p>"
    times = [datetime.fromisoformat(h.start) for h in proof.holdings]
    times += [datetime.fromisoformat(h.end) for h in proof.holdings if h.end]
    end_of_view = max([*times, datetime.fromisoformat(proof.at)])
    start = min(times)
    span = max((end_of_view - start).total_seconds(), 1.0)
    lanes = sorted({(h.party, h.dataset) for h in proof.holdings})
    longest = max(len(party) + len(dataset) + 3 for party, dataset in lanes)
    width, left, lane_h = 1100, min(max(300, longest * 7 + 12), 560), 22
    height = len(lanes) * lane_h + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'role="img" aria-label="holdings timeline">'
    ]

    def x_of(moment: datetime) -> float:
        return left + (width - left - 20) * (moment - start).total_seconds() / span

    for i, (party, dataset) in enumerate(lanes):
        y = 10 + i * lane_h
        parts.append(
            f'<text x="4" y="{y + 13}">{html.escape(party)} · {html.escape(dataset)}</text>'
        )
        for h in proof.holdings:
            if (h.party, h.dataset) != (party, dataset):
                continue
            x1 = x_of(datetime.fromisoformat(h.start))
            x2 = x_of(datetime.fromisoformat(h.end)) if h.end else x_of(end_of_view)
            color = "#c62828" if (party, h.start_seq) in bad else "#4a6fa5"
            parts.append(
                f'<rect x="{x1:.1f}" y="{y}" width="{max(x2 - x1, 2):.1f}" height="14" '
                f'fill="{color}" '
                f'opacity="{0.9 if h.end is None else 0.6}"><title>{html.escape(party)} held '
                f"{html.escape(dataset)} from event {h.start_seq} ({html.escape(h.start)}) "
                + (
                    f"to event {h.end_seq} ({html.escape(h.end)})"
                    if h.end
                    else "and still holds it"
                )
                + "</title></rect>"
            )
    parts.append(
        f'<text x="{left}" y="{height - 8}" fill="#666">'
        f"{html.escape(start.date().isoformat())}</text>"
        f'<text x="{width - 20}" y="{height - 8}" fill="#666" text-anchor="end">'
        f"{html.escape(end_of_view.date().isoformat())}</text></svg>"
    )
    return "".join(parts)
