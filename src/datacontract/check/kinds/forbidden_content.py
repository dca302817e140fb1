"""`forbidden_content`: none of the detectors finds anything in any column of the file,
whatever it is called, but the columns listed in `except_columns`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from datacontract.check.batch import Batch, Mask
from datacontract.check.kinds.base import RuleKind
from datacontract.contract.rules import ForbiddenContentRule
from datacontract.personal.split import split_insz

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset


def _demand(rule: ForbiddenContentRule) -> str:
    return f"no {', '.join(rule.detect)} in any column" + (
        f" except {', '.join(rule.except_columns)}" if rule.except_columns else ""
    )


def _check(compiled: CompiledDataset, rule: ForbiddenContentRule) -> Callable[[Batch], None]:
    detectors = [compiled.detector(d) for d in rule.detect]
    # An INSZ split over a date column and a serial column is an INSZ too (personal/split.py).
    across = any(
        (det := compiled.contract.detector(d)) is not None and det.detector == "insz"
        for d in rule.detect
    )
    exempt = set(rule.except_columns)
    labels = compiled.safe_labels(detectors)

    def scan(raw: pa.Array) -> Mask:
        mask = np.zeros(len(raw), dtype=bool)
        for fn in detectors:
            mask |= fn(raw)
        return mask

    compiled.forbidden.append((rule.id, scan))

    def forbidden(b: Batch) -> None:
        # What to scan of each column: every cell, or (a column of declared labels) the
        # cells that are not one of them: a label holds nothing a detector finds (checked
        # on the labels at compile time).
        parts: list[tuple[str, pa.Array, npt.NDArray[np.int64] | None]] = []
        for name in b.columns:
            if name in exempt:
                continue
            raw = b.raw(name)
            known = labels.get(str(name))
            if known is not None and pa.types.is_string(raw.type):
                some = b.unlabelled(str(name), known)
                parts.append((str(name), raw.take(pa.array(some)), some))
            else:
                parts.append((str(name), raw, None))
        split = split_insz([(name, b.raw(name)) for name, _, _ in parts]) if across else {}
        for (name, _, rows), hits in zip(parts, _scanned(parts, scan), strict=True):
            if rows is None:
                mask = hits
            else:
                mask = np.zeros(b.num_rows, dtype=bool)
                mask[rows] = hits
            if name in split:
                mask = mask | split[name]
            b.record(rule.id, name, mask)

    return forbidden


_SCAN_CELLS = 65_536  # text cells scanned in one call: short columns are scanned together


def _scanned(
    parts: Sequence[tuple[str, pa.Array, object]], scan: Callable[[pa.Array], Mask]
) -> list[Mask]:
    """`scan` of each part's cells. Short text columns (a wide file of few rows) are joined
    into one array per _SCAN_CELLS cells and scanned in one call, then split again: a call
    costs the same for one cell as for thousands, and a file of 20,000 columns must not cost
    20,000 calls per rule."""
    out: list[Mask | None] = [None] * len(parts)
    group: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal group, size
        if not group:
            return
        arrays = [parts[i][1].cast(pa.large_string()) for i in group]
        hits = scan(pa.concat_arrays(arrays)) if len(arrays) > 1 else scan(arrays[0])
        start = 0
        for i, array in zip(group, arrays, strict=True):
            out[i] = hits[start : start + len(array)]
            start += len(array)
        group, size = [], 0

    for i, (_, cells, _) in enumerate(parts):
        text = pa.types.is_string(cells.type) or pa.types.is_large_string(cells.type)
        if not text or len(cells) >= _SCAN_CELLS:
            out[i] = scan(cells)
            continue
        group.append(i)
        size += len(cells)
        if size >= _SCAN_CELLS:
            flush()
    flush()
    return [m if m is not None else np.zeros(0, dtype=bool) for m in out]


KIND = RuleKind(
    ForbiddenContentRule,
    _demand,
    batch_check=_check,
    odcs_dimension="conformity",
)
