"""datacontract.demo.synthetic: deterministic study files that follow the contract and belong to no one.

Every expectation about columns, types, labels, patterns and rules is read from the contract
itself, so that a change there shows up here.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datacontract.contract import model
from datacontract.contract.load import LoadedContract
from datacontract.demo.synthetic import (
    PAYERS,
    StudyData,
    achtergrond_like,
    generate_study,
    write_study,
)
from datacontract.personal import insz

FAMILIES = 1_500
SEED = 20250314
Rows = npt.NDArray[np.bool_]


@pytest.fixture(scope="module")
def study() -> StudyData:
    return generate_study(FAMILIES, SEED)


def _dataset(loaded: LoadedContract, dataset_id: str) -> model.Dataset:
    dataset = loaded.contract.dataset(dataset_id)
    assert dataset is not None
    return dataset


def _files(data: StudyData) -> list[tuple[str, pa.Table]]:
    """(dataset id, table) for every file of the study."""
    files = [("dataset_1", t) for t in data.dataset_1.values()]
    files += [("dataset_2", t) for t in data.dataset_2.values()]
    return [*files, ("dataset_3", data.dataset_3), ("dataset_4", data.dataset_4),
            ("achtergrond", data.achtergrond)]  # fmt: skip


def _column_problems(dataset: model.Dataset, table: pa.Table) -> list[str]:
    """Every way the table departs from the dataset's columns; empty when it conforms."""
    problems: list[str] = []
    if tuple(table.column_names) != dataset.column_names:
        return [f"columns {table.column_names} != {list(dataset.column_names)}"]
    arrow_type = {"string": pa.string(), "integer": pa.int64()}
    for column in dataset.columns:
        data = table.column(column.name)
        name = f"{dataset.id}.{column.name}"
        if data.type != arrow_type[column.type]:
            problems.append(f"{name}: type {data.type}")
        if not column.nullable and data.null_count:
            problems.append(f"{name}: {data.null_count} nulls")
        values = [v for v in data.to_pylist() if v is not None]
        if column.values is not None and not set(values) <= set(column.values):
            problems.append(f"{name}: values outside {column.values}")
        pattern = column.pattern
        if pattern is not None and any(re.search(pattern, v) is None for v in values):
            problems.append(f"{name}: values not matching {column.pattern}")
        if column.minimum is not None and min(values, default=column.minimum) < column.minimum:
            problems.append(f"{name}: below {column.minimum}")
        if column.maximum is not None and max(values, default=column.maximum) > column.maximum:
            problems.append(f"{name}: above {column.maximum}")
        if column.format == "insz" and not all(insz.is_valid_insz(v) for v in values):
            problems.append(f"{name}: invalid INSZ")
        if column.format == "email" and not all(_EMAIL.fullmatch(v) for v in values):
            problems.append(f"{name}: not a synthetic e-mail address")
    return problems


_EMAIL = re.compile(r"[a-z]+\.[1-9][0-9]{0,5}@example\.(?:org|net)")


def _broken_rows(dataset: model.Dataset, table: pa.Table) -> dict[str, Rows]:
    """Per row-level rule of the contract (and per declared label set), the rows breaking it."""
    col = {name: table.column(name).to_numpy(zero_copy_only=False) for name in table.column_names}
    broken: dict[str, Rows] = {}
    for rule in dataset.rules:
        if isinstance(rule, model.SumEqualsRule):
            total = sum(col[c].astype(np.int64) for c in rule.columns)
            broken[rule.id] = total != col[rule.total]
        elif isinstance(rule, model.AtMostRule):
            over = [col[c] > col[rule.limit] for c in rule.columns]
            broken[rule.id] = np.logical_or.reduce(over)
        elif isinstance(rule, model.FlagMatchesCountRule):
            broken[rule.id] = col[rule.flag] != (col[rule.count] > 0)
        elif isinstance(rule, model.UniqueRule):
            keys = list(zip(*(col[c].tolist() for c in rule.columns), strict=True))
            seen = Counter(keys)
            broken[rule.id] = np.array([seen[k] > 1 for k in keys], dtype=bool)
    for column in dataset.columns:
        if column.values is not None:
            allowed = set(column.values)
            broken[f"values.{column.name}"] = np.array(
                [v is not None and v not in allowed for v in col[column.name].tolist()], dtype=bool
            )
    return broken


