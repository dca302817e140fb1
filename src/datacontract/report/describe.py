"""What a contract declares, for the people who call its hooks: `datacontract describe`.

The names every command takes (`--hop`, `--from`/`--to`, `--party`, `--dataset`, a milestone's
NAME) with what each stands for and its article: parties, datasets (who makes them, what they
derive from), hops (id, sender -> receiver, dataset, step, article), milestones and the flow
invariants. Text (plain lines: a grep for a hop id finds its line) or JSON (the same facts,
keys in English). Every string is the contract's own and printed inert.
"""

from __future__ import annotations

import json

from datacontract.contract.model import Contract
from datacontract.report.inert import json_text, plain


def describe(contract: Contract) -> dict[str, object]:
    """The contract's names as a JSON-ready dict: `parties`, `datasets`, `hops`, `milestones`,
    `invariants`, each a list of objects with an `id` and an `article`."""
    return {
        "contract": contract.contract,
        "version": contract.version,
        "title": contract.title,
        "protocol": {"title": contract.protocol.title, "date": contract.protocol.date.isoformat()},
        "parties": [
            {"id": p.id, "name": p.name, "role": p.role, "article": p.article}
            for p in contract.parties
        ],
        "datasets": [
            {
                "id": d.id,
                "title": d.title,
                "made_by": list(d.made_by),
                "derived_from": list(d.derived_from),
                "columns": len(d.columns),
                "article": d.article,
            }
            for d in contract.datasets
        ],
        "hops": [
            {
                "id": h.id,
                "from": list(h.sender),
                "to": list(h.receiver),
                "dataset": h.dataset,
                "step": h.step,
                "optional": h.optional,
                "article": h.article,
            }
            for h in contract.hops
        ],
        "milestones": [
            {"id": m.id, "title": m.title, "party": m.party, "article": m.article}
            for m in contract.milestones
        ],
        "invariants": [
            {"id": v.id, "kind": v.kind, "title": v.title, "article": v.article}
            for v in contract.invariants
        ],
    }


def to_json(contract: Contract) -> str:
    return json_text(json.dumps(describe(contract), indent=2, ensure_ascii=False)) + "\n"


def to_text(contract: Contract) -> str:
    """Plain lines, one per name: `  stap4  fons, kidslife -> opgroeien_it  dataset_2  (art.)`."""
    c = contract
    date = c.protocol.date.isoformat()
    lines = [f"{c.contract} {c.version}: {' '.join(c.title.split())}", f"protocol of {date}"]

    def section(title: str, rows: list[tuple[str, ...]]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(rows)}):")
        if not rows:
            lines.append("  (none)")
            return
        width = max(len(r[0]) for r in rows)
        for first, *rest in rows:
            lines.append(f"  {first.ljust(width)}  " + "  ".join(x for x in rest if x))

    section(
        "parties (--from, --to, --party)",
        [(p.id, f"{p.name} ({p.article})") for p in c.parties],
    )
    section(
        "datasets (--dataset)",
        [
            (
                d.id,
                d.title,
                f"made by {', '.join(d.made_by)}" if d.made_by else "",
                f"from {', '.join(d.derived_from)}" if d.derived_from else "",
                f"({d.article})",
            )
            for d in c.datasets
        ],
    )
    section(
        "hops (--hop)",
        [
            (
                h.id,
                f"{', '.join(h.sender)} -> {', '.join(h.receiver)}",
                h.dataset,
                "(optional)" if h.optional else "",
                f"({h.article})",
            )
            for h in c.hops
        ],
    )
    section(
        "milestones (datacontract milestone NAME)",
        [
            (m.id, m.title, f"by {m.party}" if m.party else "", f"({m.article})")
            for m in c.milestones
        ],
    )
    section(
        "invariants (datacontract prove)",
        [(v.id, f"{v.kind}: {' '.join(v.title.split())}", f"({v.article})") for v in c.invariants],
    )
    return "".join(plain(" ".join(line.split("\n"))) + "\n" for line in lines)
