"""Checkpoints: a signed head of a ledger, in the C2SP signed-note checkpoint format.

A checkpoint (https://c2sp.org/tlog-checkpoint, signed with https://c2sp.org/signed-note) is::

    datacontract/<contract id>          the origin: which ledger
    <size>                              the number of events (the seq of the head), decimal
    <head>                              the head event's hash, 32 bytes in standard base64
    [datacontract-state <sha256>]       an extension line (optional): the SHA-256 (hex) of the
                                        proof's state at this head (flow/state_file.py)
                                        (an empty line follows)
    — <party> <base64(key id || Ed25519 signature)>

The key id is the first 4 bytes of SHA-256(party || "\\n" || 0x01 || public key), 0x01 being
the signed-note type of Ed25519; the signature covers the note's text up to the empty line.
The ledger is a hash chain rather than a Merkle tree, so "head" is the chain's last hash: a
ledger extends a checkpoint when its event ``size`` still has that hash (the chain then fixes
every event before it). Errors are LedgerError (exit 2) naming the file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract import limits
from datacontract.errors import LedgerError
from datacontract.ledger.event import Event
from datacontract.ledger.keys import Signer, raw_public, verifies
from datacontract.ledger.signing import Keyring, keys_of
from datacontract.messages import Message, say

_DASH = "\u2014 "


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint: origin, size (events), head (hex), the note text and signatures."""

    origin: str
    size: int
    head: str
    text: str  # the signed part, ending in a newline
    signatures: tuple[tuple[str, bytes], ...]  # (party, key id + signature)
    state: str | None = None  # the SHA-256 (hex) of the proof's state it signs, if any


def key_id(party: str, key: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(party.encode("utf-8") + b"\n\x01" + raw_public(key)).digest()[:4]


def origin_of(contract: str) -> str:
    """The origin line of the checkpoints of a ledger of this contract."""
    return f"datacontract/{contract}"


STATE_LINE = "datacontract-state "


def make_checkpoint(
    contract: str, events: tuple[Event, ...], signer: Signer, state: str | None = None
) -> str:
    """The signed checkpoint of a ledger's head (contract: its contract id); `state`: the
    SHA-256 (hex) of the proof's state at that head, signed with it (an extension line)."""
    size = len(events)
    head = bytes.fromhex(events[-1].hash) if events else bytes(32)
    text = f"{origin_of(contract)}\n{size}\n{base64.b64encode(head).decode('ascii')}\n"
    if state is not None:
        text += f"{STATE_LINE}{state}\n"
    raw = base64.b64decode(signer.sign(text.encode("utf-8")))
    line = base64.b64encode(key_id(signer.party, signer.public()) + raw).decode("ascii")
    return f"{text}\n{_DASH}{signer.party} {line}\n"


def parse_checkpoint(name: str, data: bytes) -> Checkpoint:
    """A checkpoint file's contents; LedgerError naming the file and line when malformed."""
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LedgerError(f"{name}: a checkpoint is UTF-8 text") from None
    text, blank, rest = note.partition("\n\n")
    lines = text.split("\n")
    if not blank or len(lines) < 3:
        raise LedgerError(f"{name}: not a checkpoint (origin, size, hash, an empty line, a sign)")
    origin, size_text, head_text = lines[:3]
    if not size_text.isascii() or not size_text.isdigit() or str(int(size_text)) != size_text:
        raise LedgerError(f"{name}:2: the size must be a whole number")
    try:
        head = base64.b64decode(head_text, validate=True)
    except (binascii.Error, ValueError):
        head = b""
    if len(head) != 32:
        raise LedgerError(f"{name}:3: the head must be 32 bytes in base64")
    signatures = []
    for n, line in enumerate(rest.split("\n"), start=len(lines) + 2):
        if not line:
            continue
        party, _, sig = line.removeprefix(_DASH).partition(" ")
        try:
            raw = base64.b64decode(sig, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if not line.startswith(_DASH) or len(raw) != 68:
            raise LedgerError(f"{name}:{n}: not a signature line ('— NAME BASE64')")
        signatures.append((party, raw))
    if not signatures:
        raise LedgerError(f"{name}: the checkpoint is not signed")
    state = None
    for n, line in enumerate(lines[3:], start=4):
        if line.startswith(STATE_LINE):
            state = line.removeprefix(STATE_LINE)
            if len(state) != 64 or not all(ch in "0123456789abcdef" for ch in state):
                raise LedgerError(f"{name}:{n}: the state's hash must be 64 hexadecimal digits")
    text = text + "\n"
    return Checkpoint(origin, int(size_text), head.hex(), text, tuple(signatures), state)


def checkpoint_problem(
    name: str,
    cp: Checkpoint,
    contract: str | None,
    events: tuple[Event, ...],
    keyring: Keyring | None,
) -> Message | None:
    """Why the ledger (its events) does not extend the checkpoint, why the checkpoint is of
    another ledger (its origin does not name the ledger's contract, whatever its size: a
    checkpoint of an empty ledger of another contract is not this ledger's either), or why its
    signature fails against the keyring; None when it extends it. contract: the ledger's
    contract id (None only for an empty ledger bound to no known contract)."""
    if keyring is not None and not signed_by(cp, keyring):
        return say("checkpoint.unsigned", checkpoint=name)
    if contract is not None and cp.origin != origin_of(contract):
        return say("checkpoint.other_ledger", checkpoint=name, origin=cp.origin)
    if len(events) < cp.size:
        if not events:
            return say("checkpoint.emptied", checkpoint=name, size=cp.size)
        return say("checkpoint.cut", checkpoint=name, size=cp.size, left=len(events))
    if cp.size and events[cp.size - 1].hash != cp.head:
        return say("checkpoint.rewritten", checkpoint=name, seq=cp.size)
    return None


def signed_by(cp: Checkpoint, keyring: Keyring) -> bool:
    """Whether a party's key in the keyring signed the checkpoint."""
    return any(
        raw[:4] == key_id(party, key)
        and verifies(key, base64.b64encode(raw[4:]).decode(), cp.text.encode())
        for party, raw in cp.signatures
        for key in keys_of(keyring, party)
    )


def load_checkpoint(path: Path) -> Checkpoint:
    """The checkpoint in a file (limits.KEY_BYTES at most, a regular file); LedgerError naming
    it when unusable."""
    try:
        data = limits.read_regular(path, limits.KEY_BYTES, "a checkpoint")
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the checkpoint: {exc.strerror or exc}") from exc
    return parse_checkpoint(str(path), data)
