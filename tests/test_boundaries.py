"""The parts of docs/architecture.md, checked on the import graph: data flows one way.

Each part of `src/datacontract/` may import only the parts below it (MAY_IMPORT), and a few
libraries belong to one part alone. A test here fails when a forbidden import is added, and
`test_the_checks_can_fail` shows each check rejecting a planted one.
"""

from __future__ import annotations

import ast
import sys
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
    # the public API (re-exported by datacontract/__init__.py): everything but the shell
    "api": {
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
    # the shell lives on the public API: `from datacontract import ...` (see cli_imports)
    "cli": {"api"},
}
PARTS = set(MAY_IMPORT) | OPEN_TO_ALL
# Libraries that belong to one part (or a few): (library, parts allowed).
LIBRARIES = {
    "click": {"cli"},
    "sqlglot": {"flow"},
    "openpyxl": {"read", "demo"},  # demo writes the synthetic workbooks of `sample`
    "msoffcrypto": {"read", "demo"},
    "pandera": {"check"},
    # pandera's engine on Arrow batches, zero-copy (issue 26): check/ alone
    "polars": {"check"},
    # not a dependency (issue 26: no pandas on the validate path); benchmarks' peers only
    "pandas": set(),
    "rich": {"cli", "report", "demo"},
    # Signatures and the shared database are the ledger's own; the hooks and the CLI name the
    # key types (flow/hop.py and api/inputs.py: a receiver's keyring).
    "cryptography": {"ledger", "flow", "api"},
    "psycopg": {"ledger"},
    # The proof's lineage graph is laid out by Graphviz: the report's alone.
    "graphviz": {"report"},
}
# The shell's own libraries, besides the standard library and the public API.
CLI_LIBRARIES = {"click", "rich"}
# The modules of the ledger's backends: only the registry (ledger/store.py) names them.
BACKEND_MODULES = {"datacontract.ledger.postgres", "datacontract.ledger.jsonl_file"}
BACKEND_NAMERS = {"ledger/store.py", "ledger/postgres.py", "ledger/jsonl_file.py"}
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
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
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
                # a part or a top-level module by name; any other name is the public API
                out.update(a.name if a.name in PARTS else "api" for a in node.names)
            elif node.module.startswith("datacontract."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out.update(
                a.name.split(".")[1] for a in node.names if a.name.startswith("datacontract.")
            )
            if any(a.name == "datacontract" for a in node.names):
                out.add("api")  # `import datacontract as api`
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
        if "demo" in _ours(tree) and _part(name) not in ("demo", "api", "cli")
    ]


def _public_api() -> set[str]:
    tree = ast.parse((SRC / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_WHERE":
            assert isinstance(node.value, ast.Dict)
            return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError("datacontract/__init__.py has no _WHERE")


def cli_imports(modules: dict[str, ast.Module], public: set[str]) -> list[str]:
    """What a module of the shell imports besides the public API (names of datacontract's
    __all__), other cli/ modules, click, rich and the standard library."""
    out = []
    for name, tree in modules.items():
        if _part(name) != "cli":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods, names = [node.module], [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                mods, names = [a.name for a in node.names], []
            else:
                continue
            for module in mods:
                top = module.split(".")[0]
                if module == "datacontract":
                    out += [f"{name} imports datacontract.{n}" for n in names if n not in public]
                elif top == "datacontract" and not module.startswith("datacontract.cli"):
                    out.append(f"{name} imports {module}")
                elif top != "datacontract" and top not in CLI_LIBRARIES | STDLIB:
                    out.append(f"{name} imports {top}")
    return out


def backend_namers(modules: dict[str, ast.Module]) -> list[str]:
    """Modules that import a ledger backend's module: only the registry may."""
    out = []
    for name, tree in modules.items():
        if name in BACKEND_NAMERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found = {a.name for a in node.names}
            else:
                continue
            out += [f"{name} imports {m}" for m in sorted(found & BACKEND_MODULES)]
    return out


def ledger_type_tests(modules: dict[str, ast.Module]) -> list[str]:
    """flow/, api/ and cli/ never decide a ledger's backend by its type (`isinstance(ledger,
    str)` meant PostgreSQL): store.locate chooses by scheme."""
    out = []
    for name, tree in modules.items():
        if _part(name) not in ("flow", "api", "cli"):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "isinstance"
                and node.args
                and any(
                    "ledger" in n.id or n.id == "where"
                    for n in ast.walk(node.args[0])
                    if isinstance(n, ast.Name)
                )
            ):
                out.append(f"{name}:{node.lineno} tests a ledger's type")
    return out


def test_no_part_above_the_ledger_tests_a_ledgers_type() -> None:
    assert ledger_type_tests(_modules()) == []


def test_the_shell_imports_only_the_public_api() -> None:
    assert cli_imports(_modules(), _public_api()) == []


def test_only_the_registry_names_a_ledger_backend() -> None:
    assert backend_namers(_modules()) == []


# A rule kind's module (check/kinds/) sits below the engine that runs it: at run time it may
# import only these modules of check/ (the engine's classes, for types only, under
# TYPE_CHECKING), so that the engine, demo/ and standards/ can all ask the registry.
# check.rowhash: the row hash uniqueness keeps (a leaf over Arrow and numpy, issue 26).
KIND_MAY_IMPORT = {"check.batch", "check.coerce", "check.results", "check.kinds", "check.rowhash"}


def kind_imports(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for name, tree in modules.items():
        if not name.startswith("check/kinds/"):
            continue
        for node in tree.body:  # top level: an `if TYPE_CHECKING:` block is skipped
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "datacontract.check."
            ):
                module = ".".join(str(node.module).split(".")[1:3])
                if module not in KIND_MAY_IMPORT:
                    out.append(f"{name}: {node.module}")
    return out


def test_rule_kinds_stay_below_the_engine() -> None:
    assert kind_imports(_modules()) == []


def test_each_part_imports_only_the_parts_below_it() -> None:
    assert upward_imports(_modules()) == []


def test_libraries_stay_in_their_parts() -> None:
    assert library_misuse(_modules()) == []


def test_only_the_named_parts_open_files() -> None:
    assert file_openers(_modules()) == []


def test_nothing_imports_demo_but_the_api_and_cli() -> None:
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
    """A module past ~440 lines is worth a look for a second job to move out; it is never a
    reason to split one job in two (issue 21: modules cut by job, not by line count)."""
    big = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 440
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
    "cli/x.py": "from datacontract.flow import hop\n",
    "cli/y.py": "from datacontract import no_such_public_name\n",
    "cli/z.py": "import pandas\n",
    "flow/z.py": "from datacontract.ledger import postgres\n",
    "api/x.py": "from datacontract.ledger.jsonl_file import FileLedger\n",
    "api/y.py": "from datacontract.cli import main\n",
    "flow/w.py": "from datacontract import prove\n",
    "cli/w.py": "import datacontract as api\nif isinstance(ledger, str): pass\n",
    "check/kinds/x.py": "from datacontract.check.compile import CompiledDataset\n",
    "check/y.py": "import pandas\n",
    "demo/x.py": "import polars\n",
}


@pytest.mark.parametrize("planted", sorted(PLANTED))
def test_the_checks_can_fail(planted: str) -> None:
    modules = {planted: ast.parse(PLANTED[planted])}
    found = upward_imports(modules) + library_misuse(modules) + file_openers(modules)
    found += demo_importers(modules) + kind_imports(modules)
    found += cli_imports(modules, _public_api()) + backend_namers(modules)
    found += ledger_type_tests(modules)
    assert found, planted
