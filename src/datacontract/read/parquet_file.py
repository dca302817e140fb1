"""Parquet files as Arrow record batches, their types kept, and every part they carry.

The footer is read first: too many columns, or column chunks that declare a compression bomb
(read/bounds.py), refuse the file before a page is decoded. Pages are then read as they are
decoded, `batch_rows` rows at a time. An extension type (`arrow.json`, `arrow.opaque`, any
other, registered or not) is read through its storage type, at any depth, so that the
detectors see its values as they see any other.

Beside the rows, a Parquet file carries (the inventory, read/parts.py): the file's and each
field's key-value metadata (but the serialised Arrow schema, base64 of what the fields already
say), each column chunk's statistics (minimum and maximum: written by the writer, they need
not be values of the rows), and each column's dictionary pages: pandas writes a categorical
column's unused categories there, values no row holds and no decoded batch shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from datacontract.errors import InputFileError
from datacontract.read.bounds import check_columns, check_parquet_chunks
from datacontract.read.format_types import SampleTable
from datacontract.read.parts import Carried, Inventory
from datacontract.read.text import Reader, column_names, text_of

_ARROW_SCHEMA = b"ARROW:schema"


def open_parquet(
    path: str, batch_rows: int
) -> tuple[tuple[str, ...], int | None, Reader, Inventory]:
    """Columns, row count, a reader of the rows (extension types as their storage), and the
    inventory of everything else the file carries."""
    try:
        with pq.ParquetFile(path) as parquet:
            raw: list[str] = parquet.schema_arrow.names
            rows: int = parquet.metadata.num_rows
            check_columns(path, len(raw))
            check_parquet_chunks(path, parquet.metadata)
    except (pa.ArrowException, OSError):
        raise InputFileError(path, "not a Parquet file, or its footer is damaged") from None
    columns = column_names(path, raw, None)

    def read() -> Iterator[pa.RecordBatch]:
        done = 0
        try:
            # Without pre-buffering, pages are read as they are decoded: a row group of a
            # million rows is not held whole in memory next to its decoded batches.
            with pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20) as parquet:
                for data in parquet.iter_batches(batch_size=batch_rows):
                    yield storage_batch(data)
                    done += data.num_rows
        except (pa.ArrowException, OSError):
            message = f"damaged Parquet file: reading stopped after row {done}"
            raise InputFileError(path, message) from None

    def carried() -> Iterator[Carried]:
        try:
            yield from _parquet_parts(path, raw)
        except (pa.ArrowException, OSError):
            yield Carried("dictionary", "the column chunks", readable=False)

    return columns, rows, read, carried


def storage_batch(data: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with every extension type replaced by its storage type, at any depth."""
    if not any(_has_extension(f.type) for f in data.schema):
        return data
    arrays = [storage(c) for c in data.columns]
    return pa.RecordBatch.from_arrays(arrays, names=data.schema.names)


def _has_extension(t: pa.DataType) -> bool:
    if isinstance(t, pa.BaseExtensionType):
        return True
    if pa.types.is_dictionary(t):
        return _has_extension(t.value_type)
    return any(_has_extension(t.field(i).type) for i in range(t.num_fields))


def storage(array: pa.Array) -> pa.Array:
    """`array` with its extension types (at any depth) read as their storage types."""
    if isinstance(array, pa.ExtensionArray):
        return storage(array.storage)
    t = array.type
    if not _has_extension(t):
        return array
    if pa.types.is_struct(t):
        fields = [storage(array.field(i)) for i in range(t.num_fields)]
        names = [t.field(i).name for i in range(t.num_fields)]
        return pa.StructArray.from_arrays(fields, names=names, mask=array.is_null())
    if pa.types.is_large_list(t):
        return pa.LargeListArray.from_arrays(
            array.offsets, storage(array.values), mask=array.is_null()
        )
    if pa.types.is_list(t):
        return pa.ListArray.from_arrays(array.offsets, storage(array.values), mask=array.is_null())
    if pa.types.is_dictionary(t):
        return pa.DictionaryArray.from_arrays(array.indices, storage(array.dictionary))
    # other nested types holding an extension (maps, unions, fixed-size lists): as text
    return pa.array([None if v is None else text_of(v) for v in array.to_pylist()], pa.string())


def _parquet_parts(path: str, names: list[str]) -> Iterator[Carried]:
    with pq.ParquetFile(path) as parquet:
        schema = parquet.schema_arrow
        metadata = parquet.metadata
        leaves = [parquet.schema.column(i).path.split(".")[0] for i in range(metadata.num_columns)]
    yield Carried("metadata", "the file's key-value metadata", _pairs(schema.metadata))
    for position, field in enumerate(schema, start=1):
        texts = _pairs(field.metadata)
        if texts:
            yield Carried(
                "metadata", f"the metadata of column {position}", texts, column=field.name
            )
    for leaf, name in enumerate(leaves):
        values: dict[str, None] = {}
        for group in range(metadata.num_row_groups):
            stats = metadata.row_group(group).column(leaf).statistics
            if stats is not None and stats.has_min_max:
                for value in (stats.min, stats.max):
                    values[_text(value)] = None
        if values:
            where = f"the statistics of column {names.index(name) + 1 if name in names else leaf}"
            yield Carried("statistics", where, tuple(values), column=name)
    yield from _dictionaries(path, schema)


def _dictionaries(path: str, schema: pa.Schema) -> Iterator[Carried]:
    """Per text column, the values of its dictionary pages that no row of the row group uses."""
    texts = [
        f.name
        for f in schema
        if _is_text(f.type) or (pa.types.is_dictionary(f.type) and _is_text(f.type.value_type))
    ]
    if not texts:
        return
    unused: dict[str, dict[str, None]] = {name: {} for name in texts}
    with pq.ParquetFile(path, read_dictionary=texts, pre_buffer=False) as parquet:
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group, columns=texts)
            for name in texts:
                for chunk in table.column(name).chunks:
                    if not isinstance(chunk, pa.DictionaryArray):
                        continue
                    used = np.zeros(len(chunk.dictionary), dtype=bool)
                    indices = pc.drop_null(chunk.indices).to_numpy(zero_copy_only=False)
                    used[indices.astype(np.int64)] = True
                    left = chunk.dictionary.filter(pa.array(~used))
                    unused[name].update(dict.fromkeys(_text(v) for v in left.to_pylist()))
    for position, field in enumerate(schema, start=1):
        values = unused.get(field.name)
        if values:
            where = f"the dictionary of column {position}"
            yield Carried("dictionary", where, tuple(values), column=field.name)


def _is_text(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
    )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return text_of(value)


def _pairs(metadata: dict[bytes, bytes] | None) -> tuple[str, ...]:
    out: list[str] = []
    for key, value in (metadata or {}).items():
        if key == _ARROW_SCHEMA:
            continue
        out += [_text(key), _text(value)]
    return tuple(t for t in out if t.strip())


def write_parquet(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer: one Parquet file, the columns typed (SampleTable.arrow)."""
    pq.write_table(table.arrow(), out)
