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
from datacontract.report.inert import json_text, markup
from datacontract.report.proof_cover import Issue
from datacontract.report.proof_html import to_html

FORMATS = ("text", "json", "html", "pdf")


def render_proof(
    proof: Proof, fmt: str, contract: Contract, *, color: bool = False, issue: Issue | None = None
) -> str | bytes:
    """The proof in `fmt` (one of FORMATS): text, JSON and HTML as text, the PDF as bytes
    (UsageError, exit 2, when no renderer is installed: proof_pdf.py)."""
    if fmt == "json":
        return to_json(proof)
    if fmt == "html":
        return to_html(proof, contract, issue)
    if fmt == "pdf":
        from datacontract.report.proof_pdf import to_pdf

        return to_pdf(to_html(proof, contract, issue))
    return to_text(proof, color=color)


def to_json(proof: Proof) -> str:
    """The published proof (flow/proof.py `to_json`), inert."""
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


__all__ = ["FORMATS", "render_proof", "to_html", "to_json", "to_text"]
