"""Where data files are opened: every format streamed as Arrow record batches.

Each format is an entry of the registry read/formats.py (its reader module named there:
read/csv_file.py, parquet_file.py, json_lines.py, workbook.py, ods.py, magda_xml.py); this
module chooses the entry by the file's extension and gathers the rows into batches. The text
helpers the readers share are in read/text.py, every part beside the table in read/parts.py.

`open_table` looks at a file once (its header, its schema, or for JSON Lines a first pass over
the whole file) and returns a `TableSource`; `TableSource.batches()` then reads the rows in
batches of `batch_rows` (the last one fewer). CSV and JSON Lines are parsed in blocks of 1 MiB
whose rows are gathered into those batches, so memory stays flat however long the file is.

Types. CSV, XLSX and ODS arrive as strings, every column, so that a value of the wrong type never
makes pyarrow raise an error that quotes it (coerce.py casts). Parquet keeps its types; JSON
keeps JSON's (objects and lists as structs and lists; a column of mixed types as strings).

Row numbers. `Batch.first_row` is the 1-based number of the batch's first data row, the header
not counted. In a CSV file that row sits on line `first_row + 1` only if no earlier row has a
quoted line break and there are no blank lines (pyarrow skips those; JSON Lines too). In an
XLSX or ODS sheet it is always `first_row + 1` (only trailing empty rows are dropped).

Errors. Every problem with a file is an `InputFileError` naming the file and, where it applies,
the line; pyarrow's own messages quote cell text, so none is ever passed on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.format_types import OpenOptions
from datacontract.read.formats import EXTENSIONS
from datacontract.read.formats import FORMATS as REGISTRY
from datacontract.read.parts import Inventory
from datacontract.read.text import MIB, Parts, Reader, did_you_mean

FORMATS: dict[str, str] = EXTENSIONS
"""File extension (lower case) -> format name (read/formats.EXTENSIONS, under its old name)."""


@dataclass(frozen=True)
class Batch:
    """Some consecutive rows of a file."""

    data: pa.RecordBatch
    first_row: int
    """1-based number of the data row `data.slice(0)` within the file, the header not counted."""


@dataclass(frozen=True)
class TableSource:
    """A data file that opened cleanly; `batches()` reads it (again) from the start."""

    path: str
    format: str
    columns: tuple[str, ...]
    rows_hint: int | None
    """The number of rows if known before `batches()` (Parquet, JSON, JSON Lines), else None."""
    size_bytes: int
    batch_rows: int
    _read: Reader = field(repr=False, compare=False)
    encrypted: bool = False
    """Whether the file was encrypted at rest (a password-protected XLSX workbook)."""
    other_parts: Parts | None = field(default=None, repr=False, compare=False)
    """The rest of the file that is not the table (the other worksheets holding data of a
    workbook), for the checks of forbidden content; None when there is none."""
    carried: Inventory | None = field(default=None, repr=False, compare=False)
    """Every part the file carries beside its table (read/parts.py), for the allow-list."""
    column_rows: Mapping[str, int] | None = field(default=None, repr=False, compare=False)
    """How many rows write each column, where a row may leave one out (JSON, JSON Lines);
    None: every row carries every column. Known once opened."""

    def batches(self) -> Iterator[Batch]:
        """The rows in batches of exactly `batch_rows` rows, the last one fewer."""
        size = self.batch_rows
        first_row = 1
        pending: list[pa.RecordBatch] = []  # blocks, or slices of them, for the next batch
        count = 0
        for data in self._read():
            while data.num_rows:
                take = min(size - count, data.num_rows)
                pending.append(data.slice(0, take))
                count += take
                data = data.slice(take)
                if count == size:
                    batch = Batch(self._named(_concat(pending)), first_row)
                    pending, count = [], 0
                    first_row += size
                    yield batch
        if pending:
            yield Batch(self._named(_concat(pending)), first_row)

    def _named(self, data: pa.RecordBatch) -> pa.RecordBatch:
        names = list(self.columns)
        return data if data.schema.names == names else data.rename_columns(names)


def _concat(parts: list[pa.RecordBatch]) -> pa.RecordBatch:
    if len(parts) == 1:
        return parts[0]
    if hasattr(pa, "concat_batches"):  # pyarrow >= 19
        return pa.concat_batches(parts)
    return pa.Table.from_batches(parts).combine_chunks().to_batches()[0]


def open_table(
    path: str | os.PathLike[str],
    *,
    batch_rows: int = 131_072,
    password: str | None = None,
    block_bytes: int | None = None,
    sheet: str | None = None,
) -> TableSource:
    """Open a data file as a table; the format is chosen by its extension.

    `password` opens an encrypted file (an XLSX workbook). CSV and JSON Lines are parsed
    `block_bytes` at a time (1 MiB by default; a CSV row must fit in one block), and the
    blocks' rows are gathered into batches of `batch_rows`: small blocks keep pyarrow's
    buffers small.
    `sheet` names the sheet of a workbook holding more than one table (formats with `sheets`):
    its name or `#N`, its position (read/sheets.py).
    A path with bytes that are not UTF-8 is refused (InputFileError): not every reader can
    open it, and no report can name it.
    """
    if batch_rows < 1 or (block_bytes is not None and block_bytes < 1):
        raise ValueError(
            f"batch_rows and block_bytes must be positive: {batch_rows}, {block_bytes}"
        )
    name = os.fspath(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # a byte that is not UTF-8, kept by surrogateescape
        raise InputFileError(
            name, "its name has bytes that are not UTF-8 text: rename it with UTF-8 characters"
        ) from None
    size = _file_size(name)
    suffix = Path(name).suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    if fmt is None:
        message = f"unknown file type {suffix or '(none)'!r}{did_you_mean(suffix, EXTENSIONS)}"
        raise InputFileError(name, f"{message}; known: {', '.join(EXTENSIONS)}")
    if size == 0:
        raise InputFileError(name, "file is empty")
    entry = REGISTRY[fmt]
    if sheet is not None and not entry.sheets:
        books = ", ".join(e for f in REGISTRY.values() if f.sheets for e in f.extensions)
        raise InputFileError(name, f"--sheet applies to workbooks ({books}); this is a {fmt} file")
    options = OpenOptions(batch_rows, block_bytes or MIB, password, sheet)
    opened = entry.open(name, size, options)
    if not opened.columns and opened.rows == 0:  # `[]`, blank lines: as empty as no bytes
        raise InputFileError(name, "file is empty")
    return TableSource(
        name,
        fmt,
        opened.columns,
        opened.rows,
        size,
        batch_rows,
        opened.read,
        encrypted=opened.encrypted,
        other_parts=opened.other_parts,
        carried=opened.carried,
        column_rows=opened.column_rows,
    )


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file's bytes, in hex, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with limits.open_regular(path) as f:
        while chunk := f.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


# -- shared -----------------------------------------------------------------------------------


def _file_size(path: str) -> int:
    try:
        return limits.check_regular(path)
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except PermissionError:
        raise InputFileError(path, "cannot be read: permission denied") from None
    except limits.NotRegularFile as exc:
        raise InputFileError(path, str(exc.strerror)) from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read: {exc.strerror}") from None
