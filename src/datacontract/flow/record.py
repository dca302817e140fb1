"""Recording what a hook decided: its findings, its refusal, and the append with the flow
check run again under the ledger's lock (shared by hop.py and duties.py).

Before any flow check, and again under the lock, the event's author must be allowed to make it
(flow/authority.py: its role, its key, a delivery received once): an event out of role is
refused even with record_violation (a party cannot record, even as a violation, what only
another may say), and the flow is checked on the events that count.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.check.results import ROW_BASE
from datacontract.contract.load import LoadedContract
from datacontract.contract.names import LedgerNames
from datacontract.errors import ViolationError
from datacontract.flow import authority, prover
from datacontract.flow.withheld import message_withheld
from datacontract.ledger import store
from datacontract.ledger.append import Appending
from datacontract.ledger.chain import Event, EventDraft, LedgerState
from datacontract.ledger.keys import Signer
from datacontract.messages import Message, Voice, render, say


@dataclass(frozen=True)
class Finding:
    """Why a hook refuses: a rule, its article, and plain words without values."""

    rule: str
    article: str | None
    message: str
    count: int = 1
    rows: tuple[int, ...] = ()  # a few data rows, as `validate` gives them (ROW_BASE)

    def line(self) -> str:
        """The finding as one line of a hook's refusal: the same words and rows as
        `validate`'s line, without the file."""
        cited = f" ({self.article})" if self.article else ""
        rows = f"; rows {', '.join(str(r) for r in self.rows)}" if self.rows else ""
        if self.rows and self.count > len(self.rows):
            rows += " ..."
        return f"{self.rule}{cited}: {self.message}{rows}"

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "article": self.article,
            "count": self.count,
            "message": self.message,
        }


class Refused(ViolationError):
    """The hook refused: nothing was recorded."""

    def __init__(self, what: str, findings: list[Finding]) -> None:
        self.findings = tuple(findings)
        lines = [f"{what} refused, nothing recorded:"]
        lines += [f"  - {f.line()}" for f in findings]
        if any(f.rows for f in findings):
            lines.append(f"(row numbers: {ROW_BASE})")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Recorded:
    """What a hook appended. `findings` is empty unless it was recorded as a violation."""

    event: Event
    findings: tuple[Finding, ...] = ()
    manifest: Path | None = None


@dataclass(frozen=True)
class Acting:
    """Who appends, and how: the ledger, the acting party's key, whether --at was given."""

    ledger: store.Ledger
    key: Signer | None = None
    stamp: bool = False  # no --at: the event's time is taken under the ledger's lock
    keyring: Mapping[str, Ed25519PublicKey] | None = (
        None  # --keyring: each party's public key (the hook checks --key)
    )


def append_checked(
    loaded: LoadedContract,
    acting: Acting,
    draft: EventDraft,
    findings: list[Finding],
    record_violation: bool,
    what: str,
    prepare: Callable[[Event], Callable[[], None]] | None = None,
) -> tuple[Event, list[Finding]]:
    """Append the event unless something is wrong; the flow check runs under the lock."""
    state = store.read(acting.ledger)
    authority_refusal = authority_findings(loaded, acting, state, draft)
    if authority_refusal or (findings and not record_violation):
        raise Refused(what, findings + authority_refusal)
    # an invariant the hook already judged with more words (keys_compare.py) is said once
    flow = [
        f for f in flow_findings(loaded, state, draft) if f.rule not in {g.rule for g in findings}
    ]
    if flow and not record_violation:
        raise Refused(what, flow)
    if draft.kind in ("sent", "received") and None in (draft.dataset, draft.sender, draft.receiver):
        # a transfer on a hop the contract does not declare names no dataset and no parties:
        # there is nothing to record, even as a violation
        raise Refused(what, findings + flow)
    everything = findings + flow
    if everything:
        draft = dataclasses.replace(
            draft, violation=True, findings=tuple(f.to_json() for f in everything)
        )

    def under_lock(state: LedgerState) -> None:
        authorised(loaded, acting, state, draft, what)
        late = flow_findings(loaded, state, draft)
        if late and not record_violation:
            raise Refused(what, late)

    how = Appending(check=under_lock, stamp=acting.stamp, signer=acting.key, prepare=prepare)
    return store.append(acting.ledger, draft, how), everything


def append_duty(
    loaded: LoadedContract,
    acting: Acting,
    draft: EventDraft,
    what: str,
    check: Callable[[LedgerState], None] | None = None,
) -> Event:
    """Append an event that is not a transfer (destroy, made, milestone): its author checked
    before and under the lock (authorised), then `check` under the lock."""
    authorised(loaded, acting, store.read(acting.ledger), draft, what)

    def under_lock(state: LedgerState) -> None:
        authorised(loaded, acting, state, draft, what)
        if check is not None:
            check(state)

    how = Appending(check=under_lock, stamp=acting.stamp, signer=acting.key)
    return store.append(acting.ledger, draft, how)


