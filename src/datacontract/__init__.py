"""datacontract: executable data contracts for the data-sharing protocols of the Groeipakket.

The public API, and nothing else::

    import datacontract as dc

    loaded = dc.load_contract("contracts/groeipakket-toereikendheid-2025.yaml")
    result = dc.validate_file(loaded, "dataset_4", "dataset_4.parquet")
    result.valid, result.findings  # findings carry rule, column, count, article, rows

Errors are documented in datacontract.errors. Names are imported on first use, so that the
command line starts fast: pandas and pandera load only when a file is validated.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datacontract.check.results import Finding as Finding
    from datacontract.check.results import ValidationResult as ValidationResult
    from datacontract.check.validate import Options as Options
    from datacontract.check.validate import validate_file as validate_file
    from datacontract.contract.load import LoadedContract as LoadedContract
    from datacontract.contract.load import load_contract as load_contract
    from datacontract.contract.load import parse_contract as parse_contract
    from datacontract.contract.model import Contract as Contract
    from datacontract.errors import ContractError as ContractError
    from datacontract.errors import DataContractError as DataContractError
    from datacontract.errors import InputFileError as InputFileError
    from datacontract.errors import LedgerError as LedgerError
    from datacontract.errors import UsageError as UsageError
    from datacontract.errors import ViolationError as ViolationError

_WHERE = {
    "ContractError": "datacontract.errors",
    "DataContractError": "datacontract.errors",
    "InputFileError": "datacontract.errors",
    "LedgerError": "datacontract.errors",
    "UsageError": "datacontract.errors",
    "ViolationError": "datacontract.errors",
    "LoadedContract": "datacontract.contract.load",
    "load_contract": "datacontract.contract.load",
    "parse_contract": "datacontract.contract.load",
    "Contract": "datacontract.contract.model",
    "Finding": "datacontract.check.results",
    "ValidationResult": "datacontract.check.results",
    "Options": "datacontract.check.validate",
    "validate_file": "datacontract.check.validate",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'datacontract' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
