"""MAGDA XML documents (GeefHistoriekInschrijving 02.01): reading, XSD, the contract's rules.

Every document is synthetic (datacontract.demo.magda_documents, national numbers from
make_insz); the service's mock answers are not in the repository.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import run_cli

from datacontract.demo.magda_documents import answer_xml, request_xml, student_insz

CONTRACT = Path(__file__).parents[2] / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
ON = dt.date(2025, 3, 1)


def _validate(path: Path, dataset: str) -> tuple[int, str]:
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", dataset)
    return run.code, run.everything


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("soap", [True, False])
@pytest.mark.parametrize("enrolments", [0, 1, 4])
def test_answers_in_the_service_shape_are_valid(
    tmp_path: Path, soap: bool, enrolments: int
) -> None:
    path = _write(tmp_path, "a.xml", answer_xml(ON, enrolments, soap=soap, seed=enrolments))
    code, out = _validate(path, "historiekinschrijving")
    assert code == 0, out


@pytest.mark.parametrize(("born", "code"), [(dt.date(1995, 1, 10), 0), (dt.date(2004, 1, 10), 1)])
@pytest.mark.parametrize("soap", [True, False])
def test_request_for_30_passes_and_for_21_is_refused(
    tmp_path: Path, born: dt.date, code: int, soap: bool
) -> None:
    insz = student_insz(born)
    doc = request_xml(insz, ON, dt.date(2020, 1, 1), dt.date(2024, 1, 1), soap=soap)
    got, out = _validate(_write(tmp_path, "q.xml", doc), "historiekinschrijving_vraag")
    assert got == code, out
    assert insz not in out
    if code:
        assert "student_25_or_over" in out


def test_request_with_period_reversed_is_refused(tmp_path: Path) -> None:
    doc = request_xml(
        student_insz(dt.date(1990, 5, 5)), ON, dt.date(2024, 1, 1), dt.date(2020, 1, 1)
    )
    code, out = _validate(_write(tmp_path, "q.xml", doc), "historiekinschrijving_vraag")
    assert code == 1 and "period_ordered" in out


MUTATIONS = {
    "undefined_element": ("<Geheim>synthetic</Geheim>", "HogerOnderwijs/Geheim"),
    "insz_in_text": None,  # filled in below with a synthetic number
    "student_email": ("<Email>student.x@example.org</Email>", "HogerOnderwijs/Email"),
}


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_mutated_answers_are_refused_by_path_not_value(tmp_path: Path, kind: str) -> None:
    insz = student_insz(dt.date(1991, 2, 3), 77)
    if kind == "insz_in_text":
        # a national number where the service puts a free text (a programme's name)
        doc = answer_xml(ON, 2).replace(
            b"Bachelor in de synthese</VolledigeNaam>", f"{insz}</VolledigeNaam>".encode(), 1
        )
        value, where = insz, "Opleiding/VolledigeNaam"
    else:
        extra, where = MUTATIONS[kind]  # type: ignore[misc]
        doc = answer_xml(ON, 2, extra=extra)
        value = extra.split(">")[1].split("<")[0]
    code, out = _validate(_write(tmp_path, "a.xml", doc), "historiekinschrijving")
    assert code == 1, out
    if kind == "undefined_element":
        # an element no XSD and no contract declares is named by position (issue 22.3)
        assert "(not in the contract)" in out and where.split("/")[-1] not in out, out
    else:
        assert where in out.replace("\n", "")
    assert value not in out


def test_request_is_not_an_answer(tmp_path: Path) -> None:
    doc = request_xml(
        student_insz(dt.date(1990, 1, 1)), ON, dt.date(2020, 1, 1), dt.date(2021, 1, 1)
    )
    code, out = _validate(_write(tmp_path, "q.xml", doc), "historiekinschrijving")
    assert code == 1 and "document.service" in out and "GeefHistoriekInschrijvingResponse" in out


def test_other_version_is_refused_naming_it(tmp_path: Path) -> None:
    doc = answer_xml(ON, 1).replace(b"<Versie>02.01.0000</Versie>", b"<Versie>03.00.0000</Versie>")
    code, out = _validate(_write(tmp_path, "a.xml", doc), "historiekinschrijving")
    assert code == 1 and "03.00.0000" in out


def test_a_context_of_an_earlier_minor_version_in_the_right_namespace_is_accepted(
    tmp_path: Path,
) -> None:
    # One of the service's own mock answers says 02.00.0000 in its context while its
    # namespace, and so its definition, is 02.01: the namespace decides, the major must match.
    doc = answer_xml(ON, 1).replace(b"<Versie>02.01.0000</Versie>", b"<Versie>02.00.0000</Versie>")
    code, out = _validate(_write(tmp_path, "a.xml", doc), "historiekinschrijving")
    assert code == 0, out


HOSTILE = {
    "broken": b"<a><b></a>",
    "doctype_entities": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<r>&b;</r>"
    ),
    "external_entity": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><r>&x;</r>'
    ),
    "deep": b"<a>" * 200 + b"</a>" * 200,
    "empty_root": b"<?xml version='1.0'?>",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_broken_or_hostile_xml_is_exit_2(tmp_path: Path, kind: str) -> None:
    code, out = _validate(_write(tmp_path, "h.xml", HOSTILE[kind]), "historiekinschrijving")
    assert code == 2, out
    assert "Traceback" not in out and "internal error" not in out
