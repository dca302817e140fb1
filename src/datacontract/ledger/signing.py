"""What a party's signature covers: an event, a manifest (keys: keys.py).

An event's signature is the acting party's Ed25519 signature of
``b"datacontract-event-v1\\n" + canonical_json(event without "sig" and "hash")``: it covers
its seq, its time and its ``prev``, so that rewriting anything before a signed event (and
rehashing the chain) breaks that event's signature too. The ``hash`` then covers the
signature. A manifest's signature is the sender's, of ``b"datacontract-manifest-v1\\n" +
canonical_json(manifest without "signature")``.

The signature covers every field of the event: the reader refuses a line with a field an event
does not have (event.py), so nothing can be added to a signed event unseen. A party may have
several keys (a contract's ``parties[].keys``: rotation); a keyring folder gives one each.

A proof's signature (``prove --key``) is of ``b"datacontract-proof-v1\\n" +
canonical_json(statement)``: report/proof_signature.py says what the statement holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.event import Event
from datacontract.ledger.keys import Signer, verifies
from datacontract.messages import Message, say

_EVENT = b"datacontract-event-v1\n"
_MANIFEST = b"datacontract-manifest-v1\n"
_PROOF = b"datacontract-proof-v1\n"


def event_message(record: Mapping[str, object]) -> bytes:
    """The bytes an event's signature covers (record: the ledger line's fields)."""
    body = {k: v for k, v in record.items() if k not in ("sig", "hash")}
    return _EVENT + canonical_json(body).encode("utf-8")


def sign_event(record: dict[str, object], signer: Signer) -> None:
    """Put signer's signature in record (seq, prev and time already set, no hash yet)."""
    record["sig"] = signer.sign(event_message(record))


Keyring = Mapping[str, Ed25519PublicKey | Sequence[Ed25519PublicKey]]
"""Each party's public key, or its keys (any of them may sign)."""


def keys_of(keyring: Keyring, party: str) -> tuple[Ed25519PublicKey, ...]:
    """The keys a keyring gives a party (none when it gives none)."""
    found = keyring.get(party)
    if found is None:
        return ()
    if isinstance(found, Ed25519PublicKey):
        return (found,)
    return tuple(found)


def event_signature_problem(event: Event, keyring: Keyring) -> Message | None:
    """Why event is not signed by the party it names (None when it is): a message whose code
    is sig.forged when a signature is there and is not the party's."""
    if event.party is None:
        return say("sig.no_party", seq=event.seq)
    if event.sig is None:
        return say("sig.unsigned", seq=event.seq, party=event.party)
    keys = keys_of(keyring, event.party)
    if not keys:
        return say("sig.unknown_key", seq=event.seq, party=event.party)
    message = event_message(event.to_json())
    if not any(verifies(key, event.sig, message) for key in keys):
        return say("sig.forged", seq=event.seq, party=event.party)
    return None


def proof_message(statement: Mapping[str, object]) -> bytes:
    """The bytes a proof's signature covers: its statement (report/proof_signature.py)."""
    return _PROOF + canonical_json(statement).encode("utf-8")


def key_fingerprint(key: Ed25519PublicKey) -> str:
    """The SHA-256 of a public key's 32 raw bytes, hex."""
    from datacontract.ledger.keys import raw_public

    return hashlib.sha256(raw_public(key)).hexdigest()


def party_of_key(keyring: Keyring, key: Ed25519PublicKey) -> str | None:
    """The party a keyring (or a contract's keys) binds `key` to, or None."""
    from datacontract.ledger.keys import same_key

    for party in sorted(keyring):
        if any(same_key(key, k) for k in keys_of(keyring, party)):
            return party
    return None


def manifest_message(manifest: Mapping[str, object]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return _MANIFEST + canonical_json(body).encode("utf-8")


def manifest_signature_problem(
    manifest: Mapping[str, object], keyring: Mapping[str, Ed25519PublicKey]
) -> str | None:
    """Why a manifest is not signed by its sender (None when it is)."""
    sender = manifest.get("sender")
    signature = manifest.get("signature")
    if signature is None:
        return "the manifest is not signed"
    key = keyring.get(str(sender))
    if key is None:
        return f"the manifest names {sender}, whose key is not in the keyring"
    if not verifies(key, signature, manifest_message(manifest)):
        return f"the manifest's signature is not {sender}'s: forged or altered"
    return None
