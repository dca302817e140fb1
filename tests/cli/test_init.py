"""`datacontract init FILE`: a draft contract from a file one has (issue 27). In every format
of the registry the draft declares the columns with their types and nullability, copies no
value, withholds a name that may be personal data, passes `validate` on its file, and fails
`lint` and `coverage` until every TODO is cited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from tests.conftest import ROOT, run_cli

from datacontract.personal.insz import make_insz
from datacontract.read.format_types import SampleTable
from datacontract.read.formats import FORMATS

WRITABLE = sorted(name for name, f in FORMATS.items() if f.write_sample is not None)
# distinctive values: none of them may reach the draft
CANARIES = ("Zq7kanarie", 987654321, 31415.9265, "2024-11-23", "2024-11-23T08:15:00+01:00")


def _table(*, personal_name: str | None = None) -> SampleTable:
    columns = ["code", "aantal", "bedrag", "dag", "tijd", "actief", "opmerking"]
    types = {"code": "string", "aantal": "integer", "bedrag": "number", "dag": "date",
             "tijd": "datetime", "actief": "boolean", "opmerking": "string"}  # fmt: skip
    rows = []
    for i in range(1, 41):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        rows.append({
            "code": f"T{i:03}", "aantal": i, "bedrag": i + 0.25, "dag": day.isoformat(),
            "tijd": f"{day.isoformat()}T10:{i % 60:02}:00+01:00", "actief": i % 2 == 0,
            "opmerking": None if i % 3 else f"nota {i}",
        })  # fmt: skip
    rows[6].update(code=CANARIES[0], aantal=CANARIES[1], bedrag=CANARIES[2], dag=CANARIES[3],
                   tijd=CANARIES[4])  # fmt: skip
    if personal_name is not None:
        columns.append(personal_name)
        types[personal_name] = "string"
        for row in rows:
            row[personal_name] = "x"
    return SampleTable(columns, rows, types)


def _write(path: Path, fmt: str, table: SampleTable) -> Path:
    writer = FORMATS[fmt].write_sample
    assert writer is not None
    with path.open("wb") as out:
        writer(out, table, None)
    return path


EXPECTED_TYPES = {"code": "string", "aantal": "integer", "bedrag": "number", "dag": "date",
                  "tijd": "datetime", "actief": "boolean", "opmerking": "string"}  # fmt: skip


@pytest.mark.parametrize("fmt", WRITABLE)
def test_a_draft_declares_the_file_copies_no_value_and_holds_to_it(
    fmt: str, tmp_path: Path
) -> None:
    data = _write(tmp_path / f"uitvoer{FORMATS[fmt].extensions[0]}", fmt, _table())
    draft = tmp_path / "draft.yaml"
    run = run_cli("init", data, "--output", draft)
    assert run.code == 0, run.everything
    text = draft.read_text(encoding="utf-8")
    for canary in CANARIES:
        assert str(canary) not in text
    assert "nota" not in text and "T001" not in text
    contract = yaml.safe_load(text)
    (dataset,) = contract["datasets"]
    assert dataset["id"] == "uitvoer" and dataset["file"]["formats"] == [fmt]
    declared = {c["name"]: c for c in dataset["columns"]}
    assert list(declared) == list(EXPECTED_TYPES)
    assert {name: c["type"] for name, c in declared.items()} == EXPECTED_TYPES
    assert declared["opmerking"].get("nullable") is True
    assert "nullable" not in declared["code"]
    assert all(c["article"] == "TODO" for c in dataset["columns"])
    checked = run_cli("validate", data, "--contract", draft, "--dataset", "uitvoer", "--transfer")
    assert checked.code == 0, checked.everything
    linted = run_cli("lint", "--contract", draft)
    assert linted.code == 1 and "article: still TODO" in linted.stdout, linted.everything
    covered = run_cli("coverage", "--contract", draft)
    assert covered.code == 1 and "still TODO" in covered.stdout, covered.everything


# the national number is computed, never written out (synthetic, from a chosen date and serial)
INSZ = make_insz(dt.date(1985, 7, 30), 33)


@pytest.mark.parametrize("name", ["jan.peeters@example.be", INSZ, "+32 470 12 34 56"])
def test_a_column_name_that_may_be_personal_data_is_withheld(name: str, tmp_path: Path) -> None:
    data = _write(tmp_path / "uitvoer.csv", "csv", _table(personal_name=name))
    run = run_cli("init", data)
    assert run.code == 0, run.everything
    assert name not in run.everything
    contract = yaml.safe_load(run.stdout)
    columns = contract["datasets"][0]["columns"]
    assert columns[-1]["name"] == "column_8" and "withheld" in columns[-1]["note"]
    assert "column_8" in run.stderr


def test_a_draft_never_overwrites_a_file(tmp_path: Path) -> None:
    data = _write(tmp_path / "uitvoer.csv", "csv", _table())
    existing = tmp_path / "contract.yaml"
    existing.write_text("keep me\n", encoding="utf-8")
    run = run_cli("init", data, "--output", existing)
    assert run.code == 2 and "exists" in run.stderr
    assert existing.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("bad", ["missing.csv", "notes.md"])
def test_a_file_that_is_no_table_is_a_clear_refusal(bad: str, tmp_path: Path) -> None:
    path = tmp_path / bad
    if bad.endswith(".md"):
        path.write_text("# notes\n", encoding="utf-8")
    run = run_cli("init", path)
    assert run.code == 2, run.everything
    assert "internal error" not in run.everything and "Traceback" not in run.everything


def test_a_magda_document_drafts_a_contract_that_holds_to_it(tmp_path: Path) -> None:
    contract = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
    document = tmp_path / "antwoord.xml"
    sampled = run_cli("sample", "--contract", contract, "--dataset", "historiekinschrijving",
                      "--rows", "3", "--output", document)  # fmt: skip
    if sampled.code != 0:
        pytest.skip(f"no MAGDA sample: {sampled.everything}")
    draft = tmp_path / "draft.yaml"
    run = run_cli("init", document, "--output", draft)
    assert run.code == 0, run.everything
    checked = run_cli("validate", document, "--contract", draft, "--dataset", "antwoord")
    assert checked.code == 0, checked.everything
