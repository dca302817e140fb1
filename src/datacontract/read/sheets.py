"""Which sheet of a workbook (XLSX) or spreadsheet (ODS) `--sheet` chooses.

`--sheet` takes a sheet's name (`Gezinnen`, also a name made of digits such as `2024`) or its
position: `#N`, counted from 1 in the order the program shows the tabs, as the messages name a
sheet the contract does not declare (`worksheet 2 (not in the contract)`: `--sheet '#2'`).
`#` followed by digits is always a position; a sheet whose own name has that form is chosen by
its position too, and when such a name would point at another sheet than the position does, the
choice is refused as ambiguous rather than made silently. A position beyond the last sheet, or
`#0`, is refused (InputFileError, exit 2), as is an unknown name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from datacontract.errors import InputFileError
from datacontract.read.text import did_you_mean

POSITION = re.compile(r"#([0-9]+)")
"""`#N`: the sheet at position N (from 1)."""

HOW = "--sheet NAME, or --sheet '#N' for the sheet at position N"
"""How a refusal tells which forms `--sheet` takes."""


def chosen_sheet(
    path: str,
    names: Sequence[str],
    wanted: str,
    label: Callable[[int], str],
    kind: str,
) -> int:
    """The index (from 0) of the sheet `wanted` names among `names` (the file's sheets in tab
    order). `label(i)` is how a message may show sheet i (a default name or its position,
    contract/names.py rule 1); `kind` is "worksheet" or "sheet". InputFileError when no sheet
    is at that position or has that name; a suggestion only among names a message may show."""
    position = POSITION.fullmatch(wanted)
    if position is not None:
        digits = position.group(1).lstrip("0") or "0"
        number = int(digits) if len(digits) <= 9 else 0
        if wanted in names and names.index(wanted) != number - 1:
            named = names.index(wanted) + 1
            raise InputFileError(
                path,
                f"--sheet {wanted!r} is ambiguous: it is the position of one {kind} and the name "
                f"of the {kind} at position {named}; --sheet '#N' always means a position, so "
                f"give --sheet '#{named}' for the {kind} of that name",
            )
        if not 1 <= number <= len(names):
            number_said = number if number else position.group(1)[:12]
            raise InputFileError(
                path,
                f"there is no {kind} at position {number_said}: the file has "
                f"{len(names)} {kind}{'s' if len(names) != 1 else ''}, counted from 1",
            )
        return number - 1
    if wanted in names:
        return names.index(wanted)
    listed = ", ".join(label(i) for i in range(len(names)))
    shown = [n for i, n in enumerate(names) if label(i).startswith(repr(n))]
    near = did_you_mean(wanted, shown)
    from datacontract.personal.redact import looks_personal

    asked = "given" if looks_personal(wanted) else repr(wanted)  # rule 2 of names.py
    message = f"unknown {kind} {asked} (--sheet){near}; known: {listed} ({HOW})"
    raise InputFileError(path, message)
