"""The parts of docs/architecture.md, checked on the import graph: data flows one way.

Each part of `src/datacontract/` may import only the parts below it (MAY_IMPORT), and a few
libraries belong to one part alone. A test here fails when a forbidden import is added, and
`test_the_checks_can_fail` shows each check rejecting a planted one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "datacontract"

# What each part may import of ours. Four top-level modules are open to all: errors.py (the
# exception tree), limits.py (every input limit, and the one way an input file is opened),
# output.py (the one writer of every file the tool creates) and messages.py (the catalogue of
# what the prover and the ledger say, in English and Dutch: the ledger words its problems too).
OPEN_TO_ALL = {"errors", "limits", "output", "messages"}
MAY_IMPORT: dict[str, set[str]] = {
    "contract": set(),
    "personal": {"contract"},
    "read": {"personal"},
    "check": {"contract", "personal", "read"},
    "ledger": set(),
    "flow": {"contract", "personal", "read", "check", "ledger"},
    "report": {"contract", "check", "flow", "ledger"},
    "standards": {"contract", "check", "flow", "ledger"},
    "demo": {"contract", "personal", "read", "check", "ledger", "flow", "report"},
    "cli": {
        "contract",
        "personal",
        "read",
        "check",
        "ledger",
        "flow",
        "report",
        "standards",
        "demo",
    },
}
# Libraries that belong to one part (or a few): (library, parts allowed).
LIBRARIES = {
    "click": {"cli"},
    "sqlglot": {"flow"},
    "openpyxl": {"read", "demo"},  # demo writes the synthetic workbooks of `sample`
    "msoffcrypto": {"read", "demo"},
    "pandera": {"check"},
    "rich": {"cli", "report", "demo"},
    # Signatures and the shared database are the ledger's own; the hooks and the CLI name the
    # key types (flow/hop.py: a receiver's keyring).
    "cryptography": {"ledger", "flow"},
    "psycopg": {"ledger"},
    # The proof's lineage graph is laid out by Graphviz: the report's alone.
    "graphviz": {"report"},
}
# Parts that must never load pandas or pandera (the ledger is read by auditors' machines fast).
NO_PANDAS = {"ledger", "contract", "personal"}
# Who may open files, and why: (part or part/module).
OPENS_FILES = {
    "read": "the data files, every format",
    "contract/load.py": "contract YAML",
    "flow/sqllineage.py": "the declared SQL derivations",
    "ledger": "ledgers and hash manifests",
    "demo": "writes synthetic files, samples and the demo's proofs",
    "cli/common.py": "writes reports to --output and reads --password-file",
    "limits.py": "opens input files, regular files only",
    "output.py": "writes every file the tool creates",
    "check/retention.py": "reads nothing itself (through read/), listed for its sha check",
    "report/proof_pdf.py": "reads back the PDF Chromium printed into a private temporary folder",
}
DATA_READERS = {"read_csv", "read_parquet", "read_table", "read_json", "open_csv", "ParquetFile"}


def _modules(root: Path = SRC) -> dict[str, ast.Module]:
    """Every module as 'part/name.py' (or 'errors.py' at the top) -> its syntax tree."""
    return {
        str(p.relative_to(root)): ast.parse(p.read_text(encoding="utf-8"))
        for p in root.rglob("*.py")
    }


def _part(module: str) -> str:
    return module.split("/")[0] if "/" in module else ""


def _ours(tree: ast.Module) -> set[str]:
    """The parts of datacontract a module imports (top-level modules as themselves)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "datacontract":
                out.update(a.name for a in node.names)
            elif node.module.startswith("datacontract."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out.update(
                a.name.split(".")[1] for a in node.names if a.name.startswith("datacontract.")
            )
    return out


def _libraries(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def upward_imports(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for name, tree in modules.items():
        part = _part(name)
        if part not in MAY_IMPORT:
            continue  # __init__.py, __main__.py, errors.py
        for other in _ours(tree) - {part} - OPEN_TO_ALL:
            if other not in MAY_IMPORT[part]:
                out.append(f"{name} imports {other}/")
    return out


def library_misuse(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for name, tree in modules.items():
        used = _libraries(tree)
        for library, parts in LIBRARIES.items():
            if library in used and _part(name) not in parts:
                out.append(f"{name} imports {library}")
        if _part(name) in NO_PANDAS and used & {"pandas", "pandera"}:
            out.append(f"{name} imports pandas or pandera")
    return out


def file_openers(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for name, tree in modules.items():
        if _part(name) in OPENS_FILES or name in OPENS_FILES:
            continue
        for node in ast.walk(tree):
            called = node.func if isinstance(node, ast.Call) else None
            if isinstance(called, ast.Name) and called.id == "open":
                out.append(f"{name}:{node.lineno} calls open()")
            elif isinstance(called, ast.Attribute) and called.attr in {
                "open",
                "read_text",
                "read_bytes",
                "write_text",
                "write_bytes",
            }:
                out.append(f"{name}:{node.lineno} opens a file ({called.attr})")
            elif isinstance(node, ast.Attribute) and node.attr in DATA_READERS:
                out.append(f"{name}:{node.lineno} reads data files ({node.attr})")
    return out


def demo_importers(modules: dict[str, ast.Module]) -> list[str]:
    return [
        name
        for name, tree in modules.items()
        if "demo" in _ours(tree) and _part(name) not in ("demo", "cli")
    ]


def test_each_part_imports_only_the_parts_below_it() -> None:
    assert upward_imports(_modules()) == []


def test_libraries_stay_in_their_parts() -> None:
    assert library_misuse(_modules()) == []


def test_only_the_named_parts_open_files() -> None:
    assert file_openers(_modules()) == []


def test_nothing_imports_demo_but_cli() -> None:
    assert demo_importers(_modules()) == []


def test_only_redact_decides_what_is_printable() -> None:
    definers = {
        name
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.name in {"printable_value", "column_label", "name_label"}
    }
    assert definers == {"personal/redact.py"}


def test_every_part_says_what_it_may_and_must_never_import() -> None:
    for part in MAY_IMPORT:
        doc = ast.get_docstring(ast.parse((SRC / part / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "may import" in doc and "never" in doc, part


def test_modules_stay_small() -> None:
    big = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert big == {}


PLANTED = {
    "check/x.py": "from datacontract.ledger.chain import read_ledger\n",
    "ledger/x.py": "import pandas\n",
    "read/x.py": "import click\n",
    "flow/x.py": "from datacontract.demo import synthetic\n",
    "personal/x.py": "open('data.csv')\n",
    "flow/y.py": "import psycopg\n",
    "report/x.py": "from cryptography.hazmat.primitives import hashes\n",
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_the_checks_can_fail(planted: str) -> None:
    modules = {planted: ast.parse(PLANTED[planted])}
    found = upward_imports(modules) + library_misuse(modules) + file_openers(modules)
    found += demo_importers(modules)
    assert found, planted
