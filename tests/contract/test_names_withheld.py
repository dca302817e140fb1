"""A national number, phone number or e-mail address typed where a name belongs (a key of a
contract, a --hop, a --dataset) is never repeated in a message: it is withheld, and the
message still says what is wrong."""

from __future__ import annotations

import datetime as dt
import re
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


# -- names the contract declares (issue 28.4; contract/names.py rule 2) -------------------------

SLASHED = "/".join((NUMBER[:2], NUMBER[2:4], NUMBER[4:6], NUMBER[6:9], NUMBER[9:]))
LOST_ZERO = str(int(make_insz(dt.date(2004, 3, 9), 12)))  # born 200x, stored as a number
DECLARED = {
    "contract id": ("contract: groeipakket-toereikendheid-2025", f"contract: c-{NUMBER}"),
    "party": ("kidslife", f"p{NUMBER}"),
    "dataset": ("dataset_3", f"dataset_{NUMBER}"),
    "column": ("gezinstype", f"k_{DOTTED}"),
    "column slashed": ("gezinstype", f"k {SLASHED}"),
    "column lost zero": ("gezinstype", f"k_{LOST_ZERO}"),
    "column e-mail": ("gezinstype", "jan.peeters@example.org"),
    "hop": ("stap6_achtergrond", f"stap_{NUMBER}"),
}
COMMANDS: list[list[str]] = [
    ["lint"],
    ["lint", "--format", "json"],
    ["describe"],
    ["describe", "--format", "json"],
    ["coverage"],
    ["coverage", "--format", "json"],
    ["coverage", "--format", "markdown"],
    ["export", "--format", "odcs"],
]


def _planted(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert old in text, old
    if old.startswith("contract: "):
        text = text.replace(old, new, 1)
    else:
        text = re.sub(rf"\b{re.escape(old)}\b", new.replace("\\", "\\\\"), text)
    contract = tmp_path / "c.yaml"
    contract.write_text(text, encoding="utf-8")
    return contract


def _digits_leak(text: str, name: str) -> bool:
    digits = re.sub(r"\D", "", name)
    return name in text or (len(digits) >= 8 and digits in re.sub(r"\D", "", text))


@pytest.mark.parametrize("kind", list(DECLARED))
def test_a_personal_looking_name_in_a_contract_is_never_printed(tmp_path: Path, kind: str) -> None:
    old, new = DECLARED[kind]
    contract = _planted(tmp_path, old, new)
    name = new.removeprefix("contract: ")
    for argv in COMMANDS:
        run = run_cli(*argv, "--contract", contract)
        assert run.code in (1, 2) and "internal error" not in run.everything, (argv, run)
        assert not _digits_leak(run.everything, name), (argv, run.everything)
        assert "personal data" in run.everything, (argv, run.everything)
    for pair in ([CONTRACT, contract], [contract, CONTRACT]):
        for fmt in ("text", "json"):
            run = run_cli("changelog", *pair, "--format", fmt)
            assert run.code == 2 and not _digits_leak(run.everything, name), run.everything


def test_a_personal_looking_name_in_an_odcs_document_is_never_printed(tmp_path: Path) -> None:
    exported = run_cli("export", "--format", "odcs", "--contract", CONTRACT)
    assert exported.code == 0
    for old, new in [
        ("name: gezinstype", f"name: k_{NUMBER}"),
        ("name: dataset_4", f"name: d{DOTTED}"),
    ]:
        assert old in exported.stdout, old
        document = tmp_path / "odcs.yaml"
        document.write_text(exported.stdout.replace(old, new), encoding="utf-8")
        run = run_cli("import", "--format", "odcs", document)
        assert run.code == 2 and "internal error" not in run.everything, run.everything
        assert not _digits_leak(run.everything, new.removeprefix("name: "))
