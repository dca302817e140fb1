"""Shared fixtures. Every value is synthetic and generated here or in datacontract.synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"


@pytest.fixture(scope="session")
def contract_path() -> Path:
    return CONTRACT


@pytest.fixture(scope="session")
def loaded():  # type: ignore[no-untyped-def]
    from datacontract.load import load_contract

    return load_contract(CONTRACT)
