"""Who held what, when: the proof's timeline as inline SVG, with a date axis and a key.

One lane per party and dataset (parties in the contract's order). A bar runs from the event
that gave the party the dataset to the event that destroyed it, or to the time of the proof
(the vertical line "peilmoment") while it is still held. Every event that began or ended a
holding is a mark on its lane with its sequence number (a circle: received, sent or made; a
cross: destroyed); marks closer together than a label are numbered together. Milestones are
dashed vertical lines, labelled at the top. Red only where a counterexample is: its holdings
and its events (proof_marks.py); everything else blue.

Coordinates are SVG user units in a viewBox 1000 wide; the page scales it to its width.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from datacontract.contract.model import Contract
from datacontract.contract.names import LedgerNames
from datacontract.flow.lineage import Holding
from datacontract.flow.proof import Proof
from datacontract.ledger.chain import Event
from datacontract.report.inert import plain
from datacontract.report.proof_dutch import SHORT_MONTHS, moment
from datacontract.report.proof_marks import BLUE, RED, Marks

WIDTH, LANE, RIGHT = 1000, 24, 16
CHAR = 6.4  # width of a character of the 11px lane labels, a little generous
MAX_LABEL = 46  # characters of a lane label; longer names end in an ellipsis (full in its title)


@dataclass(frozen=True)
class _Scale:
    start: datetime
    end: datetime
    left: float

    def x(self, moment: datetime) -> float:
        span = max((self.end - self.start).total_seconds(), 1.0)
        return (
            self.left + (WIDTH - self.left - RIGHT) * (moment - self.start).total_seconds() / span
        )


def timeline_svg(proof: Proof, contract: Contract, marks: Marks) -> str:
    """The timeline as an <svg> element, or a sentence when the proof has no holdings or its
    times cannot be drawn on one calendar axis (a ledger that claims the year 1 or 9999)."""
    try:
        return _timeline_svg(proof, contract, marks)
    except (OverflowError, ValueError):
        return (
            "<p>De tijdlijn kan niet getekend worden: de tijden in het grootboek liggen buiten "
            "het bereik van een kalender (zie de lijst van gebeurtenissen).</p>"
        )


def _timeline_svg(proof: Proof, contract: Contract, marks: Marks) -> str:
    if not proof.holdings:
        return (
            "<p>Geen bezit om te tonen: het bewijs gaat enkel over de gegevensstroom volgens het "
            "contract.</p>"
        )
    names = LedgerNames.of(contract)  # a name the contract does not declare is withheld
    lanes = _lanes(proof.holdings, contract)
    at = datetime.fromisoformat(proof.at)
    times = [datetime.fromisoformat(e.time) for e in proof.records]
    times += [datetime.fromisoformat(h.start) for h in proof.holdings]
    start, end = min(times), max([*times, at])
    pad = max((end - start) / 40, timedelta(hours=1))
    longest = max(len(_lane_name(p, d, names)) for p, d in lanes)
    scale = _Scale(start - pad, end + pad, min(longest, MAX_LABEL) * CHAR + 14)
    milestones = [e for e in proof.records if e.kind == "milestone"]
    said = {e.seq: names.label("milestone", e.milestone or "", "nl") for e in milestones}
    rows = _milestone_rows(milestones, said, scale)
    top = 8 + 13 * (max(rows.values(), default=-1) + 1)
    height = top + len(lanes) * LANE + 40
    parts = [
        f'<svg class="timeline" role="img" aria-label="tijdlijn van het bezit" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px">'
    ]
    parts += _axis(scale, top, top + len(lanes) * LANE)
    for i, (party, dataset) in enumerate(lanes):
        y = top + i * LANE
        name = _lane_name(party, dataset, names)
        mine = [h for h in proof.holdings if (h.party, h.dataset) == (party, dataset)]
        shown = name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"
        fill = RED if any(marks.holding(h) for h in mine) else "#1d232a"
        parts.append(
            f'<text x="4" y="{y + 15}" font-size="11" fill="{fill}"><title>{_e(name)}</title>'
            f"{_e(shown)}</text>"
        )
        who = (names.label("party", party, "nl"), names.label("dataset", dataset, "nl"))
        parts += _bars(mine, scale, y, at, marks, who)
    bottom = top + len(lanes) * LANE
    for e in milestones:
        x = scale.x(datetime.fromisoformat(e.time))
        color = RED if e.seq in marks.events else "#6b5b95"
        label_y = 10 + 13 * rows[e.seq]
        parts.append(
            f'<line x1="{x:.1f}" y1="{label_y + 2}" x2="{x:.1f}" y2="{bottom}" stroke="{color}" '
            f'stroke-dasharray="4,3"/><text x="{x + 3:.1f}" y="{label_y}" font-size="10" '
            f'fill="{color}">{_e(said[e.seq])} ({e.seq})</text>'
        )
    x_at = scale.x(at)
    parts.append(
        f'<line x1="{x_at:.1f}" y1="{top - 4}" x2="{x_at:.1f}" y2="{bottom}" stroke="#1d232a" '
        'stroke-width="1.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def key_html() -> str:
    """The key to the timeline's colours, bars and marks."""
    return (
        '<ul class="key">'
        f'<li><svg width="34" height="12" aria-hidden="true"><rect x="1" y="2" width="32" '
        f'height="8" fill="{BLUE}" opacity="0.75"/></svg> in bezit</li>'
        f'<li><svg width="34" height="12" aria-hidden="true"><rect x="1" y="2" width="32" '
        f'height="8" fill="{RED}" opacity="0.75"/></svg> in bezit, door een tegenvoorbeeld '
        "genoemd</li>"
        f'<li><svg width="16" height="12" aria-hidden="true"><circle cx="8" cy="6" r="4" '
        f'fill="#fff" stroke="{BLUE}" stroke-width="1.6"/></svg> ontvangen, verstuurd of '
        "aangemaakt (met het volgnummer van de gebeurtenis)</li>"
        f'<li><svg width="16" height="12" aria-hidden="true"><path d="M4,2L12,10M12,2L4,10" '
        f'stroke="{BLUE}" stroke-width="2"/></svg> vernietigd</li>'
        '<li><svg width="16" height="14" aria-hidden="true"><line x1="8" y1="0" x2="8" y2="14" '
        'stroke="#6b5b95" stroke-dasharray="4,3"/></svg> mijlpaal</li>'
        '<li><svg width="16" height="14" aria-hidden="true"><line x1="8" y1="0" x2="8" y2="14" '
        'stroke="#1d232a" stroke-width="1.5"/></svg> peilmoment van het bewijs (een balk tot '
        "daar: nog in bezit)</li></ul>"
    )


