"""The registry of dataset rule kinds (check/kinds/): every kind the loader accepts has one
entry, nothing else names a kind, and every field that names a column is checked at load,
whatever it is called."""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from typing import Annotated, Literal

import pytest

from datacontract.check.kinds import KINDS, kind_of
from datacontract.check.kinds.base import RuleKind
from datacontract.contract import model
from datacontract.contract.base import Model
from datacontract.contract.load import LoadedContract
from datacontract.contract.references import check_references
from datacontract.contract.refs import ColumnRef, DetectorRef, Ref, ref_fields, refs
from datacontract.contract.rules import RuleBase
from datacontract.errors import ContractError

SRC = Path(__file__).resolve().parents[2] / "src" / "datacontract"


def _union_members() -> list[type[RuleBase]]:
    union = typing.get_args(model.Rule)[0]
    return list(typing.get_args(union))


def test_every_kind_of_the_contract_model_has_one_registry_entry() -> None:
    members = _union_members()
    assert len(members) >= 10
    for cls in members:
        (name,) = typing.get_args(cls.model_fields["kind"].annotation)
        assert name in KINDS, f"rule kind {name} has no check/kinds/{name}.py"
        assert KINDS[name].params is cls
    assert set(KINDS) == {k.name for k in KINDS.values()}
    assert {k.params for k in KINDS.values()} == set(members), "an entry of no loadable kind"


def test_every_entry_says_what_its_rule_demands(loaded: LoadedContract) -> None:
    seen = set()
    for dataset in loaded.contract.datasets:
        for rule in dataset.rules:
            kind = kind_of(rule)
            assert isinstance(kind, RuleKind) and kind.demand(rule)
            assert kind.batch_check is not None or kind.file_state(dataset, rule) is not None
            seen.add(rule.kind)
    assert len(seen) >= 8


class _Toy(RuleBase):
    """A rule kind that exists only here, with fields no list in the code knows."""

    kind: Literal["toy"]
    watched: ColumnRef
    many: tuple[ColumnRef, ...] = ()
    maybe: ColumnRef | None = None
    scanner: DetectorRef = "insz"


def test_every_name_a_rule_kind_declares_is_one_the_loader_can_look_up() -> None:
    known = {"column", "detector", "party", "channel", "dataset", "hop", "milestone"}
    for cls in _union_members():
        assert {m.what for m in ref_fields(cls).values()} <= known, cls.__name__


def test_the_markers_are_found_in_any_annotation() -> None:
    assert set(ref_fields(_Toy)) == {"watched", "many", "maybe", "scanner"}


class _Holder(Model):
    party: Annotated[str, Ref("party")]
    inner: tuple[_Toy, ...] = ()


def test_the_walk_follows_the_models_a_model_holds() -> None:
    toy = _Toy.model_validate(
        {"id": "d.t", "kind": "toy", "article": "a", "watched": "x", "many": ["y"]}
    )
    found = [(where, name, m.what) for where, name, m in refs(_Holder(party="p", inner=(toy,)))]
    assert found == [
        (("party",), "p", "party"),
        (("inner", 0, "watched"), "x", "column"),
        (("inner", 0, "many", 0), "y", "column"),
        (("inner", 0, "scanner"), "insz", "detector"),
    ]


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"watched": "nope"}, "unknown column of dataset_1 'nope'"),
        ({"many": ("insz", "nope")}, "unknown column of dataset_1 'nope'"),
        ({"maybe": "nope"}, "unknown column of dataset_1 'nope'"),
        ({"scanner": "nope"}, "unknown detector 'nope'"),
    ],
)
def test_a_new_field_naming_a_column_is_checked_at_load(
    loaded: LoadedContract, fields: dict[str, object], said: str
) -> None:
    contract = loaded.contract
    dataset = contract.datasets[0]
    good = {"id": "dataset_1.toy", "kind": "toy", "article": "art. 1", "watched": "insz"}
    toy = _Toy.model_validate(good)
    assert dataset.id == "dataset_1" and dataset.column("insz") is not None

    def with_rule(rule: _Toy) -> model.Contract:
        changed = dataset.model_copy(update={"rules": (*dataset.rules, rule)})
        return contract.model_copy(update={"datasets": (changed, *contract.datasets[1:])})

    check_references(with_rule(toy), {}, "toy.yaml")  # every name points somewhere
    with pytest.raises(ContractError, match=said):
        check_references(with_rule(toy.model_copy(update=fields)), {}, "toy.yaml")


# Who may name a rule kind: its parameter model, the model's re-exports, and its own module.
MAY_NAME = {"contract/rules.py", "contract/model.py"}


def test_no_module_but_its_own_names_a_rule_kind() -> None:
    classes = {cls.__name__ for cls in _union_members()}
    kinds = set(KINDS)
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        where = str(path.relative_to(SRC))
        if where in MAY_NAME or where.startswith("check/kinds/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = (isinstance(node, ast.Name) and node.id in classes) or (
                isinstance(node, ast.Attribute) and node.attr in classes
            )
            compared = (
                isinstance(node, ast.Compare)
                and any(isinstance(n, ast.Attribute) and n.attr == "kind" for n in [node.left])
                and any(isinstance(c, ast.Constant) and c.value in kinds for c in node.comparators)
            )
            if named or compared:
                offenders.append(f"{where}:{getattr(node, 'lineno', 0)}")
    assert offenders == [], "ask check/kinds (kind_of) instead: " + ", ".join(offenders)
