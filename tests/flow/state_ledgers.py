"""Generated ledgers for the proof-state tests: random events on a contract's declared names
(and now and then an undeclared one), sends and receipts on its hops, destructions of one
delivery or of every copy, makings, milestones, violations with findings, key digests and
retention references. Synthetic: hashes are digests of counters, never data."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

from datacontract.contract.load import LoadedContract
from datacontract.ledger.chain import Event
from datacontract.ledger.event import GENESIS

START = datetime(2025, 1, 1, tzinfo=UTC)


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def generated(loaded: LoadedContract, n: int, seed: int) -> list[Event]:
    """n events on the contract's flow, in time order (a day or so apart)."""
    c = loaded.contract
    rng = random.Random(seed)
    parties = [p.id for p in c.parties] + ["outsider"]
    datasets = [d.id for d in c.datasets] + ["stray"]
    milestones = [m.id for m in c.milestones] or ["none"]
    hops = list(c.hops)
    files = [_digest("file", i) for i in range(6)]  # few files: identical bytes recur
    keys = [_digest("keys", i) for i in range(3)]
    received: list[Event] = []
    sends: list[Event] = []
    out: list[Event] = []
    when = START
    for seq in range(1, n + 1):
        when += timedelta(hours=rng.randint(1, 60))
        kind = rng.choices(["sent", "received", "destroyed", "milestone", "made"], [5, 5, 3, 1, 1])[
            0
        ]
        fields: dict[str, object] = {}
        if kind == "received" and sends and rng.random() < 0.7:
            got = rng.choice(sends)
            fields = {
                "hop": got.hop,
                "sender": got.sender,
                "receiver": got.receiver,
                "dataset": got.dataset,
                "party": got.receiver,
                "sha256": got.sha256,
                "rows": got.rows,
                "keys": got.keys,
                "reference": got.reference,
            }
        elif kind in ("sent", "received") and hops:
            hop = rng.choice(hops)
            sender = rng.choice(hop.sender) if rng.random() > 0.05 else rng.choice(parties)
            receiver = rng.choice(hop.receiver) if rng.random() > 0.05 else rng.choice(parties)
            dataset = hop.dataset if rng.random() > 0.05 else rng.choice(datasets)
            fields = {
                "hop": hop.id if rng.random() > 0.03 else "detour",
                "sender": sender,
                "receiver": receiver,
                "dataset": dataset,
                "party": sender if kind == "sent" else receiver,
                "sha256": rng.choice(files),
                "rows": rng.randint(0, 9),
                "keys": rng.choice([None, *keys]),
                "reference": rng.choice([None, None, "2024-06-30", "2026-02-01"]),
            }
        elif kind == "destroyed":
            if received and rng.random() < 0.6:
                got = rng.choice(received)
                party, dataset = got.receiver, got.dataset
                sha = got.sha256 if rng.random() < 0.7 else None
            else:
                party, dataset, sha = rng.choice(parties), rng.choice(datasets), None
            fields = {"party": party, "dataset": dataset, "sha256": sha}
        elif kind == "milestone":
            fields = {"party": rng.choice(parties), "milestone": rng.choice(milestones)}
        else:
            kind = "made"
            fields = {"party": rng.choice(parties), "dataset": rng.choice(datasets)}
        violation = rng.random() < 0.04
        findings = (
            ({"rule": f"r{rng.randint(1, 3)}", "article": "art. 3", "count": 1},)
            if violation
            else ()
        )
        e = Event(
            seq=seq,
            time=when.isoformat(),
            kind=kind,
            party=fields.get("party"),  # type: ignore[arg-type]
            dataset=fields.get("dataset"),  # type: ignore[arg-type]
            hop=fields.get("hop"),  # type: ignore[arg-type]
            sender=fields.get("sender"),  # type: ignore[arg-type]
            receiver=fields.get("receiver"),  # type: ignore[arg-type]
            sha256=fields.get("sha256"),  # type: ignore[arg-type]
            rows=fields.get("rows"),  # type: ignore[arg-type]
            contract=c.contract,
            contract_version=c.version,
            violation=violation,
            findings=findings,
            prev=out[-1].hash if out else GENESIS,
            hash=_digest("event", seed, seq),
            milestone=fields.get("milestone"),  # type: ignore[arg-type]
            keys=fields.get("keys"),  # type: ignore[arg-type]
            reference=fields.get("reference"),  # type: ignore[arg-type]
        )
        if kind == "received":
            received.append(e)
        elif kind == "sent":
            sends.append(e)
        out.append(e)
    return out