def _e(text: str) -> str:
    return html.escape(plain(text))


def _lane_name(party: str, dataset: str, names: LedgerNames) -> str:
    """A lane's name: its party and dataset, each withheld when the contract does not declare
    it (the proof's holdings say those in English: here in Dutch)."""
    return f"{names.label('party', party, 'nl')} · {names.label('dataset', dataset, 'nl')}"


def _lanes(holdings: tuple[Holding, ...], contract: Contract) -> list[tuple[str, str]]:
    order = {p.id: i for i, p in enumerate(contract.parties)}
    first: dict[tuple[str, str], int] = {}
    for h in holdings:
        first.setdefault((h.party, h.dataset), h.start_seq)
    return sorted(first, key=lambda k: (order.get(k[0], len(order)), k[0], first[k]))


def _bars(
    mine: list[Holding],
    scale: _Scale,
    y: float,
    at: datetime,
    marks: Marks,
    who: tuple[str, str],
) -> list[str]:
    """The bars of one lane (`who`: its party and dataset as shown)."""
    parts = []
    points: list[tuple[float, int, str, bool]] = []  # x, seq, shape, red
    for h in mine:
        x1 = scale.x(datetime.fromisoformat(h.start))
        x2 = scale.x(datetime.fromisoformat(h.end) if h.end else at)
        color = RED if marks.holding(h) else BLUE
        until = f"tot gebeurtenis {h.end_seq} ({moment(h.end)})" if h.end else "tot het peilmoment"
        parts.append(
            f'<rect x="{x1:.1f}" y="{y + 6}" width="{max(x2 - x1, 2):.1f}" height="10" '
            f'fill="{color}" opacity="0.75"><title>{_e(who[0])} had {_e(who[1])} in bezit '
            f"vanaf gebeurtenis {h.start_seq} ({_e(moment(h.start))}) {_e(until)}</title></rect>"
        )
        points.append((x1, h.start_seq, "o", h.start_seq in marks.events))
        if h.end_seq is not None:
            points.append((x2, h.end_seq, "x", h.end_seq in marks.events))
    points.sort()
    for x, _, shape, red in points:
        color = RED if red else BLUE
        if shape == "o":
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y + 11}" r="4" fill="#fff" stroke="{color}" '
                'stroke-width="1.6"/>'
            )
        else:
            parts.append(
                f'<path d="M{x - 4:.1f},{y + 7}L{x + 4:.1f},{y + 15}M{x + 4:.1f},{y + 7}'
                f'L{x - 4:.1f},{y + 15}" stroke="{color}" stroke-width="2"/>'
            )
    parts += _numbers(points, y)
    return parts


