"""PostgreSQL ETL with psycopg 3: stream with a server-side cursor, bind parameters, COPY in batches.

"Write a Python script that connects to PostgreSQL, fetches data, and performs transformations."
Anyone can write `cur.execute(...); rows = cur.fetchall()`. The interviewer listens for what
happens at 100 million rows (fetchall holds them all, and so does a plain cursor: libpq buffers the
whole result before the first row reaches Python), for user input in SQL (parameters, never string
formatting), for how rows go back in (COPY, not one INSERT per row) and for what a failure at
batch 37 leaves behind (each batch its own transaction, so a rerun resumes after the last one).

    raw_payments                         payments
    id | customer      | amount          id | customer | amount_cents
     1 | '  Ada '      | '12.34'   ->     1 | 'Ada'    | 1234
     2 | 'Bob'         | '7'              2 | 'Bob'    | 700
     3 | 'x''); DROP…' | '-0.5'           3 | 'x'); DROP TABLE t; --' | -50   (stored verbatim)

    run_etl("host=... dbname=shop", batch_size=5_000)   # -> EtlReport(batches=1, rows=3)

Requirements
- `stream_rows(conn, query, params=None, *, batch_size=5_000)` is a generator of the query's rows
  (tuples) through a server-side, named cursor (DECLARE ... CURSOR: the test finds it in
  pg_cursors while it is half read, and finds it gone once the rows are all read), fetching
  `batch_size` rows per round trip. The query's values come in `params` only (%s placeholders),
  never formatted into the text: a test passes "x'); DROP TABLE t; --" and expects it back
  verbatim, with t still there. It works on an autocommit connection (a named cursor lives in a
  transaction: open one for the cursor's life). It streams 1,000,000 rows at batch_size=5,000
  with Python's peak memory (tracemalloc, watching the first 100,000 rows, where a result fetched
  whole would already show) under 2 MiB; fetchall() of 200,000 rows peaks at about 16 MiB.
- `transform(row)` turns a raw row (id, customer, amount) into (id, customer, amount_cents):
  customer with leading and trailing whitespace removed (the rest verbatim), amount a decimal
  text (spaces around it allowed) with an optional "-", digits, and optionally "." and one or
  two digits, in exact integer cents ("12.34" -> 1234, "7" -> 700, "-0.5" -> -50). Any other
  amount ("", "abc", "1.234", "1e3", "NaN", ".5", "12.", "1,000") raises ValueError naming
  the payment's id.
- `copy_rows(conn, table, columns, rows)` loads the rows into table(columns) with ONE
  `COPY ... FROM STDIN` statement (the test's trigger sees one statement, and that it is a COPY),
  text stored verbatim (tabs, newlines, backslashes, the two characters \\N, quotes, unicode), and
  returns how many rows it wrote. Table and column names are identifiers, not values: quote them
  with psycopg.sql.Identifier (a table named 'odd "table"; name' must work). It runs in the
  caller's transaction.
- `run_etl(dsn, *, batch_size=5_000)` creates `payments` (TARGET_DDL) if it does not exist, reads
  the `raw_payments` rows (RAW_DDL) whose id is greater than the largest id already in payments,
  in id order, with stream_rows, transforms them, and loads them with copy_rows, `batch_size` rows
  per batch, each batch in its OWN transaction: one COPY, then commit. If a batch fails (transform
  raises, or the database refuses a row), the batches before it stay committed, none of its rows
  is, and the error propagates. A rerun then resumes after the last committed batch. It returns
  EtlReport(batches committed, rows loaded); a rerun with nothing new returns EtlReport(0, 0).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

RAW_DDL = """
CREATE TABLE IF NOT EXISTS raw_payments (
    id       bigint PRIMARY KEY,
    customer text NOT NULL,
    amount   text NOT NULL
)"""
TARGET_DDL = """
CREATE TABLE IF NOT EXISTS payments (
    id           bigint PRIMARY KEY,
    customer     text NOT NULL,
    amount_cents bigint NOT NULL
)"""
TARGET_COLUMNS = ("id", "customer", "amount_cents")
NEW_RAW_ROWS = "SELECT id, customer, amount FROM raw_payments WHERE id > %s ORDER BY id"


@dataclass
class EtlReport:
    batches: int = 0      # batches committed by this run
    rows: int = 0         # rows loaded by this run


def stream_rows(conn: psycopg.Connection, query: str | sql.Composable, params: Sequence[Any] | None = None, *,
                batch_size: int = 5_000) -> Iterator[tuple]:
    """Yield the query's rows through a named (server-side) cursor, batch_size rows per FETCH."""
    raise NotImplementedError("TODO: in a transaction, a named cursor with itersize=batch_size; yield its rows")


def transform(row: tuple[int, str, str]) -> tuple[int, str, int]:
    """(id, customer, amount text) -> (id, trimmed customer, exact amount in cents)."""
    raise NotImplementedError("TODO: strip the customer; parse the amount into integer cents or raise ValueError")


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY the rows into table(columns) as one statement; returns the number of rows."""
    raise NotImplementedError("TODO: COPY {table} ({columns}) FROM STDIN with sql.Identifier, write_row per row")


def run_etl(dsn: str, *, batch_size: int = 5_000) -> EtlReport:
    """Raw payments newer than the target's last id -> transform -> COPY, one transaction per batch."""
    raise NotImplementedError("TODO: resume after max(id); stream, transform, COPY; commit every batch")
