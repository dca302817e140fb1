"""What a shell over the API needs to print and write safely: every string that came from a
file, a contract or the ledger made inert (report/inert.py), the one writer of files
(output.py), and the one way an unknown name is answered (contract/references.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence


def inert(text: str, *, lines: bool = False) -> str:
    """Text for a terminal or a log: control characters and CI commands defused (lines=True
    keeps line breaks, for whole messages)."""
    from datacontract.report.inert import plain

    return plain(text, lines=lines)


def inert_markup(text: str) -> str:
    """inert(), then escaped for rich markup: for a string rich prints."""
    from datacontract.report.inert import markup

    return markup(text)


def write_output(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write a report, proof or checkpoint through the one safe writer (a unique temporary
    file beside it, fsynced and renamed; 0644); OSError as raised."""
    from datacontract.output import write_file

    write_file(path, data)


def append_output(path: str | os.PathLike[str], text: str) -> None:
    """Append text to a file a CI runner collects (GitHub's job summary); OSError as raised."""
    from datacontract.output import append_text

    append_text(path, text)


def unknown_name(what: str, name: str, known: Sequence[str]) -> str:
    """`unknown WHAT 'NAME' (did you mean 'X'?); known: ...`, withholding a name that looks
    like personal data."""
    from datacontract.contract.references import unknown

    return unknown(what, name, list(known))


def file_shown(path: str | os.PathLike[str], position: int | None = None) -> str:
    """How a file the user named is printed: its path when every component is plain, else
    `the file given as argument N` (position from 1) or `the file (its path withheld)`
    (contract/names.py, rule 3: a folder or file name can hold a national number)."""
    from datacontract.contract.names import file_label

    return file_label(os.fspath(path), position)
