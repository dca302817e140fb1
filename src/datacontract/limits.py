"""Every limit on what the tool reads, in one place, and the one way an input file is opened.

A contract or a data file may come from anyone upstream, and the hooks run unattended in other
organisations' pipelines: whatever arrives, the tool answers within seconds and in bounded
memory. A limit hit is a `UsageError` (exit 2) whose message names the file and the limit.

- `CONTRACT_BYTES`, 1 MiB: a contract file, 25 times the largest shipped one (contract/load.py,
  before the YAML is parsed);
- `YAML_NODES`, 200,000: values of a contract once its aliases are expanded (billion laughs);
- `NESTING`, 64 levels: YAML (contract/load.py) and JSON (read/bounds.py, before pyarrow);
- `COLUMNS`, 2,000: columns of a data file, counted before a row is parsed (read/);
- `CELL_BYTES`, 1 MiB: text of one cell (CSV rows must fit a 1 MiB block; XLSX cells);
- `JSON_BYTES`, 256 MiB: a JSON document, read whole, or one JSON Lines line;
- `XLSX_INFLATED`, 256 MiB: a workbook's zip members inflated, all together, judged by their
  declared sizes before anything is inflated (zipfile stops inflating at them); also the
  largest encrypted workbook decrypted in memory;
- `INFLATE_RATIO`, 200 times: a zip member or a Parquet column chunk that inflates to more
  than `INFLATE_RATIO_FROM` (1 MiB) may not inflate more than this (a compression bomb);
- `PASSWORD_BYTES`, 4 KiB: a --password-file (cli/common.py);
- `MANIFEST_BYTES`, 64 KiB: the hash manifest beside a file (ledger/manifest.py);
- `KEY_BYTES`, 64 KiB: a signing key or a checkpoint (ledger/keys.py, ledger/checkpoint.py).

Only regular files are read: a FIFO, a device (`/dev/zero`), a socket or a directory is
refused at once, before a byte is read (`open_regular` never blocks on a FIFO).
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

MIB = 1 << 20

CONTRACT_BYTES = MIB
YAML_NODES = 200_000
NESTING = 64
COLUMNS = 2_000
CELL_BYTES = MIB
JSON_BYTES = 256 * MIB
XLSX_INFLATED = 256 * MIB
INFLATE_RATIO = 200
INFLATE_RATIO_FROM = MIB
PASSWORD_BYTES = 4096
MANIFEST_BYTES = 64 << 10
KEY_BYTES = 64 << 10


class NotRegularFile(OSError):
    """The path names something other than a regular file; `strerror` says what it is."""


class TooLarge(OSError):
    """The file is larger than the limit given; `strerror` says which limit."""


def kind_of(mode: int) -> str | None:
    """None for a regular file, else what `mode` (os.stat's st_mode) is: "a directory", "a
    FIFO (named pipe)", "a device", "a socket"."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading, binary; raise NotRegularFile for anything else.

    The file is opened without blocking (a FIFO with no writer would block `open`), then
    checked with fstat on the very descriptor that is read, so that nothing can be swapped in
    between. Raises OSError (FileNotFoundError, PermissionError, ...) as `open` does.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        check_descriptor(fd)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def check_descriptor(fd: int) -> None:
    """Raise NotRegularFile unless the open descriptor `fd` is a regular file."""
    kind = kind_of(os.fstat(fd).st_mode)
    if kind is not None:
        raise NotRegularFile(errno.EINVAL, f"is {kind}, not a regular file")


def check_regular(path: str | os.PathLike[str]) -> int:
    """The size in bytes of a regular file; NotRegularFile or OSError otherwise."""
    with open_regular(path) as f:
        return os.fstat(f.fileno()).st_size


def read_regular(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; TooLarge names `what`'s limit.

    Never reads more than `limit + 1` bytes, whatever the file claims its size is.
    """
    with open_regular(path) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"is larger than {size_text(limit)}, the limit for {what}")
    return data


def size_text(count: int) -> str:
    """A byte count as people say it: 4 MiB, 512 KiB, 100 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", MIB), ("KiB", 1 << 10)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count:,} bytes"