# -- determinism -----------------------------------------------------------------------------


def test_same_seed_gives_equal_tables(study: StudyData) -> None:
    again = generate_study(FAMILIES, SEED)
    for (_, mine), (_, theirs) in zip(_files(study), _files(again), strict=True):
        assert mine.equals(theirs)


def test_another_seed_gives_other_families(study: StudyData) -> None:
    other = generate_study(FAMILIES, SEED + 1)
    codes = set(study.dataset_4.column("gezinscode").to_pylist())
    assert codes.isdisjoint(other.dataset_4.column("gezinscode").to_pylist())
    assert not study.achtergrond.equals(other.achtergrond)


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = write_study(generate_study(200, 7), tmp_path / "a")
    second = write_study(generate_study(200, 7), tmp_path / "b")
    assert first.keys() == second.keys()
    for name in first:
        digest = hashlib.sha256(first[name].read_bytes()).hexdigest()
        assert digest == hashlib.sha256(second[name].read_bytes()).hexdigest(), name


def test_write_study_names_every_file(tmp_path: Path, study: StudyData) -> None:
    paths = write_study(study, tmp_path)
    expected = [f"dataset_1_{p}" for p in PAYERS] + [f"dataset_2_{p}" for p in PAYERS]
    assert list(paths) == [*expected, "dataset_3", "dataset_4", "achtergrond"]
    for name, path in paths.items():
        assert path == tmp_path / f"{name}.parquet"
        assert path.is_file()


# -- the contract's columns ------------------------------------------------------------------


def test_every_file_has_the_contract_columns_types_and_values(
    loaded: LoadedContract, study: StudyData
) -> None:
    problems = [
        problem
        for dataset_id, table in _files(study)
        for problem in _column_problems(_dataset(loaded, dataset_id), table)
    ]
    assert problems == []


