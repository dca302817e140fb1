"""The hooks a party calls at a boundary: send, receive, destroy, milestone.

Each hook checks, then records one event in the ledger, or refuses and records nothing:

- `send` (the pre-transfer hook) validates the file against the hop's dataset, checks that the
  hop and its parties are declared and that the transfer breaks no flow invariant given what
  the ledger holds (as if the receiver had it: background data to researchers who still hold
  contact data is refused before it leaves), then, under the ledger's lock, writes the hash
  manifest (signed with --key, carrying the sent event's SEQ:HASH) and appends `sent`: the
  manifest is removed if the append fails, and nothing is appended if it cannot be written.
- `receive` checks the file against the manifest that travelled with it (D3: a hash in every
  part; with a keyring, the sender's signature; the sent event it names, in the ledger),
  validates it again, checks the invariants and appends `received`, witnessing that event.
The duties that are not transfers (destroy, made, milestone) are in duties.py.

A refusal raises Refused (exit 1) naming each broken rule and its article. With
`record_violation` the event is appended anyway, marked as a violation with its findings (rule
ids, articles, counts: never values), and Recorded is returned so that the caller still exits 1.
The flow check runs again under the ledger's lock, so two senders cannot both pass it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.check.retention import reference_date
from datacontract.check.validate import Options, validate_file
from datacontract.contract.load import LoadedContract
from datacontract.contract.model import Contract, Hop
from datacontract.contract.references import unknown
from datacontract.errors import InputFileError, LedgerError, UsageError
from datacontract.flow.keys_compare import KeysAsked, same_keys_findings
from datacontract.flow.record import Acting, Finding, Recorded, Refused, append_checked
from datacontract.ledger import store
from datacontract.ledger.canonical import parse_time
from datacontract.ledger.chain import Event, EventDraft
from datacontract.ledger.keys import Signer
from datacontract.ledger.manifest import Manifest, read_manifest, stage_manifest
from datacontract.ledger.signing import manifest_signature_problem
from datacontract.output import Staged

__all__ = ["Finding", "Recorded", "Refused", "Transfer", "receive", "send"]


@dataclass(frozen=True)
class Transfer:
    """One hook call on a hop, as the command line gives it."""

    loaded: LoadedContract
    hop: str
    file: Path
    ledger: store.Ledger
    sender: str | None = None
    receiver: str | None = None
    at: datetime | None = None
    record_violation: bool = False
    options: Options = dataclasses.field(default_factory=Options)
    key: Signer | None = None  # the acting party's (--key): the event is signed
    # the parties' public keys: receive checks the manifest's signature; both check --key
    keyring: Mapping[str, Ed25519PublicKey] | None = None
    against: Path | None = None  # the earlier file its keys must match (--against)
    against_as: tuple[str | None, str | None] = (None, None)  # its own password, sheet

    @property
    def acting(self) -> Acting:
        return Acting(self.ledger, self.key, stamp=self.at is None, keyring=self.keyring)


def _dated(t: Transfer, when: datetime) -> Transfer:
    """A transfer checks how the file travels (format, encryption), and age rules without a
    reference column count on the day of the transfer."""
    day = t.options.reference_date or when.date()
    return dataclasses.replace(
        t, options=dataclasses.replace(t.options, reference_date=day, transfer=True)
    )


def send(t: Transfer) -> Recorded:
    """Validate, check the flow, then under the ledger's lock write the (signed) manifest and
    append `sent`: the manifest is removed if the append fails, and nothing is appended if the
    manifest cannot be written."""
    when = t.at or parse_time(None)
    t = _dated(t, when)
    c = _check(t)
    draft = _draft(t, "sent", when, c)
    staged: list[Staged] = []
    prepare = None
    if c.dataset is not None and c.sender is not None and c.receiver is not None:
        prepare = _manifest_writer(t, c, staged)
    event, findings = append_checked(
        t.loaded, t.acting, draft, c.findings, t.record_violation, "send", prepare
    )
    return Recorded(event, tuple(findings), _published(staged, event))


def _published(staged: list[Staged], event: Event) -> Path | None:
    """The manifest put in place now that the ledger holds its event (never before it)."""
    if not staged:
        return None
    try:
        return staged[-1].publish()
    except OSError as exc:
        staged[-1].discard()
        raise LedgerError(
            f"event {event.seq} is recorded, but its manifest could not be put beside the file "
            f"({exc.strerror or 'write error'}): the receiver will refuse the file without it"
        ) from None


def _manifest_writer(
    t: Transfer, c: _Checked, staged: list[Staged]
) -> Callable[[Event], Callable[[], None]]:
    size = t.file.stat().st_size

    def prepare(event: Event) -> Callable[[], None]:
        manifest = Manifest(
            sha256=c.sha256,
            size=size,
            rows=c.rows or 0,
            dataset=c.dataset or "",
            hop=t.hop,
            sender=c.sender or "",
            receiver=c.receiver or "",
            time=event.time,
            contract_id=t.loaded.contract.contract,
            contract_version=t.loaded.contract.version,
            contract_sha256=t.loaded.sha256,
            ledger_head=f"{event.seq}:{event.hash}",
        )
        if t.key is not None:
            manifest = manifest.signed(t.key)
        staged.append(stage_manifest(t.file, manifest))
        return staged[-1].discard

    return prepare


def receive(t: Transfer) -> Recorded:
    findings: list[Finding] = []
    try:
        manifest: Manifest | None = read_manifest(t.file)
    except UsageError as exc:
        if not t.record_violation:
            raise
        manifest = None
        findings.append(Finding("hash_travels_with_file", _hash_article(t), str(exc)))
    if manifest is not None:
        t = dataclasses.replace(
            t, sender=t.sender or manifest.sender, receiver=t.receiver or manifest.receiver
        )
        findings += _manifest_witness(t, manifest)
    when = t.at or parse_time(None)
    t = _dated(t, when)
    changed = _changed_since_send(t, manifest) if manifest is not None else None
    if manifest is not None and changed is not None:
        # Integrity first: a file that is not the one sent is refused as such, whatever it
        # holds now; its content is not parsed (it may not even be a table any more).
        findings.append(changed)
        c = _unparsed(t, manifest)
        if t.record_violation:
            with contextlib.suppress(InputFileError):  # what it holds now, if still a table
                c = _check(t)
        findings += c.findings
    else:
        c = _check(t)
        findings += c.findings
        if manifest is not None:
            findings += _against_manifest(t, manifest, c)
    draft = _draft(t, "received", when, c)
    if manifest is not None and manifest.ledger_head is not None:
        draft = dataclasses.replace(draft, witness=manifest.ledger_head)
    event, findings = append_checked(
        t.loaded, t.acting, draft, findings, t.record_violation, "receive"
    )
    return Recorded(event, tuple(findings))


def _manifest_witness(t: Transfer, m: Manifest) -> list[Finding]:
    """The manifest's signature (with a keyring) and the sent event it names, in the ledger."""
    out = []
    if t.keyring is not None:
        problem = manifest_signature_problem(m.to_json(), t.keyring)
        if problem is not None:
            out.append(Finding("manifest_signed", _hash_article(t), problem))
    if m.ledger_head is not None:
        seq, head = m.ledger_head.split(":")
        held = {e.seq: e.hash for e in store.read(t.ledger).events}
        if held.get(int(seq)) != head:
            out.append(
                Finding(
                    "hash_travels_with_file",
                    _hash_article(t),
                    f"the manifest names sent event {seq}, which this ledger does not hold "
                    "as it was at send",
                )
            )
    return out


