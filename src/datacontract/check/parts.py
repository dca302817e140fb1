"""Every part a file carries beside its table, as findings (issue 22: nothing crosses but what
the contract declares).

The reader's inventory (read/parts.py, `TableSource.carried`) names each part by kind and
position; here a part of a kind the format registry does not know, or one that cannot be read,
and a part that is more than the table which the dataset's `file.parts` does not declare,
break `<dataset>.file.parts`; the text of every part is searched by the dataset's
forbidden-content detectors, as a cell is. No finding holds a part's name or content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from datacontract.check.results import Finding
from datacontract.read.parts import PART_KINDS
from datacontract.read.table import TableSource

if TYPE_CHECKING:
    from datacontract.check.compile import CompiledDataset

_SHOWN_PLACES = 5  # positions a finding about parts lists, then "and N more"


def carried_findings(compiled: CompiledDataset, source: TableSource) -> list[Finding]:
    """Every part the file carries beside its table (read/parts.py), as findings: a part of a
    kind datacontract does not know or cannot read, and a part that is more than the table
    and that the dataset's `file.parts` does not declare, break `<dataset>.file.parts`; the
    text of every part is searched by the forbidden-content rules, as cells are. Parts are
    named by kind and position, never by name or content."""
    if source.carried is None:
        return []
    ds = compiled.dataset
    declared = set(ds.file.parts) if ds.file is not None else set()
    article = ds.file.article if ds.file is not None else ds.article
    rule = compiled.register(
        f"{ds.id}.file.parts",
        article,
        "the file carries its table and only the parts the contract declares",
    )
    # A part that belongs to a column (a Parquet dictionary page, a statistic) is exempt from
    # the forbidden-content rules that exempt its column (`except_columns`).
    searching = {forbidden for forbidden, _ in compiled.forbidden}
    exempt = {r.id: set(getattr(r, "except_columns", ())) for r in ds.rules if r.id in searching}
    refused: dict[str, list[str]] = {}  # reason -> places
    hits: dict[tuple[str, str], list[str]] = {}  # (rule, kind title) -> places
    for part in source.carried():
        kind = PART_KINDS.get(part.kind)
        if kind is None:
            reason = "a part of a kind datacontract does not read"
        elif not part.readable:
            reason = f"{kind.title} that cannot be read"
        elif kind.beyond and part.kind not in declared:
            reason = f"{kind.title}, beside the table and not declared (file.parts: {kind.name})"
        else:
            reason = ""
        if reason:
            refused.setdefault(reason, []).append(part.where)
        if not part.texts or not compiled.forbidden:
            continue
        cells = pa.array(list(part.texts), pa.string())
        for forbidden, scan in compiled.forbidden:
            if part.column is not None and part.column in exempt.get(forbidden, set()):
                continue
            if np.count_nonzero(scan(cells)):
                title = kind.title if kind is not None else "a part of unknown kind"
                hits.setdefault((forbidden, title), []).append(part.where)
    out = []
    for reason, places in refused.items():
        out.append(
            Finding(
                rule,
                None,
                len(places),
                article,
                f"the file carries {reason} ({_places(places)}); {ds.id} travels as its table "
                "alone, and every part of a file is read or refused",
            )
        )
    for (forbidden, title), places in hits.items():
        info = compiled.rules[forbidden]
        out.append(
            Finding(
                forbidden,
                None,
                len(places),
                info.article,
                f"{title} ({_places(places)}), beside the table in the same file, "
                f"{'break' if len(places) != 1 else 'breaks'} the rule: {info.demand}",
            )
        )
    return out


def _places(places: list[str]) -> str:
    shown = ", ".join(places[:_SHOWN_PLACES])
    more = len(places) - _SHOWN_PLACES
    return shown + (f" and {more} more" if more > 0 else "")
