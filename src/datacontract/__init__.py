"""datacontract: executable data contracts for the data-sharing protocols of the Groeipakket.

The public API, and nothing else; the command line is a shell over it (cli/ imports nothing
else of ours)::

    import datacontract as dc

    loaded = dc.load_contract("contracts/groeipakket-toereikendheid-2025.yaml")
    result = dc.validate_file(loaded, "dataset_4", "dataset_4.parquet")
    result.valid, result.findings  # findings carry rule, column, count, article, rows

    sent = dc.hop_send(dc.HopOptions("dataset_4.parquet", loaded, "stap6_contact",
                                     ledger="ledger.jsonl", key_file="opgroeien_it.key"))
    proved = dc.prove(dc.ProveOptions(loaded, ledger="postgresql://host/ledger"))

Every command is one function taking one options object (a frozen dataclass): validate,
describe, coverage, lint, changelog, contract_schema, export_odcs/import_odcs (api/checking.py);
hop_send, hop_receive, destroy, made, milestone, prove (api/flow.py); open_ledger, ledger_init,
ledger_read, ledger_verify, ledger_checkpoint, ledger_repair, new_keys (api/ledger.py); sample,
draft_contract, run_demo, run_protocols, lineage_events, post_lineage (api/making.py). A ledger
is named by a path or a URL; its scheme chooses the backend (ledger/store.py). Errors are in
datacontract.errors (exit codes EXIT_OK 0, EXIT_VIOLATION 1, EXIT_USAGE 2). Names are imported
on first use, so that the command line starts fast: pandera, polars and pyarrow load only when
a file is validated, and pandas never (tests/check/test_imports.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datacontract.api.checking import CI_FORMATS as CI_FORMATS
    from datacontract.api.checking import VALIDATION_FORMATS as VALIDATION_FORMATS
    from datacontract.api.checking import ChangelogOptions as ChangelogOptions
    from datacontract.api.checking import ContractOptions as ContractOptions
    from datacontract.api.checking import Imported as Imported
    from datacontract.api.checking import LintOptions as LintOptions
    from datacontract.api.checking import Report as Report
    from datacontract.api.checking import ReportOptions as ReportOptions
    from datacontract.api.checking import ValidateOptions as ValidateOptions
    from datacontract.api.checking import Validation as Validation
    from datacontract.api.checking import changelog as changelog
    from datacontract.api.checking import contract_schema as contract_schema
    from datacontract.api.checking import coverage as coverage
    from datacontract.api.checking import describe as describe
    from datacontract.api.checking import export_odcs as export_odcs
    from datacontract.api.checking import import_odcs as import_odcs
    from datacontract.api.checking import lint as lint
    from datacontract.api.checking import step_summary as step_summary
    from datacontract.api.checking import unusable_annotation as unusable_annotation
    from datacontract.api.checking import validate as validate
    from datacontract.api.checking import validation_report as validation_report
    from datacontract.api.flow import DutyOptions as DutyOptions
    from datacontract.api.flow import HopOptions as HopOptions
    from datacontract.api.flow import MilestoneOptions as MilestoneOptions
    from datacontract.api.flow import Proved as Proved
    from datacontract.api.flow import ProveOptions as ProveOptions
    from datacontract.api.flow import destroy as destroy
    from datacontract.api.flow import hop_receive as hop_receive
    from datacontract.api.flow import hop_send as hop_send
    from datacontract.api.flow import made as made
    from datacontract.api.flow import milestone as milestone
    from datacontract.api.flow import prove as prove
    from datacontract.api.ledger import Audited as Audited
    from datacontract.api.ledger import AuditOptions as AuditOptions
    from datacontract.api.ledger import Checkpointed as Checkpointed
    from datacontract.api.ledger import CheckpointOptions as CheckpointOptions
    from datacontract.api.ledger import Initialized as Initialized
    from datacontract.api.ledger import InitOptions as InitOptions
    from datacontract.api.ledger import KeysOptions as KeysOptions
    from datacontract.api.ledger import Repaired as Repaired
    from datacontract.api.ledger import ledger_checkpoint as ledger_checkpoint
    from datacontract.api.ledger import ledger_init as ledger_init
    from datacontract.api.ledger import ledger_read as ledger_read
    from datacontract.api.ledger import ledger_repair as ledger_repair
    from datacontract.api.ledger import ledger_verify as ledger_verify
    from datacontract.api.ledger import new_keys as new_keys
    from datacontract.api.ledger import open_ledger as open_ledger
    from datacontract.api.making import DemoOptions as DemoOptions
    from datacontract.api.making import Drafted as Drafted
    from datacontract.api.making import DraftOptions as DraftOptions
    from datacontract.api.making import Lineage as Lineage
    from datacontract.api.making import LineageOptions as LineageOptions
    from datacontract.api.making import ProtocolsOptions as ProtocolsOptions
    from datacontract.api.making import Sampled as Sampled
    from datacontract.api.making import SampleOptions as SampleOptions
    from datacontract.api.making import draft_contract as draft_contract
    from datacontract.api.making import lineage_events as lineage_events
    from datacontract.api.making import post_lineage as post_lineage
    from datacontract.api.making import run_demo as run_demo
    from datacontract.api.making import run_protocols as run_protocols
    from datacontract.api.making import sample as sample
    from datacontract.api.proof_check import CheckProofOptions as CheckProofOptions
    from datacontract.api.proof_check import check_proof as check_proof
    from datacontract.api.shell import append_output as append_output
    from datacontract.api.shell import file_shown as file_shown
    from datacontract.api.shell import inert as inert
    from datacontract.api.shell import inert_markup as inert_markup
    from datacontract.api.shell import unknown_name as unknown_name
    from datacontract.api.shell import write_output as write_output
    from datacontract.check.results import Finding as Finding
    from datacontract.check.results import ValidationResult as ValidationResult
    from datacontract.check.validate import Options as Options
    from datacontract.check.validate import validate_file as validate_file
    from datacontract.contract.load import LoadedContract as LoadedContract
    from datacontract.contract.load import load_contract as load_contract
    from datacontract.contract.load import parse_contract as parse_contract
    from datacontract.contract.model import Contract as Contract
    from datacontract.errors import EXIT_OK as EXIT_OK
    from datacontract.errors import EXIT_USAGE as EXIT_USAGE
    from datacontract.errors import EXIT_VIOLATION as EXIT_VIOLATION
    from datacontract.errors import ContractError as ContractError
    from datacontract.errors import DataContractError as DataContractError
    from datacontract.errors import InputFileError as InputFileError
    from datacontract.errors import LedgerError as LedgerError
    from datacontract.errors import UsageError as UsageError
    from datacontract.errors import ViolationError as ViolationError
    from datacontract.flow.proof import Proof as Proof
    from datacontract.flow.record import Recorded as Recorded
    from datacontract.ledger.backend import LedgerBackend as LedgerBackend

# public name -> (module, attribute): imported on first use (module __getattr__)
_WHERE: dict[str, tuple[str, str]] = {
    "ContractError": ("datacontract.errors", "ContractError"),
    "DataContractError": ("datacontract.errors", "DataContractError"),
    "InputFileError": ("datacontract.errors", "InputFileError"),
    "LedgerError": ("datacontract.errors", "LedgerError"),
    "UsageError": ("datacontract.errors", "UsageError"),
    "ViolationError": ("datacontract.errors", "ViolationError"),
    "EXIT_OK": ("datacontract.errors", "EXIT_OK"),
    "EXIT_VIOLATION": ("datacontract.errors", "EXIT_VIOLATION"),
    "EXIT_USAGE": ("datacontract.errors", "EXIT_USAGE"),
    "LoadedContract": ("datacontract.contract.load", "LoadedContract"),
    "load_contract": ("datacontract.contract.load", "load_contract"),
    "parse_contract": ("datacontract.contract.load", "parse_contract"),
    "Contract": ("datacontract.contract.model", "Contract"),
    "Finding": ("datacontract.check.results", "Finding"),
    "ValidationResult": ("datacontract.check.results", "ValidationResult"),
    "Options": ("datacontract.check.validate", "Options"),
    "validate_file": ("datacontract.check.validate", "validate_file"),
    "ValidateOptions": ("datacontract.api.checking", "ValidateOptions"),
    "Validation": ("datacontract.api.checking", "Validation"),
    "validate": ("datacontract.api.checking", "validate"),
    "ReportOptions": ("datacontract.api.checking", "ReportOptions"),
    "validation_report": ("datacontract.api.checking", "validation_report"),
    "unusable_annotation": ("datacontract.api.checking", "unusable_annotation"),
    "step_summary": ("datacontract.api.checking", "step_summary"),
    "Report": ("datacontract.api.checking", "Report"),
    "ContractOptions": ("datacontract.api.checking", "ContractOptions"),
    "describe": ("datacontract.api.checking", "describe"),
    "coverage": ("datacontract.api.checking", "coverage"),
    "LintOptions": ("datacontract.api.checking", "LintOptions"),
    "lint": ("datacontract.api.checking", "lint"),
    "ChangelogOptions": ("datacontract.api.checking", "ChangelogOptions"),
    "changelog": ("datacontract.api.checking", "changelog"),
    "contract_schema": ("datacontract.api.checking", "contract_schema"),
    "export_odcs": ("datacontract.api.checking", "export_odcs"),
    "Imported": ("datacontract.api.checking", "Imported"),
    "import_odcs": ("datacontract.api.checking", "import_odcs"),
    "CI_FORMATS": ("datacontract.api.checking", "CI_FORMATS"),
    "HopOptions": ("datacontract.api.flow", "HopOptions"),
    "hop_send": ("datacontract.api.flow", "hop_send"),
    "hop_receive": ("datacontract.api.flow", "hop_receive"),
    "DutyOptions": ("datacontract.api.flow", "DutyOptions"),
    "destroy": ("datacontract.api.flow", "destroy"),
    "made": ("datacontract.api.flow", "made"),
    "MilestoneOptions": ("datacontract.api.flow", "MilestoneOptions"),
    "milestone": ("datacontract.api.flow", "milestone"),
    "ProveOptions": ("datacontract.api.flow", "ProveOptions"),
    "Proved": ("datacontract.api.flow", "Proved"),
    "prove": ("datacontract.api.flow", "prove"),
    "CheckProofOptions": ("datacontract.api.proof_check", "CheckProofOptions"),
    "check_proof": ("datacontract.api.proof_check", "check_proof"),
    "open_ledger": ("datacontract.api.ledger", "open_ledger"),
    "InitOptions": ("datacontract.api.ledger", "InitOptions"),
    "Initialized": ("datacontract.api.ledger", "Initialized"),
    "ledger_init": ("datacontract.api.ledger", "ledger_init"),
    "AuditOptions": ("datacontract.api.ledger", "AuditOptions"),
    "Audited": ("datacontract.api.ledger", "Audited"),
    "ledger_read": ("datacontract.api.ledger", "ledger_read"),
    "ledger_verify": ("datacontract.api.ledger", "ledger_verify"),
    "CheckpointOptions": ("datacontract.api.ledger", "CheckpointOptions"),
    "Checkpointed": ("datacontract.api.ledger", "Checkpointed"),
    "ledger_checkpoint": ("datacontract.api.ledger", "ledger_checkpoint"),
    "Repaired": ("datacontract.api.ledger", "Repaired"),
    "ledger_repair": ("datacontract.api.ledger", "ledger_repair"),
    "KeysOptions": ("datacontract.api.ledger", "KeysOptions"),
    "new_keys": ("datacontract.api.ledger", "new_keys"),
    "DraftOptions": ("datacontract.api.making", "DraftOptions"),
    "Drafted": ("datacontract.api.making", "Drafted"),
    "draft_contract": ("datacontract.api.making", "draft_contract"),
    "SampleOptions": ("datacontract.api.making", "SampleOptions"),
    "Sampled": ("datacontract.api.making", "Sampled"),
    "sample": ("datacontract.api.making", "sample"),
    "DemoOptions": ("datacontract.api.making", "DemoOptions"),
    "run_demo": ("datacontract.api.making", "run_demo"),
    "ProtocolsOptions": ("datacontract.api.making", "ProtocolsOptions"),
    "run_protocols": ("datacontract.api.making", "run_protocols"),
    "LineageOptions": ("datacontract.api.making", "LineageOptions"),
    "Lineage": ("datacontract.api.making", "Lineage"),
    "lineage_events": ("datacontract.api.making", "lineage_events"),
    "post_lineage": ("datacontract.api.making", "post_lineage"),
    "inert": ("datacontract.api.shell", "inert"),
    "inert_markup": ("datacontract.api.shell", "inert_markup"),
    "write_output": ("datacontract.api.shell", "write_output"),
    "append_output": ("datacontract.api.shell", "append_output"),
    "unknown_name": ("datacontract.api.shell", "unknown_name"),
    "file_shown": ("datacontract.api.shell", "file_shown"),
    "Recorded": ("datacontract.flow.record", "Recorded"),
    "Proof": ("datacontract.flow.proof", "Proof"),
    "LedgerBackend": ("datacontract.ledger.backend", "LedgerBackend"),
    "VALIDATION_FORMATS": ("datacontract.api.checking", "VALIDATION_FORMATS"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attribute = _WHERE[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'datacontract' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
