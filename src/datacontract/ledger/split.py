"""A large ledger read on two cores: the first half here, the second in a child process.

Checking a chain is one pass of JSON parsing and SHA-256 per line, and nearly all of it is
independent from line to line: only the link between a line and the one before it (its
``prev``, its ``seq``, its time) crosses lines. So the file is cut at a line boundary near its
middle; a child process (spawned, so nothing of this process's threads or locks is copied)
reads the second half with a Chain that starts at the right line number, and this process
reads the first half meanwhile. The one link across the cut is then checked here with the
same Chain.link, so the events and the problems, their order and their messages included,
are exactly what a single pass gives (tests/ledger/test_split.py compares the two on every
kind of tampering, at every cut).

The events come back from the child as marshal bytes (plain tuples of str, int, bool and
None): about a tenth of what reading them costs. Below SPLIT_MIN_BYTES, or when a child
cannot be started, the ledger is read in one pass.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from datacontract.errors import LedgerError
from datacontract.ledger.canonical import aware_time
from datacontract.ledger.chain import Chain, Event, LedgerProblem, LedgerState, feed
from datacontract.messages import Plain, from_plain, to_plain

# Starting a child costs about 0.15 s (a fresh interpreter importing ledger/); a 24 MiB
# ledger (about 100,000 events) takes a second or more to read in one pass.
SPLIT_MIN_BYTES = 24 << 20
_BLOCK = 1 << 20


def read_in_two(path: Path, stream: IO[bytes], size: int) -> LedgerState | None:
    """The ledger's state, read on two cores; None when it should be read in one pass
    (small, one core, no line boundary past the middle, or no child process to be had).

    stream is the ledger opened for reading at offset 0; size its size in bytes.
    LedgerError when the file cannot be read.
    """
    if size < SPLIT_MIN_BYTES or (os.cpu_count() or 1) < 2:
        return None
    stream.seek(size // 2)
    tail = stream.readline()
    cut = size // 2 + len(tail)
    stream.seek(0)
    if not tail.endswith(b"\n") or cut >= size:
        return None
    # The child's events go through a private temporary file, not a pipe: a pipe is drained
    # by a thread that gets the GIL only between this thread's slices, 64 KiB at a time, and
    # the child would wait on it for most of its run.
    handle, result = tempfile.mkstemp(prefix="datacontract-ledger-", suffix=".marshal")
    os.close(handle)
    try:
        # A fresh interpreter, not fork (this process may hold pyarrow's threads) and not
        # multiprocessing (whose children re-run the parent's main script).
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), str(cut), result],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except (OSError, ValueError):
        os.unlink(result)
        return None

    def later() -> bytes:
        _, err = child.communicate()  # stderr: a line at most, read once the child is done
        if child.returncode != 0:
            message = err.decode("utf-8", "replace").strip().splitlines()
            if message and message[-1].startswith(_FAILED):
                raise LedgerError(message[-1][len(_FAILED) :])
            raise RuntimeError("the child reading the ledger's second half failed")
        with open(result, "rb") as packed:
            return packed.read()

    try:
        return read_cut(path, stream, cut, later)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        with contextlib.suppress(OSError):
            os.unlink(result)


_FAILED = "LedgerError: "
_CHILD = (
    "import sys\n"
    "from datacontract.errors import LedgerError\n"
    "from datacontract.ledger.split import read_from\n"
    "try:\n"
    "    packed = read_from(sys.argv[1], int(sys.argv[2]))\n"
    "    with open(sys.argv[3], 'wb') as out:\n"
    "        out.write(packed)\n"
    "except LedgerError as exc:\n"
    f"    sys.exit({_FAILED!r} + str(exc))\n"
)


def read_cut(
    path: Path, stream: IO[bytes], cut: int, later: Callable[[], bytes]
) -> LedgerState | None:
    """The state from the lines of stream before byte offset cut, read here, joined with what
    later() gives back (read_from's bytes for the lines from cut on); None when later fails
    for any reason but a LedgerError (the caller then reads in one pass)."""
    first = Chain()
    feed(path, _until(stream, cut), first)
    try:
        packed: bytes = later()
    except LedgerError:
        raise
    except Exception:
        return None
    # Half a million tuples become objects here: without the collector, which would rescan
    # every event already read again and again (ledger/chain.feed does the same).
    collecting = gc.isenabled()
    gc.disable()
    try:
        events, problems, found = marshal.loads(packed)
        return join(first, list(map(Event._make, events)), problems, found)
    finally:
        if collecting:
            gc.enable()


def _until(stream: IO[bytes], cut: int) -> Iterator[bytes]:
    """The lines of stream up to byte offset cut (a line boundary)."""
    read = 0
    for raw in stream:
        yield raw
        read += len(raw)
        if read >= cut:
            return


def join(
    first: Chain,
    events: list[Event],
    problems: list[tuple[str, int, int | None, Plain]],
    where: tuple[int, bool],
) -> LedgerState:
    """The state of the whole ledger from a Chain fed its first lines and what a Chain that
    started after them found (read_from): its events, its problems, and the line of its first
    event with whether that was its first line."""
    later = [LedgerProblem(k, line, seq, from_plain(said)) for k, line, seq, said in problems]
    if not events:
        return LedgerState(tuple(first.events), (*first.problems, *later))
    n, on_first_line = where
    if not on_first_line:
        first.forget_prev()  # a line before it could not be read: no link by hash, as in one pass
    head = events[0]
    when = aware_time(head.time)
    assert when is not None  # checked by the Chain that read it
    before = len(first.problems)
    first.line = n  # problems name the line they are found on
    linked = Event._make(first.link(tuple(head), when, n))
    crossing = first.problems[before:]
    del first.problems[before:]
    ordered = [
        *first.problems,
        *(p for p in later if p.line <= n),
        *crossing,
        *(p for p in later if p.line > n),
    ]
    return LedgerState((*first.events, linked, *events[1:]), tuple(ordered))


def read_from(path: str, cut: int) -> bytes:
    """In the child: read the ledger from byte offset cut (a line boundary) to its end with a
    Chain that starts at the line the cut falls on; its events, its problems, and the line of
    its first event with whether that was its first line, marshalled."""
    where = Path(path)
    gc.disable()  # a short-lived process that builds half a million objects and frees none
    try:
        with open(where, "rb") as stream:
            lines = 0
            while stream.tell() < cut:
                block = stream.read(min(_BLOCK, cut - stream.tell()))
                if not block:
                    break
                lines += block.count(b"\n")
            chain = Chain(start_line=lines)
            found = (0, False)
            for raw in stream:  # up to its first event, to know where that is
                chain.feed(raw)
                if chain.events:
                    found = (chain.line, chain.line == lines + 1)
                    break
            feed(where, stream, chain)
    except OSError as exc:
        raise LedgerError(f"{where}: cannot read the ledger: {exc.strerror or exc}") from exc
    # marshalled: a problem's words as their code and values (names and numbers)
    problems = [(p.kind, p.line, p.seq, to_plain(p.said)) for p in chain.problems]
    events = [tuple(e) for e in chain.events]
    return marshal.dumps((events, problems, found))
