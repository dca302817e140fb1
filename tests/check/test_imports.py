"""What a run imports: the start of every hook, CI step and pre-commit call (issue 26).

Each case runs the command line in a fresh interpreter and reads `sys.modules` at its end, so a
module-level import added anywhere on the path fails here. `import datacontract`, `--help` and
`validate --help` load none of the data stack; a 10-row `validate` loads pandera's polars
backend, polars, pyarrow and numpy, and never pandas. pandas is not a dependency, but a
developer's venv may hold it (the bench's extra) and `import pandera` imports pandas whenever
it is installed: the validate run is therefore made with pandas unimportable, as on a clean
install, and must give its verdict all the same.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from datacontract.demo.synthetic import achtergrond_like

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "contracts" / "groeipakket-toereikendheid-2025.yaml"
STACK = ("pandas", "pandera", "pyarrow", "numpy", "polars", "pydantic", "yaml", "rich")

RUN = """
import json, sys
argv, stack, block = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])

class Unimportable:  # as on an install without these packages
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in block:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Unimportable())
code = None
if argv is not None:
    sys.argv = ["datacontract", *argv]
    from datacontract.cli.main import main
    try:
        main()
    except SystemExit as exc:
        code = exc.code
else:
    import datacontract
print(json.dumps({"code": code, "loaded": sorted(m for m in stack if m in sys.modules)}),
      file=sys.stderr)
"""


def loaded(argv: list[str] | None, block: tuple[str, ...] = ()) -> tuple[object, set[str]]:
    """Run the command line (None: `import datacontract`) in a fresh interpreter, the packages
    `block` names unimportable; its exit code and which of STACK it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(argv), json.dumps(STACK), json.dumps(block)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = json.loads(done.stderr.strip().splitlines()[-1])
    return last["code"], set(last["loaded"])


def test_import_and_help_load_none_of_the_data_stack() -> None:
    for argv in (None, ["--help"], ["validate", "--help"], ["prove", "--help"]):
        code, modules = loaded(argv)
        assert code in (None, 0), argv
        assert modules == set(), f"{argv}: {sorted(modules)}"


def test_a_small_validate_loads_pandera_polars_and_never_pandas(tmp_path: Path) -> None:
    path = tmp_path / "ten.parquet"
    pq.write_table(achtergrond_like(10, seed=2025), path)
    report = tmp_path / "r.json"
    argv = ["validate", str(path), "--contract", str(CONTRACT), "--dataset", "achtergrond"]
    code, modules = loaded([*argv, "--format", "json", "--output", str(report)], ("pandas",))
    assert code == 0
    assert json.loads(report.read_text())["rows"] == 10  # it did validate, and passed
    assert {"pandera", "polars", "pyarrow", "numpy"} <= modules
    assert "pandas" not in modules


def test_pandas_is_no_dependency() -> None:
    from importlib.metadata import requires

    runtime = [r for r in requires("groeipakket-datacontract") or [] if "extra ==" not in r]
    names = {r.split(";")[0].split("[")[0].split(">")[0].split("=")[0].strip() for r in runtime}
    assert {"pandera", "polars", "pyarrow"} <= names
    assert "pandas" not in names
    pandera = next(r for r in runtime if r.startswith("pandera"))
    assert "polars" in pandera and "pandas" not in pandera
