"""A file name cannot become a CI runner's command, in any format or message (report/inert.py).

GitHub reads `::command::` at the start of any log line, stdout or stderr; Azure reads
`##vso[` anywhere in a line. A file named to forge either is printed defused everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli

OURS = re.compile(r"^(::(error|warning|notice) (file|title)=|##vso\[task\.logissue )")
NAMES = ["a\n::error::forged.csv", "::warning::forged.csv", "g##vso[task.prependpath]evil.csv"]


def _forged(text: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if (line.lstrip().startswith("::") or "##vso[" in line) and not OURS.match(line)
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "azure", "sarif"])
@pytest.mark.parametrize("name", NAMES)
def test_a_file_name_forges_no_ci_command(tmp_path: Path, fmt: str, name: str) -> None:
    present = tmp_path / name.replace("\n", "_")
    present.write_text("x;y\n1;2\n", encoding="utf-8")
    missing = tmp_path / f"{name}-missing.csv"
    run = run_cli(
        "validate", present, missing, "--contract", CONTRACT, "--dataset", "dataset_4",
        "--format", fmt,
    )  # fmt: skip
    assert run.code == 2  # the missing one is unusable, the other refused
    assert _forged(run.stdout + "\n" + run.stderr) == []


def test_the_check_sees_a_forged_line() -> None:
    assert _forged("ok\n::error::x\n  ::set-output name=a::b\nz ##vso[task.setvariable]")
    assert not _forged("::error file=a.csv,title=r::m\n##vso[task.logissue type=error]m")
