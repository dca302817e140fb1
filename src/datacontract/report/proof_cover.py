"""The proof's cover: what was proven, on what, by whom, with which tool, and when.

`Issue` is what the proof itself does not know: who made it (`--issuer`), when, with which
version of the tool, whether every signature was checked against a keyring, and the
checkpoints the ledger was checked against. The cover shows the contract (id, version, SHA-256
of its file), the protocol (title, date), the ledger (name, events, head hash), the
checkpoints, the time of the proof, the tool and the issuer.

The issuer defaults to $DATACONTRACT_ISSUER, else the login name of the user who runs the
tool (getpass.getuser), else "onbekend": the person who answers for the proof names
themselves with `--issuer "Naam, organisatie"`.
"""

from __future__ import annotations

import getpass
import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from datacontract.contract.model import Contract
from datacontract.flow.proof import Proof
from datacontract.report.inert import plain
from datacontract.report.proof_dutch import count, long_date, moment

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


def tool_version() -> str:
    """The installed distribution and its version, e.g. 'groeipakket-datacontract 0.1.0'."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{DISTRIBUTION} {version(DISTRIBUTION)}"
    except PackageNotFoundError:
        return f"{DISTRIBUTION} (versie onbekend: niet geïnstalleerd)"


def default_issuer() -> str:
    """$DATACONTRACT_ISSUER, else the login name, else 'onbekend'."""
    named = os.environ.get("DATACONTRACT_ISSUER", "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "onbekend"


def make_issue(
    proof: Proof,
    *,
    issuer: str | None = None,
    keyring: bool = False,
    checkpoints: tuple[str, ...] = (),
    made_at: datetime | None = None,
) -> Issue:
    """The Issue of a proof; checkpoints are files (already checked by the audit: a problem of
    kind 'checkpoint' naming one means the ledger does not extend it)."""
    from datacontract.ledger.checkpoint import load_checkpoint

    seen = []
    for name in checkpoints:
        cp = load_checkpoint(Path(name))
        broken = any(p.said.get("checkpoint") == name for p in proof.problems)
        signers = tuple(party for party, _ in cp.signatures)
        seen.append(CheckpointSeen(name, cp.size, cp.head, signers, not broken))
    when = made_at or datetime.now().astimezone()
    return Issue(
        issuer=issuer or default_issuer(),
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
            ("Kophash van het grootboek", f"<code class='hash'>{_e(head)}</code>"),
            ("Handtekeningen", _signatures(proof, issue)),
            ("Checkpoint", _checkpoints(issue)),
        ]
    else:
        rows.append(("Grootboek", "geen: het bewijs gaat over de verklaarde stroom alleen"))
    rows += [
        ("Peilmoment", _e(moment(proof.at))),
        ("Opgesteld door", _e(issue.issuer)),
        ("Opgesteld op", _e(moment(issue.made_at))),
        ("Opgesteld met", f"<code>{_e(issue.tool)}</code>"),
    ]
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f"<dl class='cover'>{items}</dl>"


def _signatures(proof: Proof, issue: Issue) -> str:
    signed = sum(1 for e in proof.records if e.sig is not None)
    said = f"{count(signed, 'gebeurtenis', 'gebeurtenissen')} van de {proof.events} ondertekend"
    if issue.keyring:
        bad = sum(1 for p in proof.problems if p.kind in ("forged", "unsigned"))
        return _e(
            f"{said}; elke handtekening gecontroleerd met de sleutelring van de partijen"
            + (f": {count(bad, 'probleem', 'problemen')}" if bad else ", zonder fout")
        )
    return _e(f"{said}; niet gecontroleerd (geen sleutelring opgegeven)")


def _checkpoints(issue: Issue) -> str:
    if not issue.checkpoints:
        return "geen opgegeven"
    return "<br>".join(
        f"<code>{_e(c.name)}</code>: {c.size} gebeurtenissen, kop "
        f"<code class='hash'>{_e(c.head)}</code>, ondertekend door {_e(', '.join(c.signers))}; "
        + (
            "het grootboek bouwt erop voort"
            if c.extended
            else "<b>het grootboek bouwt er NIET op voort</b>"
        )
        for c in issue.checkpoints
    )
