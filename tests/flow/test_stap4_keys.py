"""000 D3 stap 3 and stap 4: the payer returns exactly the families of the dataset_1 it got
("KRING bezorgt elke uitbetalingsactor … een deelbestand met gegevens over diens cliënten",
art. 6; the payer adds the e-mail addresses and sends it back, D3 stap 4).

The ledger compares the two through a keys digest. Issue 24 (4): a mismatch says how many
families were lost and added, with their rows, when the hook is given the earlier file
(`--against`, which must be the file the ledger recorded); without it, the refusal says to pass
it; keys are compared as the detectors read them (an INSZ written YY.MM.DD-SSS.CC is the same
family); no key value is ever shown.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, Run, run_cli

from datacontract.personal.insz import make_insz

RULE = "payer_returns_its_own_families"


@pytest.fixture()
def sent(study_dir: dict[str, Path], tmp_path: Path) -> tuple[Path, Path, Path]:
    """dataset_1 sent to fons on stap3 and received; (ledger, dataset_1, dataset_2)."""
    d1 = tmp_path / "d1.parquet"
    d2 = tmp_path / "d2.parquet"
    shutil.copy(study_dir["dataset_1_fons"], d1)
    shutil.copy(study_dir["dataset_2_fons"], d2)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    at = "2025-01-15T09:00:00+01:00"
    assert _hook("send", ledger, d1, "stap3", at, "--to", "fons").code == 0
    assert _hook("receive", ledger, d1, "stap3", "2025-01-15T10:00:00+01:00").code == 0
    return ledger, d1, d2


def _hook(what: str, ledger: Path, file: Path, hop: str, at: str, *extra: str | Path) -> Run:
    run = run_cli(
        "hop", what, file, "--contract", CONTRACT, "--hop", hop, "--ledger", ledger, "--at", at,
        *extra,
    )  # fmt: skip
    assert "Traceback" not in run.everything
    return run


def _stap4(ledger: Path, d2: Path, *extra: str | Path) -> Run:
    return _hook("send", ledger, d2, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons", *extra)


def _dotted(number: str) -> str:
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def _rewrite(
    d2: Path, *, drop: int | None = None, add: bool = False, dot: int | None = None
) -> list[str]:
    """d2 with row `drop` (0-based) left out, one new family appended, row `dot` written
    YY.MM.DD-SSS.CC; returns the INSZ values it holds (to check none is shown)."""
    table = pq.read_table(d2).to_pylist()
    if dot is not None:
        table[dot]["insz"] = _dotted(table[dot]["insz"])
    if drop is not None:
        del table[drop]
    if add:
        new = dict(table[0])
        new["insz"] = make_insz(dt.date(1987, 3, 4), 417)
        table.append(new)
    pq.write_table(pa.Table.from_pylist(table, schema=pq.read_schema(d2)), d2)
    return [str(r["insz"]) for r in table]


def test_insz_written_with_dots_is_the_same_family(sent: tuple[Path, Path, Path]) -> None:
    ledger, _, d2 = sent
    _rewrite(d2, dot=3)
    run = _stap4(ledger, d2)
    assert run.code == 0, run.everything


def test_lost_and_added_need_the_earlier_file(sent: tuple[Path, Path, Path]) -> None:
    ledger, _, d2 = sent
    values = _rewrite(d2, drop=5, add=True)
    before = ledger.read_bytes()
    run = _stap4(ledger, d2)
    assert run.code == 1, run.everything
    assert RULE in run.stderr and "--against" in run.stderr, run.stderr
    assert "event 1" in run.stderr
    assert ledger.read_bytes() == before
    assert not any(v in run.everything for v in values)


def test_lost_and_added_counted_with_rows(sent: tuple[Path, Path, Path]) -> None:
    ledger, d1, d2 = sent
    values = _rewrite(d2, drop=5, add=True, dot=2)
    rows = len(values)
    run = _stap4(ledger, d2, "--against", d1)
    assert run.code == 1, run.everything
    assert "1 family lost (row 6 of the earlier file)" in run.stderr, run.stderr
    assert f"1 added (row {rows} of this file)" in run.stderr, run.stderr
    assert not any(v in run.everything for v in values)
    # recorded as a violation, the finding keeps the counts in the ledger, never a value
    run = _stap4(ledger, d2, "--against", d1, "--record-violation")
    assert run.code == 1 and "RECORDED AS VIOLATION" in run.stderr
    held = ledger.read_text(encoding="utf-8")
    assert "1 family lost" in held and not any(v in held for v in values)


def test_the_receiver_is_told_too(sent: tuple[Path, Path, Path]) -> None:
    ledger, d1, d2 = sent
    _rewrite(d2, drop=0)
    assert _stap4(ledger, d2, "--against", d1, "--record-violation").code == 1
    run = _hook("receive", ledger, d2, "stap4", "2025-02-10T15:00:00+01:00", "--against", d1)
    assert run.code == 1 and "1 family lost (row 1 of the earlier file), 0 added" in run.stderr


def test_against_must_be_the_recorded_file(sent: tuple[Path, Path, Path], tmp_path: Path) -> None:
    ledger, _, d2 = sent
    other = tmp_path / "other.parquet"
    shutil.copy(d2, other)
    _rewrite(d2, drop=1)
    run = _stap4(ledger, d2, "--against", other)
    assert run.code == 2, run.everything
    assert "event 1" in run.stderr and "SHA-256" in run.stderr
    missing = _stap4(ledger, d2, "--against", tmp_path / "nowhere.parquet")
    assert missing.code == 2 and "no such file" in missing.stderr


def test_against_on_a_hop_compared_with_none(sent: tuple[Path, Path, Path]) -> None:
    ledger, d1, _ = sent
    run = _hook("send", ledger, d1, "stap3", "2025-01-16T09:00:00+01:00", "--to", "fons",
                "--against", d1)  # fmt: skip
    assert run.code == 2 and "stap4" in run.stderr, run.everything


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_against_not_a_regular_file(
    sent: tuple[Path, Path, Path], tmp_path: Path, kind: str
) -> None:
    """Review s21 (7): --against on a FIFO or a device says so (as validate does), exit 2."""
    import os

    ledger, _, d2 = sent
    if kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    else:
        target = Path("/dev/zero")
    run = _stap4(ledger, d2, "--against", target)
    assert run.code == 2, run.everything
    assert "not a regular file" in run.stderr and "no such file" not in run.stderr, run.stderr


def test_against_with_no_earlier_delivery(study_dir: dict[str, Path], tmp_path: Path) -> None:
    """Review s21 (7): --against when the ledger holds no delivery to compare with: exit 2
    saying so (it was not checked at all)."""
    d1 = tmp_path / "d1.parquet"
    d2 = tmp_path / "d2.parquet"
    shutil.copy(study_dir["dataset_1_fons"], d1)
    shutil.copy(study_dir["dataset_2_fons"], d2)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    run = _stap4(ledger, d2, "--against", d1)
    assert run.code == 2, run.everything
    assert "no earlier delivery" in run.stderr, run.stderr


def _as_workbook(parquet: Path, dataset: str, sheet: str) -> Path:
    """The file as a one-sheet XLSX whose sheet is named `sheet`."""
    openpyxl = pytest.importorskip("openpyxl")
    from datacontract.contract.load import load_contract
    from datacontract.demo.sample import write_sample

    declared = load_contract(CONTRACT).contract.dataset(dataset)
    assert declared is not None
    path = write_sample(pq.read_table(parquet).to_pylist(), declared, parquet.with_suffix(".xlsx"))
    book = openpyxl.load_workbook(path)
    book.worksheets[0].title = sheet
    book.save(path)
    return path


def test_the_earlier_file_has_its_own_sheet(study_dir: dict[str, Path], tmp_path: Path) -> None:
    """Review s21 (5): --sheet is this file's; the --against workbook's sheet is its own
    (--against-sheet; default its only table), so stap 3 and stap 4 may name theirs apart."""
    d1 = _as_workbook(study_dir["dataset_1_fons"], "dataset_1", "Stap3")
    shutil.copy(study_dir["dataset_2_fons"], tmp_path / "d2.parquet")
    _rewrite(tmp_path / "d2.parquet", drop=5)
    d2 = _as_workbook(tmp_path / "d2.parquet", "dataset_2", "Stap4")
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    first = _hook("send", ledger, d1, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons")
    assert first.code == 0, first.everything
    for extra in ([], ["--against-sheet", "Stap3"], ["--against-sheet", "#1"]):
        run = _stap4(ledger, d2, "--sheet", "Stap4", "--against", d1, *extra)
        assert run.code == 1, run.everything
        assert "1 family lost (row 6 of the earlier file)" in run.stderr, run.stderr
    run = _stap4(ledger, d2, "--sheet", "Stap4", "--against", d1, "--against-sheet", "Stap4")
    assert run.code == 2 and "unknown worksheet" in run.stderr, run.everything


def test_against_options_need_against(sent: tuple[Path, Path, Path]) -> None:
    ledger, _, d2 = sent
    run = _stap4(ledger, d2, "--against-sheet", "Stap3")
    assert run.code == 2 and "need --against" in run.stderr, run.everything
