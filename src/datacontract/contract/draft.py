"""A draft contract for a file one has (`datacontract init`): the file's columns with their
types and nullability, how the file travels (its format, a workbook's sheet, encryption), and
`article: TODO` wherever a citation belongs, so that `lint` and `coverage` fail until the author
cites the protocol's article for each (docs/contract-format.md says what each key means).

It is built from a profile (names, types, counts), never from a cell: no value of the file can
reach the draft. A name that may be personal data arrives withheld and is declared
`column_<n>` with a note saying so. The result loads (contract/load.py) and holds to the file it
was made from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from datacontract.contract.base import ColumnType

TODO = "TODO"
"""The citation a draft leaves to its author; `lint` and `coverage` refuse it."""


@dataclass(frozen=True)
class DraftColumn:
    """A column as the draft declares it: its name (or `column_<n>` for a withheld one), its
    type, nullability, and whether the file's name was withheld."""

    name: str
    type: ColumnType
    nullable: bool
    withheld: bool = False


@dataclass(frozen=True)
class DraftFile:
    """How the file travels: its format (read/formats.py's name), a workbook's sheet, whether
    it was encrypted, and how many rows it had (for the header comment only)."""

    format: str
    rows: int
    sheet: str | None = None
    encrypted: bool = False


def identifier(text: str, fallback: str) -> str:
    """A contract identifier (`^[a-z][a-z0-9_]*$`) from a file's stem, else `fallback`."""
    out = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    return out if out and out[0].isalpha() else fallback


def draft_contract(
    columns: Sequence[DraftColumn],
    file: DraftFile,
    *,
    dataset: str,
    contract_id: str,
    today: dt.date,
) -> str:
    """The draft as YAML text, with a header comment saying what is left to do."""
    document: dict[str, object] = {
        "contract": contract_id.replace("_", "-"),
        "version": "0.1.0",
        "title": TODO,
        "protocol": {"title": TODO, "date": today, "seed": TODO},
        "parties": [{"id": "todo_party", "name": TODO, "article": TODO}],
        "datasets": [
            {
                "id": dataset,
                "title": TODO,
                "article": TODO,
                "file": _file_rules(file),
                "columns": [_column(c) for c in columns],
            }
        ],
    }
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return (
        _HEADER.format(
            columns=len(columns), rows=file.rows, format=file.format, withheld=_withheld(columns)
        )
        + text
    )


def _file_rules(file: DraftFile) -> dict[str, object]:
    rules: dict[str, object] = {"formats": [file.format]}
    if file.encrypted:
        rules["encrypted"] = True
    rules["article"] = TODO
    return rules


def _column(c: DraftColumn) -> dict[str, object]:
    out: dict[str, object] = {"name": c.name, "type": c.type}
    if c.nullable:
        out["nullable"] = True
    # a guess: say which of identifier, pseudonym, contact, background, administrative it is
    out["category"] = "background"
    out["article"] = TODO
    if c.withheld:
        out["note"] = (
            f"{TODO}: the file's name of this column may be personal data and was withheld; "
            "write the name the file uses"
        )
    return out


def _withheld(columns: Sequence[DraftColumn]) -> str:
    names = [c.name for c in columns if c.withheld]
    if not names:
        return ""
    return (
        f"# Withheld: the file names {', '.join(names)} in words that may be personal data;\n"
        "# they are declared by position: write the names the file uses (validate refuses\n"
        "# the file until they match).\n"
    )


_HEADER = """\
# A draft contract made by `datacontract init` from a file of {rows:,} rows and {columns:,}
# columns ({format}). No value of the file is in it: only its column names, types and whether
# a column had empty cells. Before it is a contract:
#   - cite the protocol's article wherever it says TODO (`datacontract lint` and `coverage`
#     fail until every column and rule cites one);
#   - choose each column's category (identifier, pseudonym, contact, background,
#     administrative: docs/contract-format.md), drafted as background;
#   - name the parties, add the hops, the article-3 items and the rules the protocol sets.
{withheld}"""
