"""Every member of an XLSX or ODS package, as the parts it carries beside its table.

The members are listed from the zip directory (already bounded by read/bounds.
check_package_zip) and each is classified by read/parts.zip_kind; none is skipped:

- an XML member is read whole, streamed: every text node, attribute value, comment,
  processing instruction and namespace declaration (`xml_text`); one that does not parse is
  unreadable, and refuses the file;
- an XLSX worksheet gives the text outside its cell grid (headers, footers, validations,
  links, ...), the text of its formulas (an INSZ inside `=YYMMDDSSSCC*0` whose cached value is
  0), and the shared strings its cells use: the shared-string table's other strings (left
  there by a cell overwritten, as Apache POI writes them) are searched as a part of their own;
  the cells themselves are the table and the other sheets, read by the reader;
- ODS content.xml gives its text outside the cells' values (read/ods_content.other_text,
  formulas included);
- a binary member (an image, an OLE object, vbaProject.bin) gives its printable strings.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any

from lxml import etree

from datacontract.read.parts import UNKNOWN, Carried, binary_strings, is_xml, zip_kind

# lxml's stubs type the events of iterparse narrowly; the items it yields vary by event.
_iterparse: Any = etree.iterparse
_OPTIONS: dict[str, Any] = {"resolve_entities": False, "no_network": True, "huge_tree": False}
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError)
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

OdsContent = Callable[[str, IO[bytes]], list[str]]
"""read/ods_content.other_text: the text of content.xml outside the cells' values."""


def where(position: int) -> str:
    """A member named by its position only: its path may be anything, a national number too."""
    return f"zip member {position}"


def xml_text(stream: IO[bytes]) -> tuple[str, ...]:
    """Every text of an XML stream: text nodes and tails, attribute values, comments,
    processing instructions, namespace prefixes and URIs. etree.XMLSyntaxError if not XML."""
    out: dict[str, None] = {}

    def keep(*texts: str | None) -> None:
        for text in texts:
            if text and text.strip():
                out[text] = None

    events = ("end", "comment", "pi", "start-ns")
    for event, item in _iterparse(stream, events=events, **_OPTIONS):
        if event == "start-ns":
            keep(*item)
            continue
        if event == "pi":
            keep(item.target, item.text, item.tail)
            continue
        if event == "comment":
            keep(item.text, item.tail)
            continue
        keep(item.text, *item.attrib.values(), *(c.tail for c in item))
        item.clear(keep_tail=True)
    return tuple(out)


def xlsx_parts(source: str | io.BytesIO) -> Iterator[Carried]:
    """The parts of an XLSX package (see the module docstring), in member order, the
    shared-string table's unused strings last."""
    with zipfile.ZipFile(source) as archive:
        members = list(enumerate(archive.infolist(), start=1))
        used: set[int] = set()
        strings: list[int] = []
        for position, info in members:
            kind = zip_kind("xlsx", info.filename)
            if kind == "grid":
                yield from _worksheet(archive, info, position, used)
            elif kind == "shared_strings":
                strings.append(position)
            else:
                yield _member(archive, info, position, kind)
        for position in strings:
            yield _shared_strings(archive, members[position - 1][1], position, used)


def ods_parts(path: str, content_text: OdsContent) -> Iterator[Carried]:
    """The parts of an ODS package, in member order."""
    with zipfile.ZipFile(path) as archive:
        media = _ods_media_types(archive)
        for position, info in enumerate(archive.infolist(), start=1):
            kind = zip_kind("ods", info.filename, media)
            if kind != "grid":
                yield _member(archive, info, position, kind)
                continue
            try:
                with archive.open(info) as stream:
                    texts = tuple(content_text(path, stream))
            except (*_ZIP_ERRORS, etree.XMLSyntaxError):
                yield Carried(kind, where(position), readable=False)
                continue
            yield Carried(kind, where(position), texts)


_OLE_PACKAGE = {
    "EncryptedPackage",
    "EncryptionInfo",
    "\x06DataSpaces/DataSpaceMap",
    "\x06DataSpaces/Version",
    "\x06DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace",
    "\x06DataSpaces/TransformInfo/StrongEncryptionTransform/\x06Primary",
}
_OLE_PROPERTIES = {"\x05SummaryInformation", "\x05DocumentSummaryInformation"}


def ole_parts(data: bytes) -> Iterator[Carried]:
    """The streams of an encrypted workbook's OLE container (ECMA-376 agile or standard
    encryption, MS-OFFCRYPTO 2.3.4) beside the encrypted package itself: its property sets
    (searched as strings), and any other stream, of a kind no entry describes (refused)."""
    # msoffcrypto's own dependency: present whenever a workbook is decrypted
    import olefile  # type: ignore[import-untyped]

    with olefile.OleFileIO(data) as ole:
        for position, path in enumerate(ole.listdir(streams=True, storages=False), start=1):
            name = "/".join(path)
            place = f"stream {position} of the encrypted container"
            if name in _OLE_PACKAGE:
                continue
            texts = binary_strings(ole.openstream(path).read())
            kind = "properties" if name in _OLE_PROPERTIES else UNKNOWN
            yield Carried(kind, place, texts)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, position: int, kind: str) -> Carried:
    if info.is_dir():
        return Carried(kind, where(position))
    try:
        with archive.open(info) as stream:
            if is_xml(info.filename) and kind != UNKNOWN:
                texts = xml_text(stream)
            else:
                texts = binary_strings(stream.read())
    except (*_ZIP_ERRORS, etree.XMLSyntaxError):
        return Carried(kind, where(position), readable=False)
    return Carried(kind, where(position), texts)


