"""A ledger event: its fields, and the checks every line and every draft must pass.

Shared by the reader and the writer (ledger/chain.py) and the reader's fast path (ledger/fast.py).
Problem messages name fields, never their values.
"""

from __future__ import annotations

import hashlib
import operator
import sys
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from datacontract.ledger.canonical import aware_time, canonical_json, is_sha256
from datacontract.messages import Message, say

EVENT_KINDS = ("sent", "received", "destroyed", "milestone", "made")


GENESIS = "0" * 64  # the prev of the first event


class Event(NamedTuple):
    """One line of the ledger: a send, receipt, destruction, milestone or made dataset.

    Immutable. A NamedTuple rather than a frozen dataclass: a million of them are built when a
    large ledger is proven, and a tuple is built three times as fast.
    """

    seq: int  # 1, 2, 3, ... no gaps
    time: str  # ISO 8601 with offset
    kind: str  # one of EVENT_KINDS
    party: str | None  # sent: the sender; received: the receiver; else the party concerned
    dataset: str | None
    hop: str | None
    sender: str | None
    receiver: str | None
    sha256: str | None  # of the file, for sent and received
    rows: int | None
    contract: str  # contract id
    contract_version: str
    violation: bool  # recorded with --record-violation: it breaks the contract
    findings: tuple[dict[str, object], ...]  # rule ids, articles, counts: never values
    prev: str  # hash of the event before, GENESIS for the first
    hash: str  # SHA-256 of this event's canonical JSON without the "hash" key
    milestone: str | None = None  # the milestone's id, for kind "milestone"
    # For sent and received files of a dataset that declares `keys`: an order-independent
    # digest of its key columns (validate.py), so that a payer's dataset_2 can be shown to hold
    # exactly the families of the dataset_1 it received. Absent from the line when None.
    keys: str | None = None
    # For a dataset that declares a `retention_reference`: the date its retention term counts
    # from, taken from the file by the hook (003: the last payment it reports). Absent when
    # None; never shown in a report.
    reference: str | None = None
    # For a received file whose manifest names the sent event: "SEQ:HASH" of that event, the
    # ledger's head at send as the receiver saw it (a later rewrite before it is caught).
    witness: str | None = None
    # The acting party's Ed25519 signature (base64) of the event's canonical JSON without
    # "sig" and "hash" (ledger/signing.py). Absent when the event was appended without --key.
    sig: str | None = None

    @property
    def when(self) -> datetime:
        """The time as an aware datetime (times are validated when read or written)."""
        return datetime.fromisoformat(self.time)

    def to_json(self) -> dict[str, object]:
        """The event as it stands in the ledger (canonical_json of this is its line)."""
        obj: dict[str, object] = self._asdict()
        obj["findings"] = list(self.findings)
        if obj["keys"] is None:
            del obj["keys"]
        for name in ("reference", "witness", "sig"):
            if obj[name] is None:
                del obj[name]
        return obj


@dataclass(frozen=True, kw_only=True)
class EventDraft:
    """An event before the ledger gives it its seq, prev and hash."""

    time: str
    kind: str
    contract: str
    contract_version: str
    party: str | None = None
    dataset: str | None = None
    hop: str | None = None
    sender: str | None = None
    receiver: str | None = None
    sha256: str | None = None
    rows: int | None = None
    violation: bool = False
    findings: tuple[dict[str, object], ...] = ()
    milestone: str | None = None
    keys: str | None = None
    reference: str | None = None
    witness: str | None = None


_EVENT_KEYS = Event._fields


_OPTIONAL_KEYS = ("milestone", "keys", "reference", "witness", "sig")  # absent when None


_OPTIONAL_TEXT = ("party", "dataset", "hop", "sender", "receiver", "milestone")


