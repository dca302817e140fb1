"""check/keyhash.py gives pandas' own row hash of key columns of every declarable type: the keys
digest that hops record must not change. Held to golden vectors made with pandas
(make_keyhash_vectors.py, keyhash_vectors.json; no pandas needed here), and its SipHash-2-4 to
the reference test vectors (Aumasson and Bernstein 2012; the reference code's vectors_sip64:
key 00 01 .. 0f, message 00 01 .. n-1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from make_keyhash_vectors import TYPES, column

from datacontract.check.keyhash import column_hashes, pandas_row_hashes, siphash24
from datacontract.personal.insz import make_insz

VECTORS = json.loads(Path(__file__).with_name("keyhash_vectors.json").read_text())["vectors"]

# SipHash-2-4, key 000102..0f, message 00 01 .. n-1, for n = 0 .. 17
REFERENCE = [
    0x726FDB47DD0E0E31, 0x74F839C593DC67FD, 0x0D6C8009D9A94F5A, 0x85676696D7FB7E2D,
    0xCF2794E0277187B7, 0x18765564CD99A68D, 0xCBC9466E58FEE3CE, 0xAB0200F58B01D137,
    0x93F5F5799A932462, 0x9E0082DF0BA9E4B0, 0x7A5DBBC594DDB9F3, 0xF4B32F46226BADA7,
    0x751E8FBC860EE5FB, 0x14EA5627C0843D90, 0xF723CA908E7AF2EE, 0xA129CA6149BE45E5,
    0x3F2ACC7F57C29BDB, 0x699AE9F52CBE4794,
]  # fmt: skip


def test_siphash_gives_the_reference_vectors() -> None:
    # every message in one buffer, one after the other (cells of every length at once)
    messages = [bytes(range(n)) for n in range(len(REFERENCE))]
    data = np.frombuffer(b"".join(messages) + bytes(8), dtype=np.uint8)
    lengths = np.array([len(m) for m in messages], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    with np.errstate(over="ignore"):
        got = siphash24(data, starts, lengths, key=bytes(range(16)))
    assert [int(x) for x in got] == REFERENCE
    # and one length at a time (the path where every cell has the same blocks)
    for n, want in enumerate(REFERENCE):
        one = np.frombuffer(bytes(range(n)) + bytes(8), dtype=np.uint8)
        with np.errstate(over="ignore"):
            got = siphash24(one, np.zeros(1, np.int64), np.array([n]), key=bytes(range(16)))
        assert int(got[0]) == want, n


def test_the_vectors_cover_every_declarable_type() -> None:
    from datacontract.check.coerce import _ARROW

    assert set(TYPES) == set(_ARROW)
    assert {t: str(a) for t, a in TYPES.items()} == {t: str(a) for t, a in _ARROW.items()}
    covered = {
        (k, any(v is None for v in col))
        for c in VECTORS
        for k, col in zip(c["types"], c["columns"], strict=True)
    }
    assert covered == {(k, nulls) for k in TYPES for nulls in (False, True)}


@pytest.mark.parametrize("case", VECTORS, ids=[c["case"] for c in VECTORS])
def test_the_same_hash_as_pandas(case: dict) -> None:  # type: ignore[type-arg]
    columns = [column(k, v) for k, v in zip(case["types"], case["columns"], strict=True)]
    assert pandas_row_hashes(columns).tolist() == case["hashes"]
    # a slice of the columns (an offset into the buffers) hashes as the rows it holds
    cut = 3
    sliced = [c.slice(cut) for c in columns]
    assert pandas_row_hashes(sliced).tolist() == case["hashes"][cut:]


def test_a_type_no_column_declares_is_refused() -> None:
    with pytest.raises(TypeError):
        column_hashes(pa.array([b"x"], pa.binary()))
    assert pandas_row_hashes([]).tolist() == []


def test_the_keys_digest_of_a_keyed_dataset() -> None:
    """The digest of a shipped contract's keyed dataset, pinned: the value pandas gave when
    the digest was made through pandas (main before issue 26), for the same rows."""
    from datacontract.check import file_state
    from datacontract.contract.load import load_contract

    loaded = load_contract("contracts/groeipakket-toereikendheid-2025.yaml")
    dataset = next(d for d in loaded.contract.datasets if d.keys)
    names = list(dataset.keys)
    batches = [
        pa.RecordBatch.from_arrays(
            [pa.array([_cell(n, i) if i % 5 else None for i in range(s, s + 7)]) for n in names],
            names=names,
        )
        for s in (0, 7, 14)
    ]
    state = file_state.FileState(dataset)
    for batch in batches:
        state.update(batch, 1)
    assert state.keys_digest() == DIGEST


def _cell(name: str, i: int) -> str:
    """A key cell: text, and national numbers in several notations (key_text reads them)."""
    if i % 3:
        return f" {name}-{i} "
    number = make_insz(dt.date(1990 + i, 1 + i % 12, 1 + i % 28), 100 + i)
    return (
        f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}" if i % 2 else number
    )


DIGEST = "d3dc9a088d75edc6ecfa6508fc01ced668d63984a6d9fc098a2b98519a096e67"
