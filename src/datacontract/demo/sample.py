"""`datacontract sample`: synthetic rows that satisfy one dataset of any contract.

Derived from the declarations alone, so that a new contract can be tried in a minute: a
declared value list gives a choice among its labels; a pattern gives a string generated from
the regular expression itself; `format: insz` gives national numbers with valid check digits
(synthetic: computed from random birth dates and sequence numbers, belonging to no one);
`email` and `phone` give addresses and numbers at example domains and a mobile prefix; ranges
bound the numbers. Then the dataset's rules are made true, in this order: one value per file
(`single_value`), parts that name another column (`part_equals`), totals (`sum_equals`),
limits (`at_most`), flags (`flag_matches_count`), and uniqueness.

A pattern is read with Python's own regex parser (`re._parser`, the parser `re` compiles
with) and only the constructs contracts use are generated: literals, classes and ranges,
repeats, groups, alternatives and anchors. Anything else is a clear error naming the column.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from datacontract.contract import model
from datacontract.contract.references import unknown
from datacontract.demo.sample_draw import Chunk, arrow_array, sample_chunks
from datacontract.errors import UsageError
from datacontract.output import write_file, writing
from datacontract.read.format_types import SampleTable
from datacontract.read.formats import EXTENSIONS
from datacontract.read.formats import FORMATS as REGISTRY

FORMATS = tuple(f.extensions[0] for f in REGISTRY.values() if f.write_sample is not None)
"""The extensions `write_sample` writes flat rows as: the first extension of every format of
read/formats.py with a sample writer."""
XML = ".xml"  # a MAGDA dataset's one document (demo/magda_documents.py)
STREAMED = (".parquet", ".csv", ".jsonl")  # written a chunk at a time


def sample_rows(
    contract: model.Contract,
    dataset: model.Dataset,
    rows: int,
    seed: int,
    reference_date: dt.date | None = None,
) -> list[dict[str, Any]]:
    """`rows` synthetic rows for `dataset`, every declared rule made true.

    Age rules without a reference column count on `reference_date`, the date of the transfer
    the sample stands for; a date column an age rule counts on is set to it. Without one, the
    ages hold on every day from the protocol's date to today where the rule's span allows it
    (else on today), so that a sample can travel on the protocol's own timeline as well as now.
    """
    out: list[dict[str, Any]] = []
    for chunk in sample_chunks(contract, dataset, rows, seed, reference_date):
        out.extend(chunk.rows())
    return out


def formats(dataset: model.Dataset) -> tuple[str, ...]:
    """The extensions this dataset travels as: XML for a MAGDA document, its `file` rule's
    formats, JSON for a nested dataset, else all. `write_sample` writes any of FORMATS all the
    same (a nested or MAGDA dataset then as its flat rows); only a transfer checks the format."""
    if dataset.magda is not None:
        return (XML,)
    if dataset.file is not None and dataset.file.formats:
        return tuple(REGISTRY[f].extensions[0] for f in dataset.file.formats)
    if dataset.nested:
        return (".json",)
    return FORMATS


def refuse_untravelled(dataset: model.Dataset, path: Path) -> None:
    """A sample in a format the dataset does not travel as would be refused by every hop and
    by `validate --transfer`: a UsageError (exit 2) naming the formats it travels as, before
    anything is written."""
    declared = dataset.file.formats if dataset.file is not None else ()
    given = EXTENSIONS.get(path.suffix.lower())
    if not declared or given in declared:
        return
    travels = ", ".join(f"{f} ({' '.join(REGISTRY[f].extensions)})" for f in declared)
    found = f"{given} ({path.suffix})" if given else f"{path.suffix or 'no extension'}"
    raise UsageError(
        f"{dataset.id} travels as {travels} (file.formats); a sample in {found} would be "
        f"refused by every hop: give --output a name ending in "
        f"{' or '.join(REGISTRY[f].extensions[0] for f in declared)}"
    )


def write_sample(
    rows: list[dict[str, Any]],
    dataset: model.Dataset,
    path: Path,
    password: str | None = None,
) -> Path:
    """Write rows in the format PATH's extension names: a nested dataset as `.json` is one
    JSON document; a MAGDA dataset as `.xml` is the service's document; a workbook of a
    dataset that travels encrypted is encrypted with `password` when one is given (see
    `needs_password`)."""
    suffix = path.suffix.lower()
    if suffix == XML and dataset.magda is not None:
        from datacontract.demo.magda_documents import magda_document

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(magda_document(dataset, rows))
        return path
    entry = REGISTRY[EXTENSIONS[suffix]] if suffix in FORMATS else None
    if entry is None or entry.write_sample is None:
        also = f" ({XML} for a MAGDA dataset)"
        known = unknown("file type", suffix or "(none)", FORMATS)
        raise UsageError(f"{path}: {known}{also}: the output format follows the extension")
    if dataset.nested and entry.name == "json":
        from datacontract.check.nested import document_of_rows

        document = document_of_rows(dataset, rows)
        write_file(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        return path
    encrypted = bool(password) and needs_password(dataset, path)
    table = SampleTable(
        [c.name for c in dataset.columns], rows, {c.name: c.type for c in dataset.columns}
    )
    with writing(path) as out:
        entry.write_sample(out, table, password if encrypted else None)
    return path


# --- one value ------------------------------------------------------------------------------------


def needs_password(dataset: model.Dataset, path: Path) -> bool:
    """Whether the dataset travels as an encrypted workbook and PATH is one."""
    entry = REGISTRY.get(EXTENSIONS.get(path.suffix.lower(), ""))
    encryptable = entry is not None and entry.encryptable
    return dataset.file is not None and dataset.file.encrypted and encryptable


def write_sample_chunks(
    chunks: Iterable[Chunk],
    dataset: model.Dataset,
    path: Path,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write chunks (sample_chunks) to PATH as they come, one of STREAMED (.parquet, .csv,
    .jsonl): memory holds one chunk, whatever the rows. progress is called with the rows
    written so far. The file appears whole or not at all (output.writing)."""
    import pyarrow as pa

    suffix = path.suffix.lower()
    if suffix not in STREAMED:
        raise UsageError(f"{path}: written a chunk at a time only as {', '.join(STREAMED)}")
    types = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    schema = pa.schema([(c.name, types.get(c.type, pa.string())) for c in dataset.columns])
    written = 0
    with writing(path) as out:
        writer: Any = None
        for chunk in chunks:
            if suffix == ".jsonl":
                lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk.rows())
                out.write(lines.encode("utf-8"))
            else:
                arrays = {
                    c.name: arrow_array(
                        chunk.values[c.name], schema.field(c.name).type, chunk.nulls.get(c.name)
                    )
                    for c in dataset.columns
                }
                writer = writer or _writer(suffix, out, schema)
                writer.write_table(pa.table(arrays, schema=schema))
            written += chunk.n
            if progress is not None:
                progress(written)
        if writer is not None:
            writer.close()
    return path


def _writer(suffix: str, out: Any, schema: Any) -> Any:
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetWriter(out, schema)
    import pyarrow.csv as pacsv

    return pacsv.CSVWriter(out, schema)


__all__ = [
    "FORMATS",
    "STREAMED",
    "XML",
    "formats",
    "needs_password",
    "refuse_untravelled",
    "sample_chunks",
    "sample_rows",
    "write_sample",
    "write_sample_chunks",
]
