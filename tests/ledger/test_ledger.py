"""The ledger is tamper-evident and crash-safe; manifests travel with files, written atomically.

Every value here is synthetic: parties and hops of the adequacy study, hashes of made-up text.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from datacontract.errors import InputFileError, LedgerError, ViolationError
from datacontract.ledger.append import append_event
from datacontract.ledger.chain import (
    EVENT_KINDS,
    Event,
    EventDraft,
    LedgerState,
    canonical_json,
    ledger_hash,
    read_ledger,
)
from datacontract.ledger.manifest import Manifest, manifest_path, read_manifest, write_manifest

CONTRACT = "groeipakket-toereikendheid-2025"
BRUSSELS = timezone(timedelta(hours=1))
START = datetime(2025, 2, 10, 9, 0, tzinfo=BRUSSELS)
PAYERS = ("fons", "kidslife", "infino", "myfamily", "parentia")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _sent(i: int, **changes: Any) -> EventDraft:
    """The i-th synthetic stap3 transfer, i minutes after the start."""
    fields: dict[str, Any] = {
        "time": (START + timedelta(minutes=i)).isoformat(),
        "kind": "sent",
        "contract": CONTRACT,
        "contract_version": "1.0.0",
        "party": "opgroeien_it",
        "dataset": "dataset_1",
        "hop": "stap3",
        "sender": "opgroeien_it",
        "receiver": PAYERS[i % len(PAYERS)],
        "sha256": _sha(f"synthetic file {i}"),
        "rows": 100 + i,
    }
    fields.update(changes)
    return EventDraft(**fields)


def _ledger(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    for i in range(n):
        append_event(path, _sent(i))
    return path


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _kinds(state: LedgerState) -> list[tuple[str, int]]:
    return [(p.kind, p.line) for p in state.problems]


# --------------------------------------------------------------------------- round trips


def test_append_and_read_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    written = [
        append_event(path, _sent(0)),
        append_event(
            path,
            _sent(
                1,
                kind="received",
                party="fons",
                receiver="fons",
                violation=True,
                findings=({"rule": "dataset_1.columns", "article": "art. 3", "count": 2},),
            ),
        ),
        append_event(
            path,
            EventDraft(
                time="2025-03-01T12:00:00Z",
                kind="milestone",
                milestone="veldwerk_afgelopen",
                contract=CONTRACT,
                contract_version="1.0.0",
            ),
        ),
    ]
    state = read_ledger(path)
    assert state.intact
    assert state.events == tuple(written)
    assert [e.seq for e in state.events] == [1, 2, 3]
    assert state.events[0].prev == "0" * 64
    assert [e.prev for e in state.events[1:]] == [e.hash for e in state.events[:-1]]
    assert state.events[1].findings == (
        {"rule": "dataset_1.columns", "article": "art. 3", "count": 2},
    )
    assert state.events[2].milestone == "veldwerk_afgelopen"
    assert state.events[2].time == "2025-03-01T12:00:00+00:00"  # stored with its offset
    assert ledger_hash(path) == written[-1].hash
    assert set(EVENT_KINDS) == {"sent", "received", "destroyed", "milestone", "made"}


def test_the_format_can_be_checked_without_this_package(tmp_path: Path) -> None:
    # An auditor recomputes the chain with any JSON library: one canonical object per line.
    path = _ledger(tmp_path, 3)
    prev = "0" * 64
    for line in _lines(path):
        assert line.endswith(b"\n")
        obj = json.loads(line)
        assert line[:-1].decode() == json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        stated = obj.pop("hash")
        assert obj["prev"] == prev
        assert stated == hashlib.sha256(canonical_json(obj).encode()).hexdigest()
        prev = stated


def test_a_missing_ledger_is_empty(tmp_path: Path) -> None:
    state = read_ledger(tmp_path / "none.jsonl")
    assert state.events == () and state.intact
    assert ledger_hash(tmp_path / "none.jsonl") == "0" * 64


def test_a_ledger_that_cannot_be_opened_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError):
        read_ledger(tmp_path)  # a folder


# --------------------------------------------------------------------------- manifests


def _manifest(**changes: Any) -> Manifest:
    fields: dict[str, Any] = {
        "sha256": _sha("synthetic dataset_4"),
        "size": 2048,
        "rows": 12,
        "dataset": "dataset_4",
        "hop": "stap6_contact",
        "sender": "opgroeien_it",
        "receiver": "onderzoekers_swvg",
        "time": "2025-02-20T10:00:00+01:00",
        "contract_id": CONTRACT,
        "contract_version": "1.0.0",
        "contract_sha256": _sha("synthetic contract"),
        "file": "dataset_4.parquet",
    }
    fields.update(changes)
    return Manifest(**fields)


def test_manifest_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "dataset_4.parquet"
    written = write_manifest(data, _manifest())
    assert written == manifest_path(data) == tmp_path / "dataset_4.parquet.manifest.json"
    assert read_manifest(data) == _manifest()
    text = written.read_text(encoding="utf-8")
    assert text == json.dumps(_manifest().to_json(), sort_keys=True, indent=2) + "\n"
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_manifest_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "dataset_4.parquet"
    write_manifest(data, _manifest())
    before = manifest_path(data).read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(LedgerError):
        write_manifest(data, _manifest(rows=13))
    monkeypatch.undo()
    assert manifest_path(data).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset_4.parquet.manifest.json"]
    write_manifest(data, _manifest(rows=13))
    assert read_manifest(data).rows == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset_4.parquet.manifest.json"]


def test_manifest_names_a_file_not_a_path() -> None:
    with pytest.raises(ValueError):
        _manifest(file="/srv/sftp/dataset_4.parquet")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "no hash manifest"),
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"sha256": "00"}', "lacks size"),
    ],
)
def test_unusable_manifests_are_input_errors(
    tmp_path: Path, content: str | None, says: str
) -> None:
    data = tmp_path / "dataset_4.parquet"
    if content is not None:
        manifest_path(data).write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=says):
        read_manifest(data)


def test_a_manifest_with_a_bad_hash_is_an_input_error(tmp_path: Path) -> None:
    data = tmp_path / "dataset_4.parquet"
    obj = _manifest().to_json()
    obj["sha256"] = "not a hash"
    manifest_path(data).write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(InputFileError, match="sha256") as caught:
        read_manifest(data)
    assert "not a hash" not in str(caught.value)  # never echoes a value


# --------------------------------------------------------------------------- tampering


def _rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def _edit(line: bytes, rehash: bool = False, **changes: Any) -> bytes:
    obj = json.loads(line)
    obj.update(changes)
    if rehash:
        del obj["hash"]
        obj["hash"] = hashlib.sha256(canonical_json(obj).encode()).hexdigest()
    return (canonical_json(obj) + "\n").encode()


def test_editing_a_field_of_a_middle_line_is_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 5)
    lines = _lines(path)
    lines[2] = _edit(lines[2], rows=999)
    _rewrite(path, lines)
    state = read_ledger(path)
    assert _kinds(state) == [("edited", 3)]
    assert state.problems[0].seq == 3
    assert "999" not in state.problems[0].message
    assert len(state.events) == 5


def test_editing_and_rehashing_a_line_breaks_the_next_link(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 5)
    lines = _lines(path)
    lines[2] = _edit(lines[2], rehash=True, receiver="onderzoekers_swvg")
    _rewrite(path, lines)
    assert _kinds(read_ledger(path)) == [("removed_or_reordered", 4)]


def test_removing_a_line_is_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 5)
    lines = _lines(path)
    del lines[2]
    _rewrite(path, lines)
    assert _kinds(read_ledger(path)) == [("removed_or_reordered", 3), ("bad_seq", 3)]


def test_removing_the_first_line_is_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    _rewrite(path, _lines(path)[1:])
    assert _kinds(read_ledger(path)) == [("bad_first", 1)]


def test_swapping_two_lines_is_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 5)
    lines = _lines(path)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(path, lines)
    problems = _kinds(read_ledger(path))
    assert {("removed_or_reordered", n) for n in (2, 3, 4)} <= set(problems)
    assert ("out_of_order_time", 3) in problems


def test_a_line_that_is_not_json_is_reported_once(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 4)
    lines = _lines(path)
    lines[1] = b"this is not an event\n"
    _rewrite(path, lines)
    state = read_ledger(path)
    assert _kinds(state) == [("bad_json", 2)]
    assert [e.seq for e in state.events] == [1, 3, 4]


def test_an_event_missing_a_field_is_reported(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    lines = _lines(path)
    obj = json.loads(lines[1])
    del obj["sha256"]
    lines[1] = (canonical_json(obj) + "\n").encode()
    _rewrite(path, lines)
    assert _kinds(read_ledger(path)) == [("bad_event", 2)]


def test_the_same_content_written_otherwise_is_an_edit(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    lines = _lines(path)
    lines[1] = (json.dumps(json.loads(lines[1]), indent=1).replace("\n", " ") + "\n").encode()
    _rewrite(path, lines)
    assert _kinds(read_ledger(path)) == [("edited", 2)]


def test_times_out_of_order_are_found(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    lines = _lines(path)
    lines[2] = _edit(lines[2], rehash=True, time="2025-01-01T00:00:00+01:00")
    _rewrite(path, lines)
    assert _kinds(read_ledger(path)) == [("out_of_order_time", 3)]


# --------------------------------------------------------------------------- refusals


def _assert_refused(path: Path, draft: EventDraft, says: str) -> None:
    before = path.read_bytes()
    with pytest.raises(LedgerError, match=says):
        append_event(path, draft)
    assert path.read_bytes() == before


def test_a_truncated_last_line_is_reported_and_blocks_appending(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # a crash in the middle of the last write
    state = read_ledger(path)
    assert _kinds(state) == [("truncated_last_line", 3)]
    assert len(state.events) == 2
    _assert_refused(path, _sent(3), "not intact")


def test_a_last_line_without_its_newline_is_truncated_even_if_json(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 2)
    path.write_bytes(path.read_bytes()[:-1])
    assert _kinds(read_ledger(path)) == [("truncated_last_line", 2)]
    _assert_refused(path, _sent(2), "not intact")


def test_an_event_earlier_than_the_last_is_refused(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    _assert_refused(path, _sent(1), "time order")
    # The same instant in another offset is not earlier: times compare as instants.
    same = (START + timedelta(minutes=2)).astimezone(UTC).isoformat()
    assert append_event(path, _sent(9, time=same)).seq == 4


@pytest.mark.parametrize("when", ["2025-02-10T09:00:00", "2025-02-10", "next tuesday"])
def test_a_time_without_offset_is_refused(tmp_path: Path, when: str) -> None:
    path = _ledger(tmp_path, 1)
    _assert_refused(path, _sent(5, time=when), "offset")


def test_a_half_recorded_event_is_refused(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 1)
    _assert_refused(path, _sent(5, sha256=None), "sha256")
    _assert_refused(path, _sent(5, party="fons"), "sender")
    _assert_refused(path, _sent(5, kind="shredded"), "kind")


def test_a_ledger_edited_between_two_appends_is_refused(tmp_path: Path) -> None:
    # The same process appends again: what it verified before must still be checked.
    path = _ledger(tmp_path, 3)
    lines = _lines(path)
    lines[1] = lines[1].replace(b'"rows":101', b'"rows":102')
    _rewrite(path, lines)
    _assert_refused(path, _sent(3), "not intact")


def test_a_failing_check_writes_nothing(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 3)
    before = path.read_bytes()
    seen: list[int] = []

    def check(state: LedgerState) -> None:
        seen.append(len(state.events))
        raise ViolationError("art. 6: onderzoekers_swvg still hold dataset_4")

    with pytest.raises(ViolationError, match=r"art\. 6"):
        append_event(path, _sent(3), check=check)
    assert seen == [3]
    assert path.read_bytes() == before


def test_a_write_cut_short_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _ledger(tmp_path, 3)
    before = path.read_bytes()
    real_write = os.write

    def half(fd: int, data: bytes) -> int:  # a full disk: only part of the line gets out
        return real_write(fd, data[: len(data) // 2])

    with monkeypatch.context() as patched:
        patched.setattr(os, "write", half)
        with pytest.raises(LedgerError, match="as it was"):
            append_event(path, _sent(3))
    assert path.read_bytes() == before
    assert append_event(path, _sent(3)).seq == 4
    assert read_ledger(path).intact


def test_a_held_lock_times_out(tmp_path: Path) -> None:
    path = _ledger(tmp_path, 1)
    before = path.read_bytes()
    with open(tmp_path / "ledger.jsonl.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(LedgerError, match="lock"):
            append_event(path, _sent(1), lock_timeout=0.2)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- concurrency


def _append_many(path: str, worker: int, count: int) -> None:
    for i in range(count):
        append_event(
            Path(path),
            _sent(0, party="opgroeien_it", receiver=PAYERS[worker], rows=i),
        )


def _append_until_full(path: str, worker: int, count: int, limit: int) -> int:
    def room(state: LedgerState) -> None:
        if len(state.events) >= limit:
            raise ViolationError("the ledger is full")

    recorded = 0
    for i in range(count):
        try:
            append_event(Path(path), _sent(0, receiver=PAYERS[worker], rows=i), check=room)
            recorded += 1
        except ViolationError:
            pass
    return recorded


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(5) as pool:
        pool.starmap(_append_many, [(str(path), w, 50) for w in range(5)])
    state = read_ledger(path)
    assert state.intact
    assert [e.seq for e in state.events] == list(range(1, 251))
    assert path.read_bytes().count(b"\n") == 250
    for payer in PAYERS:  # each writer's events, all there, in its own order
        assert [e.rows for e in state.events if e.receiver == payer] == list(range(50))


def test_check_then_append_is_atomic_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(4) as pool:
        recorded = pool.starmap(_append_until_full, [(str(path), w, 30, 50) for w in range(4)])
    assert sum(recorded) == 50
    state = read_ledger(path)
    assert state.intact and len(state.events) == 50


def test_events_are_frozen(tmp_path: Path) -> None:
    (tmp_path / "ledger.jsonl").touch()
    event: Event = append_event(tmp_path / "ledger.jsonl", _sent(0))
    with pytest.raises(AttributeError):
        event.rows = 5  # type: ignore[misc]


# --- the fast path reads exactly what the slow path reads ----------------------------------------


def _varied_drafts() -> list[EventDraft]:
    """Events that take the fast path and events that must not: findings, escapes, keys,
    null fields, unusual text."""
    return [
        _sent(0),
        _sent(1, rows=0),
        _sent(2, keys=_sha("keys")),
        _sent(3, findings=({"rule": "dataset_1.insz.format", "count": 2},), violation=True),
        _sent(4, receiver="fons", party="opgroeien_it", hop='stap"3'),
        _sent(5, dataset="data\\set"),
        _sent(6, dataset="datäset ✓ ü"),
        _sent(7, dataset="tab\there"),
        EventDraft(
            time=(START + timedelta(minutes=8)).isoformat(),
            kind="milestone",
            contract=CONTRACT,
            contract_version="1.0.0",
            milestone="veldwerk_afgelopen",
            party="onderzoekers_swvg",
        ),
        EventDraft(
            time=(START + timedelta(minutes=9)).isoformat(),
            kind="destroyed",
            contract=CONTRACT,
            contract_version="1.0.0",
            party="fons",
            dataset="dataset_1",
        ),
        _sent(10, time=(START + timedelta(minutes=10)).astimezone(UTC).isoformat()),
    ]


def _both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[LedgerState, LedgerState]:
    from datacontract.ledger import chain as ledger

    fast = read_ledger(path)
    with monkeypatch.context() as patch:
        patch.setattr(ledger, "fast_fields", lambda text: None)
        slow = read_ledger(path)
    return fast, slow


def test_the_fast_path_reads_what_the_slow_path_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datacontract.ledger import fast as ledger_fast

    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    for draft in _varied_drafts():
        append_event(path, draft)
    fast, slow = _both_ways(path, monkeypatch)
    assert fast.intact and fast == slow
    taken = [ledger_fast.fast_fields(line[:-1].decode()) is not None for line in _lines(path)]
    assert taken == [True, True, True, False, False, False, True, False, True, True, True]


@pytest.mark.parametrize("position", range(0, 520, 7))
def test_the_fast_path_finds_every_edit_the_slow_path_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, position: int
) -> None:
    """Change one byte of a line, anywhere: both paths report the same problems."""
    path = tmp_path / "ledger.jsonl"
    path.touch()  # `ledger init`: an empty ledger
    for i in range(3):
        append_event(path, _sent(i))
    lines = _lines(path)
    middle = bytearray(lines[1])
    if position >= len(middle) - 1:
        pytest.skip("past the end of the line")
    for replacement in (b" ", b"0", b"\\", b'"', b"x"):
        changed = bytearray(middle)
        changed[position : position + 1] = replacement
        _rewrite(path, [lines[0], bytes(changed), lines[2]])
        fast, slow = _both_ways(path, monkeypatch)
        assert fast == slow, (position, replacement)
        if bytes(changed) != bytes(middle):
            assert not fast.intact
