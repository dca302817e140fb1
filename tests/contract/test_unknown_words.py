"""What a typo in a contract's kinds and parameters is called, by `lint` and by every other
command (issue 21): an invariant's kind is an invariant kind, and a key with no near match is
answered with the keys that are known there, so the author is never left guessing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CONTRACT, run_cli


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = CONTRACT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_misspelt_invariant_kind_is_called_an_invariant_kind(tmp_path: Path) -> None:
    path = _variant(tmp_path, "kind: never_held_together", "kind: never_held_togther")
    run = run_cli("lint", "--contract", path)
    assert run.code == 1
    assert "unknown invariant kind 'never_held_togther'" in run.stdout
    assert "did you mean 'never_held_together'" in run.stdout
    assert "rule kind" not in run.stdout


def test_a_key_with_no_near_match_lists_the_known_keys(tmp_path: Path) -> None:
    path = _variant(tmp_path, "kind: never_held_together\n", "kind: never_held_together\n")
    text = path.read_text(encoding="utf-8")
    at = text.index("kind: never_held_together")
    params = text.index("params:\n", at) + len("params:\n")
    path.write_text(text[:params] + "      hours: 3\n" + text[params:], encoding="utf-8")
    linted = run_cli("lint", "--contract", path)
    assert linted.code == 1
    assert "unknown key 'hours'" in linted.stdout
    assert "known keys: first, party, second" in linted.stdout
    checked = run_cli("validate", CONTRACT, "--contract", path, "--dataset", "dataset_4")
    assert checked.code == 2
    assert "known keys: first, party, second" in checked.stderr
