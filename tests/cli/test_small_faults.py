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


@pytest.mark.parametrize(
    "at", ["2025-01-15T08:59:59+01:00", "2024-12-31T23:00:00+00:00", "2025-01-15T07:59:00+00:00"]
)
def test_a_proof_before_the_first_event_is_refused_naming_it(at: str) -> None:
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", LEDGER, "--at", at)
    assert run.code == 2, run.everything
    assert "before the ledger's first event" in run.stderr
    assert "sent" in run.stderr and FIRST in run.stderr
    assert "internal error" not in run.everything


@pytest.mark.parametrize("at", [FIRST, "2025-01-15T08:00:00+00:00", "2026-01-01T00:00:00+01:00"])
def test_a_proof_at_or_after_the_first_event_is_made(at: str) -> None:
    run = run_cli("prove", "--contract", CONTRACT, "--ledger", LEDGER, "--at", at)
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
        assert back == os.fsencode(Path(given).as_posix()), uri
