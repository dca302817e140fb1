"""Issue 27's small faults: each a family with its test (prove's output and time, ...)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

LEDGER = ROOT / "tests" / "fixtures" / "flows" / "background_while_contact_held" / "ledger.jsonl"
FIRST = "2025-01-15T09:00:00+01:00"  # the fixture ledger's first event, a `sent`


@pytest.mark.parametrize("fmt", ["text", "json", "html", "pdf"])
def test_prove_says_where_it_wrote_in_every_format(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"proof.{fmt}"
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", LEDGER,
                  "--at", "2026-01-01T00:00:00+01:00", "--format", fmt, "--output", out)  # fmt: skip
    assert run.code in (0, 1), run.everything
    assert out.stat().st_size > 0
    assert run.stdout == ""
    assert run.stderr.strip().endswith(f"the proof written to {out}")


# Every command whose --at is the time of a proof (lineage export carries one in its events).
PROVING = (("prove",), ("lineage", "export"))


@pytest.mark.parametrize("command", PROVING, ids=" ".join)
@pytest.mark.parametrize(
    "at", ["2025-01-15T08:59:59+01:00", "2024-12-31T23:00:00+00:00", "2025-01-15T07:59:00+00:00"]
)
def test_a_proof_before_the_first_event_is_refused_naming_it(
    command: tuple[str, ...], at: str
) -> None:
    run = run_cli(*command, "--contract", CONTRACT, "--ledger", LEDGER, "--at", at)
    assert run.code == 2, run.everything
    assert "before the ledger's first event" in run.stderr
    assert "sent" in run.stderr and FIRST in run.stderr
    assert "internal error" not in run.everything


@pytest.mark.parametrize("command", PROVING, ids=" ".join)
@pytest.mark.parametrize("at", [FIRST, "2025-01-15T08:00:00+00:00", "2026-01-01T00:00:00+01:00"])
def test_a_proof_at_or_after_the_first_event_is_made(command: tuple[str, ...], at: str) -> None:
    run = run_cli(*command, "--contract", CONTRACT, "--ledger", LEDGER, "--at", at)
    assert run.code in (0, 1), run.everything
    assert "before the ledger's first event" not in run.everything


def test_the_declared_flow_alone_takes_any_time() -> None:
    run = run_cli("prove", "--contract", CONTRACT, "--at", "2001-01-01T00:00:00+01:00")
    assert run.code in (0, 1), run.everything


URI_REFERENCE = re.compile(r"^(file://)?[A-Za-z0-9._~/%!$&'()*+,;=:@-]*$")  # RFC 3986, no '?#'


@pytest.mark.parametrize(
    "name",
    ["new\nline.csv", "carriage\rreturn.csv", "tab\tand space.csv", "hash#query?.csv",
     "per%cent.csv", "bell\x07\x1b[31m.csv", "é\u2028.csv"],
)  # fmt: skip
@pytest.mark.parametrize("absolute", [False, True])
def test_a_sarif_uri_is_a_uri_of_that_very_file(
    name: str, absolute: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.cli.test_ci_setups import broken

    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    broken(tmp_path / "seed.csv").rename(path)
    given = str(path) if absolute else name
    run = run_cli("validate", "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--format", "sarif", given)  # fmt: skip
    assert run.code == 1, run.everything
    log = json.loads(run.stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for loc in result["locations"]
    }
    uris |= {a["location"]["uri"] for a in log["runs"][0]["artifacts"]}
    for uri in uris:
        assert URI_REFERENCE.match(uri), uri
        back = unquote_to_bytes(uri.removeprefix("file://"))
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", name):
            # a name beyond plain ASCII is not shown at all (issue 22.3, contract/names.py):
            # the file is named by position, and the URI is still a valid one
            assert back == b"the file given as argument 1", uri
        else:
            assert back == os.fsencode(Path(given).as_posix()), uri


def _rows_with_a_sparse_column(n: int) -> list[dict[str, object]]:
    """dataset_4 rows (synthetic); `opmerking` written in rows 2, 5 (null) and every 7th."""
    import random

    rng = random.Random(27)
    rows: list[dict[str, object]] = []
    for i in range(1, n + 1):
        row: dict[str, object] = {
            "gezinscode": "G" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ234567") for _ in range(16)),
            "ua": "FONS", "stratum": "FONS/1/0-5/I1", "email": None,
        }  # fmt: skip
        if i in (2, 5) or i % 7 == 0:
            row["opmerking"] = None if i == 5 else "x"
        rows.append(row)
    return rows


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
@pytest.mark.parametrize("n", [6, 3000])
def test_a_column_some_json_rows_leave_out_is_counted_over_the_rows_that_write_it(
    suffix: str, n: int, tmp_path: Path
) -> None:
    rows = _rows_with_a_sparse_column(n)
    written = sum("opmerking" in r for r in rows)
    path = tmp_path / f"d{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run = run_cli("validate", "--contract", CONTRACT, "--dataset", "dataset_4",
                  "--format", "json", path)  # fmt: skip
    assert run.code == 1, run.everything
    (finding,) = [
        v for v in json.loads(run.stdout)["violations"] if v["rule"] == "dataset_4.columns.allowed"
    ]
    assert finding["count"] == written < n
    assert f"{written:,} rows of {n:,}" in finding["message"]


@pytest.mark.parametrize("block_bytes", [40, 300, 1 << 20])
def test_json_lines_count_the_rows_writing_each_key_across_blocks(
    block_bytes: int, tmp_path: Path
) -> None:
    from datacontract.read.table import open_table

    rows = _rows_with_a_sparse_column(200)
    rows[10]["email"] = "persoon@example.org"
    path = tmp_path / "d.jsonl"
    text = "".join(json.dumps(r) + ("\n\n" if i % 9 == 0 else "\n") for i, r in enumerate(rows))
    path.write_text(text, encoding="utf-8")
    source = open_table(path, block_bytes=block_bytes)
    assert source.column_rows == {
        key: sum(key in r for r in rows)
        for key in ("gezinscode", "ua", "stratum", "email", "opmerking")
    }


def test_a_column_every_row_carries_still_counts_all_rows(tmp_path: Path) -> None:
    from tests.cli.test_ci_setups import broken

    run = run_cli("validate", "--contract", CONTRACT, "--dataset", "dataset_4",
                  broken(tmp_path / "d.csv"))  # fmt: skip
    assert run.code == 1 and "(all 6 rows)" in run.stdout, run.everything
