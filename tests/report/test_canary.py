"""Canaries: personal values planted in failing files never come out of any output.

Every value below is synthetic. The test plants them in files of every format, runs every
report format and the Python API, and searches all that came out for the values and for their
digits alone (a report that printed "YYMMDDSSSCC" as "YY MM DD ..." would still leak it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

import datacontract
from datacontract.personal.insz import NOTATIONS, format_insz, make_insz

NUMBER = make_insz(dt.date(1979, 11, 23), 611)
BIS = make_insz(dt.date(1990, 2, 2), 318, bis=20)
YOUNG = make_insz(dt.date(2003, 8, 1), 45)
EMAIL = "canary.vogel@kanarie-test.be"
PHONE = "+32 470 12 34 56"
CGPA = "CG31415926"
FREE_TEXT = "ZZCANARY-vrije-tekst"
PAYER = "ZZCANARYPAYER"
INCOME = "52731.44"

CANARIES = [
    *(format_insz(NUMBER, notation) for notation in NOTATIONS),
    BIS,
    format_insz(BIS, "dotted"),
    YOUNG,
    EMAIL,
    PHONE,
    CGPA,
    FREE_TEXT,
    PAYER,
    INCOME,
]


def _rows(n: int = 6) -> list[dict[str, object]]:
    """A dataset_4-shaped table where every row breaks something, each with a canary."""
    plants = [
        {"email": f"mail {format_insz(NUMBER, 'dotted')}"},
        {"email": f"{NUMBER}@example.be"},
        {"email": PHONE},
        {"stratum": f"{CGPA} {FREE_TEXT}"},
        {"ua": PAYER},
        {"email": f"tel {BIS} / {format_insz(BIS, 'dotted')}"},
    ]
    rows = []
    for i in range(n):
        row: dict[str, object] = {
            "gezinscode": "GAAAAAAAAAAAAAAA" + "ABCDEFGH"[i],
            "ua": "FONS",
            "stratum": "FONS/1/0-5/I1",
            "email": None,
            "opmerking": f"{FREE_TEXT} {format_insz(NUMBER, NOTATIONS[i % len(NOTATIONS)])}",
            "bedrag": INCOME,
            EMAIL: YOUNG,  # a header that is itself personal data
        }
        row.update(plants[i % len(plants)])
        rows.append(row)
    return rows


def _write(fmt: str, path: Path) -> Path:
    rows = _rows()
    if fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif fmt == "csv":
        header = list(rows[0])
        lines = [";".join(header)] + [
            ";".join("" if r[h] is None else str(r[h]) for h in header) for r in rows
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(rows[0]))
        for r in rows:
            sheet.append(list(r.values()))
        book.save(path)
    return path


def _assert_clean(text: str) -> None:
    digits = re.sub(r"\D", "", text)
    for value in CANARIES:
        assert value not in text, value
        only_digits = re.sub(r"\D", "", value)
        if len(only_digits) >= 9:
            assert only_digits not in digits, value
    assert NUMBER not in digits and BIS not in digits and YOUNG.lstrip("0") not in digits


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "xlsx"])
def test_no_output_format_echoes_a_planted_value(fmt: str, tmp_path: Path) -> None:
    path = _write(fmt, tmp_path / f"canary.{fmt}")
    for report in ("text", "json", "junit"):
        output = tmp_path / f"out.{report}"
        for extra in ([], ["--output", str(output)]):
            run = run_cli(
                "validate", path, "--contract", CONTRACT, "--dataset", "dataset_4",
                "--format", report, *extra,
            )  # fmt: skip
            assert run.code == 1, run.everything
            written = output.read_text(encoding="utf-8") if extra else ""
            _assert_clean(run.everything + written)
            assert "dataset_4.no_insz" in run.everything + written


def test_the_python_result_holds_no_value(tmp_path: Path) -> None:
    loaded = datacontract.load_contract(CONTRACT)
    result = datacontract.validate_file(
        loaded, "dataset_4", _write("parquet", tmp_path / "c.parquet")
    )
    assert not result.valid
    _assert_clean(repr(result) + json.dumps(result.to_json()) + str(result.findings))
    rules = {f.rule for f in result.findings}
    assert {"dataset_4.no_insz", "dataset_4.columns.allowed", "dataset_4.ua.values"} <= rules


def test_bad_input_messages_hold_no_value(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(f"gezinscode;ua;stratum;email\nG;FONS;{NUMBER};{EMAIL};{PHONE}\n")
    run = run_cli("validate", path, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert run.code == 2
    _assert_clean(run.everything)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"gezinscode;ua;stratum;email\nG;FONS;s;{NUMBER} caf\xe9\n".encode("latin-1"))
    run = run_cli("validate", latin, "--contract", CONTRACT, "--dataset", "dataset_4")
    assert run.code == 2
    _assert_clean(run.everything)


# --- MAGDA XML: canaries in element text ----------------------------------------------------------

AHOVOKS = CONTRACT.parent / "ahovoks-historiekinschrijving-2019.yaml"
XML_ON = dt.date(2024, 10, 1)


def _xml_answer(path: Path) -> Path:
    """An AHOVOKS answer with a national number (in every notation, and as a bis number), a
    student's e-mail and phone in element text, and an element the service does not define."""
    from datacontract.demo.magda_documents import answer_xml

    doc = answer_xml(XML_ON, 3, soap=True, extra=f"<Bijnaam>{EMAIL} {FREE_TEXT}</Bijnaam>")
    numbers = " ".join(format_insz(NUMBER, n) for n in NOTATIONS) + f" {BIS}"
    doc = doc.replace(b"Bachelor in de synthese<", f"{numbers}<".encode(), 1)
    doc = doc.replace(b"<Kwalificatie>synthese<", f"<Kwalificatie>{EMAIL} {PHONE}<".encode(), 1)
    path.write_bytes(doc)
    return path


