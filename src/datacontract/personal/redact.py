"""The one place that decides what may be shown.

Allow-list, not block-list: a value from a checked file is printable only when the contract
declares it (an enum or class label of a column marked `show_values`). Everything else is
counted, never echoed. Column names come from the file's header and are shown as they are,
unless they themselves look like personal data (someone pasted a number into the header).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from datacontract.contract.model import Column

# Digits in a row, an @, or a phone-like run: a header like that is not shown.
_PERSONAL_LOOKING = re.compile(r"[0-9]{6,}|@|\+?[0-9][0-9 ./-]{7,}[0-9]")


def printable_value(column: Column | None, value: object) -> str | None:
    """The value as text if the contract allows showing it, else None."""
    if column is None or not column.show_values or column.values is None:
        return None
    for declared in column.values:
        if type(declared) is type(value) and declared == value:
            return str(declared)
        if isinstance(value, str) and str(declared) == value:
            return value
    return None


def column_label(name: str, position: int) -> str:
    """How a column found in a file is named in a report: by its name, or, when the name
    looks like personal data (a detector fires on it: someone's number, e-mail or phone in
    the header), as `column 7 (name withheld)`, 1-based."""
    return name_label(name, position, "column")


def withheld(position: int, what: str = "column") -> str:
    """How a name that may be personal data is shown instead: `column 7 (name withheld)`,
    counted from 1 (`position` from 0)."""
    return f"{what} {position + 1} (name withheld)"


def name_label(name: str, position: int, what: str) -> str:
    """How a name taken from a file (a header, a worksheet, a JSON key) is shown: quoted as it
    is, or `<what> N (name withheld)` when it looks like personal data (see column_label)."""
    if looks_personal(name):
        return withheld(position, what)
    return name if what == "column" else repr(name)


def looks_personal(name: str) -> bool:
    """Whether a name from a file may be someone's data: long, digit runs, an @, or a fired
    INSZ, e-mail or phone detector. An element path of an XML document (`Repliek/Context/Naam`)
    is judged segment by segment: a long path of element names is not personal data."""
    return bool(personal_names([name])[0])


def personal_names(names: Sequence[str]) -> npt.NDArray[np.bool_]:
    """looks_personal for many names at once: the detectors run once over all of them (a
    header of 20,000 columns costs one pass, not 20,000). A path (`a/b/c`, up to 1,000
    characters) is judged by its segments."""
    from datacontract.personal import detect  # detect loads pyarrow; redact stays light to import

    owners: list[int] = []
    parts: list[str] = []
    for i, name in enumerate(names):
        pieces = name.split("/") if "/" in name and len(name) <= 1000 else [name]
        owners.extend([i] * len(pieces))
        parts.extend(pieces)
    hit = np.array([len(p) > 80 or bool(_PERSONAL_LOOKING.search(p)) for p in parts], dtype=bool)
    cells = pa.array(parts, pa.string())
    for found in (detect.contains_insz, detect.contains_email, detect.contains_phone):
        hit |= found(cells)
    out = np.zeros(len(names), dtype=bool)
    out[np.asarray(owners, dtype=np.int64)[hit]] = True
    return out


def column_labels(names: Sequence[str]) -> list[str]:
    """column_label for every name of a header, in one pass (see personal_names)."""
    personal = personal_names(names)
    return [withheld(i) if personal[i] else name for i, name in enumerate(names)]


def declared_values(column: Column, limit: int = 8) -> str:
    """The labels a column allows, for messages (contract text, always safe)."""
    values = [str(v) for v in column.values or ()]
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")
