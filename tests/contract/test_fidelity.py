"""The fidelity audit (issue 10): each gap where a contract allowed what its protocol forbids,
shown refused live or failing the proof, and the engine kinds that close them for every
contract (duties that cannot lapse, columns by reference that are no open door, retention from
a date in the data, coverage that says `partial`, hooks that cite the contract's own articles).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.check.retention import reference_date
from datacontract.contract.invariants import DestroyedWithin, RetainedAtMost
from datacontract.contract.load import load_contract
from datacontract.demo.synthetic import generate_study
from datacontract.ledger.append import append_event
from datacontract.ledger.chain import EventDraft, read_ledger
from datacontract.personal.insz import make_insz

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


# --- finding 4: the payers' files carry identification data only -----------------------------


@pytest.fixture(scope="module")
def payer_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    data = generate_study(40, seed=3)
    return {"dataset_1": data.dataset_1["fons"], "dataset_2": data.dataset_2["fons"]}


def test_the_payers_files_hold_no_gezinscode_and_no_stratum(
    payer_files: dict[str, pa.Table],
) -> None:
    for table in payer_files.values():
        assert "gezinscode" not in table.column_names and "stratum" not in table.column_names


@pytest.mark.parametrize("dataset", ["dataset_1", "dataset_2"])
@pytest.mark.parametrize("how", ["named", "renamed"])
def test_a_payer_file_with_the_research_code_or_stratum_is_refused_live(
    tmp_path: Path, payer_files: dict[str, pa.Table], dataset: str, how: str
) -> None:
    """Art. 6 (a file with identification data), D3 stap 2 and 5: IT adds the gezinscode only
    when it merges; a payer never holds the link between a national number and the pseudonym.
    Refused by name, and by content under any other name."""
    study = generate_study(40, seed=3)
    code = study.dataset_3.column("gezinscode").slice(0, payer_files[dataset].num_rows)
    stratum = study.dataset_3.column("stratum").slice(0, payer_files[dataset].num_rows)
    names = ("gezinscode", "stratum") if how == "named" else ("ref", "segment")
    table = payer_files[dataset].append_column(names[0], code).append_column(names[1], stratum)
    path = tmp_path / f"{dataset}.parquet"
    pq.write_table(table, path)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    hop, side = ("stap3", ["--to", "fons"]) if dataset == "dataset_1" else ("stap4", [])
    args = ["hop", "send", path, "--contract", CONTRACT, "--hop", hop, "--ledger", ledger]
    run = run_cli(*args, *side, "--from", "fons" if hop == "stap4" else "opgroeien_it")
    assert run.code == 1, run.everything
    rule = f"{dataset}.no_research_columns" if how == "named" else f"{dataset}.no_research_codes"
    assert rule in run.everything and "art. 6" in run.everything
    assert not ledger.exists() or ledger.read_text(encoding="utf-8") == ""
    assert "Traceback" not in run.everything
    for value in code.to_pylist()[:3]:
        assert str(value) not in run.everything


# --- finding 2: every duty tied to a milestone has a fallback -----------------------------------


def _contract_with(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "contracts" / CONTRACT.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    import shutil

    shutil.copytree(ROOT / "lineage", tmp_path / "lineage", dirs_exist_ok=True)
    return path


def test_a_duty_that_lapses_without_its_milestone_does_not_prove(tmp_path: Path) -> None:
    path = _contract_with(tmp_path, '      latest: "2026-01-01T00:00:00+01:00"\n', "")
    run = run_cli("prove", "--contract", path, "--format", "json")
    assert run.code == 1, run.everything
    broken = {v["invariant"]: v for v in json.loads(run.stdout)["verdicts"] if not v["holds"]}
    assert {"insz_files_destroyed", "researchers_destroy_contact_after_draw"} <= set(broken)
    message = broken["insz_files_destroyed"]["counterexamples"][0]["message"]
    assert "never recorded" in message and "latest" in message


def _draft(time: str, kind: str, **names: str) -> EventDraft:
    return EventDraft(
        time=time, kind=kind, contract="groeipakket-toereikendheid-2025", contract_version="1.0.0",
        **names,  # type: ignore[arg-type]
    )  # fmt: skip


def test_no_milestone_ever_recorded_still_ends_every_duty(tmp_path: Path) -> None:
    """Neither the end of the fieldwork nor the draw is recorded: the latest date holds."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    sha = "a" * 64
    for kind, party in (("sent", "opgroeien_it"), ("received", "onderzoekers_swvg")):
        append_event(
            ledger,
            EventDraft(
                time="2025-03-10T10:00:00+01:00",
                kind=kind,
                contract="groeipakket-toereikendheid-2025",
                contract_version="1.0.0",
                party=party,
                dataset="dataset_4",
                hop="stap6_contact",
                sender="opgroeien_it",
                receiver="onderzoekers_swvg",
                sha256=sha,
                rows=3,
            ),
        )

    def prove(at: str) -> dict[str, bool]:
        run = run_cli(
            "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", at, "--format", "json"
        )
        return {v["invariant"]: v["holds"] for v in json.loads(run.stdout)["verdicts"]}

    before = prove("2025-12-31T12:00:00+01:00")
    assert before["researchers_destroy_contact_after_draw"] and before["insz_files_destroyed"]
    after = prove("2026-01-02T12:00:00+01:00")
    assert not after["researchers_destroy_contact_after_draw"]
    assert not after["insz_files_destroyed"]  # IT's own copy of dataset_4


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_destruction_duty_names_a_fallback(path: Path) -> None:
    contract = load_contract(path).contract
    for inv in contract.invariants:
        if not isinstance(inv, DestroyedWithin):
            continue
        party = inv.params.party
        kept = {
            d
            for other in contract.invariants
            if isinstance(other, RetainedAtMost) and party in other.params.parties
            for d in other.params.datasets
        }
        assert inv.params.latest is not None or set(inv.params.datasets) <= kept, inv.id


