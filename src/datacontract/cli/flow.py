"""The commands of the flow: the hooks (hop send, hop receive), destroy, made, milestone,
and prove. Registered on the main group by cli/main.py."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from datacontract import EXIT_OK, EXIT_VIOLATION, file_shown
from datacontract.cli.common import fail, guarded, say, write_output
from datacontract.cli.options import (
    AT_OPTION,
    CHECKPOINT_OPTION,
    CONTRACT_OPTION,
    KEY_OPTION,
    KEYRING_OPTION,
    LEDGER_OPTION,
    PASSWORD_FILE,
    SHEET_OPTION,
    SafePath,
    Suggesting,
    ledger_option,
    output_option,
    stacked,
)

if TYPE_CHECKING:
    from datacontract import HopOptions, Recorded

DESCRIBE = " (`datacontract describe --contract C` lists them)"


@click.group()
def hop() -> None:
    """The pre-transfer hook (send) and its check on arrival (receive).

    `datacontract describe --contract C` lists the contract's hops (id, from -> to, dataset,
    article) and parties."""


TRANSFER_OPTIONS = stacked(
    click.argument("file", type=SafePath(dir_okay=False, path_type=str)),
    CONTRACT_OPTION,
    click.option("--hop", "hop_id", required=True, help=f"The hop id of the contract{DESCRIBE}."),
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
    click.option(
        "--against",
        default=None,
        type=SafePath(dir_okay=False, path_type=str),
        help="The earlier file this one's keys must match (a hop the contract compares with "
        "another, same_keys_as: stap4 against the dataset_1 of stap3): it must be the file the "
        "ledger recorded (its SHA-256); a mismatch then says how many families were lost "
        "and added, and their rows. --sheet and --password-file are this file's only: give "
        "the earlier file's with --against-sheet and --against-password-file.",
    ),
    click.option(
        "--against-sheet",
        default=None,
        help="The worksheet of the --against workbook to compare (its name or '#N', as "
        "--sheet); default: its only table.",
    ),
    click.option(
        "--against-password-file",
        type=SafePath(dir_okay=False, exists=True),
        help="File holding the password of an encrypted --against XLSX (default: "
        "$DATACONTRACT_XLSX_PASSWORD); never on the command line.",
    ),
)


def _hook_options(params: dict[str, object]) -> HopOptions:
    """The parsed options of `hop send|receive` as the API's HopOptions."""
    import datacontract as api

    return api.HopOptions(
        file=str(params["file"]),
        contract=str(params["contract_path"]),
        hop=str(params["hop_id"]),
        ledger=str(params["ledger"]),
        sender=_text(params["sender"]),
        receiver=_text(params["receiver"]),
        at=_text(params["at"]),
        key_file=_text(params["key_file"]),
        keyring=_text(params.get("keyring")),
        password_file=_text(params["password_file"]),
        sheet=_text(params["sheet"]),
        record_violation=bool(params["record_violation"]),
        against=_text(params.get("against")),
        against_sheet=_text(params.get("against_sheet")),
        against_password_file=_text(params.get("against_password_file")),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _said(recorded: Recorded) -> None:
    """Print what a hook recorded; exit 1 when it was recorded as a violation."""
    event = recorded.event
    if recorded.findings:
        say(
            f"RECORDED AS VIOLATION event {event.seq} ({event.kind} on {event.hop}): "
            "it breaks the contract:",
            err=True,
        )
        for f in recorded.findings:
            say(f"  - {f.line()}", err=True)
        sys.exit(EXIT_VIOLATION)
    where = ""
    if recorded.manifest:
        shown = file_shown(recorded.manifest)  # its name holds the file's: rule 3 of names.py
        where = f"; manifest {shown}" if shown == str(recorded.manifest) else "; manifest beside it"
    say(
        f"{event.kind.upper()} event {event.seq}: {event.dataset} on {event.hop}, "
        f"{event.sender} -> {event.receiver}, sha256 {event.sha256}{where}"
    )


@hop.command("send")
@TRANSFER_OPTIONS
@KEYRING_OPTION
@guarded
def hop_send(**params: object) -> None:
    """Validate FILE for a hop, write its hash manifest and record it as sent."""
    import datacontract as api

    _said(api.hop_send(_hook_options(params)))


@hop.command("receive")
@TRANSFER_OPTIONS
@KEYRING_OPTION
@guarded
def hop_receive(**params: object) -> None:
    """Check FILE against its manifest (its hash; its signature with --keyring) and the
    contract, and record it as received."""
    import datacontract as api

    _said(api.hop_receive(_hook_options(params)))


DUTY_OPTIONS = stacked(CONTRACT_OPTION, LEDGER_OPTION, AT_OPTION, KEY_OPTION, KEYRING_OPTION)


@click.command()
@click.option("--party", required=True, help=f"The party that destroyed the dataset{DESCRIBE}.")
@click.option("--dataset", required=True, help=f"The dataset destroyed{DESCRIBE}.")
@click.option(
    "--sha256",
    "hashes",
    multiple=True,
    help="A delivery destroyed, by its file's sha256 (repeat for several).",
)
@click.option(
    "--event",
    "events",
    multiple=True,
    type=click.IntRange(min=1),
    help="A delivery destroyed, by the seq of the event that received it (repeat for several).",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every copy PARTY holds of DATASET (also what naming no delivery means).",
)
@DUTY_OPTIONS
@guarded
def destroy(**params: Any) -> None:
    """Record that PARTY destroyed deliveries of DATASET (--sha256, --event), or every copy it
    holds (--all, or no delivery named)."""
    import datacontract as api

    p = params
    options = api.DutyOptions(
        p["contract_path"], p["party"], p["dataset"], p["ledger"], p["at"], p["key_file"],
        p["keyring"], tuple(p["hashes"]), tuple(p["events"]), bool(p["every"]),
    )  # fmt: skip
    event = api.destroy(options).event
    which = f", delivery sha256 {event.sha256}" if event.sha256 else ", every copy"
    say(f"DESTROYED event {event.seq}: {event.dataset} at {event.party}{which}")


@click.command()
@click.option("--party", required=True, help=f"The party that made the dataset{DESCRIBE}.")
@click.option(
    "--dataset",
    required=True,
    help=f"The dataset made (one the contract says it makes){DESCRIBE}.",
)
@DUTY_OPTIONS
@guarded
def made(
    party: str,
    dataset: str,
    contract_path: str,
    ledger: str,
    at: str | None,
    key_file: str | None,
    keyring: str | None,
) -> None:
    """Record that PARTY made DATASET (e.g. dataset_3 at opgroeien_it, D3 stap 5)."""
    import datacontract as api

    options = api.DutyOptions(contract_path, party, dataset, ledger, at, key_file, keyring)
    event = api.made(options).event
    say(f"MADE event {event.seq}: {dataset} at {party}")


@click.command()
@click.argument("name")
@click.option("--party", default=None, help=f"The party (default: the milestone's own){DESCRIBE}.")
@DUTY_OPTIONS
@guarded
def milestone(
    name: str,
    party: str | None,
    contract_path: str,
    ledger: str,
    at: str | None,
    key_file: str | None,
    keyring: str | None,
) -> None:
    """Record a milestone the contract declares (e.g. veldwerk_afgelopen); `datacontract
    describe --contract C` lists them."""
    import datacontract as api

    options = api.MilestoneOptions(contract_path, name, ledger, party, at, key_file, keyring)
    event = api.milestone(options).event
    say(f"MILESTONE event {event.seq}: {name}")


@click.command()
@CONTRACT_OPTION
@ledger_option(required=False)
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
    help='Who answers for the proof, on its cover, e.g. "A. Auditor, VUTG" (default: '
    "$DATACONTRACT_ISSUER, else the cover says nobody was named).",
)
@click.option(
    "--require",
    type=Suggesting(["proven", "holds"]),
    default=None,
    help="The strength CI requires: proven (every signature verified against --keyring, the "
    "ledger extends a --checkpoint, no repair) or holds (every invariant holds, on any "
    "evidence); exit 1 when the proof is weaker. Default: exit 1 only when an invariant is "
    "broken or the ledger damaged.",
)
@click.option(
    "--key",
    "key_file",
    default=None,
    type=SafePath(dir_okay=False),
    help="Sign the proof with this private key (PARTY.key, from `keys new`): the issuer is the "
    "party the contract's keys (or --keyring) bind it to; the signature and the key's "
    "fingerprint go on the cover and in the JSON.",
)
@click.option(
    "--check-signature",
    "signed",
    default=None,
    type=SafePath(dir_okay=False),
    help="Check a signed JSON proof (made with --format json --key) instead of proving: of this "
    "contract, unchanged, signed by the key the contract (or --keyring) binds to the party it "
    "names, a party of the contract; exit 0 when it is, 1 when not (an unsigned proof "
    "included), 2 when the file is not a JSON proof. Not with --output, --format, --key, "
    "--from-state, --ledger, --checkpoint, --at, --issuer or --require.",
)
@click.option(
    "--from-state",
    "from_state",
    default=None,
    type=SafePath(dir_okay=False),
    help="A proof's state made by `ledger checkpoint --state`, signed by the --checkpoint given: "
    "only the events after it are read (the whole ledger when the state cannot tell).",
)
@output_option("the proof")
@guarded
def prove(**params: object) -> None:
    """Prove the contract's flow invariants on a ledger, or on the declared flow alone, and
    say how strong the evidence is."""
    import datacontract as api

    if params["signed"] is not None:
        _check_signature(params)
        return
    fmt, output = str(params["fmt"]), _text(params["output"])
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        fail("--format pdf writes a binary file: give --output PATH (or redirect stdout)")
    color = output is None and sys.stdout.isatty()
    checkpoints = params["checkpoints"]
    options = api.ProveOptions(
        str(params["contract_path"]),
        _text(params["ledger"]),
        _text(params["keyring"]),
        tuple(str(c) for c in checkpoints) if isinstance(checkpoints, tuple) else (),
        _text(params["at"]),
        fmt,
        color=color,
        issuer=_text(params["issuer"]),
        require=_text(params["require"]),
        key_file=_text(params["key_file"]),
        from_state=_text(params["from_state"]),
    )
    proved = api.prove(options)
    if isinstance(proved.document, bytes):
        _write_binary(proved.document, output)
    else:
        write_output(proved.document, output, "the proof")
    sys.exit(EXIT_OK if proved.holds else EXIT_VIOLATION)


