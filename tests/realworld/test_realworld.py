"""Files as data managers really produce them: each case generated here, with its verdict.

Every case belongs to a kind of fault that once let a national number through, or echoed a
value: separators beyond ASCII, numeric renderings of a number, storage types, parts of a file
a reader could skip, values where a header should be, the register's own validity, one value
with one verdict in every format. Each case runs through the command line in the three report
formats, and nothing any of them prints may contain a planted value (nor its digits alone).
No number here belongs to anyone: they are computed with make_insz.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from tests.conftest import ROOT, run_cli

from datacontract.contract.load import load_contract
from datacontract.demo.sample import sample_rows
from datacontract.personal.insz import make_insz

ADEQUACY = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
IKT = ROOT / "contracts" / "ikt-ouderbijdrage-2025.yaml"

ADULT = make_insz(dt.date(1979, 11, 23), 611)
CHILD = make_insz(dt.date(2006, 4, 17), 212)  # born in 2006: loses its leading zero as a number
COUNTER = make_insz(dt.date(1985, 12, 1), 123)[:4] + "35" + "123"  # the day part 35
COUNTER = COUNTER + f"{97 - int(COUNTER) % 97:02d}"
SURNAME, FIRST, STREET = "Zzcanaryperson", "Zzcanaryfirst", "Zzcanarystraat 17"
EMAIL = "zz.canary@kanarie-test.be"


def spaced(digits: str, sep: str) -> str:
    return sep.join([digits[0:2], digits[2:4], digits[4:6], digits[6:9], digits[9:11]])


@dataclass
class Case:
    """One file and what the tool must say of it."""

    name: str
    write: Callable[[Path], Path]
    contract: Path
    dataset: str
    code: int
    says: str  # a rule id or words that the report must hold
    planted: list[str] = field(default_factory=list)
    args: tuple[str, ...] = ()


def rows_of(contract: Path, dataset: str, n: int = 5) -> list[dict[str, Any]]:
    loaded = load_contract(contract)
    ds = loaded.contract.dataset(dataset)
    assert ds is not None
    return sample_rows(loaded.contract, ds, n, seed=3)


def with_column(contract: Path, dataset: str, name: str, values: list[Any]) -> list[dict[str, Any]]:
    rows = rows_of(contract, dataset, len(values))
    for row, value in zip(rows, values, strict=True):
        row[name] = value
    return rows


def csv_file(
    rows: list[dict[str, Any]], header: bool = True, sep: str = ";"
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "export.csv"
        names = list(rows[0])
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, delimiter=sep)
            if header:
                out.writerow(names)
            out.writerows([["" if r[n] is None else str(r[n]) for n in names] for r in rows])
        return path

    return write


def xlsx_file(
    rows: list[dict[str, Any]],
    extra_sheets: list[tuple[str, str, list[list[Any]]]] = (),  # type: ignore[assignment]
) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "export.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Blad1"
        names = list(rows[0])
        ws.append(names)
        for r in rows:
            ws.append([r[n] for n in names])
        for title, state, cells in extra_sheets:
            other = wb.create_sheet(title)
            for line in cells:
                other.append(line)
            other.sheet_state = state  # type: ignore[assignment]
        wb.save(path)
        return path

    write.ods = ods_file(rows, extra_sheets)  # type: ignore[attr-defined]
    return write


def ods_file(
    rows: list[dict[str, Any]],
    extra_sheets: list[tuple[str, str, list[list[Any]]]] = (),  # type: ignore[assignment]
) -> Callable[[Path], Path]:
    """The ODS twin of xlsx_file (a sheet's hidden state has no counterpart: ODS hides a
    sheet by its style, and every sheet is read alike)."""

    def write(folder: Path) -> Path:
        from datacontract.read.ods import write_sheets

        path = folder / "export.ods"
        names = list(rows[0])
        sheets = [("Blad1", [names, *([r[n] for n in names] for r in rows)])]
        sheets += [(title, cells) for title, _, cells in extra_sheets]
        with path.open("wb") as out:
            write_sheets(out, sheets)
        return path

    return write


def ods_twins(cases: list[Case]) -> list[Case]:
    """An ODS case for every XLSX one (ODS validates like XLSX)."""
    out = []
    for case in cases:
        twin = getattr(case.write, "ods", None)
        if twin is not None:
            says = case.says.replace("worksheet", "sheet")
            out.append(Case("ods" + case.name[4:], twin, case.contract, case.dataset, case.code,
                            says, case.planted, case.args))  # fmt: skip
    return out


def parquet_file(table: Callable[[], pa.Table]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "export.parquet"
        pq.write_table(table(), path)
        return path

    return write


def text_file(name: str, text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def table_with(contract: Path, dataset: str, name: str, array: pa.Array) -> Callable[[], pa.Table]:
    def build() -> pa.Table:
        base = pa.Table.from_pylist(rows_of(contract, dataset, len(array)))
        return base.append_column(name, array)

    return build


SIM = "simulatie_kind_periode"
NO_INSZ_SIM = "simulatie_kind_periode.no_insz"
NO_INSZ_4 = "dataset_4.no_insz"


def cases() -> list[Case]:
    out: list[Case] = []
    # -- separators beyond ASCII (pasted from Word, PDF or a web page) ------------------------
    for label, sep in [
        ("no-break space", "\u00a0"),
        ("narrow no-break space", "\u202f"),
        ("thin space", "\u2009"),
        ("figure space", "\u2007"),
        ("en dash", "\u2013"),
        ("minus sign", "\u2212"),
        ("non-breaking hyphen", "\u2011"),
        ("zero-width space", "\u200b"),
        ("word joiner", "\u2060"),
        ("soft hyphen", "\u00ad"),
        ("combining grapheme joiner", "\u034f"),
        ("variation selector", "\ufe0f"),
        ("Hangul filler", "\u3164"),
        ("braille blank", "\u2800"),
        ("middle dot", "\u00b7"),
    ]:
        value = spaced(ADULT, sep)
        rows = with_column(IKT, SIM, "opmerking", [None, f"zie {value}", None, None, None])
        out.append(Case(f"xlsx {label}", xlsx_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [value]))
        rows4 = with_column(ADEQUACY, "dataset_4", "email", [None, None, value, None, None])
        out.append(
            Case(f"csv {label}", csv_file(rows4), ADEQUACY, "dataset_4", 1, NO_INSZ_4, [value])
        )
    fullwidth = "".join(chr(0xFF10 + int(c)) for c in ADULT)
    rows = with_column(IKT, SIM, "opmerking", [fullwidth, None, None, None, None])
    out.append(Case("csv full-width digits", csv_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [fullwidth]))
    # -- numeric renderings of a number ---------------------------------------------------------
    lost = str(int(CHILD))
    sci = f"{lost[0]},{lost[1:].rstrip('0')}E+{len(lost) - 1:02d}"
    for label, value in [
        ("float text", f"{lost}.0"),
        ("float text, decimal comma", f"{lost},00"),
        ("scientific, decimal comma", sci),
        ("scientific, decimal point", sci.replace(",", ".")),
        ("scientific, three-digit exponent", sci.replace("E+0", "E+00")),
        ("thousands grouped by dots", f"{int(ADULT):,}".replace(",", ".")),
        ("thousands grouped by spaces", f"{int(ADULT):,}".replace(",", " ")),
        ("thousands grouped by no-break spaces", f"{int(CHILD):,}".replace(",", "\u00a0")),
        ("lost leading zero", lost),
    ]:
        rows = with_column(IKT, SIM, "opmerking", [None, None, None, value, None])
        out.append(Case(f"csv {label}", csv_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [value]))
    rows = with_column(IKT, SIM, "nummer", [None, int(CHILD), None, None, None])
    out.append(
        Case("xlsx number cell, lost zero", xlsx_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [lost])
    )
    rows = with_column(IKT, SIM, "nummer", [None, float(int(CHILD)), None, None, None])
    out.append(Case("xlsx float cell", xlsx_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [lost]))
    # -- every storage type ---------------------------------------------------------------------
    for label, array in [
        ("float64", pa.array([None, float(int(CHILD)), None, None, None], pa.float64())),
        ("int64", pa.array([None, None, int(ADULT), None, None], pa.int64())),
        (
            "decimal",
            pa.array([None, decimal.Decimal(int(CHILD)), None, None, None], pa.decimal128(14, 2)),
        ),
        ("binary", pa.array([None, ADULT.encode(), None, None, None], pa.binary())),
        ("large_string", pa.array([None, None, None, f"x {ADULT}", None], pa.large_string())),
        (
            "string_view",
            pa.array([ADULT, None, None, None, None], pa.string()).cast(pa.string_view()),
        ),
        ("dictionary", pa.array(["a", ADULT, "a", "a", "a"]).dictionary_encode()),
        ("list of strings", pa.array([[], ["x", ADULT], None, [], []], pa.list_(pa.string()))),
        ("struct", pa.array([{"a": "x"}, {"a": ADULT}, None, {"a": None}, {"a": "y"}])),
        ("list of structs", pa.array([[{"k": ADULT}], [], None, [], []])),
        ("map", pa.array([[("k", ADULT)], [], None, [], []], pa.map_(pa.string(), pa.string()))),
    ]:
        out.append(
            Case(
                f"parquet {label}",
                parquet_file(table_with(IKT, SIM, "extra", array)),
                IKT,
                SIM,
                1,
                NO_INSZ_SIM,
                [ADULT, lost],
            )
        )
    base = rows_of(IKT, SIM, 3)
    nested = [dict(r) for r in base]
    nested[1]["extra"] = {"kind": {"nummers": [ADULT]}}
    out.append(
        Case(
            "json nested value",
            text_file("export.json", json.dumps(nested)),
            IKT,
            SIM,
            1,
            NO_INSZ_SIM,
            [ADULT],
        )
    )
    numbers = [dict(r) for r in base]
    numbers[2]["extra"] = int(CHILD)
    jsonl = "\n".join(json.dumps(r) for r in numbers) + "\n"
    out.append(
        Case(
            "jsonl number, lost zero",
            text_file("export.jsonl", jsonl),
            IKT,
            SIM,
            1,
            NO_INSZ_SIM,
            [lost],
        )
    )
    # -- parts of a file the reader could skip --------------------------------------------------
    d4 = rows_of(ADEQUACY, "dataset_4", 4)
    mapping = [["gezinscode", "insz"]] + [[r["gezinscode"], ADULT] for r in d4]
    for state in ("hidden", "veryHidden", "visible"):
        out.append(
            Case(
                f"xlsx second sheet {state}",
                xlsx_file(d4, [("Koppeling", state, mapping)]),
                ADEQUACY,
                "dataset_4",
                2,
                "2 worksheets hold data",
                [ADULT],
            )
        )
        out.append(
            Case(
                f"xlsx second sheet {state}, --sheet chosen",
                xlsx_file(d4, [("Koppeling", state, mapping)]),
                ADEQUACY,
                "dataset_4",
                1,
                NO_INSZ_4,
                [ADULT],
                ("--sheet", "Blad1"),
            )
        )
    out.append(
        Case(
            "xlsx sheet named with a number",
            xlsx_file(d4, [(f"nr {ADULT}", "hidden", [["x"]])]),
            ADEQUACY,
            "dataset_4",
            2,
            "worksheet 2 (not in the contract)",
            [ADULT],
        )
    )
    dup = json.dumps(d4[0])[:-1] + f', "email": "{EMAIL}", "email": "{ADULT}"}}'
    out.append(
        Case(
            "jsonl duplicate key",
            text_file("x.jsonl", dup + "\n"),
            ADEQUACY,
            "dataset_4",
            2,
            "twice",
            [ADULT, EMAIL],
        )
    )
    out.append(
        Case(
            "json duplicate key",
            text_file("x.json", f"[{dup}]"),
            ADEQUACY,
            "dataset_4",
            2,
            "twice",
            [ADULT, EMAIL],
        )
    )
    inner = json.dumps(nested[1])[:-1] + f', "x": {{"a": "{ADULT}", "a": 1}}}}'
    out.append(
        Case(
            "json nested duplicate key",
            text_file("y.json", f"[{inner}]"),
            IKT,
            SIM,
            2,
            "twice",
            [ADULT],
        )
    )
    personal_key = json.dumps(d4[0])[:-1] + f', "{ADULT}": 1, "{ADULT}": 2}}'
    out.append(
        Case(
            "jsonl duplicate personal key",
            text_file("z.jsonl", personal_key + "\n"),
            ADEQUACY,
            "dataset_4",
            2,
            "withheld",
            [ADULT],
        )
    )
    # -- values where a header should be -------------------------------------------------------
    people = [dict(r, achternaam=SURNAME, voornaam=FIRST, straat=STREET) for r in d4]
    out.append(
        Case(
            "csv export without header",
            csv_file(people, header=False),
            ADEQUACY,
            "dataset_4",
            2,
            "no header row",
            [SURNAME, FIRST, STREET],
        )
    )
    out.append(
        Case(
            "xlsx export without header",
            xlsx_file_no_header(people),
            ADEQUACY,
            "dataset_4",
            2,
            "no header row",
            [SURNAME, FIRST, STREET],
        )
    )
    only_people = [{"a": SURNAME, "b": FIRST, "c": STREET}] * 3
    out.append(
        Case(
            "csv of names without header",
            csv_file(only_people, header=False),
            ADEQUACY,
            "dataset_4",
            1,
            "column 1 (not in the contract)",
            [SURNAME, FIRST, STREET],
        )
    )
    ikt_people = [
        {k: ("0" if v is None else v) for k, v in dict(r, naam=SURNAME).items()}
        for r in rows_of(IKT, SIM, 3)
    ]
    out.append(
        Case(
            "ikt csv without header",
            csv_file(ikt_people, header=False),
            IKT,
            SIM,
            2,
            "no header row",  # values repeat in a data row: refused before their names show
            [SURNAME],
        )
    )
    keyed = "\n".join(json.dumps({**r, ADULT: 1, EMAIL: 2}) for r in d4) + "\n"
    out.append(
        Case(
            "jsonl personal keys",
            text_file("k.jsonl", keyed),
            ADEQUACY,
            "dataset_4",
            1,
            "withheld",
            [ADULT, EMAIL],
        )
    )
    with_mail_header = [{**r, EMAIL: "x"} for r in d4]
    out.append(
        Case(
            "csv e-mail as a header",
            csv_file(with_mail_header),
            ADEQUACY,
            "dataset_4",
            1,
            "withheld",
            [EMAIL],
        )
    )
    markup = [{**r, "x[/]": "1", "[link=http://x]y": "2"} for r in d4]
    out.append(
        Case(
            "csv markup in headers",
            csv_file(markup),
            ADEQUACY,
            "dataset_4",
            1,
            "dataset_4.columns.allowed",
        )
    )
    # -- names are data too: a number or an address as a column name or key ------------------
    for label, value in [("national number", ADULT), ("e-mail", EMAIL), ("lost zero", lost)]:
        named = [{**r, value: "x"} for r in rows_of(IKT, SIM, 3)]
        rule = NO_INSZ_SIM if label != "e-mail" else "simulatie_kind_periode.no_contact_data"
        out.append(
            Case(f"csv {label} as a column name", csv_file(named), IKT, SIM, 1, rule, [value])
        )
        out.append(
            Case(
                f"parquet {label} as a column name",
                parquet_file(table_with(IKT, SIM, value, pa.array(["x", "y", None, "z", "w"]))),
                IKT,
                SIM,
                1,
                rule,
                [value],
            )
        )
        keyed_rows = [dict(r) for r in rows_of(IKT, SIM, 3)]
        keyed_rows[0]["extra"] = {value: 1}
        text = "\n".join(json.dumps(r) for r in keyed_rows) + "\n"
        out.append(
            Case(
                f"jsonl {label} as a nested key",
                text_file("n.jsonl", text),
                IKT,
                SIM,
                1,
                rule,
                [value],
            )
        )
    # -- the register's own validity -----------------------------------------------------------
    rows = with_column(IKT, SIM, "opmerking", [None, COUNTER, None, None, None])
    out.append(Case("csv day part 35", csv_file(rows), IKT, SIM, 1, NO_INSZ_SIM, [COUNTER]))

    # -- Excel's sep= line ---------------------------------------------------------------------
    def with_sep_line(folder: Path) -> Path:
        path = csv_file(with_column(IKT, SIM, "opmerking", [ADULT, None, None, None, None]))(folder)
        path.write_text("sep=;\r\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        return path

    out.append(Case("csv with sep= line", with_sep_line, IKT, SIM, 1, NO_INSZ_SIM, [ADULT]))
    out.extend(magda_cases())
    return out


# -- MAGDA XML documents (AHOVOKS, protocol 004) ---------------------------------------------------

AHOVOKS = ROOT / "contracts" / "ahovoks-historiekinschrijving-2019.yaml"
ANSWER, REQUEST = "historiekinschrijving", "historiekinschrijving_vraag"
MAGDA_ON = dt.date(2024, 10, 1)


def xml_file(make: Callable[[], bytes], name: str = "magda.xml") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(make())
        return path

    return write


def magda_cases() -> list[Case]:
    from datacontract.demo.magda_documents import answer_xml, request_xml

    def answer(old: bytes = b"", new: bytes = b"", *, soap: bool = True) -> bytes:
        doc = answer_xml(MAGDA_ON, 2, soap=soap)
        return doc.replace(old, new, 1) if old else doc

    def request(years: int) -> bytes:
        born = MAGDA_ON.replace(year=MAGDA_ON.year - years) - dt.timedelta(days=2)
        return request_xml(make_insz(born, 77), MAGDA_ON, dt.date(2020, 1, 1), MAGDA_ON)

    name = b"Bachelor in de synthese<"
    spaced_adult = spaced(ADULT, ".").encode()
    young = make_insz(MAGDA_ON.replace(year=MAGDA_ON.year - 21) - dt.timedelta(days=2), 77)
    return [
        Case(
            "magda answer in soap",
            xml_file(answer),
            AHOVOKS,
            ANSWER,
            0,
            "ahovoks-historiekinschrijving-2019",
        ),
        Case(
            "magda answer bare",
            xml_file(lambda: answer(soap=False)),
            AHOVOKS,
            ANSWER,
            0,
            "ahovoks-historiekinschrijving-2019",
        ),
        Case(
            "magda answer, national number dotted in a name",
            xml_file(lambda: answer(name, spaced_adult + b"<")),
            AHOVOKS,
            ANSWER,
            1,
            "historiekinschrijving.no_insz",
            [ADULT],
        ),
        Case(
            "magda answer, a student's e-mail in a qualification",
            xml_file(
                lambda: answer(b"<Kwalificatie>synthese<", f"<Kwalificatie>{EMAIL}<".encode())
            ),
            AHOVOKS,
            ANSWER,
            1,
            "historiekinschrijving.contact_only_of_institution",
            [EMAIL],
        ),
        Case(
            "magda answer of another version",
            xml_file(lambda: answer(b"02_01", b"02_00")),
            AHOVOKS,
            ANSWER,
            1,
            "historiekinschrijving.document.service",
        ),
        Case(
            "magda answer cut off",
            xml_file(lambda: answer(name, f"{ADULT}<".encode())[:900]),
            AHOVOKS,
            ANSWER,
            2,
            "not well-formed XML",
            [ADULT],
        ),
        Case(
            "magda request, student of 30",
            xml_file(lambda: request(30)),
            AHOVOKS,
            REQUEST,
            0,
            "ahovoks-historiekinschrijving-2019",
        ),
        Case(
            "magda request, student of 21",
            xml_file(lambda: request(21)),
            AHOVOKS,
            REQUEST,
            1,
            "historiekinschrijving_vraag.student_25_or_over",
            [young],
        ),
    ]


def xlsx_file_no_header(rows: list[dict[str, Any]]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "export.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for r in rows:
            ws.append(list(r.values()))
        wb.save(path)
        return path

    return write


CASES = cases()
CASES += ods_twins(CASES)


def leaked(text: str, planted: list[str]) -> list[str]:
    out = []
    flat = re.sub(r"[^0-9]", "", text)
    for value in planted:
        digits = re.sub(r"[^0-9]", "", value)
        if value in text or (len(digits) >= 8 and digits in flat):
            out.append(value)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_real_world_file(case: Case, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    for fmt in ("text", "json", "junit"):
        run = run_cli(
            "validate",
            path,
            "--contract",
            case.contract,
            "--dataset",
            case.dataset,
            "--format",
            fmt,
            *case.args,
        )
        assert run.code == case.code, (fmt, run.everything)
        assert case.says in run.everything, (fmt, run.everything)
        assert not leaked(run.everything, case.planted), (fmt, run.everything)
        assert "Traceback" not in run.everything and "internal error" not in run.everything


SAME_VALUE = [("3", 0), ("+3", 0), ("3.0", 0), ("3,0", 0), ("3.5", 1), ("x", 1)]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "jsonl", "xlsx", "ods"])
@pytest.mark.parametrize(("value", "code"), SAME_VALUE)
def test_one_value_one_verdict_in_every_format(
    fmt: str, value: str, code: int, tmp_path: Path
) -> None:
    # An integer column takes whole numbers however they are stored (docs/contract-format.md).
    rows = rows_of(IKT, SIM, 3)
    number: Any = value
    if fmt != "csv" and value != "x":
        number = float(value.replace(",", ".").lstrip("+"))
        if fmt in ("json", "jsonl") and value == "3":
            number = 3
    rows[1]["aantal_kinderen"] = number
    rows[1]["leeftijden_kinderen"] = ";".join(["4"] * 3)
    if fmt == "csv":
        path = csv_file(rows)(tmp_path)
    elif fmt == "parquet":
        path = tmp_path / "x.parquet"
        if value == "x":  # a text column where the contract says integer
            rows = [{**r, "aantal_kinderen": str(r["aantal_kinderen"])} for r in rows]
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif fmt == "json":
        path = tmp_path / "x.json"
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif fmt == "jsonl":
        path = tmp_path / "x.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    elif fmt == "ods":
        path = ods_file(rows)(tmp_path)
    else:
        path = xlsx_file(rows)(tmp_path)
    run = run_cli("validate", path, "--contract", IKT, "--dataset", SIM, "--format", "json")
    assert run.code == code, run.everything
    if code:
        rules = {v["rule"] for v in json.loads(run.stdout)["violations"]}
        assert rules & {f"{SIM}.aantal_kinderen.type", f"{SIM}.ages_match_count"}, rules


@pytest.mark.parametrize("fmt", ["parquet", "json", "csv"])
def test_nan_counts_as_empty_in_every_format(fmt: str, tmp_path: Path) -> None:
    rows = rows_of(IKT, SIM, 3)
    rows[0]["gezinsinkomen"] = float("nan")  # nullable: accepted as empty
    rows[1]["aantal_kinderen"] = float("nan")  # required: refused as empty
    if fmt == "parquet":
        path = tmp_path / "x.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
    elif fmt == "json":
        path = tmp_path / "x.json"
        path.write_text(json.dumps(rows), encoding="utf-8")  # Python writes NaN
    else:
        path = csv_file(rows)(tmp_path)  # "nan"
    run = run_cli("validate", path, "--contract", IKT, "--dataset", SIM, "--format", "json")
    assert run.code == 1, run.everything
    rules = {v["rule"] for v in json.loads(run.stdout)["violations"]}
    assert f"{SIM}.aantal_kinderen.nullable" in rules
    assert not any(r.startswith(f"{SIM}.gezinsinkomen") for r in rules), rules


def test_a_file_with_no_rows_says_so_and_a_contract_can_require_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("gezinscode;ua;stratum;email\r\n", encoding="utf-8")
    run = run_cli("validate", path, "--contract", ADEQUACY, "--dataset", "dataset_4")
    assert run.code == 0 and "0 rows; header only" in run.stdout
    spec = yaml.safe_load(ADEQUACY.read_text(encoding="utf-8"))
    dataset_4 = next(d for d in spec["datasets"] if d["id"] == "dataset_4")
    dataset_4["file"] = {"min_rows": 1, "article": "D3 stap 6"}
    contract = tmp_path / "c.yaml"
    contract.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    args = ("validate", path, "--contract", contract, "--dataset", "dataset_4", "--format", "json")
    assert run_cli(*args).code == 0  # the rule is about transfers
    run = run_cli(*args, "--transfer")
    assert run.code == 1, run.everything
    assert [v["rule"] for v in json.loads(run.stdout)["violations"]] == ["dataset_4.file.min_rows"]


def test_numbers_that_lost_no_zero_are_not_taken_for_one(tmp_path: Path) -> None:
    # Enterprise numbers (mod 97 on the same body) and yyyymmdd dates of 8 to 10 digits are
    # not national numbers that lost their zero: those follow the 2000 check digits.
    kbo = [f"{b:08d}{97 - b % 97:02d}" for b in range(40_000_000, 40_000_000 + 3000 * 997, 997)]
    cells = [str(int(k)) for k in kbo if int(k) < 10**10]
    from datacontract.personal import detect

    assert not detect.contains_insz(pa.array(cells)).any()


def test_a_half_float_column_is_read(tmp_path: Path) -> None:
    rows = rows_of(IKT, SIM, 3)
    table = pa.Table.from_pylist(rows)
    index = table.schema.get_field_index("aantal_kinderen")
    half = pa.array([float(r["aantal_kinderen"]) for r in rows], pa.float16())
    path = tmp_path / "half.parquet"
    pq.write_table(table.set_column(index, "aantal_kinderen", half), path)
    run = run_cli("validate", path, "--contract", IKT, "--dataset", SIM)
    assert run.code in (0, 1) and "internal error" not in run.everything, run.everything
