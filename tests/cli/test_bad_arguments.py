"""Arguments and ledgers at the edges: a clear exit 2 or a drawn page, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.errors import UsageError
from datacontract.ledger.append import append_event
from datacontract.ledger.canonical import parse_time
from datacontract.ledger.chain import EventDraft
from datacontract.standards.openlineage_post import endpoint

LEDGER = ROOT / "tests" / "fixtures" / "flows" / "background_while_contact_held" / "ledger.jsonl"


@pytest.mark.parametrize("text", ["2025-01-01", "2025-06-30T10:00", "2025-06-30 10:00:05"])
def test_the_advice_for_a_time_without_offset_is_accepted(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_time(text)
    advised = str(refused.value).rsplit("write e.g. ", 1)[1]
    assert parse_time(advised).utcoffset() is not None


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
def test_a_time_beyond_any_protocol_is_refused(at: str) -> None:
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", LEDGER, "--at", at,
                  "--format", "html")  # fmt: skip
    assert run.code == 2 and "1900 to 2999" in run.stderr


def test_a_ledger_claiming_the_year_9999_still_gives_a_page(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    for when in ("2025-03-01T10:00:00+01:00", "9999-12-31T23:00:00+00:00"):
        append_event(
            ledger,
            EventDraft(time=when, kind="made", party="opgroeien_it", dataset="dataset_1",
                       contract="groeipakket-toereikendheid-2025", contract_version="1.0.0"),
        )  # fmt: skip
    out = tmp_path / "proof.html"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", ledger,
                  "--at", "2026-01-01T00:00:00+01:00", "--format", "html", "--output", out)  # fmt: skip
    assert run.code in (0, 1), run.everything
    assert "internal error" not in run.everything and "tijdlijn" in out.read_text()


@pytest.mark.parametrize("timeout", ["nan", "inf", "0", "-1"])
def test_a_timeout_that_is_no_number_of_seconds_is_refused(timeout: str) -> None:
    run = run_cli("lineage", "export", "--contract", CONTRACT, "--ledger", LEDGER,
                  "--openlineage-url", "http://127.0.0.1:1", "--openlineage-timeout", timeout)  # fmt: skip
    assert run.code == 2 and "internal error" not in run.everything


@pytest.mark.parametrize(
    "url",
    [
        "http://m:5000",
        "http://m:5000/",
        "http://m:5000/api/v1/lineage",
        "http://m:5000/api/v1/lineage/",
    ],
)
def test_the_endpoint_is_never_doubled(url: str) -> None:
    assert endpoint(url) == "http://m:5000/api/v1/lineage"


@pytest.mark.parametrize(
    "argv",
    [
        ["prove", "--contract", CONTRACT, "--format", "htm"],
        ["export", "--contract", CONTRACT, "--format", "odc"],
        ["lint", "--contract", CONTRACT, "--format", "jsn"],
        ["changelog", CONTRACT, CONTRACT, "--format", "jsn"],
        ["coverage", "--contract", CONTRACT, "--format", "jsn"],
        ["validate", LEDGER, "--contract", CONTRACT, "--dataset", "dataset_4", "--format", "jsn"],
    ],
)
def test_every_format_choice_suggests_the_nearest(argv: list[object]) -> None:
    run = run_cli(*argv)  # type: ignore[arg-type]
    assert run.code == 2 and "did you mean" in run.stderr, run.everything


def test_an_unknown_hop_is_refused_even_when_violations_are_recorded(tmp_path: Path) -> None:
    ledger, data = tmp_path / "ledger.jsonl", tmp_path / "f.csv"
    data.write_text("x;y\n1;2\n", encoding="utf-8")
    assert run_cli("ledger", "init", "--ledger", ledger, "--contract", CONTRACT).code == 0
    before = ledger.read_bytes()
    run = run_cli("hop", "send", data, "--contract", CONTRACT, "--hop", "stap_4",
                  "--ledger", ledger, "--record-violation", "--at", "2025-07-15T10:00:00+02:00")  # fmt: skip
    assert run.code == 1 and "unknown hop 'stap_4' (did you mean" in run.stderr, run.everything
    assert "nothing recorded" in run.stderr and ledger.read_bytes() == before


def test_the_demo_runs_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    run = run_cli("demo", "--out", tmp_path / "out", "--rows", "40", "--seed", "1")
    assert run.code == 0, run.everything


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.csv", ""), ("b.json", "[]"), ("c.jsonl", ""), ("d.jsonl", "\n\n"), ("e.json", " [ ] ")],
)
def test_a_file_of_no_rows_and_no_columns_is_empty_in_every_format(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert run.code == 2 and "file is empty" in run.stderr, run.everything


@pytest.mark.parametrize("option", ["--checkpoint", "--key"])
def test_a_fifo_for_a_checkpoint_or_key_is_refused_not_waited_on(
    tmp_path: Path, option: str
) -> None:
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    if option == "--checkpoint":
        argv = ["prove", "--contract", CONTRACT, "--ledger", LEDGER, "--checkpoint", fifo,
                "--at", "2025-12-31T12:00:00+01:00"]  # fmt: skip
    else:
        argv = ["ledger", "checkpoint", "--ledger", LEDGER, "--key", fifo,
                "--output", tmp_path / "cp.json"]  # fmt: skip
    run = run_cli(*argv)
    assert run.code == 2 and "not a regular file" in run.stderr, run.everything