# --- finding 5: by reference is not an open door ------------------------------------------------


def test_columns_by_reference_without_a_never_list_do_not_load(tmp_path: Path) -> None:
    source = ROOT / "contracts" / "ikt-ouderbijdrage-2025.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("      never: &direct_identifiers")
    end = text.index("    rules:", start)
    path = tmp_path / source.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    run = run_cli("coverage", "--contract", path)
    assert run.code == 2 and "never" in run.everything and "Traceback" not in run.everything


def test_columns_by_reference_must_be_scanned_for_national_numbers(tmp_path: Path) -> None:
    """AHOVOKS's answer lists the service's elements `by_reference` (art. 3, randnummer 57):
    no open door. Without a scan for national numbers the contract does not load; with it, an
    answer with a national number in an element, or with an element the service does not
    define, is refused by path, never by value."""
    source = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("      - id: historiekinschrijving.no_insz")
    end = text.index("      - id: historiekinschrijving.contact_only_of_institution")
    path = tmp_path / source.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    run = run_cli("coverage", "--contract", path)
    assert run.code == 2 and "scan them for insz" in run.everything, run.everything

    from datacontract.demo.magda_documents import answer_xml, student_insz

    on = dt.date(2024, 10, 1)
    insz = student_insz(dt.date(1991, 2, 3), 77)
    common = ["--contract", source, "--dataset", "historiekinschrijving", "--format", "json"]
    honest = tmp_path / "honest.xml"
    honest.write_bytes(answer_xml(on, 2))
    assert run_cli("validate", honest, *common).code == 0
    named = tmp_path / "named.xml"
    named.write_bytes(
        answer_xml(on, 2).replace(
            b"Bachelor in de synthese</VolledigeNaam>", f"{insz}</VolledigeNaam>".encode(), 1
        )
    )
    run = run_cli("validate", named, *common)
    assert run.code == 1 and "historiekinschrijving.no_insz" in run.stdout, run.everything
    assert "Opleiding/VolledigeNaam" in run.stdout and insz not in run.everything
    outside = tmp_path / "outside.xml"
    outside.write_bytes(answer_xml(on, 2, extra="<Bijnaam>Synthetica</Bijnaam>"))
    run = run_cli("validate", outside, *common)
    # an element no XSD and no contract declares is named by position (issue 22.3)
    assert run.code == 1 and "(not in the contract)" in run.stdout, run.everything
    assert "Bijnaam" not in run.everything
    rules = {v["rule"] for v in json.loads(run.stdout)["violations"]}
    assert rules & {
        "historiekinschrijving.document.schema",
        "historiekinschrijving.columns.allowed",
    }
    assert "Synthetica" not in run.everything


# --- finding 6: a retention term that starts in the data ------------------------------------------


