"""A Lambda for Kinesis batches: payments into DynamoDB, replay-safe, with partial batch failures.

The interviewer's follow-up to "Lambda from Kinesis to DynamoDB" (day2.aws.lambda_s3_to_dynamodb
and day2.aws.dynamodb cover conditional puts and UnprocessedItems): Kinesis delivers each shard
in order, AT LEAST ONCE, and a failed batch is retried until it succeeds or expires, holding up
the shard. With ReportBatchItemFailures the function returns the records that failed; Lambda
resumes the shard from the LOWEST sequence number returned and delivers every record after it
again. So: a poison record must not be returned (it would block the shard forever), a transient
failure must be, and the records delivered a second time must not be counted twice.

Each record's data (base64 in the event) is a JSON payment {"account": "acc-1", "amount": "12.50"},
written with the account as partition key, so one account's payments stay in order in one shard.

    process_batch(event, client, "payments", sleep=recorder)
    # BatchReport(applied=["1", "2", "4"], duplicates=[], dead_lettered=["3"], failed=[])
    # table: ACCOUNT#acc-1 {"balance": Decimal("20.00"), "payments": 2, "last_sequence": "000...0004"}
    #        PAYMENT#shardId-000000000000:1 {...}   POISON#shardId-000000000000:3 {"reason": ...}
    handler(event, context)
    # {"batchItemFailures": []}

Requirements
- The table has one string hash key "pk" (the tests create it). `client` is a low-level
  `boto3.client("dynamodb")` or anything with the same methods (the tests wrap it); values go
  through boto3's TypeSerializer, so amounts are Decimal (never float).
- `sequence_key(sequence_number)`: the sequence number (a decimal string of up to 129 digits, far
  beyond a DynamoDB number's 38) left-padded with zeros to SEQUENCE_WIDTH characters, so that
  comparing two keys as strings compares the numbers ("9" < "10").
- `decode_record(record)` -> Payment(event_id, sequence_number, account, amount), from the event
  record's eventID, kinesis.sequenceNumber and kinesis.data. Raises PoisonRecord (a ValueError)
  with a reason when the data is not base64, not UTF-8 (reason names "UTF-8"), not a JSON object
  ("JSON"), has no non-empty string "account" ("account"), or an "amount" that is not a finite
  number ("amount"). JSON numbers never pass through float: 0.1 stays Decimal("0.1").
- `write_items(client, table, items, *, sleep, max_attempts, base_delay)`: puts the items (plain
  dicts with "pk") with BatchWriteItem, at most 25 per call. Items handed back in UnprocessedItems
  are resent, and only they, after sleeping base_delay * 2 ** (n - 1) before the n-th resend; the
  delays restart for each chunk; no sleep when nothing came back. After max_attempts calls for a
  chunk it gives up on that chunk: it returns the set of pks never written (it does not raise).
- `apply_payment(client, table, payment)`: ONE conditional UpdateItem on pk "ACCOUNT#{account}":
  balance += amount, payments += 1 (both start at 0), last_sequence = sequence_key(seq), only if
  the item has no last_sequence or a smaller one. True when applied; False when the condition
  failed (this payment, or a later one of the account, is already in: a duplicate). Any other
  error propagates.
- `process_batch(event, client, table, *, sleep=time.sleep, max_attempts=4, base_delay=0.1)`:
    1. decode every record; for each one write, in one write_items call, either its payment
       {"pk": "PAYMENT#{eventID}", "account", "amount", "sequence_number"} or, for a poison
       record, its dead letter {"pk": "POISON#{eventID}", "sequence_number", "reason", "data"}
       (data: the base64 text as it came). Both are keyed by the record, so writing them again
       on a redelivery changes nothing;
    2. then walk the records in order: a record whose item was not written, or whose
       apply_payment raised a ClientError, is the FIRST FAILURE. Stop there: no later payment is
       applied (Lambda delivers them again, and applying a later payment of the same account now
       would make the guard reject the failed one on the retry);
    3. return BatchReport(applied, duplicates, dead_lettered, failed): sequence numbers, in
       order; the records before the first failure are each in one of the first three lists,
       the first failure and every record after it are in `failed`.
  A poison record is dead-lettered, not failed: it neither blocks the shard nor causes a retry.
- `handler(event, context)`: builds the DynamoDB client lazily on the first call (table name in
  the PAYMENTS_TABLE environment variable), reuses it, and returns the Lambda partial batch
  response {"batchItemFailures": [{"itemIdentifier": <sequence number of the first failure>}]},
  or an empty list when nothing failed.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError

SEQUENCE_WIDTH = 129        # the Kinesis API allows sequence numbers of up to 129 digits
BATCH_LIMIT = 25            # BatchWriteItem takes at most 25 put requests per call


class PoisonRecord(ValueError):
    """This record can never be processed: retrying it would only block the shard."""


@dataclass(frozen=True)
class Payment:
    event_id: str
    sequence_number: str
    account: str
    amount: Decimal


@dataclass
class BatchReport:
    applied: list[str] = field(default_factory=list)        # payments added to a balance by this call
    duplicates: list[str] = field(default_factory=list)     # payments that were already in
    dead_lettered: list[str] = field(default_factory=list)  # poison records stored with their reason
    failed: list[str] = field(default_factory=list)         # the first failure and every record after it


_serialize = TypeSerializer().serialize


def sequence_key(sequence_number: str) -> str:
    return sequence_number.zfill(SEQUENCE_WIDTH)


def decode_record(record: dict) -> Payment:
    kinesis = record["kinesis"]
    try:
        raw = base64.b64decode(kinesis["data"], validate=True)
    except (binascii.Error, ValueError):
        raise PoisonRecord("data is not base64") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PoisonRecord("data is not UTF-8 text") from None
    try:
        body = json.loads(text, parse_float=Decimal)          # JSON numbers never pass through float
    except json.JSONDecodeError as error:
        raise PoisonRecord(f"data is not JSON: {error.msg}") from None
    if not isinstance(body, dict):
        raise PoisonRecord(f"data is JSON {type(body).__name__}, not a JSON object")
    account = body.get("account")
    if not isinstance(account, str) or not account:
        raise PoisonRecord("account is missing or not a non-empty string")
    return Payment(record["eventID"], kinesis["sequenceNumber"], account, _amount(body.get("amount")))


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise PoisonRecord(f"amount {value!r} is not a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise PoisonRecord(f"amount {value!r} is not a number") from None
    if not amount.is_finite():
        raise PoisonRecord(f"amount {value!r} is not a finite number")
    return amount


def write_items(client: Any, table: str, items: list[dict], *, sleep: Callable[[float], None] = time.sleep,
                max_attempts: int = 4, base_delay: float = 0.1) -> set[str]:
    requests = [{"PutRequest": {"Item": {name: _serialize(value) for name, value in item.items()}}}
                for item in items]
    never_written: set[str] = set()
    for begin in range(0, len(requests), BATCH_LIMIT):
        pending = requests[begin:begin + BATCH_LIMIT]
        for attempt in range(1, max_attempts + 1):
            if attempt > 1:
                sleep(base_delay * 2 ** (attempt - 2))
            response = client.batch_write_item(RequestItems={table: pending})
            pending = response.get("UnprocessedItems", {}).get(table, [])
            if not pending:
                break
        never_written.update(request["PutRequest"]["Item"]["pk"]["S"] for request in pending)
    return never_written


def apply_payment(client: Any, table: str, payment: Payment) -> bool:
    try:
        client.update_item(
            TableName=table,
            Key={"pk": {"S": f"ACCOUNT#{payment.account}"}},
            UpdateExpression=("SET balance = if_not_exists(balance, :zero) + :amount, "
                              "payments = if_not_exists(payments, :zero) + :one, last_sequence = :seq"),
            ConditionExpression="attribute_not_exists(last_sequence) OR last_sequence < :seq",
            ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}, ":amount": _serialize(payment.amount),
                                       ":seq": {"S": sequence_key(payment.sequence_number)}},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def process_batch(event: dict, client: Any, table: str, *, sleep: Callable[[float], None] = time.sleep,
                  max_attempts: int = 4, base_delay: float = 0.1) -> BatchReport:
    records = event["Records"]
    decoded: list[tuple[str, str, Payment | None]] = []        # (sequence number, pk, payment or None)
    items = []
    for record in records:
        sequence_number = record["kinesis"]["sequenceNumber"]
        try:
            payment = decode_record(record)
        except PoisonRecord as poison:
            item = {"pk": f"POISON#{record['eventID']}", "sequence_number": sequence_number,
                    "reason": str(poison), "data": record["kinesis"]["data"]}
            payment = None
        else:
            item = {"pk": f"PAYMENT#{payment.event_id}", "account": payment.account, "amount": payment.amount,
                    "sequence_number": sequence_number}
        items.append(item)
        decoded.append((sequence_number, item["pk"], payment))
    never_written = write_items(client, table, items, sleep=sleep, max_attempts=max_attempts, base_delay=base_delay)

    report = BatchReport()
    for position, (sequence_number, pk, payment) in enumerate(decoded):
        outcome = _finish(client, table, pk, payment, never_written)
        if outcome == "failed":
            report.failed = [sequence for sequence, _, _ in decoded[position:]]
            break
        getattr(report, outcome).append(sequence_number)
    return report


def _finish(client: Any, table: str, pk: str, payment: Payment | None, never_written: set[str]) -> str:
    """Which list of the report one record belongs to, applying its payment on the way."""
    if pk in never_written:
        return "failed"
    if payment is None:
        return "dead_lettered"
    try:
        return "applied" if apply_payment(client, table, payment) else "duplicates"
    except ClientError:
        return "failed"


_clients: dict[str, Any] = {}


def handler(event: dict, context: Any) -> dict:
    if not _clients:
        import boto3

        _clients["dynamodb"] = boto3.client("dynamodb")
    report = process_batch(event, _clients["dynamodb"], os.environ["PAYMENTS_TABLE"])
    return {"batchItemFailures": [{"itemIdentifier": report.failed[0]}] if report.failed else []}


# Why
# - Two kinds of failure, two fates. A poison record (bad bytes, bad JSON) fails the same way on
#   every retry: returning it, or raising, makes Lambda retry the shard from it until the record
#   expires (24 h by default), and every good record behind it waits. Store it with its reason
#   and report success. A transient failure (throttling that outlived the retries) is returned in
#   batchItemFailures and Lambda resumes from it.
# - ReportBatchItemFailures checkpoints at the LOWEST sequence number returned and redelivers
#   everything after it. So stop at the first failure, and make every write safe to repeat:
#   the payment and dead-letter items are keyed by eventID (a put of the same item changes
#   nothing), and the balance, which an increment would double, is guarded by a per-account
#   high-water mark: "last_sequence < :seq". That also survives a whole-batch retry after a crash
#   or timeout, and two invocations overlapping. Applying a later payment of the same account past
#   a failure would make the guard reject the failed one on its retry: a lost payment.
# - Sequence numbers are decimal strings of up to 129 digits: more than a DynamoDB number holds
#   (38 digits) and not comparable as text ("10" < "9"). Zero-pad to a fixed width.
# - Cost: one BatchWriteItem per 25 records plus one UpdateItem per payment (a failed condition
#   still costs a write unit). BatchWriteItem carries no condition, which is why only the
#   naturally idempotent items go through it; the other option, TransactWriteItems per record,
#   costs double. UnprocessedItems is not an error: resend only those, with exponential backoff,
#   and bound the attempts so the function returns before its timeout.
# - The guard assumes one account's payments come in order, which holds while the account is the
#   partition key (one shard, or ParallelizationFactor keeping keys in order). After a reshard,
#   read parent shards first (Lambda does). Also configure: a bisect-on-error / maximum retry
#   attempts / on-failure destination (SQS) so that an unexpected exception cannot block forever.
