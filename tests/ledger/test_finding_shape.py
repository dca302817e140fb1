"""A recorded finding is what a hook writes (rule, article, count, message) and nothing else:
an event whose finding carries another key, or a value of another type, is not appended."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.report.test_ledger_names import FLOWS, _draft

from datacontract.errors import DataContractError
from datacontract.ledger.append import append_event


@pytest.mark.parametrize(
    "finding",
    [
        {"rule": "r", "article": "a", "count": 1, "message": "m", "reason": "ZZCANARY"},
        {"article": "a", "count": 1, "message": "m"},
        {"rule": 3, "count": 1},
        {"rule": "r", "count": "ZZCANARY"},
        {"rule": "r", "count": True},
        {"rule": "r", "article": ["ZZCANARY"]},
    ],
)
def test_a_finding_outside_the_allow_list_is_refused(tmp_path: Path, finding: object) -> None:
    line = (FLOWS / "unknown_party" / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[0]
    event = json.loads(line)
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    with pytest.raises(DataContractError) as caught:
        append_event(ledger, _draft(event, violation=True, findings=(finding,)))
    assert "findings must be a list of objects" in str(caught.value)
    assert "ZZCANARY" not in str(caught.value)
    ok = {"rule": "r", "article": None, "count": 2, "message": "m"}
    append_event(ledger, _draft(event, violation=True, findings=(ok,)))
