"""S3 to warehouse, end to end: raw objects in S3, cleaned with pandas, loaded one object at a time.

The plan's pipeline: read raw files from an S3 bucket, clean and transform them with pandas,
write the result to a Redshift table. Interviewers use it to see whether the parts compose into
something an on-call engineer can live with: a new object is loaded exactly once, a rerun changes
nothing, and one bad object is reported without stopping the others.

How it differs from day2.aws.s3_to_redshift: that kata validates every field of a file with
regexes, quarantines a bad file by moving it, COPYs all good files into one staging table and
merges them in ONE transaction on the business key. Here the object is the unit: a manifest table
remembers every object by key + ETag (loaded, or bad with the reason) instead of moving anything;
pandas does the cleaning in bulk and drops bad ROWS with a count (only a broken OBJECT fails);
each object is loaded in its own transaction that replaces that object's rows; and the run
returns a report per object.

Here moto stands in for S3 and PostgreSQL for Redshift; the S3 client and an autocommit
connection are passed in. The raw objects are card transactions (data_gen's `transactions`):

    s3://raw/tx/2024-05-01.csv              fact_transactions (one row per transaction_id)
      transaction_id,user_id,amount,...       transaction_id | amount_cents | amount_usd_cents | ...
      1,7573,55.27,USD,completed,north,...  ->    1           |  5527        |  5527            | ...
      2,693, 18.56 ,eur,Completed,north,...       2           |  1856        |  2014            | ...
    s3://raw/tx/2024-05-02.csv.gz           (gzip is read too)
    s3://raw/tx/broken.csv                  -> manifest: bad, "missing columns: amount"

    report = run(s3, conn, "raw", "tx/")
    report.loaded   # {'tx/2024-05-01.csv': ObjectResult(etag='...', rows=2, invalid=0, duplicates=0), ...}
    report.failed   # {'tx/broken.csv': 'missing columns: amount'}
    run(s3, conn, "raw", "tx/")   # RunReport(loaded={}, failed={}): every object is in the manifest

Requirements
- `pending_objects(s3, conn, bucket, prefix)`: (key, etag) of every object under prefix (all
  pages) whose key ends in ".csv" or ".csv.gz" and whose (key, ETag) is not in the manifest
  (loaded or bad alike); ETags without their quotes; sorted by key. A key rewritten with new
  bytes has a new ETag, so it is pending again. It expects ensure_schema to have run.
- `read_object(body, key)` -> a DataFrame of text (every column str, no NaN), or BadObject(reason):
  empty body ("empty"); a ".gz" key whose body is not gzip ("not gzip"); not UTF-8 ("not UTF-8";
  a BOM is fine); no header at all; a record with MORE fields than the header ("malformed": note
  that pandas silently turns the first column into the index when the first record has one field
  too many, unless index_col=False, and then it only warns); a header lacking any of RAW_COLUMNS
  ("missing columns: ..." naming them in RAW_COLUMNS order). A record with fewer fields reads the
  missing ones as "". Extra columns are allowed. A header with no records is an empty frame.
- `transform(raw)` -> Transformed(frame, invalid, duplicates), vectorised pandas (the tests give
  it thousands of rows; no row-wise apply). Every value is stripped first (str.strip()). A row is
  INVALID, dropped and counted, when any rule fails:
    transaction_id, user_id  1 to 18 ASCII digits, value >= 1 (parse them as text: through float64
                             an id above 2**53 silently changes)
    amount                   -?[0-9]{1,10}(\\.[0-9]{1,2})?   e.g. "55.27", "-3.5", "7"
    currency                 upper-cased, a key of FX_PPM
    status                   lower-cased, one of STATUSES
    region                   lower-cased, not empty
    ts                       exactly YYYY-MM-DDTHH:MM:SS (ASCII digits), a real date and time
  Then DUPLICATES: of the valid rows sharing a transaction_id, only the LAST in file order is kept
  (a later line corrects an earlier one); the others are dropped and counted. The frame has
  exactly WAREHOUSE_COLUMNS, in that order, the kept rows in file order, index 0..n-1:
    transaction_id, user_id, amount_cents, amount_usd_cents   int64 (amount in integer cents)
    currency, status, region                                  str, normalised as above
    ts                                                        datetime64[ns]
    tx_date                                                   datetime64[ns], ts at midnight
  amount_usd_cents = (amount_cents * FX_PPM[currency] + 500_000) // 1_000_000: exact integer
  arithmetic, halves rounded up (toward +infinity, refunds too).
- `load_object(conn, key, etag, frame)` in ONE transaction: deletes the rows that came from `key`
  (any earlier version of the object), inserts the frame's rows with source_key = key (a
  transaction_id already loaded from another object is taken over: the object loaded last wins),
  and records (key, etag, 'loaded', rows) in the manifest. Returns the number of rows. If any of
  it fails, none of it happened (the earlier version's rows stay) and the error propagates.
- `run(s3, conn, bucket, prefix)`: ensure_schema, then each pending object in key order: get it,
  read_object, transform, and if more than MAX_INVALID_SHARE of its records are invalid the object
  is bad ("too many invalid rows: 6 of 8": a feed that changed shape, not a few dirty rows). A bad
  object is recorded in the manifest as (key, etag, 'bad', 0, reason) and not read again until its
  ETag changes; nothing of it is loaded, and a bad new version leaves the rows of the last good
  version in place. A load that fails in the database (psycopg.Error) is reported but NOT recorded:
  it is retried by the next run. Either way the run goes on with the next object. Returns a
  RunReport: loaded key -> ObjectResult(etag, rows, invalid, duplicates) and failed key -> reason,
  both for this run only, in key order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd
import psycopg

RAW_COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "region", "ts")
WAREHOUSE_COLUMNS = ("transaction_id", "user_id", "amount_cents", "currency", "amount_usd_cents",
                     "status", "region", "ts", "tx_date")
SUFFIXES = (".csv", ".csv.gz")
FX_PPM = {"USD": 1_000_000, "EUR": 1_085_000, "GBP": 1_270_000}   # US dollars per unit, in millionths
STATUSES = ("completed", "failed", "pending")
MAX_INVALID_SHARE = 0.5

FACT_DDL = """
CREATE TABLE IF NOT EXISTS fact_transactions (
    transaction_id   bigint PRIMARY KEY,
    user_id          bigint NOT NULL,
    amount_cents     bigint NOT NULL,
    currency         text NOT NULL,
    amount_usd_cents bigint NOT NULL,
    status           text NOT NULL,
    region           text NOT NULL,
    ts               timestamp NOT NULL,
    tx_date          date NOT NULL,
    source_key       text NOT NULL
)"""
MANIFEST_DDL = """
CREATE TABLE IF NOT EXISTS etl_manifest (
    s3_key  text NOT NULL,
    etag    text NOT NULL,
    status  text NOT NULL CHECK (status IN ('loaded', 'bad')),
    rows    integer NOT NULL,
    reason  text,
    PRIMARY KEY (s3_key, etag)
)"""


class BadObject(ValueError):
    """An object that cannot be loaded as it is; str(exc) is the reason."""


class Transformed(NamedTuple):
    frame: pd.DataFrame
    invalid: int          # rows dropped by a rule
    duplicates: int       # valid rows dropped because a later row has the same transaction_id


class ObjectResult(NamedTuple):
    etag: str
    rows: int
    invalid: int
    duplicates: int


@dataclass
class RunReport:
    loaded: dict[str, ObjectResult] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def ensure_schema(conn: psycopg.Connection) -> None:
    raise NotImplementedError("TODO: execute FACT_DDL and MANIFEST_DDL")


def pending_objects(s3: Any, conn: psycopg.Connection, bucket: str, prefix: str) -> list[tuple[str, str]]:
    """(key, etag) of every .csv / .csv.gz under prefix not in the manifest with that ETag, by key."""
    raise NotImplementedError("TODO: paginate list_objects_v2, keep SUFFIXES, drop manifest pairs")


def read_object(body: bytes, key: str) -> pd.DataFrame:
    """The object's records as text columns, or BadObject for an object that cannot be read."""
    raise NotImplementedError("TODO: gunzip .gz, decode UTF-8, read_csv as text, check the columns")


def transform(raw: pd.DataFrame) -> Transformed:
    """Clean, check, dedupe (last wins) and derive the warehouse columns, all vectorised."""
    raise NotImplementedError("TODO: strip, one mask per rule, drop_duplicates, derive cents and dates")


def load_object(conn: psycopg.Connection, key: str, etag: str, frame: pd.DataFrame) -> int:
    """Replace the object's rows and record it in the manifest, all in one transaction."""
    raise NotImplementedError("TODO: DELETE by source_key, INSERT rows, manifest row: one transaction")


def run(s3: Any, conn: psycopg.Connection, bucket: str, prefix: str) -> RunReport:
    """Load every pending object in its own transaction; a bad one is recorded, a failed one retried."""
    raise NotImplementedError("TODO: per pending object: get, read, transform, budget, load; go on")