def _check_signature(params: dict[str, object]) -> None:
    """`prove --check-signature PROOF`: say who signed it, or why it does not verify."""
    import datacontract as api

    given = [flag for flag, name, unset in _NOT_WITH_CHECK if params.get(name) != unset]
    if given:
        fail(f"--check-signature checks a proof, it proves nothing: not with {', '.join(given)}")
    options = api.CheckProofOptions(
        str(params["contract_path"]), str(params["signed"]), _text(params["keyring"])
    )
    checked = api.check_proof(options)
    # checked.party is a party the contract declares, never a name edited into the proof
    who = f"party {checked.party}" if checked.party else "no party of the contract"
    if checked.valid:
        say(f"SIGNED by {who}, key fingerprint {checked.fingerprint}")
        sys.exit(EXIT_OK)
    if not checked.fingerprint:
        say(f"NOT VALID: {checked.problem}")
    else:
        print_ = f"it names {who}, key fingerprint {checked.fingerprint}"
        say(f"NOT VALID: {checked.problem} ({print_})")
    sys.exit(EXIT_VIOLATION)


# The options of `prove` that --check-signature does not use (flag, parameter, its unset
# value): given with it, refused (exit 2) rather than silently ignored.
_NOT_WITH_CHECK = (
    ("--output", "output", None),
    ("--format", "fmt", "text"),
    ("--key", "key_file", None),
    ("--from-state", "from_state", None),
    ("--ledger", "ledger", None),
    ("--checkpoint", "checkpoints", ()),
    ("--at", "at", None),
    ("--issuer", "issuer", None),
    ("--require", "require", None),
)


def _write_binary(data: bytes, output: str | None) -> None:
    """The PDF to --output through the one safe writer, saying so on stderr as every other
    format does, or to stdout as bytes."""
    from datacontract import write_output as write_file

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_file(output, data)
    except OSError as exc:
        fail(f"{output}: cannot write the proof: {exc.strerror or type(exc).__name__}")
    say(f"the proof written to {output}", err=True)
