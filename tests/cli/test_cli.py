"""The published command line (shared/spec/cli.md): exit codes, messages and the JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli


def _validate(*args: str | Path) -> tuple[int, str, str]:
    run = run_cli("validate", *args)
    assert "Traceback" not in run.everything
    return run.code, run.stdout, run.stderr


def test_valid_file_exits_0_with_the_published_json(study_dir: dict[str, Path]) -> None:
    path = study_dir["dataset_4"]
    code, out, _ = _validate(
        path, "--contract", CONTRACT, "--dataset", "dataset_4", "--format", "json"
    )
    assert code == 0
    report = json.loads(out)
    types = {
        "contract": str,
        "dataset": str,
        "file": str,
        "sha256": str,
        "rows": int,
        "valid": bool,
        "violations": list,
    }
    for key, kind in types.items():
        assert isinstance(report[key], kind), key
    assert report["contract"] == "groeipakket-toereikendheid-2025"
    assert report["dataset"] == "dataset_4"
    assert report["rows"] == pq.read_metadata(path).num_rows
    assert len(report["sha256"]) == 64 and report["valid"] is True and report["violations"] == []


def test_violation_exits_1_with_rule_column_count_article(
    study_dir: dict[str, Path], tmp_path: Path
) -> None:
    table = pq.read_table(study_dir["dataset_4"])
    path = tmp_path / "d4.parquet"
    pq.write_table(table.append_column("cgpa_code", pa.array(["x"] * table.num_rows)), path)
    out_file = tmp_path / "report.json"
    code, out, _ = _validate(
        path,
        "--contract",
        CONTRACT,
        "--dataset",
        "dataset_4",
        "--format",
        "json",
        "--output",
        out_file,
    )
    assert code == 1
    assert out == ""  # the report went to --output
    report = json.loads(out_file.read_text(encoding="utf-8"))
    assert report["valid"] is False
    for violation in report["violations"]:
        assert set(violation) >= {"rule", "column", "count", "article", "message"}
        assert isinstance(violation["count"], int) and violation["count"] > 0
    by_rule = {v["rule"]: v for v in report["violations"]}
    assert by_rule["dataset_4.columns.allowed"]["column"] == "cgpa_code"
    assert by_rule["dataset_4.no_identifier_columns"]["article"]


def test_junit_has_one_case_per_rule(study_dir: dict[str, Path], tmp_path: Path) -> None:
    out_file = tmp_path / "report.xml"
    code, _, _ = _validate(
        study_dir["achtergrond"],
        "--contract",
        CONTRACT,
        "--dataset",
        "achtergrond",
        "--format",
        "junit",
        "--output",
        out_file,
    )
    assert code == 0
    cases = list(ET.parse(out_file).getroot().iter("testcase"))
    names = [c.get("name") for c in cases]
    assert len(names) == len(set(names)) > 20
    assert "achtergrond.age_classes_add_up" in names
    assert all(c.find("failure") is None for c in cases)


def test_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.parquet"
    code, _, err = _validate(missing, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert code == 2
    assert "nowhere.parquet" in err


def test_ragged_csv_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("gezinscode;ua;stratum;email\nGAAAAAAAAAAAAAAAA;FONS;FONS/1/0-5/I1;\nx;y\n")
    code, _, err = _validate(path, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert code == 2
    assert "ragged.csv" in err and "3" in err


def test_wrong_encoding_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("gezinscode;ua;stratum;email\nG;FONS;s;caf\xe9@example.be\n".encode("latin-1"))
    code, _, err = _validate(path, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert code == 2
    assert "latin1.csv" in err


def test_unknown_dataset_exits_2_with_a_suggestion(study_dir: dict[str, Path]) -> None:
    code, _, err = _validate(
        study_dir["dataset_4"], "--contract", CONTRACT, "--dataset", "dataset4"
    )
    assert code == 2
    assert "dataset_4" in err


def test_contract_with_a_typo_exits_2_with_place_and_suggestion(
    study_dir: dict[str, Path], tmp_path: Path
) -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    broken = tmp_path / "typo.yaml"
    broken.write_text(text.replace("    columns:\n", "    colums:\n", 1), encoding="utf-8")
    line = text[: text.index("    columns:\n")].count("\n") + 1
    code, _, err = _validate(study_dir["dataset_4"], "--contract", broken, "--dataset", "dataset_4")
    assert code == 2
    assert f"typo.yaml:{line}:5" in err
    assert "did you mean 'columns'" in err


def test_missing_option_exits_2(study_dir: dict[str, Path]) -> None:
    code, _, err = _validate(study_dir["dataset_4"], "--dataset", "dataset_4")
    assert code == 2
    assert "--contract" in err


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "datacontract", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "validate" in done.stdout


def test_output_to_a_device_writes_through(study_dir: dict[str, Path]) -> None:
    """--output /dev/null must not replace the device with a regular file."""
    devnull = Path("/dev/null")
    if not devnull.exists() or devnull.is_file():
        pytest.skip("no /dev/null device here")
    code, _, _ = _validate(
        study_dir["dataset_4"], "--contract", CONTRACT, "--dataset", "dataset_4",
        "--format", "json", "--output", devnull,
    )  # fmt: skip
    assert code == 0
    assert devnull.exists() and not devnull.is_file()
