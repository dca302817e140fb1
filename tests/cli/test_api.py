"""The public API is what datacontract.__all__ says, and importing it stays cheap."""

from __future__ import annotations

import subprocess
import sys

import datacontract

PUBLIC = [
    "Contract",
    "ContractError",
    "DataContractError",
    "Finding",
    "InputFileError",
    "LedgerError",
    "LoadedContract",
    "Options",
    "UsageError",
    "ValidationResult",
    "ViolationError",
    "load_contract",
    "parse_contract",
    "validate_file",
]


def test_all_is_the_curated_list() -> None:
    # Changing the public API is a deliberate act: update this list and the README with it.
    assert sorted(datacontract.__all__) == PUBLIC


def test_every_public_name_resolves() -> None:
    for name in PUBLIC:
        assert getattr(datacontract, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        datacontract.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_the_data_stack() -> None:
    code = (
        "import sys, datacontract, datacontract.cli\n"
        "heavy = [m for m in ('pandas', 'pandera', 'pyarrow', 'networkx', 'sqlglot') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_documented_example_runs(contract_path, study_dir) -> None:  # type: ignore[no-untyped-def]
    loaded = datacontract.load_contract(contract_path)
    result = datacontract.validate_file(loaded, "dataset_4", study_dir["dataset_4"])
    assert result.valid and result.rows > 0
    assert isinstance(result, datacontract.ValidationResult)
