"""The demo's files hold to the contract; the mutations issue #3 names are refused.

Each mutation is checked through the published command line in every output format: exit 1,
the right rule in the report, and none of the planted values anywhere in what was printed or
written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.personal.insz import format_insz, make_insz

FORMATS = ("text", "json", "junit")


def _dataset_of(name: str) -> str:
    return name.rsplit("_", 1)[0] if name.startswith(("dataset_1_", "dataset_2_")) else name


def _validate(path: Path, dataset: str, fmt: str, output: Path | None = None) -> tuple[int, str]:
    args: list[str | Path] = [
        "validate",
        path,
        "--contract",
        CONTRACT,
        "--dataset",
        dataset,
        "--format",
        fmt,
    ]
    if output is not None:
        args += ["--output", output]
    run = run_cli(*args)
    written = output.read_text(encoding="utf-8") if output is not None else ""
    return run.code, run.everything + written


def test_every_demo_file_validates(study_dir: dict[str, Path]) -> None:
    assert len(study_dir) == 13
    for name, path in study_dir.items():
        code, out = _validate(path, _dataset_of(name), "json")
        assert code == 0, (name, out)
        assert json.loads(out)["valid"] is True


# --- the mutations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    source: str  # the demo file it starts from
    rules: tuple[str, ...]  # rules that must be in the report
    planted: tuple[str, ...]  # values that must never be printed
    mutate: Callable[[pa.Table], pa.Table]


def _numbers(n: int, *, year: int = 1985, bis: int = 0) -> list[str]:
    """n valid synthetic national numbers (or bis numbers) born in `year`."""
    start = dt.date(year, 1, 1)
    return [make_insz(start + dt.timedelta(days=i % 365), 100 + i % 800, bis=bis) for i in range(n)]


def _set(table: pa.Table, column: str, values: list[object]) -> pa.Table:
    i = table.schema.get_field_index(column)
    return table.set_column(i, column, pa.array(values, type=table.schema.field(column).type))


def _replace_first(table: pa.Table, column: str, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[0] = value
    return _set(table, column, values)


NUMBERS = _numbers(800)  # dataset_4 has a row per family and address: more rows than families
BIS = make_insz(dt.date(1991, 3, 14), 417, bis=40)
BORN_2004 = make_insz(dt.date(2004, 5, 9), 233)  # starts with "0": an integer column loses it
DOTTED = format_insz(NUMBERS[0], "dotted")
AMOUNT = "41873.22"

MUTATIONS = {
    "extra_column_with_national_numbers": Mutation(
        "dataset_4",
        ("dataset_4.columns.allowed", "dataset_4.no_insz"),
        tuple(NUMBERS[:5]),
        lambda t: t.append_column("rijksregisternummer", pa.array(NUMBERS[: t.num_rows])),
    ),
    "integer_column_that_lost_the_leading_zero": Mutation(
        "achtergrond",
        ("achtergrond.columns.allowed", "achtergrond.no_insz"),
        (BORN_2004, BORN_2004.lstrip("0")),
        lambda t: t.append_column(
            "nummer", pa.array([int(BORN_2004)] * t.num_rows, type=pa.int64())
        ),
    ),
    "formatted_number_in_free_text": Mutation(
        "dataset_4",
        ("dataset_4.no_insz",),
        (DOTTED, NUMBERS[0]),
        lambda t: _replace_first(t, "email", f"zie dossier {DOTTED} voor details"),
    ),
    "bis_number_in_extra_text_column": Mutation(
        "dataset_4",
        ("dataset_4.columns.allowed", "dataset_4.no_insz"),
        (BIS, format_insz(BIS, "spaced")),
        lambda t: t.append_column(
            "opmerking",
            pa.array(["ok"] * (t.num_rows - 1) + [f"bis {format_insz(BIS, 'spaced')}"]),
        ),
    ),
    "income_amount_instead_of_class": Mutation(
        "achtergrond",
        ("achtergrond.inkomen_bruto_belastbaar_klasse.values",),
        (AMOUNT,),
        lambda t: _replace_first(t, "inkomen_bruto_belastbaar_klasse", AMOUNT),
    ),
    "duplicate_family_in_dataset_4": Mutation(
        "dataset_4",
        ("dataset_4.one_row_per_address",),
        (),
        lambda t: pa.concat_tables([t, t.slice(3, 1)]),
    ),
    "duplicate_family_in_achtergrond": Mutation(
        "achtergrond",
        ("achtergrond.one_row_per_family",),
        (),
        lambda t: pa.concat_tables([t.slice(7, 1), t]),
    ),
    "unknown_payer": Mutation(
        "dataset_1_kidslife",
        ("dataset_1.ua.values",),
        ("ZZCANARY",),
        lambda t: _replace_first(t, "ua", "ZZCANARY"),
    ),
}


def _write(table: pa.Table, path: Path) -> Path:
    if path.suffix == ".csv":
        options = pacsv.WriteOptions(delimiter=";")
        pacsv.write_csv(table, path, write_options=options)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # with a UTF-8 BOM
    else:
        pq.write_table(table, path)
    return path


def _digits_only(value: str) -> str:
    return re.sub(r"\D", "", value)


def _assert_not_echoed(out: str, planted: tuple[str, ...]) -> None:
    squeezed = _digits_only(out)
    for value in planted:
        assert value not in out
        digits = _digits_only(value)
        if len(digits) >= 9:
            assert digits not in squeezed


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_refused_in_every_format(
    name: str, suffix: str, study_dir: dict[str, Path], tmp_path: Path
) -> None:
    mutation = MUTATIONS[name]
    table = mutation.mutate(pq.read_table(study_dir[mutation.source]))
    path = _write(table, tmp_path / f"{name}{suffix}")
    dataset = _dataset_of(mutation.source)
    for fmt in FORMATS:
        for output in (None, tmp_path / f"report.{fmt}"):
            code, out = _validate(path, dataset, fmt, output)
            assert code == 1, (fmt, out)
            for rule in mutation.rules:
                assert rule in out, (fmt, rule)
            _assert_not_echoed(out, mutation.planted)
            if fmt == "json" and output is not None:
                report = json.loads(output.read_text(encoding="utf-8"))
                assert report["valid"] is False
                assert set(mutation.rules) <= {v["rule"] for v in report["violations"]}
            if fmt == "junit" and output is not None:
                failed = {
                    case.get("name")
                    for case in ET.parse(output).getroot().iter("testcase")
                    if case.find("failure") is not None
                }
                assert set(mutation.rules) <= failed


def test_unknown_payer_does_not_hide_the_known_labels(
    study_dir: dict[str, Path], tmp_path: Path
) -> None:
    """A declared, show-safe label may be named; the unknown value is counted, not shown."""
    table = pq.read_table(study_dir["dataset_1_fons"])
    bad = pc.if_else(pc.equal(pa.array(range(table.num_rows)), 0), "ZZCANARY", table["ua"])
    path = _write(_set(table, "ua", bad.to_pylist()), tmp_path / "d1.parquet")
    code, out = _validate(path, "dataset_1", "json")
    assert code == 1
    report = json.loads(out)
    ua = [v for v in report["violations"] if v["rule"] == "dataset_1.ua.values"]
    assert ua and ua[0]["count"] == 1 and ua[0]["column"] == "ua"
    assert "ZZCANARY" not in out
