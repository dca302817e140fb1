"""Issue 27: a refusal says what to do. A type refusal names the form found and the form
expected, and where the recipe to convert is; it never shows a cell."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import ROOT, run_cli

from datacontract.check.coerce import EXPECTED

TYPED = """
contract: typed
version: 0.0.1
title: one column of each type
protocol: {title: typed, date: 2025-01-01, seed: typed.txt}
parties: [{id: a, name: A, article: art. 1}]
datasets:
  - id: typed
    title: typed
    article: art. 2
    columns:
      - {name: code, category: pseudonym, article: art. 3.1}
      - {name: dag, type: date, nullable: true, category: background, article: art. 3.2}
      - {name: tijd, type: datetime, nullable: true, category: background, article: art. 3.3}
      - {name: aantal, type: integer, nullable: true, category: background, article: art. 3.4}
      - {name: bedrag, type: number, nullable: true, category: background, article: art. 3.5}
      - {name: actief, type: boolean, nullable: true, category: background, article: art. 3.6}
"""

GOOD = {"dag": "2025-03-01", "tijd": "2025-03-01T09:30:00+01:00", "aantal": "3",
        "bedrag": "3,5", "actief": "ja"}  # fmt: skip

# (column, cell written, the form the message must name)
CASES = [
    ("dag", "31/12/2024", "dd/mm/yyyy"),
    ("dag", "1/2/2024", "dd/mm/yyyy"),
    ("dag", "31-12-2024", "dd-mm-yyyy"),
    ("dag", "31.12.2024", "dd.mm.yyyy"),
    ("dag", "2024/12/31", "yyyy/mm/dd"),
    ("dag", "20241231", "yyyymmdd"),
    ("dag", "45657", "a whole number (Excel's serial day number?)"),
    ("dag", "2024-02-30", "yyyy-mm-dd with a day the calendar lacks"),
    ("dag", "2024-12-31T10:00:00", "yyyy-mm-ddThh:mm:ss"),
    ("dag", "morgen vroeg", "another form"),
    ("tijd", "31/12/2024 10:00", "dd/mm/yyyy hh:mm"),
    ("tijd", "2024-12-31", "yyyy-mm-dd (no time)"),
    ("aantal", "3,5", "a number with decimals"),
    ("aantal", "1.234", "a number with thousands separators"),
    ("bedrag", "1.234,56", "a number with thousands separators (1.234,5)"),
    ("bedrag", "12 %", "a number with a unit"),
    ("actief", "j", "a one-word yes or no"),
]


def _contract(tmp_path: Path) -> Path:
    path = tmp_path / "typed.yaml"
    path.write_text(TYPED, encoding="utf-8")
    return path


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["code", *GOOD])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("column", "cell", "form"), CASES)
def test_a_type_refusal_names_the_form_found_and_expected_never_the_cell(
    column: str, cell: str, form: str, tmp_path: Path
) -> None:
    rows = [{"code": f"T{i:03}", **GOOD} for i in range(1, 6)]
    for row in rows[1::2]:
        row[column] = cell  # rows 2 and 4
    data = _csv(tmp_path / "typed.csv", rows)
    run = run_cli("validate", data, "--contract", _contract(tmp_path), "--dataset", "typed")
    assert run.code == 1, run.everything
    (line,) = [line for line in run.stdout.splitlines() if f"typed.{column}.type" in line]
    assert f"found {form}" in line, line
    assert "(2 rows)" in line and "rows 2, 4" in line
    declared = re.search(rf"name: {column}, type: (\w+)", TYPED)
    assert declared is not None
    assert f"expected {EXPECTED[declared.group(1)]}" in line
    assert "docs/converting.md#" in line
    scrubbed = run.everything.replace(form, "").replace(EXPECTED[declared.group(1)], "")
    scrubbed = re.sub(r"found .*?; expected", "", scrubbed)  # the forms' names and examples
    if len(cell) > 1:
        assert cell not in scrubbed
    if len(cell) > 2:
        assert cell not in run.everything.replace(form, "").replace("1.234,5", "")


def test_a_typed_format_names_the_type_it_stored(tmp_path: Path) -> None:
    when = pa.array([pa.scalar(0, pa.timestamp("s")).as_py()] * 3, pa.timestamp("s"))
    table = pa.table({
        "code": ["T001", "T002", "T003"], "dag": when, "tijd": [None] * 3,
        "aantal": [1.5, 2.0, None], "bedrag": [None] * 3, "actief": [None] * 3,
    })  # fmt: skip
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    run = run_cli("validate", path, "--contract", _contract(tmp_path), "--dataset", "typed",
                  "--format", "json")  # fmt: skip
    assert run.code == 1, run.everything
    messages = {v["rule"]: v["message"] for v in json.loads(run.stdout)["violations"]}
    assert "found a timestamp (date and time) (3 rows)" in messages["typed.dag.type"]
    assert "found numbers (with decimals, or too large) (1 row)" in messages["typed.aantal.type"]


def test_every_anchor_a_refusal_names_is_a_section_of_the_recipes() -> None:
    from datacontract.check.coerce import type_advice

    text = (ROOT / "docs" / "converting.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", text, re.M)
    }
    for declared in EXPECTED:
        advice = type_advice(declared, {"another form": 1})  # type: ignore[arg-type]
        anchor = advice.rsplit("#", 1)[1]
        assert anchor in anchors, f"docs/converting.md lacks a section '{anchor}'"
    for source in ("Excel", "pandas", "SQL"):
        assert text.count(source) >= 3, source


def _dataset_4_with_bad_rows(path: Path) -> Path:
    """A synthetic dataset_4 CSV: a column it may not carry, and a `ua` no payer has in
    rows 2 and 5 (data rows, the header not counted)."""
    from tests.cli.test_ci_setups import sample

    sample(path, rows=8)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for i in (1, 4):
        rows[i]["ua"] = "ONBEKEND"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [*rows[0], "opmerking"])
        writer.writeheader()
        writer.writerows({**r, "opmerking": "x"} for r in rows)
    return path


def _finding_lines(text: str) -> set[str]:
    """`rule (article): message; rows ...` of every finding, without the file's name."""
    out = set()
    for line in text.splitlines():
        found = re.search(r"(dataset_4\.\S+ \(.*)$", line)
        if found:
            out.add(found.group(1))
    return out


