"""The element and attribute names the MAGDA XSDs shipped with the tool define: the standard's
own names, which a report may show (contract/names.py, rule 1; check/magda.py). Read once from
the XSD files beside read/magda_xml.py."""

from __future__ import annotations

import functools
import re
from importlib import resources

_XSD_NAME = re.compile(r'<(?:xs|xsd):(?:element|attribute)\b[^>]*?\bname="([A-Za-z_][\w.-]*)"')


@functools.cache
def xsd_names() -> frozenset[str]:
    """Every `name` of an xs:element or xs:attribute in the shipped XSDs (a few hundred)."""
    folder = resources.files("datacontract.read") / "magda" / "xsd"
    names: set[str] = set()
    for service in folder.iterdir():
        if not service.is_dir():
            continue
        for xsd in service.iterdir():
            if xsd.name.endswith(".xsd"):
                names.update(_XSD_NAME.findall(xsd.read_text(encoding="utf-8")))
    return frozenset(names)
