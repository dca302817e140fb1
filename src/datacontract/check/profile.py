"""What a file one has looks like, as a contract would declare it: for `datacontract init`.

Each column gets the narrowest declared type that takes every one of its cells, decided by the
same casts that `validate` runs (coerce.py), so a draft made from a file holds to that file:
integer, then number, date, datetime, boolean, else string. A column is nullable when a cell
is empty. A name that may be personal data (personal/redact.py) is withheld: the profile says
`column_7` and that it was withheld. Never a value: only names, types, counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.contract.base import ColumnType
from datacontract.personal.redact import personal_names
from datacontract.read.formats import EXTENSIONS, FORMATS
from datacontract.read.table import open_table

# the order a column's type is tried in: the first that takes every cell wins
CANDIDATES: tuple[ColumnType, ...] = ("integer", "number", "date", "datetime", "boolean")


@dataclass(frozen=True)
class ColumnProfile:
    """One column: its name as the contract would declare it (None: withheld, as personal
    data, and `column_<n>` stands for it), its type and whether a cell was empty."""

    position: int  # from 0
    name: str | None
    type: ColumnType
    nullable: bool

    @property
    def declared(self) -> str:
        """The name the draft declares: the file's, or `column_<n>` where it is withheld."""
        return self.name if self.name is not None else f"column_{self.position + 1}"


@dataclass(frozen=True)
class TableProfile:
    """A file as a draft contract sees it: its format, rows, columns, and how it opened."""

    path: str
    format: str
    rows: int
    columns: tuple[ColumnProfile, ...]
    sheet: str | None = None
    encrypted: bool = False

    @property
    def withheld(self) -> tuple[ColumnProfile, ...]:
        return tuple(c for c in self.columns if c.name is None)


def profile_file(
    path: str | Path, *, password: str | None = None, sheet: str | None = None
) -> TableProfile:
    """Profile a data file (any format of the registry, read/formats.py). InputFileError for
    a file that is not one table; never a value in any message."""
    source = open_table(path, password=password, sheet=sheet)
    names = source.columns
    possible = {name: list(CANDIDATES) for name in names}
    empty = dict.fromkeys(names, False)
    filled = dict.fromkeys(names, False)  # a column with no value at all is declared string
    rows = 0
    for batch in source.batches():
        rows += batch.data.num_rows
        for name in names:
            raw = batch.data.column(name)
            empty[name] = empty[name] or _has_empty(raw)
            filled[name] = filled[name] or raw.null_count < len(raw)
            possible[name] = [t for t in possible[name] if not coerce(raw, t).bad.any()]
    personal = personal_names(list(names))
    columns = tuple(
        ColumnProfile(
            i,
            None if personal[i] else name,
            possible[name][0] if possible[name] and filled[name] else "string",
            empty[name],
        )
        for i, name in enumerate(names)
    )
    fmt = EXTENSIONS[Path(path).suffix.lower()]
    return TableProfile(
        str(path),
        fmt,
        rows,
        columns,
        sheet if FORMATS[fmt].sheets else None,
        source.encrypted,
    )


def _has_empty(raw: pa.Array | pa.ChunkedArray) -> bool:
    """A null cell, or an empty (or blank) text cell, which every declared type reads as null."""
    if raw.null_count:
        return True
    if pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type):
        blank = pc.equal(pc.utf8_trim_whitespace(raw), "")
        return bool(np.asarray(pc.fill_null(blank, False)).any())
    return False