def test_every_insz_is_valid_unique_and_both_centuries_occur(study: StudyData) -> None:
    numbers = study.dataset_3.column("insz").to_pylist()
    assert all(insz.is_valid_insz(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    births = [insz.birth_date(n) for n in numbers]
    years = [b.year for b in births if b is not None]
    assert len(years) == len(numbers)
    assert min(years) >= 1960 and max(years) <= 2003
    assert any(y >= 2000 for y in years), "post-2000 check digits must appear"
    assert any(int(n[2:4]) > 12 for n in numbers), "a few bis numbers must appear"


def test_codes_leave_no_room_for_identifiers(study: StudyData) -> None:
    # A family code or an e-mail address never holds a run of digits long enough to read as an
    # INSZ (11), a phone number (9) or a CGPA code (8).
    texts = study.dataset_4.column("gezinscode").to_pylist()
    texts += [e for e in study.dataset_3.column("email").to_pylist() if e is not None]
    assert not [t for t in texts if re.search("[0-9]{7}", t)]


# -- dataset_1 .. dataset_4 ------------------------------------------------------------------


def test_payers_get_their_share_and_at_least_one_family() -> None:
    tiny = generate_study(5, 1)
    assert [t.num_rows > 0 for t in tiny.dataset_1.values()] == [True] * 5
    assert len(set(tiny.dataset_4.column("gezinscode").to_pylist())) == 5
    families = generate_study(1_000, 1).dataset_4.select(["gezinscode", "ua"]).to_pylist()
    shares = Counter(dict(sorted((r["gezinscode"], r["ua"]) for r in families)).values())
    assert shares == {"FONS": 300, "KIDSLIFE": 200, "INFINO": 200, "MYFAMILY": 180, "PARENTIA": 120}


def test_each_payer_file_holds_only_that_payers_families(study: StudyData) -> None:
    assert list(study.dataset_1) == list(PAYERS) == list(study.dataset_2)
    for payer in PAYERS:
        for table in (study.dataset_1[payer], study.dataset_2[payer]):
            assert set(table.column("ua").to_pylist()) == {payer.upper()}
            # identification data only (art. 6; D3 stap 2): no research code, no stratum
            assert not {"gezinscode", "stratum"} & set(table.column_names)


def test_dataset_2_returns_exactly_the_families_of_dataset_1(study: StudyData) -> None:
    for payer in PAYERS:
        sent = study.dataset_1[payer]
        returned = study.dataset_2[payer]
        assert returned.drop_columns(["email"]).equals(sent)


def test_dataset_3_is_every_dataset_2_concatenated(study: StudyData) -> None:
    merged = pa.concat_tables([study.dataset_2[p] for p in PAYERS])
    # IT adds the gezinscode and the stratum from its own sample when it merges (D3 stap 5).
    assert study.dataset_3.select(merged.column_names).equals(merged)
    assert {"gezinscode", "stratum"} <= set(study.dataset_3.column_names)


def test_a_family_shares_its_code_stratum_and_cgpa_code(study: StudyData) -> None:
    rows = study.dataset_3.to_pylist()
    per_family: dict[str, set[tuple[str, str, str]]] = {}
    for row in rows:
        per_family.setdefault(row["gezinscode"], set()).add(
            (row["ua"], row["stratum"], row["cgpa_code"])
        )
    assert len(per_family) == FAMILIES
    assert all(len(v) == 1 for v in per_family.values())
    cgpa = [next(iter(v))[2] for v in per_family.values()]
    assert len(set(cgpa)) == FAMILIES
    providers = Counter(row["gezinscode"] for row in rows)
    assert set(providers.values()) == {1, 2}


def test_dataset_4_has_every_address_of_the_family(study: StudyData) -> None:
    """Art. 3, variabelengroep 2 ("Contactgegevens van de begunstigden/inkomensverstrekkers:
    e-mailadres") and bijlage 1 ("per gezinscode en INSZ de mailadressen van de begunstigden"):
    one row per family and address, as lineage's dataset_4.sql derives it (SELECT DISTINCT)."""
    d4 = study.dataset_4
    codes = d4.column("gezinscode").to_pylist()
    assert len(set(codes)) == FAMILIES
    pairs = [(r["gezinscode"], r["email"]) for r in d4.to_pylist()]
    assert len(set(pairs)) == len(pairs)  # dataset_4.one_row_per_address
    emails: dict[str, list[str | None]] = {}
    for row in study.dataset_3.select(["gezinscode", "email"]).to_pylist():
        emails.setdefault(row["gezinscode"], []).append(row["email"])
    assert set(pairs) == {(code, e) for code, es in emails.items() for e in es}
    per_family = Counter(code for code, e in pairs if e is not None)
    assert max(per_family.values()) == 2  # some families have two addresses
    nothing = [code for code, es in emails.items() if not any(es)]
    assert 0.10 < len(nothing) / FAMILIES < 0.20
    # Some families have an address for one provider only.
    partly = [v for v in emails.values() if len(v) == 2 and (v[0] is None) != (v[1] is None)]
    assert partly


def test_family_sizes_are_plausible(study: StudyData) -> None:
    strata = dict(zip(study.dataset_4.column("gezinscode").to_pylist(),
                      study.dataset_4.column("stratum").to_pylist(), strict=True))  # fmt: skip
    sizes = Counter(s.split("/")[1] for s in strata.values())
    assert set(sizes) == {"1", "2", "3", "4+"}
    assert sizes["1"] > sizes["2"] > sizes["3"] > sizes["4+"]


# -- achtergrond -----------------------------------------------------------------------------


def test_achtergrond_holds_every_row_rule(loaded: LoadedContract, study: StudyData) -> None:
    broken = _broken_rows(_dataset(loaded, "achtergrond"), study.achtergrond)
    assert {"achtergrond.age_classes_add_up", "achtergrond.one_row_per_family"} <= set(broken)
    assert {rule: int(rows.sum()) for rule, rows in broken.items() if rows.any()} == {}


def test_achtergrond_agrees_with_the_stratum(study: StudyData) -> None:
    strata = dict(
        zip(
            study.dataset_4.column("gezinscode").to_pylist(),
            study.dataset_4.column("stratum").to_pylist(),
            strict=True,
        )
    )
    providers = Counter(study.dataset_3.column("gezinscode").to_pylist())
    classes = ("0-5", "6-11", "12-17", "18-24")
    for row in study.achtergrond.to_pylist():
        ua, children, eldest, position = strata[row["gezinscode"]].split("/")
        assert row["ua"] == ua
        n = row["aantal_kinderen"]
        assert children == (str(n) if n < 4 else "4+")
        by_age = [row[f"kinderen_{c.replace('-', '_')}"] for c in classes]
        oldest = max(k for k, count in enumerate(by_age) if count > 0)
        assert classes[oldest] == eldest
        assert row["inkomen_bruto_belastbaar_klasse"].startswith("K" + position[1] + "_")
        assert row["aantal_inkomensverstrekkers"] == providers[row["gezinscode"]]
        assert row["basisbedrag_n"] == n
        young, older = by_age[0], sum(by_age[1:])
        expected = "nieuw" if older == 0 else "transitie" if young == 0 else "combi"
        assert row["gezinstype"] == expected


def test_achtergrond_income_parts_are_mostly_k0(study: StudyData) -> None:
    for name in ("ki", "ivt", "leefloon", "buitenlands"):
        labels = Counter(study.achtergrond.column(f"inkomen_{name}_klasse").to_pylist())
        assert labels["K0_geen"] > 0.8 * FAMILIES, name
        assert len(labels) > 1, name


# -- achtergrond_like ------------------------------------------------------------------------


def test_achtergrond_like_follows_the_contract(loaded: LoadedContract) -> None:
    dataset = _dataset(loaded, "achtergrond")
    table = achtergrond_like(1_000, 3)
    assert table.num_rows == 1_000
    assert _column_problems(dataset, table) == []
    assert not any(rows.any() for rows in _broken_rows(dataset, table).values())
    assert table.equals(achtergrond_like(1_000, 3))
    assert not table.equals(achtergrond_like(1_000, 4))


@pytest.mark.parametrize("rows", [1_000, 7])
def test_achtergrond_like_all_failing_breaks_every_row(loaded: LoadedContract, rows: int) -> None:
    dataset = _dataset(loaded, "achtergrond")
    table = achtergrond_like(rows, 3, all_failing=True)
    assert table.column_names == list(dataset.column_names)
    broken = _broken_rows(dataset, table)
    per_row = np.sum([r.astype(np.int64) for r in broken.values()], axis=0)
    assert per_row.min() >= 4  # label, sum, flag, duplicate code
    assert broken["achtergrond.one_row_per_family"].all()


def test_achtergrond_like_codes_stay_unique_across_slices() -> None:
    rows = 600_000  # more than one slice of rows
    table = achtergrond_like(rows, 5)
    assert table.num_rows == rows
    assert pc.count_distinct(table.column("gezinscode")).as_py() == rows
    lengths = pc.utf8_length(table.column("gezinscode"))
    assert pc.min_max(lengths).as_py() == {"min": 17, "max": 17}


def test_empty_and_bad_sizes(loaded: LoadedContract) -> None:
    empty = achtergrond_like(0, 1)
    assert empty.num_rows == 0
    assert tuple(empty.column_names) == _dataset(loaded, "achtergrond").column_names
    with pytest.raises(ValueError, match="families"):
        generate_study(0, 1)
    with pytest.raises(ValueError, match="rows"):
        achtergrond_like(-1, 1)


# -- end to end ------------------------------------------------------------------------------


def test_written_files_pass_validation(
    loaded: LoadedContract, study: StudyData, tmp_path: Path
) -> None:
    pytest.importorskip("datacontract.read.table")
    from datacontract.check.validate import validate_file
    from datacontract.demo.adequacy import dataset_of

    for name, path in write_study(study, tmp_path).items():
        result = validate_file(loaded, dataset_of(name), path)
        assert result.valid, (name, [(f.rule, f.column, f.count) for f in result.findings])
