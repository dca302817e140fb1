"""The one place that decides what may be shown.

Allow-list, not block-list: a value from a checked file is printable only when the contract
declares it (an enum or class label of a column marked `show_values`). Everything else is
counted, never echoed. Names are data too (contract/names.py holds the one rule): a name from
a file is shown only when the contract declares it (`Declared`), else by its position and kind
(`column 7 (not in the contract)`); a worksheet, which no contract declares, always by its
position; a name that looks like personal data (the rule's text test, or a detector firing on
it) never.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from datacontract.contract import names as rule
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
    return withheld(position) if looks_personal(name) else name


def withheld(position: int, what: str = "column") -> str:
    """How a name that may be personal data is shown instead: `column 7 (name withheld)`,
    counted from 1 (`position` from 0)."""
    return f"{what} {position + 1} (name withheld)"


def name_label(name: str, position: int, what: str) -> str:
    """How a name taken from a file that no contract declares (a worksheet, a sheet) is
    shown: as a program's default name (`'Blad2'`), else by its position,
    `2 (not in the contract)`, which the caller puts after the kind
    (`worksheet 2 (not in the contract)`; contract/names.py, rule 1); a column is shown by
    column_label (its name only when it does not look personal; check/ then shows only
    declared ones)."""
    if what == "column":
        return column_label(name, position)
    if _DEFAULT_SHEET.fullmatch(name):
        return repr(name)  # a spreadsheet's own default name (`Blad1`, `Sheet2`): no one's data
    return rule.by_position(position, what).removeprefix(f"{what} ")


# The names spreadsheet programs give new sheets, in the languages of Belgium and its
# neighbours: an allow-list of names that hold nothing but a number the program chose.
_DEFAULT_SHEET = re.compile(r"(?:Sheet|Blad|Feuil|Tabelle|Tabel|Hoja|Foglio|Planilha)[1-9][0-9]?")


def looks_personal(name: str) -> bool:
    """Whether a name from a file may be someone's data: contract/names.py's rule (nine digits
    across separators, an @), six digits in a row, a phone-like run, or a fired INSZ, e-mail or
    phone detector. An element path of an XML document (`Repliek/Context/Naam`) is judged
    segment by segment: a long path of element names is not personal data."""
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
    hit = np.array(
        [len(p) > 80 or rule.looks_personal(p) or bool(_PERSONAL_LOOKING.search(p)) for p in parts],
        dtype=bool,
    )
    cells = pa.array(parts, pa.string())
    for found in (detect.contains_insz, detect.contains_email, detect.contains_phone):
        hit |= found(cells)
    # the whole name too: `YY/MM/DD/SSS/CC` is a number however its segments look
    out = np.array([rule.holds_personal_text(name) for name in names], dtype=bool)
    out[np.asarray(owners, dtype=np.int64)[hit]] = True
    return out


def declared_labels(names: Sequence[str], declared: rule.Declared) -> list[str]:
    """How each name of a file's header (or keys) is shown in a report: the name when the
    contract declares it and it does not look personal, else `column N (not in the
    contract)` (contract/names.py, rule 1; a declared name a detector fires on is withheld
    too)."""
    personal = personal_names(names) if names else np.zeros(0, dtype=bool)
    return [
        name if declared.may_show(name) and not personal[i] else rule.by_position(i)
        for i, name in enumerate(names)
    ]


def declared_values(column: Column, limit: int = 8) -> str:
    """The labels a column allows, for messages (contract text, always safe)."""
    values = [str(v) for v in column.values or ()]
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")
