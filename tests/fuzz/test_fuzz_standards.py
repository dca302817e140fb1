"""Mutated contracts through `lint`, `export --format odcs` and `changelog`, and mutated ODCS
documents through `import`: every answer is an exit code and a message, never a traceback.

Unlike test_fuzz_mutations.py these runs are not held to the canary: a contract's own keys and
values are named in messages, as the loader names them (`unknown key '...'`), and a national
number planted as a contract key is such a name. Data files never reach these commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_mutations import SETTINGS, mutated

from conftest import ROOT, ForkServer

CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
NESTED_CONTRACT = ROOT / "contracts" / "jobbonusplus-2025.yaml"


@pytest.mark.parametrize("contract", [CONTRACT, NESTED_CONTRACT], ids=["adequacy", "jobbonusplus"])
def test_mutated_contracts_are_linted_exported_and_compared_cleanly(
    server: ForkServer, tmp_path: Path, contract: Path
) -> None:
    commands = [
        ("lint", "--contract", "fuzz.yaml"),
        ("lint", "--contract", "fuzz.yaml", "--format", "json"),
        ("export", "--format", "odcs", "--contract", "fuzz.yaml"),
        ("changelog", str(contract), "fuzz.yaml"),
    ]

    @SETTINGS
    @given(data=mutated(contract.read_bytes()), args=st.sampled_from(commands))
    def check(data: bytes, args: tuple[str, ...]) -> None:
        (tmp_path / "fuzz.yaml").write_bytes(data)
        server.run(*args, cwd=tmp_path).well_behaved()

    check()


def test_mutated_odcs_documents_are_imported_cleanly(server: ForkServer, tmp_path: Path) -> None:
    from datacontract.contract.load import load_contract
    from datacontract.standards.odcs_export import export_odcs, odcs_yaml

    seed = odcs_yaml(export_odcs(load_contract(NESTED_CONTRACT).contract)).encode()

    @SETTINGS
    @given(data=mutated(seed))
    def check(data: bytes) -> None:
        (tmp_path / "fuzz.odcs.yaml").write_bytes(data)
        server.run("import", "--format", "odcs", "fuzz.odcs.yaml", cwd=tmp_path).well_behaved()

    check()
