"""Reading ahead (read/prefetch.py): the same items in the same order, the reader's errors
raised in the consumer, at most one item read ahead, and a reader that stops with the consumer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from datacontract.errors import InputFileError
from datacontract.read.prefetch import read_ahead


def test_the_same_items_in_the_same_order() -> None:
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))
    assert list(read_ahead(iter([]))) == []


def test_a_readers_error_is_raised_in_the_consumer_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise InputFileError("x.csv", "row 3 is malformed", 3)

    got: list[int] = []
    with pytest.raises(InputFileError, match="row 3 is malformed"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [1, 2]


def test_at_most_one_item_is_read_ahead_and_the_reader_stops_with_the_consumer() -> None:
    produced: list[int] = []

    def items() -> Iterator[int]:
        for i in range(100):
            produced.append(i)
            yield i

    stream = read_ahead(items())
    assert next(stream) == 0
    time.sleep(0.3)  # give the reader every chance to run ahead
    assert len(produced) <= 3  # the one consumed, one waiting, one being offered
    stream.close()  # the consumer stops: the reader thread ends
    time.sleep(0.3)
    assert not [t for t in threading.enumerate() if t.name == "datacontract-read-ahead"]
    assert len(produced) <= 3
