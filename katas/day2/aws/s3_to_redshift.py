"""S3-to-Redshift loader: new CSV files from an S3 prefix, validated, staged, merged in one transaction.

Interviewers ask for this because it is the everyday data-engineering job, and every part of it has
a classic failure: files loaded twice on a rerun, half a bad file loaded, a failed merge leaving
the warehouse half updated, one poison file blocking every run, pagination stopping at 1,000 keys.
The pattern they listen for is Redshift's: COPY into a staging table, then merge staging into the
target in ONE transaction (DELETE + INSERT, or an upsert), plus a ledger of processed files.

Here PostgreSQL stands in for Redshift (psycopg 3, `COPY ... FROM STDIN` instead of `COPY ... FROM
's3://...' IAM_ROLE ...`) and moto stands in for S3. The S3 client and the connection are passed in.

    s3://shop-raw/incoming/2024-05-01.csv             orders (target)
        order_id,customer_id,order_date,amount,status     order_id | customer_id | ... | status
        1,c-17,2024-05-01,19.90,new                ->       1      | c-17        | ... | paid
    s3://shop-raw/incoming/2024-05-02.csv                   2      | c-40        | ... | new
        order_id,customer_id,order_date,amount,status
        1,c-17,2024-05-01,19.90,paid               (order 1 is updated: the later file wins)
        2,c-40,2024-05-02,5.00,new
    s3://shop-raw/incoming/broken.csv              -> moved to quarantine/incoming/broken.csv with
        order_id,customer_id,order_date,amount,status     metadata reason "line 2: amount 'ten' is not ..."
        3,c-9,2024-05-02,ten,new                      (no row of it is loaded)

    load(s3, conn, "shop-raw", "incoming/")
    # LoadReport(loaded=['incoming/2024-05-01.csv', 'incoming/2024-05-02.csv'],
    #            quarantined={'incoming/broken.csv': "line 2: amount 'ten' is not ..."},
    #            rows_staged=3, rows_merged=2)
    load(s3, conn, "shop-raw", "incoming/")   # a rerun: LoadReport([], {}, 0, 0), nothing touched

Requirements
- Files. `list_new_files(s3, conn, bucket, prefix)` lists every key under `prefix` (all pages: a
  prefix can hold more than 1,000 keys) whose name ends in `.csv` (any case), skipping keys under
  QUARANTINE_PREFIX and files already in the ledger with the same ETag. It returns (key, etag) pairs
  sorted by key (Python's string order), ETags without their quotes. A file rewritten under the same
  key has a new ETag, so it is new again. It expects ensure_schema to have run.
- Validation. `validate_csv(data)` returns the rows as `Order`s or raises BadFile(reason) for the
  first problem. The reason starts with "line N: " for a problem on line N (the header is line 1;
  a quoted field can span lines: N is the line the record ends on). Rules:
  UTF-8 (a leading BOM is allowed; otherwise the reason says "not UTF-8"); not empty (the reason
  says "empty"); the header is exactly COLUMNS, in that order ("line 1: header ..."); every
  record has exactly 5 fields (a blank line is a record with 0 fields; the reason says "expected 5
  fields, got K"); the CSV quoting is well formed (the reason says "malformed"); and per field,
  with the column name in the reason:
    order_id     digits only (no sign, no spaces), 1 <= value <= 2**63 - 1 (a bigint); unique
                 within the file (on the second one's line the reason says "duplicate order_id")
    customer_id  not blank (not only whitespace) and no NUL character (PostgreSQL text cannot
                 hold one, so letting it through would fail the whole load, every run)
    order_date   YYYY-MM-DD and a real calendar date
    amount       digits, then optionally a point and 1 or 2 digits; at most 10 digits before
                 the point ("19.9", "19.90", "0" are fine; "-1", "1e3", "1.999", "1.", " 1",
                 "NaN" are not)
    status       one of STATUSES
  A file with the header and no records is valid and loads 0 rows. CRLF line ends are fine.
- Quarantine. `quarantine(s3, bucket, key, reason)` copies the object to QUARANTINE_PREFIX + key
  (so incoming/a.csv goes to quarantine/incoming/a.csv) with user metadata {"reason": ...}, THEN
  deletes the original, and returns the new key. S3 metadata must be ASCII and small: store the
  reason with non-ASCII characters backslash-escaped (`str.encode("ascii", "backslashreplace")`),
  cut to at most 1,000 characters.
- Staging. `stage(conn, source_key, orders)` puts the rows into the table `orders_staging`
  (STAGING_DDL: a TEMP table, created if missing) with `COPY ... FROM STDIN`, each row tagged with
  its source_key, and returns the number of rows. Any text must survive exactly (commas, quotes,
  tabs, newlines, backslashes, the two characters \\N, unicode).
- Merge. `merge(conn)` upserts staging into `orders` on the business key order_id and empties
  staging; when several staged files carry the same order_id, the row from the file whose key
  sorts last wins (as if the files were loaded one by one in key order). A target row whose values
  are already identical is not rewritten and not counted. It returns the number of target rows
  inserted or changed. It runs in the caller's transaction and does not commit.
- `load(s3, conn, bucket, prefix)` runs it all on an autocommit connection: ensure_schema, list
  the new files, read each one (bad files are quarantined; none of their rows is staged, not even
  the good lines; the good files still load), then stage + merge + write the ledger rows
  (s3_key, etag, rows_loaded) in ONE transaction (`with conn.transaction():`). If that transaction
  fails, everything in it is rolled back (target, ledger: the files stay new for the next run) and
  LoadError is raised with the database's message in it. Files are quarantined even if the merge
  later fails. Returns a LoadReport: loaded keys in key order, quarantined key -> reason,
  rows_staged (rows copied into staging), rows_merged (what merge returned). The ledger row of a
  file holds its ETag (unquoted) and its number of rows. A rerun with no new files touches nothing.
- `main(argv, s3=None)` is the command line:
      python -m katas.day2.aws.s3_to_redshift --bucket B --prefix P [--dsn DSN]
  The DSN comes from --dsn, else from the environment variable REDSHIFT_DSN (a password on the
  command line shows up in `ps`). The client is `s3` or `boto3.client("s3")`; the connection is
  opened with autocommit=True. Exit status (returned; argparse's own SystemExit(2) is fine too):
    0  the run finished and nothing was quarantined; prints one summary line to stdout:
       "loaded=2 quarantined=0 rows_staged=3 rows_merged=2"
    3  the run finished but some files were quarantined (same summary line; one line per
       quarantined file to stderr: "quarantined KEY: REASON")
    1  the run failed: the merge rolled back (LoadError: print its message, which holds the
       database's), the bucket does not exist (say so, with its name), or the database cannot be
       reached; a message on stderr
    2  bad arguments, with a message on stderr naming the argument: --bucket missing or not a valid
       bucket name (3-63 characters: lowercase letters, digits, dots, hyphens; starts and ends
       with a letter or digit); --prefix missing, empty, starting with "/", not ending with "/", or
       under quarantine/; no DSN at all, or a DSN that does not parse as a libpq connection string.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import psycopg

COLUMNS = ("order_id", "customer_id", "order_date", "amount", "status")
STATUSES = frozenset({"new", "paid", "shipped", "cancelled"})
QUARANTINE_PREFIX = "quarantine/"
DSN_ENV = "REDSHIFT_DSN"

TARGET_DDL = """
CREATE TABLE IF NOT EXISTS orders (
    order_id    bigint PRIMARY KEY,
    customer_id text NOT NULL,
    order_date  date NOT NULL,
    amount      numeric(12, 2) NOT NULL,
    status      text NOT NULL
)"""
LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS etl_loaded_files (
    s3_key      text NOT NULL,
    etag        text NOT NULL,
    rows_loaded integer NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (s3_key, etag)
)"""
STAGING_DDL = """
CREATE TEMP TABLE IF NOT EXISTS orders_staging (
    order_id    bigint NOT NULL,
    customer_id text NOT NULL,
    order_date  date NOT NULL,
    amount      numeric(12, 2) NOT NULL,
    status      text NOT NULL,
    source_key  text NOT NULL
)"""


