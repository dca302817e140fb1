"""A large ledger read on two cores gives exactly what one pass gives (ledger/split.py).

Every kind of damage a chain reports, at every place the cut can fall: the events and the
problems (kind, line, seq, message and their order) must be those of a single pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from datacontract.ledger import split
from datacontract.ledger.append import append_event
from datacontract.ledger.chain import Chain, EventDraft, LedgerState, feed, read_ledger

BRUSSELS = timezone(timedelta(hours=1))
START = datetime(2025, 2, 10, 9, 0, tzinfo=BRUSSELS)


def _draft(i: int) -> EventDraft:
    common = {
        "time": (START + timedelta(minutes=i)).isoformat(),
        "contract": "groeipakket-toereikendheid-2025",
        "contract_version": "1.0.0",
    }
    if i % 5 == 4:
        return EventDraft(kind="milestone", milestone="veldwerk_afgelopen", **common)
    return EventDraft(
        kind="received" if i % 2 else "sent",
        party="fons" if i % 2 else "opgroeien_it",
        dataset="dataset_1",
        hop="stap3",
        sender="opgroeien_it",
        receiver="fons",
        sha256=hashlib.sha256(f"synthetic file {i}".encode()).hexdigest(),
        rows=10 + i,
        violation=i % 7 == 3,
        findings=({"rule": "dataset_1.columns", "article": "art. 3", "count": 2},)
        if i % 7 == 3
        else (),
        **common,
    )


def _intact(tmp_path: Path, n: int = 12) -> list[bytes]:
    path = tmp_path / "intact.jsonl"
    path.touch()
    for i in range(n):
        append_event(path, _draft(i))
    return path.read_bytes().splitlines(keepends=True)


def _edit(lines: list[bytes], i: int) -> list[bytes]:
    out = list(lines)
    out[i] = out[i].replace(b'"rows":', b'"rows":1', 1) if b'"rows":' in out[i] else b"x\n"
    return out


# Each kind of damage the chain reports: a function from the intact lines to damaged ones.
DAMAGE: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "intact": lambda ls: ls,
    "edited line": lambda ls: _edit(ls, 5),
    "edited first line": lambda ls: _edit(ls, 0),
    "removed line": lambda ls: ls[:4] + ls[5:],
    "removed first line": lambda ls: ls[1:],
    "swapped lines": lambda ls: [*ls[:5], ls[6], ls[5], *ls[7:]],
    "duplicated line": lambda ls: [*ls[:6], ls[5], *ls[6:]],
    "not JSON": lambda ls: [*ls[:3], b"{not json\n", *ls[3:]],
    "two bad lines in a row": lambda ls: [*ls[:6], b"[]\n", b"{}\n", *ls[6:]],
    "not an event": lambda ls: [*ls[:7], b'{"seq":1}\n', *ls[7:]],
    "invalid UTF-8": lambda ls: [*ls[:8], b"\xff\xfe\n", *ls[8:]],
    "torn last line": lambda ls: [*ls[:-1], ls[-1][:-1]],
    "earlier time": lambda ls: [*ls[:4], ls[9], *ls[4:9], *ls[10:]],
    "blank line": lambda ls: [*ls[:6], b"\n", *ls[6:]],
}


def _one_pass(path: Path) -> LedgerState:
    chain = Chain()
    with open(path, "rb") as stream:
        feed(path, stream, chain)
    return chain.state()


@pytest.mark.parametrize("damage", DAMAGE)
def test_every_cut_gives_what_one_pass_gives(tmp_path: Path, damage: str) -> None:
    lines = DAMAGE[damage](_intact(tmp_path))
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(b"".join(lines))
    expected = _one_pass(path)
    assert damage == "intact" or expected.problems  # the damage is seen at all
    offsets = [sum(map(len, lines[: i + 1])) for i in range(len(lines) - 1)]
    for cut in offsets:
        with open(path, "rb") as stream:
            got = split.read_cut(path, stream, cut, lambda c=cut: split.read_from(str(path), c))
        assert got is not None
        assert got.problems == expected.problems, f"cut after {cut} bytes"
        assert got.events == expected.events, f"cut after {cut} bytes"


def test_a_large_ledger_is_read_by_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = DAMAGE["swapped lines"](_intact(tmp_path, 40))
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(split, "SPLIT_MIN_BYTES", 0)
    calls: list[int] = []
    real = split.read_cut

    def spy(*args: object, **kwargs: object) -> LedgerState | None:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(split, "read_cut", spy)
    assert read_ledger(path) == _one_pass(path)
    assert calls  # the split path ran, with a real child


def test_a_child_that_fails_means_one_pass(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(b"".join(_intact(tmp_path)))

    def dies() -> bytes:
        raise MemoryError

    with open(path, "rb") as stream:
        assert split.read_cut(path, stream, len(path.read_bytes()) // 2, dies) is None
