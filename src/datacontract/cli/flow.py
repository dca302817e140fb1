"""The commands of the flow: the hooks (hop send, hop receive), destroy, made, milestone,
and prove. Registered on the main group by cli/main.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from datacontract.cli.common import (
    AT_OPTION,
    CONTRACT_OPTION,
    LEDGER_OPTION,
    PASSWORD_FILE,
    SHEET_OPTION,
    F,
    Suggesting,
    fail,
    guarded,
    password_from,
    say,
    write_output,
)
from datacontract.cli.ledger import (
    CHECKPOINT_OPTION,
    KEY_OPTION,
    KEYRING_OPTION,
    audited,
    signer,
)
from datacontract.errors import EXIT_OK, EXIT_VIOLATION
from datacontract.ledger.canonical import parse_time
from datacontract.ledger.store import locate

DESCRIBE = " (`datacontract describe --contract C` lists them)"


@click.group()
def hop() -> None:
    """The pre-transfer hook (send) and its check on arrival (receive).

    `datacontract describe --contract C` lists the contract's hops (id, from -> to, dataset,
    article) and parties."""


def _transfer_options(fn: F) -> F:
    for option in reversed(
        [
            click.argument("file", type=click.Path(dir_okay=False, path_type=str)),
            CONTRACT_OPTION,
            click.option(
                "--hop",
                "hop_id",
                required=True,
                help=f"The hop id of the contract{DESCRIBE}.",
            ),
            LEDGER_OPTION,
            click.option("--from", "sender", default=None, help=f"The sending party{DESCRIBE}."),
            click.option("--to", "receiver", default=None, help=f"The receiving party{DESCRIBE}."),
            AT_OPTION,
            KEY_OPTION,
            PASSWORD_FILE,
            SHEET_OPTION,
            click.option(
                "--record-violation",
                is_flag=True,
                help="Record a transfer that already happened although it breaks the contract "
                "(exit 1 all the same, so CI still fails).",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def _run_hook(
    kind: str,
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    key_file: str | None,
    password_file: str | None,
    sheet: str | None,
    record_violation: bool,
    keyring: str | None = None,
) -> None:
    import datacontract as api
    from datacontract.flow import hop as hooks
    from datacontract.ledger import store
    from datacontract.ledger.keys import load_keyring

    loaded = api.load_contract(contract_path)
    if not Path(file).is_file():
        fail(f"{file}: no such file")
    request = hooks.Transfer(
        loaded,
        hop_id,
        Path(file),
        store.locate(ledger),
        sender,
        receiver,
        parse_time(at) if at is not None else None,
        record_violation,
        api.Options(password=password_from(password_file), sheet=sheet),
        key=signer(key_file),
        keyring=load_keyring(Path(keyring)) if keyring is not None else None,
    )
    recorded = (hooks.send if kind == "send" else hooks.receive)(request)
    event = recorded.event
    if recorded.findings:
        say(
            f"RECORDED AS VIOLATION event {event.seq} ({event.kind} on {event.hop}): "
            "it breaks the contract:",
            err=True,
        )
        for f in recorded.findings:
            cited = f" ({f.article})" if f.article else ""
            say(f"  - {f.rule}{cited}: {f.message}", err=True)
        sys.exit(EXIT_VIOLATION)
    where = f"; manifest {recorded.manifest}" if recorded.manifest else ""
    say(
        f"{event.kind.upper()} event {event.seq}: {event.dataset} on {event.hop}, "
        f"{event.sender} -> {event.receiver}, sha256 {event.sha256}{where}"
    )


@hop.command("send")
@_transfer_options
@guarded
def hop_send(
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    key_file: str | None,
    password_file: str | None,
    sheet: str | None,
    record_violation: bool,
) -> None:
    """Validate FILE for a hop, write its hash manifest and record it as sent."""
    _run_hook(
        "send",
        file,
        contract_path,
        hop_id,
        ledger,
        sender,
        receiver,
        at,
        key_file,
        password_file,
        sheet,
        record_violation,
    )


@hop.command("receive")
@_transfer_options
@KEYRING_OPTION
@guarded
def hop_receive(
    file: str,
    contract_path: str,
    hop_id: str,
    ledger: str,
    sender: str | None,
    receiver: str | None,
    at: str | None,
    key_file: str | None,
    password_file: str | None,
    sheet: str | None,
    record_violation: bool,
    keyring: str | None,
) -> None:
    """Check FILE against its manifest (its hash; its signature with --keyring) and the
    contract, and record it as received."""
    _run_hook(
        "receive",
        file,
        contract_path,
        hop_id,
        ledger,
        sender,
        receiver,
        at,
        key_file,
        password_file,
        sheet,
        record_violation,
        keyring,
    )


@click.command()
@CONTRACT_OPTION
@click.option("--party", required=True, help=f"The party that destroyed the dataset{DESCRIBE}.")
@click.option("--dataset", required=True, help=f"The dataset destroyed{DESCRIBE}.")
@LEDGER_OPTION
@AT_OPTION
@KEY_OPTION
@guarded
def destroy(
    contract_path: str, party: str, dataset: str, ledger: str, at: str | None, key_file: str | None
) -> None:
    """Record that PARTY destroyed every copy of DATASET it holds."""
    import datacontract as api
    from datacontract.flow import duties

    loaded = api.load_contract(contract_path)
    when = parse_time(at) if at is not None else None
    event = duties.destroy(loaded, locate(ledger), party, dataset, when, signer(key_file)).event
    say(f"DESTROYED event {event.seq}: {dataset} at {party}")


@click.command()
@CONTRACT_OPTION
@click.option("--party", required=True, help=f"The party that made the dataset{DESCRIBE}.")
@click.option(
    "--dataset",
    required=True,
    help=f"The dataset made (one the contract says it makes){DESCRIBE}.",
)
@LEDGER_OPTION
@AT_OPTION
@KEY_OPTION
@guarded
def made(
    contract_path: str, party: str, dataset: str, ledger: str, at: str | None, key_file: str | None
) -> None:
    """Record that PARTY made DATASET (e.g. dataset_3 at opgroeien_it, D3 stap 5)."""
    import datacontract as api
    from datacontract.flow import duties

    loaded = api.load_contract(contract_path)
    when = parse_time(at) if at is not None else None
    event = duties.made(loaded, locate(ledger), party, dataset, when, signer(key_file)).event
    say(f"MADE event {event.seq}: {dataset} at {party}")


@click.command()
@click.argument("name")
@CONTRACT_OPTION
@LEDGER_OPTION
@click.option("--party", default=None, help=f"The party (default: the milestone's own){DESCRIBE}.")
@AT_OPTION
@KEY_OPTION
@guarded
def milestone(
    name: str,
    contract_path: str,
    ledger: str,
    party: str | None,
    at: str | None,
    key_file: str | None,
) -> None:
    """Record a milestone the contract declares (e.g. veldwerk_afgelopen); `datacontract
    describe --contract C` lists them."""
    import datacontract as api
    from datacontract.flow import duties

    loaded = api.load_contract(contract_path)
    when = parse_time(at) if at is not None else None
    event = duties.milestone(loaded, locate(ledger), name, party, when, signer(key_file)).event
    say(f"MILESTONE event {event.seq}: {name}")


@click.command()
@CONTRACT_OPTION
@click.option("--ledger", default=None, help="The ledger: a file or a postgresql:// URL.")
@KEYRING_OPTION
@CHECKPOINT_OPTION
@AT_OPTION
@click.option(
    "--format",
    "fmt",
    type=Suggesting(["text", "json", "html", "pdf"]),
    default="text",
    show_default=True,
    help="Proof format: html and pdf are the audit document in Dutch (pdf needs Chromium).",
)
@click.option(
    "--issuer",
    default=None,
    help="Who makes the proof, on its cover (default: $DATACONTRACT_ISSUER, else your login name).",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the proof here.")
@guarded
def prove(
    contract_path: str,
    ledger: str | None,
    keyring: str | None,
    checkpoints: tuple[str, ...],
    at: str | None,
    fmt: str,
    issuer: str | None,
    output: str | None,
) -> None:
    """Prove the contract's flow invariants on a ledger, or on the declared flow alone."""
    import datacontract as api
    from datacontract.flow.prover import prove as make_proof
    from datacontract.report.proof import render_proof
    from datacontract.report.proof_cover import make_issue

    loaded = api.load_contract(contract_path)
    when = parse_time(at)
    state = name = None
    if ledger is not None:
        state, name = audited(ledger, keyring, checkpoints)
    elif keyring is not None or checkpoints:
        fail("--keyring and --checkpoint check a ledger: give --ledger")
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        fail("--format pdf writes a binary file: give --output PATH (or redirect stdout)")
    proof = make_proof(loaded, state, at=when, ledger_path=name)
    color = output is None and sys.stdout.isatty()
    issue = make_issue(proof, issuer=issuer, keyring=keyring is not None, checkpoints=checkpoints)
    rendered = render_proof(proof, fmt, loaded.contract, color=color, issue=issue)
    if isinstance(rendered, bytes):
        _write_binary(rendered, output)
    else:
        write_output(rendered, output)
    sys.exit(EXIT_OK if proof.holds else EXIT_VIOLATION)


def _write_binary(data: bytes, output: str | None) -> None:
    """The PDF to --output through the one safe writer, or to stdout as bytes."""
    from datacontract.output import write_file

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_file(output, data)
    except OSError as exc:
        fail(f"{output}: cannot write the proof: {exc.strerror or type(exc).__name__}")
