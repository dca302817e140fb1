"""Where a retention term starts in the data itself: the date a hook records with the event.

JobbonusPlus (003, art. 3, b) keeps the data "5 jaar vanaf de laatste betaling aan de
begunstigde": the term runs from a date in the file, not from its receipt. A dataset that
declares `retention_reference` names the column; the hook reads the file's latest date there
(among the rows whose `positive` column is above zero: payments, not recoveries) and records
it with the sent or received event, where `retained_at_most` counts from it. The date stays in
the ledger: no report shows it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from datacontract.check.coerce import coerce
from datacontract.check.nested import open_document
from datacontract.contract import model
from datacontract.errors import DataContractError
from datacontract.read.table import open_table


def reference_date(
    dataset: model.Dataset, path: str | Path, *, password: str | None = None
) -> str | None:
    """The latest date of the dataset's retention reference in the file (YYYY-MM-DD), or None
    when the dataset declares none, or the file holds no such date (the term then counts from
    the event itself)."""
    ref = dataset.retention_reference
    if ref is None:
        return None
    date_col = dataset.column(ref.column)
    amount_col = dataset.column(ref.positive) if ref.positive else None
    if date_col is None:
        return None
    try:
        if dataset.nested and Path(path).suffix.lower() == ".json":
            source, _ = open_document(path, dataset)
        else:
            source = open_table(path, password=password)
        latest: dt.date | None = None
        for batch in source.batches():
            names = batch.data.schema.names
            if date_col.name not in names:
                return None
            typed = coerce(batch.data.column(date_col.name), date_col.type).values
            days = pc.cast(typed, pa.date32())
            if amount_col is not None:
                if amount_col.name not in names:
                    return None
                amounts = coerce(batch.data.column(amount_col.name), amount_col.type).values
                days = pc.filter(days, pc.fill_null(pc.greater(amounts, 0), False))
            top = pc.max(days).as_py()
            if top is not None and (latest is None or top > latest):
                latest = top
    except (DataContractError, OSError, pa.ArrowException):
        return None  # the file's own findings say what is wrong with it
    return latest.isoformat() if latest is not None else None
