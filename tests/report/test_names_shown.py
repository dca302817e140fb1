"""Names are data too: only the contract's names are shown (issue 22.3; contract/names.py).

Every kind of name a data file brings (its file name, its folder, a column header, a worksheet,
a JSON key, a nested key) is planted with a synthetic national number in each rendering, a
child's name, or the slash rendering YY/MM/DD/SSS/CC, and every renderer of `validate` (text,
JSON, JUnit, GitHub and Azure annotations, SARIF, the job summary, `--output`), the manifest
`hop send` writes, the ledger's findings with `--record-violation`, are searched for it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.names import file_label, path_shown
from datacontract.personal.insz import NOTATIONS, format_insz, make_insz

NUMBER = make_insz(dt.date(1981, 4, 17), 233)
SLASHED = "/".join((NUMBER[:2], NUMBER[2:4], NUMBER[4:6], NUMBER[6:9], NUMBER[9:]))
CHILD = "Zoë ZZKanarie"  # a child's name as a header: not declared, so never shown
NAMES = [*(format_insz(NUMBER, n) for n in NOTATIONS), SLASHED, CHILD]
NAME_IDS = [*NOTATIONS, "slashed", "child"]
RENDERERS = ["text", "json", "junit", "github", "azure", "sarif"]

GOOD_ROW = {
    "gezinscode": "GAAAAAAAAAAAAAAAA",
    "ua": "FONS",
    "stratum": "FONS/1/0-5/I1",
    "email": None,
}


def _leaks(text: str, name: str) -> bool:
    digits = re.sub(r"\D", "", text)
    name_digits = re.sub(r"\D", "", name)
    if len(name_digits) >= 9 and name_digits in digits:
        return True
    return name in text or name.replace("/", "%2F") in text or json.dumps(name)[1:-1] in text


def _every_report(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """All that every renderer prints or writes for one file."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    seen = []
    for fmt in RENDERERS:
        out = tmp_path / f"report.{fmt}"
        for extra in ([], ["--output", str(out)]):
            run = run_cli(
                "validate", path, "--contract", CONTRACT, "--dataset", "dataset_4",
                "--format", fmt, *extra,
            )  # fmt: skip
            assert "Traceback" not in run.everything and "internal error" not in run.everything
            seen.append(run.everything)
            if extra and out.exists():
                seen.append(out.read_text(encoding="utf-8"))
    if summary.exists():
        seen.append(summary.read_text(encoding="utf-8"))
    return "\n".join(seen)


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header), *(";".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _good(path: Path) -> Path:
    return _csv(
        path,
        ["gezinscode", "ua", "stratum", "email"],
        [["GAAAAAAAAAAAAAAAA", "FONS", "FONS/1/0-5/I1", ""]],
    )


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_a_column_header_is_shown_only_when_declared(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(
        tmp_path / "x.csv",
        ["gezinscode", "ua", "stratum", "email", name],
        [["GAAAAAAAAAAAAAAAA", "FONS", "FONS/1/0-5/I1", "", "1"]],
    )
    text = _every_report(path, tmp_path, monkeypatch)
    assert not _leaks(text, name), name
    assert "column 5 (not in the contract)" in text
    assert "gezinscode" in text or "dataset_4.columns.allowed" in text


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
@pytest.mark.parametrize("where", ["file", "folder", "partition"])
def test_a_file_or_folder_name_is_withheld(
    name: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    safe = name.replace("/", "_") if where == "file" else name
    target = {
        "file": tmp_path / f"{safe}.csv",
        "folder": tmp_path / safe / "export.csv",
        "partition": tmp_path / f"insz={safe}" / "part-0.csv",
    }[where]
    bad = _csv(
        target,
        ["gezinscode", "ua", "stratum", "email", "extra"],
        [["GAAAAAAAAAAAAAAAA", "FONS", "FONS/1/0-5/I1", "", "1"]],
    )
    other = _good(tmp_path / "plain" / "ok.csv")
    text = _every_report(bad, tmp_path, monkeypatch)
    assert not _leaks(text, name), name
    assert "the file given as argument 1" in text
    both = run_cli(
        "validate", other, bad, "--contract", CONTRACT, "--dataset", "dataset_4",
        "--format", "json",
    )  # fmt: skip
    assert both.code == 1 and not _leaks(both.everything, name)
    reports = json.loads(both.stdout)
    assert [r["file"] for r in reports] == [str(other), "the file given as argument 2"]


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_an_unreadable_file_is_named_by_position(name: str, tmp_path: Path) -> None:
    folder = tmp_path / f"insz={name}"
    folder.mkdir(parents=True)
    ragged = folder / "part-0.csv"
    ragged.write_text("gezinscode;ua\nG;FONS;x;y\n", encoding="utf-8")
    for argv in ([ragged], [_good(tmp_path / "ok.csv"), ragged]):
        for fmt in RENDERERS:
            run = run_cli(
                "validate", *argv, "--contract", CONTRACT, "--dataset", "dataset_4",
                "--format", fmt,
            )  # fmt: skip
            assert run.code == 2 and "internal error" not in run.everything
            assert not _leaks(run.everything, name), (fmt, run.everything)
            assert f"the file given as argument {len(argv)}" in run.everything


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_a_worksheet_name_is_shown_by_position(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Blad1"
    sheet.append(list(GOOD_ROW))
    sheet.append(["GAAAAAAAAAAAAAAAA", "FONS", "FONS/1/0-5/I1", None])
    other = book.create_sheet(name.replace("/", "-")[:31])
    other.append(["naam"])
    other.append([f"kind {NUMBER}"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    text = _every_report(path, tmp_path, monkeypatch)
    text += run_cli(
        "validate", path, "--contract", CONTRACT, "--dataset", "dataset_4", "--sheet", "Blad1"
    ).everything
    assert not _leaks(text, name.replace("/", "-")[:31]) and not _leaks(text, NUMBER)
    assert "worksheet 2 (not in the contract)" in text


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_a_key_of_json_lines_is_shown_only_when_declared(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.jsonl"
    row = {**GOOD_ROW, name: 1, "nested": {name: 2}}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    text = _every_report(path, tmp_path, monkeypatch)
    assert not _leaks(text, name)


@pytest.mark.parametrize("name", NAMES, ids=NAME_IDS)
def test_a_parquet_column_is_shown_only_when_declared(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.parquet"
    pq.write_table(pa.Table.from_pylist([{**GOOD_ROW, "email": "", name: 1}]), path)
    text = _every_report(path, tmp_path, monkeypatch)
    assert not _leaks(text, name)
    assert "(not in the contract)" in text


# -- the rule itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["data/export_2025-01-15.csv", "/tmp/pytest-of-ci/pytest-1/x/dataset_4.parquet", "a.CSV"],
)
def test_a_plain_path_is_shown(path: str) -> None:
    assert path_shown(path) and file_label(path, 3) == path


@pytest.mark.parametrize(
    "path",
    [
        *(f"exports/{n}/part-0.parquet" for n in NAMES),
        f"exports/insz={NUMBER}/part-0.parquet",
        f"{NUMBER}.csv",
        f"{SLASHED}/x.csv",
        "exports/jan.peeters@example.org.csv",
        "exports, 2025: 100%/x.csv",  # beyond the allow-list of characters: withheld too
        "-rf",
        "",
    ],
)
def test_any_other_path_is_named_by_position(path: str) -> None:
    assert not path_shown(path)
    assert file_label(path, 2) == "the file given as argument 2"


# -- what travels and what is recorded --------------------------------------------------------


def test_the_manifest_and_the_ledger_name_no_path(
    study_dir: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / f"insz={NUMBER}"
    folder.mkdir()
    sent = folder / f"{SLASHED.replace('/', '.')}.parquet"
    shutil.copy(study_dir["dataset_1_fons"], sent)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli(
        "hop", "send", sent, "--contract", CONTRACT, "--hop", "stap3", "--ledger", ledger,
        "--at", "2025-01-15T09:00:00+01:00", "--to", "fons",
    )  # fmt: skip
    assert run.code == 0, run.everything
    manifest = next(folder.glob("*.manifest.json"))
    body = json.loads(manifest.read_text(encoding="utf-8"))
    assert "file" not in body and body["hop"] == "stap3" and len(body["sha256"]) == 64
    for text in (run.everything, manifest.read_text(encoding="utf-8"), ledger.read_text()):
        assert not _leaks(text, NUMBER)
    received = run_cli(
        "hop", "receive", sent, "--contract", CONTRACT, "--hop", "stap3", "--ledger", ledger,
        "--at", "2025-01-15T09:01:00+01:00",
    )  # fmt: skip
    assert received.code == 0, received.everything
    assert not _leaks(received.everything, NUMBER)


@pytest.mark.parametrize("name", [SLASHED, CHILD], ids=["slashed", "child"])
def test_a_recorded_violation_names_no_undeclared_column(
    name: str, study_dir: dict[str, Path], tmp_path: Path
) -> None:
    table = pq.read_table(study_dir["dataset_1_fons"])
    table = table.append_column(name, pa.array(["x"] * table.num_rows))
    sent = tmp_path / "d1.parquet"
    pq.write_table(table, sent)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = run_cli(
        "hop", "send", sent, "--contract", CONTRACT, "--hop", "stap3", "--ledger", ledger,
        "--at", "2025-01-15T09:00:00+01:00", "--to", "fons", "--record-violation",
    )  # fmt: skip
    assert run.code == 1 and "RECORDED AS VIOLATION" in run.stderr, run.everything
    recorded = ledger.read_text(encoding="utf-8")
    assert "(not in the contract)" in recorded
    for text in (run.everything, recorded):
        assert not _leaks(text, name)
