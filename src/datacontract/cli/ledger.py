"""The shared ledger's commands: ledger init|verify|checkpoint|repair, keys new. Registered on
the main group by cli/main.py; the ledger's backend follows --ledger's scheme (the API's
open_ledger), so no command here names one."""

from __future__ import annotations

import sys

import click

from datacontract import EXIT_OK, EXIT_VIOLATION
from datacontract.cli.common import guarded, say, write_output
from datacontract.cli.options import (
    CHECKPOINT_OPTION,
    CONTRACT_OPTION,
    KEYRING_OPTION,
    LEDGER_OPTION,
    SafePath,
    output_option,
)


@click.group("ledger")
def ledger_group() -> None:
    """Create, verify, checkpoint and repair a ledger."""


@ledger_group.command("init")
@LEDGER_OPTION
@CONTRACT_OPTION
@guarded
def ledger_init(ledger: str, contract_path: str) -> None:
    """Create an empty ledger bound to the contract (exit 2 if one exists)."""
    import datacontract as api

    made = api.ledger_init(api.InitOptions(ledger, contract_path))
    say(f"LEDGER created: {made.name} for {made.contract} {made.version}")


@ledger_group.command("verify")
@LEDGER_OPTION
@KEYRING_OPTION
@CHECKPOINT_OPTION
@click.option(
    "--contract",
    "contract_path",
    default=None,
    help="The ledger's contract: who may make each event, and the keys it declares.",
)
@guarded
def ledger_verify(
    ledger: str, keyring: str | None, checkpoints: tuple[str, ...], contract_path: str | None
) -> None:
    """Check the chain, and with --keyring every signature, with --checkpoint every head, with
    --contract every event's author."""
    import datacontract as api

    options = api.AuditOptions(ledger, keyring, checkpoints, contract_path)
    audited = api.ledger_verify(options)
    state, name = audited.state, audited.name
    head = state.events[-1] if state.events else None
    at = f"seq {head.seq} {head.hash}" if head else "empty"
    if state.intact:
        signed = (
            f"; every event signed by its party ({keyring})"
            if keyring
            else "; signatures not checked (no --keyring)"
        )
        extends = (
            f"; extends {len(checkpoints)} checkpoint(s)" if checkpoints else "; no --checkpoint"
        )
        say(f"LEDGER OK {name}: {len(state.events)} events, head {at}{signed}{extends}")
        for repair in audited.repairs:
            whole = ": the bytes cut were a whole event" if repair.whole_event else ""
            say(
                f"  - repaired at {repair.time}: line {repair.line} cut "
                f"({repair.size} bytes){whole}"
            )
        sys.exit(EXIT_OK)
    say(f"LEDGER BROKEN {name}: {len(state.problems)} problem(s)", err=True)
    for p in state.problems:
        say(f"  - {p.kind}: line {p.line}: {p.message}", err=True)
    torn = audited.torn
    if torn is not None:
        say(
            f"repair: `datacontract ledger repair --ledger {name}` cuts the torn line "
            f"{torn.line} ({torn.size} bytes from byte {torn.offset}) and records the cut in "
            f"{torn.record}",
            err=True,
        )
    sys.exit(EXIT_VIOLATION)


@ledger_group.command("checkpoint")
@LEDGER_OPTION
@click.option(
    "--key",
    "key_file",
    required=True,
    type=SafePath(dir_okay=False),
    help="The private key that signs the checkpoint (PARTY.key, e.g. the ledger operator's).",
)
@click.option(
    "--state",
    "state_file",
    default=None,
    type=SafePath(dir_okay=False),
    help="Also write the proof's state at the head to this file, signed with the checkpoint "
    "(needs --contract): `prove --checkpoint CP --from-state FILE` then reads only the events "
    "after it.",
)
@click.option(
    "--contract",
    "contract_path",
    default=None,
    help="The ledger's contract (for --state: whose invariants the state folds).",
)
@KEYRING_OPTION
@output_option("the checkpoint")
@guarded
def ledger_checkpoint(
    ledger: str,
    key_file: str,
    state_file: str | None,
    contract_path: str | None,
    keyring: str | None,
    output: str | None,
) -> None:
    """Print a signed checkpoint (C2SP) of the ledger's head: its size and hash (and with
    --state, the proof's state there)."""
    import datacontract as api

    options = api.CheckpointOptions(ledger, key_file, contract_path, keyring, state_file)
    made = api.ledger_checkpoint(options)
    if made.text is None:
        say(f"datacontract: {made.name}: the ledger is not intact: no checkpoint", err=True)
        for p in made.state.problems:
            say(f"  - {p.kind}: line {p.line}: {p.message}", err=True)
        sys.exit(EXIT_VIOLATION)
    if made.state_file is not None:
        say(f"the proof's state written to {api.file_shown(made.state_file)}", err=True)
    write_output(made.text, output, "the checkpoint")


@ledger_group.command("repair")
@LEDGER_OPTION
@guarded
def ledger_repair(ledger: str) -> None:
    """Cut a torn last line (and only that), recording the cut beside the ledger."""
    import datacontract as api

    repaired = api.ledger_repair(ledger)
    torn = repaired.torn
    if repaired.atomic:
        say(f"nothing to repair: {repaired.name} commits whole events")
    elif torn is None:
        say(f"nothing to repair: {repaired.name} is intact")
    else:
        say(
            f"REPAIRED {repaired.name}: cut the torn line {torn.line} ({torn.size} bytes); "
            f"recorded in {torn.record}"
        )


@click.group("keys")
def keys_group() -> None:
    """Parties' signing keys."""


@keys_group.command("new")
@click.option("--party", required=True, help="The party the key belongs to.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=SafePath(file_okay=False),
    help="The folder to write PARTY.key and PARTY.pub into; an existing key is never overwritten.",
)
@guarded
def keys_new(party: str, out_dir: str) -> None:
    """Write DIR/PARTY.key (Ed25519 private key, 0600) and DIR/PARTY.pub."""
    import datacontract as api

    private, public = api.new_keys(api.KeysOptions(party, out_dir))
    say(f"KEYS for {party}: {private} (private, 0600), {public}")
