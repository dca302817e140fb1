"""Reading ahead: the next batch is read on a second thread while this one is checked.

pyarrow parses CSV, decodes Parquet pages and reads JSON with the GIL released, so reading the
next batch overlaps the checks of the current one and the second core does useful work. At
most one batch waits (a queue of one), so memory grows by one batch, not with the file. An
exception of the reader (a malformed row, an unreadable file) is raised in the consumer, as
it would have been without the thread; a consumer that stops early stops the reader.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL = 0.1  # seconds between looks at the stop flag while the queue is full


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """The items of `items`, the next one produced on a reader thread meanwhile."""
    ready: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
            offer(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            offer(_Failed(exc))

    reader = threading.Thread(target=produce, name="datacontract-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
