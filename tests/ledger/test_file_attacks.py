"""Who may say what, on the file backend (issue 23, items 1, 4, 5 and 7; issue 28, item 2).

Each attack of the red team's table that concerns a ledger file is played here: an event made
by a party the contract does not give it to, unsigned events appended to a signed ledger, a
party's hook signing with another party's key, a private key readable by all, one public key
under two names in a keyring, an unknown field added to a signed event, a receipt replayed, a
repair when its log's disk is full, and a checkpoint of another ledger. Each is refused by the
hook (nothing recorded) or is a breach that `ledger verify` and `prove` name.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.ledger.shared import MINI, cli, data_file, receive, rehashed, send, setup, signed_flow

import datacontract
from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.chain import read_ledger
from datacontract.ledger.event import digest
from datacontract.ledger.keys import load_public, load_signer, public_text
from datacontract.ledger.signing import sign_event


def _append_by_hand(ledger: Path, key: Path | None, **fields: object) -> dict[str, object]:
    """What someone with write access to the file (and maybe a party's key) can append: a
    well-chained, well-hashed event, signed with `key` when given."""
    last = read_ledger(ledger).events[-1]
    record: dict[str, object] = {
        "contract": last.contract,
        "contract_version": last.contract_version,
        "dataset": None,
        "findings": [],
        "hop": None,
        "kind": "milestone",
        "milestone": None,
        "party": None,
        "receiver": None,
        "rows": None,
        "sender": None,
        "sha256": None,
        "time": last.time,
        "violation": False,
        **fields,
        "seq": last.seq + 1,
        "prev": last.hash,
    }
    if key is not None:
        sign_event(record, load_signer(key))
    record["hash"] = digest(record)
    with ledger.open("ab") as out:
        out.write((canonical_json(record) + "\n").encode("utf-8"))
    return record


def _verify_and_prove(contract: Path, ledger: Path, *extra: str | Path) -> tuple[str, str]:
    """Both audits must fail (exit 1): their outputs."""
    verify = cli("ledger", "verify", "--ledger", ledger, "--contract", contract, *extra)
    assert verify.code == 1, verify.everything
    proof = cli("prove", "--contract", contract, "--ledger", ledger, *extra)
    assert proof.code == 1, proof.everything
    return verify.everything, proof.everything


# --- 1. the contract says who may say what ---------------------------------------------------


def test_a_milestone_by_a_party_the_contract_does_not_give_it_to_is_refused(
    tmp_path: Path,
) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    run = cli(
        "milestone", "done", "--contract", contract, "--ledger", ledger, "--party", "a",
        "--key", keys / "a.key",
    )  # fmt: skip
    assert run.code == 1 and "refused" in run.stderr, run.everything
    assert "art. 5" in run.stderr and "b" in run.stderr  # the article, and whose it is
    assert ledger.read_bytes() == before
    # its own party records it
    run = cli(
        "milestone", "done", "--contract", contract, "--ledger", ledger, "--key", keys / "b.key"
    )
    assert run.code == 0, run.everything


@pytest.mark.parametrize(
    ("kind", "fields", "article"),
    [
        ("milestone", {"kind": "milestone", "milestone": "done", "party": "a"}, "art. 5"),
        ("made", {"kind": "made", "dataset": "d", "party": "b"}, "art. 3"),
    ],
)
def test_an_event_out_of_role_in_the_file_is_a_breach_that_does_not_count(
    tmp_path: Path, kind: str, fields: dict[str, object], article: str
) -> None:
    """Written into the file, signed with its (wrong) author's own key: the signature is good,
    the author may not make it."""
    contract, keys, ledger = signed_flow(tmp_path)
    _append_by_hand(ledger, keys / f"{fields['party']}.key", **fields)
    assert cli("ledger", "verify", "--ledger", ledger, "--keyring", keys).code == 0  # signed
    verify, proof = _verify_and_prove(contract, ledger, "--keyring", keys)
    for out in (" ".join(verify.split()), " ".join(proof.split())):  # as wrapped on a terminal
        assert "event 3" in out and "may not make" in out and article in out, out


def test_a_destruction_by_a_party_that_can_hold_nothing_is_a_breach(tmp_path: Path) -> None:
    contract = tmp_path / "three.yaml"
    contract.write_text(
        MINI.replace(
            "  - {id: b, name: B, article: art. 1}\n",
            "  - {id: b, name: B, article: art. 1}\n  - {id: z, name: Z, article: art. 1}\n",
        ),
        encoding="utf-8",
    )
    ledger = tmp_path / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    f = data_file(tmp_path, "d.csv")
    assert send(contract, str(ledger), f).code == 0
    run = cli(
        "destroy", "--contract", contract, "--ledger", ledger, "--party", "z", "--dataset", "d"
    )
    assert run.code == 1
    _append_by_hand(ledger, None, kind="destroyed", dataset="d", party="z")
    verify, proof = _verify_and_prove(contract, ledger)
    assert "z may not make the destruction of d" in verify and "art. 3" in proof


# --- keys bound to parties --------------------------------------------------------------------


def test_unsigned_events_appended_to_a_signed_ledger_are_refused_and_fail(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    run = send(contract, str(ledger), data_file(tmp_path, "later.csv"))  # no --key
    assert run.code == 1 and "signed" in run.stderr and "nothing was recorded" in run.stderr
    assert ledger.read_bytes() == before
    _append_by_hand(ledger, None, kind="milestone", milestone="done", party="b")
    for extra in ((), ("--keyring", keys)):
        verify = cli("ledger", "verify", "--ledger", ledger, *extra)
        assert verify.code == 1 and "seq 3" in verify.stderr, verify.everything
        proof = cli("prove", "--contract", contract, "--ledger", ledger, *extra)
        assert proof.code == 1 and "seq 3" in proof.everything


def test_a_hook_refuses_to_sign_with_another_partys_key(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(keys / "b.key", stolen / "a.key")  # b's key, named as a's
    os.chmod(stolen / "a.key", 0o600)
    f = data_file(tmp_path, "later.csv")
    run = send(contract, str(ledger), f, "--key", stolen / "a.key", "--keyring", keys)
    assert run.code == 1 and "not one of a's keys" in run.stderr, run.everything
    assert ledger.read_bytes() == before
    run = cli(
        "milestone", "done", "--contract", contract, "--ledger", ledger, "--key",
        stolen / "a.key", "--party", "a",
    )  # fmt: skip
    assert run.code in (1, 2) and ledger.read_bytes() == before


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    for mode in (0o644, 0o640, 0o604, 0o620):
        os.chmod(keys / "a.key", mode)
        run = send(contract, str(ledger), data_file(tmp_path, "x.csv"), "--key", keys / "a.key")
        assert run.code == 2 and "chmod 600" in run.stderr, (oct(mode), run.everything)
        assert ledger.read_bytes() == before
        run = cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key")
        assert run.code == 2
    os.chmod(keys / "a.key", 0o400)  # read-only for its owner: as ssh, accepted
    run = send(contract, str(ledger), data_file(tmp_path, "y.csv"), "--key", keys / "a.key")
    assert run.code == 0, run.everything


def test_a_keyring_giving_one_key_to_two_parties_is_refused(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    shutil.copy(keys / "a.pub", keys / "c.pub")
    for command in (
        ("ledger", "verify", "--ledger", ledger, "--keyring", keys),
        ("prove", "--contract", contract, "--ledger", ledger, "--keyring", keys),
    ):
        run = cli(*command)
        assert run.code == 2 and "same public key" in run.stderr, run.everything
        assert "a and c" in run.stderr


def test_an_unknown_field_added_to_a_signed_event_fails(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(rehashed(lines, 1, zz_secret_note="hidden")))
    for extra in ((), ("--keyring", keys)):
        verify = cli("ledger", "verify", "--ledger", ledger, *extra)
        assert verify.code == 1 and "field" in verify.stderr, verify.everything
        assert "zz_secret_note" not in verify.everything and "hidden" not in verify.everything
        proof = cli("prove", "--contract", contract, "--ledger", ledger, *extra)
        assert proof.code == 1 and "zz_secret_note" not in proof.everything


def _contract_with_keys(tmp_path: Path, keys: Path, **declared: str) -> Path:
    """The mini contract with `parties[].keys`: party -> the PARTY.pub whose key it declares."""
    text = MINI
    for party, pub in declared.items():
        key = public_text(load_public(keys / pub))
        text = text.replace(
            f"  - {{id: {party}, name: {party.upper()}, article: art. 1}}\n",
            f"  - {{id: {party}, name: {party.upper()}, article: art. 1, keys: ['{key}']}}\n",
        )
    path = tmp_path / "keyed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_keys_the_contract_declares_bind_every_event(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    _, keys = setup(tmp_path, str(ledger))
    contract = _contract_with_keys(tmp_path, keys, a="a.pub", b="b.pub")
    f = data_file(tmp_path, "d.csv")
    run = send(contract, str(ledger), f)  # unsigned
    assert run.code == 1 and "must be signed" in run.stderr and ledger.read_bytes() == b""
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(keys / "b.key", stolen / "a.key")
    run = send(contract, str(ledger), f, "--key", stolen / "a.key")  # b's key as a's
    assert run.code == 1 and "not one of a's keys" in run.stderr and ledger.read_bytes() == b""
    assert send(contract, str(ledger), f, "--key", keys / "a.key").code == 0
    assert receive(contract, str(ledger), f, "--key", keys / "b.key").code == 0
    # without a keyring, the contract's keys check every signature
    run = cli("prove", "--contract", contract, "--ledger", ledger)
    assert run.code == 0, run.everything
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(rehashed(lines, 1, rows=99)))
    verify, proof = _verify_and_prove(contract, ledger)
    assert "seq 1" in verify and "seq 1" in proof
    # a keyring that contradicts the contract is refused
    other = tmp_path / "other"
    assert cli("keys", "new", "--party", "a", "--out", other).code == 0
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--keyring", other)
    assert run.code == 2 and "not one the contract" in run.stderr


def test_a_contract_declaring_one_key_for_two_parties_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    _, keys = setup(tmp_path, str(ledger))
    contract = _contract_with_keys(tmp_path, keys, a="a.pub", b="a.pub")
    run = send(contract, str(ledger), data_file(tmp_path, "d.csv"), "--key", keys / "a.key")
    assert run.code == 2 and "same public key" in run.stderr


# --- 5. replays and repairs -------------------------------------------------------------------


def test_a_second_receipt_of_the_same_delivery_is_refused_and_a_breach(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    f = tmp_path / "d0.csv"
    run = receive(contract, str(ledger), f, "--key", keys / "b.key", "--keyring", keys)
    assert run.code == 1 and "received once" in run.stderr, run.everything
    assert ledger.read_bytes() == before
    run = receive(contract, str(ledger), f, "--key", keys / "b.key", "--record-violation")
    assert run.code == 1 and ledger.read_bytes() == before
    # the same receipt written into the file, signed by b: a breach, not counted twice
    receipt = read_ledger(ledger).events[-1]._asdict()
    fields = {k: v for k, v in receipt.items() if k not in ("seq", "prev", "hash", "sig")}
    fields["findings"] = []
    fields.pop("reference", None)
    _append_by_hand(ledger, keys / "b.key", **{k: v for k, v in fields.items() if v is not None})
    verify, proof = _verify_and_prove(contract, ledger, "--keyring", keys)
    assert "received once" in verify and "event 3" in verify
    assert "received once" in proof


def test_a_delivery_sent_twice_may_be_received_twice(tmp_path: Path) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    f = tmp_path / "d0.csv"
    assert send(contract, str(ledger), f, "--key", keys / "a.key").code == 0
    run = receive(contract, str(ledger), f, "--key", keys / "b.key", "--keyring", keys)
    assert run.code == 0, run.everything


def _repair_in_a_child(ledger: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """`ledger repair` in a child process whose files cannot grow beyond `limit` bytes (a
    full disk as RLIMIT_FSIZE makes it: EFBIG once the limit is reached)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    src = str(Path(datacontract.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "datacontract", "ledger", "repair", "--ledger", str(ledger)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limited,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("limit", [0, 60])
def test_repair_cuts_nothing_when_its_note_cannot_be_written(tmp_path: Path, limit: int) -> None:
    _, _, ledger = signed_flow(tmp_path)
    whole = ledger.read_bytes()
    torn = whole + whole.splitlines(keepends=True)[-1][:200]
    ledger.write_bytes(torn)
    log = ledger.with_name("ledger.jsonl.repairs.jsonl")
    done = _repair_in_a_child(ledger, limit)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "nothing was cut" in done.stderr and "Traceback" not in done.stderr
    assert ledger.read_bytes() == torn
    assert not log.exists() or log.read_bytes() == b""  # no half note either
    # once there is room, the repair is made and recorded
    assert cli("ledger", "repair", "--ledger", ledger).code == 0
    assert ledger.read_bytes() == whole
    assert json.loads(log.read_text(encoding="utf-8"))["bytes"] == 200


# --- issue 28, 2: a checkpoint belongs to its ledger ----------------------------------------


@pytest.mark.parametrize("other", ["another_contract_empty", "another_contract"])
def test_a_checkpoint_of_another_ledger_is_refused(tmp_path: Path, other: str) -> None:
    contract, keys, ledger = signed_flow(tmp_path)
    there = tmp_path / "there"
    there.mkdir()
    foreign = there / "other.yaml"
    foreign.write_text(MINI.replace("contract: mini", "contract: other"), encoding="utf-8")
    other_ledger = there / "ledger.jsonl"
    assert cli("ledger", "init", "--ledger", other_ledger, "--contract", foreign).code == 0
    if other == "another_contract":
        f = data_file(there, "o.csv")
        assert send(foreign, str(other_ledger), f, "--key", keys / "a.key").code == 0
    cp = tmp_path / "foreign.checkpoint"
    run = cli(
        "ledger", "checkpoint", "--ledger", other_ledger, "--key", keys / "a.key", "--output", cp
    )
    assert run.code == 0, run.everything
    for command in (
        ("ledger", "verify", "--ledger", ledger, "--checkpoint", cp),
        ("ledger", "verify", "--ledger", ledger, "--checkpoint", cp, "--keyring", keys),
        ("prove", "--contract", contract, "--ledger", ledger, "--checkpoint", cp),
    ):
        run = cli(*command)
        assert run.code == 1 and "foreign.checkpoint" in run.everything, run.everything
        assert "another ledger" in run.everything


def test_a_checkpoint_of_an_empty_ledger_of_another_contract_fails_the_proof(
    tmp_path: Path,
) -> None:
    """Even while this ledger is empty too: the proof knows the ledger's contract."""
    ledger = tmp_path / "ledger.jsonl"
    contract, keys = setup(tmp_path, str(ledger))
    foreign = tmp_path / "other.yaml"
    foreign.write_text(MINI.replace("contract: mini", "contract: other"), encoding="utf-8")
    other_ledger = tmp_path / "other.jsonl"
    assert cli("ledger", "init", "--ledger", other_ledger, "--contract", foreign).code == 0
    f = data_file(tmp_path, "o.csv")
    assert send(foreign, str(other_ledger), f, "--key", keys / "a.key").code == 0
    cp = tmp_path / "foreign.checkpoint"
    assert cli("ledger", "checkpoint", "--ledger", other_ledger, "--key", keys / "a.key",
               "--output", cp).code == 0  # fmt: skip
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--checkpoint", cp)
    assert run.code == 1 and "another ledger" in run.everything, run.everything
    run = cli("ledger", "verify", "--ledger", ledger, "--contract", contract, "--checkpoint", cp)
    assert run.code == 1 and "another ledger" in run.everything, run.everything


def test_a_key_renamed_beside_its_partys_public_key_is_refused(tmp_path: Path) -> None:
    """Without a keyring: b's private key copied over a.key, next to a.pub, is not a's."""
    contract, keys, ledger = signed_flow(tmp_path)
    before = ledger.read_bytes()
    shutil.copy(keys / "b.key", keys / "a.key")
    run = send(contract, str(ledger), data_file(tmp_path, "x.csv"), "--key", keys / "a.key")
    assert run.code == 2 and "not the private key of a.pub" in run.stderr, run.everything
    assert ledger.read_bytes() == before


def test_each_event_stands_as_evidence(tmp_path: Path) -> None:
    """The evidence the proof's documents show per event: verified, signed, or why it does not
    count."""
    from datacontract.api.ledger import AuditOptions, ledger_verify
    from datacontract.flow.authority import standing

    contract, keys, ledger = signed_flow(tmp_path)
    _append_by_hand(ledger, keys / "a.key", kind="milestone", milestone="done", party="a")
    _append_by_hand(ledger, None, kind="milestone", milestone="done", party="b")
    state = ledger_verify(AuditOptions(ledger, keys, (), contract)).state
    assert standing(state, keys_checked=True) == {
        1: "verified",
        2: "verified",
        3: "out_of_role",
        4: "unsigned",
    }
    plain = ledger_verify(AuditOptions(ledger)).state
    assert standing(plain, keys_checked=False) == {
        1: "signed",
        2: "signed",
        3: "signed",
        4: "unsigned",
    }


def test_an_empty_ledgers_checkpoint_names_its_contract(tmp_path: Path) -> None:
    """`ledger init` binds an empty file ledger to its contract: its checkpoint names it, and a
    checkpoint of another contract's empty ledger is refused, even by `ledger verify` alone."""
    ledger = tmp_path / "ledger.jsonl"
    contract, keys = setup(tmp_path, str(ledger))
    own = tmp_path / "own.checkpoint"
    assert cli("ledger", "checkpoint", "--ledger", ledger, "--key", keys / "a.key",
               "--output", own).code == 0  # fmt: skip
    assert own.read_text(encoding="utf-8").startswith("datacontract/mini\n0\n")
    foreign = tmp_path / "other.yaml"
    foreign.write_text(MINI.replace("contract: mini", "contract: other"), encoding="utf-8")
    other_ledger = tmp_path / "other.jsonl"
    assert cli("ledger", "init", "--ledger", other_ledger, "--contract", foreign).code == 0
    cp = tmp_path / "foreign.checkpoint"
    assert cli("ledger", "checkpoint", "--ledger", other_ledger, "--key", keys / "a.key",
               "--output", cp).code == 0  # fmt: skip
    run = cli("ledger", "verify", "--ledger", ledger, "--checkpoint", cp)
    assert run.code == 1 and "another ledger" in run.stderr, run.everything
    assert cli("ledger", "verify", "--ledger", ledger, "--checkpoint", own).code == 0
    # the ledger grows: its own checkpoint of size 0 is still extended, the foreign one not
    assert (
        send(contract, str(ledger), data_file(tmp_path, "d.csv"), "--key", keys / "a.key").code == 0
    )
    assert cli("ledger", "verify", "--ledger", ledger, "--checkpoint", own).code == 0
    run = cli("prove", "--contract", contract, "--ledger", ledger, "--checkpoint", cp)
    assert run.code == 1 and "foreign.checkpoint" in run.everything
