"""The flow on the record: the hooks (hop send, hop receive), destroy, made, milestone, and
prove. Each hook checks, then appends one event to the ledger, or refuses (Refused, a
ViolationError: exit 1) and records nothing; see flow/hop.py and flow/duties.py. A ledger is
named by text or given as a backend (ledger/store.py chooses it by scheme).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from datacontract.api.inputs import keyring_of, loaded, now_or, password_from, signer_of, time_of
from datacontract.api.inputs import refuse_before_first as _refuse_before_first
from datacontract.api.ledger import existing, open_ledger
from datacontract.contract.names import file_label, withholding_path
from datacontract.errors import DataContractError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from datacontract.api.ledger import LedgerName
    from datacontract.contract.load import LoadedContract
    from datacontract.flow.hop import Transfer
    from datacontract.flow.proof import Proof
    from datacontract.flow.record import Recorded
    from datacontract.ledger.backend import LedgerBackend
    from datacontract.ledger.keys import Signer


@dataclass(frozen=True)
class HopOptions:
    """One hook call on a hop (`hop send`, `hop receive`): the file, the contract, the hop id,
    the ledger; the parties on hops that fan out; the event's time (ISO 8601 with an offset,
    default: now, taken under the ledger's lock); the acting party's key file; the keyring
    that checks the manifest's signature (receive); the workbook's password file (or
    $DATACONTRACT_XLSX_PASSWORD) and sheet; record_violation records a transfer that happened
    although it breaks the contract (still exit 1); `against`, on a hop whose keys must match
    an earlier hop's (same_keys_as), the earlier file (its SHA-256 must be the one the ledger
    recorded, else UsageError): a mismatch then counts the families lost and added, with
    their rows; it is opened with against_sheet and against_password_file (default: its only
    table, $DATACONTRACT_XLSX_PASSWORD), never with sheet and password_file."""

    file: str | Path
    contract: str | Path | LoadedContract
    hop: str
    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    sender: str | None = None
    receiver: str | None = None
    at: str | datetime | None = None
    key_file: str | Path | None = None
    keyring: str | Path | None = None
    password_file: str | Path | None = None
    sheet: str | None = None
    record_violation: bool = False
    against: str | Path | None = None
    against_sheet: str | None = None
    against_password_file: str | Path | None = None


def _transfer(options: HopOptions) -> Transfer:
    import datacontract.check.validate as checking
    from datacontract.api.inputs import earlier_file
    from datacontract.flow import hop as hooks

    c = loaded(options.contract)
    if options.against is None and (options.against_sheet or options.against_password_file):
        raise UsageError("--against-sheet and --against-password-file need --against")
    if not Path(options.file).is_file():
        raise UsageError(f"{file_label(str(options.file), 1)}: no such file")
    return hooks.Transfer(
        c,
        options.hop,
        Path(options.file),
        open_ledger(options.ledger),
        options.sender,
        options.receiver,
        time_of(options.at),
        options.record_violation,
        checking.Options(
            password=password_from(options.password_file), sheet=options.sheet, position=1
        ),
        key=signer_of(options.key_file),
        keyring=keyring_of(options.keyring),
        against=earlier_file(options.against),
        against_as=(
            password_from(options.against_password_file, "--against-password-file"),
            options.against_sheet,
        ),
    )


def hop_send(options: HopOptions) -> Recorded:
    """The pre-transfer hook: validate the file for the hop, check the flow, write its hash
    manifest and append `sent`. Recorded.findings is non-empty only for a recorded violation."""
    from datacontract.flow import hop as hooks

    with _file_named(options.file), _earlier_named(options.against):
        return hooks.send(_transfer(options))


def hop_receive(options: HopOptions) -> Recorded:
    """The check on arrival: the manifest's hash (and signature, with a keyring), the contract
    and the flow again; append `received`, witnessing the sent event."""
    from datacontract.flow import hop as hooks

    with _file_named(options.file), _earlier_named(options.against):
        return hooks.receive(_transfer(options))


@contextmanager
def _file_named(file: str | Path) -> Iterator[None]:
    """An error about the hop's file names it as contract/names.py's rule 3 allows."""
    try:
        yield
    except DataContractError as exc:
        raise withholding_path(exc, str(file), file_label(str(file), 1)) from None


@contextmanager
def _earlier_named(file: str | Path | None) -> Iterator[None]:
    """An error about the --against file names it as rule 3 allows (no position: it is an
    option's, not an argument)."""
    if file is None:
        yield
        return
    try:
        yield
    except DataContractError as exc:
        raise withholding_path(exc, str(file), file_label(str(file))) from None


@dataclass(frozen=True)
class DutyOptions:
    """`destroy` and `made`: the party, the dataset, the ledger, the event's time (default now),
    the acting party's key file, and the keyring its key must agree with. `destroy` only: the
    deliveries destroyed, by their file's sha256 or their receipt event's seq; `every` (or
    neither) destroys every copy held."""

    contract: str | Path | LoadedContract
    party: str
    dataset: str
    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    at: str | datetime | None = None
    key_file: str | Path | None = None
    keyring: str | Path | None = None
    sha256: tuple[str, ...] = ()
    events: tuple[int, ...] = ()
    every: bool = False


def destroy(options: DutyOptions) -> Recorded:
    """Record that a party destroyed deliveries of a dataset it holds (named by sha256 or
    receipt event), or every copy it holds or makes (`every`, or no delivery named); the last
    event recorded (one per distinct file named)."""
    from datacontract.flow import duties

    a = _acting(options)
    return duties.destroy(
        a.contract,
        a.ledger,
        options.party,
        options.dataset,
        a.at,
        a.key,
        a.keyring,
        duties.Deliveries(options.sha256, options.events, options.every),
    )


def made(options: DutyOptions) -> Recorded:
    """Record that a party made a dataset the contract says it makes (D3 stap 2 and 5)."""
    from datacontract.flow import duties

    a = _acting(options)
    return duties.made(a.contract, a.ledger, options.party, options.dataset, a.at, a.key, a.keyring)


@dataclass(frozen=True)
class MilestoneOptions:
    """`milestone NAME`: a milestone the contract declares; the party (default the
    milestone's own), the ledger, the time (default now), the acting party's key file, and the
    keyring its key must agree with."""

    contract: str | Path | LoadedContract
    name: str
    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    party: str | None = None
    at: str | datetime | None = None
    key_file: str | Path | None = None
    keyring: str | Path | None = None


def milestone(options: MilestoneOptions) -> Recorded:
    """Record a milestone the contract declares (e.g. veldwerk_afgelopen)."""
    from datacontract.flow import duties

    a = _acting(options)
    return duties.milestone(
        a.contract, a.ledger, options.name, options.party, a.at, a.key, a.keyring
    )


@dataclass(frozen=True)
class _Acting:
    """What a party's own event (destroy, made, milestone) is recorded with: the contract,
    the ledger, the time (None: now), the acting party's key and the keyring it must agree with."""

    contract: LoadedContract
    ledger: LedgerBackend
    at: datetime | None
    key: Signer | None
    keyring: Mapping[str, Ed25519PublicKey] | None


def _acting(options: DutyOptions | MilestoneOptions) -> _Acting:
    """The options' contract, ledger, time, key and keyring, read in that order (a bad
    contract is reported before a bad time, a bad time before a missing key)."""
    c = loaded(options.contract)
    when, key = time_of(options.at), signer_of(options.key_file)
    ring = keyring_of(options.keyring)
    return _Acting(c, open_ledger(options.ledger), when, key, ring)


@dataclass(frozen=True)
class ProveOptions:
    """`prove`: the contract; the ledger (None: the declared flow alone), its keyring and
    checkpoints; the proof's time (default now); the format (text, json, html, pdf), colour
    and the terminal's table (`terminal`; plain lines otherwise, as in a CI log), the issuer on
    the audit document's cover (default $DATACONTRACT_ISSUER, else "not named"), and the
    strength CI requires (`require`, one of flow.proof.LEVELS: "proven" or "holds"; None: the
    exit code follows the verdicts alone), and the private key that signs the proof
    (`key_file`: report/proof_signature.py; the issuer is then the party the contract's keys,
    else the keyring, bind it to). A contract that binds its parties to keys (parties[].keys)
    is a keyring of its own: every signature is checked against it without `keyring`, and a
    keyring that disagrees with it is refused (UsageError, exit 2)."""

    contract: str | Path | LoadedContract
    ledger: LedgerName | None = field(default=None, repr=False)  # a URL: a password
    keyring: str | Path | None = None
    checkpoints: tuple[str, ...] = ()
    at: str | datetime | None = None
    format: str = "text"
    color: bool = False
    issuer: str | None = None
    require: str | None = None
    terminal: bool | None = None  # None: as `color`
    # the private key that signs the proof (report/proof_signature.py); its party is the one
    # the contract's keys (or the keyring) bind it to, and the issuer on the cover
    key_file: str | Path | None = None
    # a proof's state (flow/state_file.py) signed by one of `checkpoints`: only the events
    # after it are read (the whole ledger when the state cannot tell: flow/state_prove.py)
    from_state: str | Path | None = None


@dataclass(frozen=True)
class Proved:
    """The proof and its document in the format asked (bytes for the PDF); `holds` when every
    verdict holds and the proof is as strong as the options required."""

    proof: Proof
    document: str | bytes
    require: str | None = None

    @property
    def holds(self) -> bool:
        if self.require is not None and not self.proof.meets(self.require):
            return False
        return self.proof.holds


def prove(options: ProveOptions) -> Proved:
    """Prove the contract's flow invariants on a ledger (chain, signatures, checkpoints
    audited), or on the declared flow alone. UsageError for --keyring/--checkpoint without
    a ledger, and for an --at before the ledger's first event (a proof of nothing); a broken
    ledger is a counterexample, not an error."""
    from datacontract.api.ledger import AuditOptions, ledger_verify
    from datacontract.flow.authority import declared_keys
    from datacontract.flow.evidence import evidence
    from datacontract.flow.proof import LEVELS, Repair
    from datacontract.flow.prover import prove as make_proof
    from datacontract.ledger.checkpoint import load_checkpoint
    from datacontract.report.proof import render_proof
    from datacontract.report.proof_cover import make_issue
    from datacontract.report.proof_signature import declared_only

    if options.require is not None and options.require not in LEVELS[:2]:
        raise UsageError(f"--require: one of {', '.join(LEVELS[:2])}, not {options.require!r}")
    c = loaded(options.contract)
    when = now_or(options.at)
    if options.ledger is None and (options.keyring is not None or options.checkpoints):
        raise UsageError("--keyring and --checkpoint check a ledger: give --ledger")
    state = name = seen = None
    signer = signer_of(options.key_file)
    ring = keyring_of(options.keyring)
    pinned = declared_keys(c.contract)
    parties = [p.id for p in c.contract.parties]  # the only names a key binds (evidence.py)
    resumed = _from_state(options, c, when) if options.from_state is not None else None
    if resumed is None and options.ledger is not None:
        resumed = _streamed(options, c, when)
    if resumed is not None:
        proof = resumed
    elif options.ledger is not None:
        audit_options = AuditOptions(options.ledger, options.keyring, options.checkpoints, c)
        audited = ledger_verify(audit_options)
        state, name = audited.state, audited.name
        if options.at is not None:
            _refuse_before_first(when, state)
        sizes = [load_checkpoint(Path(cp)).size for cp in options.checkpoints]
        repairs = [Repair(r.time, r.line, r.size, r.whole_event) for r in audited.repairs]
        # the keys the audit checked every signature with: the contract's (parties[].keys; a
        # --keyring given as well agreed with them, else ledger_verify refused it, exit 2)
        # or the keyring's
        bound = pinned if pinned is not None else ring
        source = "contract" if pinned is not None else "keyring"
        seen = evidence(state, keyring=bound, checkpoints=sizes, repairs=repairs,
                        declared=parties, keys_from=source)  # fmt: skip
    if resumed is None:
        proof = make_proof(c, state, at=when, ledger_path=name, evidence=seen)
    issue = make_issue(
        proof,
        issuer=options.issuer,
        keyring=options.keyring is not None,
        checkpoints=options.checkpoints,
        signer=signer,
        keys=declared_only(pinned if pinned is not None else ring, parties),
        parties=frozenset(p.id for p in c.contract.parties),
    )
    terminal = options.color if options.terminal is None else options.terminal
    rendered = render_proof(
        proof, options.format, c.contract, color=options.color, issue=issue, terminal=terminal
    )
    return Proved(proof, rendered, options.require)


def _from_state(options: ProveOptions, c: LoadedContract, when: datetime) -> Proof | None:
    """The proof from options.from_state (flow/state_prove.py), None when the whole ledger
    must be read; UsageError without --ledger."""
    from datacontract.flow import authority
    from datacontract.flow.proof import Repair
    from datacontract.flow.state_prove import from_state
    from datacontract.ledger.chain import LedgerState as State
    from datacontract.ledger.checkpoint import load_checkpoint

    if options.ledger is None or options.from_state is None:
        raise UsageError("--from-state proves a ledger from a checkpoint's state: give --ledger")
    backend = existing(options.ledger)
    ring = keyring_of(options.keyring)
    seen = [(cp, load_checkpoint(Path(cp))) for cp in options.checkpoints]
    repairs = [Repair(r.time, r.line, r.size, r.whole_event) for r in backend.repairs()]
    bound = authority.bound_keys(c.contract, ring)
    made = from_state(
        c, backend, options.from_state, seen, keyring=ring, bound=bound, at=when, repairs=repairs
    )
    if made is None:
        return None
    proof, first = made
    if options.at is not None and first is not None:
        _refuse_before_first(when, State((first,)))
    return proof


# The formats that list every event of the ledger (report/proof_events.py, proof_graph.py,
# proof_timeline.py): made from the whole read; the others from a read in chunks.
_EVERY_EVENT = frozenset({"html", "pdf"})


def _streamed(options: ProveOptions, c: LoadedContract, when: datetime) -> Proof | None:
    """The proof of a file ledger read in chunks (flow/state_stream.py), None when the whole
    ledger must be read: another backend, a checkpoint to check, a format that lists every
    event, or anything the chunks cannot clear."""
    from datacontract.flow import authority
    from datacontract.flow.proof import Repair
    from datacontract.flow.state_stream import streamed
    from datacontract.ledger.chain import LedgerState as State

    if options.ledger is None or options.checkpoints or options.format in _EVERY_EVENT:
        return None
    backend = open_ledger(options.ledger)
    # a backend whose events are the lines of one local file (the file backend's `path`)
    path = getattr(backend, "path", None)
    if not isinstance(path, Path) or not backend.exists():
        return None  # the whole read says why (no such ledger), or reads another backend
    pinned = authority.declared_keys(c.contract)
    bound = authority.bound_keys(c.contract, keyring_of(options.keyring))
    repairs = [Repair(r.time, r.line, r.size, r.whole_event) for r in backend.repairs()]
    made = streamed(
        c,
        path,
        bound=bound,
        keys_from="contract" if pinned is not None else "keyring",
        at=when,
        repairs=repairs,
    )
    if made is None:
        return None
    if options.at is not None and made.first is not None:
        _refuse_before_first(when, State((made.first,)))
    return made.proof