# What each kind must name, so that the prover never meets a half-recorded event.
_REQUIRED = {
    "sent": ("party", "dataset", "hop", "sender", "receiver", "sha256", "rows"),
    "received": ("party", "dataset", "hop", "sender", "receiver", "sha256", "rows"),
    "destroyed": ("party", "dataset"),
    "made": ("party", "dataset"),
    "milestone": ("milestone",),
}


def shape_problem(obj: dict[str, Any]) -> Message | None:
    """Why obj (an event, or a draft with seq/prev/hash) is not something the writer writes."""
    return _names_problem(obj) or _values_problem(obj)


def _names_problem(obj: dict[str, Any]) -> Message | None:
    """The checks that depend only on the names of an event (and which of sha256 and rows are
    null): the same for every line that names the same parties, hop and dataset."""
    for name in ("contract", "contract_version"):
        if not isinstance(obj[name], str) or not obj[name]:
            return say("shape.text", field=name)
    kind = obj["kind"]
    if kind not in EVENT_KINDS:
        return say("shape.kind", kinds=tuple(EVENT_KINDS))
    for name in _OPTIONAL_TEXT:
        if obj[name] is not None and (not isinstance(obj[name], str) or not obj[name]):
            return say("shape.text_or_null", field=name)
    missing = tuple(name for name in _REQUIRED[kind] if obj[name] is None)
    if missing:
        return say("shape.must_name", kind=kind, missing=missing)
    if kind == "sent" and obj["party"] != obj["sender"]:
        return say("shape.sent_party")
    if kind == "received" and obj["party"] != obj["receiver"]:
        return say("shape.received_party")
    return None


def _values_problem(obj: dict[str, Any]) -> Message | None:
    """The checks of the values that change from line to line."""
    if obj["sha256"] is not None and not is_sha256(obj["sha256"]):
        return say("shape.sha256")
    rows = obj["rows"]
    if rows is not None and (type(rows) is not int or rows < 0):
        return say("shape.rows")
    if type(obj["violation"]) is not bool:
        return say("shape.violation")
    findings = obj["findings"]
    if not isinstance(findings, list | tuple) or not all(_finding_shaped(f) for f in findings):
        return say("shape.findings")
    return None


# What a hook writes of a finding (flow/record.py Finding.to_json): an allow-list, so that an
# event carries no other free text for an output to print.
_FINDING_KEYS = frozenset({"rule", "article", "count", "message"})


def _finding_shaped(f: object) -> bool:
    """A finding as a hook writes it: a rule id, an article or null, a count or null, and a
    message; no other key."""
    if not isinstance(f, dict) or not set(f) <= _FINDING_KEYS or not isinstance(f.get("rule"), str):
        return False
    count = f.get("count")
    return (
        (f.get("article") is None or isinstance(f["article"], str))
        and (count is None or (type(count) is int and count >= 0))
        and (f.get("message") is None or isinstance(f["message"], str))
    )


def is_day(value: object) -> bool:
    """A date as the hooks record it: YYYY-MM-DD."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        return date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def is_witness(value: object) -> bool:
    """SEQ:HASH, the head of a ledger as a manifest carries it (SEQ 0 is the empty ledger)."""
    if not isinstance(value, str) or value.count(":") != 1:
        return False
    seq, head = value.split(":")
    return seq.isascii() and seq.isdigit() and str(int(seq)) == seq and is_sha256(head)


_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def is_signature(value: object) -> bool:
    """A base64 Ed25519 signature: 64 bytes, 88 characters ending in '=='."""
    return (
        isinstance(value, str)
        and len(value) == 88
        and value.endswith("==")
        and set(value[:86]) <= _B64
    )


class NotAnEvent(Exception):
    """A ledger line that is not an event; `said` is why (a code of messages/catalogue.py)."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.english)
        self.said = said


_KNOWN_KEYS = frozenset(_EVENT_KEYS)


_KEYS_WITHOUT_MILESTONE = tuple(name for name in _EVENT_KEYS if name not in _OPTIONAL_KEYS)


