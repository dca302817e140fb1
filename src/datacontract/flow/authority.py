"""Who may say what: every event has an author the contract allows, and that author's key.

The ledger's chain shows that an event was not changed; this module says whether its author was
allowed to make it (an allow-list, from the contract alone):

- ``sent`` and ``received``: by the sender and the receiver it names (ledger/event.py); a
  transfer outside the declared hops is `declared_only`'s breach and counts toward the flow,
  since it burdens its own author (the hooks refuse it unless recorded as a violation);
- ``made``: by a party the dataset's ``made_by`` names;
- ``destroyed``: by a party that can hold the dataset: its maker, or a receiver of a hop that
  carries it;
- ``milestone``: by the party the milestone names (``milestones[].party``); a milestone that
  names none may be recorded by any party of the contract.

A milestone, a destruction or a making out of role is refused by the hooks (flow/record.py:
exit 1, nothing recorded) and is a breach of ``ledger_intact`` in `ledger verify --contract`
and `prove` (kind ``out_of_role``, naming the article that gives the event to its author); it
does not count toward the flow (the prover leaves it out, as it leaves out unsigned and forged
events: UNCOUNTED).

A delivery is received once: a second receipt of the same sent event (the same witness, or
more receipts of one file on one hop between the same parties than sends of it) is refused by
the hook and is a breach (kind ``replayed``).

Keys: a contract binds a party to its Ed25519 public keys with ``parties[].keys``. Once any
party declares keys, every event must be signed by a key its author declares (declared_keys);
a keyring folder given as well must agree with them (bound_keys). Without declared keys the
keyring (``--keyring``) is what binds parties to keys. Messages name parties, hops, datasets and
milestones the contract declares, and event numbers: never an undeclared name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from datacontract.contract.model import Contract
from datacontract.errors import LedgerError, UsageError
from datacontract.ledger.chain import Event, LedgerProblem, LedgerState
from datacontract.ledger.keys import Signer, check_distinct, public_from_text, same_key
from datacontract.ledger.signing import Keyring, keys_of
from datacontract.messages import Events, Message, say

# The kinds of ledger problem whose event does not count toward the flow: its author may not
# make it, it answers a delivery already received, or no key of its author signed it.
UNCOUNTED = frozenset({"out_of_role", "replayed", "unsigned", "forged"})


def role_problem(contract: Contract, e: Event) -> Message | None:
    """Why the contract does not let e's author make e (None when it does)."""
    if e.kind in ("sent", "received"):
        # The author of a transfer is its sender or receiver (event.py); whether it may move
        # that dataset on that hop is the declared flow's question (declared_only): a transfer
        # out of the flow, recorded when it happened, is evidence against its author and
        # counts toward the flow.
        return None
    cited = Events((e.seq,))
    if e.party is None:
        return say("role.no_party", event=cited)
    if contract.party(e.party) is None:
        return say("role.undeclared", event=cited, what=say("role.party"))
    if e.kind == "milestone":
        declared = next((m for m in contract.milestones if m.id == e.milestone), None)
        if declared is None:
            return say("role.undeclared", event=cited, what=say("role.milestone"))
        what = say("role.what.milestone", milestone=declared.id)
        if declared.party is not None and e.party != declared.party:
            return _out(cited, e.party, what, (declared.party,), declared.article)
        return None
    dataset = contract.dataset(e.dataset) if e.dataset is not None else None
    if dataset is None:
        return say("role.undeclared", event=cited, what=say("role.dataset"))
    if e.kind == "made":
        if e.party not in dataset.made_by:
            what = say("role.what.made", dataset=dataset.id)
            return _out(cited, e.party, what, dataset.made_by, dataset.article)
        return None
    holders = holders_of(contract, dataset.id)
    if e.party not in holders:
        what = say("role.what.destroyed", dataset=dataset.id)
        return _out(cited, e.party, what, holders, dataset.article)
    return None


def holders_of(contract: Contract, dataset: str) -> tuple[str, ...]:
    """The parties that can hold a dataset: its makers and the receivers of hops carrying it."""
    d = contract.dataset(dataset)
    found = list(d.made_by) if d is not None else []
    found += [r for h in contract.hops if h.dataset == dataset for r in h.receiver]
    return tuple(dict.fromkeys(found))


def _out(cited: Events, party: str, what: Message, allowed: Iterable[str], article: str) -> Message:
    return say(
        "role.out", event=cited, party=party, what=what, allowed=tuple(allowed), article=article
    )


def delivery(e: Event) -> tuple[str | None, ...]:
    """What identifies the delivery a transfer event belongs to: its hop, parties and file."""
    return (e.hop, e.sender, e.receiver, e.dataset, e.sha256)


def replays(events: Iterable[Event]) -> list[tuple[Event, int]]:
    """Every receipt of a delivery already received, with the seq of the first receipt: a
    receipt with the witness of an earlier one, or more receipts of a delivery than sends."""
    sends: Counter[tuple[str | None, ...]] = Counter()
    receipts: dict[tuple[str | None, ...], list[int]] = {}
    witnessed: dict[str, int] = {}
    out = []
    for e in events:
        if e.kind == "sent":
            sends[delivery(e)] += 1
        elif e.kind == "received":
            key = delivery(e)
            earlier = receipts.setdefault(key, [])
            first = witnessed.get(e.witness) if e.witness is not None else None
            if first is None and earlier and len(earlier) >= sends[key]:
                first = earlier[0]
            if first is not None:
                out.append((e, first))
                continue
            earlier.append(e.seq)
            if e.witness is not None:
                witnessed[e.witness] = e.seq
    return out


