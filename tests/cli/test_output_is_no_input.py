"""--output never replaces what the command reads: the ledger, the data file, the contract,
the document imported. Refused with exit 2 before anything is written, whichever command."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

LEDGER = ROOT / "tests" / "fixtures" / "flows" / "background_while_contact_held" / "ledger.jsonl"
AT = "2025-12-31T12:00:00+01:00"


def _copies(tmp: Path) -> dict[str, Path]:
    ledger, contract, data = tmp / "ledger.jsonl", tmp / "contract.yaml", tmp / "d4.csv"
    shutil.copy(LEDGER, ledger)
    shutil.copy(CONTRACT, contract)
    data.write_text("x;y\n1;2\n", encoding="utf-8")
    odcs = tmp / "odcs.yaml"
    assert run_cli("export", "--format", "odcs", "--contract", contract, "--output", odcs).code == 0
    return {"ledger": ledger, "contract": contract, "data": data, "odcs": odcs}


# Each case: the command line (given the copies) and which copy it names as --output.
CASES: dict[str, tuple[Callable[[dict[str, Path]], list[object]], str]] = {
    "validate over its data file": (
        lambda p: ["validate", p["data"], "--contract", p["contract"], "--dataset", "dataset_4"],
        "data",
    ),
    "validate over its contract": (
        lambda p: ["validate", p["data"], "--contract", p["contract"], "--dataset", "dataset_4"],
        "contract",
    ),
    "prove over its ledger": (
        lambda p: ["prove", "--contract", p["contract"], "--ledger", p["ledger"], "--at", AT],
        "ledger",
    ),
    "lineage export over its ledger": (
        lambda p: ["lineage", "export", "--contract", p["contract"], "--ledger", p["ledger"]],
        "ledger",
    ),
    "coverage over its contract": (lambda p: ["coverage", "--contract", p["contract"]], "contract"),
    "export over its contract": (
        lambda p: ["export", "--format", "odcs", "--contract", p["contract"]],
        "contract",
    ),
    "import over its document": (lambda p: ["import", "--format", "odcs", p["odcs"]], "odcs"),
    "changelog over OLD": (lambda p: ["changelog", p["contract"], p["contract"]], "contract"),
}


@pytest.mark.parametrize("case", CASES)
def test_output_naming_an_input_is_refused(tmp_path: Path, case: str) -> None:
    paths = _copies(tmp_path)
    argv, target = CASES[case]
    before = paths[target].read_bytes()
    run = run_cli(*argv(paths), "--output", paths[target])  # type: ignore[arg-type]
    assert run.code == 2, run.everything
    assert "refusing to write over it" in run.stderr
    assert paths[target].read_bytes() == before


def test_another_output_is_written(tmp_path: Path) -> None:
    paths = _copies(tmp_path)
    out = tmp_path / "proof.json"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", paths["ledger"],
                  "--at", AT, "--format", "json", "--output", out)  # fmt: skip
    assert run.code in (0, 1) and out.stat().st_size > 0