def _xml_request(path: Path) -> Path:
    """A request for a student far under 25 (YOUNG), with a planted payer name in its context."""
    from datacontract.demo.magda_documents import request_xml

    doc = request_xml(YOUNG, XML_ON, dt.date(2020, 1, 1), dt.date(2024, 1, 1))
    path.write_bytes(doc.replace(b"synthetic-ref-1", PAYER.encode()))
    return path


@pytest.mark.parametrize(
    ("dataset", "write", "rules"),
    [
        (
            "historiekinschrijving",
            _xml_answer,
            {"historiekinschrijving.no_insz", "historiekinschrijving.contact_only_of_institution"},
        ),
        (
            "historiekinschrijving_vraag",
            _xml_request,
            {"historiekinschrijving_vraag.student_25_or_over"},
        ),
    ],
)
def test_no_output_format_echoes_a_value_planted_in_xml(
    dataset: str, write: object, rules: set[str], tmp_path: Path
) -> None:
    assert callable(write)
    path = write(tmp_path / "canary.xml")
    for report in ("text", "json", "junit"):
        output = tmp_path / f"out.{report}"
        for extra in ([], ["--output", str(output)]):
            run = run_cli(
                "validate", path, "--contract", AHOVOKS, "--dataset", dataset,
                "--format", report, *extra,
            )  # fmt: skip
            assert run.code == 1, run.everything
            written = output.read_text(encoding="utf-8") if extra else ""
            _assert_clean(run.everything + written)
            for rule in rules:
                assert rule in run.everything + written, rule
    loaded = datacontract.load_contract(AHOVOKS)
    result = datacontract.validate_file(loaded, dataset, path)
    assert not result.valid
    _assert_clean(repr(result) + json.dumps(result.to_json()) + str(result.findings))


def test_broken_xml_is_bad_input_and_holds_no_value(tmp_path: Path) -> None:
    from datacontract.demo.magda_documents import answer_xml

    doc = answer_xml(XML_ON, 2).replace(b"Bachelor in de synthese<", f"{NUMBER} {EMAIL}<".encode())
    path = tmp_path / "broken.xml"
    path.write_bytes(doc[: len(doc) // 2 + 40] + f"<{PHONE}>".encode())
    run = run_cli("validate", path, "--contract", AHOVOKS, "--dataset", "historiekinschrijving")
    assert run.code == 2, run.everything
    _assert_clean(run.everything)