class Order(NamedTuple):
    order_id: int
    customer_id: str
    order_date: date
    amount: Decimal
    status: str


class BadFile(ValueError):
    """A file that must be quarantined; str(exc) is the reason."""


class LoadError(RuntimeError):
    """The stage-and-merge transaction failed and was rolled back."""


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)          # keys, in load (key) order
    quarantined: dict[str, str] = field(default_factory=dict)  # key -> reason
    rows_staged: int = 0
    rows_merged: int = 0

    def summary(self) -> str:
        """The line main prints: "loaded=2 quarantined=0 rows_staged=3 rows_merged=2"."""
        raise NotImplementedError("TODO: format the summary line")


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create the target table and the ledger if they do not exist."""
    raise NotImplementedError("TODO: execute TARGET_DDL and LEDGER_DDL")


def list_new_files(s3: Any, conn: psycopg.Connection, bucket: str, prefix: str) -> list[tuple[str, str]]:
    """(key, etag) of every .csv under prefix that the ledger does not hold with that etag, by key."""
    raise NotImplementedError("TODO: page through list_objects_v2, keep .csv keys, drop ledger (key, etag) pairs")


def validate_csv(data: bytes) -> list[Order]:
    """Every record of the file as an Order, or BadFile naming the first problem."""
    raise NotImplementedError("TODO: decode, check the header, then every record's field count and types")


def quarantine(s3: Any, bucket: str, key: str, reason: str) -> str:
    """Copy key to the quarantine prefix with the reason in its metadata, then delete it."""
    raise NotImplementedError("TODO: copy_object with an ASCII reason in Metadata, then delete_object")


def stage(conn: psycopg.Connection, source_key: str, orders: list[Order]) -> int:
    """COPY the rows into orders_staging, tagged with source_key; returns the row count."""
    raise NotImplementedError("TODO: create the staging table if missing, then COPY ... FROM STDIN")


def merge(conn: psycopg.Connection) -> int:
    """Upsert staging into orders (the last file wins per order_id); empty staging; rows changed."""
    raise NotImplementedError("TODO: one set-based upsert from staging, then empty staging")


def load(s3: Any, conn: psycopg.Connection, bucket: str, prefix: str) -> LoadReport:
    """List, validate, quarantine, then stage + merge + ledger in one transaction."""
    raise NotImplementedError("TODO: quarantine bad files; stage, merge and record the good ones in one transaction")


def main(argv: list[str] | None = None, s3: Any = None) -> int:
    """The command line; returns the exit status (see the module docstring)."""
    raise NotImplementedError("TODO: parse and check the arguments, connect, load, report, return the status")


if __name__ == "__main__":
    sys.exit(main())