@dataclass(frozen=True)
class _Checked:
    """A file checked for a hop: who sends it to whom, what it holds, and what is wrong."""

    sender: str | None  # None only when the hop is not declared and no --from was given
    receiver: str | None
    dataset: str | None  # None when the hop is not declared
    sha256: str
    rows: int | None
    keys: str | None
    findings: list[Finding]
    reference: str | None = None  # where a retention term starts in the data (retention.py)


def _check(t: Transfer) -> _Checked:
    hop, sender, receiver, findings = _hop(t)
    result = None
    if hop is not None:
        facts = _sender_facts(t, hop, sender, receiver)
        result = validate_file(t.loaded, hop.dataset, t.file, facts)
        findings += [
            Finding(f.rule, f.article, f.message, f.count, f.rows) for f in result.findings
        ]
    sha256, rows = _file_facts(t, result)
    keys = result.keys_digest if result is not None else None
    dataset = hop.dataset if hop is not None else None
    if hop is not None:  # the families lost or added against the delivery it answers
        o = t.options
        asked = KeysAsked(t.loaded, t.ledger, t.hop, sender, keys, t.file, t.against, o.password)
        pw, sheet = t.against_as  # --against-password-file, --against-sheet
        asked = dataclasses.replace(asked, sheet=o.sheet, against_password=pw, against_sheet=sheet)
        findings += same_keys_findings(asked)
    declared = t.loaded.contract.dataset(dataset) if dataset is not None else None
    reference = (
        reference_date(declared, t.file, password=t.options.password)
        if declared is not None
        else None
    )
    return _Checked(sender, receiver, dataset, sha256, rows, keys, findings, reference)


