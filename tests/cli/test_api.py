"""The public API is what datacontract.__all__ says, and importing it stays cheap."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import datacontract

PUBLIC = [
    "AuditOptions",
    "Audited",
    "CI_FORMATS",
    "ChangelogOptions",
    "CheckProofOptions",
    "CheckpointOptions",
    "Checkpointed",
    "Contract",
    "ContractError",
    "ContractOptions",
    "DataContractError",
    "DemoOptions",
    "DraftOptions",
    "Drafted",
    "DutyOptions",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_VIOLATION",
    "Finding",
    "HopOptions",
    "Imported",
    "InitOptions",
    "Initialized",
    "InputFileError",
    "KeysOptions",
    "LedgerBackend",
    "LedgerError",
    "Lineage",
    "LineageOptions",
    "LintOptions",
    "LoadedContract",
    "MilestoneOptions",
    "Options",
    "Proof",
    "ProtocolsOptions",
    "ProveOptions",
    "Proved",
    "Recorded",
    "Repaired",
    "Report",
    "ReportOptions",
    "SampleOptions",
    "Sampled",
    "UsageError",
    "VALIDATION_FORMATS",
    "ValidateOptions",
    "Validation",
    "ValidationResult",
    "ViolationError",
    "append_output",
    "changelog",
    "check_proof",
    "contract_schema",
    "coverage",
    "describe",
    "destroy",
    "draft_contract",
    "export_odcs",
    "file_shown",
    "hop_receive",
    "hop_send",
    "import_odcs",
    "inert",
    "inert_markup",
    "ledger_checkpoint",
    "ledger_init",
    "ledger_read",
    "ledger_repair",
    "ledger_verify",
    "lineage_events",
    "lint",
    "load_contract",
    "made",
    "milestone",
    "new_keys",
    "open_ledger",
    "parse_contract",
    "post_lineage",
    "prove",
    "run_demo",
    "run_protocols",
    "sample",
    "step_summary",
    "unknown_name",
    "unusable_annotation",
    "validate",
    "validate_file",
    "validation_report",
    "write_output",
]
# The commands of the command line, each one function of one options object (docs/cli.md).
COMMANDS = {
    "validate": "ValidateOptions",
    "hop_send": "HopOptions",
    "hop_receive": "HopOptions",
    "destroy": "DutyOptions",
    "made": "DutyOptions",
    "milestone": "MilestoneOptions",
    "prove": "ProveOptions",
    "check_proof": "CheckProofOptions",
    "ledger_init": "InitOptions",
    "ledger_verify": "AuditOptions",
    "ledger_checkpoint": "CheckpointOptions",
    "new_keys": "KeysOptions",
    "describe": "ContractOptions",
    "coverage": "ContractOptions",
    "export_odcs": "ContractOptions",
    "lint": "LintOptions",
    "changelog": "ChangelogOptions",
    "sample": "SampleOptions",
    "draft_contract": "DraftOptions",
    "run_demo": "DemoOptions",
    "run_protocols": "ProtocolsOptions",
    "lineage_events": "LineageOptions",
}


def test_all_is_the_curated_list() -> None:
    # Changing the public API is a deliberate act: update this list and the README with it.
    assert sorted(datacontract.__all__) == PUBLIC


def _documented(name: str, obj: object) -> bool:
    doc = (obj.__doc__ or "").strip()
    return bool(doc) and not doc.startswith(f"{name}(")  # not a dataclass's own signature


def test_every_public_function_and_class_is_documented() -> None:
    undocumented = [
        name
        for name in PUBLIC
        if (inspect.isfunction(obj := getattr(datacontract, name)) or inspect.isclass(obj))
        and not _documented(name, obj)
    ]
    assert undocumented == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_takes_one_frozen_options_object(command: str) -> None:
    fn = getattr(datacontract, command)
    options = getattr(datacontract, COMMANDS[command])
    parameters = list(inspect.signature(fn).parameters)
    assert len(parameters) == 1, (command, parameters)
    assert dataclasses.is_dataclass(options) and options.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert inspect.get_annotations(fn)[parameters[0]] == COMMANDS[command]


def test_no_function_of_the_shell_or_the_flow_has_a_long_signature() -> None:
    """ "No 13-parameter functions": the CLI and the flow pass options objects (8 at most)."""
    src = Path(datacontract.__file__).parent
    long = [
        f"{path.relative_to(src)}:{node.lineno} {node.name}"
        for part in ("cli", "flow", "api")
        for path in sorted((src / part).glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and len(node.args.args) + len(node.args.kwonlyargs) > 8
    ]
    assert long == []


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


def test_no_options_object_shows_a_ledgers_password() -> None:
    url = "postgresql://owner:pw-not-shown@db.example/ledger"
    shown = [
        repr(datacontract.HopOptions("f.csv", "c.yaml", "hop", url)),
        repr(datacontract.DutyOptions("c.yaml", "party", "dataset", url)),
        repr(datacontract.MilestoneOptions("c.yaml", "name", url)),
        repr(datacontract.ProveOptions("c.yaml", url)),
        repr(datacontract.InitOptions(url, "c.yaml")),
        repr(datacontract.AuditOptions(url)),
        repr(datacontract.CheckpointOptions(url, "k.key")),
        repr(datacontract.LineageOptions(url, "c.yaml")),
        repr(datacontract.open_ledger(url)),
    ]
    assert not [s for s in shown if "pw-not-shown" in s]


def test_the_commands_run_from_python(tmp_path: Path) -> None:
    from tests.ledger.shared import MINI

    dc = datacontract
    contract = tmp_path / "mini.yaml"
    contract.write_text(MINI, encoding="utf-8")
    ledger = str(tmp_path / "ledger.jsonl")
    with pytest.raises(dc.UsageError, match="no such ledger"):
        dc.ledger_verify(dc.AuditOptions(ledger))
    made = dc.ledger_init(dc.InitOptions(ledger, contract))
    assert (made.name, made.contract) == (ledger, "mini")
    at = "2025-01-01T10:00:00+01:00"
    recorded = dc.milestone(dc.MilestoneOptions(contract, "done", ledger, at=at))
    assert recorded.event.seq == 1 and recorded.event.party == "b"
    audited = dc.ledger_verify(dc.AuditOptions(ledger))
    assert audited.intact and len(audited.state.events) == 1 and audited.torn is None
    assert dc.ledger_repair(ledger).torn is None
    proof = dc.prove(
        dc.ProveOptions(contract, ledger, at="2025-02-01T00:00:00+01:00", format="json")
    )
    assert proof.holds and isinstance(proof.document, str)
    assert json.loads(proof.document)["events"] == 1
    with pytest.raises(dc.UsageError, match="give --ledger"):
        dc.prove(dc.ProveOptions(contract, keyring=tmp_path))


def test_a_partys_own_events_read_their_inputs_alike(tmp_path: Path) -> None:
    """destroy, made and milestone share one reading of contract, time, key, keyring and
    ledger (api/flow.py `_acting`): the same input fails the same way, in the same order."""
    from tests.ledger.shared import MINI

    dc = datacontract
    contract = tmp_path / "mini.yaml"
    contract.write_text(MINI, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINI.replace("contract: mini", "contrakt: mini"), encoding="utf-8")
    ledger = str(tmp_path / "ledger.jsonl")
    missing_key = tmp_path / "a.key"
    bad_url = "postgresql://[::1/ledger"

    def each(**given: object) -> list[object]:
        c = given.pop("contract", contract)
        duty = {"party": "a", "dataset": "d", "ledger": given.pop("ledger", ledger), **given}
        milestone = {"name": "done", "ledger": duty["ledger"], **given}
        return [
            lambda: dc.destroy(dc.DutyOptions(c, **duty)),  # type: ignore[arg-type]
            lambda: dc.made(dc.DutyOptions(c, **duty)),  # type: ignore[arg-type]
            lambda: dc.milestone(dc.MilestoneOptions(c, **milestone)),  # type: ignore[arg-type]
        ]

    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"contract": broken, "at": "not a time"}, dc.ContractError, "contrakt"),
        ({"at": "not a time", "key_file": missing_key}, dc.UsageError, "not an ISO 8601 time"),
        ({"key_file": missing_key, "ledger": bad_url}, dc.UsageError, "cannot read the key"),
        ({"keyring": tmp_path / "none", "ledger": bad_url}, dc.UsageError, "no such keyring"),
        ({"ledger": bad_url}, dc.UsageError, "not a usable postgresql"),
    ]
    for given, error, named in cases:
        for call in each(**dict(given)):
            with pytest.raises(error, match=named):
                call()  # type: ignore[operator]


def test_validate_from_python(contract_path, study_dir) -> None:  # type: ignore[no-untyped-def]
    dc = datacontract
    options = dc.ValidateOptions((study_dir["dataset_4"],), contract_path, "dataset_4")
    checked = dc.validate(options)
    assert checked.exit_code == dc.EXIT_OK and checked.results[0].valid
    report = dc.validation_report(checked, dc.ReportOptions("json"))
    assert json.loads(report)["valid"] is True
