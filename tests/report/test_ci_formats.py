"""What CI sees of `validate`: GitHub and Azure annotations, the job summary, SARIF validated
against the OASIS schema, plain one-line findings in a log, several files with the worst exit
code, header-only files, counts, row numbering and --output, all through the command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.personal.insz import make_insz

SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
NUMBERS = [make_insz(dt.date(1981, 3, 14), 101 + 2 * i) for i in range(30)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A valid dataset_4 file, one that carries national numbers in an extra column, one
    with only a header. (The folder's name is plain: a path with other characters is named
    by its position, contract/names.py rule 3, tested in tests/report/test_names_shown.py.)"""
    out = tmp_path_factory.mktemp("ci") / "exports_2025"
    out.mkdir()
    good = out / "good.csv"
    run = run_cli(
        "sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "30",
        "--output", good,
    )  # fmt: skip
    assert run.code == 0, run.everything
    with good.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    bad = out / "bad.parquet"
    columns = {name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}
    columns["rijksregisternummer"] = NUMBERS[: len(rows) - 1]
    pq.write_table(pa.table(columns), bad)
    empty = out / "empty.csv"
    empty.write_text(",".join(rows[0]) + "\n", encoding="utf-8")
    return {"good": good, "bad": bad, "empty": empty}


def validate(*args: str | Path) -> tuple[int, str, str]:
    run = run_cli("validate", *args, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert "Traceback" not in run.everything and "internal error" not in run.everything
    for number in NUMBERS:
        assert number not in run.everything  # no cell value, in any format
    return run.code, run.stdout, run.stderr


def findings_of(path: Path) -> list[dict[str, object]]:
    _, out, _ = validate(path, "--format", "json")
    violations = json.loads(out)["violations"]
    assert isinstance(violations, list)
    return violations


def test_sarif_validates_against_the_oasis_schema(files: dict[str, Path]) -> None:
    code, out, _ = validate(files["good"], files["bad"], files["empty"], "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "datacontract" and re.match(r"^\d+\.\d+", driver["version"])
    rules = {rule["id"]: rule for rule in driver["rules"]}
    # one rule per contract rule checked (JUnit lists them), each with its article as help
    junit = validate(files["good"], "--format", "junit")[1]
    checked = set(re.findall(r'<testcase name="([^"]+)"', junit))
    assert len(checked) >= 20 and checked <= set(rules)
    assert len(driver["rules"]) == len(rules)  # no rule twice
    no_insz = rules["dataset_4.no_insz"]
    assert "D3 stap 5" in no_insz["help"]["text"] and "insz" in no_insz["help"]["text"]
    expected = findings_of(files["bad"])
    results = run["results"]
    assert len(results) == len(expected) >= 2
    for result in results:
        assert result["ruleId"] in rules and result["level"] == "error"
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("bad.parquet")
        assert location["region"]["startLine"] == 1
    notices = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"][:22] for n in notices] == ["0 rows; header only: n"]


def test_one_github_annotation_per_finding_escaped(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = validate(files["bad"], files["empty"], "--format", "github")
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    expected = findings_of(files["bad"])
    assert len(errors) == len(expected)
    folder = str(files["bad"].parent).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    for line, finding in zip(errors, expected, strict=True):
        properties, message = line.removeprefix("::error ").split("::", 1)
        assert properties == f"file={folder}/bad.parquet,title={finding['rule']}"
        assert str(finding["article"]) in message and "\n" not in message
    assert any("rows 1, 2, 3, 4, 5 ..." in line for line in errors)
    warnings = [line for line in out.splitlines() if line.startswith("::warning ")]
    assert len(warnings) == 1 and "title=header only::0 rows; header only" in warnings[0]
    assert any(line.startswith("REFUSED ") for line in out.splitlines())
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### datacontract validate: 1 file of 2 refused")
    assert text.count("| refused |") == len(expected)
    assert "dataset\\_4\\.no\\_insz" in text and "header only, 0 rows" in text


def test_github_properties_and_data_escape_what_the_runner_parses() -> None:
    from datacontract.report.annotations import azure_command, github_command

    line = github_command("error", "50% of\r\nrows", file="a,b:c%.csv", title="x:y,z")
    # a CR is a control character: made inert (U+FFFD) before the runner's escaping
    assert line == "::error file=a%2Cb%3Ac%25.csv,title=x%3Ay%2Cz::50%25 of\ufffd%0Arows"
    line = azure_command("error", "50% ]\n", sourcepath="a;b].csv", code="r")
    assert line == "##vso[task.logissue type=error;sourcepath=a%3Bb%5D.csv;code=r]50%AZP25 ]%0A"


def test_azure_logging_commands_one_per_finding(files: dict[str, Path]) -> None:
    code, out, _ = validate(files["bad"], "--format", "azure")
    assert code == 1
    issues = [line for line in out.splitlines() if line.startswith("##vso[task.logissue ")]
    rules = [str(f["rule"]) for f in findings_of(files["bad"])]
    assert [re.search(r";code=([^;\]]+)\]", line).group(1) for line in issues] == rules  # type: ignore[union-attr]
    assert all("type=error;sourcepath=" in line for line in issues)


def test_plain_text_in_a_log_is_one_line_per_verdict_and_finding(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 8)
    deep.mkdir(parents=True)
    long_column = "opmerking_van_de_uitbetalingsactor_die_langer_is_dan_een_terminal_breed_is"
    path = deep / "d4.csv"
    run_cli("sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--rows", "4",
            "--output", path)  # fmt: skip
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*rows[0], long_column], *[[*r, "x"] for r in rows[1:]]])
    code, out, _ = validate(path)  # CliRunner: stdout is not a terminal
    assert code == 1
    lines = out.splitlines()
    verdict = f"REFUSED {path}: 1 violation of groeipakket-toereikendheid-2025 1.0.0 / dataset_4"
    assert lines[0].startswith(verdict) and lines[0].endswith("in a file of 4 data rows")
    finding = next(line for line in lines if "columns.allowed" in line)
    assert finding.startswith(f"{path}: dataset_4.columns.allowed (")
    # an undeclared column is named by its position (issue 22.3), however long its name
    at = len(rows[0]) + 1
    assert f"column {at} (not in the contract) is not allowed in dataset_4 (all 4 rows)" in finding
    assert long_column not in out
    assert not any(c in out for c in "┏│━")  # no table, no box drawing in a log
    assert "(s)" not in out


