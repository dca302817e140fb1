"""Hash manifests: the hash that travels with a file (D3, last paragraph), written beside it on
send and checked again on receipt. Written atomically (temporary file, fsync, rename).

The manifest names the file by its hash and the hop, never by a path or a name: a file name
can hold a national number (a Spark partition folder `insz=.../part-0.parquet`), and the
manifest travels to the other organisation (docs/architecture.md, "Names are data too"). A
manifest written before this rule may still carry a `file` key: it is read (its signature
covers it) and never written again."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from datacontract import limits
from datacontract.errors import InputFileError, LedgerError
from datacontract.ledger.canonical import aware_time, is_sha256, strict_loads
from datacontract.ledger.event import is_signature, is_witness
from datacontract.ledger.keys import Signer
from datacontract.ledger.signing import manifest_message
from datacontract.output import Staged, stage_file, write_file
from datacontract.output import fsync_folder as fsync_folder


@dataclass(frozen=True)
class Manifest:
    """The hash that travels with a file (D3, last paragraph), checked again on receipt."""

    sha256: str
    size: int
    rows: int
    dataset: str
    hop: str
    sender: str
    receiver: str
    time: str  # ISO 8601 with offset
    contract_id: str
    contract_version: str
    contract_sha256: str
    # "SEQ:HASH" of the sent event: the ledger's head at send, which the receipt records.
    ledger_head: str | None = None
    # The sender's Ed25519 signature (ledger/signing.py), when it sent with --key.
    signature: str | None = None
    # Only in a manifest written by an older version (a file name); never written now.
    file: str | None = None

    def __post_init__(self) -> None:
        problem = _manifest_problem(self)
        if problem is not None:
            raise ValueError(problem)

    def to_json(self) -> dict[str, object]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v for k, v in out.items() if v is not None or k not in _OPTIONAL}

    def signed(self, signer: Signer) -> Manifest:
        """This manifest with signer's signature (signer must be the sender)."""
        unsigned = dataclasses.replace(self, signature=None)
        return dataclasses.replace(
            self, signature=signer.sign(manifest_message(unsigned.to_json()))
        )


_OPTIONAL = ("ledger_head", "signature", "file")
_MANIFEST_KEYS = tuple(f.name for f in fields(Manifest) if f.name not in _OPTIONAL)


def _manifest_problem(m: Manifest) -> str | None:
    for name in ("sha256", "contract_sha256"):
        if not is_sha256(getattr(m, name)):
            return f"{name} must be 64 lowercase hexadecimal digits"
    for name in ("size", "rows"):
        value = getattr(m, name)
        if type(value) is not int or value < 0:
            return f"{name} must be a whole number, 0 or more"
    for name in ("dataset", "hop", "sender", "receiver", "contract_id", "contract_version"):
        value = getattr(m, name)
        if not isinstance(value, str) or not value:
            return f"{name} must be a non-empty string"
    if aware_time(m.time) is None:
        return "time must be an ISO 8601 time with an offset, e.g. 2025-02-10T09:00:00+01:00"
    if m.file is not None and (
        not isinstance(m.file, str) or m.file in ("", ".", "..") or any(c in m.file for c in "/\\")
    ):
        return "file must be a file name, not a path"
    if m.ledger_head is not None and not is_witness(m.ledger_head):
        return "ledger_head must be SEQ:HASH"
    if m.signature is not None and not is_signature(m.signature):
        return "signature must be a base64 Ed25519 signature"
    return None


def manifest_path(data_file: Path) -> Path:
    """Where the manifest of a data file lives: ``<file>.manifest.json`` beside it."""
    return data_file.with_name(data_file.name + ".manifest.json")


def write_manifest(data_file: Path, manifest: Manifest) -> Path:
    """Write the manifest beside the file, atomically and byte-for-byte deterministic."""
    target = manifest_path(data_file)
    text = json.dumps(manifest.to_json(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    try:
        replace_atomically(target, text.encode("utf-8"))
    except OSError as exc:
        raise LedgerError(f"{target}: cannot write the manifest: {exc.strerror or exc}") from exc
    return target


def stage_manifest(data_file: Path, manifest: Manifest) -> Staged:
    """The manifest written in full beside the file under a temporary name, published (renamed
    to ``<file>.manifest.json``) only once the ledger holds its event: a send killed or refused
    before then leaves no manifest naming an event the ledger lacks (issue 28)."""
    target = manifest_path(data_file)
    text = json.dumps(manifest.to_json(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    try:
        return stage_file(target, text.encode("utf-8"))
    except OSError as exc:
        raise LedgerError(f"{target}: cannot write the manifest: {exc.strerror or exc}") from exc


def read_manifest(data_file: Path) -> Manifest:
    """The manifest beside a data file; InputFileError when it is missing or unusable."""
    path = manifest_path(data_file)
    where = str(path)
    try:
        raw = limits.read_regular(path, limits.MANIFEST_BYTES, "a manifest")
    except FileNotFoundError:
        raise InputFileError(
            where, f"no hash manifest beside {data_file.name}: the sender writes it on send"
        ) from None
    except OSError as exc:
        raise InputFileError(where, f"cannot read the manifest: {exc.strerror or exc}") from exc
    try:
        obj = strict_loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputFileError(where, "the manifest is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(where, f"the manifest is not JSON: {exc.msg}", exc.lineno) from None
    except ValueError:
        raise InputFileError(where, "the manifest is not JSON") from None
    if not isinstance(obj, dict):
        raise InputFileError(where, "the manifest is not a JSON object")
    missing = [name for name in _MANIFEST_KEYS if name not in obj]
    if missing:
        raise InputFileError(where, "the manifest lacks " + ", ".join(missing))
    try:
        given: dict[str, Any] = {name: obj[name] for name in _MANIFEST_KEYS}
        given.update({name: obj.get(name) for name in _OPTIONAL})
        return Manifest(**given)
    except ValueError as exc:
        raise InputFileError(where, str(exc)) from None


def replace_atomically(target: Path, data: bytes) -> None:
    """Write `data` over target through the one safe writer (datacontract/output.py)."""
    write_file(target, data)
