"""The text a file carries outside its table, searched like any cell (check/validate.py).

A national number in a worksheet's name, a cell comment, the document's title or author, a
page header, a defined name, a data-validation list, a hyperlink or a chart title, or in a
Parquet file's key-value metadata, crosses the boundary as surely as one in a cell. These
readers gather all of it as strings; the checks run the dataset's forbidden-content detectors
over them and name only where (never the text).

Workbook (an XLSX package, already bounded by read/bounds.check_workbook_zip): the text nodes
of every XML part but the cell grid and its shared strings (those are the table and the other
worksheets, read cell by cell), the names and texts that live in attributes (sheet, defined
and table names, hyperlinks, data-validation prompts), external relationship targets
(`mailto:` links), and from each worksheet its headers, footers, data validations and
hyperlinks. Parquet: every key and value of the file's and each field's metadata, but the
serialised Arrow schema (base64 of what the column names already are).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq
from lxml import etree

from datacontract.errors import InputFileError
from datacontract.read.text import Parts

# Attributes that hold text a person wrote (everything else is ids, styles, references).
_TEXT_ATTRIBUTES = {
    "name",
    "displayName",
    "display",
    "location",
    "tooltip",
    "prompt",
    "promptTitle",
    "error",
    "errorTitle",
    "comment",
    "description",
    "title",
}
_SHEET_TAGS = {"headerFooter", "dataValidations", "hyperlinks"}
_ARROW_SCHEMA = b"ARROW:schema"
LABEL_WORKBOOK = "the workbook's other text (names, properties, comments, headers, links)"
LABEL_PARQUET = "the Parquet file's metadata"


def workbook_text(path: str, source: str | io.BytesIO) -> list[str]:
    """Every string of the package outside the cell grid (see the module docstring).
    InputFileError naming the file when a part of the package cannot be read."""
    try:
        return _workbook_text(source)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise InputFileError(path, "damaged workbook: a part of it cannot be read") from None


def _workbook_text(source: str | io.BytesIO) -> list[str]:
    out: list[str] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            name = info.filename
            if not name.endswith((".xml", ".rels", ".vml")) or name.endswith("sharedStrings.xml"):
                continue
            with archive.open(info) as part:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    out.extend(_sheet_text(part))
                    continue
                try:
                    root = etree.parse(part, parser).getroot()
                except etree.XMLSyntaxError:
                    continue  # the workbook reader reports a damaged package
                out.extend(_all_text(root, rels=name.endswith(".rels")))
    return [t for t in out if t and t.strip()]


def _all_text(root: etree._Element, *, rels: bool) -> Iterator[str]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text:
            yield element.text
        for key, value in element.attrib.items():
            local = etree.QName(key).localname
            if local in _TEXT_ATTRIBUTES or (
                rels and local == "Target" and element.get("TargetMode") == "External"
            ):
                yield value


def _sheet_text(part: IO[bytes]) -> Iterator[str]:
    """Headers and footers, data validations and hyperlinks of one worksheet, streamed: the
    cells (most of the part) are skipped as they are parsed."""
    tags = tuple(f"{{*}}{t}" for t in _SHEET_TAGS)
    try:
        for _, element in etree.iterparse(part, events=("end",), tag=tags, huge_tree=False):
            yield from _all_text(element, rels=False)
            element.clear()
    except etree.XMLSyntaxError:
        return


def parquet_text(path: str) -> list[str]:
    """The keys and values of a Parquet file's metadata and of each field's."""
    out: list[str] = []
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError):
        return out  # the table reader reports a damaged file
    for metadata in [schema.metadata, *(f.metadata for f in schema)]:
        for key, value in (metadata or {}).items():
            if key == _ARROW_SCHEMA:
                continue
            out += [key.decode("utf-8", "replace"), value.decode("utf-8", "replace")]
    return [t for t in out if t.strip()]


def as_parts(label: str, texts: list[str], previous: Parts | None = None) -> Parts | None:
    """`texts` as one more part for the checks (after `previous`, if any)."""
    if not texts and previous is None:
        return None

    def parts() -> Iterator[tuple[str, pa.RecordBatch]]:
        if previous is not None:
            yield from previous()
        if texts:
            yield label, pa.record_batch([pa.array(texts, pa.string())], names=["text"])

    return parts
