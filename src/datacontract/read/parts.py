"""Every part a data file carries beside its table, by kind: the allow-list of issue 22.

Art. 3 of every protocol is an allow-list: these data and nothing else cross. A file passes
only when everything it carries is accounted for. Each reader (read/formats.py) therefore
hands over an inventory (`Carried`, one per part: a zip member, a node kind of an XML document,
a Parquet dictionary page or statistic, a sheet beside the table); check/validate.py turns it
into findings:

- a part whose kind is not in `PART_KINDS`, or that cannot be read, refuses the file (rule
  `<dataset>.file.parts`): no part goes unread;
- a part of a kind that is more than the table (`PartKind.beyond`: another sheet holding data,
  a pivot cache, an embedded file, macros, ...) refuses the file unless the dataset's
  `file.parts` declares that kind;
- the text of every part is searched by the dataset's forbidden-content detectors, as a cell.

Parts are named by kind and position (`zip member 7`), never by their name or content: a zip
member, like a column, may be named by a national number.

`zip_kind` classifies the members of an XLSX (ECMA-376 part 1, 12.3 and annex; the SpreadsheetML
parts) or ODS package (ODF 1.2 part 3) by their path; `binary_strings` reads what a binary part
(an image, an OLE object, vbaProject.bin, printer settings) holds as text, the way `strings(1)`
does, ASCII and UTF-16LE runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PartKind:
    """A kind of part a file may carry beside its table."""

    name: str
    """What contracts write in `file.parts` (lower case, `_` between words)."""
    title: str
    """How a report names a part of this kind (English, with its article)."""
    beyond: bool = False
    """More than the table: refused unless the dataset's `file.parts` declares the kind."""


PART_KINDS: dict[str, PartKind] = {
    k.name: k
    for k in (
        PartKind("package", "the package's structure (content types, relationships, manifest)"),
        PartKind("properties", "the document's properties"),
        PartKind("workbook", "the workbook's structure (sheet, table and defined names, settings)"),
        PartKind("styles", "the styles and themes"),
        PartKind("grid", "the cell grid's other text (headers, footers, validations, links)"),
        PartKind("formulas", "the text of formulas"),
        PartKind("shared_strings", "strings of the shared-string table no cell uses"),
        PartKind("comments", "comments and notes"),
        PartKind("drawing", "drawings and charts"),
        PartKind("custom_xml", "custom XML data"),
        PartKind("printer_settings", "printer settings"),
        # The picture of the first sheet as saved (LibreOffice always writes one, Excel when
        # asked): the table's own rendering, not more than it; its metadata is searched.
        PartKind("thumbnail", "the thumbnail picture"),
        PartKind("metadata", "metadata (key-value, field and schema metadata)"),
        PartKind("statistics", "column statistics (minimum and maximum)"),
        PartKind("dictionary", "dictionary values no row uses"),
        PartKind("markup", "markup outside the data (comments, processing instructions)"),
        PartKind("namespaces", "namespace declarations and prefixes"),
        PartKind("header", "the SOAP Header"),
        PartKind("envelope", "the SOAP envelope around the document"),
        PartKind("sheet", "another sheet holding data", beyond=True),
        PartKind("pivot_cache", "a pivot cache or pivot table", beyond=True),
        PartKind("embedding", "an embedded file or object", beyond=True),
        PartKind("image", "an image", beyond=True),
        PartKind("macros", "macros", beyond=True),
        PartKind("external_link", "a link or connection to outside data", beyond=True),
        PartKind("history", "a revision history", beyond=True),
        PartKind("trailing", "content after the document's root element", beyond=True),
    )
}
"""Part kind name -> its entry. A part of another kind (`UNKNOWN`) refuses the file."""

BEYOND: tuple[str, ...] = tuple(k.name for k in PART_KINDS.values() if k.beyond)
"""The kinds a contract may declare in `file.parts` (contract/model.FilePart lists the same)."""

UNKNOWN = "unknown"
"""The kind of a part no entry describes: always refused."""


@dataclass(frozen=True)
class Carried:
    """One part a file carries beside its table (see the module docstring)."""

    kind: str
    """A key of PART_KINDS, or UNKNOWN."""
    where: str
    """Where it is, by position and kind only (`zip member 7`, `worksheet 2`, `column 3`)."""
    texts: tuple[str, ...] = ()
    """Its text, searched by the dataset's detectors as cells are."""
    readable: bool = True
    """False when the part could not be read: the file is refused."""
    column: str | None = None
    """The table's column the part belongs to (a Parquet dictionary page or statistic): the
    forbidden-content rules that exempt that column exempt the part too."""


