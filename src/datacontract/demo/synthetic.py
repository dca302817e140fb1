"""Synthetic files for the adequacy study: the demo's data, and no real person's.

Every value is generated here from a seed. National numbers are computed by `insz.make_insz`
from birth dates and sequence numbers drawn at random, family codes and CGPA codes by keyed
bijections of the row number (so they are unique by construction), and e-mail addresses use
only the domains reserved for examples (RFC 2606). The same seed gives the same tables and
byte-identical parquet files.

The shapes follow the contract groeipakket-toereikendheid-2025: dataset_1 (per payer, one row
per income provider), dataset_2 (dataset_1 plus e-mail), dataset_3 (the merge), dataset_4 (one
row per family and address, without INSZ and CGPA code) and achtergrond (art. 3, groups 2-4,
income in classes only). The shares below are plausible, not taken from the protocol.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from datacontract.demo.synthetic_codes import (
    cgpa_codes,
    code_keys,
    emails,
    gezinscodes,
    insz_values,
    labels_of,
)
from datacontract.demo.synthetic_types import amount_types
from datacontract.personal.insz import make_insz

PAYERS: tuple[str, ...] = ("fons", "kidslife", "infino", "myfamily", "parentia")
"""Party ids of the five payers; the `ua` label is the id in capitals."""

IntArray = npt.NDArray[np.int64]

# Shares in whole percentages, drawn through 100-entry lookup tables (fast for large tables).
_PAYER_SHARES = (30, 20, 20, 18, 12)
_UA = tuple(p.upper() for p in PAYERS)

# Stratum parts (bijlage 1): number of children, age class of the eldest, income position.
_CHILDREN_CLASSES = ("1", "2", "3", "4+")
_CHILDREN_SHARES = (40, 35, 17, 8)
_FOUR_OR_MORE_SHARES = (55, 25, 12, 5, 3)  # 4, 5, 6, 7, 8 children
_AGE_CLASSES = ("0-5", "6-11", "12-17", "18-24")
# Larger families tend to have an older eldest child (rows: 1, 2, 3, 4+ children).
_ELDEST_SHARES = (
    (35, 25, 25, 15),
    (20, 30, 30, 20),
    (10, 30, 35, 25),
    (5, 25, 40, 30),
)
_INCOME_POSITIONS = ("I1", "I2", "I3", "I4")
_INCOME_SHARES = (25, 15, 35, 25)
_TWO_PROVIDERS = np.array([45, 65, 80, 90])  # percent of families, by income position

# The contract's income classes; income position I<k> has bruto belastbaar class K<k>.
_INCOME_CLASSES = (
    "K0_geen",
    "K1_tot_36325.76",
    "K2_tot_42380.06",
    "K3_tot_68329.61",
    "K4_boven_68329.61",
)
_GEZINSTYPES = ("combi", "transitie", "nieuw")
_SLICE_ROWS = 1 << 19  # rows drawn at a time by achtergrond_like
_MAX_FAMILIES = 10_000_000  # keeps CGPA codes unique and e-mail numbers at most 6 digits


@dataclass(frozen=True)
class StudyData:
    """The files of one synthetic study; dataset_1 and dataset_2 are keyed by payer id."""

    dataset_1: dict[str, pa.Table]
    dataset_2: dict[str, pa.Table]
    dataset_3: pa.Table
    dataset_4: pa.Table
    achtergrond: pa.Table


@dataclass(frozen=True)
class _Families:
    """Family-level draws, one entry per family (numpy arrays of equal length)."""

    payer: IntArray  # index into PAYERS
    children: IntArray  # aantal_kinderen (>= 1)
    children_class: IntArray  # index into _CHILDREN_CLASSES
    by_age: IntArray  # shape (4, n): children per age class
    eldest: IntArray  # index into _AGE_CLASSES
    income: IntArray  # index into _INCOME_POSITIONS
    providers: IntArray  # 1 or 2


def generate_study(families: int, seed: int) -> StudyData:
    """A sample of `families` synthetic families, split over the payers, as the study's files."""
    if not 1 <= families <= _MAX_FAMILIES:
        raise ValueError(f"families must be between 1 and {_MAX_FAMILIES:,}, not {families}")
    rng = np.random.Generator(np.random.PCG64(seed))
    counts = _payer_counts(families)
    fam = _draw_families(rng, np.repeat(np.arange(len(PAYERS), dtype=np.int64), counts))
    index = np.arange(families, dtype=np.int64)
    gezinscode = gezinscodes(code_keys(rng), index)
    ua = labels_of(_UA, fam.payer)
    stratum = labels_of(_strata(), _stratum_index(fam))
    cgpa_code = cgpa_codes(rng, index)

    # One row per income provider, in family order (so grouped by payer).
    owner = np.repeat(index, fam.providers)
    first_row = np.cumsum(fam.providers) - fam.providers
    rank = np.arange(len(owner), dtype=np.int64) - first_row[owner]
    insz = insz_values(rng, fam.eldest[owner])
    email, known = emails(rng, owner, rank, fam.providers)
    take = pa.array(owner)
    dataset_3 = pa.table(
        {
            "gezinscode": gezinscode.take(take),
            "ua": ua.take(take),
            "stratum": stratum.take(take),
            "insz": insz,
            "cgpa_code": cgpa_code.take(take),
            "email": email,
        }
    )
    dataset_2: dict[str, pa.Table] = {}
    start = 0
    for payer, rows in zip(
        PAYERS, np.bincount(fam.payer[owner], minlength=len(PAYERS)), strict=True
    ):
        # A payer's files hold identification data only (art. 6; D3 stap 2): no research
        # gezinscode, no stratum. IT adds both back from its sample when it merges (stap 5).
        dataset_2[payer] = dataset_3.slice(start, int(rows)).select(
            ["ua", "insz", "cgpa_code", "email"]
        )
        start += int(rows)
    dataset_1 = {payer: table.drop_columns(["email"]) for payer, table in dataset_2.items()}

    # dataset_4 (lineage/.../dataset_4.sql: SELECT DISTINCT over dataset_3 without INSZ and
    # CGPA code): every address of the family's providers, one row per family and address (art.
    # 3, variabelengroep 2; bijlage 1 "per gezinscode en INSZ de mailadressen"), so a family
    # whose two providers are both known has two rows; the row of an unknown address stays
    # (null), once per family.
    unknown_twice = (rank == 1) & ~known & ~known[first_row[owner]]
    dataset_4 = dataset_3.select(["gezinscode", "ua", "stratum", "email"]).filter(
        pa.array(~unknown_twice)
    )
    # The DWH extract is ordered by family code, not grouped by payer like the contact files.
    achtergrond = pa.table(_achtergrond_columns(rng, fam, gezinscode, ua))
    achtergrond = achtergrond.take(pc.sort_indices(gezinscode))
    return StudyData(dataset_1, dataset_2, dataset_3, dataset_4, achtergrond)


