"""`datacontract lineage export`: the demo's ledger as OpenLineage RunEvents, checked against
the spec's JSON Schema (tests/fixtures/openlineage-spec, resolved offline), posted to a local
endpoint, and never carrying a value of a data file."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, ROOT, run_cli
from tests.standards.openlineage_spec import problems, registry

from datacontract.personal.insz import is_valid_insz

PROTOCOLS = (
    "ahovoks-historiekinschrijving-2019",
    "ikt-ouderbijdrage-2025",
    "jobbonusplus-2025",
    "lokale-besturen-sociale-toeslag-2020",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The adequacy study's demo, honest, on 40 families."""
    out = tmp_path_factory.mktemp("demo")
    assert run_cli("demo", "--out", out, "--rows", "40", "--seed", "3").code == 0
    return out


@pytest.fixture(scope="module")
def refused_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo whose dataset_4 carries national numbers: refused live, then recorded."""
    out = tmp_path_factory.mktemp("refused")
    run = run_cli("demo", "--out", out, "--rows", "30", "--violation", "insz-in-dataset-4")
    assert run.code == 1
    return out


def export(ledger: Path, *extra: str | Path, contract: Path = CONTRACT) -> list[dict[str, Any]]:
    run = run_cli("lineage", "export", "--ledger", ledger, "--contract", contract, *extra)
    assert run.code == 0, run.everything
    return [json.loads(line) for line in run.stdout.splitlines()]


def by_job(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in events if e["job"]["name"] == name]


# --- the spec ------------------------------------------------------------------------------


def test_every_event_of_the_demo_holds_to_the_openlineage_spec(demo: Path) -> None:
    events = export(demo / "ledger.jsonl")
    reg = registry()
    assert events
    for event in events:
        assert problems(event, reg) == [], event["job"]["name"]
    kinds = Counter(e["job"]["facets"]["jobType"]["jobType"] for e in events)
    assert set(kinds) == {"TRANSFER", "MAKE", "DESTROY", "MILESTONE", "PROOF"}


def test_the_schema_check_can_fail(demo: Path) -> None:
    event = export(demo / "ledger.jsonl")[1]
    reg = registry()
    broken = json.loads(json.dumps(event))
    del broken["run"]["runId"]
    broken["eventTime"] = "yesterday"
    facet = broken["run"]["facets"]["datacontract_ledger"]
    facet["hash"] = "not a hash"
    found = problems(broken, reg)
    assert any("runId" in p for p in found)
    assert any("yesterday" in p for p in found)
    assert any(p.startswith("datacontract_ledger:") for p in found)
    moved = json.loads(json.dumps(event))
    moved["run"]["facets"]["ledger"] = moved["run"]["facets"].pop("datacontract_ledger")
    assert any("under another key" in p for p in problems(moved, reg))


@pytest.mark.parametrize("contract", PROTOCOLS)
def test_the_other_protocols_export_to_valid_events(
    contract: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.getbasetemp() / "protocols"
    if not out.exists():
        assert run_cli("demo-protocols", "--out", out).code == 0
    events = export(
        out / contract / "ledger.jsonl", contract=ROOT / "contracts" / f"{contract}.yaml"
    )
    reg = registry()
    assert all(problems(e, reg) == [] for e in events)
    assert {e["job"]["namespace"] for e in events} == {contract}


# --- what the events say --------------------------------------------------------------------


def test_exporting_twice_gives_the_same_events_and_each_run_starts_and_ends(
    demo: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.jsonl"
    run = run_cli(
        "lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
        "--output", first,
    )  # fmt: skip
    assert run.code == 0 and "events written to" in run.stderr
    again = export(demo / "ledger.jsonl")
    assert first.read_text(encoding="utf-8").splitlines() == [
        json.dumps(e, sort_keys=True) for e in again
    ]
    runs: dict[str, list[str]] = {}
    for e in again:
        runs.setdefault(e["run"]["runId"], []).append(e["eventType"])
    assert all(states == ["START", "COMPLETE"] for states in runs.values()), runs
    ledger = [json.loads(line) for line in (demo / "ledger.jsonl").read_text().splitlines()]
    sent = [e for e in ledger if e["kind"] == "sent"]
    transfers = [e for e in again if e["job"]["facets"]["jobType"]["jobType"] == "TRANSFER"]
    assert len(transfers) == 2 * len(sent)
    # event times and ledger hashes are the ledger's own
    for e in again[:-2]:
        facet = e["run"]["facets"]["datacontract_ledger"]
        assert ledger[facet["seq"] - 1]["hash"] == facet["hash"]
        assert ledger[facet["seq"] - 1]["time"] == e["eventTime"]


def test_a_hop_names_datasets_by_contract_and_id_and_the_file_by_its_hash(demo: Path) -> None:
    events = export(demo / "ledger.jsonl")
    start, end = by_job(events, "stap6_contact")
    assert (start["eventType"], end["eventType"]) == ("START", "COMPLETE")
    (read,) = start["inputs"]
    assert (read["namespace"], read["name"]) == ("groeipakket-toereikendheid-2025", "dataset_4")
    sha = read["facets"]["version"]["datasetVersion"]
    assert re.fullmatch("[0-9a-f]{64}", sha)
    assert end["outputs"][0]["facets"]["version"]["datasetVersion"] == sha
    # one row per family and address (dataset_4.sql), so at least one per family
    rows = pq.read_metadata(demo / "dataset_4.parquet").num_rows
    assert end["outputs"][0]["outputFacets"]["outputStatistics"]["rowCount"] == rows >= 40
    checks = read["inputFacets"]["dataQualityAssertions"]["assertions"]
    assert checks and all(a["success"] for a in checks)
    assert {
        "dataset_4.no_insz",
        "dataset_4.one_row_per_address",
        "dataset_4.gezinscode.pattern",
    } <= {a["name"] for a in checks}
    assert {a.get("column") for a in checks} >= {"gezinscode", None}


def test_column_lineage_masks_what_passes_the_keyed_pseudonym(demo: Path) -> None:
    events = export(demo / "ledger.jsonl")
    made = by_job(events, "make.dataset_3.opgroeien_it")[-1]
    lineage = made["outputs"][0]["facets"]["columnLineage"]
    (code,) = lineage["fields"]["gezinscode"]["inputFields"]
    assert (code["name"], code["field"]) == ("steekproef", "gezin_sleutel")
    assert code["transformations"][0]["masking"] is True
    (insz,) = lineage["fields"]["insz"]["inputFields"]
    assert insz["name"] == "dataset_2" and insz["transformations"][0] == {
        "type": "DIRECT", "subtype": "IDENTITY", "masking": False,
    }  # fmt: skip
    assert {(f["name"], f["transformations"][0]["subtype"]) for f in lineage["dataset"]} >= {
        ("dataset_1", "JOIN"), ("steekproef", "JOIN"),
    }  # fmt: skip
    assert {d["name"] for d in made["inputs"]} == {
        "dataset_1", "dataset_2", "inkomensverstrekker", "steekproef",
    }  # fmt: skip
    background = by_job(events, "make.achtergrond.opgroeien_it")[-1]["outputs"][0]
    fields = background["facets"]["columnLineage"]["fields"]
    assert fields["gezinscode"]["inputFields"][0]["transformations"][0]["masking"] is True
    income = fields["inkomen_ki_klasse"]["inputFields"][0]["transformations"][0]
    assert (income["type"], income["subtype"], income["masking"]) == (
        "INDIRECT", "CONDITIONAL", False,
    )  # fmt: skip
    masked = [
        (column, f["field"])
        for column, spec in fields.items()
        for f in spec["inputFields"]
        if f["transformations"][0]["masking"]
    ]
    assert masked == [("gezinscode", "gezin_sleutel")]


def test_a_recorded_violation_fails_its_run_and_the_proof(refused_demo: Path) -> None:
    events = export(refused_demo / "ledger.jsonl")
    reg = registry()
    assert all(problems(e, reg) == [] for e in events)
    failed = [e for e in events if e["eventType"] == "FAIL"]
    hop = next(e for e in failed if e["job"]["name"] == "stap6_contact")
    checks = hop["inputs"][0]["inputFacets"]["dataQualityAssertions"]["assertions"]
    broken = {a["name"] for a in checks if not a["success"]}
    assert "dataset_4.no_insz" in broken
    assert int(next(a for a in checks if a["name"] == "dataset_4.no_insz")["actual"]) > 0
    assert "dataset_4.no_insz" in hop["run"]["facets"]["errorMessage"]["message"]
    proof = by_job(events, "prove")[-1]
    assert proof["eventType"] == "FAIL"
    verdicts = proof["inputs"][0]["inputFacets"]["dataQualityAssertions"]["assertions"]
    assert {"every_transfer_holds_to_contract"} <= {v["name"] for v in verdicts if not v["success"]}


def test_no_event_holds_a_cell_value_a_national_number_or_a_file_name(
    refused_demo: Path,
) -> None:
    text = json.dumps(export(refused_demo / "ledger.jsonl"))
    tokens = re.findall(r"[0-9A-Za-z]+", text)
    assert not [t for t in tokens if len(t) == 11 and t.isdigit() and is_valid_insz(t)]
    values: set[str] = set()
    for path in refused_demo.glob("*.parquet"):
        for column in pq.read_table(path).columns:
            values |= {str(v) for v in column.to_pylist() if v is not None and len(str(v)) >= 6}
    declared = CONTRACT.read_text(encoding="utf-8")  # labels the contract itself declares
    values = {v for v in values if v not in declared}
    assert len(values) > 100, "the demo wrote no files to compare with"
    assert [v for v in values if v in text] == []
    assert ".parquet" not in text and str(refused_demo) not in text


# --- refusals -------------------------------------------------------------------------------


def test_a_tampered_ledger_is_refused_naming_the_line(demo: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    lines = (demo / "ledger.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace('"rows":', '"rows":1', 1)
    ledger.write_text("".join(lines), encoding="utf-8")
    run = run_cli("lineage", "export", "--ledger", ledger, "--contract", CONTRACT)
    assert run.code == 2 and run.stdout == ""
    assert "line 5" in run.stderr and "Traceback" not in run.everything


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ledger", "missing.jsonl"), "no such ledger"),
        (("--openlineage-url", "ftp://localhost/"), "http:// or https://"),
        (
            ("--contract", ROOT / "contracts" / "jobbonusplus-2025.yaml"),
            "another contract than jobbonusplus-2025 (its id withheld)",
        ),
        (("--at", "2025-07-01"), "has no offset"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    demo: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    given = dict(zip(args[::2], args[1::2], strict=True))
    ledger = tmp_path / given.pop("--ledger") if "--ledger" in given else demo / "ledger.jsonl"
    contract = given.pop("--contract", CONTRACT)
    extra = [x for pair in given.items() for x in pair]
    run = run_cli("lineage", "export", "--ledger", ledger, "--contract", contract, *extra)
    assert run.code == 2, run.everything
    assert message in run.stderr and "Traceback" not in run.everything


# --- posting --------------------------------------------------------------------------------


class Endpoint:
    """A local OpenLineage endpoint: records each body POSTed to /api/v1/lineage."""

    def __init__(self, status: int = 201, delay: float = 0.0) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                outer.paths.append(self.path)
                outer.bodies.append(json.loads(self.rfile.read(size)))
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Endpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def endpoint() -> Iterator[Endpoint]:
    with Endpoint() as server:
        yield server


def test_events_are_posted_to_a_marquez_compatible_endpoint(
    demo: Path, endpoint: Endpoint, tmp_path: Path
) -> None:
    out = tmp_path / "events.jsonl"
    run = run_cli(
        "lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
        "--openlineage-url", endpoint.url + "/", "--output", out,
    )  # fmt: skip
    assert run.code == 0, run.everything
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert endpoint.bodies == written and len(written) > 10
    assert set(endpoint.paths) == {"/api/v1/lineage"}
    assert (
        f"POSTED {len(written)} OpenLineage events to {endpoint.url}/api/v1/lineage" in run.stdout
    )


@pytest.mark.parametrize(("status", "message"), [(500, "kept answering"), (404, "HTTP 404")])
def test_an_endpoint_that_refuses_gives_exit_2(demo: Path, status: int, message: str) -> None:
    with Endpoint(status=status) as server:
        run = run_cli(
            "lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
            "--openlineage-url", server.url,
        )  # fmt: skip
    assert run.code == 2 and message in run.stderr, run.everything
    assert "event 1 of" in run.stderr and "0 accepted before it" in run.stderr
    assert "Traceback" not in run.everything


def test_no_server_or_a_silent_one_gives_exit_2_without_hanging(demo: Path) -> None:
    with Endpoint() as server:
        closed = server.url  # the port is free once the server is gone
    started = time.monotonic()
    run = run_cli(
        "lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
        "--openlineage-url", closed,
    )  # fmt: skip
    assert run.code == 2 and "cannot connect" in run.stderr, run.everything
    with Endpoint(delay=3.0) as slow:
        run = run_cli(
            "lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
            "--openlineage-url", slow.url, "--openlineage-timeout", "0.5",
        )  # fmt: skip
    assert run.code == 2 and "no answer within 0.5 s" in run.stderr, run.everything
    assert len(slow.bodies) == 1  # a read that timed out is not sent again
    assert time.monotonic() - started < 30


def test_a_copy_of_the_ledger_elsewhere_exports_the_same(demo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.jsonl"
    shutil.copy(demo / "ledger.jsonl", copy)
    assert export(copy) == export(demo / "ledger.jsonl")


# --- the declared SQL, one step back ---------------------------------------------------------


def test_only_the_keyed_pseudonym_masks_a_column(tmp_path: Path) -> None:
    from datacontract.flow.sqllineage import SourceColumn, derivation

    (tmp_path / "made.sql").write_text(
        """
        WITH coded AS (SELECT keyed_pseudonym(q.insz, dwh_key()) AS code FROM people AS q)
        SELECT
          keyed_pseudonym(p.insz, dwh_key()) AS masked,
          sha256(p.insz) AS bare_hash,
          keyed_pseudonym(dwh_key(), p.insz) AS key_is_the_identifier,
          p.x AS copied,
          MIN(p.y) AS smallest,
          CASE WHEN p.income > 0 THEN 'some' ELSE 'none' END AS klasse,
          c.code AS through_a_cte
        FROM people AS p
        JOIN coded AS c ON c.code = p.code
        WHERE p.z = 1
        GROUP BY p.w
        """,
        encoding="utf-8",
    )
    found = derivation(tmp_path, "made")
    assert found is not None and derivation(tmp_path, "other") is None

    def one(column: str) -> tuple[str, str, str, str, bool]:
        (source,) = found.columns[column]
        return source.table, source.column, source.kind, source.subtype, source.masked

    assert one("masked") == ("people", "insz", "DIRECT", "TRANSFORMATION", True)
    assert one("bare_hash") == ("people", "insz", "DIRECT", "TRANSFORMATION", False)
    assert one("key_is_the_identifier") == ("people", "insz", "DIRECT", "TRANSFORMATION", False)
    assert one("copied") == ("people", "x", "DIRECT", "IDENTITY", False)
    assert one("smallest") == ("people", "y", "DIRECT", "AGGREGATION", False)
    assert one("klasse") == ("people", "income", "INDIRECT", "CONDITIONAL", False)
    assert one("through_a_cte") == ("people", "insz", "DIRECT", "TRANSFORMATION", True)
    assert {(s.subtype, s.column) for s in found.rows} >= {
        ("FILTER", "z"), ("GROUP_BY", "w"), ("JOIN", "code"),
    }  # fmt: skip
    assert SourceColumn("people", "z", "INDIRECT", "FILTER") in found.rows