def test_the_reference_is_the_last_payment_not_a_later_recovery(tmp_path: Path) -> None:
    loaded = load_contract(ROOT / "contracts" / "jobbonusplus-2025.yaml")
    ds = loaded.contract.dataset("verrichtingen")
    assert ds is not None
    doc = {
        "insz": make_insz(dt.date(1985, 7, 30), 33),
        "verrichtingen": [
            {
                "maatregel": "Jobbonus plus",
                "fiscaal_jaar": 2023,
                "bedragtype": "1ste schijf",
                "verrichtingbedrag": 600,
                "effectieve_verrichtingsdatum": "2024-05-02",
            },
            {
                "maatregel": "Jobbonus plus",
                "fiscaal_jaar": 2023,
                "bedragtype": "1ste schijf",
                "verrichtingbedrag": -600,
                "effectieve_verrichtingsdatum": "2024-09-30",
            },
        ],
    }
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert reference_date(ds, path) == "2024-05-02"


def test_a_reference_is_part_of_the_hashed_event(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    draft = EventDraft(
        time="2025-03-10T10:00:00+01:00",
        kind="received",
        contract="jobbonusplus-2025",
        contract_version="1.0.0",
        party="vutg",
        dataset="verrichtingen",
        hop="consultatie",
        sender="wewis",
        receiver="vutg",
        sha256="b" * 64,
        rows=1,
        reference="2025-02-14",
    )
    append_event(ledger, draft)
    assert read_ledger(ledger).events[0].reference == "2025-02-14"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("2025-02-14", "2025-12-14"), encoding="utf-8")
    assert not read_ledger(ledger).intact  # moving the term is caught
    from datacontract.errors import LedgerError

    with pytest.raises(LedgerError, match="reference must be a date"):
        append_event(tmp_path / "other.jsonl", _replace(draft, reference="14/02/2025"))


def _replace(draft: EventDraft, **changes: str) -> EventDraft:
    import dataclasses

    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


# --- finding 7: coverage tells the truth ----------------------------------------------------------


def test_an_item_that_claims_more_than_it_encodes_fails_coverage(tmp_path: Path) -> None:
    # vg4.basisbedrag claims "encoded"; a part of it ("type basisbedrag") left without an
    # encoder makes that claim false, and coverage says so.
    path = _contract_with(
        tmp_path,
        "      - {text: type basisbedrag, encoded_by: [achtergrond.basisbedrag_type]}",
        "      - {text: type basisbedrag}",
    )
    run = run_cli("coverage", "--contract", path)
    assert run.code == 1, run.everything
    assert "vg4.basisbedrag" in run.everything and "type basisbedrag" in run.everything


def test_a_partial_item_says_what_is_missing(tmp_path: Path) -> None:
    source = ROOT / "contracts" / "lokale-besturen-sociale-toeslag-2020.yaml"
    text = source.read_text(encoding="utf-8")
    start = text.index("    missing: >-\n      Where a child is domiciled")
    end = text.index("  - id: antwoord.rechtgevende_kinderen")
    path = tmp_path / source.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    run = run_cli("coverage", "--contract", path)
    assert run.code == 2 and "missing" in run.everything and "Traceback" not in run.everything


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_coverage_reports_encoded_partial_and_by_reference(path: Path) -> None:
    run = run_cli("coverage", "--contract", path, "--format", "json")
    assert run.code == 0, run.everything
    report = json.loads(run.stdout)
    assert set(report["totals"]) >= {"encoded", "partial", "by_reference", "not_encoded"}
    assert report["overclaimed"] == []
    for item in report["items"]:
        assert (item["status"] == "partial") == bool(item["missing"])


# --- finding 9: a hook cites the contract's own article ------------------------------------------


def test_a_tampered_file_is_refused_with_the_contracts_own_article(tmp_path: Path) -> None:
    contract = ROOT / "contracts" / "jobbonusplus-2025.yaml"
    out = tmp_path / "message.json"
    assert (
        run_cli(
            "sample", "--contract", contract, "--dataset", "mutatiebericht", "--rows", "3",
            "--output", out,
        ).code
        == 0
    )  # fmt: skip
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    common = ["--contract", contract, "--hop", "mutatie", "--ledger", ledger, "--to", "vutg"]
    assert run_cli("hop", "send", out, *common, "--at", "2025-03-10T06:00:00+01:00").code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["berichtdatum"] = "2025-03-09"
    out.write_text(json.dumps(doc), encoding="utf-8")
    run = run_cli("hop", "receive", out, *common, "--at", "2025-03-10T07:00:00+01:00")
    assert run.code == 1 and "hash_travels_with_file" in run.everything
    assert "(D3)" not in run.everything and "art. 6 (beveiligde connectie" in run.everything
