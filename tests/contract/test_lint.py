"""`datacontract lint`: the schema, then the loader's rules, then coverage, without data;
exit 0 clean, 1 with every problem named file:line:column: key, 2 for a file that is no YAML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_every_shipped_contract_lints_clean(path: Path) -> None:
    run = run_cli("lint", "--contract", path)
    assert run.code == 0, run.everything
    assert run.stdout.splitlines()[-1].startswith(f"OK {path}")


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in s
    )


def test_an_unresolved_reference_is_named_at_its_line(tmp_path: Path) -> None:
    path = _variant(tmp_path, "channel: sftp", "channel: sfpt")
    run = run_cli("lint", "--contract", path)
    assert run.code == 1
    line = _line_of(path, "channel: sfpt")
    assert re.search(
        rf"variant\.yaml:{line}:\d+: hops\[\w+\]\.channel: unknown channel 'sfpt' \(did you mean 'sftp'\?\); known: kring, sftp",
        run.stdout,
    ), run.stdout
    assert "found by the loader check" in run.stdout


def test_a_rule_naming_a_missing_column_is_a_problem(tmp_path: Path) -> None:
    path = _variant(tmp_path, "columns: [cgpa_code, insz]", "columns: [cgpa_code, inzs]")
    run = run_cli("lint", "--contract", path, "--format", "json")
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["ok"] is False
    problem = report["problems"][0]
    assert (
        problem["stage"] == "loader" and "unknown column of dataset_1 'inzs'" in problem["message"]
    )
    assert problem["line"] == _line_of(path, "columns: [cgpa_code, inzs]")


def test_an_item_that_nothing_encodes_fails_coverage(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "  - id: vg2.wezen\n",
        "  - id: vg2.weeskind\n    text: Wezen per kind\n    article: art. 3\n    status: not_encoded\n  - id: vg2.wezen\n",
    )
    run = run_cli("lint", "--contract", path)
    assert run.code == 1, run.everything
    line = _line_of(path, "id: vg2.weeskind")
    assert f"variant.yaml:{line}:5: items[vg2.weeskind]: is not encoded" in run.stdout


def test_show_values_without_values_is_a_loader_problem(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "        format: insz\n", "        format: insz\n        show_values: true\n"
    )
    run = run_cli("lint", "--contract", path)
    assert run.code == 1
    assert "show_values needs a list of values" in run.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "contract file not found"),
        ("a: [unclosed\n", "not valid YAML"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_file_that_is_no_yaml_is_exit_2(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "x.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    run = run_cli("lint", "--contract", path)
    assert run.code == 2 and message in run.stderr and "Traceback" not in run.everything
