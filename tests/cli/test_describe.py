"""What a newcomer needs to call the hooks: `describe` lists every name a command takes, the
hooks' --help points at it, and every unknown name lists the known ones with a suggestion."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import CONTRACT, ROOT, run_cli

from datacontract.contract.load import load_contract

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_describe_lists_every_party_dataset_hop_and_milestone(path: Path) -> None:
    contract = load_contract(path).contract
    run = run_cli("describe", "--contract", path)
    assert run.code == 0, run.everything
    lines = run.stdout.splitlines()
    for hop in contract.hops:
        line = next(x for x in lines if x.split()[:1] == [hop.id])
        assert f"{', '.join(hop.sender)} -> {', '.join(hop.receiver)}  {hop.dataset}" in line
        assert line.endswith(f"({' '.join(hop.article.split())})")
    names = [x.split()[0] for x in lines if x.startswith("  ") and x.strip()]
    for declared in (contract.parties, contract.datasets, contract.milestones):
        assert all(d.id in names for d in declared)
    described = json.loads(run_cli("describe", "--contract", path, "--format", "json").stdout)
    assert [h["id"] for h in described["hops"]] == [h.id for h in contract.hops]
    assert [p["id"] for p in described["parties"]] == [p.id for p in contract.parties]


@pytest.mark.parametrize(
    "command", [["hop"], ["hop", "send"], ["hop", "receive"], ["destroy"], ["made"], ["milestone"]]
)
def test_help_of_every_hook_points_at_describe(command: list[str]) -> None:
    run = run_cli(*command, "--help")
    assert run.code == 0
    assert "datacontract describe --contract C" in " ".join(run.stdout.split())


def _workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Gezinnen"
    book.active.append(["gezinscode"])
    book.create_sheet("Toelichting").append(["tekst"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


LEDGER = ("--ledger", "{ledger}")
# (arguments, exit code, the name given, a suggestion or None, names the message must list)
UNKNOWN = {
    "validate --dataset": (
        ["validate", "{csv}", "--contract", CONTRACT, "--dataset", "dataset4"],
        2, "dataset", "dataset_4", ["dataset_1", "achtergrond", "dataset_4_telefoon"],
    ),
    "validate --format": (
        ["validate", "{csv}", "--contract", CONTRACT, "--dataset", "dataset_4", "--format", "sarf"],
        2, "--format", "sarif", ["text", "json", "junit", "github", "azure"],
    ),
    "validate --sheet": (
        ["validate", "{xlsx}", "--contract", CONTRACT, "--dataset", "dataset_4", "--sheet", "Gezin"],
        # a worksheet's own name is not the contract's: listed by position (issue 22.3)
        2, "worksheet", None, ["1 (not in the contract)", "2 (not in the contract)"],
    ),
    "validate file type": (
        ["validate", "{parqet}", "--contract", CONTRACT, "--dataset", "dataset_4"],
        2, "file type", ".parquet", [".csv", ".jsonl", ".xlsx"],
    ),
    "hop send --hop": (
        ["hop", "send", "{csv}", "--contract", CONTRACT, "--hop", "stap_4", *LEDGER],
        1, "hop", "stap4", ["stap3", "stap6_contact", "stap6_achtergrond"],
    ),
    "hop send --from": (
        ["hop", "send", "{csv}", "--contract", CONTRACT, "--hop", "stap4", "--from", "fonz", *LEDGER],
        1, "party", "fons", ["kidslife", "opgroeien_it", "onderzoekers_swvg"],
    ),
    "destroy --party": (
        ["destroy", "--contract", CONTRACT, "--party", "opgroeien_itt", "--dataset", "dataset_4", *LEDGER],
        2, "party", "opgroeien_it", ["fons", "vutg"],
    ),
    "destroy --dataset": (
        ["destroy", "--contract", CONTRACT, "--party", "opgroeien_it", "--dataset", "dataset4", *LEDGER],
        2, "dataset", "dataset_4", ["dataset_1", "achtergrond"],
    ),
    "made --dataset": (
        ["made", "--contract", CONTRACT, "--party", "opgroeien_it", "--dataset", "dataset_33", *LEDGER],
        2, "dataset", "dataset_3", ["dataset_1", "achtergrond"],
    ),
    "milestone NAME": (
        ["milestone", "veldwerk_afgelopn", "--contract", CONTRACT, *LEDGER],
        2, "milestone", "veldwerk_afgelopen", ["veldwerk_gestart", "loting_deelnameprijzen"],
    ),
    "milestone --party": (
        ["milestone", "veldwerk_afgelopen", "--contract", CONTRACT, "--party", "gemeente", *LEDGER],
        2, "party", None, ["onderzoekers_swvg", "opgroeien_dm"],
    ),
    "demo --violation": (
        ["demo", "--out", "{tmp}", "--violation", "second-delivry"],
        2, "violation", "second-delivery", ["background-too-early", "tampered-file"],
    ),
    "sample --output extension": (
        ["sample", "--contract", CONTRACT, "--dataset", "dataset_4", "--output", "{parqet}"],
        2, "file type", ".parquet", [".csv", ".jsonl", ".xlsx"],
    ),
    "coverage --format": (
        ["coverage", "--contract", CONTRACT, "--format", "markdwn"],
        2, "--format", "markdown", ["text", "json"],
    ),
    "contract: a hop's dataset": (
        ["describe", "--contract", "{typo_contract}"],
        2, "dataset", "dataset_4", ["dataset_1", "achtergrond"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(UNKNOWN), ids=list(UNKNOWN))
def test_every_unknown_name_lists_the_known_ones_with_a_suggestion(
    case: str, tmp_path: Path
) -> None:
    args, code, what, near, known = UNKNOWN[case]
    csv = tmp_path / "d4.csv"
    csv.write_text("gezinscode,ua,stratum,email\n", encoding="utf-8")
    (tmp_path / "d4.parqet").write_bytes(b"PAR1")
    typo = tmp_path / "typo.yaml"
    text = CONTRACT.read_text(encoding="utf-8")
    typo.write_text(text.replace("dataset: dataset_4\n", "dataset: dataset_44\n", 1), "utf-8")
    assert typo.read_text(encoding="utf-8") != text
    ledger = tmp_path / "ledger.jsonl"
    assert run_cli("ledger", "init", "--ledger", ledger, "--contract", CONTRACT).code == 0
    places = {
        "{csv}": csv,
        "{xlsx}": _workbook(tmp_path),
        "{parqet}": tmp_path / "d4.parqet",
        "{ledger}": ledger,
        "{tmp}": tmp_path / "demo",
        "{typo_contract}": typo,
    }
    run = run_cli(*[places.get(str(a), a) for a in args])
    message = " ".join(run.stderr.split())
    assert run.code == code, run.everything
    assert "Traceback" not in run.everything
    assert f"unknown {what} " in message, message
    if near is not None:
        assert f"did you mean {near!r}?" in message, message
    else:
        assert "did you mean" not in message
    listed = message.split("known: ", 1)[1]
    assert all(name in listed for name in known), message