def replay_message(e: Event, first: int) -> Message:
    return say("role.replayed", event=Events((e.seq,)), first=Events((first,)))


def audited(contract: Contract, state: LedgerState) -> LedgerState:
    """state, with a problem for every event out of role, every replayed receipt and every
    event that names a contract version not the contract's (not shown)."""
    found: list[LedgerProblem] = []
    line_of = {e.seq: n for n, e in enumerate(state.events, start=1)}
    for e in state.events:
        problem = role_problem(contract, e)
        if problem is not None:
            found.append(LedgerProblem("out_of_role", line_of[e.seq], e.seq, problem))
    for e, first in replays(state.events):
        said = replay_message(e, first)
        found.append(LedgerProblem("replayed", line_of[e.seq], e.seq, said))
    for e in state.events:
        if e.contract_version != contract.version:  # the writer's text: never echoed
            said = say("version.other", event=Events((e.seq,)))
            found.append(LedgerProblem("other_version", line_of[e.seq], e.seq, said))
    found.sort(key=lambda p: p.line)
    return LedgerState(state.events, state.problems + tuple(found))


def uncounted(state: LedgerState) -> frozenset[int]:
    """The seqs of the events that do not count toward the flow (see UNCOUNTED)."""
    return frozenset(p.seq for p in state.problems if p.kind in UNCOUNTED and p.seq is not None)


def standing(state: LedgerState, keys_checked: bool) -> dict[int, str]:
    """What each event of an audited ledger is as evidence, by seq (for the proof's documents):
    the kind of its problem when it does not count (UNCOUNTED: out_of_role, replayed, unsigned,
    forged), else "verified" (signed, and its signature checked against bound keys:
    keys_checked), "signed" (signed, no keys to check it against) or "unsigned"."""
    bad = {p.seq: p.kind for p in state.problems if p.kind in UNCOUNTED and p.seq is not None}
    out = {}
    for e in state.events:
        if e.seq in bad:
            out[e.seq] = bad[e.seq]
        elif e.sig is None:
            out[e.seq] = "unsigned"
        else:
            out[e.seq] = "verified" if keys_checked else "signed"
    return out


def counted(contract: Contract, state: LedgerState) -> LedgerState:
    """The ledger as a hook's flow check sees it: without events out of role or replayed."""
    out = {e.seq for e in state.events if role_problem(contract, e) is not None}
    out |= {e.seq for e, _ in replays(state.events)}
    if not out:
        return state
    return LedgerState(tuple(e for e in state.events if e.seq not in out), state.problems)


# --- keys ------------------------------------------------------------------------------------


def declared_keys(contract: Contract) -> dict[str, tuple[Ed25519PublicKey, ...]] | None:
    """Each party's keys as the contract declares them (`parties[].keys`), None when no party
    declares any. UsageError (exit 2) for a key that is not an Ed25519 public key, or one key
    declared for two parties."""
    if not any(p.keys for p in contract.parties):
        return None
    out: dict[str, tuple[Ed25519PublicKey, ...]] = {}
    for p in contract.parties:
        keys = []
        for n, text in enumerate(p.keys, start=1):
            key = public_from_text(text)
            if key is None:
                raise UsageError(
                    f"contract {contract.contract}: parties[{p.id}].keys[{n}] is not an Ed25519 "
                    "public key"
                )
            keys.append(key)
        out[p.id] = tuple(keys)
    flat = {f"{party} (key {n})": k for party, ks in out.items() for n, k in enumerate(ks, 1)}
    try:
        check_distinct(flat, f"contract {contract.contract}")
    except LedgerError as exc:  # a mistake of the contract: said as one
        raise UsageError(str(exc)) from None
    return out


def bound_keys(
    contract: Contract, keyring: Mapping[str, Ed25519PublicKey] | None
) -> Keyring | None:
    """The keys that bind each party: the contract's, when it declares any (a keyring given as
    well must give each party one of the keys the contract declares for it: UsageError
    otherwise); else the keyring; None when neither binds any."""
    declared = declared_keys(contract)
    if declared is None:
        return keyring
    for party, key in (keyring or {}).items():
        if contract.party(party) is None:
            continue  # a keyring may serve several contracts
        if not any(same_key(key, k) for k in declared.get(party, ())):
            raise UsageError(
                f"the keyring's key of {party} is not one the contract {contract.contract} "
                "declares for it (parties[].keys)"
            )
    return declared


def signer_problem(
    contract: Contract, party: str | None, signer: Signer | None, keyring: Keyring | None
) -> Message | None:
    """Why a hook may not append an event of `party` signed by `signer` (None when it may):
    the contract declares keys and the event is unsigned, or keys are bound (the contract's,
    or a keyring's) and the key is not one of the party's. (A keyring alone does not make
    signing compulsory: `hop receive --keyring` checks a manifest; append.py refuses an
    unsigned event once the ledger holds a signed one.)"""
    if keyring is None or party is None:
        return None
    if signer is None:
        declared = any(p.keys for p in contract.parties)
        return say("key.unsigned", party=party) if declared else None
    if not any(same_key(signer.public(), k) for k in keys_of(keyring, party)):
        return say("key.not_party", party=party)
    return None
