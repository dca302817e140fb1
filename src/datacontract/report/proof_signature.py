"""A proof signed by the key of whoever answers for it (`prove --key KEY`), and its check.

What is signed is the proof's *statement*: its JSON (flow/proof.py `Proof.to_json`, the same
facts in every format) with who signed it, as the canonical JSON of ledger/canonical.py:

    b"datacontract-proof-v1\\n" + canonical_json({"proof": <the proof's JSON>,
        "issuer": <--issuer or null>, "party": <the party the key is bound to, or null>,
        "key_fingerprint": <SHA-256 of the raw 32-byte public key, hex>})

signed with Ed25519 (RFC 8032; deterministic: the same statement and key give the same
signature). The JSON proof carries it as its "signature" object (issuer, party,
key_fingerprint, statement_sha256: SHA-256 of those bytes, signature: base64); the HTML and PDF
show the same on the cover. `check_signed(document, keys)` (the command: `datacontract prove
--contract C --check-signature PROOF.json [--keyring DIR]`) rebuilds the statement from a JSON
proof, checks its hash, and verifies the signature with the key the contract (or keyring)
binds to the party it names.

The party is the one the contract's `parties[].keys` (or, without them, the keyring) binds the
key to, never the key file's name nor the login name. Only a party the contract declares signs:
`prove --key` with a key bound to none of them is refused (UsageError, exit 2; a proof issued
by someone outside the contract is made unsigned, with `--issuer`), and a proof whose signature
names no declared party, or a key bound to none, is NOT VALID (exit 1). A keyring's name the
contract does not declare binds nothing and is never printed.

The checked file is read as the project reads every JSON data file (api/proof_check.py with
read/json_lines.py `loads_unique`: a duplicate key is refused, exit 2), and its "signature"
object is an allow-list of the five fields above (another field: exit 2, named when its name
is a plain ASCII identifier, else by its position).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from datacontract.errors import UsageError
from datacontract.flow.proof import Proof
from datacontract.ledger.keys import Signer, verifies
from datacontract.ledger.signing import (
    Keyring,
    key_fingerprint,
    keys_of,
    party_of_key,
    proof_message,
)


@dataclass(frozen=True)
class ProofSignature:
    """Who signed a proof: the party of the contract its key is bound to, the issuer named
    with --issuer (None: none), the key's fingerprint (hex), the
    statement's SHA-256 (hex) and the signature (base64)."""

    party: str
    issuer: str | None
    fingerprint: str
    statement_sha256: str
    signature: str

    def to_json(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "party": self.party,
            "key_fingerprint": self.fingerprint,
            "statement_sha256": self.statement_sha256,
            "signature": self.signature,
        }


def statement(
    proof: Mapping[str, object], issuer: str | None, party: str | None, printed: str
) -> bytes:
    """The bytes a proof's signature covers (see the module docstring)."""
    body = {"proof": proof, "issuer": issuer, "party": party, "key_fingerprint": printed}
    return proof_message(body)


def sign_proof(
    proof: Proof, signer: Signer, keys: Keyring | None, issuer: str | None
) -> ProofSignature:
    """The signature of the proof's statement with `signer`, its party from `keys` (the
    contract's parties' keys only). UsageError (exit 2) for a key bound to no party."""
    public = signer.public()
    party = party_of_key(keys, public) if keys is not None else None
    printed = key_fingerprint(public)
    if party is None:
        raise UsageError(
            f"--key: the key (fingerprint {printed}) is bound to no party of the contract; "
            "a proof is signed by a party whose key the contract's parties[].keys (or "
            "--keyring) gives. Someone outside the contract: prove without --key, with --issuer"
        )
    said = statement(proof.to_json(), issuer, party, printed)
    return ProofSignature(
        party, issuer, printed, hashlib.sha256(said).hexdigest(), signer.sign(said)
    )


def signed_json(proof: Proof, signature: ProofSignature | None) -> dict[str, object]:
    """The JSON proof, with its "signature" object when signed."""
    out = proof.to_json()
    if signature is not None:
        out["signature"] = signature.to_json()
    return out


