"""`make lint` runs vulture over src, tests and benchmarks (pyproject's [tool.vulture]); CI runs
`make test`, so the same check runs here too, and a planted dead function shows it can fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _vulture(*paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vulture", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_no_dead_code() -> None:
    found = _vulture()
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_check_finds_a_planted_dead_function(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "def used() -> int:\n    return 1\n\n\ndef nobody_calls_me() -> int:\n    return 2\n\n\nused()\n"
    )
    found = _vulture(str(planted), "--min-confidence", "60")
    assert found.returncode != 0
    assert "nobody_calls_me" in found.stdout