Inventory = Callable[[], Iterator[Carried]]
"""The parts of a file beside its table, read on demand (Opened.carried)."""


# -- zip packages (XLSX, ODS) -----------------------------------------------------------------

_PIVOT = "pivot_cache"
_XLSX: tuple[tuple[str, str], ...] = (
    (r"\[content_types\]\.xml|(.*/)?_rels/[^/]*\.rels", "package"),
    (r"docprops/(core|app|custom)\.xml", "properties"),
    (r"docprops/thumbnail\.[a-z]+", "thumbnail"),
    (r"xl/(workbook|calcchain|metadata|volatiledependencies)\.xml", "workbook"),
    (r"xl/(tables|richdata|webextensions|persons|namedsheetviews)/[^/]+\.xml", "workbook"),
    (r"xl/featurepropertybag/[^/]+\.xml", "workbook"),
    (r"xl/styles\.xml|xl/theme/[^/]+\.xml", "styles"),
    (r"xl/worksheets/[^/]+\.xml", "grid"),
    (r"xl/sharedstrings\.xml", "shared_strings"),
    (r"xl/comments\d*\.xml|xl/(comments|threadedcomments)/[^/]+\.xml", "comments"),
    (r"xl/(drawings|charts|diagrams|ctrlprops|chartsheets)/.+\.(xml|vml)", "drawing"),
    (r"xl/cellimages\.xml", "drawing"),
    (r"xl/media/[^/]+", "image"),
    (r"xl/(embeddings|activex|model)/.+", "embedding"),
    (r"xl/(vbaproject\.bin|vbadata\.xml|macrosheets/.+|dialogsheets/.+)", "macros"),
    (
        r"xl/(pivotcache|pivottables|slicers|slicercaches|timelines|timelinecaches)/.+",
        "pivot_cache",
    ),
    (r"xl/(externallinks/.+|connections\.xml|querytables/.+)", "external_link"),
    (r"customxml/[^/]+\.xml", "custom_xml"),
    (r"xl/printersettings/[^/]+\.bin", "printer_settings"),
    (r"xl/revisions/[^/]+\.xml", "history"),
)
_ODS: tuple[tuple[str, str], ...] = (
    (r"mimetype|meta-inf/manifest\.xml|manifest\.rdf|.*/", "package"),
    (r"meta\.xml", "properties"),
    (r"settings\.xml|configurations2/.*|layout-cache", "workbook"),
    (r"styles\.xml", "styles"),
    (r"content\.xml", "grid"),
    (r"thumbnails/[^/]+", "thumbnail"),
    (r"pictures/[^/]+", "image"),
    (r"objectreplacements/[^/]+", "drawing"),
    (r"basic/.+|scripts/.+", "macros"),
    (r"meta-inf/[^/]+\.xml", "package"),
)
_PATTERNS = {
    "xlsx": [(re.compile(p), k) for p, k in _XLSX],
    "ods": [(re.compile(p), k) for p, k in _ODS],
}
_ODS_OBJECT = re.compile(r"(object \d+)/.+")
ODS_CHART = "application/vnd.oasis.opendocument.chart"


def zip_kind(fmt: str, member: str, media_types: dict[str, str] | None = None) -> str:
    """The kind of one member of an XLSX or ODS package, by its path (UNKNOWN if none fits).

    An ODS embedded object (`Object 1/content.xml`) is a drawing when META-INF/manifest.xml
    (`media_types`: full path -> media type) calls its folder a chart, else an embedding.
    """
    name = member.lower()
    if fmt == "ods":
        found = _ODS_OBJECT.fullmatch(name)
        if found is not None:
            folder = member[: len(found.group(1))] + "/"
            chart = (media_types or {}).get(folder) == ODS_CHART
            return "drawing" if chart else "embedding"
    for pattern, kind in _PATTERNS[fmt]:
        if pattern.fullmatch(name):
            return kind
    return UNKNOWN


def is_xml(member: str) -> bool:
    """Whether a package member is read as XML (else as binary strings)."""
    return member.lower().endswith((".xml", ".rels", ".vml", ".rdf"))


_ASCII_RUN = re.compile(rb"[\x20-\x7e\t]{4,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00){4,}")


def binary_strings(data: bytes) -> tuple[str, ...]:
    """The text a binary part holds: runs of at least 4 printable ASCII characters, and the
    same in UTF-16LE (OLE streams, printer names), as `strings(1)` finds them."""
    out: dict[str, None] = {}
    for run in _ASCII_RUN.findall(data):
        out[run.decode("ascii")] = None
    for run in _UTF16_RUN.findall(data):
        out[run.decode("utf-16-le")] = None
    return tuple(out)
