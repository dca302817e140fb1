"""What the options objects name, turned into what the parts take: a loaded contract, a time,
a key, a keyring, a password (read from a file, never given on a command line); and the one
check of a proof's time against its ledger."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from datacontract import limits
from datacontract.errors import UsageError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from datacontract.contract.load import LoadedContract
    from datacontract.ledger.chain import LedgerState
    from datacontract.ledger.keys import Signer

PASSWORD_ENV = "DATACONTRACT_XLSX_PASSWORD"


def loaded(contract: str | Path | LoadedContract) -> LoadedContract:
    """A contract by its path (loaded and checked: ContractError at file:line:col), or as is."""
    from datacontract.contract.load import LoadedContract, load_contract

    if isinstance(contract, LoadedContract):
        return contract
    return load_contract(contract)


def time_of(at: str | datetime | None) -> datetime | None:
    """An ISO 8601 time with an offset (UsageError, exit 2, otherwise); None stays None."""
    from datacontract.ledger.canonical import parse_time

    if at is None or isinstance(at, datetime):
        return at
    return parse_time(at)


def now_or(at: str | datetime | None) -> datetime:
    """The time given, or now (ledger.canonical.parse_time(None))."""
    from datacontract.ledger.canonical import parse_time

    return time_of(at) or parse_time(None)


def signer_of(key_file: str | Path | None) -> Signer | None:
    """The private key of the acting party (PARTY.key from `keys new`), or None."""
    from datacontract.ledger.keys import load_signer

    return load_signer(Path(key_file)) if key_file is not None else None


def keyring_of(folder: str | Path | None) -> Mapping[str, Ed25519PublicKey] | None:
    """Every PARTY.pub in a folder, by party, or None. UsageError (exit 2) when the folder
    does not exist; errors (ledger/keys.py load_keyring) name `--keyring` and its path only as
    contract/names.py rule 3 allows."""
    from datacontract.contract.names import file_label, withholding_path
    from datacontract.errors import DataContractError
    from datacontract.ledger.keys import load_keyring

    if folder is None:
        return None
    shown = file_label(str(folder)).replace("the file", "the folder")
    if not Path(folder).is_dir():
        raise UsageError(f"--keyring {shown}: no such keyring folder")
    try:
        return load_keyring(Path(folder))
    except DataContractError as exc:
        raise withholding_path(exc, str(folder), f"--keyring {shown}") from None


def earlier_file(file: str | Path | None) -> Path | None:
    """The earlier file of `--against`: a regular file (UsageError, exit 2, naming the option
    and saying what else it is: no such file, a directory, a device, a FIFO), or None. The
    path is shown only as contract/names.py rule 3 allows."""
    import stat

    from datacontract.contract.names import file_label

    if file is None:
        return None
    try:
        mode = os.stat(file).st_mode
    except OSError:
        raise UsageError(f"--against {file_label(str(file))}: no such file") from None
    kind = limits.kind_of(mode)
    if kind is not None and not stat.S_ISREG(mode):
        what = f"is {kind}, not a regular file" if kind.startswith("a ") else f"is {kind}"
        raise UsageError(f"--against {file_label(str(file))}: {what}")
    return Path(file)


def password_from(password_file: str | Path | None, option: str = "--password-file") -> str | None:
    """The password of an encrypted workbook: from a file (its first line, limits.PASSWORD_BYTES
    at most), else from $DATACONTRACT_XLSX_PASSWORD; UsageError naming the option (`option`)
    and the file as contract/names.py rule 3 allows, if unreadable."""
    if password_file is not None:
        from datacontract.contract.names import file_label

        shown = f"{option} {file_label(str(password_file))}"
        try:
            raw = limits.read_regular(password_file, limits.PASSWORD_BYTES, "a password file")
            return raw.decode("utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UsageError(f"{shown}: cannot read the password: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{shown}: the password file is not UTF-8 text") from None
    return os.environ.get(PASSWORD_ENV)


def refuse_before_first(when: datetime, state: LedgerState) -> None:
    """The time of a proof (`prove --at`, `lineage export --at`) checked against the ledger: a
    time before its first event would prove an empty ledger, which an auditor would read as
    "nothing happened" while the ledger holds events: a typo in --at (a year off), refused
    (UsageError, exit 2) naming the first event by its kind, seq and time. A ledger of no
    events takes any time."""
    from datacontract.errors import DataContractError
    from datacontract.ledger.canonical import parse_time

    timed = []
    for event in state.events:
        try:
            timed.append((parse_time(event.time), event))
        except DataContractError:
            continue  # an unreadable time is the chain audit's finding, not ours
    if not timed:
        return
    first_time, first = min(timed, key=lambda pair: pair[0])
    if when < first_time:
        raise UsageError(
            f"--at {when.isoformat()} is before the ledger's first event ({first.kind}, "
            f"event {first.seq}, at {first.time}): a proof then would see nothing recorded; "
            "give a time at or after it, or leave --at out"
        )
