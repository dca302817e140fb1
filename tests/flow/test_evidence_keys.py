"""Keys the contract pins are a pinned keyring (issue 25, after issue 23's parties[].keys).

A contract that binds its parties to keys needs no --keyring: `prove` checks every signature
against the contract's keys, may reach "proven" (with a checkpoint), and says in every format
that the keys came from the contract (the contract's SHA-256 is on the proof) and whose keys
they are. A --keyring that agrees changes nothing; one that disagrees is refused (exit 2): the
proof could not say which keys are the parties' own. Forged or unsigned events on such a
contract are never proven.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest
from tests.flow.test_prover_evidence import CONTRACT, _all, _checkpoint, _flow, _prove, _visible
from tests.ledger.shared import cli, data_file, receive, send

from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.event import digest
from datacontract.ledger.keys import load_public, load_signer, public_text
from datacontract.ledger.signing import event_message
from datacontract.personal.insz import make_insz


def _keyed(tmp_path: Path, parties: tuple[str, ...] = ("a", "b")) -> tuple[Path, Path]:
    """The mini contract with parties[].keys for `parties`, and the keys folder."""
    keys = tmp_path / "keys"
    for party in ("a", "b"):
        assert cli("keys", "new", "--party", party, "--out", keys).code == 0
    text = CONTRACT
    for party in parties:
        key = public_text(load_public(keys / f"{party}.pub"))
        plain = f"  - {{id: {party}, name: {party.upper()}, article: art. 1}}\n"
        assert plain in text
        text = text.replace(plain, plain[:-2] + f", keys: ['{key}']}}\n")
    contract = tmp_path / "keyed.yaml"
    contract.write_text(text, encoding="utf-8")
    return contract, keys


def _signed_flow(tmp_path: Path, transfers: int = 2) -> tuple[Path, Path, Path]:
    contract, keys = _keyed(tmp_path)
    ledger = tmp_path / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    for n in range(transfers):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, str(ledger), f, "--key", keys / "a.key").code == 0
        assert receive(contract, str(ledger), f, "--key", keys / "b.key").code == 0
    return contract, keys, ledger


def test_the_contracts_keys_prove_without_a_keyring(tmp_path: Path) -> None:
    contract, keys, ledger = _signed_flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    code, proof, text, page = _all(contract, ledger, "--checkpoint", cp)
    assert code == 0 and proof["level"] == "proven", proof["evidence"]
    evidence = proof["evidence"]
    assert evidence["signatures"] == "verified" and evidence["weaknesses"] == []
    assert evidence["keys_from"] == "contract" and evidence["key_parties"] == ["a", "b"]
    assert text.startswith("PROVED on signed and checkpointed evidence")
    said = "all 4 events signed by their party, checked against the keys the contract pins"
    assert f"  - signatures: {said} (parties[].keys of a, b;" in text
    scope = " ".join(s["message"] for s in proof["scope"])
    assert "the keys the contract binds to its parties (parties[].keys: a, b)" in scope
    assert "not pinned by the contract" not in scope and "No keyring was given" not in scope
    shown = _visible(page)
    assert "gecontroleerd met de sleutels die het contract vastlegt" in shown
    assert "geldig (sleutel uit het contract)" in shown and "niet gecontroleerd" not in shown
    assert proof["contract_sha256"] in shown  # the pin, on the cover
    strict = _prove(contract, ledger, "json", "--checkpoint", cp, "--require", "proven")
    assert strict.code == 0
    # without a checkpoint: the signatures are still verified; only the checkpoint is missing
    _, proof, _, _ = _all(contract, ledger)
    assert proof["level"] == "holds" and proof["evidence"]["weaknesses"] == ["no_checkpoint"]


def test_the_pdf_says_the_keys_came_from_the_contract(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    cp = _checkpoint(ledger, keys, tmp_path)
    out = tmp_path / "proof.pdf"
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--checkpoint", cp,
              "--format", "pdf", "--output", out)  # fmt: skip
    assert run.code == 0, run.everything
    reader = pypdf.PdfReader(str(out))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Bewezen op ondertekende gebeurtenissen" in text
    assert "sleutels die het contract vastlegt" in text


def test_a_keyring_that_agrees_changes_nothing_one_that_disagrees_is_refused(
    tmp_path: Path,
) -> None:
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    _, alone, _, _ = _all(contract, ledger)
    _, agreed, _, _ = _all(contract, ledger, "--keyring", keys)
    assert agreed["evidence"] == alone["evidence"]
    assert agreed["evidence"]["keys_from"] == "contract"
    other = tmp_path / "other"
    assert cli("keys", "new", "--party", "b", "--out", other).code == 0
    for fmt in ("text", "json", "html"):
        run = _prove(contract, ledger, fmt, "--keyring", other)
        assert run.code == 2 and run.stdout == "", run.everything
        assert "the keyring's key of b is not one the contract mini declares" in run.stderr


def _forge(ledger: Path, signer: Path | None) -> int:
    """Append a copy of the last event, unsigned (signer None) or signed with another party's
    key, its hash chained as anyone with write access to the file can. Its seq."""
    lines = ledger.read_bytes().splitlines(keepends=True)
    last = json.loads(lines[-1])
    obj = {k: v for k, v in last.items() if k not in ("sig", "hash", "witness")}
    obj.update(seq=last["seq"] + 1, prev=last["hash"], rows=999)
    if signer is not None:
        obj["sig"] = load_signer(signer).sign(event_message(obj))
    obj["hash"] = digest(obj)
    ledger.write_bytes(b"".join(lines) + (canonical_json(obj) + "\n").encode("utf-8"))
    return int(obj["seq"])


@pytest.mark.parametrize("forged_with", [None, "a.key"])
def test_a_forged_or_unsigned_event_on_a_keyed_contract_is_never_proven(
    tmp_path: Path, forged_with: str | None
) -> None:
    """The last event is b's receipt: unsigned, or signed with a's key."""
    contract, keys, ledger = _signed_flow(tmp_path)
    cp = _checkpoint(ledger, keys, tmp_path)
    seq = _forge(ledger, keys / forged_with if forged_with else None)
    code, proof, text, page = _all(contract, ledger, "--checkpoint", cp)
    assert code == 1 and proof["level"] == "not_judged"
    evidence = proof["evidence"]
    assert evidence["signatures"] == "failed" and evidence["keys_from"] == "contract"
    assert evidence["damage"]["seq"] == seq
    assert evidence["damage"]["kind"] == ("forged" if forged_with else "unsigned")
    assert "PROVED" not in text and "1 of the 5 events not signed by their party" in text
    shown = _visible(page)
    assert "Bewezen" not in shown.replace("niet bewezen", "")
    assert "sleutels die het contract vastlegt voor a, b" in shown
    strict = _prove(contract, ledger, "json", "--checkpoint", cp, "--require", "holds")
    assert strict.code == 1


def test_a_party_the_contract_binds_no_key_to_is_named(tmp_path: Path) -> None:
    contract, keys = _keyed(tmp_path, parties=("a",))
    ledger = tmp_path / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    f = data_file(tmp_path, "d.csv")
    assert send(contract, str(ledger), f, "--key", keys / "a.key").code == 0
    _, proof, text, page = _all(contract, ledger)
    assert proof["evidence"]["key_parties"] == ["a"]
    assert "The contract binds no key to b: no event of theirs can be verified" in text
    assert "Het contract bindt geen sleutel aan b" in _visible(page)


def test_a_contract_key_is_read_as_the_keyring_file_would_be(tmp_path: Path) -> None:
    """The fingerprint of the contract's keys is the keyring's for the same keys: a reader
    can compare the two."""
    contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    from datacontract.flow.evidence import keyring_fingerprint

    pub = {p: load_public(keys / f"{p}.pub") for p in ("a", "b")}
    _, proof, _, _ = _all(contract, ledger)
    assert proof["evidence"]["keyring_sha256"] == keyring_fingerprint(pub)
    raw = base64.b64decode(public_text(pub["a"]))
    assert len(raw) in (32, 44)


def test_a_party_with_two_keys_rotation_is_proven_with_either(tmp_path: Path) -> None:
    contract, keys = _keyed(tmp_path)
    rotated = tmp_path / "rotated"
    assert cli("keys", "new", "--party", "a", "--out", rotated).code == 0
    old = public_text(load_public(keys / "a.pub"))
    new = public_text(load_public(rotated / "a.pub"))
    contract.write_text(contract.read_text().replace(f"['{old}']", f"['{old}', '{new}']"))
    ledger = tmp_path / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    for n, key in enumerate((keys / "a.key", rotated / "a.key")):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, str(ledger), f, "--key", key).code == 0
        assert receive(contract, str(ledger), f, "--key", keys / "b.key").code == 0
    cp = _checkpoint(ledger, keys, tmp_path)
    _, proof, _, _ = _all(contract, ledger, "--checkpoint", cp)
    assert proof["level"] == "proven" and proof["evidence"]["key_parties"] == ["a", "b"]


# a keyring file's name no contract declares, holding a synthetic national number
CANARY = f"CANARY{make_insz(date(1981, 8, 16), 496)}"


@pytest.mark.parametrize("pinned", [False, True], ids=["keyring", "contract-keys"])
def test_a_keyring_name_the_contract_does_not_declare_is_never_a_party(
    tmp_path: Path, pinned: bool
) -> None:
    """A keyring folder may hold any PARTY.pub: a name the contract does not declare binds
    nothing, is never listed in evidence.key_parties, never the signer, never printed."""
    if pinned:
        contract, keys, ledger = _signed_flow(tmp_path, transfers=1)
    else:
        contract, keys, ledger = _flow(tmp_path, transfers=1)
    assert cli("keys", "new", "--party", CANARY, "--out", keys).code == 0
    code, proof, text, page = _all(contract, ledger, "--keyring", keys)
    assert code == 0, proof
    assert proof["evidence"]["key_parties"] == ["a", "b"]
    for said in (json.dumps(proof), text, page):
        assert CANARY not in said
    # the key so named is bound to no party: signing with it is refused, without its name
    for fmt in ("json", "text", "html"):
        run = _prove(contract, ledger, fmt, "--keyring", keys, "--key", keys / f"{CANARY}.key")
        assert run.code == 2 and "bound to no party of the contract" in run.stderr, run.everything
        assert CANARY not in run.everything
