"""Every column check and dataset rule: one file that passes and one that fails.

A small inline contract (`toy`) declares one of each; a second table checks the adequacy
contract's own rules. Files are written as Parquet (typed) and as CSV (all text, cast to the
declared types). Each failing case asserts the rule id, the column, the count and the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT

import datacontract as dc
from datacontract.personal.insz import format_insz, make_insz

TOY = """
contract: toy
version: 0.0.1
title: every rule once
protocol: {title: toy, date: 2025-01-01, seed: toy.txt}
parties: [{id: a, name: A, article: art. 1}]
detectors:
  - {id: insz, detector: insz, article: art. 9}
  - {id: cg, detector: pattern, pattern: "(?:^|[^A-Za-z0-9])CG[0-9]{8}(?:[^0-9]|$)", article: art. 9}
  - {id: email, detector: email, article: art. 9}
  - {id: phone, detector: phone, article: art. 9}
datasets:
  - id: toy
    title: toy
    article: art. 2
    columns:
      - {name: code, pattern: "^T[0-9]{3}$", unique: true, category: pseudonym, article: art. 3.1}
      - {name: kind, values: [a, b], show_values: true, category: background, article: art. 3.2}
      - {name: n, type: integer, minimum: 0, maximum: 9, category: background, article: art. 3.3}
      - {name: x, type: integer, minimum: 0, category: background, article: art. 3.4}
      - {name: y, type: integer, minimum: 0, category: background, article: art. 3.5}
      - {name: flag, type: integer, values: [0, 1], category: background, article: art. 3.6}
      - {name: nr, format: insz, category: identifier, article: art. 3.7}
      - {name: mail, format: email, nullable: true, category: contact, article: art. 3.8}
      - {name: tel, format: phone, nullable: true, required: false, category: contact, article: art. 3.9}
      - {name: day, type: date, nullable: true, required: false, category: background, article: art. 3.10}
      - {name: note, nullable: true, required: false, category: background, article: art. 3.11}
      - {name: group, category: background, article: art. 3.12}
    rules:
      - {id: toy.pair_unique, kind: unique, columns: [prefix, kind], article: art. 4.1}
      - {id: toy.one_group, kind: single_value, column: group, article: art. 4.2}
      - {id: toy.sum, kind: sum_equals, columns: [x, y], total: n, article: art. 4.3}
      - {id: toy.at_most, kind: at_most, columns: [x], limit: n, article: art. 4.4}
      - {id: toy.flag, kind: flag_matches_count, flag: flag, count: y, article: art. 4.5}
      - {id: toy.prefix, kind: part_equals, column: code, separator: "0", part: 0, equals: prefix, article: art. 4.6}
      - {id: toy.no_insz, kind: forbidden_content, detect: [insz], except_columns: [nr], article: art. 5.1}
      - {id: toy.no_cg, kind: forbidden_content, detect: [cg], article: art. 5.2}
      - {id: toy.no_contact, kind: forbidden_content, detect: [email, phone], except_columns: [mail, tel], article: art. 5.3}
      - {id: toy.no_secret, kind: forbidden_columns, columns: [secret], article: art. 5.4}
