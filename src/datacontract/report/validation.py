"""Renderings of validation results: text (rich), JSON (the published keys) and JUnit XML.

Renderers only format what a result holds; a result holds no cell values (see results.py), so
no rendering can leak one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from io import StringIO
from xml.etree import ElementTree as ET

from datacontract.check.results import ValidationResult
from datacontract.report.inert import json_text, markup, plain

FORMATS = ("text", "json", "junit")


def render(results: Sequence[ValidationResult], fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return to_json(results)
    if fmt == "junit":
        return to_junit(results)
    return to_text(results, color=color)


def to_json(results: Sequence[ValidationResult]) -> str:
    payload: object = results[0].to_json() if len(results) == 1 else [r.to_json() for r in results]
    return json_text(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def to_text(results: Sequence[ValidationResult], *, color: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=140, highlight=False
    )
    for result in results:
        where = markup(f"{result.contract} {result.contract_version} / {result.dataset}")
        unchecked = ""
        if result.columns_by_reference:
            unchecked = (
                f"; columns defined by reference, accepted unchecked: "
                f"{', '.join(result.columns_by_reference)}"
            )
        file = markup(result.file)
        unchecked = markup(unchecked)
        if result.valid:
            held = (
                f"{result.rows:,} rows hold to {where}"
                if result.rows
                else f"no data rows (column names only); its columns hold to {where}"
            )
            console.print(
                f"[bold green]VALID[/] {file}: {held} ({len(result.rules)} rules checked)"
                f"{unchecked}",
                soft_wrap=True,
            )
            continue
        if unchecked:
            console.print(unchecked.removeprefix("; ").capitalize(), soft_wrap=True)
        total = sum(f.count for f in result.findings)
        console.print(
            f"[bold red]REFUSED[/] {file}: breaks {where}: "
            f"{len(result.findings)} violation(s), {total:,} finding(s) in {result.rows:,} rows"
        )
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
            name=f"{result.contract}/{result.dataset}",
            tests=str(len(rules)),
            failures=str(len(failed)),
            errors="0",
        )
        ET.SubElement(
            ET.SubElement(suite, "properties"), "property", name="sha256", value=result.sha256
        )
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
