"""The type of each amount of the synthetic background file (000 art. 3, variabelengroep 4:
"+ type basisbedrag", "+ type leeftijdsbijslag", "+ type toeslagbedrag", "+ type bedrag"), one
of the contract's classes per family, null when no child of the family has the right."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datacontract.demo.synthetic_codes import IntArray, labels_of

# The classes of the amount types (the contract's achtergrond.*_type values).
_BASIS_TYPES = ("gemengd", "transitie", "nieuw")  # indexed as _GEZINSTYPES
_AGE_TYPES = ("leeftijd_6_11", "leeftijd_12_17", "leeftijd_18_24", "gemengd")
_SOCIAL_TYPES = (
    "inkomensgrens_1_een_of_twee_kinderen",
    "inkomensgrens_1_drie_of_meer_kinderen",
    "inkomensgrens_2_drie_of_meer_kinderen",
)
_CARE_TYPES = ("punten_4_5", "punten_6_8", "punten_9_11", "punten_12_14", "punten_15_17")
_SCHOOL_TYPES = (
    "kleuteronderwijs",
    "lager_onderwijs",
    "secundair_onderwijs",
    "hoger_onderwijs",
    "gemengd",
)


def _one_or_mixed(counts: list[IntArray], mixed: int) -> IntArray:
    """The index of the only nonzero count of each row, `mixed` when several are nonzero."""
    stacked = np.stack([np.asarray(c) > 0 for c in counts])
    only = np.argmax(stacked, axis=0)
    return np.where(stacked.sum(axis=0) > 1, mixed, only)


def amount_types(
    rng: np.random.Generator,
    family: tuple[IntArray, IntArray, IntArray],
    gezinstype: IntArray,
    rights: tuple[IntArray, IntArray, IntArray, IntArray],
) -> dict[str, pa.Array]:
    """The type of each amount per family (art. 3, vg4 "+ type ..."), null without a right;
    `family`: the children by age class (shape (4, n): 0-5, 6-11, 12-17, 18-24), their
    number and the income class index of each family; `rights`: the children with a right to
    the age, social, care and school supplements."""
    by_age, children, income = family
    young, school, teen, adult = by_age
    age_n, social_n, care_n, school_n = rights
    n = len(children)
    big = children >= 3
    social = np.where(income == 0, np.where(big, 1, 0), np.where(big, 2, 0))
    levels = _one_or_mixed([young, school, teen, adult], 4)
    schooled = np.asarray(school_n) == 0
    return {
        "basisbedrag_type": labels_of(_BASIS_TYPES, gezinstype),
        "leeftijdsbijslag_type": labels_of(
            _AGE_TYPES, _one_or_mixed([school, teen, adult], 3), np.asarray(age_n) == 0
        ),
        "sociale_toeslag_type": labels_of(_SOCIAL_TYPES, social, np.asarray(social_n) == 0),
        "zorgtoeslag_type": labels_of(
            _CARE_TYPES, rng.integers(0, len(_CARE_TYPES), n), np.asarray(care_n) == 0
        ),
        "schooltoeslag_type": labels_of(_SCHOOL_TYPES, levels, schooled),
    }
