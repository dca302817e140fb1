"""A contract that loads exports an ODCS document the ODCS JSON Schema accepts, whatever its
`values` lists hold: ODCS's `enum` must hold distinct items, so a column listing a value twice
(also 1 and "1", the same cell text) is refused at load (file:line:col, the repeat named by
position, never by value), not exported as an invalid enum."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.standards.test_odcs import CONTRACTS, odcs_errors

from datacontract.contract.load import parse_contract
from datacontract.errors import ContractError
from datacontract.standards.odcs_export import export_odcs, odcs_data


def _listed(path: Path) -> Iterator[tuple[Path, str, str, int]]:
    """(contract, dataset, column, position) of every column declaring values."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dataset in data["datasets"]:
        for column in dataset["columns"]:
            for position in range(len(column.get("values") or ())):
                yield path, dataset["id"], column["name"], position


CASES = [case for path in CONTRACTS for case in _listed(path)]


def _repeating(path: Path, dataset: str, column: str, position: int, as_text: bool) -> str:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for d in data["datasets"]:
        for c in d["columns"]:
            if d["id"] == dataset and c["name"] == column:
                value = c["values"][position]
                c["values"] = [*c["values"], str(value) if as_text else value]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_there_are_values_to_repeat() -> None:
    assert len({(p, d, c) for p, d, c, _ in CASES}) >= 5


@pytest.mark.parametrize("as_text", [False, True], ids=["same", "same_text"])
@pytest.mark.parametrize(
    ("path", "dataset", "column", "position"),
    CASES,
    ids=[f"{p.stem}:{d}.{c}:{i + 1}" for p, d, c, i in CASES],
)
def test_a_repeated_value_is_refused_at_load_or_exports_valid_odcs(
    path: Path, dataset: str, column: str, position: int, as_text: bool
) -> None:
    text = _repeating(path, dataset, column, position, as_text)
    try:
        contract = parse_contract(text, path.name)
    except ContractError as refused:
        message = str(refused)
        assert f"repeats value {position + 1}" in message, message
        assert f"{path.name}:" in message and ".values" in message, message
        return
    # loaded: then the export must be valid ODCS (the family this test holds)
    assert odcs_errors(odcs_data(export_odcs(contract))) == []


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_the_shipped_contracts_list_each_value_once(path: Path) -> None:
    contract = parse_contract(path.read_text(encoding="utf-8"), path.name)
    for dataset in contract.datasets:
        for column in dataset.columns:
            shown = [str(v) for v in column.values or ()]
            assert len(shown) == len(set(shown)), (dataset.id, column.name)
