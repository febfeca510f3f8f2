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

import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

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


def sequence_key(sequence_number: str) -> str:
    raise NotImplementedError("TODO: left-pad the sequence number with zeros to SEQUENCE_WIDTH")


def decode_record(record: dict) -> Payment:
    raise NotImplementedError("TODO: base64 -> UTF-8 -> JSON object -> Payment, or raise PoisonRecord with a reason")


def write_items(client: Any, table: str, items: list[dict], *, sleep: Callable[[float], None] = time.sleep,
                max_attempts: int = 4, base_delay: float = 0.1) -> set[str]:
    raise NotImplementedError("TODO: BatchWriteItem in chunks of 25, resend UnprocessedItems with backoff, "
                              "return the pks never written")


def apply_payment(client: Any, table: str, payment: Payment) -> bool:
    raise NotImplementedError("TODO: one UpdateItem guarded by last_sequence < :seq; False when the guard fails")


def process_batch(event: dict, client: Any, table: str, *, sleep: Callable[[float], None] = time.sleep,
                  max_attempts: int = 4, base_delay: float = 0.1) -> BatchReport:
    raise NotImplementedError("TODO: decode, write the items, then apply payments in order up to the first failure")


def handler(event: dict, context: Any) -> dict:
    raise NotImplementedError("TODO: lazy client, PAYMENTS_TABLE, return {'batchItemFailures': [...]}")
