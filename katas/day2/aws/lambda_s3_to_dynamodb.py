"""A Lambda that loads order files from S3 into DynamoDB, safe to run twice on the same event.

The plan's exercise, end to end: a file of orders lands in S3, S3 invokes the function, the
function reads the file and writes one DynamoDB item per order. Interviewers ask for it because
S3 delivers events AT LEAST ONCE and Lambda retries a failed invocation, so the same event will
arrive again, sometimes after a crash halfway through a file. The answer they listen for:
idempotency keys, conditional writes, a processed-object marker written last, and Decimal (never
float) for money.

    orders/2026-01-05.csv                     (an S3 put event arrives for this object)
        order_id,customer_id,amount,quantity,ordered_at
        A-1,c-9,19.99,2,2026-01-05

    load_event(event, s3, table, clock)
    # [ObjectReport(bucket="landing", key="orders/2026-01-05.csv", status="loaded",
    #               written=1, duplicates=0, rejected=())]
    # table now holds
    #   {"pk": "ORDER#A-1", "order_id": "A-1", "customer_id": "c-9", "amount": Decimal("19.99"),
    #    "quantity": 2, "ordered_at": "2026-01-05", "source": "s3://landing/orders/2026-01-05.csv",
    #    "ingested_at": "2026-01-05T10:00:00+00:00"}
    #   {"pk": "OBJECT#landing/orders/2026-01-05.csv#<eTag>", ...}           (the marker)
    load_event(event, s3, table, clock)       # the same event again
    # [ObjectReport(..., status="already_processed", written=0, duplicates=0, rejected=())]

Requirements
- The table has a single string hash key "pk" (the tests create it). Boto3 clients are passed in:
  `s3` is an S3 client, `table` a boto3 DynamoDB Table resource; `clock()` returns an aware
  datetime, and `ingested_at` is `clock().isoformat()`, read once per object.
- Events: validate the whole event before any side effect and raise BadS3Event (a ValueError)
  naming the field: Records must be a non-empty list; each record needs eventSource "aws:s3"
  ("Records[i].eventSource"), an eventName starting "ObjectCreated:" ("Records[i].eventName"),
  non-empty strings at s3.bucket.name, s3.object.key and s3.object.eTag ("Records[i].s3.object.eTag"),
  and a decoded key ending in ".csv" or ".jsonl" (the message names the key). Keys are decoded
  once with unquote_plus ('+' is a space, '%2B' is '+').
- `parse_orders(key, body)` parses a file by its suffix and returns (orders, rejected):
    - ".csv": a header row, then one order per row (the header is line 1, the first order line 2);
    - ".jsonl": one JSON object per line (line 1 is the first line); blank lines are skipped.
  Each order has order_id, customer_id, amount, quantity, ordered_at. amount becomes a Decimal
  parsed from the text exactly as written (JSON numbers too: "12345678901234567.89" stays exact;
  float loses digits and boto3 refuses floats); quantity becomes an int. A row is rejected, as
  (line number, reason naming the field), when a field is missing or empty, amount is not a finite
  number, quantity is not a whole number of at least 1, or a JSON line is not a JSON object
  (reason mentions "JSON"). Rejected rows are not written; the others still are.
- Per object, in this order:
    1. the idempotency key of the object is "OBJECT#{bucket}/{key}#{eTag}" (decoded key, eTag from
       the event). If that marker item exists (read it with ConsistentRead), report
       status="already_processed" with written=0, and do not even read the object;
    2. otherwise get the object, parse it, and put each order as pk "ORDER#{order_id}" with the
       fields above plus source "s3://{bucket}/{key}" and ingested_at, using a CONDITIONAL put
       (attribute_not_exists(pk)). An order whose pk exists already (a crash-and-retry, a duplicate
       row, or a newer file repeating an old order) is left untouched and counted in duplicates;
       it is not an error. The first write of an order wins;
    3. only then put the marker {"pk", "bucket", "key", "etag", "processed_at"}, so a crash before
       this point leaves no marker and the retry finishes the job.
  Return one ObjectReport per record, in order: status "loaded" or "already_processed", written
  (orders newly put by this call), duplicates, rejected (a tuple of (line, reason) pairs).
- `handler(event, context)` is the Lambda entry point: it builds the S3 client and the Table named
  by the ORDERS_TABLE environment variable lazily on the first call, reuses them, and returns the
  reports as a list of dicts (dataclasses.asdict).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

FIELDS = ("order_id", "customer_id", "amount", "quantity", "ordered_at")
SUFFIXES = (".csv", ".jsonl")


class BadS3Event(ValueError):
    """The event cannot be loaded; the message says what is wrong and where."""


@dataclass(frozen=True)
class ObjectReport:
    bucket: str
    key: str
    status: str                                  # "loaded" or "already_processed"
    written: int                                 # orders newly put by this call
    duplicates: int                              # orders that were already in the table, left untouched
    rejected: tuple[tuple[int, str], ...] = ()   # (line number, reason) of rows not loaded


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_orders(key: str, body: bytes) -> tuple[list[dict], list[tuple[int, str]]]:
    raise NotImplementedError("TODO: parse CSV or JSON lines into orders (Decimal amounts) and rejected rows")


def load_event(event: Any, s3: Any, table: Any, clock: Callable[[], datetime] = _utc_now) -> list[ObjectReport]:
    raise NotImplementedError("TODO: validate the event, then per object: marker check, conditional puts, marker")


def handler(event: Any, context: Any) -> list[dict]:
    raise NotImplementedError("TODO: build the S3 client and the ORDERS_TABLE Table lazily, call load_event")
