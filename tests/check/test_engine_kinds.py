"""The engine pieces the other protocols brought, on small synthetic contracts: the age rule
with a reference column, nested paths that cannot flatten, and the retention and ordering
invariants on hand-written ledgers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.conftest import run_cli
from tests.ledger.shared import DATASET_D, HEAD

from datacontract.check.validate import validate_file
from datacontract.contract.load import load_contract, parse_contract
from datacontract.errors import ContractError
from datacontract.personal.insz import make_insz

AGE = (
    HEAD
    + """\
datasets:
  - id: d
    title: D
    article: art. 3
    columns:
      - {name: nr, format: insz, category: identifier, article: art. 3}
      - {name: op, type: REF_TYPE, category: administrative, article: art. 3}
    rules:
      - {id: d.adult, kind: age_between, column: nr, minimum: 18, maximum: 64, reference_column: op, article: art. 3}
"""
)


@pytest.mark.parametrize(
    ("ref_type", "cell"), [("date", "2025-06-02"), ("datetime", "2025-06-02T23:30:00+01:00")]
)
def test_age_counts_on_the_reference_column(tmp_path: Path, ref_type: str, cell: str) -> None:
    contract = tmp_path / "c.yaml"
    contract.write_text(AGE.replace("REF_TYPE", ref_type), encoding="utf-8")
    rows = [
        (make_insz(dt.date(2007, 6, 2), 1), cell),  # 18 on the day: allowed
        (make_insz(dt.date(2007, 6, 4), 2), cell),  # 17 on the day: refused
        (make_insz(dt.date(1960, 6, 3), 3), cell),  # 64: allowed
        (make_insz(dt.date(1960, 6, 1), 4), cell),  # 65: refused
        (make_insz(dt.date(1990, 1, 1), 5), ""),  # no reference date: left to nullable
    ]
    data = tmp_path / "d.csv"
    data.write_text("nr,op\n" + "".join(f"{n},{d}\n" for n, d in rows), encoding="utf-8")
    result = validate_file(load_contract(contract), "d", data)
    age = [f for f in result.findings if f.rule == "d.adult"]
    assert len(age) == 1 and age[0].rows == (2, 4) and age[0].count == 2
    assert {f.rule for f in result.findings} == {"d.adult", "d.op.nullable"}
    assert all(n not in json.dumps(result.to_json()) for n, _ in rows)


def test_age_rule_needs_a_date_reference_and_a_text_column() -> None:
    with pytest.raises(ContractError, match="must be a date or datetime"):
        parse_contract(AGE.replace("REF_TYPE", "integer"), "c.yaml")
    with pytest.raises(ContractError, match="unknown column of d 'nummer'"):
        parse_contract(
            AGE.replace("REF_TYPE", "date").replace("column: nr,", "column: nummer,"), "c.yaml"
        )
    with pytest.raises(ContractError, match="maximum is below minimum"):
        parse_contract(AGE.replace("REF_TYPE", "date").replace("maximum: 64", "maximum: 3"))


NESTED = (
    HEAD
    + """\
datasets:
  - id: n
    title: N
    article: art. 3
    columns:
      - {name: x, path: PATH_X, category: identifier, article: art. 3}
      - {name: y, path: PATH_Y, category: background, article: art. 3}
"""
)


@pytest.mark.parametrize(
    ("path_x", "path_y", "problem"),
    [
        ("a[].x", "b[].y", "not nested in one another"),
        ("a", "a.y", "is both a value and holds"),
        ("a[].x", "a[].x", "is given to two columns"),
        ("a x", "y", "does not match the pattern"),
    ],
)
def test_nested_paths_that_cannot_flatten_are_refused_at_load(
    path_x: str, path_y: str, problem: str
) -> None:
    text = NESTED.replace("PATH_X", json.dumps(path_x)).replace("PATH_Y", json.dumps(path_y))
    with pytest.raises(ContractError, match=problem):
        parse_contract(text, "c.yaml")


def test_a_nested_column_without_a_path_is_refused() -> None:
    text = NESTED.replace("PATH_X", '"a[].x"').replace("path: PATH_Y, ", "")
    with pytest.raises(ContractError, match="column 'y' has no path"):
        parse_contract(text, "c.yaml")


def test_two_levels_of_arrays_flatten_to_one_row_per_innermost_element(tmp_path: Path) -> None:
    text = NESTED.replace("PATH_X", '"g[].x"').replace("PATH_Y", '"g[].items[].y"')
    text = text.replace("category: background", "type: integer, category: background")
    contract = tmp_path / "c.yaml"
    contract.write_text(text, encoding="utf-8")
    doc = {"g": [{"x": "a", "items": [{"y": 1}, {"y": 2}]}, {"x": "b", "items": []}]}
    data = tmp_path / "n.json"
    data.write_text(json.dumps(doc), encoding="utf-8")
    result = validate_file(load_contract(contract), "n", data)
    assert result.rows == 3  # two items of a, and b with its items missing
    assert [(f.rule, f.rows) for f in result.findings] == [("n.y.nullable", (3,))]


# --- the ordering and retention invariants, on ledgers written through the hooks ---------------

FLOW = (
    HEAD
    + DATASET_D
    + """\
