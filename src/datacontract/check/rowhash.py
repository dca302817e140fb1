"""A 64-bit hash of each row's key columns, read from the Arrow buffers with numpy (no pandas).

Used by uniqueness (check/kinds/unique.py): the hashes of a file's rows are kept across its
batches (8 bytes a row, never a value) and repeats found at the end of the file. The hash
lives within one run only; nothing stores it (the keys digest hops record is check/
file_state.py's, with pandas' own hash, stable across versions: check/keyhash.py).

Text is hashed 8 bytes at a time from the column's data buffer (rows sorted by length, so each
step touches only the rows still that long), its length first; every other declared type
(integer, number, boolean, date, datetime) by its 64-bit pattern. Each step goes through the
splitmix64 finaliser, a bijection: two cells of one length that differ in one 8-byte word
never collide. Nulls hash as 0 (uniqueness skips rows with an empty key cell).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

U64 = npt.NDArray[np.uint64]

_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_WORD = np.arange(8, dtype=np.int64)


def _mix(x: U64) -> U64:
    """splitmix64's finaliser, in place on a fresh array: a bijection of 64-bit words."""
    x ^= x >> np.uint64(30)
    x *= _C1
    x ^= x >> np.uint64(27)
    x *= _C2
    x ^= x >> np.uint64(31)
    return x


def row_hashes(columns: Sequence[pa.Array]) -> U64:
    """One uint64 per row over `columns` (arrays of one length, in their declared types)."""
    n = len(columns[0]) if columns else 0
    out = np.full(n, 0x345678, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in columns:
            out = _mix(out * _GOLDEN + _column_hashes(column))
    return out


def _column_hashes(arr: pa.Array) -> U64:
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t):
        return _text_hashes(arr)
    if pa.types.is_boolean(t):
        bits = np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)
        return _mix(bits.astype(np.uint64) + np.uint64(1))
    if pa.types.is_floating(t):
        floats = pc.fill_null(pc.cast(arr, pa.float64()), 0.0).to_numpy(zero_copy_only=False)
        return _mix(np.ascontiguousarray(floats, dtype=np.float64).view(np.uint64).copy())
    if pa.types.is_date32(t):
        arr = pc.cast(arr, pa.int32())
    elif pa.types.is_timestamp(t) or pa.types.is_date64(t):
        arr = arr.view(pa.int64())
    ints = pc.fill_null(pc.cast(arr, pa.int64()), 0).to_numpy(zero_copy_only=False)
    return _mix(np.asarray(ints, dtype=np.int64).view(np.uint64).copy())


def _text_hashes(arr: pa.Array) -> U64:
    if pa.types.is_large_string(arr.type) or pa.types.is_binary(arr.type):
        arr = pc.cast(arr, pa.string() if pa.types.is_large_string(arr.type) else pa.binary())
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    buffers = arr.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32, count=n + 1, offset=arr.offset * 4)
    starts = offsets[:-1].astype(np.int64)
    lengths = offsets[1:].astype(np.int64) - starts
    raw = buffers[2]
    data = np.frombuffer(raw, dtype=np.uint8) if raw is not None else np.zeros(0, np.uint8)
    # 8 zero bytes past the end, so that the last cell's last word can be read whole
    data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    with np.errstate(over="ignore"):
        h = _mix(lengths.astype(np.uint64) * _GOLDEN + np.uint64(1))
        width = int(lengths[0])
        if width > 0 and bool(np.all(lengths == width)):
            # every cell as long (codes, numbers): the cells lie side by side, one reshape
            first = int(starts[0])
            cells = np.zeros((n, -(-width // 8) * 8), dtype=np.uint8)
            cells[:, :width] = data[first : first + n * width].reshape(n, width)
            words = cells.view("<u8")
            for i in range(words.shape[1]):
                h = _mix((h ^ words[:, i]) * _GOLDEN + np.uint64(8 * i + 1))
            return h
        order = np.argsort(-lengths, kind="stable")  # longest first
        by_length = lengths[order]
        longest = int(by_length[0])
        for word in range(0, longest, 8):
            live = int(np.searchsorted(-by_length, -word, side="left"))  # rows with length > word
            rows = order[:live]
            at = starts[rows][:, None] + word + _WORD
            chunk = data[at]
            chunk[_WORD[None, :] >= (lengths[rows] - word)[:, None]] = 0  # past the cell's end
            packed = np.ascontiguousarray(chunk).view("<u8").reshape(live)
            h[rows] = _mix((h[rows] ^ packed) * _GOLDEN + np.uint64(word + 1))
    return h
