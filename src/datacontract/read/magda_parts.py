"""What a MAGDA XML document carries beside the rows its reader flattens (read/magda_xml.py):
every node kind but the service element's own elements, attributes and text, as parts of the
inventory (read/parts.py), searched like cells:

- comments and processing instructions anywhere (`markup`), and those after the root
  element (`trailing`: nothing may follow the document, refused unless declared);
- namespace declarations, their prefixes and URIs (`namespaces`);
- the SOAP Header, its elements, attributes and text (`header`);
- the SOAP envelope's own attributes and anything in it beside the service element
  (`envelope`).

CDATA sections are text of their element, read by the flattening. The document is parsed
with the reader's shut doors (no DTD, no entities, no network, bounded depth and size).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from datacontract.errors import InputFileError
from datacontract.read.parts import Carried

# lxml's stubs type the events of iterparse narrowly; the items it yields vary by event.
_iterparse: Any = etree.iterparse
_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
}


def magda_parts(path: str, soap: bool) -> Iterator[Carried]:
    """The parts of one MAGDA document beside its service element (see the module docstring).
    `soap`: the document is in a SOAP envelope (its service element is in the Body)."""
    found: dict[str, dict[str, None]] = {
        k: {} for k in ("markup", "trailing", "namespaces", "header", "envelope")
    }
    stack: list[str] = []
    service_depth = 0  # the depth of the service element once it has started
    service_done = False
    ended = False  # the root element has ended

    def keep(kind: str, *texts: str | None) -> None:
        found[kind].update(dict.fromkeys(t for t in texts if t and t.strip()))

    def outside() -> str | None:
        """Where the element on top of the stack is, when it is not in the service element."""
        if service_depth and not service_done and len(stack) >= service_depth:
            return None
        return "header" if stack[1:2] == ["Header"] else "envelope"

    events = ("start", "end", "comment", "pi", "start-ns")
    try:
        for event, item in _iterparse(path, events=events, **_OPTIONS):
            if event == "start-ns":
                keep("namespaces", *item)
            elif event in ("comment", "pi"):
                keep("trailing" if ended else "markup", getattr(item, "target", None), item.text)
            elif event == "start":
                stack.append(str(etree.QName(item).localname))
                if not service_depth and (not soap or stack[-2:-1] == ["Body"]):
                    service_depth = len(stack)
                place = outside()
                if place is not None:
                    keep(place, *item.attrib.values())
            else:
                place = outside()
                if place is not None:
                    keep(place, item.text, *(c.tail for c in item))
                elif len(stack) == service_depth:
                    service_done = True
                stack.pop()
                ended = not stack
                if stack:
                    item.clear(keep_tail=True)
    except etree.XMLSyntaxError:
        raise InputFileError(path, "not well-formed XML") from None
    for kind, texts in found.items():
        if texts:
            yield Carried(kind, "in the document", tuple(texts))
