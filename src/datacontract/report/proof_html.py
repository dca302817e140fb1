"""The audit proof as one self-contained HTML page, in Dutch: a document VUTG can rely on.

In order: the cover (proof_cover.py: with the evidence the verdicts rest on), the verdict in
words that say its strength (proof_strength.py), every invariant with its verdict, article
and counterexamples (each cited event a link into the appendix), the scope and limits of the
proof, the graph of the data flows laid out by Graphviz (proof_graph.py) with its legend, the
timeline of holdings (proof_timeline.py) with its key, and the appendix of every event
(proof_events.py). Print CSS puts the cover on its
own A4 page and the appendix on the next (proof_pdf.py prints it).

No script, no external resource (inline CSS and SVG). Every string from the contract or the
ledger is escaped and made inert (`plain`); the proof holds no cell value to begin with.
"""

from __future__ import annotations

import html

from datacontract.contract.model import Contract
from datacontract.contract.names import LedgerNames
from datacontract.flow.proof import Proof, Verdict
from datacontract.messages import render
from datacontract.report.inert import plain
from datacontract.report.proof_cover import Issue, cover_html, make_issue
from datacontract.report.proof_dutch import dutch, moment
from datacontract.report.proof_events import appendix_html, cite, cited_number, listed_events
from datacontract.report.proof_graph import legend_html, lineage_svg
from datacontract.report.proof_marks import BLUE, RED, RED_FILL, marks_of
from datacontract.report.proof_strength import headline, says_its_events
from datacontract.report.proof_timeline import key_html, timeline_svg

SHOWN = 20  # counterexamples per invariant shown in full; the rest counted

_CSS = f"""
@page{{size:A4;margin:14mm 12mm}}
body{{font:13px/1.45 "DejaVu Sans",system-ui,sans-serif;margin:1.5rem auto;max-width:1080px;
color:#1d232a;padding:0 1rem;font-variant-ligatures:none}}
h1{{font-size:1.45rem;margin:.2rem 0 .8rem}}h2{{font-size:1.12rem;margin-top:1.8rem;
border-bottom:1px solid #d5d9de;padding-bottom:.2rem}}
.kicker{{color:#555;text-transform:uppercase;letter-spacing:.06em;font-size:.75rem}}
dl.cover{{display:grid;grid-template-columns:13rem 1fr;gap:.35rem 1rem;margin:1rem 0}}
dl.cover dt{{color:#555}}dl.cover dd{{margin:0}}
code{{font:11.5px "DejaVu Sans Mono",monospace}}.hash{{word-break:break-all}}
.ok{{color:#18794e;font-weight:600}}.bad{{color:{RED};font-weight:600}}
.banner{{padding:.8rem 1rem;border-radius:6px;margin:1rem 0;font-weight:600;font-size:1.05rem}}
.banner.ok{{background:#e6f4ea;border-left:6px solid #18794e}}
.banner.bad{{background:{RED_FILL};border-left:6px solid {RED}}}
.banner.warn{{background:#fff6e0;border-left:6px solid #b26a00}}
.warn{{color:#8a5300;font-weight:600}}
ul.scope li{{margin:.25rem 0}}tr.not_judged td{{background:#fbf7ec}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #e6e8eb;
padding:.28rem .45rem;text-align:left;vertical-align:top}}th{{font-size:.85rem;color:#444}}
tr.broken td{{background:{RED_FILL}}}table.events{{font-size:11px}}
table.events td.hash{{font:10px "DejaVu Sans Mono",monospace;white-space:nowrap}}
dl.cover code.hash{{white-space:nowrap}}dl.cover code.sig{{font-size:9px;white-space:nowrap}}
table.events td.time{{white-space:nowrap}}
table.events tr.cited td{{background:{RED_FILL};color:#7f1d1d}}
ul.key{{list-style:none;padding:0;margin:.4rem 0 0;display:flex;flex-wrap:wrap;gap:.2rem 1.4rem;
font-size:12px;color:#333}}ul.key svg{{vertical-align:middle}}
.swatch{{display:inline-block;width:22px;height:12px;border:1.5px solid {BLUE};border-radius:4px;
vertical-align:middle}}.swatch.group{{border:1.5px dashed #8a949e;background:#fff}}
.note{{color:#555;font-size:12px}}a{{color:{BLUE}}}
.cover-page{{break-after:page}}.appendix{{break-before:page}}
figure{{margin:0}}.keep{{break-inside:avoid}}tr{{break-inside:avoid}}
@media print{{body{{margin:0;max-width:none;padding:0}}}}
"""


def to_html(proof: Proof, contract: Contract, issue: Issue | None = None) -> str:
    """The page (see the module docstring); `issue` defaults to make_issue(proof)."""
    return plain(_page(proof, contract, issue or make_issue(proof)), lines=True)


def _e(text: object) -> str:
    return html.escape(plain(str(text)))


