"""report/inert.py and output.py: what is printed is inert, what is written is written safely."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from datacontract.output import write_file, writing
from datacontract.report.inert import json_text, markup, plain

HOSTILE = [
    "x[/]",
    "[link=https://example.invalid]y[/link]",
    "[bold red]z",
    "back\\",
    "\x1b[2J\x1b]8;;https://example.invalid\x07",
    "\x9b31m",
    "\u202eevil\u2066",
    "line\nbreak\r",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_rich_prints_an_escaped_string_as_it_is(text: str) -> None:
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(file=buffer, width=300, highlight=False, color_system=None).print(
        f"[bold]{markup(text)}[/]"
    )
    shown = buffer.getvalue()
    assert shown == plain(text) + "\n"  # every character shown, none interpreted
    for control in "\x1b\x07\x9b\u202e\u2066\r":
        assert control not in shown


def test_json_keeps_the_value_and_loses_the_controls() -> None:
    document = json.dumps(HOSTILE, ensure_ascii=False)
    inert = json_text(document)
    assert json.loads(inert) == HOSTILE
    assert not any(c in inert for c in "\x1b\x07\x9b\u202e\u2066")


def test_a_message_keeps_its_lines_a_name_does_not() -> None:
    assert plain("a\nb", lines=True) == "a\nb"
    assert "\n" not in plain("a\nb")


def test_the_writer_never_follows_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    for name in (".r.json.tmp", "r.json.tmp"):
        (tmp_path / name).symlink_to(victim)
    write_file(tmp_path / "r.json", "{}")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == "{}"


def test_the_writer_ignores_the_umask_for_group_and_world_write(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_file(tmp_path / "new" / "deeper" / "r.txt", "x")
        write_file(tmp_path / "key.txt", "secret", private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new" / "deeper" / "r.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "key.txt").stat().st_mode) == 0o600


def test_concurrent_writers_never_mix(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    texts = [str(i) * 100_000 for i in range(8)]
    threads = [threading.Thread(target=write_file, args=(target, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text(encoding="utf-8") in texts
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_a_failed_write_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), writing(target) as out:
        out.write(b"half")
        raise RuntimeError("stop")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]
