"""The audit proof in four forms: text (rich) and JSON (stable keys, English terms) here; the
self-contained HTML page in Dutch (proof_html.py, with proof_cover, proof_graph,
proof_timeline, proof_events, proof_dutch) and its PDF (proof_pdf.py).

A proof holds no cell values to begin with: events carry hashes, counts, rule ids and articles.
"""

from __future__ import annotations

import io
import json

from datacontract.contract.model import Contract
from datacontract.flow.prover import Proof
from datacontract.messages import render
from datacontract.report.inert import json_text, markup, plain
from datacontract.report.proof_cover import Issue
from datacontract.report.proof_html import to_html
from datacontract.report.proof_signature import ProofSignature, signed_json
from datacontract.report.proof_strength import (
    evidence_lines,
    headline,
    says_its_events,
    status_word,
)

FORMATS = ("text", "json", "html", "pdf")


def render_proof(
    proof: Proof,
    fmt: str,
    contract: Contract,
    *,
    color: bool = False,
    issue: Issue | None = None,
    terminal: bool | None = None,
) -> str | bytes:
    """The proof in `fmt` (one of FORMATS): text, JSON and HTML as text, the PDF as bytes
    (UsageError, exit 2, when no renderer is installed: proof_pdf.py). Text is a table on a
    terminal (`terminal`, default: `color`) and plain lines anywhere else."""
    if fmt == "json":
        return to_json(proof, issue.signature if issue is not None else None)
    if fmt == "html":
        return to_html(proof, contract, issue)
    if fmt == "pdf":
        from datacontract.report.proof_pdf import to_pdf

        return to_pdf(to_html(proof, contract, issue))
    text = to_text(proof, color=color, terminal=color if terminal is None else terminal)
    if issue is not None and issue.signature is not None:
        text += _signed_line(issue.signature)
    return text


def to_json(proof: Proof, signature: ProofSignature | None = None) -> str:
    """The published proof (flow/proof.py `to_json`; with its "signature" object when signed:
    proof_signature.py), inert."""
    said = signed_json(proof, signature)
    return json_text(json.dumps(said, indent=2, ensure_ascii=False)) + "\n"


def _signed_line(sig: ProofSignature) -> str:
    """Who signed the proof, on one plain line."""
    who = f"party {sig.party}" if sig.party else "a key not bound to a party of the contract"
    name = f" ({sig.issuer})" if sig.issuer else ""
    said = (
        f"signed by {who}{name}: key fingerprint {sig.fingerprint}, statement sha256 "
        f"{sig.statement_sha256}, signature {sig.signature}"
    )
    return plain(said) + "\n"


SHOWN = 20  # counterexamples per invariant shown in full; the rest counted

_STYLE = {"holds": "green", "broken": "red", "not_judged": "yellow"}
_LEVEL_STYLE = {"proven": "green", "holds": "yellow", "broken": "red", "not_judged": "red"}


def _cited(seqs: tuple[int, ...], mode: str) -> str:
    """event 5, events 3, 7 (in order), or the ledger (the declared flow) as a whole."""
    if not seqs:
        return "the ledger" if mode == "ledger" else "declared flow"
    ordered = sorted(set(seqs))
    word = "event" if len(ordered) == 1 else "events"
    return f"{word} {', '.join(map(str, ordered))}"


def to_text(
    proof: Proof, *, color: bool = False, width: int = 120, terminal: bool | None = None
) -> str:
    """The proof as text: on a terminal (`terminal`, default `color`) a rich table; anywhere
    else plain lines (no box, no wrapping, hashes whole), one finding a line."""
    from rich.console import Console

    tty = color if terminal is None else terminal
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width if tty else 10_000,
        highlight=False,
        soft_wrap=not tty,
    )
    what = (
        f"ledger {markup(str(proof.ledger))} ({proof.events:,} events)"
        if proof.mode == "ledger"
        else "the declared flow"
    )
    style = _LEVEL_STYLE[proof.level]
    console.print(f"[{style}]{markup(render(headline(proof)))}[/]")
    said = markup(f"{proof.contract} {proof.version}")
    console.print(f"  {said}, on {what}, at {markup(str(proof.at))}")
    lines = evidence_lines(proof)
    if lines:
        console.print("evidence:")
        for key, m in lines:
            console.print(f"  - {key}: {markup(render(m))}")
    if tty:
        from rich.table import Table

        table = Table()
        for name in ("invariant", "verdict", "article"):
            table.add_column(name)
        for v in proof.verdicts:
            table.add_row(
                markup(v.invariant), f"[{_STYLE[v.judged]}]{status_word(v)}[/]", markup(v.article)
            )
        console.print(table)
    else:
        console.print("verdicts:")
        for v in proof.verdicts:
            word = f"[{_STYLE[v.judged]}]{status_word(v)}[/]"
            console.print(f"  {word}: {markup(v.invariant)} ({markup(v.article)})")
    for v in proof.verdicts:
        for c in v.counterexamples[:SHOWN]:
            events = "" if says_its_events(c) else f"{_cited(c.events, proof.mode)}: "
            said = markup(f"{v.invariant} ({v.article}) — {events}{c.message}")
            mark = "[red]✗[/]" if v.judged == "broken" else "[yellow]?[/]"
            console.print(f"  {mark} {said}")
        if len(v.counterexamples) > SHOWN:
            console.print(f"    ... and {len(v.counterexamples) - SHOWN} more")
    if proof.scope:
        console.print("scope and limits:")
        for m in proof.scope:
            console.print(f"  - {markup(render(m))}")
    if proof.ledger_hash:
        heads = f"ledger head {proof.ledger_hash}; contract sha256 {proof.contract_sha256}"
        console.print(markup(heads))
    return buffer.getvalue()


__all__ = [
    "FORMATS",
    "evidence_lines",
    "headline",
    "render_proof",
    "status_word",
    "to_html",
    "to_json",
    "to_text",
]
