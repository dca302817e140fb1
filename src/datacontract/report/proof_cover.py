"""The proof's cover: what was proven, on what, by whom, with which tool, and when.

`Issue` is what the proof itself does not know: who made it (`--issuer`), when, with which
version of the tool, whether every signature was checked against a keyring, and the
checkpoints the ledger was checked against. The cover shows the contract (id, version, SHA-256
of its file), the protocol (title, date), the ledger (name, events, head hash), the
checkpoints, the time of the proof, the tool and the issuer.

The issuer is who answers for the proof. A proof signed with `--key` (proof_signature.py) is
issued by the party the contract's `parties[].keys` (or the keyring) binds that key to, and
`--issuer "Naam, organisatie"` (else $DATACONTRACT_ISSUER) adds the person's name; a key bound
to no party of the contract signs nothing (refused, exit 2), and a keyring's name the contract
does not declare is never the issuer. Unsigned, the
issuer is the name given, else the cover says that nobody was named. Never the login name of
whoever runs the tool: "root" answers for nothing.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from datacontract.contract.model import Contract
from datacontract.flow.proof import Proof
from datacontract.ledger.keys import Signer
from datacontract.ledger.signing import Keyring
from datacontract.messages import render
from datacontract.report.inert import plain
from datacontract.report.proof_dutch import count, long_date, moment
from datacontract.report.proof_signature import ProofSignature, sign_proof
from datacontract.report.proof_strength import evidence_lines

DISTRIBUTION = "groeipakket-datacontract"  # the name the package is installed under


@dataclass(frozen=True)
class CheckpointSeen:
    """A checkpoint the ledger was checked against: its file, size (events), head and signers,
    and whether the ledger extends it."""

    name: str
    size: int
    head: str  # hex
    signers: tuple[str, ...]
    extended: bool


@dataclass(frozen=True)
class Issue:
    """Who made a proof, when and with what (see the module docstring)."""

    issuer: str
    made_at: str  # ISO 8601 with offset
    tool: str  # "groeipakket-datacontract 0.1.0"
    keyring: bool = False
    checkpoints: tuple[CheckpointSeen, ...] = field(default=())
    signature: ProofSignature | None = None  # with --key: who signed, and the signature


def tool_version() -> str:
    """The installed distribution and its version, e.g. 'groeipakket-datacontract 0.1.0'."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{DISTRIBUTION} {version(DISTRIBUTION)}"
    except PackageNotFoundError:
        return f"{DISTRIBUTION} (versie onbekend: niet geïnstalleerd)"


NOT_NAMED = 'niet opgegeven (op te geven met --issuer "Naam, organisatie")'


def named_issuer(issuer: str | None) -> str | None:
    """The person named: `issuer`, else $DATACONTRACT_ISSUER, else None."""
    return (issuer or "").strip() or os.environ.get("DATACONTRACT_ISSUER", "").strip() or None


def signed_issuer(name: str | None, signature: ProofSignature) -> str:
    """Who issued a signed proof, in Dutch: the party the key is bound to, with the person's
    name when given (a key bound to no party of the contract signs nothing:
    proof_signature.sign_proof refuses it)."""
    if name:
        return f"{name}, namens partij {signature.party}"
    return f"partij {signature.party} (houder van de sleutel die dit bewijs ondertekent)"


def make_issue(
    proof: Proof,
    *,
    issuer: str | None = None,
    keyring: bool = False,
    checkpoints: tuple[str, ...] = (),
    made_at: datetime | None = None,
    signer: Signer | None = None,
    keys: Keyring | None = None,
    parties: frozenset[str] | None = None,
) -> Issue:
    """The Issue of a proof; checkpoints are files (already checked by the audit: a problem of
    kind 'checkpoint' naming one means the ledger does not extend it); `signer` signs the
    proof (proof_signature.py), its party from `keys` (the contract's or the keyring's,
    declared parties only: proof_signature.declared_only); UsageError (exit 2) for a key
    bound to none. `parties`: the contract's, the only checkpoint signers named (a keyring's
    other names are withheld, as every name the contract does not declare); a checkpoint's
    path is shown only when contract/names.path_shown allows it."""
    from datacontract.contract.names import path_shown
    from datacontract.ledger.checkpoint import load_checkpoint

    seen = []
    for n, name in enumerate(checkpoints, start=1):
        cp = load_checkpoint(Path(name))
        broken = any(p.said.get("checkpoint") == name for p in proof.problems)
        signers = tuple(
            party if parties is None or party in parties else "een partij niet in het contract"
            for party, _ in cp.signatures
        )
        shown = name if path_shown(name) else f"controlepunt {n} (pad niet getoond)"
        seen.append(CheckpointSeen(shown, cp.size, cp.head, signers, not broken))
    when = made_at or datetime.now().astimezone()
    person = named_issuer(issuer)
    signature = sign_proof(proof, signer, keys, person) if signer is not None else None
    return Issue(
        issuer=signed_issuer(person, signature) if signature else person or NOT_NAMED,
        signature=signature,
        made_at=when.isoformat(timespec="seconds"),
        tool=tool_version(),
        keyring=keyring,
        checkpoints=tuple(seen),
    )


