"""The one writer of every file the tool creates: reports, proofs, manifests and samples.

A file is written to a unique temporary file beside its target (created with O_EXCL, so a
planted file or symlink of that name is never followed or overwritten; two writers never share
one), flushed and fsynced, then renamed over the target, and the folder is fsynced: a reader
sees the old file or the new one, never half of one. Files are created with mode 0644 (0600
for private ones, such as keys) before the umask applies, so whatever the umask, no file the
tool creates is writable by group or world; folders it creates are 0755 at most.

A target that exists and is a device or a FIFO (`/dev/null`, `/dev/stdout`) is written
through instead: it is never replaced. Errors are OSError, as the standard library raises them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o644
PRIVATE_MODE = 0o600
FOLDER_MODE = 0o755


def write_file(path: str | os.PathLike[str], data: bytes | str, *, private: bool = False) -> None:
    """Write `data` (text as UTF-8) to `path` atomically (see the module docstring)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with writing(path, private=private) as out:
        out.write(raw)


@contextlib.contextmanager
def writing(path: str | os.PathLike[str], *, private: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose bytes replace `path` atomically when the block ends without an
    exception; on an exception the temporary file is removed and `path` is left as it was."""
    target = Path(path)
    if _is_device(target):
        with open(target, "wb") as through:
            yield through
        return
    make_folder(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, PRIVATE_MODE if private else FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(target.parent)


class Staged:
    """A file written in full under a temporary name beside its target, not yet in place:
    `publish` renames it over the target (atomically, the folder fsynced), `discard` removes
    it. A process killed before `publish` leaves no file of the target's name, only a hidden
    temporary one; so a file that must not exist before something else has happened (a
    send's manifest before the ledger has its event) is staged, then published."""

    def __init__(self, tmp: Path, target: Path) -> None:
        self.tmp, self.target = tmp, target

    def publish(self) -> Path:
        os.replace(self.tmp, self.target)
        fsync_folder(self.target.parent)
        return self.target

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def stage_file(path: str | os.PathLike[str], data: bytes, *, private: bool = False) -> Staged:
    """Write `data` in full (fsynced) beside `path` under a temporary name (see Staged);
    OSError (a full disk) leaves nothing behind."""
    target = Path(path)
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.lstat(target).st_mode):  # found now, not after publishing
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(target))
    make_folder(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, PRIVATE_MODE if private else FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Staged(tmp, target)


def make_folder(folder: Path) -> None:
    """Create `folder` and its missing parents with mode 0755 (less under a stricter umask)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, FOLDER_MODE)


def fsync_folder(folder: Path) -> None:
    """Make a new or renamed directory entry durable (not every platform can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _is_device(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode  # follows a link: /dev/stdout is one
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)


def append_text(path: str | os.PathLike[str], text: str) -> None:
    """Append `text` (UTF-8) to `path`, creating it 0644: a file another program owns and
    collects, such as GitHub's `$GITHUB_STEP_SUMMARY`. Never through a symlink."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, FILE_MODE)
    with os.fdopen(fd, "ab") as out:
        out.write(text.encode("utf-8"))
