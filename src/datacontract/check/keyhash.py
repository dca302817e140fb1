"""pandas' row hash of key columns, computed from the Arrow buffers with numpy (no pandas).

The keys digest that hops record (check/file_state.py) is a sum and xor of
`pandas.util.hash_pandas_object(frame, index=False)` over the key columns, each as
`to_pandas(types_mapper=pd.ArrowDtype)` made it (pandas 3.1): it is in ledgers, so it must not
change. This module gives the same 64-bit hashes for every type a column can declare
(coerce.arrow_type), as pandas reaches them:

- text: SipHash-2-4 with pandas' key ("0123456789123456") over each cell's UTF-8 bytes, then
  pandas' finaliser (x ^= x >> 30, x *= 0xBF58476D1CE4E5B9, x ^= x >> 27,
  x *= 0x94D049BB133111EB, x ^= x >> 31);
- integer without empty cells, boolean without empty cells: the finaliser of the value as 64
  bits (a boolean as 0 or 1);
- number, and integer with empty cells (pandas makes them float64 with NaN): the finaliser of
  the float's bits, -0.0 as 0.0 and every NaN (an empty cell) as numpy's NaN;
- boolean with empty cells, date, datetime (pandas makes them Python objects and hashes their
  text): the text "True"/"False", "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.ffffff]+00:00", hashed
  as text;

2**64 - 1 for an empty cell where the text path is taken, and pandas' combine_hash_arrays
across the columns. tests/check/test_keyhash.py holds it to golden vectors made with pandas
(tests/check/keyhash_vectors.py) and SipHash-2-4 to the reference test vectors (Aumasson and
Bernstein, "SipHash: a fast short-input PRF", 2012, and its reference code's vectors_sip64).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

U64 = npt.NDArray[np.uint64]

_KEY = b"0123456789123456"
_BYTE = np.arange(8, dtype=np.int64)


def _rotl(x: U64, b: int) -> U64:
    return (x << np.uint64(b)) | (x >> np.uint64(64 - b))


def _rounds(v: list[U64], count: int) -> None:
    v0, v1, v2, v3 = v
    for _ in range(count):
        v0 = v0 + v1
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = v2 + v3
        v3 = _rotl(v3, 16) ^ v2
        v0 = v0 + v3
        v3 = _rotl(v3, 21) ^ v0
        v2 = v2 + v1
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    v[:] = [v0, v1, v2, v3]


def siphash24(
    data: npt.NDArray[np.uint8],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    key: bytes = _KEY,
) -> U64:
    """SipHash-2-4 of each cell, the bytes data[start:start+length], with a 16-byte key
    (pandas' by default). `data` must have 8 bytes of padding after its last cell."""
    k0 = np.uint64(int.from_bytes(key[:8], "little"))
    k1 = np.uint64(int.from_bytes(key[8:16], "little"))
    n = len(starts)
    v = [
        np.full(n, np.uint64(0x736F6D6570736575) ^ k0),
        np.full(n, np.uint64(0x646F72616E646F6D) ^ k1),
        np.full(n, np.uint64(0x6C7967656E657261) ^ k0),
        np.full(n, np.uint64(0x7465646279746573) ^ k1),
    ]
    blocks = lengths // 8
    for block in range(int(blocks.max()) if n else 0):
        live = blocks > block
        if bool(live.all()):  # every cell has this block (cells of one length): no gather
            m = np.ascontiguousarray(data[starts[:, None] + 8 * block + _BYTE]).view("<u8")
            m = m.reshape(n)
            v[3] ^= m
            _rounds(v, 2)
            v[0] ^= m
            continue
        rows = np.flatnonzero(live)
        at = starts[rows][:, None] + 8 * block + _BYTE
        m = np.ascontiguousarray(data[at]).view("<u8").reshape(len(rows))
        part = [x[rows] for x in v]
        part[3] ^= m
        _rounds(part, 2)
        part[0] ^= m
        for x, p in zip(v, part, strict=True):
            x[rows] = p
    # the last block: the 0-7 bytes left, and the length in the top byte
    tail = lengths - 8 * blocks
    at = (starts + 8 * blocks)[:, None] + _BYTE
    chunk = data[at]
    chunk[_BYTE[None, :] >= tail[:, None]] = 0
    b = np.ascontiguousarray(chunk).view("<u8").reshape(n) | (
        lengths.astype(np.uint64) << np.uint64(56)
    )
    v[3] ^= b
    _rounds(v, 2)
    v[0] ^= b
    v[2] ^= np.uint64(0xFF)
    _rounds(v, 4)
    out: U64 = v[0] ^ v[1] ^ v[2] ^ v[3]
    return out


def _finalise(x: U64) -> U64:
    """pandas' redistribution of 64-bit values (pandas/core/util/hashing.py, _hash_ndarray)."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _text_column(arr: pa.Array) -> U64:
    """Text cells: SipHash-2-4 of the UTF-8 bytes, finalised; an empty cell 2**64 - 1."""
    arr = pc.cast(arr, pa.large_string())
    n = len(arr)
    buffers = arr.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    starts = offsets[:-1].copy()
    lengths = offsets[1:] - starts
    raw = buffers[2]
    data = np.frombuffer(raw, dtype=np.uint8) if raw is not None else np.zeros(0, np.uint8)
    data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    x = _finalise(siphash24(data, starts, lengths))
    if arr.null_count:
        x[_nulls(arr)] = np.uint64(2**64 - 1)
    return x


def _nulls(arr: pa.Array) -> npt.NDArray[np.bool_]:
    return np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool)


def _float_column(arr: pa.Array) -> U64:
    """Floats (and integers with empty cells, which pandas makes floats): their bits."""
    values = np.array(
        pc.cast(arr, pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=np.float64
    )
    if arr.null_count:
        values[_nulls(arr)] = np.nan
    bits = values.view(np.uint64).copy()
    bits[np.isnan(values)] = np.array(np.nan, dtype=np.float64).view(np.uint64)
    bits[bits == np.array(-0.0, dtype=np.float64).view(np.uint64)] = 0
    return _finalise(bits)


def _as_text(arr: pa.Array) -> pa.Array:
    """The text pandas hashes for a cell it holds as a Python object (str() of it)."""
    t = arr.type
    if pa.types.is_boolean(t):
        return pc.if_else(arr, "True", "False")
    if pa.types.is_date(t):
        return pc.cast(arr, pa.string())  # YYYY-MM-DD, as str(datetime.date)
    if pa.types.is_timestamp(t):
        # str(pd.Timestamp): the microseconds only when there are any, then the UTC offset
        utc = pc.cast(arr, pa.timestamp("us", tz="UTC"))
        text = pc.strftime(utc, format="%Y-%m-%d %H:%M:%S", locale="C")
        text = pc.replace_substring_regex(text, pattern=r"\.000000$", replacement="")
        return pc.binary_join_element_wise(text, "+00:00", "")
    raise TypeError(f"no pandas row hash for key columns of type {t}")


def column_hashes(arr: pa.Array) -> U64:
    """pandas' hash_array of one key column as `to_pandas(types_mapper=pd.ArrowDtype)` makes
    it (see the module docstring). Raises TypeError for a type no column declares."""
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _text_column(arr)
    if pa.types.is_integer(t) and not arr.null_count:
        ints = np.asarray(pc.cast(arr, pa.int64()).to_numpy(zero_copy_only=False), np.int64)
        return _finalise(ints.view(np.uint64).copy())
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return _float_column(arr)
    if pa.types.is_boolean(t) and not arr.null_count:
        flags = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)
        return _finalise(flags.astype(np.uint64))
    return _text_column(_as_text(arr))


def pandas_row_hashes(columns: Sequence[pa.Array]) -> U64:
    """`hash_pandas_object(frame, index=False)` of the frame of these Arrow columns (as
    `to_pandas(types_mapper=pd.ArrowDtype)` makes it): one uint64 a row."""
    with np.errstate(over="ignore"):
        hashes = [column_hashes(c) for c in columns]
        if not hashes:
            return np.zeros(0, dtype=np.uint64)
        mult = np.uint64(1000003)
        out: Any = np.zeros(len(hashes[0]), dtype=np.uint64) + np.uint64(0x345678)
        for i, a in enumerate(hashes):
            inverse = len(hashes) - i
            out ^= a
            out *= mult
            mult += np.uint64(82520 + inverse + inverse)
        out += np.uint64(97531)
    result: U64 = out
    return result
