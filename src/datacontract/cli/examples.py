"""Two or three examples for every command, shown at the end of its `--help` (click's epilog)
and in docs/cli.md's reference (cli/reference.py); tests/docs fails when a command lacks them
or an example names an option its command does not have.

The contract is the adequacy study's, the files those `make demo` writes into demo-out/.
"""

from __future__ import annotations

import click

C = "contracts/groeipakket-toereikendheid-2025.yaml"
L = "demo-out/ledger.jsonl"

EXAMPLES: dict[str, tuple[str, ...]] = {
    "validate": (
        f"datacontract validate demo-out/dataset_4.parquet --contract {C} --dataset dataset_4",
        f"datacontract validate exports/*.csv --contract {C} --dataset dataset_2 --format sarif "
        "--output datacontract.sarif",
        f"datacontract validate stap4.xlsx --contract {C} --dataset dataset_2 --transfer "
        "--password-file secret.txt --sheet Gezinnen",
    ),
    "init": (
        "datacontract init exports/dataset_2.csv --output contracts/draft.yaml",
        "datacontract init answer.xml --dataset antwoord --output draft.yaml",
    ),
    "demo": (
        "datacontract demo --out demo-out",
        "datacontract demo --out demo-bad --rows 200 --violation background-too-early",
    ),
    "demo-protocols": (
        "datacontract demo-protocols --out demo-out/protocols",
        "datacontract demo-protocols --out /tmp/flows --seed 11",
    ),
    "sample": (
        f"datacontract sample --contract {C} --dataset dataset_4 --rows 150 --output d4.parquet",
        f"datacontract sample --contract {C} --dataset dataset_2 --output d2.xlsx "
        "--password-file secret.txt",
    ),
    "coverage": (
        f"datacontract coverage --contract {C}",
        f"datacontract coverage --contract {C} --format markdown --output coverage.md",
    ),
    "describe": (
        f"datacontract describe --contract {C}",
        f"datacontract describe --contract {C} --format json",
    ),
    "hop send": (
        f"datacontract hop send dataset_4.parquet --contract {C} --hop stap6_contact --ledger {L}",
        f"datacontract hop send dataset_2_fons.parquet --contract {C} --hop stap4 --from fons "
        "--ledger postgresql://ledger.example/groeipakket --key keys/fons.key",
    ),
    "hop receive": (
        f"datacontract hop receive dataset_4.parquet --contract {C} --hop stap6_contact "
        f"--ledger {L}",
        f"datacontract hop receive dataset_1_fons.parquet --contract {C} --hop stap3 --to fons "
        f"--ledger {L} --key keys/fons.key --keyring keys",
    ),
    "destroy": (
        f"datacontract destroy --contract {C} --party onderzoekers_swvg --dataset dataset_4 "
        f"--ledger {L}",
        f"datacontract destroy --contract {C} --party opgroeien_it --dataset dataset_3 "
        f"--ledger {L} --at 2025-07-02T10:00:00+02:00",
    ),
    "made": (
        f"datacontract made --contract {C} --party opgroeien_it --dataset dataset_3 --ledger {L}",
        f"datacontract made --contract {C} --party opgroeien_it --dataset dataset_1 --ledger {L} "
        "--at 2025-01-15T09:00:00+01:00 --key keys/opgroeien_it.key",
    ),
    "milestone": (
        f"datacontract milestone veldwerk_afgelopen --contract {C} --ledger {L}",
        f"datacontract milestone veldwerk_afgelopen --contract {C} --ledger {L} "
        "--party onderzoekers_swvg --at 2025-06-30T18:00:00+02:00",
    ),
    "prove": (
        f"datacontract prove --contract {C}",
        f"datacontract prove --contract {C} --ledger {L} --keyring keys --checkpoint head.txt",
        f"datacontract prove --contract {C} --ledger {L} --at 2025-12-31T12:00:00+01:00 "
        "--format pdf --output proof.pdf",
    ),
    "ledger init": (
        f"datacontract ledger init --ledger {L} --contract {C}",
        f"datacontract ledger init --ledger postgresql://ledger.example/groeipakket --contract {C}",
    ),
    "ledger verify": (
        f"datacontract ledger verify --ledger {L}",
        f"datacontract ledger verify --ledger {L} --keyring keys --checkpoint head.txt",
    ),
    "ledger checkpoint": (
        f"datacontract ledger checkpoint --ledger {L} --key keys/opgroeien_it.key",
        f"datacontract ledger checkpoint --ledger {L} --key keys/opgroeien_it.key "
        "--output head.txt",
    ),
    "ledger repair": (
        f"datacontract ledger repair --ledger {L}",
        "datacontract ledger repair --ledger shared/ledger.jsonl",
    ),
    "keys new": (
        "datacontract keys new --party fons --out keys",
        "datacontract keys new --party opgroeien_it --out /etc/datacontract/keys",
    ),
    "lineage export": (
        f"datacontract lineage export --contract {C} --ledger {L} --output events.jsonl",
        f"datacontract lineage export --contract {C} --ledger {L} "
        "--openlineage-url http://marquez:5000",
    ),
    "export": (
        f"datacontract export --contract {C} --format odcs",
        f"datacontract export --contract {C} --format odcs --dataset dataset_4 "
        "--output d4.odcs.yaml",
    ),
    "import": (
        "datacontract import --format odcs d4.odcs.yaml",
        "datacontract import --format odcs d4.odcs.yaml --output contracts/d4.yaml",
    ),
    "lint": (
        f"datacontract lint --contract {C}",
        "datacontract lint --contract contracts/draft.yaml --format json",
    ),
    "changelog": (
        f"datacontract changelog old.yaml {C}",
        f"datacontract changelog old.yaml {C} --format json --output changes.json",
    ),
    "schema": (
        "datacontract schema",
        "datacontract schema --output schemas/contract.schema.json",
    ),
}


def epilog(examples: tuple[str, ...]) -> str:
    """The examples as --help shows them (`\\b`: click keeps the lines as they are)."""
    return "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)


def commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command under `group` by its path ("hop send"), groups left out."""
    out: dict[str, click.Command] = {}
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out.update(commands(command, f"{path} "))
        else:
            out[path] = command
    return out


def add_examples(group: click.Group) -> None:
    """Set every command's epilog from EXAMPLES (a command without examples keeps none)."""
    for path, command in commands(group).items():
        if path in EXAMPLES:
            command.epilog = epilog(EXAMPLES[path])
