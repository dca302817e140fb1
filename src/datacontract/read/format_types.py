"""The shapes of the format registry (read/formats.py): what a format's entry holds, what its
opener is given and returns, and what its sample writer writes.

Kept apart from the registry so that the reader modules can name these types without
importing the registry that imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from datacontract.read.parts import Inventory
from datacontract.read.text import Parts, Reader


@dataclass(frozen=True)
class OpenOptions:
    """What `open_table` passes every opener; a format uses what applies to it."""

    batch_rows: int
    """Rows per batch the table is read in (TableSource re-slices to exactly this)."""
    block_bytes: int
    """Bytes a streamed text format (CSV, JSON Lines) is parsed at a time."""
    password: str | None = None
    """The password of an encrypted file (formats with `encryptable`)."""
    sheet: str | None = None
    """The sheet that is the table (formats with `sheets`)."""


@dataclass(frozen=True)
class Opened:
    """A file that opened: its columns, its row count if known, a reader of its rows."""

    columns: tuple[str, ...]
    rows: int | None
    read: Reader = field(repr=False)
    other_parts: Parts | None = field(default=None, repr=False)
    """The hook through which a reader says what else the file carries (other sheets, names,
    properties, comments, metadata): every part yields batches of text, searched like cells."""
    encrypted: bool = False
    """Whether the file was encrypted at rest."""
    carried: Inventory | None = field(default=None, repr=False)
    """Every part the file carries beside its table, by kind and position (read/parts.py):
    the allow-list check of check/validate.py; None for a format whose every byte is the
    table's (CSV, JSON)."""
    column_rows: Mapping[str, int] | None = field(default=None, repr=False)
    """For formats whose rows may leave a column out (JSON, JSON Lines: a row without the
    key): how many rows write each column. None: every row carries every column."""


Opener = Callable[[str, int, OpenOptions], Opened]
"""(path, size in bytes, options) -> Opened; InputFileError naming the file on bad input."""


@dataclass(frozen=True)
class SampleTable:
    """Synthetic rows for a sample writer: declared column names, rows keyed by them, and each
    column's contract type (`integer`, `number`, `boolean`; any other is written as text)."""

    columns: list[str]
    rows: list[dict[str, Any]]
    types: dict[str, str]

    def values(self) -> list[list[Any]]:
        """The rows as lists in column order (a missing key is None)."""
        return [[r.get(c) for c in self.columns] for r in self.rows]

    def arrow(self) -> Any:
        """The rows as a pyarrow Table, typed: int64, float64, bool, else string."""
        import pyarrow as pa

        kinds = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
        return pa.table(
            {
                c: pa.array(
                    [r.get(c) for r in self.rows], type=kinds.get(self.types[c], pa.string())
                )
                for c in self.columns
            }
        )


SampleWriter = Callable[[IO[bytes], SampleTable, str | None], None]
"""(binary output, rows, password or None) -> None: writes one file of the format; the
password is given only to a format with `encryptable`."""


@dataclass(frozen=True)
class Format:
    """One file format: everything the rest of the tool knows about it."""

    name: str
    """The name contracts use (`file.format`), lower case."""
    title: str
    """What the format is called in docs and messages, and its standard."""
    extensions: tuple[str, ...]
    """File extensions, lower case with the dot; the first is the one samples are written as."""
    open: Opener
    """Opens a file and streams its rows (Opened.other_parts: what else it carries)."""
    parts: tuple[str, ...]
    """The kinds of part (read/parts.PART_KINDS) a file of the format carries beside its
    table, every one in the opener's inventory (`Opened.carried`): the allow-list the docs'
    table and the corpus test (tests/corpus) are built from; () when every byte is the table's."""
    limits: str
    """The limits that refuse a file before it is parsed (docs)."""
    header_row: bool = False
    """The first row of a grid names the columns (a file without one has values there)."""
    sheets: bool = False
    """`--sheet` chooses which of several sheets is the table."""
    encryptable: bool = False
    """An encrypted file is read (with a password) and samples can be written encrypted."""
    write_sample: SampleWriter | None = None
    """The writer of `datacontract sample` (None: demo/ writes the format itself, or not)."""
    prose_extensions: tuple[str, ...] = ()
    """Of `extensions`, those that other files share (a README.txt beside the exports): read
    when a command names such a file, never picked by the pre-commit hooks' pattern."""
