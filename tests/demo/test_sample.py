"""`datacontract sample`: synthetic rows derived from a contract validate against it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.sample_values import from_regex
from datacontract.personal.insz import is_valid_insz

DATASETS = [d.id for d in load_contract(CONTRACT).contract.datasets]


@pytest.mark.parametrize("ext", [".parquet", ".csv", ".json", ".jsonl", ".xlsx"])
@pytest.mark.parametrize("dataset", DATASETS)
def test_sampled_rows_validate(tmp_path: Path, dataset: str, ext: str) -> None:
    out = tmp_path / f"{dataset}{ext}"
    run = run_cli(
        "sample",
        "--contract",
        CONTRACT,
        "--dataset",
        dataset,
        "--rows",
        "150",
        "--seed",
        "3",
        "--output",
        out,
    )
    assert run.code == 0, run.everything
    check = run_cli("validate", out, "--contract", CONTRACT, "--dataset", dataset)
    assert check.code == 0, check.everything


def test_sample_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    for name in ("a", "b"):
        run = run_cli(
            "sample",
            "--contract",
            CONTRACT,
            "--dataset",
            "dataset_1",
            "--rows",
            "50",
            "--seed",
            "9",
            "--output",
            tmp_path / f"{name}.jsonl",
        )
        assert run.code == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_sampled_national_numbers_have_valid_check_digits(tmp_path: Path) -> None:
    import json

    out = tmp_path / "d1.jsonl"
    assert (
        run_cli(
            "sample",
            "--contract",
            CONTRACT,
            "--dataset",
            "dataset_1",
            "--rows",
            "40",
            "--output",
            out,
        ).code
        == 0
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40 and all(is_valid_insz(r["insz"]) for r in rows)
    assert len({r["ua"] for r in rows}) == 1  # dataset_1.one_payer


def test_unknown_extension_and_dataset_are_usage_errors(tmp_path: Path) -> None:
    bad = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_1", "--output", tmp_path / "x.txt"
    )
    assert bad.code == 2 and ".parquet" in bad.stderr
    unknown = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset9", "--output", tmp_path / "x.csv"
    )
    assert unknown.code == 2 and "dataset_1" in unknown.stderr


@pytest.mark.parametrize(
    "pattern",
    [r"^G[A-Z2-7]{16}$", r"^CG[0-9]{8}$", r"^(A|BB|C\+)/(x|y)-\d{2,4}$", r"^[a-c]+\.z?$"],
)
def test_strings_generated_from_a_pattern_match_it(pattern: str) -> None:
    import re

    rng = np.random.default_rng(1)
    for _ in range(50):
        assert re.fullmatch(pattern, str(from_regex(pattern, rng, 1)[0]))


@pytest.mark.parametrize("extension", [".ods", ".xlsx"])
def test_a_sample_spreadsheet_validates(tmp_path: Path, extension: str) -> None:
    out = tmp_path / f"x{extension}"
    made = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "30", "--output", out
    )
    assert made.code == 0, made.everything
    checked = run_cli("validate", out, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert checked.code == 0, checked.everything