def _draft(t: Transfer, kind: str, when: datetime, c: _Checked) -> EventDraft:
    return EventDraft(
        time=when.isoformat(),
        kind=kind,
        contract=t.loaded.contract.contract,
        contract_version=t.loaded.contract.version,
        party=c.sender if kind == "sent" else c.receiver,
        dataset=c.dataset,
        hop=t.hop,
        sender=c.sender,
        receiver=c.receiver,
        sha256=c.sha256,
        rows=c.rows,
        keys=c.keys,
        reference=c.reference,
    )


# --- the pieces ---------------------------------------------------------------------------------


def _hop(t: Transfer) -> tuple[Hop | None, str | None, str | None, list[Finding]]:
    """The hop and its two parties, or findings saying what is not declared."""
    c = t.loaded.contract
    hop = c.hop(t.hop)
    if hop is None:
        known = [h.id for h in c.hops]
        return (
            None,
            t.sender,
            t.receiver,
            [
                Finding(
                    "declared_flow_only",
                    _cited(c, "declared_only", "the contract's declared flow"),
                    unknown("hop", t.hop, known),
                ),
            ],
        )
    sender = _party(t.sender, hop.sender, "--from", hop)
    receiver = _party(t.receiver, hop.receiver, "--to", hop)
    findings = []
    for role, who, allowed in (("send", sender, hop.sender), ("receive", receiver, hop.receiver)):
        if c.party(who) is None:
            findings.append(
                Finding(
                    "declared_flow_only",
                    hop.article,
                    unknown("party", who, [p.id for p in c.parties]),
                )
            )
        elif who not in allowed:
            findings.append(
                Finding(
                    "declared_flow_only",
                    hop.article,
                    f"{who} does not {role} on {hop.id}; the contract names "
                    f"{' and '.join(allowed)}",
                )
            )
    return hop, sender, receiver, findings


def _party(given: str | None, allowed: tuple[str, ...], option: str, hop: Hop) -> str:
    if given is not None:
        return given
    if len(allowed) == 1:
        return allowed[0]
    raise UsageError(
        f"hop {hop.id} has several parties on this side: give {option} ({', '.join(allowed)})"
    )


def _sender_facts(
    t: Transfer, hop: Hop | None, sender: str | None, receiver: str | None
) -> Options:
    """The facts of this transfer every row must state (what _party_facts finds)."""
    expected = _party_facts(t, hop, sender, receiver)
    return dataclasses.replace(t.options, expected=expected) if expected else t.options