def _page(proof: Proof, contract: Contract, issue: Issue) -> str:
    marks = marks_of(proof)
    events = listed_events(proof, marks)
    listed = {e.seq for e in events}
    said = render(headline(proof), "nl")
    banner = {"proven": "ok", "holds": "warn"}.get(proof.level, "bad")
    what = (
        "wat het grootboek vastlegt"
        if proof.mode == "ledger"
        else "enkel de gegevensstroom volgens het contract (zonder grootboek)"
    )
    nowhere = (
        "het grootboek" if proof.mode == "ledger" else "de gegevensstroom volgens het contract"
    )
    # the counterexample column only when there is one to show (else an empty column)
    shown = any(v.counterexamples for v in proof.verdicts)
    rows = "".join(_verdict_row(v, listed, nowhere, shown) for v in proof.verdicts)
    against = "<th>tegenvoorbeeld</th>" if shown else ""
    limits = "".join(
        f"<li>{dutch(m, lambda seq: cited_number(seq, listed))}</li>" for m in proof.scope
    )
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Auditbewijs {_e(proof.contract)} {_e(proof.version)}</title>
<style>{_CSS}</style></head><body>
<section class="cover-page">
<div class="kicker">Auditbewijs van de gegevensstromen</div>
<h1>{_e(contract.title)}</h1>
<div class="banner {banner}">{_e(said)}.</div>
{cover_html(proof, contract, issue)}
<p class="note">Dit bewijs toetst elke invariant van het contract aan {_e(what)}. Een
invariant is een regel van het contract die op elk moment moet gelden; het grootboek is de
doorlopende lijst van gebeurtenissen (verzending, ontvangst, aanmaak, vernietiging, mijlpaal)
die de partijen zelf vastleggen, elke gebeurtenis met de vorige verbonden door haar hashcode;
een controlepunt is een ondertekende vaststelling van het
aantal gebeurtenissen en de hashcode van de laatste, waartegen een afgeknipt of herschreven
grootboek opvalt. Gebeurtenissen worden genoemd met hun volgnummer in het grootboek; de bijlage
somt ze alle op. Tijden staan in Belgische tijd. Deze pagina bevat geen enkele waarde uit een
gegevensbestand: gebeurtenissen vermelden hashcodes, aantallen, namen van partijen, stappen en
datasets, regel-id's en artikels.</p>
</section>
<h2>Oordeel per invariant</h2>
<table class="verdicts"><thead><tr><th>invariant</th><th>oordeel</th><th>artikel</th>
{against}</tr></thead><tbody>{rows}</tbody></table>
<section><h2>Reikwijdte en grenzen van dit bewijs</h2>
<ul class="scope">{limits}</ul></section>
<section class="keep"><h2>Gegevensstromen: wie bezorgt welk bestand aan wie</h2>
<figure>{lineage_svg(proof, contract, marks)}
<figcaption>{legend_html()}</figcaption></figure></section>
<section class="keep"><h2>Tijdlijn: wie had welk bestand in bezit, en wanneer</h2>
<figure>{timeline_svg(proof, contract, marks)}
<figcaption>{key_html()}</figcaption></figure></section>
<section class="appendix">
<h2>Bijlage: de gebeurtenissen van het grootboek</h2>
{appendix_html(proof, marks, events, LedgerNames.of(contract), keys=_keys(proof, issue))}
</section>
<p class="note">Opgesteld door {_e(issue.issuer)} op {_e(moment(issue.made_at))} met
{_e(issue.tool)}.</p>
</body></html>
"""


def _keys(proof: Proof, issue: Issue) -> str | None:
    """Where the keys that checked the signatures came from: the evidence's word, else the
    issue's (a proof made without evidence, as a caller that audited with a keyring says)."""
    if proof.evidence.keys is not None:
        return proof.evidence.keys
    return "keyring" if issue.keyring else None


def _verdict_row(v: Verdict, listed: set[int], nowhere: str, shown: bool = True) -> str:
    """One invariant's row; a counterexample that cites no event is said of `nowhere` (the
    ledger as a whole, or the declared flow), one whose sentence cites its events is said
    without them before it (not "gebeurtenis 23: gebeurtenis 23: ..."); no counterexample
    cell unless `shown` (some verdict has one)."""
    cells = []
    for c in v.counterexamples[:SHOWN]:
        said = dutch(c.said, lambda seq: cited_number(seq, listed))
        if says_its_events(c):
            cells.append(f"<div>{said}</div>")
            continue
        where = cite(c.events, listed) if c.events else nowhere
        cells.append(f"<div><b>{where}</b>: {said}</div>")
    more = len(v.counterexamples) - SHOWN
    if more > 0:
        cells.append(f"<div>… en nog {more} tegenvoorbeeld{'en' if more > 1 else ''}</div>")
    verdict = {
        "holds": "<span class='ok'>geldt</span>",
        "broken": "<span class='bad'>geschonden</span>",
        "not_judged": "<span class='warn'>niet beoordeeld</span>",
    }[v.judged]
    if v.vacuous:
        verdict += "<br><span class='note'>zonder gebeurtenis om te toetsen</span>"
    row = {"holds": "held", "broken": "broken", "not_judged": "not_judged"}[v.judged]
    return (
        f"<tr class='{row}' id='inv-{_e(v.invariant)}'>"
        f"<td><code>{_e(v.invariant)}</code><br>{_e(v.title)}</td><td>{verdict}</td>"
        f"<td>{_e(v.article)}</td>" + (f"<td>{''.join(cells)}</td>" if shown else "") + "</tr>"
    )