@dataclass(frozen=True)
class Checked:
    """What checking a signed JSON proof found: `valid`, the party and fingerprint it names,
    the SHA-256 of the contract it is of, and why not (`problem`, None when valid)."""

    valid: bool
    party: str | None
    fingerprint: str
    contract_sha256: str
    problem: str | None = None


def declared_only(keys: Keyring | None, declared: Collection[str]) -> Keyring | None:
    """The keys of the parties the contract declares (`declared`: its party ids): a
    keyring's other names bind nothing. None when `keys` is None."""
    if keys is None:
        return None
    return {party: key for party, key in keys.items() if party in declared}


_FIELDS = ("issuer", "party", "key_fingerprint", "statement_sha256", "signature")

_HEX = frozenset("0123456789abcdef")


def _safe_name(name: str) -> bool:
    """A field name that may be shown: a plain ASCII identifier of at most 64 characters."""
    return name.isascii() and name.isidentifier() and len(name) <= 64


def _proof_of(data: object) -> dict[str, object]:
    """The JSON proof's object; UsageError (exit 2) for anything else (None: not JSON)."""
    if not isinstance(data, dict) or not isinstance(data.get("contract_sha256"), str):
        raise UsageError("--check-signature: the file is not a JSON proof")
    return data


def _allowed(sig: dict[str, object]) -> None:
    """UsageError (exit 2) for a field of the "signature" object that is not one of _FIELDS,
    named when a plain ASCII identifier, else by its position."""
    for n, name in enumerate(sig, start=1):
        if name in _FIELDS:
            continue
        which = f"field {name!r}" if _safe_name(name) else f"field {n} (name withheld)"
        raise UsageError(
            f'--check-signature: the "signature" object holds {which}, not one of '
            f"{', '.join(_FIELDS)}"
        )


def check_signed(document: object, keys: Keyring | None, declared: Collection[str]) -> Checked:
    """Check a signed JSON proof (`prove --format json --key`, as read by api/proof_check.py:
    None when the file is not JSON): the statement's
    hash and its signature by the key `keys` binds to the party it names, a party of the
    contract (`declared`: its party ids). Not valid: a changed proof, a party or key bound to
    no party of the contract, a signature that does not verify, or no signature at all (an
    unsigned proof). UsageError (exit 2) for a file that is not a JSON proof, or whose
    "signature" object holds another field or a non-text fingerprint.
    The party is returned only when the contract declares it (never an edited name)."""
    data = _proof_of(document)
    pin = str(data["contract_sha256"])
    if "signature" not in data:
        return Checked(False, None, "", pin, "the proof is not signed")
    sig = data["signature"]
    if not isinstance(sig, dict):
        raise UsageError('--check-signature: the proof\'s "signature" is not an object')
    _allowed(sig)
    printed = sig.get("key_fingerprint")
    if not isinstance(printed, str) or len(printed) != 64 or not set(printed) <= _HEX:
        raise UsageError('--check-signature: "signature.key_fingerprint" is not a SHA-256 (hex)')
    proof = {k: v for k, v in data.items() if k != "signature"}
    party, issuer = sig.get("party"), sig.get("issuer")
    said = statement(proof, issuer if isinstance(issuer, str) else None,
                     party if isinstance(party, str) else None, printed)  # fmt: skip
    named = party if isinstance(party, str) and party in declared else None
    if hashlib.sha256(said).hexdigest() != sig.get("statement_sha256"):
        return Checked(False, named, printed, pin, "the proof was changed after it was signed")
    if named is None:
        return Checked(False, None, printed, pin, "it names no party of the contract as signer")
    ring = declared_only(keys, declared) or {}
    candidates = tuple(k for k in keys_of(ring, named) if key_fingerprint(k) == printed)
    if not candidates:
        return Checked(
            False, named, printed, pin, f"no key of {named} has the fingerprint it names"
        )
    if not any(verifies(k, sig.get("signature"), said) for k in candidates):
        return Checked(False, named, printed, pin, "the signature does not verify")
    return Checked(True, named, printed, pin)
