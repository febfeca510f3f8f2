"""Avro vs Parquet vs JSON lines: write the same rows in each, measure them, and show what each keeps or loses.

"Discuss the pros and cons of using Avro, Parquet, and JSON for storing large datasets" is the mock
interview's serialization question. Reading CSV, JSON lines and Parquet in bounded memory is
day1.data.large_files; here the learner proves the talking points in code instead of reciting them:
the sizes and times measured on the same rows, the types JSON cannot carry (dates, exact decimals),
Avro's schema evolution in both directions, and Parquet reading only the columns asked for.

    rows = make_orders(20_000, seed=1)      # dicts: int, str, Decimal, date, aware datetime or None
    for m in measure(rows, tmp_dir):
        print(m)      # Measurement(format='avro', bytes=..., write_seconds=..., read_seconds=..., rows=20000)
    json_losses(rows, tmp_dir)   # {'amount': ('Decimal', 'str'), 'ordered_on': ('date', 'str'), ...}
    v2 = add_field(ORDER_SCHEMA, "channel", "string", "web")
    read_avro(old_file, reader_schema=v2)[0]["channel"]      # 'web': the default fills old data
    bytes_read(parquet_file, ["status"]) < bytes_read(parquet_file) / 5   # column projection

Requirements
- `write_avro(rows, path, schema=ORDER_SCHEMA)` writes an Avro container file with fastavro (the
  rows as they are: a row may hold more fields than the schema, e.g. a v2 row written with v1).
  `read_avro(path, reader_schema=None)` returns the records as dicts, resolved to `reader_schema`
  when one is given (Avro's schema resolution: the writer's schema is in the file).
- `write_parquet(rows, path, row_group_size=DEFAULT_ROW_GROUP)` writes the rows with pyarrow using
  PARQUET_SCHEMA; `read_parquet(path, columns=None)` returns them as dicts (only `columns` when
  given). Both round trips give back the rows exactly: Decimal, date and aware UTC datetime values,
  None where a value is missing.
- `write_jsonl(rows, path)` writes one JSON object per line (UTF-8): a Decimal as its string (text
  keeps it exact: '12.30', never the float 12.3), a date or datetime as its isoformat(). `read_jsonl(path)`
  returns json.loads of every line: nothing turns text back into types, which is the point.
- `json_losses(rows, folder)` writes the rows as JSON lines in `folder`, reads them back and returns
  {field: (type name before, type name after)} for every field whose Python type changed, judged
  on the first row where both values are not None, fields in the order of the first row.
- `add_field(schema, name, avro_type, default)` returns a NEW schema (the given one untouched) with
  the field {"name": name, "type": avro_type, "default": default} appended: with a default, a new
  reader fills the field in old files, and an old reader simply skips it in new files.
- `measure(rows, folder, clock=time.perf_counter)` writes and reads the rows in each of FORMATS
  (avro, parquet, jsonl; files in `folder`) and returns one Measurement per format, in that order:
  bytes is the file's size; clock() is called exactly three times per format, before the write,
  between the write and the read, and after the read; rows is the number of rows read back.
- `column_chunk_bytes(path, columns=None)` is what the Parquet footer says the column chunks of
  `columns` (all when None) take, summed over every row group (total_compressed_size).
  `bytes_read(path, columns=None)` reads those columns with pyarrow through a file object that
  counts every byte pyarrow reads, and returns that count: at least the chunks' bytes, plus the
  footer (pyarrow reads up to 64 KiB from the end first).
"""
from __future__ import annotations

import copy  # noqa: F401 - you may want these
import io  # noqa: F401
import json  # noqa: F401
import os  # noqa: F401
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import fastavro  # noqa: F401
import pyarrow as pa
import pyarrow.parquet as pq  # noqa: F401

FORMATS = ("avro", "parquet", "jsonl")
DEFAULT_ROW_GROUP = 1_000_000
STATUSES = ("new", "paid", "shipped", "returned")

ORDER_SCHEMA: dict[str, Any] = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "fields": [
        {"name": "order_id", "type": "long"},
        {"name": "customer", "type": "string"},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "ordered_on", "type": {"type": "int", "logicalType": "date"}},
        {"name": "shipped_at", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}],
         "default": None},
        {"name": "status", "type": "string"},
    ],
}

PARQUET_SCHEMA = pa.schema([
    ("order_id", pa.int64()),
    ("customer", pa.string()),
    ("amount", pa.decimal128(10, 2)),
    ("ordered_on", pa.date32()),
    ("shipped_at", pa.timestamp("us", tz="UTC")),
    ("status", pa.string()),
])


@dataclass(frozen=True)
class Measurement:
    format: str
    bytes: int
    write_seconds: float
    read_seconds: float
    rows: int


def make_orders(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """n deterministic orders: a few thousand customers, cents amounts, some not shipped yet (None)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rows = []
    for order_id in range(1, n + 1):
        ordered = start + timedelta(seconds=rng.randrange(366 * 86_400))
        shipped = None if rng.random() < 0.15 else ordered + timedelta(microseconds=rng.randrange(5 * 86_400 * 10**6))
        rows.append({
            "order_id": order_id,
            "customer": f"{rng.choice(['Ana', 'Bo', 'Chloé', 'Dmitri', 'Eun-ji', 'Femi'])} #{rng.randrange(5000)}",
            "amount": Decimal(rng.randrange(1, 10**7)).scaleb(-2),
            "ordered_on": ordered.date(),
            "shipped_at": shipped,
            "status": rng.choice(STATUSES),
        })
    return rows


def write_avro(rows: list[dict[str, Any]], path: str | Path, schema: dict[str, Any] = ORDER_SCHEMA) -> None:
    raise NotImplementedError("TODO: fastavro.writer with the parsed schema")


def read_avro(path: str | Path, reader_schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    raise NotImplementedError("TODO: fastavro.reader, resolved to reader_schema when given")


def write_parquet(rows: list[dict[str, Any]], path: str | Path, row_group_size: int = DEFAULT_ROW_GROUP) -> None:
    raise NotImplementedError("TODO: a pyarrow Table with PARQUET_SCHEMA, then pq.write_table")


def read_parquet(path: str | Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    raise NotImplementedError("TODO: pq.read_table(columns=...) back to dicts")


def write_jsonl(rows: list[dict[str, Any]], path: str | Path) -> None:
    raise NotImplementedError("TODO: one json.dumps per line; Decimal as str, dates as isoformat()")


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    raise NotImplementedError("TODO: json.loads of every line, no re-typing")


def json_losses(rows: list[dict[str, Any]], folder: str | Path) -> dict[str, tuple[str, str]]:
    raise NotImplementedError("TODO: round-trip through JSON lines and name the fields whose type changed")


def add_field(schema: dict[str, Any], name: str, avro_type: Any, default: Any) -> dict[str, Any]:
    raise NotImplementedError("TODO: a deep copy of schema with the new field (and its default) appended")


def measure(rows: list[dict[str, Any]], folder: str | Path,
            clock: Callable[[], float] = time.perf_counter) -> list[Measurement]:
    raise NotImplementedError("TODO: write, read and size each format; three clock() calls per format")


def column_chunk_bytes(path: str | Path, columns: list[str] | None = None) -> int:
    raise NotImplementedError("TODO: sum total_compressed_size of the wanted column chunks from the footer")


def bytes_read(path: str | Path, columns: list[str] | None = None) -> int:
    raise NotImplementedError("TODO: pq.read_table through a file object that counts the bytes it hands out")
