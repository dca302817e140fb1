"""MAGDA XML documents (SOAP envelope or bare) as Arrow record batches, and their XSD check.

A MAGDA document is one service element (`GeefHistoriekInschrijving`, its answer
`GeefHistoriekInschrijvingResponse`), bare or in the Body of a SOAP 1.1 or 1.2 envelope. It
flattens to a table the way a nested JSON document does: a row per repeated record element of
the service (`SERVICES[...].row`: an enrolment `Inschrijving` of the answer, a `Vraag` of the
request), every element outside it repeated on each row, and a document without any record
one row. Columns are element paths below the service element, local names joined by `/`
(`Repliek/Antwoorden/Antwoord/Inhoud/Inschrijvingen/Inschrijving/Bron`), an attribute as
`.../Adres/@DatumModificatie`; every value is a string (null for an empty element). An element
that repeats inside one row (`Studiebewijs`) gives its values joined by a line break, so that
no value goes unread. An element without children or text gives no column.

Bounds. The file is parsed with lxml `iterparse`, streamed, each element cleared once read;
no DTD is accepted (a DOCTYPE is refused before the first element is read), entities are never
expanded, nothing is fetched from the network, documents are at most `MAX_BYTES` and elements
nest at most `MAX_DEPTH` deep. Broken or hostile XML is an `InputFileError` naming the line,
never quoting the text.

`schema_problems` checks the document against the service's XML Schema (02.01, shipped in
`read/magda/xsd/`, licence EUPL-1.2, see its NOTICE) in a second streamed pass; a problem
names the element path and line, never the value (libxml2's messages quote values, so none is
passed on).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
from lxml import etree

from datacontract.errors import InputFileError
from datacontract.personal.redact import looks_personal
from datacontract.read.text import Reader

MAX_BYTES = 64 * 1024 * 1024
"""The largest MAGDA document read (bytes); an answer of one student is kilobytes."""
MAX_DEPTH = 64
"""The deepest nesting of elements accepted; the service's own definition goes 12 deep."""

SOAP_NAMESPACES = (
    "http://schemas.xmlsoap.org/soap/envelope/",
    "http://www.w3.org/2003/05/soap-envelope",
)
XSD_DIR = Path(__file__).parent / "magda" / "xsd"
_HIK = "http://webservice.geefhistoriekinschrijvingdienst-02_01.onderwijs.vlaanderen.be"
_HIK_DIR = "Onderwijs.GeefHistoriekInschrijvingDienst-02.01/WebService"


@dataclass(frozen=True)
class Service:
    """One document of a MAGDA service: its element, version, schema and record element."""

    namespace: str
    element: str
    name: str
    """`Context/Naam` of the document (the service's name)."""
    version: str
    """The major.minor version of the definition (`02.01`); `Context/Versie` starts with it."""
    xsd: str
    """The schema file, relative to `XSD_DIR`."""
    row: str
    """The path of the repeated element that is one row."""


SERVICES: dict[tuple[str, str], Service] = {
    (_HIK, "GeefHistoriekInschrijving"): Service(
        _HIK,
        "GeefHistoriekInschrijving",
        "GeefHistoriekInschrijving",
        "02.01",
        f"{_HIK_DIR}/GeefHistoriekInschrijving.xsd",
        "Verzoek/Vragen/Vraag",
    ),
    (_HIK, "GeefHistoriekInschrijvingResponse"): Service(
        _HIK,
        "GeefHistoriekInschrijvingResponse",
        "GeefHistoriekInschrijving",
        "02.01",
        f"{_HIK_DIR}/GeefHistoriekInschrijvingResponse.xsd",
        "Repliek/Antwoorden/Antwoord/Inhoud/Inschrijvingen/Inschrijving",
    ),
}
"""(namespace, local name of the service element) -> the document it is."""


@dataclass(frozen=True)
class Document:
    """What a MAGDA document says it is: its service element and its context."""

    namespace: str
    element: str
    soap: str | None
    """The namespace of the SOAP envelope around it, None for a bare document."""
    name: str | None
    """`Context/Naam`, or None when absent."""
    version: str | None
    """`Context/Versie`, or None when absent."""

    @property
    def service(self) -> Service | None:
        return SERVICES.get((self.namespace, self.element))

    def describe(self) -> str:
        """E.g. `GeefHistoriekInschrijvingResponse {ns} (Naam X, Versie 02.01.0000)`: names
        and versions are the sender's own words, but a version string is no personal data."""
        name = _safe(self.name) if self.name else "no Context/Naam"
        version = self.version.strip()[:40] if self.version else "no Context/Versie"
        version = version if _VERSION.fullmatch(version) else _safe(version)
        return f"{_safe(self.element)} {{{_safe(self.namespace)}}} ({name}, {version})"


