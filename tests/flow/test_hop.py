"""The hooks through the published command line: what they record, and what they refuse.

A refusal exits 1, names the rule and its article, and leaves the ledger byte for byte as it
was. --record-violation records the transfer anyway, with its findings, and still exits 1.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.conftest import CONTRACT, Run, run_cli

from datacontract.ledger.chain import read_ledger
from datacontract.ledger.manifest import manifest_path
from datacontract.personal.insz import make_insz

PAYERS = ("fons", "kidslife", "infino", "myfamily", "parentia")


@pytest.fixture()
def files(study_dir: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A private copy of the study's files: hooks write manifests beside them."""
    out = {}
    for name, path in study_dir.items():
        out[name] = tmp_path / path.name
        shutil.copy(path, out[name])
    return out


def hook(*args: str | Path) -> Run:
    run = run_cli(*args)
    assert "Traceback" not in run.everything
    return run


def send(ledger: Path, file: Path, hop: str, at: str, *extra: str) -> Run:
    return hook(
        "hop",
        "send",
        file,
        "--contract",
        CONTRACT,
        "--hop",
        hop,
        "--ledger",
        ledger,
        "--at",
        at,
        *extra,
    )


def receive(ledger: Path, file: Path, hop: str, at: str, *extra: str) -> Run:
    return hook(
        "hop",
        "receive",
        file,
        "--contract",
        CONTRACT,
        "--hop",
        hop,
        "--ledger",
        ledger,
        "--at",
        at,
        *extra,
    )


def destroy(ledger: Path, party: str, dataset: str, at: str) -> Run:
    return hook(
        "destroy",
        "--contract",
        CONTRACT,
        "--party",
        party,
        "--dataset",
        dataset,
        "--ledger",
        ledger,
        "--at",
        at,
    )


def milestone(ledger: Path, name: str, at: str) -> Run:
    return hook("milestone", name, "--contract", CONTRACT, "--ledger", ledger, "--at", at)


def refused(run: Run, ledger: Path, before: bytes, *words: str) -> None:
    assert run.code == 1, run.everything
    assert "refused" in run.stderr
    for word in words:
        assert word in run.stderr, (word, run.stderr)
    assert (ledger.read_bytes() if ledger.exists() else b"") == before


def up_to_fieldwork(ledger: Path, files: dict[str, Path]) -> None:
    """The processor agreement, stap3 and stap4 for every payer, stap6_contact, and the
    fieldwork."""
    agreement = "verwerkersovereenkomst_onderzoekers"
    assert milestone(ledger, agreement, "2025-01-10T09:00:00+01:00").code == 0
    for i, p in enumerate(PAYERS):
        f = files[f"dataset_1_{p}"]
        assert send(ledger, f, "stap3", f"2025-01-15T09:{2 * i:02d}:00+01:00", "--to", p).code == 0
        assert receive(ledger, f, "stap3", f"2025-01-15T09:{2 * i + 1:02d}:00+01:00").code == 0
    for i, p in enumerate(PAYERS):
        f = files[f"dataset_2_{p}"]
        assert send(ledger, f, "stap4", f"2025-02-1{i}T14:00:00+01:00", "--from", p).code == 0
        assert receive(ledger, f, "stap4", f"2025-02-1{i}T15:00:00+01:00").code == 0
    d4 = files["dataset_4"]
    assert send(ledger, d4, "stap6_contact", "2025-03-10T10:00:00+01:00").code == 0
    assert receive(ledger, d4, "stap6_contact", "2025-03-10T11:00:00+01:00").code == 0
    assert milestone(ledger, "veldwerk_afgelopen", "2025-06-30T17:00:00+02:00").code == 0


