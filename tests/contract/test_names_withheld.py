"""A national number, phone number or e-mail address typed where a name belongs (a key of a
contract, a --hop, a --dataset) is never repeated in a message: it is withheld, and the
message still says what is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import CONTRACT, run_cli

from datacontract.contract.references import shown
from datacontract.personal.insz import make_insz

NUMBER = make_insz(dt.date(1978, 11, 2), 145)
DOTTED = f"{NUMBER[:2]}.{NUMBER[2:4]}.{NUMBER[4:6]}-{NUMBER[6:9]}.{NUMBER[9:]}"
PERSONAL = [NUMBER, DOTTED, "+32 475 12 34 56", "jan.peeters@example.org"]
IDS = ["insz", "insz-dotted", "phone", "email"]


@pytest.mark.parametrize("name", PERSONAL, ids=IDS)
def test_a_personal_looking_name_is_withheld(name: str) -> None:
    assert name not in shown(name) and "withheld" in shown(name)


@pytest.mark.parametrize("name", ["stap_4", "dataset_4", "K4_boven_68329.61", "ikt-2025"])
def test_an_ordinary_name_is_shown(name: str) -> None:
    assert shown(name) == repr(name)


@pytest.mark.parametrize("name", PERSONAL, ids=IDS)
@pytest.mark.parametrize("command", ["validate", "lint", "coverage"])
def test_a_contract_key_is_withheld(tmp_path: Path, name: str, command: str) -> None:
    text = CONTRACT.read_text(encoding="utf-8").replace(
        "contract: groeipakket", f'"{name}": 1\ncontract: groeipakket', 1
    )
    contract = tmp_path / "c.yaml"
    contract.write_text(text, encoding="utf-8")
    argv: list[object] = {
        "validate": ["validate", tmp_path / "x.csv", "--dataset", "dataset_4"],
        "lint": ["lint"],
        "coverage": ["coverage"],
    }[command]
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    run = run_cli(*argv, "--contract", contract)  # type: ignore[arg-type]
    assert run.code in (1, 2) and "unknown key" in run.everything, run.everything
    assert name not in run.everything


@pytest.mark.parametrize("name", PERSONAL, ids=IDS)
def test_a_dataset_argument_is_withheld(tmp_path: Path, name: str) -> None:
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    run = run_cli("validate", data, "--contract", CONTRACT, "--dataset", name)
    assert run.code == 2 and "unknown dataset" in run.stderr
    assert name not in run.everything