@pytest.mark.parametrize("hook", ["send", "receive"])
def test_a_hook_refusal_gives_validates_findings_with_their_rows(hook: str, tmp_path: Path) -> None:
    from tests.conftest import CONTRACT

    data = _dataset_4_with_bad_rows(tmp_path / "dataset_4.csv")
    checked = run_cli("validate", data, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert checked.code == 1, checked.everything
    expected = _finding_lines(checked.stdout)
    assert any("; rows 2, 5" in line for line in expected), expected
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    base = ["--contract", CONTRACT, "--hop", "stap6_contact", "--ledger", ledger]
    if hook == "receive":  # a send recorded as a violation leaves the manifest to receive on
        sent = run_cli("hop", "send", data, *base, "--at", "2025-06-01T09:00:00+02:00",
                       "--record-violation")  # fmt: skip
        assert sent.code == 1 and "rows 2, 5" in sent.stderr, sent.everything
    before = ledger.read_bytes()
    run = run_cli("hop", hook, data, *base, "--at", "2025-06-01T10:00:00+02:00")
    assert run.code == 1, run.everything
    assert _finding_lines(run.stderr) == expected
    assert "(row numbers: row 1 is the first data row after the header)" in run.stderr
    assert ledger.read_bytes() == before
    assert "ONBEKEND" not in run.everything


@pytest.fixture()
def study_files(study_dir: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A private copy of the study's files: hooks write manifests beside them."""
    out = {}
    for name, path in study_dir.items():
        out[name] = tmp_path / path.name
        shutil.copy(path, out[name])
    return out


WORD = {"sent": "transfer", "received": "receipt", "destroyed": "destruction", "made": "making"}


def test_a_flow_refusal_names_each_earlier_event_by_kind_and_time(
    study_files: dict[str, Path], tmp_path: Path
) -> None:
    from tests.flow.test_hop import send, up_to_fieldwork

    files = study_files

    from datacontract.ledger.chain import read_ledger

    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    up_to_fieldwork(ledger, files)
    events = {e.seq: e for e in read_ledger(ledger).events}
    run = send(ledger, files["achtergrond"], "stap6_achtergrond", "2025-07-15T10:00:00+02:00")
    assert run.code == 1, run.everything
    cited = re.findall(r"event (\d+)( \((\w+) at ([^)]+)\))?", run.stderr)
    assert cited, run.stderr
    for seq, dated, word, time in cited:
        event = events[int(seq)]
        assert dated, f"event {seq} cited without its kind and time: {run.stderr}"
        assert word == WORD.get(event.kind, "event") and time == event.time