def test_honest_flow_records_everything_and_proves(files: dict[str, Path], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    up_to_fieldwork(ledger, files)
    assert destroy(ledger, "onderzoekers_swvg", "dataset_4", "2025-07-01T10:00:00+02:00").code == 0
    # art. 12, and art. 6 ("noch door Opgroeien Regie"): IT's own copy of dataset_4 goes too.
    for k, ds in enumerate(("dataset_1", "dataset_2", "dataset_3", "dataset_4")):
        assert destroy(ledger, "opgroeien_it", ds, f"2025-07-0{2 + k}T10:00:00+02:00").code == 0
    a = files["achtergrond"]
    assert send(ledger, a, "stap6_achtergrond", "2025-07-15T10:00:00+02:00").code == 0
    assert receive(ledger, a, "stap6_achtergrond", "2025-07-15T11:00:00+02:00").code == 0
    manifest = json.loads(manifest_path(a).read_text(encoding="utf-8"))
    assert manifest["sha256"] == read_ledger(ledger).events[-1].sha256
    assert {"size", "rows", "dataset", "hop", "sender", "receiver", "contract_sha256"} <= set(
        manifest
    )
    state = read_ledger(ledger)
    assert state.intact and len(state.events) == 31
    run = hook(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-12-01T00:00:00+01:00"
    )
    assert run.code == 0, run.everything


def test_background_while_contact_held_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    up_to_fieldwork(ledger, files)
    before = ledger.read_bytes()
    a = files["achtergrond"]
    run = send(ledger, a, "stap6_achtergrond", "2025-07-15T10:00:00+02:00")
    refused(run, ledger, before, "contact_and_background_apart", "art. 6")
    assert not manifest_path(a).exists()  # a refused file is never recorded as sent
    recorded = send(
        ledger, a, "stap6_achtergrond", "2025-07-15T10:00:00+02:00", "--record-violation"
    )
    assert recorded.code == 1 and "RECORDED AS VIOLATION" in recorded.stderr
    last = read_ledger(ledger).events[-1]
    assert last.violation and {f["rule"] for f in last.findings} >= {"contact_and_background_apart"}
    proof = hook(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-07-16T00:00:00+02:00"
    )
    assert proof.code == 1 and "contact_and_background_apart" in proof.stdout


def test_contact_after_background_and_second_stap4_are_refused(
    files: dict[str, Path], tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    up_to_fieldwork(ledger, files)
    before = ledger.read_bytes()
    again = send(
        ledger, files["dataset_2_fons"], "stap4", "2025-07-01T10:00:00+02:00", "--from", "fons"
    )
    refused(again, ledger, before, "payers_once_by_february", "art. 5")
    assert destroy(ledger, "onderzoekers_swvg", "dataset_4", "2025-07-01T10:00:00+02:00").code == 0
    for k, ds in enumerate(("dataset_1", "dataset_2", "dataset_3", "dataset_4")):
        assert destroy(ledger, "opgroeien_it", ds, f"2025-07-0{2 + k}T10:00:00+02:00").code == 0
    a = files["achtergrond"]
    assert send(ledger, a, "stap6_achtergrond", "2025-07-15T10:00:00+02:00").code == 0
    assert receive(ledger, a, "stap6_achtergrond", "2025-07-15T11:00:00+02:00").code == 0
    before = ledger.read_bytes()
    late = send(ledger, files["dataset_4"], "stap6_contact", "2025-08-01T10:00:00+02:00")
    refused(late, ledger, before, "no_contact_after_background")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--hop", "stap7"], ["unknown hop 'stap7'", "known: stap3, stap4", "art."]),
        (["--hop", "stap4", "--from", "gemeente_x"], ["unknown party 'gemeente_x'", "known: "]),
        (["--hop", "stap4", "--from", "opgroeien_dm"], ["does not send on stap4"]),
    ],
)
def test_undeclared_hop_or_party_is_refused(
    files: dict[str, Path], tmp_path: Path, args: list[str], words: list[str]
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    run = hook(
        "hop",
        "send",
        files["dataset_2_fons"],
        "--contract",
        CONTRACT,
        "--ledger",
        ledger,
        "--at",
        "2025-02-10T10:00:00+01:00",
        *args,
    )
    refused(run, ledger, b"", *words)


def test_file_that_breaks_the_contract_is_refused_at_send(
    files: dict[str, Path], tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    bad = tmp_path / "dataset_1_bad.parquet"
    table = pq.read_table(files["dataset_1_fons"])
    pq.write_table(table.append_column("email", pa.array(["x@example.be"] * table.num_rows)), bad)
    run = send(ledger, bad, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons")
    refused(run, ledger, b"", "dataset_1.columns.allowed", "D3 stap 2")
    assert "x@example.be" not in run.everything


def test_stap4_from_a_payer_holding_another_payers_families_is_refused(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """`ua` must be the sender: kidslife cannot send fons's file (What must hold, 1)."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    run = send(
        ledger, files["dataset_2_fons"], "stap4", "2025-02-10T10:00:00+01:00", "--from", "kidslife"
    )
    refused(run, ledger, b"", "ua")


def test_file_changed_between_send_and_receive(files: dict[str, Path], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    f = files["dataset_1_fons"]
    assert send(ledger, f, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons").code == 0
    table = pq.read_table(f)
    pq.write_table(table.slice(0, table.num_rows - 1), f)
    before = ledger.read_bytes()
    run = receive(ledger, f, "stap3", "2025-01-15T10:00:00+01:00")
    refused(run, ledger, before, "hash_travels_with_file", "SHA-256")
    recorded = receive(ledger, f, "stap3", "2025-01-15T10:00:00+01:00", "--record-violation")
    assert recorded.code == 1
    proof = hook(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-01-16T00:00:00+01:00"
    )
    assert proof.code == 1 and "hash_travels_with_file" in proof.stdout


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "emptied", "one_byte_flipped", "appended"],
)
def test_a_file_damaged_after_send_is_refused_for_its_hash_before_it_is_parsed(
    files: dict[str, Path], tmp_path: Path, damage: str
) -> None:
    # Integrity first (D3): whatever the damage, the refusal is "not the file that was sent",
    # exit 1, never "not a Parquet file" (exit 2); recorded only with --record-violation.
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    f = tmp_path / files["dataset_1_fons"].name
    f.write_bytes(files["dataset_1_fons"].read_bytes())
    assert send(ledger, f, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons").code == 0
    data = f.read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "garbage": b"\x00\x01 not parquet at all",
        "emptied": b"",
        "one_byte_flipped": data[:100] + bytes([data[100] ^ 1]) + data[101:],
        "appended": data + b"x",
    }[damage]
    f.write_bytes(damaged)
    before = ledger.read_bytes()
    run = receive(ledger, f, "stap3", "2025-01-15T10:00:00+01:00")
    refused(run, ledger, before, "hash_travels_with_file", "does not match the manifest")
    assert "event 1" in run.stderr and "Parquet" not in run.stderr
    recorded = receive(ledger, f, "stap3", "2025-01-15T10:00:00+01:00", "--record-violation")
    assert recorded.code == 1 and ledger.read_bytes() != before


def test_receive_without_manifest_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    run = receive(
        tmp_path / "ledger.jsonl", files["dataset_4"], "stap6_contact", "2025-03-10T10:00:00+01:00"
    )
    assert run.code == 2 and "manifest" in run.stderr


def test_event_out_of_order_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    assert (
        send(
            ledger, files["dataset_1_fons"], "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons"
        ).code
        == 0
    )
    before = ledger.read_bytes()
    run = send(
        ledger, files["dataset_1_infino"], "stap3", "2025-01-14T09:00:00+01:00", "--to", "infino"
    )
    assert run.code == 1 and "time order" in run.stderr
    assert ledger.read_bytes() == before


@pytest.mark.parametrize("damage", ["edit", "remove", "swap", "truncate"])
def test_tampered_ledger_refuses_every_append(
    files: dict[str, Path], tmp_path: Path, damage: str
) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    for i, p in enumerate(PAYERS[:3]):
        assert (
            send(
                ledger, files[f"dataset_1_{p}"], "stap3", f"2025-01-15T09:0{i}:00+01:00", "--to", p
            ).code
            == 0
        )
    lines = ledger.read_bytes().splitlines(keepends=True)
    if damage == "edit":
        lines[1] = lines[1].replace(b'"rows":', b'"rows":1')
    elif damage == "remove":
        del lines[1]
    elif damage == "swap":
        lines[0], lines[1] = lines[1], lines[0]
    else:
        lines[-1] = lines[-1][:-20]
    ledger.write_bytes(b"".join(lines))
    before = ledger.read_bytes()
    run = milestone(ledger, "veldwerk_gestart", "2025-03-17T09:00:00+01:00")
    assert run.code == 1 and "not intact" in run.stderr and "line" in run.stderr
    assert ledger.read_bytes() == before


def test_destroy_what_is_not_held_is_refused(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    run = destroy(ledger, "onderzoekers_swvg", "dataset_4", "2025-07-01T10:00:00+02:00")
    refused(run, ledger, b"", "holds no dataset_4")
    made = destroy(ledger, "opgroeien_it", "dataset_3", "2025-07-01T10:00:00+02:00")
    assert made.code == 0  # the contract says IT makes dataset_3


def test_unknown_milestone_is_a_usage_error(tmp_path: Path) -> None:
    run = milestone(tmp_path / "ledger.jsonl", "veldwerk_afgelopn", "2025-06-30T17:00:00+02:00")
    assert run.code == 2 and "did you mean 'veldwerk_afgelopen'" in run.stderr


def test_time_without_offset_is_a_usage_error(files: dict[str, Path], tmp_path: Path) -> None:
    run = send(tmp_path / "l.jsonl", files["dataset_4"], "stap6_contact", "2025-03-10T10:00:00")
    assert run.code == 2 and "offset" in run.stderr


def test_fan_out_hop_needs_the_party(files: dict[str, Path], tmp_path: Path) -> None:
    run = send(tmp_path / "l.jsonl", files["dataset_1_fons"], "stap3", "2025-01-15T09:00:00+01:00")
    assert run.code == 2 and "--to" in run.stderr and "kidslife" in run.stderr


def test_five_payers_send_at_once(files: dict[str, Path], tmp_path: Path) -> None:
    """Five processes, one ledger: five events, an intact chain, no interleaved bytes."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    exe = Path(sys.executable).parent / "datacontract"
    procs = [
        subprocess.Popen(
            [
                str(exe),
                "hop",
                "send",
                str(files[f"dataset_2_{p}"]),
                "--contract",
                str(CONTRACT),
                "--hop",
                "stap4",
                "--from",
                p,
                "--ledger",
                str(ledger),
                "--at",
                "2025-02-10T14:00:00+01:00",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for p in PAYERS
    ]
    codes = [proc.wait(timeout=120) for proc in procs]
    assert codes == [0] * 5, [proc.stderr.read() for proc in procs if proc.stderr]
    state = read_ledger(ledger)
    assert state.intact
    assert sorted(e.sender or "" for e in state.events) == sorted(PAYERS)
    assert [e.seq for e in state.events] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("change", ["lost", "added"])
def test_payer_returns_exactly_its_families(
    files: dict[str, Path], tmp_path: Path, change: str
) -> None:
    """dataset_2 holds the families of the dataset_1 the payer got: none lost, none added."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    assert (
        send(
            ledger, files["dataset_1_fons"], "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons"
        ).code
        == 0
    )
    d2 = files["dataset_2_fons"]
    table = pq.read_table(d2)
    if change == "lost":
        table = table.slice(1)
    else:
        extra = table.slice(0, 1).to_pylist()[0]
        extra["insz"] = make_insz(dt.date(1984, 2, 29), 313)  # an income provider not sent
        table = pa.concat_tables([table, pa.Table.from_pylist([extra], schema=table.schema)])
    pq.write_table(table, d2)
    before = ledger.read_bytes()
    run = send(ledger, d2, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons")
    refused(run, ledger, before, "payer_returns_its_own_families", "D3 stap 3 en stap 4")
    assert (
        send(
            ledger, d2, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons", "--record-violation"
        ).code
        == 1
    )
    proof = hook(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-02-11T00:00:00+01:00"
    )
    assert proof.code == 1 and "payer_returns_its_own_families" in proof.stdout


def test_the_same_families_in_another_order_pass(files: dict[str, Path], tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    assert (
        send(
            ledger, files["dataset_1_fons"], "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons"
        ).code
        == 0
    )
    d2 = files["dataset_2_fons"]
    table = pq.read_table(d2)
    pq.write_table(table.take(list(range(table.num_rows - 1, -1, -1))), d2)
    assert send(ledger, d2, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons").code == 0


def test_made_records_what_the_contract_says_a_party_makes(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    run = hook(
        "made",
        "--contract",
        CONTRACT,
        "--party",
        "opgroeien_it",
        "--dataset",
        "dataset_3",
        "--ledger",
        ledger,
        "--at",
        "2025-03-03T10:00:00+01:00",
    )
    assert run.code == 0 and "MADE event 1" in run.stdout
    before = ledger.read_bytes()
    wrong = hook(
        "made",
        "--contract",
        CONTRACT,
        "--party",
        "onderzoekers_swvg",
        "--dataset",
        "dataset_3",
        "--ledger",
        ledger,
        "--at",
        "2025-03-04T10:00:00+01:00",
    )
    refused(wrong, ledger, before, "does not say onderzoekers_swvg makes dataset_3")
    # made and never destroyed: late by the end of the fieldwork + 30 days
    assert milestone(ledger, "veldwerk_afgelopen", "2025-06-30T17:00:00+02:00").code == 0
    proof = hook(
        "prove", "--contract", CONTRACT, "--ledger", ledger, "--at", "2025-09-01T00:00:00+02:00"
    )
    assert proof.code == 1 and "insz_files_destroyed" in proof.stdout


@pytest.mark.parametrize("hop", ["stap3", "stap3_telefoon"])
def test_stap3_to_a_payer_with_another_payers_clients_is_refused(
    hop: str, files: dict[str, Path], tmp_path: Path
) -> None:
    """000 art. 6: "KRING bezorgt elke uitbetalingsactor ... een deelbestand met gegevens over
    diens cliënten": a dataset_1 of KIDSLIFE's families sent to infino is refused, on the
    first wave and on the phone wave (issue 24, high finding 2)."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()  # `ledger init`: an empty ledger
    if hop == "stap3_telefoon":
        assert milestone(ledger, "veldwerk_gestart", "2025-03-01T09:00:00+01:00").code == 0
    before = ledger.read_bytes()
    f = files["dataset_1_kidslife"]
    run = send(ledger, f, hop, "2025-03-15T09:00:00+01:00", "--to", "infino")
    refused(run, ledger, before, "dataset_1.ua.is_receiver", "diens cliënten")
    # the same file to its own payer passes
    assert send(ledger, f, hop, "2025-03-15T09:01:00+01:00", "--to", "kidslife").code == 0


def test_a_return_that_writes_the_insz_otherwise_holds_the_same_families(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """Keys are compared as the detector reads them (issue 24): a dataset_2 that differs from
    the dataset_1 it answers only by the notation of the INSZ (YY.MM.DD-SSS.CC, as on the eID
    card) or the case of a CGPA code returns the same families; a dropped family does not."""
    import pyarrow.compute as pc

    from datacontract.personal.insz import format_insz

    ledger = tmp_path / "ledger.jsonl"
    ledger.touch()
    d1 = files["dataset_1_fons"]
    assert send(ledger, d1, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons").code == 0
    assert receive(ledger, d1, "stap3", "2025-01-15T09:01:00+01:00", "--to", "fons").code == 0
    table = pq.read_table(files["dataset_2_fons"])
    dotted = pa.array([format_insz(v, "dotted") for v in table.column("insz").to_pylist()])
    table = table.set_column(table.schema.get_field_index("insz"), "insz", dotted)
    d2 = tmp_path / "dataset_2_fons_dotted.parquet"
    pq.write_table(table, d2)
    assert send(ledger, d2, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons").code == 0
    run = hook("prove", "--contract", CONTRACT, "--ledger", ledger, "--at",
               "2025-02-11T00:00:00+01:00", "--format", "json")  # fmt: skip
    verdicts = {v["invariant"]: v["holds"] for v in json.loads(run.stdout)["verdicts"]}
    assert verdicts["payer_returns_its_own_families"] is True
    # a family dropped is still caught
    fewer = tmp_path / "dataset_2_fons_fewer.parquet"
    pq.write_table(table.filter(pc.not_equal(table.column("insz"), dotted[0])), fewer)
    ledger2 = tmp_path / "ledger2.jsonl"
    ledger2.touch()
    assert send(ledger2, d1, "stap3", "2025-01-15T09:00:00+01:00", "--to", "fons").code == 0
    assert send(ledger2, fewer, "stap4", "2025-02-10T14:00:00+01:00", "--from", "fons").code != 0
