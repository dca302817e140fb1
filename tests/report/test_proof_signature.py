"""A proof signed with `prove --key` (issue 25, 4): the issuer is the party the contract (or the
keyring) binds the key to, `--issuer` adds the person's name, never the login name; the
signature and the key's fingerprint are on the cover and in the JSON, and `prove
--check-signature` verifies a JSON proof (unchanged, of this contract, by that party's key).
"""

from __future__ import annotations

import getpass
import json
import re
from pathlib import Path

import pytest
from tests.flow.test_evidence_keys import _keyed, _signed_flow
from tests.flow.test_prover_evidence import _flow, _prove, _visible
from tests.ledger.shared import cli

AT = "2099-01-10T12:00:00+01:00"  # after every event the flow records now


def _check(contract: Path, proof: Path, *extra: str | Path) -> tuple[int, str]:
    run = cli("prove", "--contract", contract, "--check-signature", proof, *extra)
    return run.code, run.stdout + run.stderr


@pytest.fixture(autouse=True)
def _no_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATACONTRACT_ISSUER", raising=False)


def test_a_signed_proof_names_the_keys_party_and_checks(tmp_path: Path) -> None:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    out = tmp_path / "proof.json"
    run = _prove(contract, ledger, "json", "--at", AT, "--key", keys / "b.key",
                 "--issuer", "B. Auditor, VUTG", "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    signed = json.loads(out.read_text(encoding="utf-8"))
    sig = signed["signature"]
    assert (sig["party"], sig["issuer"]) == ("b", "B. Auditor, VUTG")
    assert re.fullmatch(r"[0-9a-f]{64}", sig["key_fingerprint"])
    assert _check(contract, out) == (0, f"SIGNED by party b, key fingerprint "
                                        f"{sig['key_fingerprint']}\n")  # fmt: skip
    # the same options give the same statement and, Ed25519 being deterministic, the same
    # signature: the cover of the HTML carries it
    page = _prove(contract, ledger, "html", "--at", AT, "--key", keys / "b.key",
                  "--issuer", "B. Auditor, VUTG").stdout  # fmt: skip
    assert "<dt>Opgesteld door</dt><dd>B. Auditor, VUTG, namens partij b</dd>" in page
    for value in (sig["key_fingerprint"], sig["statement_sha256"], sig["signature"]):
        assert value in page
    text = _prove(contract, ledger, "text", "--at", AT, "--key", keys / "b.key").stdout
    assert f"signed by party b: key fingerprint {sig['key_fingerprint']}" in text
    # without --issuer: the party alone, never the login name
    page = _prove(contract, ledger, "html", "--key", keys / "a.key").stdout
    assert "<dt>Opgesteld door</dt><dd>partij a (houder van de sleutel" in page
    assert f"<dd>{getpass.getuser()}" not in page


@pytest.mark.parametrize("change", ["verdict", "issuer", "signature", "contract"])
def test_a_changed_or_foreign_proof_does_not_check(tmp_path: Path, change: str) -> None:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    out = tmp_path / "proof.json"
    assert _prove(contract, ledger, "json", "--key", keys / "a.key", "--output", out).code == 0
    signed = json.loads(out.read_text(encoding="utf-8"))
    target = contract
    if change == "verdict":
        signed["verdicts"][0]["verdict"] = "broken"
    elif change == "issuer":
        signed["signature"]["issuer"] = "Someone Else"
    elif change == "signature":
        signed["signature"]["party"] = "b"  # claims b's key: its fingerprint is not b's
    else:
        target = tmp_path / "other.yaml"
        target.write_text(contract.read_text().replace('version: "1"', 'version: "2"'))
    out.write_text(json.dumps(signed), encoding="utf-8")
    code, said = _check(target, out)
    assert code == 1 and said.startswith("NOT VALID: "), said


def test_a_key_bound_to_no_party_is_said_so(tmp_path: Path) -> None:
    contract, _keys, ledger = _signed_flow(tmp_path, transfers=1)
    other = tmp_path / "other"
    assert cli("keys", "new", "--party", "x", "--out", other).code == 0
    out = tmp_path / "proof.json"
    run = _prove(contract, ledger, "json", "--key", other / "x.key", "--output", out)
    assert run.code == 0, run.everything
    sig = json.loads(out.read_text(encoding="utf-8"))["signature"]
    assert sig["party"] is None
    page = _visible(_prove(contract, ledger, "html", "--key", other / "x.key").stdout)
    assert (
        f"Opgesteld door sleutel met vingerafdruk {sig['key_fingerprint']}, niet gebonden aan "
        "een partij van het contract" in page
    )
    code, said = _check(contract, out)
    assert code == 1 and "no key given has the fingerprint" in said
    code, said = _check(contract, out, "--keyring", other)
    assert code == 0 and said.startswith("SIGNED by a key bound to no party"), said


def test_without_contract_keys_the_keyring_binds_the_signer(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path, transfers=1)
    out = tmp_path / "proof.json"
    run = _prove(contract, ledger, "json", "--keyring", keys, "--key", keys / "a.key",
                 "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    assert json.loads(out.read_text(encoding="utf-8"))["signature"]["party"] == "a"
    assert _check(contract, out, "--keyring", keys)[0] == 0


def test_an_unsigned_or_unreadable_proof_is_unusable_input(tmp_path: Path) -> None:
    contract, _keys = _keyed(tmp_path)
    plain = tmp_path / "plain.json"
    plain.write_text('{"contract": "mini"}', encoding="utf-8")
    assert _check(contract, plain)[0] == 2
    plain.write_text("not json", encoding="utf-8")
    code, said = _check(contract, plain)
    assert code == 2 and "not a JSON proof" in said


def test_the_party_comes_from_the_key_never_from_its_file_name(tmp_path: Path) -> None:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    (renamed / "a.key").write_bytes((keys / "b.key").read_bytes())
    (renamed / "a.key").chmod(0o600)
    out = tmp_path / "proof.json"
    assert _prove(contract, ledger, "json", "--key", renamed / "a.key", "--output", out).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["signature"]["party"] == "b"