def _worksheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, position: int, used: set[int]
) -> Iterator[Carried]:
    """The formulas and the text outside the grid of one worksheet; the shared strings its
    cells use are added to `used`.

    Only cells, formulas and rows reach Python as they are parsed (lxml filters the tags in
    C), each row dropped once read; what is left of the tree is everything outside the grid
    (headers, footers, validations, links, comments, processing instructions), read after."""
    formulas: dict[str, None] = {}
    other: dict[str, None] = {}
    try:
        with archive.open(info) as stream:
            tags = ("{*}c", "{*}f", "{*}row")
            context = _iterparse(stream, events=("end",), tag=tags, **_OPTIONS)
            for _, item in context:
                _grid_end(item, str(item.tag).rsplit("}", 1)[-1], formulas, used, other)
            root = context.root
    except (*_ZIP_ERRORS, etree.XMLSyntaxError):
        yield Carried("grid", where(position), readable=False)
        return
    for element in _outside_grid(root):
        target = getattr(element, "target", None) if not isinstance(element.tag, str) else None
        texts = (target, element.text, element.tail, *element.attrib.values())
        other.update(dict.fromkeys(t for t in texts if t and t.strip()))
    for prefix, uri in (root.nsmap or {}).items():
        other.update(dict.fromkeys(t for t in (prefix, uri) if t))
    yield Carried("grid", where(position), tuple(other))
    if formulas:
        yield Carried("formulas", where(position), tuple(formulas))


def _outside_grid(root: Any) -> Iterator[Any]:
    """Every node of a worksheet's tree but sheetData's descendants (the cells, read as the
    table), comments and processing instructions included, the nodes beside the root too."""
    before = root.getprevious()
    while before is not None:
        yield before
        before = before.getprevious()
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node.tag, str) and str(node.tag).endswith("}sheetData"):
            continue
        stack.extend(reversed(list(node)))
    after = root.getnext()
    while after is not None:
        yield after
        after = after.getnext()


def _grid_end(
    item: Any, local: str, formulas: dict[str, None], used: set[int], marks: dict[str, None]
) -> None:
    """One element of sheetData read: a formula's text kept, a shared string's index noted;
    a row dropped (and what came before it), its comments and processing instructions kept
    in `marks` first."""
    if local == "f":
        if item.text and item.text.strip():
            formulas[item.text] = None
    elif local == "c":
        if item.get("t") == "s":
            value = next((v.text for v in item if str(v.tag).endswith("}v")), None)
            if value is not None and value.strip().isdigit():
                used.add(int(value))
    elif local == "row":
        parent = item.getparent()
        dropped = [item, *item.itersiblings(preceding=True)]
        for node in dropped:
            for mark in node.iter(etree.Comment, etree.ProcessingInstruction):
                texts = (getattr(mark, "target", None), mark.text)
                marks.update(dict.fromkeys(t for t in texts if t and t.strip()))
        item.clear(keep_tail=True)
        while parent is not None and item.getprevious() is not None:
            del parent[0]


def _shared_strings(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, position: int, used: set[int]
) -> Carried:
    """The strings of the shared-string table that no cell of any worksheet uses."""
    unused: dict[str, None] = {}
    index = 0
    try:
        with archive.open(info) as stream:
            for _, item in etree.iterparse(stream, events=("end",), **_OPTIONS):
                if not str(item.tag).endswith("}si"):
                    continue
                if index not in used:
                    text = "".join(item.itertext())
                    if text.strip():
                        unused[text] = None
                index += 1
                item.clear()
    except (*_ZIP_ERRORS, etree.XMLSyntaxError):
        return Carried("shared_strings", where(position), readable=False)
    return Carried("shared_strings", where(position), tuple(unused))


def _ods_media_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """META-INF/manifest.xml's full paths -> media types (empty if absent or unreadable: the
    objects are then embeddings)."""
    out: dict[str, str] = {}
    try:
        with archive.open("META-INF/manifest.xml") as stream:
            for _, item in etree.iterparse(stream, events=("end",), **_OPTIONS):
                path = item.get(f"{{{_MANIFEST_NS}}}full-path")
                kind = item.get(f"{{{_MANIFEST_NS}}}media-type")
                if path is not None and kind is not None:
                    out[path] = kind
    except (KeyError, *_ZIP_ERRORS, etree.XMLSyntaxError):
        return {}
    return out
