"""`datacontract demo`: the adequacy study on synthetic data, from generation to verdict.

Every value is generated in code (synthetic.py); national numbers are computed with valid
check digits from chosen birth dates and sequence numbers, and belong to no one.
"""

from __future__ import annotations

from pathlib import Path

from datacontract.errors import UsageError
from datacontract.load import LoadedContract, load_contract
from datacontract.results import ValidationResult

CONTRACT_ID = "groeipakket-toereikendheid-2025"


def default_contract_path() -> Path:
    """The contract shipped in the repository's contracts/ folder."""
    name = f"{CONTRACT_ID}.yaml"
    for base in (Path(__file__).resolve().parents[2], Path.cwd()):
        candidate = base / "contracts" / name
        if candidate.is_file():
            return candidate
    raise UsageError(f"cannot find contracts/{name}; pass --contract PATH")


def dataset_of(name: str) -> str:
    """dataset_1_fons -> dataset_1; achtergrond -> achtergrond."""
    for prefix in ("dataset_1", "dataset_2"):
        if name.startswith(prefix + "_"):
            return prefix
    return name


def run_demo(
    out_dir: Path, *, families: int, seed: int, contract_path: str | Path | None = None
) -> bool:
    """Generate, write and validate the study's files; print a summary; True if all valid."""
    from rich.console import Console
    from rich.table import Table

    from datacontract.synthetic import generate_study, write_study
    from datacontract.validate import validate_file

    console = Console(highlight=False)
    loaded: LoadedContract = load_contract(contract_path or default_contract_path())
    if loaded.contract.contract != CONTRACT_ID:
        raise UsageError(
            f"the demo runs the {CONTRACT_ID} contract, not {loaded.contract.contract}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    console.print(f"Generating {families:,} synthetic families (seed {seed}) into {out_dir}/ ...")
    files = write_study(generate_study(families, seed), out_dir)
    table = Table(title=f"{CONTRACT_ID}: every file checked against its dataset")
    for column in ("file", "dataset", "rows", "verdict", "sha256"):
        table.add_column(column, justify="right" if column == "rows" else "left")
    results: list[ValidationResult] = []
    for name, path in files.items():
        result = validate_file(loaded, dataset_of(name), path)
        results.append(result)
        verdict = (
            "[green]valid[/]" if result.valid else f"[red]{len(result.findings)} violations[/]"
        )
        table.add_row(path.name, result.dataset, f"{result.rows:,}", verdict, result.sha256[:12])
    console.print(table)
    ok = all(r.valid for r in results)
    if ok:
        console.print("[bold green]All files hold to the contract.[/]")
    else:
        from datacontract.report import to_text

        console.print(to_text([r for r in results if not r.valid]))
    return ok
