"""The module boundaries of STYLE.md, checked on the source: data flows one way."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "datacontract"

# Modules allowed to open files, and why.
OPENS_FILES = {
    "read.py": "opens data files (CSV, Parquet), with the three below",
    "read_json.py": "opens JSON and JSON Lines data files",
    "read_xlsx.py": "opens XLSX workbooks",
    "read_text.py": "re-reads a data file to name the line that is not UTF-8",
    "ledger.py": "ledgers and hash manifests",
    "manifest.py": "hash manifests (if split out of ledger.py)",
    "load.py": "contract YAML",
    "sqllineage.py": "the declared SQL derivations",
    "synthetic.py": "writes the demo's synthetic files",
    "cli.py": "the click shell",
    "cli_common.py": "writes reports to --output and reads --password-file",
    "cli_flow.py": "the flow's commands (they write through cli_common)",
    "demo.py": "writes the demo's proof next to its files",
    "demo_protocols.py": "writes the other protocols' proofs and the demo's synthetic key",
    "sample.py": "writes the synthetic rows of `datacontract sample`",
}
DATA_READERS = {"read_csv", "read_parquet", "read_table", "read_json", "open_csv", "ParquetFile"}


def _modules() -> dict[str, ast.Module]:
    return {p.name: ast.parse(p.read_text(encoding="utf-8")) for p in SRC.glob("*.py")}


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_cli_imports_click() -> None:
    users = {name for name, tree in _modules().items() if "click" in _imports(tree)}
    assert users == {"cli.py", "cli_common.py", "cli_flow.py"}


def test_only_the_sql_lineage_module_imports_sqlglot() -> None:
    users = {name for name, tree in _modules().items() if "sqlglot" in _imports(tree)}
    assert users <= {"sqllineage.py"}


def test_only_read_uses_data_file_readers() -> None:
    for name, tree in _modules().items():
        if name in ("read.py", "read_json.py", "read_xlsx.py", "synthetic.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in DATA_READERS:
                raise AssertionError(f"{name}:{node.lineno} reads data files ({node.attr})")


def test_only_allowed_modules_open_files() -> None:
    for name, tree in _modules().items():
        if name in OPENS_FILES:
            continue
        for node in ast.walk(tree):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id == "open":
                raise AssertionError(f"{name}:{node.lineno} calls open()")
            if isinstance(called, ast.Attribute) and called.attr in {
                "open",
                "read_text",
                "read_bytes",
                "write_text",
                "write_bytes",
            }:
                raise AssertionError(f"{name}:{node.lineno} opens a file ({called.attr})")


def test_only_redact_decides_what_is_printable() -> None:
    definers = {
        name
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in {"printable_value", "column_label"}
    }
    assert definers == {"redact.py"}
