"""docs/contracts.md lists every interpretation of every contract in one place.

Each `NOT FROM THE PROTOCOL` marker of a contract's YAML (a comment: what the text does not say,
and why the contract reads it so) is a row of the contract's table under "Interpretations,
protocol by protocol", with the YAML key it stands above and its reason; a marker added,
changed or removed without the table fails here (issue 24: an auditor reads them in one place).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import ROOT

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
MARK = "NOT FROM THE PROTOCOL"


def _unquoted(text: str) -> int:
    """The markers in a text, not counting the convention's own mention ("NOT FROM ...")."""
    return text.count(MARK) - text.count(f'"{MARK}"')


def interpretations(path: Path) -> list[tuple[str, str]]:
    """(the YAML line a comment stands above, the comment), for every comment block that
    holds a marker, in file order: the whole block, so that an inline marker ("(NOT FROM THE
    PROTOCOL: the sign)") keeps the sentence it qualifies."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("#"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("#"):
            j += 1
        block = " ".join(line.lstrip()[1:].strip() for line in lines[i:j]).strip()
        if _unquoted(block):
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            where = lines[k].strip() if k < len(lines) else "(end)"
            out.append((where[:70], block))
        i = j
    return out


def rows(path: Path) -> list[str]:
    """The table rows of a contract's interpretations, as docs/contracts.md shows them."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return [f"| `{cell(where)}` | {cell(reason)} |" for where, reason in interpretations(path)]


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_interpretation_is_in_the_docs_table(path: Path) -> None:
    doc = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    section = doc.split("## Interpretations, protocol by protocol", 1)[1]
    part = section.split(f"### `{path.stem}`", 1)[1].split("\n### ", 1)[0]
    table = [line for line in part.splitlines() if line.startswith("| `")]
    wanted = rows(path)
    assert wanted, f"{path.name} marks no interpretation"
    assert table == wanted, f"regenerate the interpretations of {path.name} in docs/contracts.md"
    # a marker may be broken over two comment lines: count it in the joined text
    text = re.sub(r"\s*\n\s*#\s*", " ", path.read_text(encoding="utf-8"))
    assert sum(_unquoted(reason) for _, reason in interpretations(path)) == _unquoted(text)


def test_every_marker_gives_a_reason() -> None:
    for path in CONTRACTS:
        for where, reason in interpretations(path):
            after = reason.split(MARK, 1)[1]
            assert len(re.findall(r"\w+", after)) >= 2, (path.name, where)