def write_study(data: StudyData, out_dir: Path) -> dict[str, Path]:
    """Write every file of the study as parquet; returns {logical name: path}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, pa.Table] = {}
    tables.update({f"dataset_1_{p}": t for p, t in data.dataset_1.items()})
    tables.update({f"dataset_2_{p}": t for p, t in data.dataset_2.items()})
    tables["dataset_3"] = data.dataset_3
    tables["dataset_4"] = data.dataset_4
    tables["achtergrond"] = data.achtergrond
    paths: dict[str, Path] = {}
    for name, table in tables.items():
        path = out_dir / f"{name}.parquet"
        pq.write_table(table, path)
        paths[name] = path
    return paths


def achtergrond_like(rows: int, seed: int, *, all_failing: bool = False) -> pa.Table:
    """A large achtergrond-shaped table for benchmarks, built column-wise with numpy.

    Rows are drawn in slices of a fixed size, so temporary arrays stay small whatever `rows`
    is; the table's columns are chunked accordingly. With `all_failing`, every row breaks
    several of the contract's rules while keeping the columns: an income amount instead of a
    class label, age classes that do not add up to aantal_kinderen, a sociale_toeslag flag that
    contradicts its count, and (from two rows on) a gezinscode shared with another row.
    """
    if rows < 0:
        raise ValueError(f"rows must be at least 0, not {rows}")
    rng = np.random.Generator(np.random.PCG64(seed))
    keys = code_keys(rng)
    slices: list[pa.Table] = []
    for start in range(0, max(rows, 1), _SLICE_ROWS):
        index = np.arange(start, min(start + _SLICE_ROWS, rows), dtype=np.int64)
        payer = _draw(rng, _PAYER_SHARES, len(index))
        fam = _draw_families(rng, payer)
        if all_failing:
            index //= 2  # rows 2k and 2k+1 share a code; an odd last row shares row 0's
            if rows % 2 == 1 and rows > 1 and start + len(index) == rows:
                index[-1] = 0
        codes = gezinscodes(keys, index)
        columns = _achtergrond_columns(rng, fam, codes, labels_of(_UA, payer))
        if all_failing:
            columns.update(_broken(rng, fam, columns))
        slices.append(pa.table(columns))
    return pa.concat_tables(slices)


def _broken(
    rng: np.random.Generator, fam: _Families, columns: dict[str, pa.Array]
) -> dict[str, pa.Array]:
    """Replacement columns that make every row break several achtergrond rules."""
    n = len(fam.payer)
    euros = pa.array(rng.integers(1_000, 150_000, size=n)).cast(pa.string())
    cents = pc.utf8_lpad(pa.array(rng.integers(0, 100, size=n)).cast(pa.string()), 2, "0")
    social_n = columns["sociale_toeslag_n"].to_numpy()
    return {
        "inkomen_bruto_belastbaar_klasse": pc.binary_join_element_wise(
            euros, pa.scalar("."), cents, ""
        ),
        "kinderen_0_5": pa.array(fam.by_age[0] + 1),
        "sociale_toeslag": pa.array((social_n == 0).astype(np.int64)),
    }


def _payer_counts(families: int) -> IntArray:
    """Families per payer by largest remainder; every payer gets one when there are enough."""
    raw = np.array(_PAYER_SHARES) / 100 * families
    counts: IntArray = np.floor(raw).astype(np.int64)
    by_remainder = np.argsort(-(raw - counts), kind="stable")
    counts[by_remainder[: families - int(counts.sum())]] += 1
    while families >= len(PAYERS) and (counts == 0).any():
        counts[int(np.argmax(counts))] -= 1
        counts[int(np.argmin(counts))] += 1
    return counts


def _draw_families(rng: np.random.Generator, payer: IntArray) -> _Families:
    n = len(payer)
    children_class = _draw(rng, _CHILDREN_SHARES, n)
    children = np.where(
        children_class == 3, 4 + _draw(rng, _FOUR_OR_MORE_SHARES, n), children_class + 1
    )
    eldest = _draw(rng, _ELDEST_SHARES, n, given=children_class)
    by_age = np.zeros((len(_AGE_CLASSES), n), dtype=np.int64)
    rows = np.arange(n)
    by_age[eldest, rows] = 1
    # Younger siblings fall in the eldest's age class or a younger one.
    for sibling in range(1, int(children.max(initial=1))):
        present = rows[children > sibling]
        age = (rng.random(len(present)) * (eldest[present] + 1)).astype(np.int64)
        by_age[age, present] += 1
    income = _draw(rng, _INCOME_SHARES, n)
    providers = 1 + (rng.integers(0, 100, size=n) < _TWO_PROVIDERS[income]).astype(np.int64)
    return _Families(payer, children, children_class, by_age, eldest, income, providers)


def _draw(
    rng: np.random.Generator,
    shares: tuple[int, ...] | tuple[tuple[int, ...], ...],
    n: int,
    given: IntArray | None = None,
) -> IntArray:
    """n category indices with the given percentages (per row of `shares` for `given`)."""
    table = np.array(
        [np.repeat(np.arange(len(row)), row) for row in np.atleast_2d(np.array(shares))],
        dtype=np.int64,
    )
    assert table.shape[1] == 100, "shares are whole percentages adding up to 100"
    percent = rng.integers(0, 100, size=n, dtype=np.uint8)
    drawn: IntArray = table[0 if given is None else given, percent]
    return drawn


def _strata() -> tuple[str, ...]:
    return tuple(
        f"{ua}/{n}/{age}/{pos}"
        for ua in _UA
        for n in _CHILDREN_CLASSES
        for age in _AGE_CLASSES
        for pos in _INCOME_POSITIONS
    )


def _stratum_index(fam: _Families) -> IntArray:
    index = ((fam.payer * 4 + fam.children_class) * 4 + fam.eldest) * 4 + fam.income
    return index.astype(np.int64)


def _about(rng: np.random.Generator, counts: IntArray, share: float) -> IntArray:
    """About `share` of each count, rounded at random (cheaper than a binomial draw)."""
    return np.floor(counts * share + rng.random(len(counts))).astype(np.int64)


def _achtergrond_columns(
    rng: np.random.Generator, fam: _Families, gezinscode: pa.Array, ua: pa.Array
) -> dict[str, pa.Array]:
    """Art. 3, groups 2-4, consistent with the family's stratum and with every rule.

    The columns come in the contract's order.
    """
    n = len(fam.payer)
    young, school, teen, adult = fam.by_age
    older = school + teen + adult
    # nieuw: all children born from 2019 (0-5 in September 2024); transitie: all before.
    gezinstype = np.where(older == 0, 2, np.where(young == 0, 1, 0))
    wezen = ((fam.providers == 1) & (rng.random(n) < 0.03)).astype(np.int64)

    social = rng.random(n) < np.array([0.85, 0.35, 0.0, 0.0])[fam.income]
    sociale_toeslag_n = np.where(social, fam.children, 0)
    care = rng.random(n) < 0.05
    zorgtoeslag_n = np.where(care, 1 + ((fam.children >= 2) & (rng.random(n) < 0.1)), 0)
    ondersteuningstoeslag_n = (rng.random(n) < 0.03).astype(np.int64)
    # Kleuters (3-5) are at school too; young adults only when still studying.
    at_school = school + teen + _about(rng, young, 0.5) + _about(rng, adult, 0.7)
    grant = rng.random(n) < np.array([0.80, 0.50, 0.15, 0.0])[fam.income]
    schooltoeslag_n = np.where(grant, at_school, 0)
    # Age supplements continue only for children born before 2019.
    leeftijdsbijslag_n = school + teen + _about(rng, adult, 0.8)

    bruto = fam.income + 1
    draw = rng.random(n)
    shift = (draw >= 0.93).astype(np.int64) - (draw < 0.07)
    aanslag = np.clip(bruto + shift, 1, 4)
    no_assessment = rng.random(n) < 0.02
    # Parts of the income never exceed the class of the whole.
    ki = np.where(rng.random(n) < 0.12, np.minimum(1 + (rng.random(n) < 0.2), bruto), 0)
    ivt = (rng.random(n) < np.array([0.08, 0.03, 0.01, 0.0])[fam.income]).astype(np.int64)
    leefloon = (rng.random(n) < np.array([0.15, 0.02, 0.0, 0.0])[fam.income]).astype(np.int64)
    foreign = np.where(rng.random(n) < 0.04, 1 + (rng.random(n) * bruto).astype(np.int64), 0)

    def integers(values: npt.ArrayLike) -> pa.Array:
        return pa.array(np.asarray(values, dtype=np.int64))

    return {
        "gezinscode": gezinscode,
        "ua": ua,
        "aantal_kinderen": integers(fam.children),
        "kinderen_0_5": integers(young),
        "kinderen_6_11": integers(school),
        "kinderen_12_17": integers(teen),
        "kinderen_18_24": integers(adult),
        "aantal_inkomensverstrekkers": integers(fam.providers),
        "gezinstype": labels_of(_GEZINSTYPES, gezinstype),
        "wezen": integers(wezen),
        "sociale_toeslag": integers(sociale_toeslag_n > 0),
        "zorgtoeslag": integers(zorgtoeslag_n > 0),
        "schooltoeslag": integers(schooltoeslag_n > 0),
        "inkomen_bruto_belastbaar_klasse": labels_of(_INCOME_CLASSES, bruto),
        "inkomen_aanslagbiljet_klasse": labels_of(_INCOME_CLASSES, aanslag, no_assessment),
        "inkomen_ki_klasse": labels_of(_INCOME_CLASSES, ki),
        "inkomen_ivt_klasse": labels_of(_INCOME_CLASSES, ivt),
        "inkomen_leefloon_klasse": labels_of(_INCOME_CLASSES, leefloon),
        "inkomen_buitenlands_klasse": labels_of(_INCOME_CLASSES, foreign),
        "basisbedrag_n": integers(fam.children),
        "leeftijdsbijslag_n": integers(leeftijdsbijslag_n),
        "sociale_toeslag_n": integers(sociale_toeslag_n),
        "zorgtoeslag_n": integers(zorgtoeslag_n),
        "ondersteuningstoeslag_n": integers(ondersteuningstoeslag_n),
        "schooltoeslag_n": integers(schooltoeslag_n),
        **amount_types(
            rng,
            (fam.by_age, fam.children, fam.income),
            gezinstype,
            (leeftijdsbijslag_n, sociale_toeslag_n, zorgtoeslag_n, schooltoeslag_n),
        ),
    }


# --- the demo's bad files (datacontract demo --violation) ---------------------------------------


def with_insz_column(path: Path) -> Path:
    """A copy of dataset_4 that kept a column of (synthetic) national numbers."""
    table = pq.read_table(path)
    numbers = [
        make_insz(dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28), i % 900 + 1)
        for i in range(table.num_rows)
    ]
    target = path.with_name("dataset_4_met_insz.parquet")
    pq.write_table(table.append_column("insz", pa.array(numbers)), target)
    return target


def drop_last_row(path: Path) -> None:
    """Change the file after its manifest was written: drop its last row."""
    table = pq.read_table(path)
    pq.write_table(table.slice(0, max(table.num_rows - 1, 0)), path)
