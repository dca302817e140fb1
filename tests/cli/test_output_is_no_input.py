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


def _checkpoint_files(tmp: Path) -> dict[str, Path]:
    """A ledger with its contract binding beside it, the operator's key and a keyring."""
    paths = _copies(tmp)
    keys = tmp / "keys"
    assert run_cli("keys", "new", "--party", "operator", "--out", keys).code == 0
    binding = paths["ledger"].with_name(paths["ledger"].name + ".contract")
    binding.write_text('{"contract":"x","version":"1"}', encoding="utf-8")
    return {**paths, "key": keys / "operator.key", "pub": keys / "operator.pub",
            "binding": binding, "keys": keys}  # fmt: skip


@pytest.mark.parametrize("target", ["ledger", "key", "pub", "binding", "contract"])
@pytest.mark.parametrize("written", ["--state", "--output"])
def test_checkpoint_never_writes_over_what_it_reads(
    tmp_path: Path, target: str, written: str
) -> None:
    """Review s21 (1): every option that writes a file has the --output guard: --state over
    the ledger, its contract binding, the signing key, a key in the keyring, the contract."""
    paths = _checkpoint_files(tmp_path)
    before = paths[target].read_bytes()
    run = run_cli("ledger", "checkpoint", "--ledger", paths["ledger"], "--key", paths["key"],
                  "--contract", paths["contract"], "--keyring", paths["keys"],
                  written, paths[target])  # fmt: skip
    assert run.code == 2, run.everything
    assert "refusing to write over it" in run.stderr and written in run.stderr, run.stderr
    assert str(tmp_path) not in run.everything
    assert paths[target].read_bytes() == before


def test_state_and_output_one_file_is_refused(tmp_path: Path) -> None:
    """Review s21 (1): --state X --output X would put one over the other."""
    paths = _checkpoint_files(tmp_path)
    both = tmp_path / "both.txt"
    run = run_cli("ledger", "checkpoint", "--ledger", paths["ledger"], "--key", paths["key"],
                  "--contract", paths["contract"], "--state", both, "--output", both)  # fmt: skip
    assert run.code == 2, run.everything
    assert "--state" in run.stderr and "--output" in run.stderr, run.stderr
    assert not both.exists()
