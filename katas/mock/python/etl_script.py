"""An end-to-end ETL script: a transactions CSV, checked and typed, upserted into PostgreSQL.

Interviewers ask for this ("write an end-to-end Python script for an ETL pipeline") to see whether
you write a tool someone else can schedule and operate, not a notebook cell: arguments with a
--help, logs on stderr that say what each stage did, exit codes a scheduler can act on, bad rows
set aside instead of crashing the run (or vanishing), a load that is all or nothing, and a rerun
that changes nothing.

    python -m katas.mock.python.etl_script transactions.csv --dsn "host=... dbname=shop"
    2026-12-05 09:00:00,001 INFO extract: rows=204 file=transactions.csv
    2026-12-05 09:00:00,012 INFO transform: valid=200 rejected=4
    2026-12-05 09:00:00,012 WARNING 4 rejected rows written to transactions.rejects.csv
    2026-12-05 09:00:00,090 INFO load: inserted=200 updated=0 unchanged=0
    $ echo $?
    1                                   (finished, but some rows were rejected)
    (the same command again)        ... INFO load: inserted=0 updated=0 unchanged=200

The input is data_gen's `transactions` CSV (`python -m data_gen transactions --rows 1000
--format csv --out transactions.csv`): a header line with COLUMNS in that order, then one record
per line, no quoting.

Requirements
- Command line: `python -m katas.mock.python.etl_script INPUT --dsn DSN [--rejects PATH]
  [--log-level {DEBUG,INFO,WARNING,ERROR}]`, parsed with argparse. --dsn is required (a libpq
  connection string). --rejects defaults to INPUT with its suffix replaced by `.rejects.csv`
  (`data/tx.csv` -> `data/tx.rejects.csv`). --log-level defaults to INFO.
- main(argv) returns the exit status; `python -m` exits with it:
    0  done: every row is valid and in the table
    1  finished, but some rows were rejected (the valid ones are loaded)
    2  bad usage: argparse's own errors (a missing argument, an unknown option, a --log-level
       outside the choices: main may raise argparse's SystemExit(2)), a --dsn that does not parse
       as a connection string, an INPUT that cannot be read, or whose first line is not exactly
       the COLUMNS header (an empty file included)
    3  the database cannot be reached (the connection cannot be opened)
    4  the database refused the load: the transaction was rolled back and nothing changed
  With 2, 3 and 4 an ERROR line on stderr says why. A password in the DSN never appears in any
  output, at any log level.
- Logging: to stderr only (stdout stays empty), through the logger `log`, at the level of
  --log-level. Each stage logs exactly one INFO line that contains `<stage>: ` followed by its
  counts as key=value:
      extract: rows=R            (records read, the header not counted)
      transform: valid=V rejected=J
      load: inserted=I updated=U unchanged=K   (V = I + U + K)
  When J > 0, a WARNING line says how many rows were rejected and where they were written.
  At --log-level WARNING a clean run writes nothing at all. Calling main twice in one process
  must not print every line twice.
- Extract: `extract(path)` yields RawRow(line, fields) per record; `line` is the line number in
  the file (the header is line 1). It raises BadInput for a file that cannot be read or a wrong
  header.
- Transform: `transform(rows)` returns (valid Transactions in input order, Rejected rows in input
  order). A Rejected holds the line number, a reason that names the problem's column (or says
  "fields" for a wrong number of fields, "duplicate" for a repeated id), and the record's fields
  joined with commas. Rules:
    any record      exactly 7 fields (a blank line has 0)
    transaction_id  digits only, 1 <= value <= 2**63 - 1; a transaction_id seen earlier in the
                    file is rejected as a duplicate (the first one is kept)
    user_id         digits only, 1 <= value <= 2**63 - 1
    amount          optional "-", 1 to 10 digits, optionally "." and 1 or 2 digits -> Decimal
                    ("-5.00", "33.1", "7" are fine; "ten", "1.999", "1e3", "+1" are not)
    currency        one of CURRENCIES;  status  one of STATUSES  (exact, case-sensitive)
    region          not blank
    ts              YYYY-MM-DDTHH:MM:SS, a real date and time -> datetime
- Rejects: `write_rejects(path, rejected)` writes a CSV with the header `line,reason,record` and
  one row per rejected record. It is written on every run (header only when nothing was
  rejected), so a stale file from an earlier run never survives.
- Load: `load(conn, transactions)` creates the table if missing (TARGET_DDL) and upserts every
  valid row into it on transaction_id in ONE transaction: all rows or none. A row whose values
  are already identical is not rewritten (its xmin stays), so a rerun of the same file changes
  nothing; a row whose values changed is updated. It returns LoadCounts(inserted, updated,
  unchanged). If the database raises, nothing of the file is in the table.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import psycopg

COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "region", "ts")
CURRENCIES = frozenset({"USD", "EUR", "GBP"})
STATUSES = frozenset({"completed", "failed", "pending"})
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

EXIT_OK = 0
EXIT_REJECTED_ROWS = 1
EXIT_USAGE = 2
EXIT_NO_DATABASE = 3
EXIT_LOAD_FAILED = 4

TARGET_DDL = """
CREATE TABLE IF NOT EXISTS transactions (
    transaction_id bigint PRIMARY KEY,
    user_id        bigint NOT NULL,
    amount         numeric(12, 2) NOT NULL,
    currency       text NOT NULL,
    status         text NOT NULL,
    region         text NOT NULL,
    ts             timestamp NOT NULL
)"""

log = logging.getLogger("etl_script")


class RawRow(NamedTuple):
    line: int
    fields: list[str]


class Transaction(NamedTuple):
    transaction_id: int
    user_id: int
    amount: Decimal
    currency: str
    status: str
    region: str
    ts: datetime


class Rejected(NamedTuple):
    line: int
    reason: str
    record: str


class LoadCounts(NamedTuple):
    inserted: int
    updated: int
    unchanged: int


class BadInput(Exception):
    """The input file cannot be used at all (exit status 2); str(exc) says why."""


def extract(path: Path) -> Iterator[RawRow]:
    """Every record after the header, with its line number; BadInput for an unusable file."""
    raise NotImplementedError("TODO: open the file, check the header, yield RawRow(line, fields) per record")


def transform(rows: Iterable[RawRow]) -> tuple[list[Transaction], list[Rejected]]:
    """Typed rows and rejected rows, both in input order; a repeated id keeps its first row."""
    raise NotImplementedError("TODO: parse and check every field; reject with a reason naming the column")


def write_rejects(path: Path, rejected: list[Rejected]) -> None:
    """The rejects file, written every run (header only when empty) so a stale one never survives."""
    raise NotImplementedError("TODO: write line,reason,record as CSV")


def load(conn: psycopg.Connection, transactions: list[Transaction]) -> LoadCounts:
    """Create the table if missing and upsert every row in ONE transaction; identical rows untouched."""
    raise NotImplementedError("TODO: stage the rows, then one upsert that skips identical rows")


def main(argv: list[str] | None = None) -> int:
    """Parse, extract, transform, write the rejects, load; return the exit status."""
    raise NotImplementedError("TODO: argparse, logging to stderr, the stages, the exit codes")


if __name__ == "__main__":
    sys.exit(main())