@dataclass(frozen=True)
class SchemaProblem:
    """The first place where a document leaves its service's definition."""

    path: str
    """Element path below the service element, as the columns name it ('' for the root)."""
    line: int
    reason: str
    """A short reason of our own words (`element not defined here`, `value not allowed`)."""


_VERSION = re.compile(r"[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?")


def _safe(text: str) -> str:
    text = text.strip()[:120]
    return "(withheld)" if looks_personal(text) else text


def _parse(path: str, *, schema: etree.XMLSchema | None = None) -> Iterator[tuple[str, Any]]:
    """iterparse with every door shut: no DTD, no entities, no network, bounded depth."""
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise InputFileError(path, f"is {size:,} bytes; a MAGDA document is at most {MAX_BYTES:,}")
    depth = 0
    events = etree.iterparse(
        path,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        schema=schema,
    )
    first = True
    try:
        for event, element in events:
            if first:
                first = False
                if element.getroottree().docinfo.doctype:
                    raise InputFileError(path, "has a DOCTYPE; MAGDA documents have no DTD")
            if event == "start":
                depth += 1
                if depth > MAX_DEPTH:
                    line = element.sourceline
                    raise InputFileError(
                        path, f"elements nest deeper than {MAX_DEPTH} at line {line}", line
                    )
            else:
                depth -= 1
            yield event, element
    except etree.XMLSyntaxError as exc:
        if schema is not None and _is_schema_error(exc):
            raise
        line = exc.lineno or None
        where = f" at line {line}" if line else ""
        raise InputFileError(path, f"not well-formed XML{where}", line) from None


def _is_schema_error(exc: etree.XMLSyntaxError) -> bool:
    entry = exc.error_log.last_error
    return entry is not None and entry.domain == etree.ErrorDomains.SCHEMASV


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def identify(path: str | os.PathLike[str]) -> Document:
    """Which document this is, read up to its `Context/Versie` (an InputFileError if it is
    broken XML, or has no service element)."""
    name = os.fspath(path)
    stack: list[str] = []
    found: dict[str, str | None] = {}
    soap: str | None = None
    service: tuple[str, str] | None = None
    base = 0
    for event, element in _parse(name):
        if event == "start":
            stack.append(_local(element))
            q = etree.QName(element)
            if len(stack) == 1 and q.namespace in SOAP_NAMESPACES and q.localname == "Envelope":
                soap = q.namespace
            elif service is None and (not soap or stack[-2:-1] == ["Body"]):
                service, base = (q.namespace or "", str(q.localname)), len(stack)
            continue
        rel = stack[base + 1 :] if service else []
        if rel in (["Context", "Naam"], ["Context", "Versie"]):
            found[rel[1]] = (element.text or "").strip()
        stack.pop()
        element.clear()
        if len(found) == 2 or (service and len(stack) < base):
            break
    if service is None:
        raise InputFileError(name, "holds no MAGDA document (no service element)")
    return Document(service[0], service[1], soap, found.get("Naam"), found.get("Versie"))


def open_magda_xml(path: str) -> tuple[tuple[str, ...], int | None, Reader, bool]:
    """Columns (element paths), the row count and a reader of one MAGDA XML document, and
    whether it is in a SOAP envelope (for read/magda_parts.py)."""
    document = identify(path)
    row_path = document.service.row if document.service else None
    columns, rows = _flatten(path, row_path, document.soap is not None)
    arrays = [pa.array([r.get(c) for r in rows], pa.string()) for c in columns]
    table = pa.Table.from_arrays(arrays, names=list(columns))
    return columns, table.num_rows, lambda: iter(table.to_batches()), document.soap is not None


