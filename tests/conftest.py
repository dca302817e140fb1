"""Shared fixtures. Every value is synthetic and generated here or in datacontract.synthetic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"


@pytest.fixture(scope="session")
def contract_path() -> Path:
    return CONTRACT


@pytest.fixture(scope="session")
def loaded():  # type: ignore[no-untyped-def]
    from datacontract.contract.load import load_contract

    return load_contract(CONTRACT)


@dataclass(frozen=True)
class Run:
    """What one command-line call left behind: its exit code and every byte it printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def everything(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path) -> Run:
    """Call the command line in-process, as a hook would from a shell."""
    from click.testing import CliRunner

    from datacontract.cli.main import main

    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def study_dir(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's synthetic files (300 families), written once per test session."""
    from datacontract.demo.synthetic import generate_study, write_study

    out = tmp_path_factory.mktemp("study")
    return write_study(generate_study(300, seed=11), out)
