"""Every cell of an Arrow column, whatever its storage type, and what its bytes hold.

The plumbing under the detectors (detect.py): `per_row` runs a cell-wise detector over
chunks, dictionaries, binary (as UTF-8), and the items of lists, structs and maps at any
depth, and gives one flag per row; `digit_counts`, `byte_counts` and `cell_counts` count
marked bytes per cell straight from the buffers, so that a regular expression only sees the
cells that can match; `match` and `match_where` run RE2 (pyarrow.compute) over text.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Mask = npt.NDArray[np.bool_]


def per_row(arr: pa.Array | pa.ChunkedArray, fn: Callable[[pa.Array], Mask]) -> Mask:
    """Run `fn` over every cell of any storage type, and give one flag per row.

    Chunks are joined; dictionaries decoded (each distinct value checked once); binary cells
    read as UTF-8 text (invalid bytes replaced); a struct's row is flagged when any of its
    fields is, a list's (or map's) when any of its items is, at any depth.
    """
    if isinstance(arr, pa.ChunkedArray):
        masks = [per_row(chunk, fn) for chunk in arr.chunks]
        return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
    t = arr.type
    if pa.types.is_dictionary(t):
        # Every detector is cell by cell: check each distinct value once, then spread.
        per_value = per_row(arr.dictionary, fn)
        if per_value.size == 0:
            return np.zeros(len(arr), dtype=bool)
        indices = np.asarray(
            pc.fill_null(pc.cast(arr.indices, pa.int64()), -1).to_numpy(zero_copy_only=False),
            dtype=np.int64,
        )
        return np.where(indices >= 0, per_value[np.maximum(indices, 0)], False)
    if pa.types.is_struct(t):
        mask = np.zeros(len(arr), dtype=bool)
        for child in arr.flatten():
            mask |= per_row(child, fn)
        return mask
    if pa.types.is_map(t):
        offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
        first, last = int(offsets[0]), int(offsets[-1])
        hit = per_row(arr.keys.slice(first, last - first), fn)
        hit |= per_row(arr.items.slice(first, last - first), fn)
        rows = np.searchsorted(offsets, np.flatnonzero(hit) + first, side="right") - 1
        return np.bincount(rows, minlength=len(arr))[: len(arr)] > 0
    if _is_list(t):
        items = arr.flatten()
        if len(items) == 0:
            return np.zeros(len(arr), dtype=bool)
        parents = np.asarray(pc.list_parent_indices(arr).to_numpy(zero_copy_only=False))
        hit = per_row(items, fn)
        return np.bincount(parents[hit], minlength=len(arr))[: len(arr)] > 0
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        return fn(_binary_as_text(arr))
    if pa.types.is_fixed_size_binary(t):
        return fn(_binary_as_text(arr.cast(pa.large_binary())))
    return fn(arr)


def _is_list(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_map(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    )


def _binary_as_text(arr: pa.Array) -> pa.Array:
    """Binary cells as UTF-8 text; bytes that are not UTF-8 become U+FFFD, cell by cell."""
    try:
        return pc.cast(arr, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        cells = [None if v is None else v.decode("utf-8", "replace") for v in arr.to_pylist()]
        return pa.array(cells, pa.large_string())


def text_mask(arr: pa.Array, fn: Callable[[pa.Array], Mask]) -> Mask:
    if is_text(arr.type):
        return fn(as_text(arr))
    return np.zeros(len(arr), dtype=bool)


def longest(text: pa.Array) -> int:
    """The most bytes any cell of a text array holds (0 when every cell is null): a detector
    that needs more characters than that has nothing to look at (a character is at least one
    byte), and a column of short counts is not searched at all."""
    most = pc.max(pc.binary_length(text)).as_py()
    return int(most) if most is not None else 0


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def as_text(arr: pa.Array) -> pa.Array:
    """string_view has no regex kernels (pyarrow 26): search it as large_string."""
    return arr.cast(pa.large_string()) if pa.types.is_string_view(arr.type) else arr


def match(text: pa.Array, pattern: str) -> Mask:
    return bool_mask(pc.match_substring_regex(text, pattern))


def match_where(text: pa.Array, candidates: Mask, pattern: str) -> Mask:
    """`pattern` searched only in the candidate cells; False elsewhere."""
    out = np.zeros(len(text), dtype=bool)
    rows = np.flatnonzero(candidates)
    if rows.size == len(text):
        return match(text, pattern)
    if rows.size:
        out[rows] = match(text.take(pa.array(rows)), pattern)
    return out


def digit_counts(text: pa.Array) -> npt.NDArray[np.int64]:
    """ASCII digits per cell of a string or large_string array, from its bytes, without RE2."""
    return cell_counts(text, lambda data: (data - np.uint8(48)) < 10)  # wraps below "0"


def byte_counts(text: pa.Array) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """ASCII digits, and bytes the Python reading must normalise, per cell (digit_counts)."""

    def foreign(data: npt.NDArray[np.uint8]) -> Mask:
        # beyond ASCII, or ASCII whitespace other than the space (tab, line breaks, the
        # information separators): normalise() turns those into one space, RE2 does not
        return (data >= 0x80) | ((data - np.uint8(9)) < 5) | ((data - np.uint8(28)) < 4)

    return digit_counts(text), cell_counts(text, foreign)


def cell_counts(
    text: pa.Array, flag: Callable[[npt.NDArray[np.uint8]], Mask]
) -> npt.NDArray[np.int64]:
    """How many bytes of each cell `flag` marks, from the array's buffers.

    A null counts the bytes it spans (normally none); callers only use the counts to choose
    which cells to search, and the search gives False for nulls.
    """
    n = len(text)
    counts = np.zeros(n, dtype=np.int64)
    _, offset_buffer, data_buffer = text.buffers()[:3]
    if n == 0 or data_buffer is None or data_buffer.size == 0:
        return counts
    width = np.dtype(np.int64 if pa.types.is_large_string(text.type) else np.int32)
    offsets = np.frombuffer(
        offset_buffer, dtype=width, count=n + 1, offset=text.offset * width.itemsize
    ).astype(np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, dtype=np.uint8)[start:end]
    marked = flag(data)
    positions = np.flatnonzero(marked)
    if positions.size <= n:  # few marks: find the cell of each one
        cells = np.searchsorted(offsets, positions + start, side="right") - 1
        return np.bincount(cells, minlength=n).astype(np.int64)
    # many marks: sum per cell; reduceat needs every start in range, hence one byte more
    padded = np.append(marked.view(np.uint8), np.uint8(0))
    rel = offsets - start
    counts = np.add.reduceat(padded, rel[:-1], dtype=np.int64)
    counts[rel[1:] == rel[:-1]] = 0  # reduceat gives an empty cell its next byte
    return counts


def bool_mask(arr: pa.Array) -> Mask:
    """A writable numpy copy, nulls False."""
    return np.array(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)
