"""The shared ledger's commands: ledger init|verify|checkpoint|repair, keys new; and the
options every appending command and every proof shares (--key, --keyring, --checkpoint).
Registered on the main group by cli/main.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from datacontract.cli.common import CONTRACT_OPTION, guarded, write_output
from datacontract.errors import EXIT_OK, EXIT_VIOLATION, UsageError
from datacontract.ledger.chain import LedgerState
from datacontract.ledger.keys import Signer

KEY_OPTION = click.option(
    "--key",
    "key_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="The acting party's private key (PARTY.key, from `keys new`): the event is signed.",
)
KEYRING_OPTION = click.option(
    "--keyring",
    default=None,
    type=click.Path(file_okay=False),
    help="A folder of PARTY.pub: every event must be signed by the party it names.",
)
CHECKPOINT_OPTION = click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A checkpoint (from `ledger checkpoint`) the ledger must extend; repeatable.",
)
LEDGER_ARG = click.option(
    "--ledger", required=True, help="A JSON Lines file or a postgresql:// URL."
)


def signer(key_file: str | None) -> Signer | None:
    """The --key's Signer, or None."""
    from datacontract.ledger.keys import load_signer

    return load_signer(Path(key_file)) if key_file is not None else None


def audited(
    ledger: str, keyring: str | None, checkpoints: tuple[str, ...]
) -> tuple[LedgerState, str]:
    """The ledger's state with the problems of its signatures, witnesses and checkpoints,
    and its name; exit 2 (UsageError) when it does not exist."""
    from datacontract.ledger import store
    from datacontract.ledger.audit import audit
    from datacontract.ledger.checkpoint import load_checkpoint
    from datacontract.ledger.keys import load_keyring

    where = store.locate(ledger)
    name = store.name_of(where)
    ring = load_keyring(Path(keyring)) if keyring is not None else None
    loaded = [(c, load_checkpoint(Path(c))) for c in checkpoints]
    if not store.exists(where):
        raise UsageError(f"{name}: no such ledger")
    return audit(store.read(where), keyring=ring, checkpoints=loaded), name


@click.group("ledger")
def ledger_group() -> None:
    """Create, verify, checkpoint and repair a ledger."""


@ledger_group.command("init")
@LEDGER_ARG
@CONTRACT_OPTION
@guarded
def ledger_init(ledger: str, contract_path: str) -> None:
    """Create an empty ledger bound to the contract (exit 2 if one exists)."""
    import datacontract as api
    from datacontract.ledger import store

    c = api.load_contract(contract_path).contract
    where = store.locate(ledger)
    store.init(where, c.contract, c.version)
    click.echo(f"LEDGER created: {store.name_of(where)} for {c.contract} {c.version}")


@ledger_group.command("verify")
@LEDGER_ARG
@KEYRING_OPTION
@CHECKPOINT_OPTION
@guarded
def ledger_verify(ledger: str, keyring: str | None, checkpoints: tuple[str, ...]) -> None:
    """Check the chain, and with --keyring every signature, with --checkpoint every head."""
    from datacontract.ledger import store

    state, name = audited(ledger, keyring, checkpoints)
    head = state.events[-1] if state.events else None
    at = f"seq {head.seq} {head.hash}" if head else "empty"
    if state.intact:
        signed = f"; every event signed by its party ({keyring})" if keyring else ""
        extends = f"; extends {len(checkpoints)} checkpoint(s)" if checkpoints else ""
        click.echo(f"LEDGER OK {name}: {len(state.events)} events, head {at}{signed}{extends}")
        sys.exit(EXIT_OK)
    click.echo(f"LEDGER BROKEN {name}: {len(state.problems)} problem(s)", err=True)
    for p in state.problems:
        click.echo(f"  - {p.kind}: line {p.line}: {p.message}", err=True)
    where = store.locate(ledger)
    torn = store.torn_tail(where, state) if isinstance(where, Path) else None
    if torn is not None:
        click.echo(
            f"repair: `datacontract ledger repair --ledger {name}` cuts the torn line "
            f"{torn.line} ({torn.size} bytes from byte {torn.offset}) and records the cut in "
            f"{name}.repairs.jsonl",
            err=True,
        )
    sys.exit(EXIT_VIOLATION)


@ledger_group.command("checkpoint")
@LEDGER_ARG
@click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False))
@click.option("--output", type=click.Path(dir_okay=False), help="Write the checkpoint here.")
@guarded
def ledger_checkpoint(ledger: str, key_file: str, output: str | None) -> None:
    """Print a signed checkpoint (C2SP) of the ledger's head: its size and hash."""
    from datacontract.ledger import store
    from datacontract.ledger.checkpoint import make_checkpoint
    from datacontract.ledger.keys import load_signer

    key = load_signer(Path(key_file))
    where = store.locate(ledger)
    name = store.name_of(where)
    if not store.exists(where):
        raise UsageError(f"{name}: no such ledger")
    state = store.read(where)
    if not state.intact:
        click.echo(f"datacontract: {name}: the ledger is not intact: no checkpoint", err=True)
        for p in state.problems:
            click.echo(f"  - {p.kind}: line {p.line}: {p.message}", err=True)
        sys.exit(EXIT_VIOLATION)
    contract = state.events[0].contract if state.events else _bound(where)
    write_output(make_checkpoint(contract, state.events, key), output, "the checkpoint")


def _bound(where: object) -> str:
    from datacontract.ledger import postgres

    return postgres.bound_contract(where) if isinstance(where, str) else "empty"


@ledger_group.command("repair")
@LEDGER_ARG
@guarded
def ledger_repair(ledger: str) -> None:
    """Cut a torn last line (and only that), recording the cut beside the ledger."""
    from datacontract.ledger import store

    where = store.locate(ledger)
    if not isinstance(where, Path):
        click.echo(f"nothing to repair: {store.name_of(where)} commits whole events")
        return
    torn = store.repair(where)
    if torn is None:
        click.echo(f"nothing to repair: {where} is intact")
        return
    click.echo(
        f"REPAIRED {where}: cut the torn line {torn.line} ({torn.size} bytes); "
        f"recorded in {where}.repairs.jsonl"
    )


@click.group("keys")
def keys_group() -> None:
    """Parties' signing keys."""


@keys_group.command("new")
@click.option("--party", required=True, help="The party the key belongs to.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@guarded
def keys_new(party: str, out_dir: str) -> None:
    """Write DIR/PARTY.key (Ed25519 private key, 0600) and DIR/PARTY.pub."""
    from datacontract.ledger.keys import new_keys

    private, public = new_keys(party, Path(out_dir))
    click.echo(f"KEYS for {party}: {private} (private, 0600), {public}")
