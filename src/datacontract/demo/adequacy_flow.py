"""The adequacy study's flow on the protocol's timeline, through the hooks a party calls.

D3 steps 3-6 in order: stap3 (IT -> each payer, January 2025), stap4 (each payer -> IT, by
February 2025, art. 5), stap6_contact (IT -> researchers), the fieldwork, destruction of the
contact data at the researchers and of the INSZ files at IT (art. 6, art. 12), and only then
stap6_achtergrond. Every step goes through hop.send / hop.receive / duties.destroy /
duties.milestone, exactly what `datacontract hop send ...` runs.

Every party signs its own events with its key (DIR/keys, made on the first run); receivers
check the senders' signed manifests against the keyring.

A named violation replaces one step with a bad one: it is first attempted live (and refused,
nothing recorded), then recorded with record_violation as if imported from a transfer log, so
that the proof shows the counterexample.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from datacontract.contract.load import LoadedContract
from datacontract.demo.synthetic import PAYERS, drop_last_row, with_insz_column
from datacontract.errors import ViolationError
from datacontract.flow import duties
from datacontract.flow import hop as hooks
from datacontract.ledger import store
from datacontract.ledger.keys import Signer, load_signer, new_keys

VIOLATIONS = {
    "background-too-early": "achtergrond sent while the researchers still hold dataset_4 (art. 6)",
    "second-delivery": "a payer delivers dataset_2 a second time (art. 5: eenmalig)",
    "tampered-file": "dataset_4 changed between send and receive (D3: hash in every part)",
    "insz-in-dataset-4": "dataset_4 sent with the INSZ numbers still in it (D3 stap 5)",
}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def party_keys(loaded: LoadedContract, folder: Path) -> dict[str, Signer]:
    """Every party's signing key, made in folder on the first run and kept for the next ones
    (the same keys sign the same timeline into the same ledger)."""
    keys = {}
    for party in loaded.contract.parties:
        if not (folder / f"{party.id}.key").is_file():
            new_keys(party.id, folder)
        keys[party.id] = load_signer(folder / f"{party.id}.key")
    return keys


@dataclasses.dataclass
class FlowRun:
    loaded: LoadedContract
    out: Path
    ledger: Path
    violation: str | None
    say: Callable[[str], None]
    keys: dict[str, Signer] = dataclasses.field(default_factory=dict)

    def transfer(self, kind: str, hop: str, file: Path, when: str, **parties: str) -> None:
        declared = self.loaded.contract.hop(hop)
        sender = parties.get("sender") or (declared.sender[0] if declared else "")
        receiver = parties.get("receiver") or (declared.receiver[0] if declared else "")
        request = hooks.Transfer(
            self.loaded,
            hop,
            file,
            self.ledger,
            parties.get("sender"),
            parties.get("receiver"),
            _at(when),
            key=self.keys.get(sender if kind == "send" else receiver),
            keyring={p: k.public() for p, k in self.keys.items()},
        )
        run = hooks.send if kind == "send" else hooks.receive
        try:
            run(request)
        except ViolationError as refusal:
            if self.violation is None:
                raise
            self.say(f"[red]refused live[/] ({kind} {hop} {file.name}):\n{refusal}")
            recorded = run(dataclasses.replace(request, record_violation=True))
            self.say(
                f"[yellow]recorded as violation[/] event {recorded.event.seq} "
                "(--record-violation, as imported from a transfer log)"
            )

    def step(self, hop: str, file: Path, send_at: str, receive_at: str, **p: str) -> None:
        self.transfer("send", hop, file, send_at, **p)
        self.transfer("receive", hop, file, receive_at, **p)


def run_flow(
    loaded: LoadedContract,
    out: Path,
    files: dict[str, Path],
    violation: str | None,
    say: Callable[[str], None],
) -> Path:
    """Run the flow, write DIR/ledger.jsonl (a fresh one each run), return its path."""
    ledger = out / "ledger.jsonl"
    for stale in (ledger, out / "ledger.jsonl.lock"):
        stale.unlink(missing_ok=True)  # the demo's own ledger: a new run starts a new one
    store.init(ledger, loaded.contract.contract, loaded.contract.version)
    keys = party_keys(loaded, out / "keys")
    run = FlowRun(loaded, out, ledger, violation, say, keys)
    payers = [p.lower() for p in PAYERS]
    # D3 stap 6: Opgroeien regie concludes the processor agreement with the researchers
    # "op voorhand", before any file reaches them.
    duties.milestone(
        loaded,
        ledger,
        "verwerkersovereenkomst_onderzoekers",
        at=_at("2025-01-10T09:00:00+01:00"),
        key=keys["opgroeien_dm"],
    )
    duties.made(
        loaded,
        ledger,
        "opgroeien_it",
        "dataset_1",
        _at("2025-01-14T16:00:00+01:00"),
        keys["opgroeien_it"],
    )
    for i, payer in enumerate(payers):
        f = files[f"dataset_1_{payer}"]
        run.step(
            "stap3",
            f,
            f"2025-01-15T09:{2 * i:02d}:00+01:00",
            f"2025-01-15T09:{2 * i + 1:02d}:00+01:00",
            receiver=payer,
        )
    for i, payer in enumerate(payers):
        f = files[f"dataset_2_{payer}"]
        run.step(
            "stap4",
            f,
            f"2025-02-{10 + i:02d}T14:00:00+01:00",
            f"2025-02-{10 + i:02d}T15:00:00+01:00",
            sender=payer,
        )
    if violation == "second-delivery":
        f = files[f"dataset_2_{payers[0]}"]
        run.step(
            "stap4", f, "2025-02-27T14:00:00+01:00", "2025-02-27T15:00:00+01:00", sender=payers[0]
        )
    for k, dataset in enumerate(("dataset_3", "dataset_4")):
        duties.made(
            loaded,
            ledger,
            "opgroeien_it",
            dataset,
            _at(f"2025-03-0{3 + k}T10:00:00+01:00"),
            keys["opgroeien_it"],
        )
    d4 = files["dataset_4"]
    if violation == "insz-in-dataset-4":
        d4 = with_insz_column(d4)
    if violation == "tampered-file":
        run.transfer("send", "stap6_contact", d4, "2025-03-10T10:00:00+01:00")
        drop_last_row(d4)
        run.transfer("receive", "stap6_contact", d4, "2025-03-10T11:00:00+01:00")
    else:
        run.step("stap6_contact", d4, "2025-03-10T10:00:00+01:00", "2025-03-10T11:00:00+01:00")
    duties.milestone(
        loaded,
        ledger,
        "veldwerk_gestart",
        at=_at("2025-03-17T09:00:00+01:00"),
        key=keys["onderzoekers_swvg"],
    )
    duties.milestone(
        loaded,
        ledger,
        "veldwerk_afgelopen",
        at=_at("2025-06-30T17:00:00+02:00"),
        key=keys["onderzoekers_swvg"],
    )
    # art. 6: the researchers delete the contact data after the prize draw.
    duties.milestone(
        loaded,
        ledger,
        "loting_deelnameprijzen",
        at=_at("2025-07-01T09:00:00+02:00"),
        key=keys["onderzoekers_swvg"],
    )
    if violation != "background-too-early":
        duties.destroy(
            loaded,
            ledger,
            "onderzoekers_swvg",
            "dataset_4",
            _at("2025-07-01T10:00:00+02:00"),
            keys["onderzoekers_swvg"],
        )
    # art. 12 and art. 6: IT destroys the files with INSZ and its own copies of the contact file.
    for k, dataset in enumerate(("dataset_1", "dataset_2", "dataset_3", "dataset_4")):
        duties.destroy(
            loaded,
            ledger,
            "opgroeien_it",
            dataset,
            _at(f"2025-07-0{2 + k}T10:00:00+02:00"),
            keys["opgroeien_it"],
        )
    # The background file is drawn from the DWH once IT holds no contact file (art. 6).
    duties.made(
        loaded,
        ledger,
        "opgroeien_it",
        "achtergrond",
        _at("2025-07-10T10:00:00+02:00"),
        keys["opgroeien_it"],
    )
    run.step(
        "stap6_achtergrond",
        files["achtergrond"],
        "2025-07-15T10:00:00+02:00",
        "2025-07-15T11:00:00+02:00",
    )
    if violation == "background-too-early":
        duties.destroy(
            loaded,
            ledger,
            "onderzoekers_swvg",
            "dataset_4",
            _at("2025-07-20T10:00:00+02:00"),
            keys["onderzoekers_swvg"],
        )
    return ledger