def _e(text: object) -> str:
    return html.escape(plain(str(text)))


def cover_html(proof: Proof, contract: Contract, issue: Issue) -> str:
    """The cover as a definition list (a <section class='cover'>)."""
    rows: list[tuple[str, str]] = [
        ("Contract", f"<code>{_e(proof.contract)}</code>, versie {_e(proof.version)}"),
        ("SHA-256 van het contract", f"<code class='hash'>{_e(proof.contract_sha256)}</code>"),
        (
            "Protocol",
            f"{_e(contract.protocol.title)}, van {_e(long_date(contract.protocol.date))}",
        ),
    ]
    if proof.mode == "ledger":
        head = proof.ledger_hash or ""
        rows += [
            (
                "Grootboek",
                f"<code>{_e(proof.ledger or '')}</code>, "
                f"{_e(count(proof.events, 'gebeurtenis', 'gebeurtenissen'))}",
            ),
            ("Hashcode van de laatste gebeurtenis", f"<code class='hash'>{_e(head)}</code>"),
            *_evidence(proof, issue),
        ]
    else:
        rows.append(
            ("Grootboek", "geen: het bewijs gaat enkel over de gegevensstroom volgens het contract")
        )
    rows += [
        ("Peilmoment", _e(moment(proof.at))),
        ("Opgesteld door", _e(issue.issuer)),
        ("Opgesteld op", _e(moment(issue.made_at))),
        ("Opgesteld met", f"<code>{_e(issue.tool)}</code>"),
    ]
    if issue.signature is not None:
        rows.append(("Handtekening van dit bewijs", _signature(issue.signature)))
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f"<dl class='cover'>{items}</dl>"


LABELS = {"signatures": "Handtekeningen", "checkpoint": "Controlepunt", "repairs": "Herstellingen"}


def _evidence(proof: Proof, issue: Issue) -> list[tuple[str, str]]:
    """The rows of the evidence the verdicts rest on (report/proof_strength.py), in Dutch; the
    checkpoint row also lists each checkpoint file."""
    rows = []
    for key, said in evidence_lines(proof):
        text = _e(render(said, "nl"))
        if key == "checkpoint" and issue.checkpoints:
            text += "<br>" + _checkpoints(issue)
        rows.append((LABELS[key], text))
    return rows


def _checkpoints(issue: Issue) -> str:
    """Each checkpoint file; whether the ledger extends it is said of each only when one is not
    extended (else the evidence line above has said it of all: said once, not twice)."""
    every = all(c.extended for c in issue.checkpoints)
    return "<br>".join(
        f"<code>{_e(c.name)}</code>: {_e(count(c.size, 'gebeurtenis', 'gebeurtenissen'))}, "
        f"ondertekend door {_e(', '.join(c.signers))}, hashcode van de laatste gebeurtenis:"
        f"<br><code class='hash'>{_e(c.head)}</code>"
        + (
            ""
            if every
            else "<br>het grootboek bouwt erop voort"
            if c.extended
            else "<br><b>het grootboek bouwt er NIET op voort</b>"
        )
        for c in issue.checkpoints
    )


def _signature(sig: ProofSignature) -> str:
    """The cover's row of the proof's own signature, and how to check it."""
    return (
        "Ed25519 over de verklaring van dit bewijs, met SHA-256:<br>"
        f"<code class='hash'>{_e(sig.statement_sha256)}</code><br>"
        "met de sleutel met vingerafdruk (SHA-256 van de publieke sleutel):<br>"
        f"<code class='hash'>{_e(sig.fingerprint)}</code><br>"
        f"handtekening:<br><code class='sig'>{_e(sig.signature)}</code><br>"
        "Controleren: <code>datacontract prove --contract C --check-signature BEWIJS.json"
        "</code> op het JSON-bewijs dat met dezelfde opties werd gemaakt (dezelfde verklaring "
        "geeft dezelfde handtekening)."
    )