_GET_FIELDS = operator.itemgetter(*_KEYS_WITHOUT_MILESTONE)


# Names and ids repeat on every line; one shared copy each keeps a large ledger small.
REPEATED = (
    "kind",
    "party",
    "dataset",
    "hop",
    "sender",
    "receiver",
    "contract",
    "contract_version",
    "milestone",
)


def event_fields(obj: object) -> tuple[dict[str, Any], datetime]:
    """The fields of an Event from a parsed ledger line, and its time; NotAnEvent if not one.

    An allow-list: a field this version does not know is refused (NotAnEvent), so that what a
    party signed (signing.py: the event's known fields) is the whole event; a field added to
    a signed line, even with the chain rehashed, makes the line not an event.
    """
    if not isinstance(obj, dict):
        raise NotAnEvent(say("shape.not_object"))
    if not _KNOWN_KEYS.issuperset(obj):
        # the unknown name itself is not repeated: it is not declared anywhere
        raise NotAnEvent(say("shape.unknown_field", count=len(set(obj) - _KNOWN_KEYS)))
    try:
        values = dict(zip(_KEYS_WITHOUT_MILESTONE, _GET_FIELDS(obj), strict=True))
    except KeyError:
        missing = tuple(name for name in _KEYS_WITHOUT_MILESTONE if name not in obj)
        raise NotAnEvent(say("shape.lacks", missing=missing)) from None
    values["milestone"] = obj.get("milestone")
    values["keys"] = obj.get("keys")
    if values["keys"] is not None and not is_sha256(values["keys"]):
        raise NotAnEvent(say("shape.keys"))
    values["reference"] = obj.get("reference")
    if values["reference"] is not None and not is_day(values["reference"]):
        raise NotAnEvent(say("shape.reference"))
    values["witness"] = obj.get("witness")
    if values["witness"] is not None and not is_witness(values["witness"]):
        raise NotAnEvent(say("shape.witness"))
    values["sig"] = obj.get("sig")
    if values["sig"] is not None and not is_signature(values["sig"]):
        raise NotAnEvent(say("shape.sig"))
    problem = check_names(values) or _values_problem(values)
    if problem is not None:
        raise NotAnEvent(problem)
    if type(values["seq"]) is not int or values["seq"] < 1:
        raise NotAnEvent(say("shape.seq"))
    if not (is_sha256(values["prev"]) and is_sha256(values["hash"])):
        raise NotAnEvent(say("shape.hashes"))
    when = aware_time(values["time"])
    if when is None:
        raise NotAnEvent(say("shape.time"))
    values["findings"] = tuple(values["findings"])
    return values, when


# The names of an event repeat on almost every line: their check and one shared (interned)
# copy of each are kept per combination, so that a large ledger is read fast and kept small.
_NAMES_SEEN: dict[tuple[object, ...], tuple[dict[str, Any], Message | None]] = {}


GET_NAMES = operator.itemgetter(*REPEATED)


NAMES_LIMIT = 65_536


def check_names(values: dict[str, Any]) -> Message | None:
    """_names_problem, cached per combination of names; puts the shared copies in values."""
    key = (GET_NAMES(values), values["sha256"] is None, values["rows"] is None)
    try:
        seen = _NAMES_SEEN.get(key)
    except TypeError:  # a list or object where a name belongs: not cacheable
        return _names_problem(values)
    if seen is None:
        problem = _names_problem(values)
        shared = {
            n: sys.intern(v) if isinstance(v, str) else v
            for n, v in zip(REPEATED, key[0], strict=True)
        }
        if len(_NAMES_SEEN) >= NAMES_LIMIT:
            _NAMES_SEEN.clear()
        seen = _NAMES_SEEN[key] = (shared, problem)
    values.update(seen[0])
    return seen[1]


def digest(body: dict[str, object]) -> str:
    """The hash of an event: SHA-256 of the canonical JSON of its fields without "hash"."""
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
