"""A proof's state as a file: made at a checkpoint, signed with it, checked before it is used.

`ledger checkpoint --contract C --state FILE` writes, beside the signed checkpoint, the state
of the proof at the ledger's head (flow/state.py's folding, flow/state_audit.py's audit memory)
as one line of canonical JSON; the checkpoint carries its SHA-256 on an extension line
(ledger/checkpoint.py), so the signature covers the state too. `prove --checkpoint CP
--from-state FILE` then reads only the events after the head (ledger/tail.py).

The state names what it is bound to: the contract's SHA-256 (contract/load.py), the ledger's
origin (its contract id), the head's seq, hash and time, the byte offset after the head's line
(a file ledger), and the fingerprint of the keys its events were verified against. A state
whose hash is not the one its checkpoint signs, made for another contract or another ledger
or head, is refused (LedgerError, exit 2) naming what differs. A state is made only on a
ledger the whole audit finds intact (chain, signatures, authors, receipts).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract import limits
from datacontract.contract.load import LoadedContract
from datacontract.errors import LedgerError
from datacontract.flow.fold import Json, event_json
from datacontract.flow.state import Folding
from datacontract.flow.state_audit import AuditKeep
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import LedgerState
from datacontract.ledger.checkpoint import Checkpoint, origin_of
from datacontract.ledger.keys import raw_public

FORMAT = "datacontract-proof-state/1"
STATE_BYTES = 1 << 30  # a state holds what is still open: far less than its ledger


def keys_fingerprint(
    keys: Mapping[str, Ed25519PublicKey | Sequence[Ed25519PublicKey]] | None,
) -> str | None:
    """The SHA-256 of the keys a ledger's events were verified against (parties and raw keys,
    sorted), None when none were."""
    if keys is None:
        return None
    digest = hashlib.sha256()
    for party in sorted(keys):
        given = keys[party]
        listed = [given] if isinstance(given, Ed25519PublicKey) else list(given)
        for key in sorted(raw_public(k).hex() for k in listed):
            digest.update(f"{party}\n{key}\n".encode())
    return digest.hexdigest()


def make_state(
    loaded: LoadedContract,
    state: LedgerState,
    *,
    offset: int | None,
    keys: Mapping[str, Ed25519PublicKey | Sequence[Ed25519PublicKey]] | None,
) -> bytes:
    """The state file's bytes for an audited ledger (every problem refused: LedgerError)."""
    if not state.intact:
        first = state.problems[0]
        raise LedgerError(
            f"a proof's state is made only on an intact ledger; this one is not "
            f"(line {first.line}: {first.message}): prove it in full"
        )
    folding = Folding(loaded, keep_closed=False)
    folding.feed(state.events)
    keep = AuditKeep()
    for e in state.events:
        keep.feed(e, whole=True)
    head = state.events[-1] if state.events else None
    doc = {
        "format": FORMAT,
        "contract": loaded.contract.contract,
        "contract_sha256": loaded.sha256,
        "origin": origin_of(loaded.contract.contract),
        "size": len(state.events),
        "head": head.hash if head else "0" * 64,
        "head_time": head.time if head else None,
        "first": event_json(state.events[0]) if state.events else None,
        "offset": offset,
        "keys": keys_fingerprint(keys),
        "audit": keep.dump(),
        "folding": folding.dump(),
    }
    return (canonical_json(doc) + "\n").encode("utf-8")


# Every field of a state and its JSON type (None allowed where a ledger may lack it).
_FIELDS: dict[str, type | tuple[type, ...]] = {
    "contract": str,
    "contract_sha256": str,
    "origin": str,
    "size": int,
    "head": str,
    "head_time": (str, type(None)),
    "first": (dict, type(None)),
    "offset": (int, type(None)),
    "keys": (str, type(None)),
    "audit": dict,
    "folding": dict,
}


def state_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class StateFile:
    """A state file read and checked against its checkpoint and contract."""

    path: str
    sha256: str
    doc: Json
    folding: Folding
    audit: AuditKeep

    @property
    def size(self) -> int:
        return int(self.doc["size"])

    @property
    def head(self) -> str:
        return str(self.doc["head"])


def read_state(path: str | Path, loaded: LoadedContract, cp: Checkpoint, cp_name: str) -> StateFile:
    """The state in `path`, checked: its hash is the one `cp` signs, it is of this contract
    (its SHA-256) and of the checkpoint's ledger and head. LedgerError (exit 2) naming what
    differs otherwise."""
    where = str(path)
    try:
        data = limits.read_regular(path, STATE_BYTES, "a proof's state")
    except OSError as exc:
        raise LedgerError(f"{where}: cannot read the state: {exc.strerror or exc}") from exc
    sha = state_sha256(data)
    if cp.state is None:
        raise LedgerError(f"{cp_name}: this checkpoint signs no proof state (made without --state)")
    if sha != cp.state:
        raise LedgerError(
            f"{where}: its SHA-256 is {sha[:16]}…, the checkpoint {cp_name} signs "
            f"{cp.state[:16]}…: the state was changed, or is another checkpoint's"
        )
    try:
        doc = json.loads(data)
        ok = isinstance(doc, dict) and doc.get("format") == FORMAT
        ok = ok and all(isinstance(doc.get(k), t) for k, t in _FIELDS.items())
    except ValueError:
        ok = False
    if not ok:
        raise LedgerError(f"{where}: not a proof state ({FORMAT})")
    c = loaded.contract
    if doc["contract_sha256"] != loaded.sha256:
        raise LedgerError(
            f"{where}: made for contract {doc['contract']} with SHA-256 "
            f"{str(doc['contract_sha256'])[:16]}…, not {c.contract} {c.version} "
            f"({loaded.sha256[:16]}…): prove in full"
        )
    if doc["origin"] != cp.origin:
        raise LedgerError(f"{where}: a state of ledger {doc['origin']}, not {cp.origin}")
    if doc["size"] != cp.size or doc["head"] != cp.head:
        raise LedgerError(
            f"{where}: the state is at event {doc['size']}, its checkpoint at event {cp.size} "
            "with another head"
        )
    try:
        folding = Folding.load(loaded, doc["folding"], keep_closed=True)
        audit = AuditKeep.load(doc["audit"])
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise LedgerError(
            f"{where}: not a proof state of this contract ({type(exc).__name__})"
        ) from None
    return StateFile(where, sha, doc, folding, audit)
