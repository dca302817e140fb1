"""read/bounds.py and limits.py: nesting found exactly as a JSON parser would count it, only
regular files opened, columns and zip sizes refused before parsing."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacontract import limits
from datacontract.errors import InputFileError
from datacontract.read.bounds import check_workbook_zip, deepest_line, too_deep

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab[]{}"\\\n,: ', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _nest(value: Any, levels: int) -> Any:
    for i in range(levels):
        value = [value] if i % 2 else {"k[": value}
    return value


@settings(max_examples=200, deadline=None)
@given(value=_json, extra=st.integers(0, 8), limit=st.integers(1, 10))
def test_nesting_is_counted_as_a_parser_counts_it(value: Any, extra: int, limit: int) -> None:
    value = _nest(value, extra)
    line = json.dumps(value).encode()
    deep = _depth(value) > limit
    assert too_deep(line, limit) is deep
    assert deepest_line(b'{"a": 1}\n' + line + b"\n", limit) == (1 if deep else None)


def test_deep_nesting_is_found_fast_without_recursion() -> None:
    line = b"[" * 1_000_000 + b"]" * 1_000_000
    assert deepest_line(line) == 0
    assert not too_deep(b"[]" * 1_000_000)


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_only_regular_files_are_opened(tmp_path: Path, kind: str) -> None:
    path = {"fifo": tmp_path / "f", "directory": tmp_path, "device": Path("/dev/zero")}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(limits.NotRegularFile):
        limits.open_regular(path)  # returns at once: never blocks on the FIFO
    with pytest.raises(limits.NotRegularFile):
        limits.read_regular(path, 10, "a test")


def test_read_regular_never_reads_past_the_limit(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(limits.TooLarge, match="100 bytes"):
        limits.read_regular(tmp_path / "big", 100, "a test")
    assert limits.read_regular(tmp_path / "big", 101, "a test") == b"x" * 101


def test_a_zip_is_judged_by_its_declared_sizes_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"\0" * (limits.INFLATE_RATIO_FROM * 4))
    with pytest.raises(InputFileError, match="times"):
        check_workbook_zip(str(bomb), str(bomb))
    fine = tmp_path / "fine.xlsx"
    with zipfile.ZipFile(fine, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", os.urandom(1 << 16))
    check_workbook_zip(str(fine), str(fine))