def authorised(
    loaded: LoadedContract, acting: Acting, state: LedgerState, draft: EventDraft, what: str
) -> None:
    """Refused (exit 1) unless the draft's author may make it: see authority_findings."""
    out = authority_findings(loaded, acting, state, draft)
    if out:
        raise Refused(what, out)


def authority_findings(
    loaded: LoadedContract, acting: Acting, state: LedgerState, draft: EventDraft
) -> list[Finding]:
    """Why the draft's author may not make it (empty when it may): its role in the contract,
    its key where keys are bound (the contract's, or the keyring's), and, for a receipt, a
    delivery not yet received (flow/authority.py). Never waived by record_violation."""
    c = loaded.contract
    if not state.intact:
        return []  # append refuses a broken ledger itself, naming the line
    candidate = _as_event(draft, state)
    out = []
    role = authority.role_problem(c, candidate)
    if role is not None:
        article = role.get("article")
        out.append(
            Finding(
                "authority",
                article if isinstance(article, str) else None,
                _unrecorded(role, [candidate], state),
            )
        )
    bound = authority.bound_keys(c, acting.keyring)
    key = authority.signer_problem(c, draft.party, acting.key, bound)
    if key is not None:
        party = c.party(draft.party) if draft.party is not None else None
        out.append(Finding("authority", party.article if party else None, key.english))
    if draft.kind == "received":
        seen = authority.counted(c, state).events
        for _, first in authority.replays([*seen, candidate]):
            said = authority.replay_message(candidate, first)
            article = _replay_article(loaded)
            refusal = _unrecorded(message_withheld(said, LedgerNames.of(c)), [candidate], state)
            out.append(Finding("received_once", article, refusal))
    return out


def _replay_article(loaded: LoadedContract) -> str | None:
    """A receipt answers one send: the article of the contract's received_matches_sent."""
    return next(
        (i.article for i in loaded.contract.invariants if i.kind == "received_matches_sent"),
        None,
    )


def flow_findings(loaded: LoadedContract, state: LedgerState, draft: EventDraft) -> list[Finding]:
    if not state.intact:
        return []  # append refuses a broken ledger itself, naming the line
    state = authority.counted(loaded.contract, state)  # only what its authors may say counts
    candidates = [_as_event(draft, state)]
    if draft.kind == "sent":
        # judge a send as if it had arrived: refuse before the data leave
        candidates.append(
            candidates[0]._replace(seq=candidates[0].seq + 1, kind="received", party=draft.receiver)
        )
    when = datetime.fromisoformat(draft.time)
    out: list[Finding] = []
    seen: set[str] = set()
    names = LedgerNames.of(loaded.contract)  # a refusal prints no undeclared name either
    for verdict in prover.breaks(loaded, state, candidates, at=when):
        if verdict.invariant in seen:
            continue
        seen.add(verdict.invariant)
        message = (
            _unrecorded(message_withheld(verdict.counterexamples[0].said, names), candidates, state)
            if verdict.counterexamples
            else verdict.title
        )
        out.append(Finding(verdict.invariant, verdict.article, message))
    return out


def _unrecorded(said: Message, candidates: list[Event], state: LedgerState) -> str:
    """A refusal names the events it would add in words, never by a sequence number the ledger
    does not hold (`event 35` is the transfer being refused, `event 36` the arrival of it),
    and the earlier events it compares with by number, kind and time ("event 22 (receipt at
    2025-06-02T10:00:00+02:00)"), so that the one refused can find them without the ledger."""
    kind = candidates[0].kind
    what = say(f"what.{kind}" if kind in _OWN_WORD else "what.event")
    words = {candidates[0].seq: say("event.this", what=what)}
    if len(candidates) > 1:
        words[candidates[1].seq] = say("event.arrival")

    def cite(seq: int) -> Message | None:
        if seq in words:
            return words[seq]
        earlier = state.events[seq - 1] if 0 < seq <= len(state.events) else None
        if earlier is None or earlier.seq != seq:
            return None  # cited by number alone
        said_kind = say(f"what.{earlier.kind}" if earlier.kind in _OWN_WORD else "what.event")
        return say("event.dated", seq=seq, what=said_kind, time=earlier.time)

    return render(said, voice=Voice("en", cite=cite))


# the kinds of event a hook adds that have a word of their own (what.<kind>); any other: "event"
_OWN_WORD = ("sent", "received", "destroyed", "made")


def _as_event(draft: EventDraft, state: LedgerState) -> Event:
    last = state.events[-1] if state.events else None
    fields = {f.name: getattr(draft, f.name) for f in dataclasses.fields(draft)}
    return Event(
        seq=(last.seq + 1) if last else 1,
        prev=last.hash if last else "",
        hash="",
        **fields,
    )
