"""A proof as every output may print it: no name a ledger's event carries that the contract
does not declare (contract/names.py `LedgerNames`, rule 4).

The prover folds the ledger as written, so its verdicts, counterexamples, holdings and ledger
problems hold the names the events carry; `withhold` returns the same proof with each such name
that the contract does not declare in its role said in its place ("a party not in the
contract"): in a message as a nested message (said in the page's language), in the
counterexamples' and holdings' name lists as the English words the JSON publishes. The events
themselves (`records`, not in the JSON) stay as read: the appendix, the graph and the
OpenLineage export label them with the same `LedgerNames`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from datacontract.contract.names import WITHHELD_ROLES, LedgerNames
from datacontract.flow.lineage import Holding
from datacontract.flow.proof import Counterexample, Proof, Verdict
from datacontract.ledger.chain import Event, LedgerProblem, LedgerState
from datacontract.messages import Message, Value, say
from datacontract.messages.catalogue import CATALOGUE

_DATASET_VALUES = "dataset datasets declared held first second source_dataset contact background"

# The values of a message (by their name in the catalogue) that hold a name an event carried,
# and the role it has there; a value of another name (an article, a field, a keyring) is the
# contract's or ours.
_ROLES = {
    **dict.fromkeys(("party", "sender", "receiver", "who", "parties", "allowed"), "party"),
    **dict.fromkeys(_DATASET_VALUES.split(), "dataset"),
    **dict.fromkeys(("hop", "hops", "after", "source_hop"), "hop"),
    "milestone": "milestone",
}
_NAMES = ("name", "names", "hop", "hops")  # the catalogue's kinds of a name


def withhold(proof: Proof, names: LedgerNames) -> Proof:
    """`proof` with every undeclared name its verdicts, holdings, problems and scope carry
    said as withheld (see the module)."""
    damage = proof.evidence.damage
    evidence = (
        replace(proof.evidence, damage=replace(damage, said=message_withheld(damage.said, names)))
        if damage is not None
        else proof.evidence
    )
    return replace(
        proof,
        verdicts=tuple(_verdict(v, names) for v in proof.verdicts),
        holdings=tuple(_holding(h, names) for h in proof.holdings),
        problems=tuple(_problem(p, names) for p in proof.problems),
        scope=tuple(message_withheld(m, names) for m in proof.scope),
        evidence=evidence,
    )


def message_withheld(message: Message, names: LedgerNames) -> Message:
    """`message` with each value that names a party, dataset, hop or milestone the contract
    does not declare replaced by what is said in its place."""
    kinds = CATALOGUE[message.code].values
    return Message(
        message.code,
        tuple((key, _value(key, kinds.get(key, ""), v, names)) for key, v in message.values),
    )


def _value(key: str, kind: str, value: Value, names: LedgerNames) -> Value:
    if isinstance(value, Message):
        return message_withheld(value, names)
    role = _ROLES.get(key)
    if role is None or kind not in _NAMES:
        if isinstance(value, tuple) and value and isinstance(value[0], Message):
            return tuple(message_withheld(v, names) for v in value if isinstance(v, Message))
        return value
    if isinstance(value, str) and not names.declared(value):
        return say(WITHHELD_ROLES[role])
    if isinstance(value, tuple):
        return tuple(str(v) if names.declared(str(v)) else names.label(role, str(v)) for v in value)
    return value


def _verdict(v: Verdict, names: LedgerNames) -> Verdict:
    return replace(v, counterexamples=tuple(_counterexample(c, names) for c in v.counterexamples))


def _counterexample(c: Counterexample, names: LedgerNames) -> Counterexample:
    return replace(
        c,
        parties=tuple(names.label("party", p) for p in c.parties),
        datasets=tuple(names.label("dataset", d) for d in c.datasets),
        hops=tuple(names.label("hop", h) for h in c.hops),
        said=message_withheld(c.said, names),
    )


def _holding(h: Holding, names: LedgerNames) -> Holding:
    party, dataset = names.label("party", h.party), names.label("dataset", h.dataset)
    return replace(h, party=party, dataset=dataset)


def _problem(p: LedgerProblem, names: LedgerNames) -> LedgerProblem:
    return replace(p, said=message_withheld(p.said, names))


def events_withheld(
    events: Iterable[Event], names: LedgerNames, language: str = "en"
) -> list[Event]:
    """The events with each party, sender, receiver, dataset, hop and milestone the contract
    does not declare replaced by what is said in its place in `language`, numbered by first
    appearance per role ("a party not in the contract (1)", "partij niet in het contract (1)";
    a sender or receiver is a party): the same name the same label throughout, so a receipt
    still matches its send (the OpenLineage export) and the page's appendix numbers a party as
    its graph does."""
    seen: dict[tuple[str, str], int] = {}

    def said(role: str, name: str | None) -> str | None:
        if name is None or names.may_show(role, name):
            return name
        kind = "party" if role in ("sender", "receiver") else role
        number = seen.setdefault((kind, name), sum(1 for k, _ in seen if k == kind) + 1)
        return names.label(kind, name, language, number)

    fields = ("party", "sender", "receiver", "dataset", "hop", "milestone")
    return [
        e
        if all(names.may_show(f, getattr(e, f)) for f in fields)
        else e._replace(
            party=said("party", e.party),
            sender=said("party", e.sender),
            receiver=said("party", e.receiver),
            dataset=said("dataset", e.dataset),
            hop=said("hop", e.hop),
            milestone=said("milestone", e.milestone),
        )
        for e in events
    ]


def problems_withheld(state: LedgerState, names: LedgerNames) -> LedgerState:
    """`state` with each problem's message withheld as `withhold` does (`ledger verify`: a
    signature problem names the event's party)."""
    return replace(state, problems=tuple(_problem(p, names) for p in state.problems))