def _flatten(
    path: str, row_path: str | None, soap: bool
) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    row_parts = row_path.split("/") if row_path else None
    stack: list[str] = []
    base: int | None = None
    outer: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    seen: dict[str, None] = {}
    children: list[int] = []
    for event, element in _parse(path):
        if event == "start":
            stack.append(_local(element))
            children.append(0)
            if len(children) > 1:
                children[-2] += 1
            if base is None and (stack[-2:-1] == ["Body"] if soap else True):
                base = len(stack)  # the service element: SOAP's Header is not the document
            if base is not None:
                rel = stack[base:]
                if rel == row_parts:
                    current = {}
                for key, value in element.attrib.items():
                    _put(current, outer, seen, "/".join([*rel, "@" + _local_name(key)]), value)
            continue
        rel = stack[base:] if base is not None else []
        if rel and children[-1] == 0 and element.text is not None and element.text.strip():
            _put(current, outer, seen, "/".join(rel), element.text.strip())
        elif rel and children[-1] == 0 and element.text is not None:
            _put(current, outer, seen, "/".join(rel), "")
        if rel == row_parts and current is not None:
            rows.append(current)
            current = None
        stack.pop()
        children.pop()
        element.clear(keep_tail=False)
    if not rows:
        rows.append({})
    for row in rows:
        for key, value in outer.items():
            row.setdefault(key, value)
        for key in [k for k, v in row.items() if v == ""]:
            del row[key]  # an empty element: a column whose value is null
    return tuple(seen), rows


def _local_name(key: str) -> str:
    return key.rsplit("}", 1)[-1]


def _put(
    current: dict[str, str] | None,
    outer: dict[str, str],
    seen: dict[str, None],
    key: str,
    value: str,
) -> None:
    target = outer if current is None else current
    seen.setdefault(key, None)
    if key in target and target[key] and value:
        target[key] = f"{target[key]}\n{value}"
    elif value or key not in target:
        target[key] = value


def schema_problems(path: str | os.PathLike[str], service: Service) -> list[SchemaProblem]:
    """Where the document leaves the service's XSD, by element path and line (every problem
    libxml2 reports); an empty list when it conforms. The document is parsed with the same
    shut doors as the reader (at most `MAX_BYTES`, so the tree stays bounded)."""
    name = os.fspath(path)
    document = identify(name)
    for _ in _parse(name):  # the bounds (DTD, depth, size) before a tree is built
        pass
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    root = etree.parse(name, parser).getroot()
    schema = _schema(service.xsd, document.soap)
    if schema.validate(root):
        return []
    out = []
    for entry in schema.error_log:
        steps = [_local_name(step.split("[", 1)[0]) for step in (entry.path or "").split("/")]
        steps = [s for s in steps if s]
        below = steps[3:] if document.soap else steps[1:]
        message = entry.message or ""
        out.append(SchemaProblem(_problem_path(below, message), int(entry.line), _reason(message)))
    return out


def _problem_path(stack: list[str], message: str) -> str:
    # libxml2 names the offending element first ("Element 'Foo': ..."); the stack is where the
    # parser stood, which is that element's parent or the element itself.
    if message.startswith("Element '"):
        tag = message[len("Element '") :].split("'", 1)[0]
        local = _local_name(tag)
        if stack and stack[-1] == local:
            return "/".join(stack)
        return "/".join([*stack, local]) if stack else local
    return "/".join(stack)


def _reason(message: str) -> str:
    if "This element is not expected" in message:
        return "element not defined here by the service"
    if "Missing child element" in message:
        return "a required element is missing"
    if "is not a valid value" in message or "facet" in message:
        return "value not allowed by the service's definition"
    if "attribute" in message.lower():
        return "attribute not defined by the service"
    if "No matching global declaration" in message:
        return "not an element the service defines"
    return "does not conform to the service's definition"


@cache
def _schema(xsd: str, soap: str | None) -> etree.XMLSchema:
    """The service's schema; within a SOAP envelope (`soap` is its namespace), a schema of the
    envelope whose Body must hold one element of the service, validated strictly. Only the
    shipped files are read: no network, no DTD."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    location = XSD_DIR / xsd
    if soap is None:
        return etree.XMLSchema(etree.parse(str(location), parser))
    service_ns = etree.parse(str(location), parser).getroot().get("targetNamespace")
    wrapper = _SOAP_ENVELOPE.format(soap=soap, ns=service_ns, location=location.as_uri())
    return etree.XMLSchema(etree.XML(wrapper.encode(), parser))


_SOAP_ENVELOPE = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="{soap}" elementFormDefault="qualified">
  <xs:import namespace="{ns}" schemaLocation="{location}"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element name="Header" minOccurs="0"><xs:complexType><xs:sequence>
      <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="Body"><xs:complexType><xs:sequence>
      <xs:any namespace="{ns}" processContents="strict"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"""