"""

NR = [make_insz(dt.date(1980 + i, 1 + i, 1 + i), 10 + i) for i in range(4)]


def _good() -> list[dict[str, Any]]:
    return [
        {
            "code": f"T{i + 1}0{i}",
            "prefix": f"T{i + 1}",
            "kind": "ab"[i % 2],
            "n": 3,
            "x": 1 + i % 2,
            "y": 2 - i % 2,
            "flag": 1,
            "nr": NR[i],
            "mail": f"p{i}@example.be" if i else None,
            "group": "g",
        }
        for i in range(4)
    ]


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> dc.LoadedContract:
    text = TOY
    path = tmp_path_factory.mktemp("toy") / "toy.yaml"
    # `prefix` is the column part_equals compares with: declare it.
    text = text.replace(
        "      - {name: group,",
        "      - {name: prefix, category: background, article: art. 3.13}\n      - {name: group,",
    )
    path.write_text(text, encoding="utf-8")
    return dc.load_contract(path)


def _write(rows: list[dict[str, Any]], path: Path) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    if path.suffix == ".parquet":
        columns = {}
        for h in header:
            values = [r.get(h) for r in rows]
            kinds = {type(v) for v in values if v is not None}
            # a column that mixes types is written as text, as a spreadsheet export would be
            columns[h] = (
                [None if v is None else str(v) for v in values] if len(kinds) > 1 else values
            )
        pq.write_table(pa.table(columns), path)
    else:
        lines = [",".join(header)]
        lines += [",".join("" if r.get(h) is None else str(r[h]) for h in header) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(
    loaded: dc.LoadedContract, rows: list[dict[str, Any]], path: Path
) -> dc.ValidationResult:
    return dc.validate_file(loaded, "toy", _write(rows, path), dc.Options(batch_rows=2))


def _edit(**change: Any) -> Callable[[list[dict[str, Any]]], None]:
    def apply(rows: list[dict[str, Any]]) -> None:
        rows[-1].update(change)

    return apply


CASES: dict[str, tuple[Callable[[list[dict[str, Any]]], None], str | None, str]] = {
    # rule id: (mutation, column in the finding, article)
    "toy.kind.values": (_edit(kind="c"), "kind", "art. 3.2"),
    "toy.code.pattern": (_edit(code="X999", prefix="X999"), "code", "art. 3.1"),
    "toy.code.unique": (_edit(code="T100", prefix="T1"), "code", "art. 3.1"),
    "toy.n.range": (_edit(n=12, x=6, y=6), "n", "art. 3.3"),
    "toy.x.type": (_edit(x="drie"), "x", "art. 3.4"),
    "toy.group.nullable": (_edit(group=None), "group", "art. 3.12"),
    "toy.nr.format": (_edit(nr=NR[0][:-1] + str((int(NR[0][-1]) + 1) % 10)), "nr", "art. 3.7"),
    "toy.mail.format": (_edit(mail="geen-adres"), "mail", "art. 3.8"),
    "toy.tel.format": (_edit(tel="bel me"), "tel", "art. 3.9"),
    "toy.day.type": (_edit(day="31/02/2025"), "day", "art. 3.10"),
    # an undeclared column is named by its position, never its name (issue 22.3)
    "toy.columns.allowed": (_edit(extra="1"), "column 11 (not in the contract)", "art. 2"),
    "toy.pair_unique": (lambda rows: rows.append(dict(rows[-1], code="T409")), None, "art. 4.1"),
    "toy.one_group": (_edit(group="h"), None, "art. 4.2"),
    "toy.sum": (_edit(x=0, y=1), None, "art. 4.3"),
    "toy.at_most": (_edit(n=1, x=2, y=-1), None, "art. 4.4"),
    "toy.flag": (_edit(flag=0), None, "art. 4.5"),
    "toy.prefix": (_edit(prefix="T7"), None, "art. 4.6"),
    "toy.no_insz": (_edit(note=f"zie {format_insz(NR[1], 'dotted')}"), "note", "art. 5.1"),
    "toy.no_cg": (_edit(note="dossier CG12345678"), "note", "art. 5.2"),
    "toy.no_contact": (_edit(note="mail iemand@example.be"), "note", "art. 5.3"),
    "toy.no_secret": (_edit(secret="x"), None, "art. 5.4"),
}


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_the_good_file_passes(toy: dc.LoadedContract, tmp_path: Path, suffix: str) -> None:
    result = _check(toy, _good(), tmp_path / f"good{suffix}")
    assert result.valid, [(f.rule, f.column, f.message) for f in result.findings]
    assert result.rows == 4


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
@pytest.mark.parametrize("rule", sorted(CASES))
def test_each_rule_fails_on_its_mutation(
    toy: dc.LoadedContract, tmp_path: Path, rule: str, suffix: str
) -> None:
    mutate, column, article = CASES[rule]
    rows = _good()
    mutate(rows)
    result = _check(toy, rows, tmp_path / f"bad{suffix}")
    found = [f for f in result.findings if f.rule == rule]
    assert found, [(f.rule, f.column) for f in result.findings]
    assert found[0].count >= 1
    assert article in (found[0].article or "")
    if column is not None:
        assert found[0].column == column


def test_required_column_missing(toy: dc.LoadedContract, tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "mail"} for r in _good()]
    result = _check(toy, rows, tmp_path / "missing.parquet")
    assert [f.column for f in result.findings if f.rule == "toy.columns.required"] == ["mail"]


def test_uniqueness_spans_batches(toy: dc.LoadedContract, tmp_path: Path) -> None:
    """batch_rows=2: the duplicate code sits in the first and the last batch."""
    rows = [*_good(), dict(_good()[0], kind="b")]
    result = _check(toy, rows, tmp_path / "dup.parquet")
    unique = [f for f in result.findings if f.rule == "toy.code.unique"]
    assert unique and unique[0].count == 1 and unique[0].rows == (5,)


# --- the adequacy contract's own rules ---------------------------------------------------------


def _adequacy(dataset: str, table: pa.Table, path: Path) -> dc.ValidationResult:
    pq.write_table(table, path)
    return dc.validate_file(dc.load_contract(CONTRACT), dataset, path, dc.Options(batch_rows=64))


def _replace(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    i = table.schema.get_field_index(column)
    return table.set_column(i, column, pa.array(values, type=table.schema.field(column).type))


ADEQUACY: dict[str, tuple[str, Callable[[pa.Table], pa.Table]]] = {
    "dataset_1.one_payer": ("dataset_1_fons", lambda t: _replace(t, "ua", 0, "KIDSLIFE")),
    "dataset_2.one_payer": ("dataset_2_infino", lambda t: _replace(t, "ua", 1, "FONS")),
    "dataset_1.insz.format": (
        "dataset_1_fons",
        lambda t: _replace(t, "insz", 2, "85073003329"),
    ),
    "dataset_2.email.format": (
        "dataset_2_fons",
        lambda t: _replace(t, "email", 0, "+32 470 11 22 33"),
    ),
    "dataset_2.no_phone": ("dataset_2_fons", lambda t: _replace(t, "email", 0, "+32 470 11 22 33")),
    "dataset_4.one_row_per_address": ("dataset_4", lambda t: pa.concat_tables([t, t.slice(0, 1)])),
    "achtergrond.one_row_per_family": (
        "achtergrond",
        lambda t: pa.concat_tables([t, t.slice(0, 1)]),
    ),
    "achtergrond.age_classes_add_up": (
        "achtergrond",
        lambda t: _replace(t, "aantal_kinderen", 0, t["aantal_kinderen"][0].as_py() + 1),
    ),
    "achtergrond.rights_within_children": (
        "achtergrond",
        lambda t: _replace(t, "leeftijdsbijslag_n", 0, 9),
    ),
    "achtergrond.sociale_toeslag_flag": (
        "achtergrond",
        lambda t: _replace(t, "sociale_toeslag", 0, 1 - t["sociale_toeslag"][0].as_py()),
    ),
    "achtergrond.zorgtoeslag_n.range": (
        "achtergrond",
        lambda t: _replace(t, "zorgtoeslag_n", 0, -1),
    ),
    "achtergrond.excluded_allowances": (
        "achtergrond",
        lambda t: t.append_column("schoolbonus", pa.array([0] * t.num_rows)),
    ),
}


@pytest.mark.parametrize("rule", sorted(ADEQUACY))
def test_adequacy_rule_fails_on_its_mutation(
    rule: str, study_dir: dict[str, Path], tmp_path: Path
) -> None:
    source, mutate = ADEQUACY[rule]
    dataset = (
        source.rsplit("_", 1)[0] if source.startswith(("dataset_1_", "dataset_2_")) else source
    )
    table = pq.read_table(study_dir[source])
    assert _adequacy(dataset, table, tmp_path / "ok.parquet").valid
    result = _adequacy(dataset, mutate(table), tmp_path / "bad.parquet")
    found = [f for f in result.findings if f.rule == rule]
    assert found, [(f.rule, f.column) for f in result.findings]
    assert found[0].article


def test_eleven_digits_with_a_wrong_check_digit_are_not_flagged(
    study_dir: dict[str, Path], tmp_path: Path
) -> None:
    table = pq.read_table(study_dir["dataset_4"])
    good = make_insz(dt.date(1985, 7, 30), 33)
    near_miss = good[:-2] + f"{(int(good[-2:]) + 1) % 100:02d}"
    result = _adequacy(
        "dataset_4", _replace(table, "email", 0, f"ref {near_miss}"), tmp_path / "x.parquet"
    )
    assert not [f for f in result.findings if f.rule == "dataset_4.no_insz"]
    result = _adequacy(
        "dataset_4", _replace(table, "email", 0, f"ref {good}"), tmp_path / "y.parquet"
    )
    assert [f.count for f in result.findings if f.rule == "dataset_4.no_insz"] == [1]
