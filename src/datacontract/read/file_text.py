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
