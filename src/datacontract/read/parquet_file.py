"""Parquet files as Arrow record batches, their types kept.

The footer is read first: too many columns, or column chunks that declare a compression bomb
(read/bounds.py), refuse the file before a page is decoded. Pages are then read as they are
decoded, `batch_rows` rows at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from datacontract.errors import InputFileError
from datacontract.read.bounds import check_columns, check_parquet_chunks
from datacontract.read.format_types import SampleTable
from datacontract.read.text import Reader, column_names


def open_parquet(path: str, batch_rows: int) -> tuple[tuple[str, ...], int | None, Reader]:
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
                    yield data
                    done += data.num_rows
        except (pa.ArrowException, OSError):
            message = f"damaged Parquet file: reading stopped after row {done}"
            raise InputFileError(path, message) from None

    return columns, rows, read


def write_parquet(out: IO[bytes], table: SampleTable, password: str | None) -> None:
    """The sample writer: one Parquet file, the columns typed (SampleTable.arrow)."""
    pq.write_table(table.arrow(), out)
