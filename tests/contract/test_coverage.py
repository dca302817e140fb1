"""`datacontract coverage`, and the rule that every shipped contract is fully covered and cited.

The last test is the CI guard: a column or rule that loses its article citation, or an
article-3 item that is neither encoded nor marked by reference, fails `make test`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.contract.coverage import coverage
from datacontract.contract.load import load_contract

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


def test_the_adequacy_contract_covers_article_3(tmp_path: Path) -> None:
    for fmt in ("text", "json", "markdown"):
        out = tmp_path / f"coverage.{fmt}"
        run = run_cli("coverage", "--contract", CONTRACT, "--format", fmt, "--output", out)
        assert run.code == 0, run.everything
    report = json.loads((tmp_path / "coverage.json").read_text(encoding="utf-8"))
    assert report["holds"] is True and report["totals"]["not_encoded"] == 0
    items = {i["id"]: i for i in report["items"]}
    assert (
        "achtergrond.inkomen_bruto_belastbaar_klasse"
        in items["vg3.bruto_belastbaar_inkomen"]["encoded_by"]
    )
    assert "achtergrond.excluded_allowances" in items["vg4.niet_opgenomen"]["encoded_by"]
    markdown = (tmp_path / "coverage.markdown").read_text(encoding="utf-8")
    assert "| `vg1.insz_inkomensverstrekkers` |" in markdown


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / CONTRACT.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_item_not_encoded_fails(tmp_path: Path) -> None:
    path = _edited(tmp_path, "  - id: vg2.wezen\n", "  - id: vg2.wezen\n    status: not_encoded\n")
    run = run_cli("coverage", "--contract", path, "--format", "json")
    assert run.code == 1
    assert json.loads(run.stdout)["totals"]["not_encoded"] == 1


def test_an_item_marked_by_reference_holds(tmp_path: Path) -> None:
    path = _edited(tmp_path, "  - id: vg2.wezen\n", "  - id: vg2.wezen\n    status: by_reference\n")
    assert run_cli("coverage", "--contract", path).code == 0


def test_an_encoded_item_must_name_what_encodes_it(tmp_path: Path) -> None:
    path = _edited(tmp_path, "encoded_by: [achtergrond.wezen]", "encoded_by: []")
    run = run_cli("coverage", "--contract", path)
    assert run.code == 2 and "names nothing that encodes it" in run.stderr


def test_a_column_without_article_fails_coverage(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        "        article: art. 3, variabelengroep 2 (aantal kinderen in gezin)\n",
        "",
    )
    run = run_cli("coverage", "--contract", path)
    assert run.code == 1 and "no article citation" in run.stderr


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_shipped_contract_cites_and_covers(path: Path) -> None:
    """Loading fails on a column or rule without an article; coverage on an unmarked item."""
    cov = coverage(load_contract(path).contract)
    assert cov.holds, [i.id for i in cov.items if i.status == "not_encoded"] or "no items listed"


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_docs_show_each_contracts_coverage_table_as_generated(path: Path) -> None:
    """docs/contracts.md has a section per contract whose table is what `coverage` prints."""
    doc = (ROOT / "docs" / "contracts.md").read_text(encoding="utf-8")
    assert f"`contracts/{path.name}`" in doc
    run = run_cli("coverage", "--contract", path, "--format", "markdown")
    rows = [line for line in run.stdout.splitlines() if line.startswith("| `")]
    assert rows
    missing = [row for row in rows if row not in doc]
    assert not missing, f"regenerate the table of {path.name} in docs/contracts.md: {missing}"
