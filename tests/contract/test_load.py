"""Contracts load into frozen models; a broken contract is an error at file:line:column."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from datacontract.contract.load import load_contract, parse_contract
from datacontract.errors import ContractError

SOURCE = (Path(__file__).resolve().parents[2] / "contracts").glob("*.yaml")


@pytest.mark.parametrize("path", sorted(SOURCE), ids=lambda p: p.name)
def test_shipped_contracts_load(path: Path) -> None:
    loaded = load_contract(path)
    assert len(loaded.sha256) == 64
    for dataset in loaded.contract.datasets:
        assert dataset.columns
        assert all(c.article for c in dataset.columns)
        assert all(r.article for r in dataset.rules)


def test_spec_names_are_in_the_adequacy_contract(loaded) -> None:  # type: ignore[no-untyped-def]
    c = loaded.contract
    assert c.contract == "groeipakket-toereikendheid-2025"
    parties = {p.id for p in c.parties}
    assert parties >= {
        "opgroeien_dm",
        "opgroeien_it",
        "fons",
        "kidslife",
        "infino",
        "myfamily",
        "parentia",
        "onderzoekers_swvg",
        "vutg",
    }
    assert {ch.id for ch in c.channels} == {"kring", "sftp"}
    columns = {d.id: set(d.column_names) for d in c.datasets}
    # Spec (corrected): the payers' files hold identification data only; dataset_3 gains the
    # research gezinscode and the stratum when IT merges.
    assert columns["dataset_1"] == {"ua", "insz", "cgpa_code"}
    assert columns["dataset_2"] == columns["dataset_1"] | {"email"}
    assert columns["dataset_3"] == columns["dataset_2"] | {"gezinscode", "stratum"}
    assert columns["dataset_4"] == {"gezinscode", "ua", "stratum", "email"}
    assert columns["achtergrond"] == {
        "gezinscode",
        "ua",
        "aantal_kinderen",
        "kinderen_0_5",
        "kinderen_6_11",
        "kinderen_12_17",
        "kinderen_18_24",
        "aantal_inkomensverstrekkers",
        "gezinstype",
        "wezen",
        "sociale_toeslag",
        "zorgtoeslag",
        "schooltoeslag",
        "inkomen_bruto_belastbaar_klasse",
        "inkomen_aanslagbiljet_klasse",
        "inkomen_ki_klasse",
        "inkomen_ivt_klasse",
        "inkomen_leefloon_klasse",
        "inkomen_buitenlands_klasse",
        "basisbedrag_n",
        "leeftijdsbijslag_n",
        "sociale_toeslag_n",
        "zorgtoeslag_n",
        "ondersteuningstoeslag_n",
        "schooltoeslag_n",
        # art. 3, vg4 "+ type ..." (issue 24): the type of each amount, as classes
        "basisbedrag_type",
        "leeftijdsbijslag_type",
        "sociale_toeslag_type",
        "zorgtoeslag_type",
        "schooltoeslag_type",
    }
    hops = {h.id: (h.dataset, h.sender, h.receiver, h.channel) for h in c.hops}
    payers = ("fons", "kidslife", "infino", "myfamily", "parentia")
    assert hops["stap3"] == ("dataset_1", ("opgroeien_it",), payers, "kring")
    assert hops["stap4"] == ("dataset_2", payers, ("opgroeien_it",), "kring")
    assert hops["stap6_contact"] == ("dataset_4", ("opgroeien_it",), ("onderzoekers_swvg",), "sftp")
    assert hops["stap6_achtergrond"][:3] == (
        "achtergrond",
        ("opgroeien_it",),
        ("onderzoekers_swvg",),
    )
    assert any(m.id == "veldwerk_afgelopen" for m in c.milestones)
    ua = c.dataset("dataset_4").column("ua")
    assert set(ua.values) == {"FONS", "KIDSLIFE", "INFINO", "MYFAMILY", "PARENTIA"}


def test_models_are_frozen(loaded) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(pydantic.ValidationError):
        loaded.contract.datasets[0].columns[0].name = "x"  # type: ignore[misc]


MINIMAL = """\
contract: mini
version: "1"
title: t
protocol: {title: p, date: 2025-01-01, seed: s.txt}
parties:
  - {id: a, name: A, article: art. 1}
channels:
  - {id: c, name: C, article: art. 1}
datasets:
  - id: d
    title: D
    article: art. 3
    columns:
      - name: x
        category: background
        article: art. 3
hops:
  - {id: h, dataset: d, from: a, to: a, channel: c, article: art. 4}
"""


def _error(text: str) -> ContractError:
    with pytest.raises(ContractError) as info:
        parse_contract(text, "c.yaml")
    return info.value


def test_minimal_contract_parses() -> None:
    contract = parse_contract(MINIMAL, "c.yaml")
    assert contract.dataset("d") is not None


def test_typo_in_a_key_points_at_it_and_suggests() -> None:
    err = _error(MINIMAL.replace("    columns:", "    colums:"))
    assert "c.yaml:13:5" in str(err)
    assert "did you mean 'columns'" in str(err)
    assert "misses required key" not in str(err)  # said once, with the suggestion


def test_column_without_article_is_an_error_with_its_place() -> None:
    err = _error(MINIMAL.replace("        article: art. 3\n", "", 1))
    assert "c.yaml:14:9" in str(err)
    assert "no article citation" in str(err)


def test_rule_without_article_is_an_error() -> None:
    text = MINIMAL.replace(
        "hops:", "    rules:\n      - {id: d.u, kind: unique, columns: [x]}\nhops:"
    )
    err = _error(text)
    assert "no article citation" in str(err)
    assert "rules[d.u]" in str(err)


def test_unknown_reference_suggests_the_declared_name() -> None:
    err = _error(MINIMAL.replace("channel: c,", "channel: cc,"))
    assert "unknown channel 'cc'" in str(err)
    assert "c.yaml:18:" in str(err)


def test_rule_naming_an_unknown_column() -> None:
    text = MINIMAL.replace(
        "hops:", "    rules:\n      - {id: d.u, kind: unique, columns: [y], article: a}\nhops:"
    )
    assert "unknown column of d 'y'" in str(_error(text))


def test_bad_yaml_and_empty_and_missing_file(tmp_path: Path) -> None:
    assert "not valid YAML" in str(_error("a: [b"))
    assert "empty" in str(_error(""))
    with pytest.raises(ContractError, match="not found"):
        load_contract(tmp_path / "nope.yaml")


def test_wrong_type_of_value_is_located() -> None:
    err = _error(MINIMAL.replace("title: t", "title: [t]"))
    assert "c.yaml:3:" in str(err)


def test_duplicate_ids_and_keys() -> None:
    assert "declared twice" in str(
        _error(MINIMAL.replace("channels:", "  - {id: a, name: B, article: x}\nchannels:"))
    )
    assert "appears twice" in str(_error(MINIMAL.replace("title: t", "title: t\ntitle: u")))


def test_show_values_needs_declared_values() -> None:
    err = _error(
        MINIMAL.replace(
            "        category: background",
            "        show_values: true\n        category: background",
        )
    )
    assert "show_values" in str(err)