hops:
  - {id: ask, dataset: d, from: b, to: a, channel: c, article: art. 4}
  - {id: answer, dataset: d, from: a, to: b, channel: c, article: art. 4}
invariants:
  - id: keep
    kind: retained_at_most
    title: one year
    params: {parties: [b], datasets: [d], years: 1}
    article: art. 5
  - id: only_on_request
    kind: preceded_by
    title: answers follow questions
    params: {hops: [answer], after_hops: [ask], same: reverse}
    article: art. 6
"""
)


def _flow(tmp_path: Path) -> tuple[Path, Path, Path]:
    contract = tmp_path / "c.yaml"
    contract.write_text(FLOW.replace("made_by: a", "made_by: [a, b]"), encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "ledger.jsonl").touch()  # `ledger init`: an empty ledger
    return contract, data, tmp_path / "ledger.jsonl"


def _hop(contract: Path, data: Path, ledger: Path, hop: str, at: str, *extra: str) -> int:
    args = ["--contract", contract, "--hop", hop, "--ledger", ledger, "--at", at, *extra]
    sent = run_cli("hop", "send", data, *args)
    if sent.code:
        return sent.code
    return run_cli("hop", "receive", data, *args).code


def test_retention_counts_from_each_copy_and_a_leap_day(tmp_path: Path) -> None:
    contract, data, ledger = _flow(tmp_path)
    assert _hop(contract, data, ledger, "ask", "2024-02-28T12:00:00+01:00") == 0
    assert _hop(contract, data, ledger, "answer", "2024-02-29T12:00:00+01:00") == 0

    def broken(at: str) -> list[dict[str, object]]:
        run = run_cli(
            "prove", "--contract", contract, "--ledger", ledger, "--at", at, "--format", "json"
        )
        verdicts = {v["invariant"]: v for v in json.loads(run.stdout)["verdicts"]}
        return list(verdicts["keep"]["counterexamples"])

    # b made its request on 2024-02-28 (its own copy): due a year later, 2025-02-28 12:00.
    # The answer it received on the leap day 2024-02-29 is a delivery with its own term: a
    # calendar year ends on 2025-02-28 too (issue 24: each delivery runs its own term).
    assert broken("2025-02-28T11:00:00+01:00") == []
    late = broken("2025-02-28T13:00:00+01:00")
    assert sorted(c["events"] for c in late) == [[1], [4]]  # type: ignore[type-var]
    destroy = ["destroy", "--contract", contract, "--party", "b", "--dataset", "d"]
    assert run_cli(*destroy, "--ledger", ledger, "--at", "2025-03-01T12:00:00+01:00").code == 0
    late = broken("2026-01-01T00:00:00+01:00")
    assert sorted(c["events"] for c in late) == [[1, 5], [4, 5]]  # type: ignore[type-var]
    assert all("destroyed d at event 5" in str(c["message"]) for c in late)


def test_an_answer_without_question_is_refused_and_the_ledger_untouched(tmp_path: Path) -> None:
    contract, data, ledger = _flow(tmp_path)
    assert _hop(contract, data, ledger, "answer", "2024-03-01T12:00:00+01:00") == 1
    assert not ledger.exists() or ledger.read_text(encoding="utf-8") == ""
    assert _hop(contract, data, ledger, "ask", "2024-03-02T12:00:00+01:00") == 0
    assert _hop(contract, data, ledger, "answer", "2024-03-03T12:00:00+01:00") == 0


def test_a_retention_without_a_term_is_a_contract_error(tmp_path: Path) -> None:
    # issue 21: a term is days, weeks, months or years; an unknown unit is refused at load.
    contract = _flow(tmp_path)[0]
    contract.write_text(
        contract.read_text(encoding="utf-8").replace("years: 1", "hours: 1"), encoding="utf-8"
    )
    run = run_cli("prove", "--contract", contract)
    assert run.code == 2 and "unknown key 'hours'" in run.stderr and "c.yaml:" in run.stderr
