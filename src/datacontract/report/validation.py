"""Renderings of validation results: text, JSON (the published keys), JUnit XML; the CI formats
(GitHub and Azure annotations, SARIF) are in annotations.py and sarif.py.

Text comes in two shapes. On a terminal, a rich table. Anywhere else (a CI log, a pipe, a file
given with --output) plain lines, never wrapped, one per verdict and one per finding, each
starting with the file's path so that `grep REFUSED` or `grep dataset_4.no_insz` finds the whole
statement. Row numbers count data rows: `results.ROW_BASE` (row 1 is the first data row after
the header), said once under every report that names rows.

Renderers only format what a result holds; a result holds no cell values (see results.py), so
no rendering can leak one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from io import StringIO
from xml.etree import ElementTree as ET

from datacontract.check.results import HEADER_ONLY, ROW_BASE, Finding, ValidationResult, counted
from datacontract.report.inert import json_text, markup, plain

FORMATS = ("text", "json", "junit", "github", "azure", "sarif")


def render(
    results: Sequence[ValidationResult],
    fmt: str,
    *,
    color: bool = False,
    terminal: bool | None = None,
    many: bool = False,
    tool_version: str = "",
    unusable: Sequence[tuple[str, str]] = (),
) -> str:
    """`results` in `fmt` (one of FORMATS). `terminal` chooses the rich table for text (default:
    `color`); otherwise text is plain unwrapped lines. JSON is one object, or a list when
    `many` files were asked for (or several results given). `tool_version` goes into SARIF, and
    so do the files that could not be checked, `unusable` (file, why)."""
    if fmt == "json":
        return to_json(results, many=many)
    if fmt == "junit":
        return to_junit(results)
    if fmt in ("github", "azure"):
        from datacontract.report.annotations import to_annotations

        return to_annotations(results, fmt)
    if fmt == "sarif":
        from datacontract.report.sarif import to_sarif

        return to_sarif(results, tool_version, unusable)
    if color if terminal is None else terminal:
        return to_text(results, color=color)
    return to_lines(results)


def to_json(results: Sequence[ValidationResult], *, many: bool = False) -> str:
    single = len(results) == 1 and not many
    payload: object = results[0].to_json() if single else [r.to_json() for r in results]
    return json_text(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def verdict(result: ValidationResult) -> str:
    """The one line that says what holds: `VALID f: ...` or `REFUSED f: ...` (no markup)."""
    where = f"{result.contract} {result.contract_version} / {result.dataset}"
    if result.valid and result.header_only:
        return (
            f"VALID {result.file}: {HEADER_ONLY}; they hold to {where} "
            f"({counted(len(result.rules), 'rule')})"
        )
    if result.valid:
        return (
            f"VALID {result.file}: {counted(result.rows, 'row')} "
            f"{'holds' if result.rows == 1 else 'hold'} to {where} "
            f"({counted(len(result.rules), 'rule')} checked)"
        )
    return (
        f"REFUSED {result.file}: {counted(len(result.findings), 'violation')} of {where} "
        f"in a file of {counted(result.rows, 'data row')}"
    )


def finding_line(f: Finding) -> str:
    """One finding in one line: rule, column, what is wrong, a few rows and the article."""
    column = f" [column {f.column}]" if f.column and f.column not in f.message else ""
    rows = f"; rows {', '.join(str(r) for r in f.rows)}" if f.rows else ""
    if f.rows and f.count > len(f.rows):
        rows += " ..."
    article = f" ({f.article})" if f.article else ""
    return f"{f.rule}{column}{article}: {f.message}{rows}"


def unchecked(result: ValidationResult) -> str | None:
    """The columns a protocol defines by reference, accepted unchecked, or None."""
    if not result.columns_by_reference:
        return None
    return (
        "columns defined by reference, accepted unchecked: "
        f"{', '.join(result.columns_by_reference)}"
    )


def to_lines(results: Sequence[ValidationResult]) -> str:
    """Plain text for logs: never wrapped, one line per verdict and per finding."""
    out: list[str] = []
    for result in results:
        out.append(plain(verdict(result)))
        note = unchecked(result)
        if note:
            out.append(plain(f"{result.file}: {note}"))
        out += [plain(f"{result.file}: {finding_line(f)}") for f in result.findings]
    if any(f.rows for r in results for f in r.findings):
        out.append(f"(row numbers: {ROW_BASE})")
    return "".join(line + "\n" for line in out)


def to_text(results: Sequence[ValidationResult], *, color: bool = False) -> str:
    """The terminal's report: the verdict, and for a refused file a table of its findings."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=140, highlight=False
    )
    for result in results:
        line = markup(verdict(result))
        word = "VALID" if result.valid else "REFUSED"
        style = "bold green" if result.valid else "bold red"
        console.print(f"[{style}]{word}[/]{line.removeprefix(word)}", soft_wrap=True)
        note = unchecked(result)
        if note:
            console.print(markup(note.capitalize()), soft_wrap=True)
        if result.valid:
            continue
        table = Table(show_lines=False, expand=False)
        table.add_column("rule", overflow="fold")
        table.add_column("column", overflow="fold")
        table.add_column("count", justify="right")
        table.add_column("rows", overflow="fold")
        table.add_column("article", overflow="fold")
        for f in result.findings:
            table.add_row(
                Text(plain(f.rule)),
                Text(plain(f.column or "")),
                f"{f.count:,}",
                ", ".join(str(r) for r in f.rows),
                Text(plain(f.article or "")),
            )
        console.print(table)
        for f in result.findings:
            console.print(Text(plain(f"  - {f.rule}: {f.message}")), soft_wrap=True)
    if any(f.rows for r in results for f in r.findings):
        console.print(f"(row numbers: {ROW_BASE})", soft_wrap=True)
    return buffer.getvalue()


def to_junit(results: Sequence[ValidationResult]) -> str:
    suites = ET.Element("testsuites")
    for result in results:
        failed = {f.rule: [] for f in result.findings}  # type: dict[str, list[str]]
        for f in result.findings:
            where = f" column={f.column}" if f.column else ""
            rows = f" rows={','.join(str(r) for r in f.rows)}" if f.rows else ""
            failed[f.rule].append(f"{f.message} (count={f.count}{where}{rows})")
        rules = dict(result.rules)
        for f in result.findings:
            rules.setdefault(f.rule, f.article)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{result.file}: {result.contract}/{result.dataset}",
            file=result.file,
            tests=str(len(rules)),
            failures=str(len(failed)),
            errors="0",
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="file", value=result.file)
        ET.SubElement(properties, "property", name="sha256", value=result.sha256)
        ET.SubElement(properties, "property", name="row_numbers", value=ROW_BASE)
        if result.header_only:
            ET.SubElement(properties, "property", name="notice", value=HEADER_ONLY)
        for rule, article in rules.items():
            case = ET.SubElement(
                suite, "testcase", name=rule, classname=f"{result.contract}.{result.dataset}"
            )
            if rule in failed:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{rule} ({article or 'no article'})",
                    type="ContractViolation",
                )
                failure.text = "\n".join(failed[rule])
    for element in suites.iter():
        element.attrib = {k: plain(v) for k, v in element.attrib.items()}
        if element.text:
            element.text = plain(element.text, lines=True)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
