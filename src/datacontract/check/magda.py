"""MAGDA XML documents: the right service and version, and conformance to its XML Schema.

A dataset with `magda: {element, version}` is one MAGDA document per file (read by
read/magda_xml.py). Before the rows reach the column checks:

- `<dataset>.document.service`: the file is another document (another service element, an
  unknown service, another version of the definition, or not XML of a MAGDA service at all
  when it should be), named by what it says it is; its rows are still checked.
- `<dataset>.document.schema`: the document leaves the service's XSD (an element the service
  does not define, a required one missing, a value its type does not allow), named by its
  element path and line; never by its value.

An element the contract does not list is also a column `columns.allowed` refuses, by path.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from datacontract.check.results import Finding
from datacontract.contract import model
from datacontract.contract.names import looks_personal
from datacontract.read.magda_names import xsd_names
from datacontract.read.magda_xml import SERVICES, identify, schema_problems


def _major(version: str | None) -> str | None:
    return version.split(".")[0] if version else None


def magda_findings(dataset: model.Dataset, path: str | os.PathLike[str]) -> list[Finding]:
    """The document findings of a MAGDA dataset's file (empty when it is the right one)."""
    expected = dataset.magda
    if expected is None:
        return []
    rid = f"{dataset.id}.document"
    wanted = f"{expected.element} {expected.version}"
    if Path(path).suffix.lower() != ".xml":
        message = f"expected the MAGDA XML document {wanted}, not a {Path(path).suffix} file"
        return [Finding(f"{rid}.service", None, 1, expected.article, message)]
    document = identify(path)
    service = document.service
    right = (
        service is not None
        and service.element == expected.element
        and service.version == expected.version
        # The namespace fixes the definition (and the XSD that checks it); the context's
        # Versie must be of the same major version: the service's own mock answers include
        # one of 02.01 whose context still says 02.00.0000.
        and _major(document.version) == _major(expected.version)
        and document.name == service.name
    )
    if service is None or not right:
        message = f"the document is {document.describe()}; expected {wanted}"
        if service is None:
            known = ", ".join(sorted({s.element for s in SERVICES.values()}))
            message += f" (known MAGDA documents: {known})"
        return [Finding(f"{rid}.service", None, 1, expected.article, message)]
    findings = []
    declared = _declared_paths(dataset)
    for problem in schema_problems(path, service):
        where = _element(problem.path, declared) if problem.path else "the service element"
        findings.append(
            Finding(
                f"{rid}.schema",
                where,
                1,
                expected.article,
                f"line {problem.line}, {where}: {problem.reason} (XSD {expected.version})",
            )
        )
    return findings


def _declared_paths(dataset: model.Dataset) -> frozenset[str]:
    """The element names a finding may show: every segment of the dataset's element paths,
    and every element or attribute name the MAGDA XSDs shipped with the tool define (the
    contract names the service, and so its schema; these are the standard's names)."""
    out: set[str] = set(_xsd_names())
    for column in dataset.columns:
        out.update(column.name.split("/"))
    return frozenset(out)


def standard_path(path: str) -> bool:
    """Whether every element of an element path (`Repliek/Context/Naam`, `Adres/@Datum`) is
    one the MAGDA XSDs define: the standard's names, safe to show."""
    names = _xsd_names()
    return all(part.lstrip("@") in names for part in path.split("/"))


@functools.cache
def _xsd_names() -> frozenset[str]:
    return frozenset(n for n in xsd_names() if not looks_personal(n))


def _element(path: str, known: frozenset[str]) -> str:
    """An element path as a finding may show it: up to the first element whose name neither
    the contract nor the service's XSD declares, then `(an element not in the contract)`
    (contract/names.py, rule 1: an element's name in a document is data too)."""
    parts = path.split("/")
    shown = 0
    while shown < len(parts) and parts[shown].lstrip("@") in known:
        shown += 1
    head = "/".join(parts[:shown])
    if shown == len(parts):
        return head
    if not head:
        return "an element (not in the contract)"
    return f"{head}/(an element not in the contract)"
