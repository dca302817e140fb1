"""The one rule of what names may be shown (contract/names.py) withholds every rendering of a
national number the personal detectors find, though contract/ cannot import them.

Held together here: every text and numeric rendering of tests/personal/test_insz_renderings.py
is withheld as a name; on arbitrary text of digits and separators, whatever `contains_insz`
finds is withheld; the check-digit arithmetic repeated in contract/names.py agrees with
personal/insz.py's.
"""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st
from tests.personal.test_insz_renderings import (
    SETTINGS,
    numbers,
    numeric_renderings,
    text_renderings,
)

from datacontract.contract.names import file_label, looks_personal, shown, valid_insz
from datacontract.personal import detect, insz
from datacontract.personal.redact import looks_personal as personal_looking


@SETTINGS
@given(st.data())
def test_every_text_rendering_is_withheld_as_a_name(data: st.DataObject) -> None:
    digits = data.draw(numbers())
    name = data.draw(text_renderings(digits))
    assert looks_personal(name), name.encode("unicode_escape")
    assert "withheld" in shown(name) and digits not in shown(name)
    assert personal_looking(name)
    path = f"exports/{name}/part-0.parquet"
    assert file_label(path, 4) == "the file given as argument 4"


@SETTINGS
@given(numbers())
def test_every_numeric_rendering_is_withheld_as_a_name(digits: str) -> None:
    names = numeric_renderings(digits)
    found = detect.contains_insz(pa.array(names, pa.string())).tolist()
    for name, hit in zip(names, found, strict=True):
        if hit:  # what the detectors read as a national number (from 8 digits on)
            assert looks_personal(name), name


@SETTINGS
@given(st.lists(st.text(alphabet="0123456789 ./-_:E+kx", min_size=8, max_size=30), max_size=20))
def test_what_the_detector_finds_the_rule_withholds(names: list[str]) -> None:
    hits = detect.contains_insz(pa.array(names, pa.string())).tolist()
    for name, hit in zip(names, hits, strict=True):
        if hit:
            assert looks_personal(name), name


@SETTINGS
@given(st.integers(0, 10**11))
def test_the_check_digit_arithmetic_agrees(number: int) -> None:
    assert valid_insz(number) == insz.is_valid_number(number)


def test_ordinary_names_are_shown() -> None:
    for name in ["dataset_4", "stap6_achtergrond", "export_20250115", "K4_boven_68329.61"]:
        assert not looks_personal(name) and shown(name) == repr(name)
