"""Issue 21: a guard is never skipped because it was not understood.

The adequacy contract's `contact_and_background_apart` (art. 6) is enforced by the hook on the
transfer that would break it; spelt wrong (its kind or a parameter), the contract is refused
(exit 2, file:line:col, a suggestion) and nothing is recorded: the transfer is never accepted
with the guard switched off. Every kind a single event can break is checked by the hook.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from tests.conftest import CONTRACT
from tests.flow.test_hop import files, refused, send, up_to_fieldwork  # noqa: F401

from datacontract.contract.load import load_contract
from datacontract.flow.kinds import KINDS
from datacontract.flow.prover import breaks
from datacontract.ledger.chain import read_ledger

GUARD = """\
  - id: contact_and_background_apart
    kind: never_held_together
    title: Contactgegevens en achtergrondgegevens zijn nooit samen bij de onderzoekers
    params:
      party: onderzoekers_swvg
"""


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert text.count(GUARD) == 1
    out = tmp_path / CONTRACT.name
    out.write_text(text.replace(GUARD, GUARD.replace(old, new)), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("never_held_together", "never_held_togther", "did you mean 'never_held_together'?"),
        ("party: onderzoekers", "pary: onderzoekers", "did you mean 'party'?"),
        (
            "party: onderzoekers_swvg",
            "party: onderzoekers_swgv",
            "did you mean 'onderzoekers_swvg'?",
        ),
    ],
)
def test_the_hook_refuses_a_contract_whose_guard_is_misspelt(
    files: dict[str, Path],  # noqa: F811
    tmp_path: Path,
    old: str,
    new: str,
    says: str,
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    up_to_fieldwork(ledger, files)
    before = ledger.read_bytes()
    a = files["achtergrond"]
    # Spelt right, the hook refuses the transfer that brings background to the researchers
    # while they hold the contact file.
    refused(
        send(ledger, a, "stap6_achtergrond", "2025-07-15T10:00:00+02:00"),
        ledger,
        before,
        "contact_and_background_apart",
    )
    mutated = _mutated(tmp_path, old, new)
    from tests.conftest import run_cli

    run = run_cli(
        "hop",
        "send",
        a,
        "--contract",
        mutated,
        "--hop",
        "stap6_achtergrond",
        "--ledger",
        ledger,
        "--at",
        "2025-07-15T10:00:00+02:00",
    )
    assert run.code == 2, run.everything
    assert f"{mutated.name}:" in run.stderr and says in run.stderr, run.stderr
    assert ledger.read_bytes() == before


def test_the_hook_checks_every_kind_one_event_can_break(
    files: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    """`breaks` (the hook's check) asks each kind's registry entry; the guard of art. 6 is
    one of the kinds it checks, and it finds the transfer that breaks it."""
    assert KINDS["never_held_together"].per_event
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    up_to_fieldwork(ledger, files)
    state = read_ledger(ledger)
    loaded = load_contract(CONTRACT)
    at = datetime.fromisoformat("2025-07-15T10:00:00+02:00")
    # The researchers' receipt of the contact file, replayed as a receipt of the background.
    got = next(e for e in state.events if e.kind == "received" and e.hop == "stap6_contact")
    candidate = got._replace(
        seq=state.events[-1].seq + 1,
        dataset="achtergrond",
        hop="stap6_achtergrond",
        time=at.isoformat(),
    )
    broken = {v.invariant for v in breaks(loaded, state, [candidate], at=at)}
    assert "contact_and_background_apart" in broken
