"""Turn blocks into file contents: CSV / JSON-lines bytes, or Arrow tables for the Parquet sink.

Text blocks are placed in the file by appender.py; Parquet needs one writer for the whole file,
so the parent owns a ParquetSink and feeds it the tables in block order.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from . import columns as col

FORMATS = ("csv", "parquet", "jsonl")
PARQUET_COMPRESSION = "snappy"


def _as_text_columns(frame: pl.DataFrame, *, decimals_as_numbers: bool) -> pl.DataFrame:
    """Dates and timestamps as ISO text via lookup tables (polars' strftime is the CSV bottleneck)."""
    replaced = []
    for name, dtype in frame.schema.items():
        series = frame.get_column(name)
        if series.null_count():
            continue
        if dtype == pl.Date:
            replaced.append(col.iso_date_text(series.cast(pl.Int32).to_numpy()).alias(name))
        elif isinstance(dtype, pl.Datetime):
            seconds = series.dt.epoch("s").to_numpy()
            replaced.append(col.iso_datetime_text(seconds).alias(name))
        elif decimals_as_numbers and isinstance(dtype, pl.Decimal):
            replaced.append(series.cast(pl.Float64))
    return frame.with_columns(replaced) if replaced else frame


def encode(frame: pl.DataFrame, fmt: str, *, header: bool, quote_style: str = "necessary"):
    """One block in the output format: bytes for csv/jsonl, a pyarrow Table for parquet."""
    if fmt == "parquet":
        return frame.to_arrow()
    buffer = io.BytesIO()
    if fmt == "csv":
        _as_text_columns(frame, decimals_as_numbers=False).write_csv(
            buffer, include_header=header, quote_style=quote_style
        )
    elif fmt == "jsonl":
        _as_text_columns(frame, decimals_as_numbers=True).write_ndjson(buffer)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buffer.getvalue()


class ParquetSink:
    """Writes one row group per block, so row groups never depend on chunking or workers.

    With a byte budget it stops after the first row group that brings the file to the budget
    (Parquet can only end on a row-group boundary; the footer comes on top).
    """

    def __init__(self, file: BinaryIO):
        self.file = file
        self.writer: pq.ParquetWriter | None = None
        self.rows = 0

    @property
    def bytes(self) -> int:
        return self.file.tell()

    def write(self, table: pa.Table, budget: int | None = None) -> bool:
        """Append one row group; returns False once the file has reached ``budget`` bytes."""
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.file, table.schema, compression=PARQUET_COMPRESSION)
        self.writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.rows += table.num_rows
        return budget is None or self.bytes < budget

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.file.flush()
