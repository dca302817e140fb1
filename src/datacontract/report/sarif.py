"""Validation results as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the
format GitHub code scanning and Azure DevOps read.

Shape (`sarif-schema-2.1.0.json`, errata 01; the tests validate every output against it):

- one run; `tool.driver` is `datacontract` with the installed version, and one
  `reportingDescriptor` per rule of the contract that was checked (id = our rule id, e.g.
  `dataset_4.no_insz`; `fullDescription` what the rule demands; `help.text` its article and
  its text; `properties.article`);
- one `result` per finding (`level: error`, `ruleId`, the message with its article and a few
  data rows), located in the file (`artifactLocation.uri`), at `region.startLine` 1: the
  validator names data rows (`results.ROW_BASE`), not lines, so the result points at the
  file's first line and the rows are in the message and in `properties.rows`; the column is a
  `logicalLocation` (`dataset.column`);
- `artifacts` name each file with its SHA-256; a header-only file is a `warning`
  notification of the invocation.

Never a cell value: a finding holds none (results.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote_from_bytes

from datacontract.check.results import HEADER_ONLY, ROW_BASE, ValidationResult
from datacontract.report.annotations import annotation_text
from datacontract.report.inert import json_text, plain

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def artifact_uri(file: str) -> str:
    """A file path as a SARIF URI reference (RFC 3986): relative paths stay relative (to the
    checkout). Every byte of the name but the unreserved ones and `/` is percent-encoded from
    the name as the file system has it (a newline is `%0A`, an undecodable byte itself), so the
    URI names that very file and holds no character a URI may not: given the raw name, never
    the name as printed (which replaces control characters)."""
    path = Path(file)
    if path.is_absolute():
        return "file://" + quote_from_bytes(os.fsencode(path.as_posix()), safe="/")
    return quote_from_bytes(os.fsencode(path.as_posix()), safe="/")


def _rules(results: Sequence[ValidationResult]) -> list[dict[str, object]]:
    articles: dict[str, str | None] = {}
    texts: dict[str, str] = {}
    for r in results:
        articles.update((rule, article) for rule, article in r.rules if rule not in articles)
        texts.update((rule, text) for rule, text in r.demands if rule not in texts)
        for f in r.findings:
            articles.setdefault(f.rule, f.article)
            texts.setdefault(f.rule, f.message)
    out: list[dict[str, object]] = []
    for rule, article in articles.items():
        text = plain(texts.get(rule) or rule)
        cited = plain(article) if article else "no article cited"
        out.append(
            {
                "id": plain(rule),
                "shortDescription": {"text": text},
                "fullDescription": {"text": f"{text} ({cited})"},
                "help": {"text": f"{cited}: {text}"},
                "defaultConfiguration": {"level": "error"},
                "properties": {"article": plain(article) if article else None},
            }
        )
    return out


def to_sarif(
    results: Sequence[ValidationResult],
    tool_version: str,
    unusable: Sequence[tuple[str, str]] = (),
) -> str:
    """One SARIF 2.1.0 log of every result; `tool_version` is datacontract's. Each file that
    could not be checked, (file, why), is an error notification, and the run then did not
    execute successfully."""
    rules = _rules(results)
    index = {str(rule["id"]): i for i, rule in enumerate(rules)}
    files = list(dict.fromkeys(r.file for r in results))
    sarif_results: list[dict[str, object]] = []
    notices: list[dict[str, object]] = []
    artifacts: dict[str, dict[str, object]] = {}
    for r in results:
        location: dict[str, object] = {
            "uri": artifact_uri(r.file),
            "index": files.index(r.file),
        }
        artifacts[r.file] = {"location": {"uri": location["uri"]}, "hashes": {"sha-256": r.sha256}}
        if r.header_only:
            notices.append(
                {
                    "level": "warning",
                    "message": {"text": HEADER_ONLY},
                    "locations": [{"physicalLocation": {"artifactLocation": location}}],
                }
            )
        for f in r.findings:
            logical = {"fullyQualifiedName": plain(f"{r.dataset}.{f.column}"), "kind": "member"}
            sarif_results.append(
                {
                    "ruleId": plain(f.rule),
                    "ruleIndex": index[plain(f.rule)],
                    "level": "error",
                    "message": {"text": plain(annotation_text(f))},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": location,
                                "region": {"startLine": 1},
                            },
                            **({"logicalLocations": [logical]} if f.column else {}),
                        }
                    ],
                    "properties": {
                        "contract": plain(r.contract),
                        "contract_version": plain(r.contract_version),
                        "dataset": plain(r.dataset),
                        "count": f.count,
                        "rows": list(f.rows),
                        "row_numbers": ROW_BASE,
                    },
                }
            )
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "datacontract",
                        "version": tool_version or "unknown",
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not unusable,
                        "toolExecutionNotifications": notices + _unusable(unusable),
                    }
                ],
                "artifacts": [artifacts[f] for f in files],
                "results": sarif_results,
                "properties": {
                    "contracts": sorted(
                        {f"{plain(r.contract)} {plain(r.contract_version)}" for r in results}
                    ),
                    "contract_sha256": sorted({r.contract_sha256 for r in results}),
                },
            }
        ],
    }
    return json_text(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def _unusable(unusable: Sequence[tuple[str, str]]) -> list[dict[str, object]]:
    return [
        {
            "level": "error",
            "message": {"text": plain(why)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(file)}}}],
        }
        for file, why in unusable
    ]