def _party_facts(
    t: Transfer, hop: Hop | None, sender: str | None, receiver: str | None
) -> tuple[tuple[str, str, str, str], ...]:
    """(column, party id in capitals, article, "sender" | "receiver") for each column whose
    rows must name a party of this hop.

    - The hop's `names` (NamesParty): stap3 gives a payer "een deelbestand met gegevens over
      diens cliënten" (000 art. 6), so `ua` names the receiver.
    - A payer's file holds only that payer's families: where the dataset has a `ua` column
      whose declared values include the sender's id in capitals (FONS for fons), `ua` names
      the sender (What must hold, 1; D3 stap 3 and 4), declared or not.
    A party whose capitalised id is not among the column's declared values is named by no row:
    the check is left to the column's own values (an undeclared party is refused on the hop).
    """
    dataset = t.loaded.contract.dataset(hop.dataset) if hop else None
    if hop is None or dataset is None:
        return ()
    out: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for named in hop.names:
        who = sender if named.party == "sender" else receiver
        column = dataset.column(named.column)
        if who is not None and column is not None:
            fact = (named.column, who.upper(), named.article, named.party)
            out[(named.column, named.party)] = fact
    ua = dataset.column("ua")
    if ua is not None and sender is not None and ua.values and sender.upper() in ua.values:
        article = f"{hop.article}; What must hold 1 (ua is the sender)"
        out.setdefault(("ua", "sender"), ("ua", sender.upper(), article, "sender"))
    return tuple(out.values())


def _file_facts(t: Transfer, result: object) -> tuple[str, int | None]:
    from datacontract.check.results import ValidationResult
    from datacontract.read.table import sha256_file

    if isinstance(result, ValidationResult):
        return result.sha256, result.rows
    return sha256_file(t.file), None


def _changed_since_send(t: Transfer, m: Manifest) -> Finding | None:
    """The refusal of a file whose bytes are not those the manifest names; None if they are."""
    from datacontract.read.table import sha256_file

    try:
        size = t.file.stat().st_size
    except OSError:
        size = -1
    if size == m.size and size >= 0 and sha256_file(t.file) == m.sha256:
        return None
    sends = [
        e.seq
        for e in store.read(t.ledger).events
        if e.kind == "sent" and e.sha256 == m.sha256 and e.hop == m.hop
    ]
    written = f"event {sends[-1]}" if sends else "no sent event in this ledger names it"
    return Finding(
        "hash_travels_with_file",
        _hash_article(t),
        f"the file does not match the manifest written at send ({written}): "
        "its SHA-256 differs, so it is not the file that was sent",
    )


def _unparsed(t: Transfer, m: Manifest) -> _Checked:
    """The facts of a received file that is not the one sent: who and what the manifest says,
    the file's own hash; its content unread (0 rows: none could be trusted)."""
    from datacontract.read.table import sha256_file

    try:
        sha256 = sha256_file(t.file)
    except OSError as exc:
        raise UsageError(f"{t.file}: cannot be read: {exc.strerror or exc}") from None
    hop, sender, receiver, findings = _hop(t)
    dataset = hop.dataset if hop is not None else m.dataset
    return _Checked(sender, receiver, dataset, sha256, 0, None, findings)


def _against_manifest(t: Transfer, m: Manifest, c: _Checked) -> list[Finding]:
    out = []
    for what, theirs, ours in (
        ("hop", m.hop, t.hop),
        ("dataset", m.dataset, c.dataset),
        ("sender", m.sender, c.sender),
        ("receiver", m.receiver, c.receiver),
        ("contract", m.contract_id, t.loaded.contract.contract),
    ):
        if theirs != ours:
            out.append(
                Finding(
                    "hash_travels_with_file",
                    _hash_article(t),
                    f"the manifest names another {what} ({theirs})",
                )
            )
    return out


def _cited(contract: Contract, kind: str, fallback: str) -> str:
    """The article of the contract's invariant of this kind: a hook's finding cites what the
    contract cites, never a fixed article of one protocol."""
    return next((i.article for i in contract.invariants if i.kind == kind), fallback)


def _hash_article(t: Transfer) -> str:
    return _cited(t.loaded.contract, "received_matches_sent", "the hash manifest")