def _numbers(points: list[tuple[float, int, str, bool]], y: float) -> list[str]:
    """Sequence numbers beside the marks; marks closer than a label share one."""
    clusters: list[list[tuple[float, int, str, bool]]] = []
    for p in points:
        if clusters and p[0] - clusters[-1][-1][0] < 26:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    out = []
    for cluster in clusters:
        seqs = sorted({seq for _, seq, _, _ in cluster})
        text = ", ".join(map(str, seqs)) if len(seqs) <= 3 else f"{seqs[0]}…{seqs[-1]}"
        red = any(r for *_, r in cluster)
        out.append(
            f'<text x="{cluster[0][0] + 6:.1f}" y="{y + 5}" font-size="9" '
            f'fill="{RED if red else "#555"}">{_e(text)}</text>'
        )
    return out


def _milestone_rows(milestones: list[Event], said: dict[int, str], scale: _Scale) -> dict[int, int]:
    """A row for each milestone's label (`said`, by seq), the first where it does not run into
    another."""
    ends: list[float] = []  # per row: where its last label ends
    rows: dict[int, int] = {}
    for e in milestones:
        x = scale.x(datetime.fromisoformat(e.time))
        width = (len(said[e.seq]) + 6) * 5.6
        row = next((i for i, end in enumerate(ends) if x > end + 6), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = x + width
        rows[e.seq] = row
    return rows


def _axis(scale: _Scale, top: float, bottom: float) -> list[str]:
    """Gridlines and dates: months, weeks or days, whichever gives 3 to 14 ticks."""
    span = scale.end - scale.start
    ticks = _ticks(scale.start.date(), scale.end.date(), span)
    tz = scale.start.tzinfo
    parts = [
        f'<line x1="{scale.left}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#999"/>'
    ]
    year = None
    for day, label in ticks:
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        if not scale.start <= midnight <= scale.end:
            continue
        if day.year != year and str(day.year) not in label:
            label = f"{label} {day.year}"  # the first date of each year on the axis names it
        year = day.year
        x = scale.x(midnight)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#e3e6ea"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="10" fill="#555" '
            f'text-anchor="middle">{_e(label)}</text>'
        )
    return parts


def _ticks(first: date, last: date, span: timedelta) -> list[tuple[date, str]]:
    if span > timedelta(days=100):
        out, day = [], date(first.year, first.month, 1)
        while day <= last:
            label = SHORT_MONTHS[day.month - 1] + (f" {day.year}" if day.month == 1 else "")
            out.append((day, label))
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        if len(out) > 14:
            step = -(-len(out) // 12)
            out = out[::step]
        return out
    step = 7 if span > timedelta(days=20) else 1
    if span > timedelta(days=70):
        step = 14
    day = first - timedelta(days=first.weekday()) if step > 1 else first
    out = []
    while day <= last + timedelta(days=1):
        out.append((day, f"{day.day} {SHORT_MONTHS[day.month - 1]}"))
        day += timedelta(days=step)
    return out
