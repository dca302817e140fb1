"""A proof signed with `prove --key` (issue 25, 4): the issuer is the party the contract (or the
keyring) binds the key to, `--issuer` adds the person's name, never the login name; the
signature and the key's fingerprint are on the cover and in the JSON, and `prove
--check-signature` verifies a JSON proof (unchanged, of this contract, by that party's key).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from pathlib import Path

import pytest
from tests.flow.test_evidence_keys import CANARY, _signed_flow
from tests.flow.test_prover_evidence import _flow, _prove
from tests.ledger.shared import cli

from datacontract.ledger.keys import load_signer
from datacontract.ledger.signing import key_fingerprint
from datacontract.report.proof_signature import statement

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


def test_a_key_bound_to_no_party_signs_nothing(tmp_path: Path) -> None:
    """prove --key with a key bound to no party of the contract is refused (exit 2): a proof
    is signed by a party of the contract (docs/ledger.md); a proof whose signature names no
    party, or whose party is edited, is NOT VALID (exit 1), the edited name never echoed."""
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    other = tmp_path / "other"
    assert cli("keys", "new", "--party", "x", "--out", other).code == 0
    for fmt in ("json", "html"):
        run = _prove(contract, ledger, fmt, "--key", other / "x.key", "--keyring", keys)
        assert run.code == 2 and "bound to no party of the contract" in run.stderr, run.everything
    # a proof signed by a's key, its party then claimed as nobody, or as a made-up name
    out = tmp_path / "proof.json"
    assert _prove(contract, ledger, "json", "--key", keys / "a.key", "--output", out).code == 0
    signed = json.loads(out.read_text(encoding="utf-8"))
    for party in (None, CANARY, "x"):
        signed["signature"]["party"] = party
        out.write_text(json.dumps(signed), encoding="utf-8")
        for extra in ((), ("--keyring", other)):
            code, said = _check(contract, out, *extra)
            assert code == 1 and said.startswith("NOT VALID: "), said
            assert "names no party of the contract" in said
            assert "CANARY" not in said and "party x" not in said
    # the statement re-signed by x's key, naming no party: NOT VALID whatever keyring is given
    proof = {k: v for k, v in signed.items() if k != "signature"}
    signer = load_signer(other / "x.key")
    printed = key_fingerprint(signer.public())
    said_bytes = statement(proof, None, None, printed)
    signed["signature"] = {
        "issuer": None,
        "party": None,
        "key_fingerprint": printed,
        "statement_sha256": hashlib.sha256(said_bytes).hexdigest(),
        "signature": signer.sign(said_bytes),
    }
    out.write_text(json.dumps(signed), encoding="utf-8")
    for extra in ((), ("--keyring", other)):
        code, said = _check(contract, out, *extra)
        assert code == 1 and "names no party of the contract" in said, said


def test_without_contract_keys_the_keyring_binds_the_signer(tmp_path: Path) -> None:
    contract, keys, ledger = _flow(tmp_path, transfers=1)
    out = tmp_path / "proof.json"
    run = _prove(contract, ledger, "json", "--keyring", keys, "--key", keys / "a.key",
                 "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    assert json.loads(out.read_text(encoding="utf-8"))["signature"]["party"] == "a"
    assert _check(contract, out, "--keyring", keys)[0] == 0


def test_an_unsigned_proof_is_not_valid_an_unreadable_one_unusable(tmp_path: Path) -> None:
    """As the help says: exit 1 for a JSON proof that is not validly signed (unsigned
    included), exit 2 for a file that is not a JSON proof."""
    contract, _keys, ledger = _signed_flow(tmp_path, transfers=1)
    plain = tmp_path / "plain.json"
    assert _prove(contract, ledger, "json", "--output", plain).code == 0
    code, said = _check(contract, plain)
    assert (code, said) == (1, "NOT VALID: the proof is not signed\n")
    plain.write_text('{"contract": "mini"}', encoding="utf-8")
    code, said = _check(contract, plain)
    assert code == 2 and "not a JSON proof" in said
    plain.write_text("not json", encoding="utf-8")
    code, said = _check(contract, plain)
    assert code == 2 and "not a JSON proof" in said


def _signed_text(tmp_path: Path) -> tuple[Path, Path, str]:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    out = tmp_path / "proof.json"
    assert _prove(contract, ledger, "json", "--key", keys / "a.key", "--output", out).code == 0
    return contract, out, out.read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["top", "signature"])
def test_a_proof_with_a_duplicate_key_is_refused(tmp_path: Path, where: str) -> None:
    """The last of two equal keys would count for json.loads: the project's reader refuses
    it (read/json_lines.py), exit 2, whatever the signature says."""
    contract, out, text = _signed_text(tmp_path)
    if where == "top":
        doubled = text.replace('"holds": ', '"holds": false, "holds": ', 1)
        assert doubled != text
    else:
        doubled = text.replace('"signature": {', '"signature": {"party": "CANARY", ', 1)
        assert doubled != text
    out.write_text(doubled, encoding="utf-8")
    code, said = _check(contract, out)
    assert code == 2 and "twice" in said and "CANARY" not in said, said


@pytest.mark.parametrize(
    ("field", "named"),
    [("note", "'note'"), ("x" * 100, "field 6 (name withheld)"),
     ("CANARY 810816", "field 6 (name withheld)"), ("naïve", "field 6 (name withheld)")],
)  # fmt: skip
def test_the_signature_object_is_an_allow_list(tmp_path: Path, field: str, named: str) -> None:
    contract, out, text = _signed_text(tmp_path)
    signed = json.loads(text)
    signed["signature"][field] = "anything"
    out.write_text(json.dumps(signed), encoding="utf-8")
    code, said = _check(contract, out)
    assert code == 2 and named in said, said
    if "withheld" in named:
        assert field not in said


@pytest.mark.parametrize(
    ("extra", "flags"),
    [(("--output", "o.json"), "--output"), (("--format", "json"), "--format"),
     (("--key", "k.key"), "--key"), (("--from-state", "s.state"), "--from-state"),
     (("--ledger", "l.jsonl", "--at", "2099-01-01T00:00:00+01:00"), "--at, --ledger"),
     (("--issuer", "I", "--require", "holds"), "--issuer, --require")],
)  # fmt: skip
def test_check_signature_refuses_the_options_it_does_not_use(
    tmp_path: Path, extra: tuple[str, ...], flags: str
) -> None:
    contract, out, _ = _signed_text(tmp_path)
    assert _check(contract, out)[0] == 0
    code, said = _check(contract, out, *extra)
    assert code == 2 and "not with" in said, said
    for flag in flags.split(", "):
        assert flag in said
    assert not (tmp_path / "o.json").exists()


def test_the_party_comes_from_the_key_never_from_its_file_name(tmp_path: Path) -> None:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    (renamed / "a.key").write_bytes((keys / "b.key").read_bytes())
    (renamed / "a.key").chmod(0o600)
    out = tmp_path / "proof.json"
    assert _prove(contract, ledger, "json", "--key", renamed / "a.key", "--output", out).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["signature"]["party"] == "b"
