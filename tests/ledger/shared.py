"""What the shared-ledger tests share: a minimal contract with one hop, keys, a ledger
(a file or a PostgreSQL database), and the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run, run_cli

from datacontract.ledger.canonical import canonical_json
from datacontract.ledger.event import digest

HEAD = """\
contract: mini
version: "1"
title: t
protocol: {title: p, date: 2025-01-01, seed: s.txt}
parties:
  - {id: a, name: A, article: art. 1}
  - {id: b, name: B, article: art. 1}
channels:
  - {id: c, name: C, article: art. 1}
"""
"""The head of every small synthetic contract: two parties a and b, one channel c."""

DATASET_D = """\
datasets:
  - id: d
    title: D
    made_by: a
    article: art. 3
    columns:
      - {name: x, category: background, article: art. 3}
"""
"""A `datasets:` list of one dataset d (made by a, one column x): more may follow it."""

MINI = (
    HEAD
    + DATASET_D
    + """\
hops:
  - {id: share, dataset: d, from: a, to: b, channel: c, article: art. 4}
milestones:
  - {id: done, title: Done, party: b, article: art. 5}
invariants:
  - {id: ledger_intact, kind: ledger_intact, title: intact, article: art. 6}
"""
)
"""HEAD with one dataset d made by a, one hop `share` a -> b, a milestone and one invariant."""


def cli(*args: str | Path) -> Run:
    run = run_cli(*args)
    assert "Traceback" not in run.everything and "internal error" not in run.everything
    return run


def setup(tmp_path: Path, ledger: str, text: str = MINI) -> tuple[Path, Path]:
    """The contract (`text`, MINI or one with the hop `share` a -> b of dataset d) and a keys
    folder with a.key/a.pub and b.key/b.pub; the ledger made."""
    contract = tmp_path / "mini.yaml"
    contract.write_text(text, encoding="utf-8")
    keys = tmp_path / "keys"
    for party in ("a", "b"):
        assert cli("keys", "new", "--party", party, "--out", keys).code == 0
    assert cli("ledger", "init", "--ledger", ledger, "--contract", contract).code == 0
    return contract, keys


def signed_flow(tmp_path: Path, transfers: int = 1, text: str = MINI) -> tuple[Path, Path, Path]:
    """(contract, keys, ledger): signed transfers a -> b on `share` (setup's contract), each
    sent and received (2 events each), file n holding n + 1 rows."""
    ledger = tmp_path / "ledger.jsonl"
    contract, keys = setup(tmp_path, str(ledger), text)
    for n in range(transfers):
        f = data_file(tmp_path, f"d{n}.csv", rows=n + 1)
        assert send(contract, str(ledger), f, "--key", keys / "a.key").code == 0
        run = receive(contract, str(ledger), f, "--key", keys / "b.key", "--keyring", keys)
        assert run.code == 0, run.everything
    return contract, keys, ledger


def data_file(tmp_path: Path, name: str, rows: int = 3) -> Path:
    path = tmp_path / name
    path.write_text("x\n" + "".join(f"{i}\n" for i in range(rows)), encoding="utf-8")
    return path


def send(contract: Path, ledger: str, file: Path, *extra: str | Path) -> Run:
    return cli(
        "hop", "send", file, "--contract", contract, "--hop", "share", "--ledger", ledger, *extra
    )


def receive(contract: Path, ledger: str, file: Path, *extra: str | Path) -> Run:
    return cli(
        "hop", "receive", file, "--contract", contract, "--hop", "share", "--ledger", ledger,
        *extra,
    )  # fmt: skip


def rehashed(lines: list[bytes], seq: int, **changes: object) -> list[bytes]:
    """The ledger with event seq changed and every hash after it recomputed (signatures kept):
    what someone with write access to the file can do without anyone's key."""
    out: list[bytes] = []
    prev = None
    new: dict[str, str] = {}  # old hash -> new: receipts' witnesses are rewritten as well
    for raw in lines:
        obj = json.loads(raw)
        if obj["seq"] == seq:
            obj.update(changes)
        if prev is not None:
            obj["prev"] = prev
        if "witness" in obj:
            at, head = obj["witness"].split(":")
            obj["witness"] = f"{at}:{new.get(head, head)}"
        old = obj.pop("hash")
        obj["hash"] = new[old] = digest(obj)
        prev = obj["hash"]
        out.append((canonical_json(obj) + "\n").encode("utf-8"))
    return out
