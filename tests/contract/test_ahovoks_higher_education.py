"""004 C1: "de inschrijvingsgegevens ... van studenten vanaf 25 jaar"; "na kennisgeving van de
gezinnen dat er studenten in het gezin zijn die tijdens het betreffende school- of academiejaar
hoger onderwijs volgen" (C2 likewise). The service GeefHistoriekInschrijving 02.01 can answer
with an enrolment in compulsory education, adult education or a boarding school as well (the
XSD's choice); the contract admits only what the text covers, higher education: an answer
holding another kind of enrolment is refused by its path, citing C1, whatever the XSD allows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT, run_cli

from datacontract.demo.magda_documents import answer_xml

CONTRACT = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
ON = dt.date(2025, 3, 1)
HIGHER = re.compile(rb"<HogerOnderwijs>.*?</HogerOnderwijs>", re.S)

OTHER = {
    "Internaat": "<Internaat><Schooljaar>2020-2021</Schooljaar>"
    "<Periode><Begin>2020-09-01</Begin><Einde>2021-06-30</Einde></Periode></Internaat>",
    "Volwassenenonderwijs": "<Volwassenenonderwijs><DatumInschrijving>2020-09-20"
    "</DatumInschrijving></Volwassenenonderwijs>",
    "LeerplichtOnderwijs": "<LeerplichtOnderwijs><DatumInschrijving>2020-09-01"
    "</DatumInschrijving><Schooljaar>2020-2021</Schooljaar></LeerplichtOnderwijs>",
}


def _answer(tmp_path: Path, part: str | None) -> Path:
    doc = answer_xml(ON, 2, seed=5)
    if part is not None:
        # the last enrolment holds another kind of education instead of higher education
        last = list(HIGHER.finditer(doc))[-1]
        doc = doc[: last.start()] + OTHER[part].encode() + doc[last.end() :]
    path = tmp_path / "antwoord.xml"
    path.write_bytes(doc)
    return path


def _validate(path: Path) -> tuple[int, str]:
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", "historiekinschrijving")
    assert "Traceback" not in run.everything
    return run.code, run.everything


def test_an_answer_on_higher_education_passes(tmp_path: Path) -> None:
    code, out = _validate(_answer(tmp_path, None))
    assert code == 0, out


@pytest.mark.parametrize("part", sorted(OTHER))
def test_an_answer_on_other_education_is_refused_citing_c1(tmp_path: Path, part: str) -> None:
    code, out = _validate(_answer(tmp_path, part))
    assert code == 1, out
    flat = out.replace("\n", " ")
    assert "historiekinschrijving.columns.allowed" in flat, out
    assert "C1 (studenten die hoger onderwijs volgen)" in flat, out


def test_the_contract_lists_no_path_outside_higher_education() -> None:
    from datacontract.contract.load import load_contract

    answer = load_contract(CONTRACT).contract.dataset("historiekinschrijving")
    assert answer is not None
    parts = {c.name.split("/Inschrijving/")[1].split("/")[0] for c in answer.columns
             if "/Inschrijving/" in c.name}  # fmt: skip
    assert "HogerOnderwijs" in parts
    assert not parts & set(OTHER), parts
