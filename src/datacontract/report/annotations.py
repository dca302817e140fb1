"""CI annotations of validation results: GitHub workflow commands, Azure Pipelines logging
commands, and GitHub's Markdown job summary.

`--format github` prints, per file, its verdict line (plain, so a grep finds it), then one
`::error file=F,title=RULE::MESSAGE (ARTICLE); rows ...` per finding and a `::warning` for a
header-only file. `--format azure` prints `##vso[task.logissue type=error;sourcepath=F;code=RULE]`
lines instead. No line number is given: a finding names data rows (`results.ROW_BASE`), not
lines of the file (a quoted CSV cell may span lines, Parquet has none), so an annotation
belongs to the file.

Escaping follows each runner's own toolkit: GitHub's `@actions/core` (`escapeData`: %, CR, LF;
`escapeProperty`: also `:` and `,`), Azure's `azure-pipelines-task-lib` (data: % as %AZP25, CR,
LF; properties: also `;` and `]`). Every string is first made inert (`inert.plain`), so a name
from a file can neither start a second command nor forge a line.
"""

from __future__ import annotations

from collections.abc import Sequence

from datacontract.check.results import HEADER_ONLY, ROW_BASE, Finding, ValidationResult, counted
from datacontract.report.inert import plain
from datacontract.report.validation import verdict

_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}
_AZURE_DATA = {"%": "%AZP25", "\r": "%0D", "\n": "%0A"}
_AZURE_PROPERTY = {**_AZURE_DATA, ";": "%3B", "]": "%5D"}


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in plain(text, lines=True))


def github_command(level: str, message: str, **properties: str) -> str:
    """`::level key=value,...::message`, escaped as `@actions/core` does."""
    props = ",".join(f"{k}={_escape(v, _GITHUB_PROPERTY)}" for k, v in properties.items())
    return f"::{level} {props}::{_escape(message, _GITHUB_DATA)}"


def azure_command(level: str, message: str, **properties: str) -> str:
    """`##vso[task.logissue type=level;key=value]message`, escaped as the task library does."""
    props = "".join(f";{k}={_escape(v, _AZURE_PROPERTY)}" for k, v in properties.items())
    return f"##vso[task.logissue type={level}{props}]{_escape(message, _AZURE_DATA)}"


def annotation_text(f: Finding) -> str:
    """A finding's message with its article and sample rows: no cell value, ever."""
    text = f.message
    if f.article:
        text += f" ({f.article})"
    if f.rows:
        more = " ..." if f.count > len(f.rows) else ""
        text += f"; rows {', '.join(str(r) for r in f.rows)}{more} ({ROW_BASE})"
    return text


def to_annotations(results: Sequence[ValidationResult], fmt: str) -> str:
    """Every result as its verdict line and one annotation per finding (`fmt`: github|azure)."""
    lines: list[str] = []
    for result in results:
        lines.append(plain(verdict(result)))
        if result.header_only:
            lines.append(_command(fmt, "warning", HEADER_ONLY, result.file, "header only"))
        for f in result.findings:
            lines.append(_command(fmt, "error", annotation_text(f), result.file, f.rule))
    return "".join(line + "\n" for line in lines)


def _command(fmt: str, level: str, message: str, file: str, title: str) -> str:
    if fmt == "azure":
        return azure_command(level, message, sourcepath=file, code=title)
    return github_command(level, message, file=file, title=title)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~&")


def _md(text: str) -> str:
    """Text for a Markdown table cell: every Markdown character escaped, one line."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in plain(text))


def step_summary(
    results: Sequence[ValidationResult], unusable: Sequence[tuple[str, str]] = ()
) -> str:
    """GitHub's job summary (appended to $GITHUB_STEP_SUMMARY): one table of every file,
    those that could not be checked, (file, why), included."""
    refused = sum(not r.valid for r in results)
    given = len(results) + len(unusable)
    parts = [f"{counted(refused, 'file')} of {given} refused"] if refused else []
    if unusable:
        parts.append(f"{counted(len(unusable), 'file')} of {given} could not be checked")
    title = "; ".join(parts) or f"all {counted(given, 'file')} hold to the contract"
    out = [
        f"### datacontract validate: {title}",
        "",
        "| file | verdict | rule | column | count | rows | article |",
        "|---|---|---|---|---:|---|---|",
    ]
    for r in results:
        if r.valid:
            word = "header only, 0 rows" if r.header_only else f"valid, {counted(r.rows, 'row')}"
            out.append(f"| {_md(r.file)} | {word} | | | | | |")
        for f in r.findings:
            cells = [
                r.file,
                "refused",
                f.rule,
                f.column or "",
                f"{f.count:,}",
                ", ".join(str(n) for n in f.rows),
                f.article or "",
            ]
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    for file, why in unusable:
        out.append(f"| {_md(file)} | not checked | | | | | {_md(why)} |")
    if any(f.rows for r in results for f in r.findings):
        out += ["", f"Row numbers: {ROW_BASE}."]
    return "\n".join(out) + "\n"
