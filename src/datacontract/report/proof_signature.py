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
binds to the party it names, or, for a key bound to no party, with the key whose fingerprint it
names among those given.

The party is the one the contract's `parties[].keys` (or, without them, the keyring) binds the
key to, never the key file's name nor the login name; a key bound to none is said as such.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
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
    """Who signed a proof: the party its key is bound to (None: bound to no party of the
    contract), the issuer named with --issuer (None: none), the key's fingerprint (hex), the
    statement's SHA-256 (hex) and the signature (base64)."""

    party: str | None
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
    """The signature of the proof's statement with `signer`, its party from `keys`."""
    public = signer.public()
    party = party_of_key(keys, public) if keys is not None else None
    printed = key_fingerprint(public)
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


def check_signed(document: str, keys: Keyring | None, extra: Keyring | None = None) -> Checked:
    """Check a signed JSON proof (the text of `prove --format json --key`): the statement's
    hash and its signature by the key `keys` binds to the party it names (a key bound to no
    party: one of `extra` with its fingerprint). UsageError (exit 2) for a document that is not
    a signed JSON proof."""
    try:
        data = json.loads(document)
    except ValueError:
        raise UsageError("--check-signature: the file is not a JSON proof") from None
    sig = data.get("signature") if isinstance(data, dict) else None
    if not isinstance(sig, dict) or not isinstance(sig.get("key_fingerprint"), str):
        raise UsageError('--check-signature: the proof is not signed (no "signature" object)')
    proof = {k: v for k, v in data.items() if k != "signature"}
    party, printed, issuer = sig.get("party"), str(sig["key_fingerprint"]), sig.get("issuer")
    said = statement(proof, issuer if isinstance(issuer, str) else None,
                     party if isinstance(party, str) else None, printed)  # fmt: skip
    named = party if isinstance(party, str) else None
    pin = str(data.get("contract_sha256"))
    if hashlib.sha256(said).hexdigest() != sig.get("statement_sha256"):
        return Checked(False, named, printed, pin, "the proof was changed after it was signed")
    if named:
        candidates = keys_of(keys or {}, named)
    else:
        candidates = tuple(k for p in sorted(extra or {}) for k in keys_of(extra or {}, p))
    candidates = tuple(k for k in candidates if key_fingerprint(k) == printed)
    if not candidates:
        where = f"no key of {named} has" if named else "no key given has"
        return Checked(False, named, printed, pin, f"{where} the fingerprint the proof names")
    if not any(verifies(k, sig.get("signature"), said) for k in candidates):
        return Checked(False, named, printed, pin, "the signature does not verify")
    return Checked(True, named, printed, pin)
