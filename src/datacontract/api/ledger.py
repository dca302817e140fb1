"""The ledger's operations: open one by its name, create, read, verify, checkpoint, repair;
and the parties' keys. A ledger is named by text (a path, ``file://``, ``postgresql://``):
ledger/store.py chooses its backend by the scheme, so nothing here names one.

Errors: UsageError (exit 2) for a ledger that does not exist or an unknown scheme; LedgerError
(exit 2) for one that cannot be reached or created; LedgerRefused (exit 1) for a repair that
would remove evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from datacontract.api.inputs import loaded
from datacontract.errors import UsageError

if TYPE_CHECKING:
    from datacontract.contract.load import LoadedContract
    from datacontract.ledger.backend import LedgerBackend, Torn
    from datacontract.ledger.chain import LedgerState
    from datacontract.ledger.keys import Signer
    from datacontract.ledger.repairs import RepairNote

    LedgerName = str | Path | LedgerBackend


def open_ledger(ledger: LedgerName) -> LedgerBackend:
    """The ledger a name gives, by its scheme (a path or ``file://``: JSON Lines;
    ``postgresql://``: a shared server); UsageError (exit 2) listing the known schemes."""
    from datacontract.ledger import store

    return store.locate(ledger)


def existing(ledger: LedgerName) -> LedgerBackend:
    """The ledger, which must exist: UsageError (exit 2) `NAME: no such ledger` otherwise."""
    backend = open_ledger(ledger)
    if not backend.exists():
        raise UsageError(f"{backend.name}: no such ledger")
    return backend


@dataclass(frozen=True)
class InitOptions:
    """`ledger init`: the ledger to create, and the contract it is bound to."""

    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    contract: str | Path | LoadedContract


@dataclass(frozen=True)
class Initialized:
    """The ledger created, and the contract it is bound to."""

    name: str  # the ledger, without secrets
    contract: str  # the contract id and version it is bound to
    version: str


def ledger_init(options: InitOptions) -> Initialized:
    """Create an empty ledger bound to the contract; LedgerError (exit 2) if one exists."""
    c = loaded(options.contract).contract
    backend = open_ledger(options.ledger)
    backend.init(c.contract, c.version)
    return Initialized(backend.name, c.contract, c.version)


@dataclass(frozen=True)
class AuditOptions:
    """`ledger verify`, `prove --ledger`: the ledger, and what else it must hold to: every
    event signed by its party (a folder of PARTY.pub), every checkpoint file extended."""

    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    keyring: str | Path | None = None
    checkpoints: tuple[str, ...] = ()
    # the contract: who may make each event (an event out of role is a problem), the keys it
    # binds parties to (parties[].keys), and the origin its checkpoints must name
    contract: str | Path | LoadedContract | None = None


@dataclass(frozen=True)
class Audited:
    """A ledger's state with the problems of its chain, signatures and checkpoints; `torn` is
    the torn last line a repair would cut, when that is its only problem; `repairs` the cuts
    recorded beside it (ledger/repairs.py), oldest first."""

    name: str
    state: LedgerState
    torn: Torn | None = None
    repairs: tuple[RepairNote, ...] = ()

    @property
    def intact(self) -> bool:
        return self.state.intact


def ledger_read(ledger: LedgerName) -> LedgerState:
    """Every event and every problem of the chain of an existing ledger (no key checks)."""
    return existing(ledger).read()


def ledger_verify(options: AuditOptions) -> Audited:
    """The ledger's chain, signatures (with a keyring, or keys the contract declares),
    checkpoints (of this ledger: their origin names its contract) and, with a contract, who
    made each event (flow/authority.py); exit 2 (UsageError) when it does not exist, or when
    the keyring contradicts the contract's keys. Never raises on tampering: see
    Audited.state."""
    from datacontract.api.inputs import keyring_of
    from datacontract.contract.names import LedgerNames
    from datacontract.flow import authority
    from datacontract.flow.withheld import problems_withheld
    from datacontract.ledger.audit import audit
    from datacontract.ledger.checkpoint import load_checkpoint

    backend = open_ledger(options.ledger)
    ring = keyring_of(options.keyring)
    c = loaded(options.contract).contract if options.contract is not None else None
    bound = authority.bound_keys(c, ring) if c is not None else ring
    seen = [(cp, load_checkpoint(Path(cp))) for cp in options.checkpoints]
    if not backend.exists():
        raise UsageError(f"{backend.name}: no such ledger")
    state = backend.read()
    # the ledger's contract: its events', else the one it was created for, else the one given
    contract = (
        (state.events[0].contract if state.events else None)
        or (backend.bound_contract() if seen else None)
        or (c.contract if c is not None else None)
    )
    state = audit(state, keyring=bound, checkpoints=seen, contract=contract)
    if c is not None:
        state = authority.audited(c, state)
        # a problem says no name an event carries that the contract does not declare
        state = problems_withheld(state, LedgerNames.of(c))
    torn = backend.torn_tail(state) if not state.intact else None
    return Audited(backend.name, state, torn, backend.repairs())


@dataclass(frozen=True)
class CheckpointOptions:
    """`ledger checkpoint`: the ledger, and the private key that signs its head; with `state`
    (a file to write) and the contract (and, to verify every signature, the keyring), the
    proof's state at that head too (flow/state_file.py), signed with the checkpoint."""

    ledger: LedgerName = field(repr=False)  # a URL can carry a password
    key_file: str | Path
    contract: str | Path | LoadedContract | None = None
    keyring: str | Path | None = None
    state: str | Path | None = None


@dataclass(frozen=True)
class Checkpointed:
    """The signed checkpoint (C2SP text), or None when the ledger is not intact (see state)."""

    name: str
    state: LedgerState
    text: str | None
    state_file: str | None = None  # the proof's state written, when asked


def ledger_checkpoint(options: CheckpointOptions) -> Checkpointed:
    """A signed checkpoint of the ledger's head: its size and hash (C2SP signed note); with
    options.state, the proof's state at that head, written to that file and signed with the
    checkpoint (UsageError without the contract; no checkpoint when the whole audit finds a
    problem)."""
    from datacontract.ledger.checkpoint import make_checkpoint
    from datacontract.ledger.keys import load_signer

    key = load_signer(Path(options.key_file))
    backend = existing(options.ledger)
    if options.state is not None:
        return _with_state(options, backend, key)
    state = backend.read()
    if not state.intact:
        return Checkpointed(backend.name, state, None)
    contract = state.events[0].contract if state.events else backend.bound_contract() or "empty"
    return Checkpointed(backend.name, state, make_checkpoint(contract, state.events, key))


def _with_state(options: CheckpointOptions, backend: LedgerBackend, key: Signer) -> Checkpointed:
    """ledger_checkpoint with the proof's state (see there)."""
    from datacontract.api.inputs import keyring_of
    from datacontract.api.shell import write_output
    from datacontract.flow import authority
    from datacontract.flow.state_file import make_state, state_sha256
    from datacontract.ledger.checkpoint import make_checkpoint

    if options.contract is None or options.state is None:
        raise UsageError("--state writes the proof's state of a contract: give --contract")
    c = loaded(options.contract)
    audited = ledger_verify(AuditOptions(options.ledger, options.keyring, (), c))
    state = audited.state
    if not state.intact:
        return Checkpointed(backend.name, state, None)
    offset = backend.mark()
    keys = authority.bound_keys(c.contract, keyring_of(options.keyring))
    data = make_state(c, state, offset=offset, keys=keys)
    try:
        write_output(options.state, data)
    except OSError as exc:
        raise UsageError(
            f"{options.state}: cannot write the state: {exc.strerror or exc}"
        ) from None
    text = make_checkpoint(c.contract.contract, state.events, key, state=state_sha256(data))
    return Checkpointed(backend.name, state, text, str(options.state))


@dataclass(frozen=True)
class Repaired:
    """What a repair cut (None: nothing to cut); `atomic` when the backend never tears."""

    name: str
    torn: Torn | None
    atomic: bool


def ledger_repair(ledger: LedgerName) -> Repaired:
    """Cut a torn last line (and only that), recording the cut beside the ledger; LedgerRefused
    (exit 1) when the ledger has any other problem (evidence is never removed)."""
    backend = open_ledger(ledger)
    if backend.atomic:
        return Repaired(backend.name, None, True)
    return Repaired(backend.name, backend.repair(), False)


@dataclass(frozen=True)
class KeysOptions:
    """`keys new`: the party, and the folder for PARTY.key (0600) and PARTY.pub."""

    party: str
    out: str | Path


def new_keys(options: KeysOptions) -> tuple[Path, Path]:
    """Write a party's Ed25519 key pair; (private, public). LedgerError if either exists."""
    from datacontract.ledger.keys import new_keys as write_keys

    return write_keys(options.party, Path(options.out))
