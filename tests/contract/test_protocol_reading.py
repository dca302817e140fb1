"""The contract findings of issue 24, each built from the protocol's own words (000, 001).

- 000 vg2 "Contactgegevens van de begunstigden/inkomensverstrekkers: e-mailadres"; art. 4
  "vult elke uitbetalingsactor per gezinscode en INSZ de mailadressen van de begunstigden aan":
  a family's contact file holds every address of its providers, not one.
- 000 art. 3 vg4 "+ type basisbedrag", "+ type leeftijdsbijslag", "+ type toeslagbedrag",
  "+ type bedrag": the background file may carry the amount types, as classes.
- 001 art. 4 "de gepseudonimiseerde dataset ter beschikking van de stafmedewerkers": the IKT
  usage columns are an allow-list the contract declares, and a parent's name is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import ROOT

from datacontract.check.validate import Options, validate_file
from datacontract.contract.load import load_contract
from datacontract.demo.sample import sample_rows, write_sample

GROEIPAKKET = load_contract(ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml")
IKT = load_contract(ROOT / "contracts" / "ikt-ouderbijdrage-2025.yaml")
ON = dt.date(2025, 6, 2)


def _check(loaded: Any, dataset: str, rows: list[dict[str, Any]], path: Path) -> set[str]:
    ds = loaded.contract.dataset(dataset)
    if path.suffix == ".csv":  # every key of the rows, declared or not
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    else:
        write_sample(rows, ds, path)
    result = validate_file(loaded, dataset, path, Options(reference_date=ON))
    return {f.rule for f in result.findings}


def _rows(loaded: Any, dataset: str, n: int = 12) -> list[dict[str, Any]]:
    return sample_rows(loaded.contract, loaded.contract.dataset(dataset), n, 3, ON)


def test_a_family_may_have_an_address_for_each_provider(tmp_path: Path) -> None:
    rows = _rows(GROEIPAKKET, "dataset_4")
    partner = {**rows[0], "email": "partner.synthetisch@example.org"}
    assert _check(GROEIPAKKET, "dataset_4", [*rows, partner], tmp_path / "d4.parquet") == set()
    # the same address twice for one family is still refused
    twice = _check(GROEIPAKKET, "dataset_4", [*rows, dict(rows[0])], tmp_path / "d4b.parquet")
    assert twice == {"dataset_4.one_row_per_address"}


def test_the_derivation_keeps_every_address() -> None:
    sql = (ROOT / "lineage" / "groeipakket-toereikendheid-2025" / "dataset_4.sql").read_text()
    assert "MIN(" not in sql.upper() and "MAX(" not in sql.upper()
    assert "GROUP BY" not in sql.upper()


TYPES = {
    "basisbedrag_type": "art. 3, variabelengroep 4 (+ type basisbedrag)",
    "leeftijdsbijslag_type": "+ type leeftijdsbijslag",
    "sociale_toeslag_type": "+ type toeslagbedrag",
    "zorgtoeslag_type": "+ type toeslagbedrag",
    "schooltoeslag_type": "+ type bedrag",
}


@pytest.mark.parametrize("column", sorted(TYPES))
def test_the_amount_types_are_accepted_as_classes(column: str, tmp_path: Path) -> None:
    ds = GROEIPAKKET.contract.dataset("achtergrond")
    assert ds is not None
    declared = ds.column(column)
    assert declared is not None and declared.values, column
    assert TYPES[column] in declared.article
    rows = _rows(GROEIPAKKET, "achtergrond")
    assert rows[0].get(column) is not None or any(r.get(column) for r in rows)
    assert _check(GROEIPAKKET, "achtergrond", rows, tmp_path / "a.parquet") == set()
    bad = [{**rows[0], column: "345.67"}, *rows[1:]]  # an amount, not a class
    assert _check(GROEIPAKKET, "achtergrond", bad, tmp_path / "b.parquet")


@pytest.mark.parametrize("name", ["ouder", "familie", "geboortejaar", "dossiernummer_ikt"])
def test_an_ikt_column_outside_the_allow_list_is_refused(name: str, tmp_path: Path) -> None:
    rows = _rows(IKT, "simulatie_kind_periode")
    # a parent's name (synthetic), a year of birth, a dossier number: none is usage data
    value = {"ouder": "Synthetische Ouder", "geboortejaar": 1990}.get(name, "X-0001")
    with_extra = [{**r, name: value} for r in rows]
    found = _check(IKT, "simulatie_kind_periode", with_extra, tmp_path / "s.csv")
    assert "simulatie_kind_periode.columns_by_reference.allow" in found


def test_an_allowed_ikt_usage_column_passes_and_is_still_scanned(tmp_path: Path) -> None:
    rows = _rows(IKT, "simulatie_kind_periode")
    usage = [{**r, "opvang_dagen_2023": 11} for r in rows]
    assert _check(IKT, "simulatie_kind_periode", usage, tmp_path / "u.csv") == set()
    mail = [{**r, "opvang_vorm": "ouder.synthetisch@example.org"} for r in rows]
    found = _check(IKT, "simulatie_kind_periode", mail, tmp_path / "m.csv")
    assert "simulatie_kind_periode.no_contact_data" in found
    named = [{**r, "opvang_naam": "x"} for r in rows]  # allowed by no pattern, and a name
    assert _check(IKT, "simulatie_kind_periode", named, tmp_path / "n.csv")


def _sent(loaded: Any, ledger: Path, hop: str, sender: str, receiver: str, day: str) -> None:
    from datacontract.ledger import store
    from datacontract.ledger.append import Appending
    from datacontract.ledger.chain import EventDraft

    c = loaded.contract
    draft = EventDraft(
        time=f"{day}T10:00:00+01:00", kind="sent", contract=c.contract,
        contract_version=c.version, party=sender, dataset=c.hop(hop).dataset, hop=hop,
        sender=sender, receiver=receiver, sha256="ab" * 32, rows=1,
    )  # fmt: skip
    store.append(ledger, draft, Appending())


@pytest.mark.parametrize(
    ("loaded", "hop", "sender", "receiver", "day", "invariant", "holds"),
    [
        # 000 art. 5 "uiterlijk in februari 2025", of the rights of September 2024
        (GROEIPAKKET, "stap4", "fons", "opgroeien_it", "2024-06-03", "payers_once_by_february", False),
        (GROEIPAKKET, "stap4", "fons", "opgroeien_it", "2025-02-10", "payers_once_by_february", True),
        (GROEIPAKKET, "stap4", "fons", "opgroeien_it", "2025-03-17", "payers_once_by_february", False),
        # 001 art. 5 "in de loop van 2025": not in 2024, not in 2026
        (IKT, "levering_kind_periode", "vutg", "opgroeien_it", "2024-12-30", "vutg_delivers_once_in_2025", False),
        (IKT, "levering_kind_periode", "vutg", "opgroeien_it", "2025-06-02", "vutg_delivers_once_in_2025", True),
        (IKT, "levering_kind_periode", "vutg", "opgroeien_it", "2026-01-05", "vutg_delivers_once_in_2025", False),
    ],
)  # fmt: skip
def test_delivery_windows_are_bounded_at_both_ends(
    loaded: Any, hop: str, sender: str, receiver: str, day: str, invariant: str, holds: bool,
    tmp_path: Path,
) -> None:  # fmt: skip
    import datacontract as api
    from datacontract.ledger import store

    ledger = tmp_path / "ledger.jsonl"
    store.init(ledger, loaded.contract.contract, loaded.contract.version)
    _sent(loaded, ledger, hop, sender, receiver, day)
    proof = api.prove(api.ProveOptions(loaded, ledger, at="2026-06-01T00:00:00+02:00")).proof
    verdict = next(v for v in proof.verdicts if v.invariant == invariant)
    assert verdict.holds is holds


def test_a_request_dated_ahead_is_counted_on_the_day_it_travels(tmp_path: Path) -> None:
    """004 C1, C2: students "vanaf 25 jaar". A request for a 21-year-old dated 2030 passes the
    age counted on its own date, not the age on the day it is sent (2025)."""
    from datacontract.demo.sample import XML
    from datacontract.personal.insz import make_insz

    ahovoks = load_contract(ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml")
    ds = ahovoks.contract.dataset("historiekinschrijving_vraag")
    assert ds is not None
    sent = dt.date(2025, 6, 2)
    rows = sample_rows(ahovoks.contract, ds, 1, 3, sent)
    rows[0]["Verzoek/Vragen/Vraag/Inhoud/Criteria/INSZ"] = make_insz(dt.date(2004, 1, 10), 61)
    rows[0]["Verzoek/Context/Bericht/Tijdstip/Datum"] = "2030-01-15"
    path = write_sample(rows, ds, tmp_path / f"vraag{XML}")
    result = validate_file(ahovoks, ds.id, path, Options(reference_date=sent))
    found = {f.rule for f in result.findings}
    assert "historiekinschrijving_vraag.student_25_or_over_when_sent" in found
    assert "historiekinschrijving_vraag.student_25_or_over" not in found
