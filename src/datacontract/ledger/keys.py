"""Parties' Ed25519 keys: `keys new`, a private key to sign with, a keyring to verify with.

A party's key pair is two files named after the party: ``PARTY.key`` (the private key, PKCS #8
PEM, mode 0600) and ``PARTY.pub`` (the public key, SubjectPublicKeyInfo PEM). A keyring is a
folder of ``PARTY.pub`` files. Signatures are Ed25519 (RFC 8032) through the `cryptography`
library, over a domain-separated message, and travel as standard base64 (88 characters).
Errors are LedgerError (exit 2) naming the file; a key's bytes are never printed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from datacontract import limits
from datacontract.errors import LedgerError
from datacontract.output import fsync_folder

_PARTY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Signer:
    """A party and its private key: what an appending command signs with (--key)."""

    party: str
    key: Ed25519PrivateKey

    def sign(self, message: bytes) -> str:
        """The base64 Ed25519 signature of message."""
        return base64.b64encode(self.key.sign(message)).decode("ascii")

    def public(self) -> Ed25519PublicKey:
        return self.key.public_key()


def check_party(party: str) -> str:
    """A party id usable as a file name; LedgerError otherwise."""
    if not _PARTY.fullmatch(party):
        raise LedgerError(f"party {party!r} is not a usable name for a key (letters, digits, _.-)")
    return party


def new_keys(party: str, folder: Path) -> tuple[Path, Path]:
    """Write ``folder/PARTY.key`` (0600) and ``folder/PARTY.pub``; refuse to overwrite either.

    Returns (private key path, public key path). LedgerError when a file exists or cannot be
    written.
    """
    check_party(party)
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    paths = (folder / f"{party}.key", folder / f"{party}.pub")
    for path in paths:
        if path.exists():
            raise LedgerError(f"{path}: exists already; a key is never overwritten")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_pair(folder, ((paths[0], private, 0o600), (paths[1], public, 0o644)))
    except FileExistsError as exc:
        raise LedgerError(f"{exc.filename}: exists already; a key is never overwritten") from None
    except OSError as exc:
        raise LedgerError(
            f"{folder}: cannot write the keys: {exc.strerror or exc}; no key was left behind"
        ) from None
    return paths


def _write_pair(folder: Path, files: tuple[tuple[Path, bytes, int], ...]) -> None:
    """Write the key pair whole or not at all: each file is staged in full (fsynced) under a
    temporary name, then linked to its name, which never replaces a file that exists; if one
    step fails, what was linked is removed, so a retry once there is room starts clean."""
    staged: list[Path] = []
    linked: list[Path] = []
    try:
        for _, data, mode in files:
            staged.append(_staged(folder, data, mode))
        for tmp, (path, _, _) in zip(staged, files, strict=True):
            os.link(tmp, path)
            linked.append(path)
    except BaseException:
        for path in linked:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    finally:
        for tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    fsync_folder(folder)


def _staged(folder: Path, data: bytes, mode: int) -> Path:
    tmp = folder / f".key.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        os.fchmod(fd, mode)  # whatever the umask
        view = memoryview(data)
        while view:  # a write may be short; a full disk raises
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    return tmp


def _key_bytes(path: Path) -> bytes:
    """A key file's bytes; a PEM key is a few hundred bytes, so more than limits.KEY_BYTES is
    not one (nor is anything but a regular file)."""
    try:
        return limits.read_regular(path, limits.KEY_BYTES, "a key")
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the key: {exc.strerror or exc}") from exc


def load_signer(path: Path) -> Signer:
    """The private key in PATH (``PARTY.key``); the party is the file's name without .key."""
    party = check_party(path.name.removesuffix(".key"))
    data = _key_bytes(path)
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise LedgerError(f"{path}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{path}: not an Ed25519 private key")
    return Signer(party, key)


def load_public(path: Path) -> Ed25519PublicKey:
    data = _key_bytes(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise LedgerError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise LedgerError(f"{path}: not an Ed25519 public key")
    return key


def load_keyring(folder: Path) -> dict[str, Ed25519PublicKey]:
    """Every ``PARTY.pub`` in folder, by party. LedgerError when the folder holds none."""
    if not folder.is_dir():
        raise LedgerError(f"{folder}: no such keyring folder")
    ring = {p.name.removesuffix(".pub"): load_public(p) for p in sorted(folder.glob("*.pub"))}
    if not ring:
        raise LedgerError(f"{folder}: the keyring holds no PARTY.pub file")
    return ring


def verifies(key: Ed25519PublicKey, signature: object, message: bytes) -> bool:
    """Whether signature (base64 text) is key's signature of message."""
    if not isinstance(signature, str):
        return False
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, message)
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def raw_public(key: Ed25519PublicKey) -> bytes:
    """The 32 bytes of a public key (for key ids in signed notes)."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
