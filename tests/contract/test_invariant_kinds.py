"""Issue 21: every invariant kind is declared once, typed, and checked when the contract loads.

For every invariant of each of the five contracts: a misspelt kind, a misspelt parameter, a
parameter of the wrong type and a required parameter dropped are each refused at load, with
`file:line:col` and a suggestion (the name meant or the key expected), by `lint` and by the
commands that read the contract (exit 2). Terms are counted on the calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.conftest import ROOT, run_cli

from datacontract.contract import invariants as kinds
from datacontract.contract.load import load_contract, parse_contract, read_yaml
from datacontract.contract.refs import refs
from datacontract.errors import ContractError
from datacontract.flow.kinds import KINDS

CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))


# --- one registry: drift --------------------------------------------------------------------


def test_every_declared_kind_has_one_check_and_every_check_a_kind() -> None:
    models = kinds.invariant_models()
    assert set(KINDS) == set(models) == set(kinds.KINDS)
    for name, entry in KINDS.items():
        assert entry.model is models[name], name
        assert callable(entry.check), name
        assert isinstance(entry.per_event, bool), name


def test_the_contracts_use_only_declared_kinds() -> None:
    used = {inv.kind for path in CONTRACTS for inv in load_contract(path).contract.invariants}
    assert used <= set(KINDS)


# --- terms on the calendar ------------------------------------------------------------------

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("start", "term", "due"),
    [
        ("2025-01-31", {"months": 1}, "2025-02-28"),  # the end of a shorter month
        ("2024-01-31", {"months": 1}, "2024-02-29"),  # a leap year
        ("2024-02-29", {"years": 1}, "2025-02-28"),  # a year from 29 February
        ("2024-02-29", {"years": 4}, "2028-02-29"),
        ("2025-03-31", {"months": 1}, "2025-04-30"),
        ("2025-11-30", {"months": 3}, "2026-02-28"),  # across the year's end
        ("2025-12-31", {"months": 1}, "2026-01-31"),
        ("2025-08-31", {"months": 6}, "2026-02-28"),  # "6 maanden"
        ("2025-01-01", {"weeks": 2}, "2025-01-15"),
        ("2025-01-31", {"months": 1, "days": 1}, "2025-03-01"),  # months first, then days
        ("2020-02-29", {"years": 5}, "2025-02-28"),  # "5 jaar"
        ("2025-06-15", {"months": 18}, "2026-12-15"),
    ],
)
def test_a_term_is_counted_on_the_calendar(start: str, term: dict[str, int], due: str) -> None:
    begin = datetime.fromisoformat(start).replace(hour=13, tzinfo=CET)
    after = kinds.Term.model_validate(term).after(begin)
    assert after.date().isoformat() == due
    assert (after.hour, after.tzinfo) == (13, CET)


@pytest.mark.parametrize(
    ("term", "why"),
    [
        ({"hours": 3}, "extra_forbidden"),  # an unknown unit
        ({"month": 6}, "extra_forbidden"),
        ({}, "value_error"),  # no term at all
        ({"days": 0}, "value_error"),
        ({"days": -1}, "greater_than_equal"),
        ({"months": "6"}, "int_type"),  # text is not a number
        ({"years": True}, "int_type"),
        ({"days": 1.5}, "int_type"),
    ],
)
def test_a_wrong_term_is_refused(term: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        kinds.Term.model_validate(term)
    assert why in {e["type"] for e in caught.value.errors()}


def test_a_month_counted_in_a_retention_term(tmp_path: Path) -> None:
    """A retention term in months is enforced by `prove`: due on the calendar day."""
    from tests.check.test_engine_kinds import FLOW

    contract = tmp_path / "c.yaml"
    contract.write_text(
        FLOW.replace("made_by: a", "made_by: [a, b]").replace("years: 1", "months: 1"),
        encoding="utf-8",
    )
    data, ledger = tmp_path / "d.csv", tmp_path / "ledger.jsonl"
    data.write_text("x\n1\n", encoding="utf-8")
    ledger.touch()
    at = "2025-01-31T12:00:00+01:00"
    common = ["--contract", contract, "--hop", "ask", "--ledger", ledger, "--at", at]
    assert run_cli("hop", "send", data, *common).code == 0
    assert run_cli("hop", "receive", data, *common).code == 0

    def proved(at: str) -> int:
        return run_cli("prove", "--contract", contract, "--ledger", ledger, "--at", at).code

    assert proved("2025-02-28T11:00:00+01:00") == 0  # a month from 31 January: 28 February
    assert proved("2025-02-28T13:00:00+01:00") == 1
    late = run_cli(
        "prove", "--contract", contract, "--ledger", ledger, "--at", "2025-03-01T00:00:00+01:00"
    )
    assert "kept longer than 1 month" in late.stdout, late.stdout


# --- mutations of every invariant of the five contracts -------------------------------------


def _misspelt(name: str) -> str:
    return name[: len(name) // 2] + name[len(name) // 2 + 1 :]


def _mutations(path: Path) -> Iterator[tuple[str, str, str, re.Pattern[str]]]:
    """(label, mutated text, the line:col it must be refused at, what the message must say)."""
    document = read_yaml(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    contract = load_contract(path).contract

    def edit(line: int, col: int, old: str, new: str) -> str:
        text = lines[line - 1]
        assert text[col - 1 : col - 1 + len(old)] == old, (path, line, old)
        out = list(lines)
        out[line - 1] = text[: col - 1] + new + text[col - 1 + len(old) :]
        return "".join(out)

    for i, inv in enumerate(contract.invariants):
        base = ("invariants", i)
        line, col = document.marks[(*base, "kind")]
        wrong = _misspelt(inv.kind)
        yield (
            f"{inv.id}.kind",
            edit(line, col, inv.kind, wrong),
            f"{line}:{col}",
            re.compile(rf"did you mean '{inv.kind}'"),
        )
        given = document.data["invariants"][i].get("params") or {}
        model = type(inv.params)
        for key in given:
            k_line, k_col = document.marks[(*base, "params", key, "<key>")]
            typo = _misspelt(key)
            if typo in model.model_fields:
                continue
            yield (
                f"{inv.id}.params.{key} misspelt",
                edit(k_line, k_col, key, typo),
                f"{k_line}:{k_col}",
                re.compile(rf"unknown key '{typo}'.*did you mean '{key}'"),
            )
            v_line, v_col = document.marks[(*base, "params", key)]
            if v_line == k_line:  # a value on the key's line: give it a wrong type
                rest = lines[v_line - 1][v_col - 1 :].rstrip("\n")
                anchor = re.match(r"&\S+ ", rest)
                keep = anchor.group(0) if anchor else ""
                yield (
                    f"{inv.id}.params.{key} wrong type",
                    edit(v_line, v_col, rest, keep + "{wrong: 1}"),
                    f"{v_line}:",
                    re.compile(rf"params\.{key}|{key}"),
                )
                if model.model_fields[key].is_required():
                    out = list(lines)
                    del out[k_line - 1]
                    yield (
                        f"{inv.id}.params.{key} dropped",
                        "".join(out),
                        "",
                        re.compile(rf"'{key}'|'hop' or 'hops'"),
                    )


ALL = [(p, *m) for p in CONTRACTS for m in _mutations(p)]


def test_every_kind_of_mutation_is_made() -> None:
    labels = " ".join(label for _, label, *_ in ALL)
    for what in ("misspelt", "wrong type", "dropped", ".kind"):
        assert what in labels
    assert len({p for p, *_ in ALL}) == 5


@pytest.mark.parametrize(
    ("path", "label", "text", "where", "says"),
    ALL,
    ids=[f"{p.stem}:{label}" for p, label, *_ in ALL],
)
def test_a_mutated_invariant_is_refused_at_load(
    path: Path, label: str, text: str, where: str, says: re.Pattern[str]
) -> None:
    with pytest.raises(ContractError) as caught:
        parse_contract(text, path.name)
    message = str(caught.value)
    assert caught.value.location is not None and caught.value.location.line is not None, label
    assert re.search(rf"{re.escape(path.name)}:\d+:\d+", message), message
    if where:
        assert f"{path.name}:{where}" in message, message
    assert says.search(message), message


def _one_of_each(path: Path) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for p, label, text, _, _ in ALL:
        what = label.rsplit(" ", 1)[-1] if " " in label else "kind"
        if p == path and what not in seen:
            seen.add(what)
            yield label, text


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.stem)
def test_every_command_refuses_a_mutated_contract(path: Path, tmp_path: Path) -> None:
    contract = load_contract(path).contract
    dataset, hop = contract.datasets[0].id, contract.hops[0].id
    party = contract.parties[0].id
    milestone = contract.milestones[0].id if contract.milestones else "m"
    data = tmp_path / "d.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    ledger = tmp_path / "ledger.jsonl"
    for label, text in _one_of_each(path):
        mutated = tmp_path / path.name
        mutated.write_text(text, encoding="utf-8")
        lint = run_cli("lint", "--contract", mutated)
        assert lint.code in (1, 2) and f"{path.name}:" in lint.stdout + lint.stderr, label
        for args in (
            ["validate", data, "--contract", mutated, "--dataset", dataset],
            ["hop", "send", data, "--contract", mutated, "--hop", hop, "--ledger", ledger],
            ["prove", "--contract", mutated],
            [
                "destroy",
                "--contract",
                mutated,
                "--party",
                party,
                "--dataset",
                dataset,
                "--ledger",
                ledger,
            ],
            [
                "made",
                "--contract",
                mutated,
                "--party",
                party,
                "--dataset",
                dataset,
                "--ledger",
                ledger,
            ],
            ["milestone", milestone, "--contract", mutated, "--ledger", ledger],
            ["coverage", "--contract", mutated],
            ["describe", "--contract", mutated],
            ["export", "--contract", mutated, "--output", tmp_path / "odcs.yaml"],
        ):
            run = run_cli(*args)
            assert run.code == 2, (label, args[0], run)
            assert re.search(rf"{re.escape(path.name)}:\d+:\d+", run.stderr), (label, run.stderr)
        assert not ledger.exists() or ledger.read_text(encoding="utf-8") == ""


# --- names inside the parameters: checked by their type ---------------------------------------


def _misnamed(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """(label, text with one name in an invariant's params misspelt, line:col, the name)."""
    document = read_yaml(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, inv in enumerate(load_contract(path).contract.invariants):
        for where, name, marker in refs(inv.params):
            line, col = document.marks[("invariants", i, "params", *where)]
            text = lines[line - 1]
            assert text[col - 1 : col - 1 + len(name)] == name, (path, line, name)
            out = list(lines)
            out[line - 1] = text[: col - 1] + name + "x" + text[col - 1 + len(name) :]
            yield f"{inv.id}.{marker.what}", "".join(out), f"{line}:{col}", name


NAMES = [(p, *m) for p in CONTRACTS for m in _misnamed(p)]


def test_every_kind_of_name_is_mutated() -> None:
    assert {label.rsplit(".", 1)[-1] for _, label, *_ in NAMES} == {
        "party",
        "dataset",
        "hop",
        "milestone",
    }


@pytest.mark.parametrize(
    ("path", "label", "text", "where", "name"),
    NAMES,
    ids=[f"{p.stem}:{label}:{where}" for p, label, _, where, _ in NAMES],
)
def test_a_name_in_params_that_points_nowhere_is_refused(
    path: Path, label: str, text: str, where: str, name: str
) -> None:
    with pytest.raises(ContractError) as caught:
        parse_contract(text, path.name)
    message = str(caught.value)
    what = label.rsplit(".", 1)[-1]
    assert f"{path.name}:{where}" in message, message
    assert f"unknown {what} '{name}x' (did you mean '{name}'?)" in message, message


def test_a_new_parameter_typed_as_a_name_is_checked_without_being_listed() -> None:
    """The walk finds names by their type: a parameter no code lists, nested or in a list."""

    class Planted(kinds.Model):
        via: kinds.HopRef
        also: tuple[kinds.MilestoneRef, ...] = ()
        maybe: kinds.PartyRef | None = None
        inner: tuple[kinds.Fallback, ...] = ()
        free: str = "not a name"

    found = list(
        refs(
            Planted(
                via="h",
                also=("m1", "m2"),
                maybe="p",
                inner=(kinds.Fallback(milestone="m3", days=1),),
            )
        )
    )
    assert [(where, name, ref.what) for where, name, ref in found] == [
        (("via",), "h", "hop"),
        (("also", 0), "m1", "milestone"),
        (("also", 1), "m2", "milestone"),
        (("maybe",), "p", "party"),
        (("inner", 0, "milestone"), "m3", "milestone"),
    ]
