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

from collections.abc import Iterable, Mapping
from dataclasses import replace

from datacontract.check.compile import CompiledDataset
from datacontract.contract.model import Contract
from datacontract.contract.names import (
    WITHHELD_ARTICLE,
    WITHHELD_ROLES,
    WITHHELD_RULE,
    WITHHELD_VERSION,
    LedgerNames,
)
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


# The rules a hook records of its own (flow/record.py, flow/hop.py): cited with an article
# the contract gives a party, role, hop, dataset or invariant.
# (flow/hop.py cites its own words when the contract has no invariant of the kind).
_HOOK_RULES = (
    "authority",
    "received_once",
    "hash_travels_with_file",
    "manifest_signed",
    "declared_flow_only",
)
_HOOK_ARTICLES = ("the hash manifest", "the contract's declared flow")


def ledger_names(contract: Contract) -> LedgerNames:
    """`LedgerNames.of(contract)` with the rules whose breach a hook may record: each dataset
    rule (check/compile.py) with its article, each invariant with its article, and the hook's
    own rules with any article the contract gives."""
    rules: dict[str, set[str]] = {}
    for ds in contract.datasets:
        for info in CompiledDataset(contract, ds).rules.values():
            rules.setdefault(info.rule, set()).update([info.article] if info.article else [])
    for inv in contract.invariants:
        rules.setdefault(inv.id, set()).add(inv.article)
    articles = {*_articles(contract.model_dump()), *_HOOK_ARTICLES}
    for rule in _HOOK_RULES:
        rules.setdefault(rule, set()).update(articles)
    return LedgerNames.of(contract, {r: frozenset(a) for r, a in rules.items()})


def _articles(value: object) -> Iterable[str]:
    """Every `article` string in a dumped contract, at any depth."""
    if isinstance(value, Mapping):
        for key, v in value.items():
            if key == "article" and isinstance(v, str):
                yield v
            else:
                yield from _articles(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _articles(v)


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
    if message.code == "recorded_violation.rule":
        return _rule_withheld(message, names)
    kinds = CATALOGUE[message.code].values
    return Message(
        message.code,
        tuple((key, _value(key, kinds.get(key, ""), v, names)) for key, v in message.values),
    )


def _rule_withheld(message: Message, names: LedgerNames) -> Message:
    """A recorded finding's rule and article as the ledger holds them: the rule only when the
    contract declares it, the article only when the contract gives it that rule."""
    values = dict(message.values)
    rule, article = values.get("rule"), values.get("article")
    shown_rule: Value = rule if names.rule_shown(rule) and rule is not None else say(WITHHELD_RULE)
    shown_article: Value = (
        article
        if names.article_shown(rule, article) and article is not None
        else say(WITHHELD_ARTICLE)
    )
    shown = {"rule": shown_rule, "article": shown_article}
    # a withheld part is a nested message, as _value says a withheld name (say() checks kinds)
    return Message(message.code, tuple((k, shown.get(k, v)) for k, v in message.values))


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


def texts_withheld(events: Iterable[Event], names: LedgerNames, version: str) -> list[Event]:
    """The events with their free text as the contract declares it (`lineage export`): each
    recorded finding reduced to its rule (withheld when the contract does not declare it), the
    rule's article (withheld when not the one the contract gives it) and its count, never its
    message; a contract version not `version` said withheld."""
    return [
        e._replace(
            findings=tuple(_finding(f, names) for f in e.findings),
            contract_version=e.contract_version
            if e.contract_version == version
            else names_said(WITHHELD_VERSION),
        )
        for e in events
    ]


def names_said(code: str) -> str:
    """The English of a withheld-code (what the JSON publishes)."""
    return say(code).english


def _finding(f: Mapping[str, object], names: LedgerNames) -> dict[str, object]:
    rule, article, count = f.get("rule"), f.get("article"), f.get("count")
    return {
        "rule": rule if names.rule_shown(rule) else names_said(WITHHELD_RULE),
        "article": article if names.article_shown(rule, article) else None,
        "count": count if isinstance(count, int) and not isinstance(count, bool) else None,
    }