def test_header_only_file_passes_with_a_notice_in_every_format(files: dict[str, Path]) -> None:
    code, out, _ = validate(files["empty"])
    assert code == 0
    assert out.startswith(f"VALID {files['empty']}: 0 rows; header only")
    code, out, _ = validate(files["empty"], "--format", "json")
    assert code == 0 and json.loads(out)["notices"][0].startswith("0 rows; header only")
    code, out, _ = validate(files["empty"], "--format", "junit")
    assert 'name="notice" value="0 rows; header only' in out


def test_row_numbers_state_their_base(files: dict[str, Path]) -> None:
    _, out, _ = validate(files["bad"])
    assert "rows 1, 2, 3, 4, 5 ..." in out
    assert out.rstrip().endswith("(row numbers: row 1 is the first data row after the header)")
    report = json.loads(validate(files["bad"], "--format", "json")[1])
    assert report["row_numbers"] == "row 1 is the first data row after the header"


def test_several_files_one_report_and_the_worst_exit_code(
    files: dict[str, Path], tmp_path: Path
) -> None:
    code, out, _ = validate(files["good"], files["empty"])
    assert code == 0 and out.count("VALID ") == 2
    code, out, _ = validate(files["good"], files["bad"], "--format", "json")
    assert code == 1 and [r["valid"] for r in json.loads(out)] == [True, False]
    missing = tmp_path / "missing.csv"
    code, out, err = validate(files["good"], missing, files["bad"], "--format", "github")
    assert code == 2
    assert f"VALID {files['good']}" in out and f"REFUSED {files['bad']}" in out
    assert "missing.csv" in err and "::error file=" in out and "title=unusable input" in out


def test_output_says_where_it_wrote(files: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    code, out, err = validate(files["bad"], "--format", "sarif", "--output", target)
    assert code == 1 and out == ""
    assert err.strip() == f"the report written to {target}"
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_junit_names_each_file(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    files = []
    for name in ("a.csv", "b.csv"):
        path = tmp_path / name
        path.write_text("x;y\n1;2\n", encoding="utf-8")
        files.append(path)
    run = run_cli("validate", *files, "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--format", "junit")  # fmt: skip
    suites = ET.fromstring(run.stdout.split("?>", 1)[1])
    named = [s.get("file") for s in suites.iter("testsuite")]
    assert named == [str(f) for f in files]
    names = [s.get("name") or "" for s in suites.iter("testsuite")]
    assert all(str(f) in n for f, n in zip(files, names, strict=True))


@pytest.mark.parametrize("others", [0, 1], ids=["only an unreadable file", "beside a good one"])
def test_an_unreadable_file_is_in_the_sarif_log_and_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: int
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("x;y\n1;2\n", encoding="utf-8")
    missing = tmp_path / "missing.csv"
    files = [good, missing] if others else [missing]
    out = tmp_path / "log.sarif"
    run = run_cli("validate", *files, "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--format", "sarif", "--output", out)  # fmt: skip
    assert run.code == 2
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(
        log, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator
    )
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    uris = [
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for n in invocation["toolExecutionNotifications"]
        if n["level"] == "error"
    ]
    assert len(uris) == 1 and uris[0].endswith("missing.csv")

    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_cli("validate", *files, "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--format", "github")  # fmt: skip
    assert run.code == 2
    text = summary.read_text(encoding="utf-8")
    assert "could not be checked" in text and f"of {len(files)}" in text
    assert re.search(r"missing\\?\.csv \| not checked", text), text
