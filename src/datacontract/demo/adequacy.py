"""`datacontract demo`: the adequacy study on synthetic data, from generation to verdict.

Every value is generated in code (synthetic.py); national numbers are computed with valid
check digits from chosen birth dates and sequence numbers, and belong to no one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from datacontract.check.results import ValidationResult
from datacontract.contract.load import LoadedContract, load_contract
from datacontract.contract.references import unknown
from datacontract.errors import UsageError
from datacontract.output import write_file

CONTRACT_ID = "groeipakket-toereikendheid-2025"
DEMO_ISSUER = "datacontract demo (synthetische gegevens)"  # who answers for the demo's proof


def default_contract_path() -> Path:
    """The contract shipped in the repository's contracts/ folder."""
    name = f"{CONTRACT_ID}.yaml"
    for base in (Path(__file__).resolve().parents[3], Path.cwd()):  # the repository, or here
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
    out_dir: Path,
    *,
    families: int,
    seed: int,
    contract_path: str | Path | None = None,
    violation: str | None = None,
) -> bool:
    """Generate and validate the study's files, run the flow, prove it; True if it proves."""
    from rich.console import Console
    from rich.table import Table

    from datacontract.check.validate import validate_file
    from datacontract.demo.adequacy_flow import VIOLATIONS
    from datacontract.demo.synthetic import generate_study, write_study

    if violation is not None and violation not in VIOLATIONS:
        raise UsageError(unknown("violation", violation, VIOLATIONS))
    # in a log (stdout not a terminal) a line is never cut: a grep finds every statement whole
    console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
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
    plain = not console.is_terminal  # a CI log: one plain line a file, the hash whole
    if plain:
        console.print(f"{CONTRACT_ID}: every file checked against its dataset:")
    for name, path in files.items():
        result = validate_file(loaded, dataset_of(name), path)
        results.append(result)
        verdict = (
            "[green]valid[/]" if result.valid else f"[red]{len(result.findings)} violations[/]"
        )
        if plain:
            console.print(
                f"  {verdict}: {path.name} ({result.dataset}, {result.rows:,} rows), "
                f"sha256 {result.sha256}"
            )
        table.add_row(path.name, result.dataset, f"{result.rows:,}", verdict, result.sha256[:12])
    if not plain:
        console.print(table)
    ok = all(r.valid for r in results)
    if ok:
        console.print("[bold green]All files hold to the contract.[/]")
    else:
        from datacontract.report.validation import to_text

        console.print(to_text([r for r in results if not r.valid]))
        return False
    return _flow_and_proof(loaded, out_dir, files, violation, console)


def _flow_and_proof(
    loaded: LoadedContract,
    out_dir: Path,
    files: dict[str, Path],
    violation: str | None,
    console: Any,
) -> bool:
    from datetime import datetime

    from datacontract.demo.adequacy_flow import VIOLATIONS, party_keys, run_flow
    from datacontract.flow.evidence import evidence
    from datacontract.flow.prover import prove
    from datacontract.ledger.audit import audit
    from datacontract.ledger.chain import read_ledger
    from datacontract.ledger.checkpoint import load_checkpoint, make_checkpoint
    from datacontract.report.proof import to_html, to_json, to_text
    from datacontract.report.proof_cover import make_issue

    story = f" with the violation {violation!r}: {VIOLATIONS[violation]}" if violation else ""
    console.print(f"\nRunning the flow (D3 stap 3-6) through the hooks{story} ...")
    ledger = run_flow(loaded, out_dir, files, violation, console.print)
    # The operator (Opgroeien's IT) hands a signed checkpoint of the head to the auditor; the
    # auditor's proof checks every event against its party's key and the ledger against it.
    keys = party_keys(loaded, out_dir / "keys")
    checkpoint = out_dir / "ledger.checkpoint"
    state = read_ledger(ledger)
    text = make_checkpoint(loaded.contract.contract, state.events, keys["opgroeien_it"])
    checkpoint.write_text(text, encoding="utf-8")
    ring = {party: key.public() for party, key in keys.items()}
    state = audit(state, keyring=ring, checkpoints=[(str(checkpoint), load_checkpoint(checkpoint))])
    console.print(
        f"Ledger: {ledger} ({len(state.events)} events, hash-chained, each signed by its "
        f"party: keys in {out_dir / 'keys'}); checkpoint for the auditor: {checkpoint}"
    )
    declared = [p.id for p in loaded.contract.parties]
    seen = evidence(
        state, keyring=ring, checkpoints=[len(state.events)], repairs=(), declared=declared
    )
    proof = prove(loaded, state, at=datetime.now().astimezone(), ledger_path=ledger, evidence=seen)
    write_file(out_dir / "proof.json", to_json(proof))
    html_path = out_dir / "proof.html"
    issue = make_issue(proof, issuer=DEMO_ISSUER, keyring=True, checkpoints=(str(checkpoint),))
    write_file(html_path, to_html(proof, loaded.contract, issue))
    tty = console.is_terminal
    console.out(to_text(proof, color=tty, width=max(console.width, 100), terminal=tty), end="")
    console.print(f"The audit proof is in {html_path} (and {out_dir / 'proof.json'}).")
    return proof.holds
