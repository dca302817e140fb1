"""`datacontract coverage` as text (rich), JSON and Markdown (the tables in docs/contracts.md)."""

from __future__ import annotations

import io
import json

from datacontract.contract.coverage import Coverage
from datacontract.report.inert import json_text, markup, plain


def render(cov: Coverage, fmt: str, *, terminal: bool = False) -> str:
    """The coverage in `fmt`: text is a table on a terminal (`terminal`) and plain lines
    anywhere else (a CI log: no box, no wrapping, one item a line)."""
    if fmt == "json":
        return json_text(json.dumps(cov.to_json(), indent=2, ensure_ascii=False)) + "\n"
    if fmt == "markdown":
        return plain(_markdown(cov), lines=True)
    return _text(cov) if terminal else _lines(cov)


_STATUS = {"encoded": "encoded", "partial": "partial", "by_reference": "by reference"}


def _lines(cov: Coverage) -> str:
    """Plain lines: the title, one line an item, the summary and its notes."""
    out = [f"{cov.contract} {cov.version}: article 3 of {cov.seed}"]
    for i in cov.items:
        by = ", ".join(i.encoded_by) or "-"
        missing = f"; missing: {i.missing}" if i.missing else ""
        status = _STATUS.get(i.status, "not encoded")
        out.append(f"  {status}: {i.id}: {i.text} ({i.article}); encoded by {by}{missing}")
    out.append(_summary(cov))
    out += _overclaims(cov)
    if not cov.items:
        out.append("The contract lists no article-3 items.")
    if cov.uncited:
        out.append(
            f"{len(cov.uncited)} article citation(s) still TODO, e.g. {cov.uncited[0]}: "
            "cite the protocol's article for each."
        )
    out += [
        f"{dataset}: {count} element(s) by reference, each listed by its path"
        for dataset, count in cov.by_reference
    ]
    if cov.unlisted:
        out.append(
            "Columns that cross a boundary and no article-3 item names (they come from other "
            "parts of the protocol and cite their own article): " + ", ".join(cov.unlisted)
        )
    return plain("\n".join(out), lines=True) + "\n"


def _summary(cov: Coverage) -> str:
    c = cov.counts
    return (
        f"{len(cov.items)} items of article 3: {c['encoded']} encoded, {c['partial']} partial, "
        f"{c['by_reference']} by reference, {c['not_encoded']} not encoded"
    )


def _overclaims(cov: Coverage) -> list[str]:
    return [
        f"item {item} is marked encoded, but nothing encodes: {'; '.join(parts)} "
        "(encode it, or mark the item partial and say what is missing)"
        for item, parts in cov.overclaimed
    ]


def _markdown(cov: Coverage) -> str:
    lines = [
        f"### Coverage of `{cov.contract}` {cov.version} (protocol `{cov.seed}`)",
        "",
        "| item | protocol | status | encoded by | missing |",
        "|---|---|---|---|---|",
    ]
    for i in cov.items:
        by = ", ".join(f"`{n}`" for n in i.encoded_by) or "—"
        missing = i.missing or "—"
        lines.append(f"| `{i.id}` | {i.text} ({i.article}) | {i.status} | {by} | {missing} |")
    lines += ["", _summary(cov) + ("." if cov.holds else ": coverage is incomplete.")]
    lines += [f"- {text}" for text in _overclaims(cov)]
    lines += [
        f"- `{dataset}`: {count} element(s) by reference, each listed by its path"
        for dataset, count in cov.by_reference
    ]
    return "\n".join(lines) + "\n"


def _text(cov: Coverage) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=140, highlight=False)
    table = Table(title=markup(f"{cov.contract} {cov.version}: article 3 of {cov.seed}"))
    for name in ("item", "protocol", "status", "encoded by", "missing"):
        table.add_column(name)
    for i in cov.items:
        status = {
            "encoded": "[green]encoded[/]",
            "partial": "[yellow]partial[/]",
            "by_reference": "[yellow]by reference[/]",
        }.get(i.status, "[red]not encoded[/]")
        table.add_row(
            markup(i.id),
            markup(f"{i.text} ({i.article})", lines=True),
            status,
            markup("\n".join(i.encoded_by), lines=True),
            markup(i.missing or "", lines=True),
        )
    console.print(table)
    console.print(markup(_summary(cov), lines=True))
    for text in _overclaims(cov):
        console.print(f"[red]{markup(text, lines=True)}[/]")
    if not cov.items:
        console.print("[red]The contract lists no article-3 items.[/]")
    if cov.uncited:
        console.print(
            f"[red]{len(cov.uncited)} article citation(s) still TODO, e.g. "
            f"{markup(cov.uncited[0])}: cite the protocol's article for each.[/]"
        )
    for dataset, count in cov.by_reference:
        console.print(f"{dataset}: {count} element(s) by reference, each listed by its path")
    if cov.unlisted:
        console.print(
            "Columns that cross a boundary and no article-3 item names (they come from other "
            "parts of the protocol and cite their own article): " + markup(", ".join(cov.unlisted))
        )
    return buffer.getvalue()
