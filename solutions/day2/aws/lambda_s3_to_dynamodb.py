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

import csv
import io
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Callable
from urllib.parse import unquote_plus

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


@dataclass(frozen=True)
class _Target:
    bucket: str
    key: str
    etag: str


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_orders(key: str, body: bytes) -> tuple[list[dict], list[tuple[int, str]]]:
    text = body.decode("utf-8-sig")
    if key.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = ((reader.line_num, row) for row in reader)
    elif key.endswith(".jsonl"):
        rows = ((n, _json_row(line)) for n, line in enumerate(text.split("\n"), start=1) if line.strip())
    else:
        raise ValueError(f"cannot parse {key!r}: expected a .csv or .jsonl key")
    orders, rejected = [], []
    for line, row in rows:
        try:
            orders.append(_order(row))
        except ValueError as problem:
            rejected.append((line, str(problem)))
    return orders, rejected


def _json_row(line: str) -> Any:
    try:
        return json.loads(line, parse_float=Decimal)      # JSON numbers never pass through float
    except json.JSONDecodeError as error:
        return ValueError(f"not valid JSON: {error.msg}")


def _order(row: Any) -> dict:
    if isinstance(row, ValueError):
        raise row
    if not isinstance(row, dict):
        raise ValueError(f"a JSON line must hold an object, got {type(row).__name__}")
    values = {}
    for field in FIELDS:
        value = row.get(field)
        text = value.strip() if isinstance(value, str) else value
        if text is None or text == "":
            raise ValueError(f"{field} is missing or empty")
        values[field] = text
    try:
        amount = Decimal(str(values["amount"]))           # str of a Decimal or int is exact
    except InvalidOperation:
        raise ValueError(f"amount {values['amount']!r} is not a number") from None
    if isinstance(values["amount"], bool) or not amount.is_finite():
        raise ValueError(f"amount {values['amount']!r} is not a finite number")
    try:
        quantity = Decimal(str(values["quantity"]))
    except InvalidOperation:
        quantity = Decimal("NaN")
    if isinstance(values["quantity"], bool) or not quantity.is_finite() or quantity != quantity.to_integral_value() \
            or quantity < 1:
        raise ValueError(f"quantity {values['quantity']!r} is not a whole number of at least 1")
    return {"order_id": str(values["order_id"]), "customer_id": str(values["customer_id"]), "amount": amount,
            "quantity": int(quantity), "ordered_at": str(values["ordered_at"])}


def _targets(event: Any) -> list[_Target]:
    if not isinstance(event, dict) or not isinstance(event.get("Records"), list) or not event["Records"]:
        raise BadS3Event("event must be a dict whose 'Records' is a non-empty list")
    targets = []
    for i, record in enumerate(event["Records"]):
        where = f"Records[{i}]"
        if not isinstance(record, dict):
            raise BadS3Event(f"{where} must be a dict, got {type(record).__name__}")
        if record.get("eventSource") != "aws:s3":
            raise BadS3Event(f"{where}.eventSource is {record.get('eventSource')!r}, expected 'aws:s3'")
        name = record.get("eventName")
        if not isinstance(name, str) or not name.startswith("ObjectCreated:"):
            raise BadS3Event(f"{where}.eventName is {name!r}, expected an 'ObjectCreated:*' event")
        bucket = _dig(record, ("s3", "bucket", "name"), where)
        key = unquote_plus(_dig(record, ("s3", "object", "key"), where))
        etag = _dig(record, ("s3", "object", "eTag"), where)
        if not key.endswith(SUFFIXES):
            raise BadS3Event(f"{where}.s3.object.key {key!r} is neither .csv nor .jsonl")
        targets.append(_Target(bucket, key, etag))
    return targets


def _dig(record: dict, path: tuple[str, ...], where: str) -> str:
    node: Any = record
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    if not isinstance(node, str) or not node:
        raise BadS3Event(f"{where}.{'.'.join(path)} must be a non-empty string, got {node!r}")
    return node


def load_event(event: Any, s3: Any, table: Any, clock: Callable[[], datetime] = _utc_now) -> list[ObjectReport]:
    return [_load_object(target, s3, table, clock) for target in _targets(event)]


def _load_object(target: _Target, s3: Any, table: Any, clock: Callable[[], datetime]) -> ObjectReport:
    marker_pk = f"OBJECT#{target.bucket}/{target.key}#{target.etag}"
    if "Item" in table.get_item(Key={"pk": marker_pk}, ConsistentRead=True):
        return ObjectReport(target.bucket, target.key, "already_processed", 0, 0)
    body = s3.get_object(Bucket=target.bucket, Key=target.key)["Body"].read()
    orders, rejected = parse_orders(target.key, body)
    now = clock().isoformat()
    source = f"s3://{target.bucket}/{target.key}"
    written = duplicates = 0
    for order in orders:
        item = {"pk": f"ORDER#{order['order_id']}", **order, "source": source, "ingested_at": now}
        if _put_if_absent(table, item):
            written += 1
        else:
            duplicates += 1
    _put_if_absent(table, {"pk": marker_pk, "bucket": target.bucket, "key": target.key, "etag": target.etag,
                           "processed_at": now})
    return ObjectReport(target.bucket, target.key, "loaded", written, duplicates, tuple(rejected))


def _put_if_absent(table: Any, item: dict) -> bool:
    """Put the item unless its pk exists; True when this call wrote it."""
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


_clients: dict[str, Any] = {}


def handler(event: Any, context: Any) -> list[dict]:
    if not _clients:
        import boto3

        _clients["s3"] = boto3.client("s3")
        _clients["table"] = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
    return [asdict(report) for report in load_event(event, _clients["s3"], _clients["table"])]


# Why
# - Cost: per object one consistent GetItem for the marker, one GetObject, one conditional PutItem
#   per order (1 WCU per item up to 1 KB, a failed condition still costs the write) and one for the
#   marker. A rerun costs one read and touches nothing. BatchWriteItem is cheaper per call but
#   cannot carry conditions; TransactWriteItems can (100 items) but one failed condition aborts
#   the whole transaction, so duplicates would need a second pass.
# - Idempotency, in two layers: the marker keyed by bucket/key/eTag makes a redelivered event a
#   no-op without reading the file; the conditional put keyed by order_id makes a retry after a
#   crash safe, because the marker is written last. Marker first would lose the rest of the file
#   on a crash; plain puts would overwrite the first load (and any later update to the order).
#   The eTag in the key means a NEW version of the file is processed, yet its old orders still do
#   not overwrite (first write wins). If corrections must win, compare a version or the S3
#   sequencer in the condition instead: say which you chose and why.
# - Decimal: DynamoDB numbers are decimal with 38 digits; boto3 refuses float, and going through
#   float loses digits (12345678901234567.89) or money cents. json.loads(parse_float=Decimal).
# - What moto does not do: it runs no Lambda (invoke needs Docker, so the handler is called as a
#   function), no S3 event delivery, no retries, no concurrency. Real AWS can run two invocations
#   of the same event at once: the conditional puts still hold, which is why they exist. Large
#   files should be streamed and split (or go through Step Functions / a batch job) because a
#   Lambda has 15 minutes and limited memory; a partial-failure retry must not restart from zero.
