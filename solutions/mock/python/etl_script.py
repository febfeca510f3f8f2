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

import argparse
import csv
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import psycopg
from psycopg.conninfo import conninfo_to_dict

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


_BIGINT = re.compile(r"[0-9]+")
_AMOUNT = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,2})?")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
_BIGINT_MAX = 2**63 - 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m katas.mock.python.etl_script",
        description="Load a transactions CSV into PostgreSQL (upsert on transaction_id, one transaction).",
        epilog="exit status: 0 done, 1 finished with rejected rows, 2 bad usage, "
               "3 cannot reach the database, 4 the load was refused and rolled back")
    parser.add_argument("input", type=Path, help="the transactions CSV (data_gen's layout)")
    parser.add_argument("--dsn", required=True, help="libpq connection string of the target database")
    parser.add_argument("--rejects", type=Path, default=None,
                        help="where rejected rows go (default: INPUT with .rejects.csv as its suffix)")
    parser.add_argument("--log-level", default="INFO", choices=LOG_LEVELS, type=str.upper,
                        help="the least important messages shown on stderr (default: INFO)")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        conninfo_to_dict(args.dsn)
    except psycopg.ProgrammingError as exc:
        parser.error(f"--dsn does not parse as a connection string: {exc}")
    args.rejects = args.rejects or args.input.with_suffix(".rejects.csv")
    return args


def configure_logging(level: str) -> None:
    """One handler on our own logger, replaced on every call: reruns in one process never double up."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def extract(path: Path) -> Iterator[RawRow]:
    """Every record after the header, with its line number; BadInput for an unusable file."""
    try:
        handle = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != COLUMNS:
            raise BadInput(f"{path}: the header is {header}, expected {','.join(COLUMNS)}")
        for fields in reader:
            yield RawRow(reader.line_num, fields)


def _bigint(column: str, text: str) -> int:
    if not _BIGINT.fullmatch(text) or not 1 <= int(text) <= _BIGINT_MAX:
        raise ValueError(f"{column} {text!r} is not a whole number from 1 to 2**63-1")
    return int(text)


def _one_of(column: str, text: str, allowed: frozenset[str]) -> str:
    if text not in allowed:
        raise ValueError(f"{column} {text!r} is not one of {sorted(allowed)}")
    return text


def _amount(text: str) -> Decimal:
    if not _AMOUNT.fullmatch(text):
        raise ValueError(f"amount {text!r} is not a decimal with at most 2 places")
    return Decimal(text)


def _timestamp(text: str) -> datetime:
    try:
        if _TIMESTAMP.fullmatch(text):
            return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        pass
    raise ValueError(f"ts {text!r} is not a real YYYY-MM-DDTHH:MM:SS")


def parse_row(fields: list[str]) -> Transaction:
    """One record as a Transaction, or ValueError whose message names the bad column."""
    if len(fields) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} fields, got {len(fields)}")
    raw = dict(zip(COLUMNS, fields))
    if not raw["region"].strip():
        raise ValueError("region is blank")
    return Transaction(
        transaction_id=_bigint("transaction_id", raw["transaction_id"]),
        user_id=_bigint("user_id", raw["user_id"]),
        amount=_amount(raw["amount"]),
        currency=_one_of("currency", raw["currency"], CURRENCIES),
        status=_one_of("status", raw["status"], STATUSES),
        region=raw["region"],
        ts=_timestamp(raw["ts"]),
    )


def transform(rows: Iterable[RawRow]) -> tuple[list[Transaction], list[Rejected]]:
    """Typed rows and rejected rows, both in input order; a repeated id keeps its first row."""
    valid: list[Transaction] = []
    rejected: list[Rejected] = []
    first_seen: dict[int, int] = {}
    for row in rows:
        try:
            transaction = parse_row(row.fields)
            if transaction.transaction_id in first_seen:
                raise ValueError(f"duplicate transaction_id {transaction.transaction_id}, "
                                 f"first on line {first_seen[transaction.transaction_id]}")
        except ValueError as exc:
            rejected.append(Rejected(row.line, str(exc), ",".join(row.fields)))
            continue
        first_seen[transaction.transaction_id] = row.line
        valid.append(transaction)
    return valid, rejected


def write_rejects(path: Path, rejected: list[Rejected]) -> None:
    """The rejects file, written every run (header only when empty) so a stale one never survives."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(Rejected._fields)
        writer.writerows(rejected)


