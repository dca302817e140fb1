"""`prove --check-signature PROOF`: whether a signed JSON proof is of this contract,
unchanged, and signed by a party of it (report/proof_signature.py checks the statement; this
reads the file, as every JSON data file is read: read/json_lines.py `loads_unique`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from datacontract.api.inputs import keyring_of, loaded
from datacontract.errors import UsageError
from datacontract.read.json_lines import DuplicateKey, loads_unique

if TYPE_CHECKING:
    from datacontract.contract.load import LoadedContract
    from datacontract.report.proof_signature import Checked


@dataclass(frozen=True)
class CheckProofOptions:
    """`prove --check-signature PROOF`: the contract the proof must be of, the signed JSON
    proof (`prove --format json --key KEY`), and a keyring (the parties' keys when the contract
    pins none; its names the contract does not declare bind nothing)."""

    contract: str | Path | LoadedContract
    proof: str | Path
    keyring: str | Path | None = None


def check_proof(options: CheckProofOptions) -> Checked:
    """Whether a signed JSON proof is of this contract, unchanged, and signed by the key the
    contract (or keyring) binds to the party it names, one it declares; unsigned: not valid
    (report/proof_signature.py). UsageError (exit 2) for a file that is not a JSON proof, or a
    keyring the contract's keys contradict."""
    from dataclasses import replace

    from datacontract import limits
    from datacontract.flow.authority import bound_keys
    from datacontract.report.proof_signature import check_signed

    c = loaded(options.contract)
    ring = keyring_of(options.keyring)
    keys = bound_keys(c.contract, ring)
    try:
        raw = limits.read_regular(options.proof, limits.JSON_BYTES, "a proof")
    except OSError as exc:
        raise UsageError(f"{options.proof}: cannot read the proof: {exc.strerror}") from None
    try:  # as every JSON data file is read: a duplicate key is refused
        data = loads_unique(raw.decode("utf-8", "replace"))
    except DuplicateKey as exc:
        raise UsageError(f"--check-signature: {exc.describe()}") from None
    except ValueError:
        data = None  # not JSON: check_signed says it is no JSON proof
    checked = check_signed(data, keys, [p.id for p in c.contract.parties])
    if checked.valid and checked.contract_sha256 != c.sha256:
        problem = "the proof is of another contract (its SHA-256 differs from this one's)"
        return replace(checked, valid=False, problem=problem)
    return checked