_STAGE = "CREATE TEMP TABLE transactions_staging (LIKE transactions) ON COMMIT DROP"
_UPSERT = """
INSERT INTO transactions AS t (transaction_id, user_id, amount, currency, status, region, ts)
SELECT transaction_id, user_id, amount, currency, status, region, ts FROM transactions_staging
ON CONFLICT (transaction_id) DO UPDATE
SET user_id = EXCLUDED.user_id, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
    status = EXCLUDED.status, region = EXCLUDED.region, ts = EXCLUDED.ts
WHERE (t.user_id, t.amount, t.currency, t.status, t.region, t.ts)
      IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.amount, EXCLUDED.currency,
                        EXCLUDED.status, EXCLUDED.region, EXCLUDED.ts)
RETURNING (xmax = 0) AS inserted"""


def load(conn: psycopg.Connection, transactions: list[Transaction]) -> LoadCounts:
    """Create the table if missing and upsert every row in ONE transaction; identical rows untouched."""
    with conn.transaction():
        conn.execute(TARGET_DDL)
        conn.execute(_STAGE)
        with conn.cursor() as cur:
            with cur.copy(f"COPY transactions_staging ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for transaction in transactions:
                    copy.write_row(transaction)
            flags = [inserted for (inserted,) in cur.execute(_UPSERT).fetchall()]
    inserted = sum(flags)
    updated = len(flags) - inserted
    return LoadCounts(inserted, updated, len(transactions) - inserted - updated)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def main(argv: list[str] | None = None) -> int:
    """Parse, extract, transform, write the rejects, load; return the exit status."""
    args = parse_args(argv)
    configure_logging(args.log_level)
    try:
        rows = list(extract(args.input))
    except BadInput as exc:
        log.error("%s", exc)
        return EXIT_USAGE
    log.info("extract: rows=%d file=%s", len(rows), args.input)
    valid, rejected = transform(rows)
    log.info("transform: valid=%d rejected=%d", len(valid), len(rejected))
    write_rejects(args.rejects, rejected)
    if rejected:
        log.warning("%d rejected rows written to %s", len(rejected), args.rejects)
    target = conninfo_to_dict(args.dsn)
    log.debug("connecting to database %s on %s", target.get("dbname"), target.get("host", "localhost"))
    try:
        conn = psycopg.connect(args.dsn, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        log.error("cannot reach the database: %s", _one_line(exc))
        return EXIT_NO_DATABASE
    with conn:
        try:
            counts = load(conn, valid)
        except psycopg.Error as exc:
            log.error("the database refused the load, rolled back, nothing changed: %s", _one_line(exc))
            return EXIT_LOAD_FAILED
    log.info("load: inserted=%d updated=%d unchanged=%d", *counts)
    return EXIT_REJECTED_ROWS if rejected else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())


# Why
# - Shape: small pure functions (extract, transform) that tests can call without a database, and a
#   thin main that wires them, owns the exit codes and catches only the errors it can name. Cost is
#   O(rows): one pass to parse, one COPY into a TEMP staging table, ONE set-based upsert. The file
#   is held in memory here (a list); for files larger than memory, stream extract -> transform ->
#   COPY in batches, still inside one transaction, or stage first and merge once.
# - Idempotency comes from the upsert on the business key, not from "delete then insert" (which
#   rewrites every row and leaves a gap readers can see): the IS DISTINCT FROM guard skips
#   identical rows, so a rerun writes nothing (xmin unchanged, no dead tuples, no VACUUM work)
#   and the counts say inserted=0 updated=0. `RETURNING (xmax = 0)` is the usual PostgreSQL idiom
#   to tell inserted rows from updated ones (an implementation detail; MERGE ... RETURNING
#   merge_action() says it officially from PostgreSQL 17).
# - All or nothing: one `with conn.transaction()`; DDL is transactional in PostgreSQL, so even the
#   CREATE TABLE rolls back. Committing per row turns any failure into a half-loaded table.
# - Duplicates inside one file must be settled before the upsert: one INSERT ... ON CONFLICT DO
#   UPDATE cannot touch a row twice ("cannot affect row a second time"). First wins here; say
#   which rule you chose and why (file order, or a business timestamp).
# - Exit codes are an interface: a scheduler retries 3 (database away), alerts on 1 (data
#   quality) and fixes the command on 2. Python's own uncaught exception also exits 1, so in
#   production wrap main to log the traceback and exit with a code of its own (70, EX_SOFTWARE).
# - Logs go to stderr (stdout is for data a caller may pipe), one line per stage with counts, and
#   never the DSN: a password in it would land in log files. Configure logging in main, never at
#   import, and on a named logger, so importing the module or calling main twice stays quiet.
