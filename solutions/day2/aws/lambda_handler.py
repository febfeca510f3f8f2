"""An AWS Lambda handler for S3 put events: decode the keys, handle every record, refuse bad events.

Interviewers ask for this because the first Lambda most data engineers write is "a file lands in
S3, do something with it", and the same three bugs show up every time: the object key in the
event is URL-encoded (a space arrives as '+'), an event can carry several records (the code reads
only Records[0]), and anything that is not an S3 put event blows up with a KeyError deep inside.

An S3 put event (trimmed) looks like this:

    {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                  "s3": {"bucket": {"name": "landing"},
                         "object": {"key": "daily+report%2B%C3%A9t%C3%A9.csv", "size": 11}}}]}

    parse_s3_event(event)       # [S3Object(bucket="landing", key="daily report+été.csv")]
    process_event(event, s3)    # reads the object, writes summaries/daily report+été.csv.json
    # {"processed": [{"bucket": "landing", "key": "daily report+été.csv", "bytes": 11, "lines": 2,
    #                 "summary_key": "summaries/daily report+été.csv.json"}],
    #  "skipped": []}

Requirements
- `parse_s3_event(event)` returns one S3Object per record, in the order of the records, with the
  key decoded as S3 encodes it: form encoding, so '+' is a space and '%2B' is a literal '+'
  (urllib.parse.unquote_plus; '%C3%A9' is 'é'). Decode exactly once: a key whose real name
  contains '%2B' arrives as '%252B' and must come back as '%2B'.
- A bad event raises BadS3Event (a ValueError) with one message naming what is wrong and where,
  checked in this order, stopping at the first problem:
    - the event is not a dict                     -> message contains "event"
    - no "Records" key (e.g. the s3:TestEvent S3 sends when a notification is configured)
                                                  -> message contains "Records"
    - "Records" is not a non-empty list           -> message contains "Records"
    - record i is not a dict                      -> message contains "Records[i]"
    - eventSource is not "aws:s3" (e.g. an S3 event still wrapped in an SQS message)
                                                  -> contains "Records[i].eventSource" and the value
    - eventName does not start with "ObjectCreated:"
                                                  -> contains "Records[i].eventName" and the value
    - s3.bucket.name missing, not a string or empty -> contains "Records[i].s3.bucket.name"
    - s3.object.key missing, not a string or empty  -> contains "Records[i].s3.object.key"
  A KeyError, TypeError or AttributeError escaping instead is a bug.
- `process_event(event, s3, output_prefix="summaries/")` validates the WHOLE event first: when any
  record is bad it raises BadS3Event before touching S3, so nothing is half done.
- Then, for each record in order: if the decoded key already starts with output_prefix, skip it
  (the handler's own output would otherwise trigger it again, forever) and list the key under
  "skipped". Otherwise read the object with `s3.get_object`, and write a JSON summary
  {"bucket", "key", "bytes", "lines"} to the same bucket at output_prefix + key + ".json", where
  bytes = len(body) and lines = len(body.splitlines()). Return
  {"processed": [{"bucket", "key", "bytes", "lines", "summary_key"}, ...], "skipped": [key, ...]}.
- `handler(event, context)` is the Lambda entry point: it builds a default boto3 S3 client on first
  use (not at import time), reuses it on later calls, and returns process_event's result.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

SUMMARY_PREFIX = "summaries/"


class BadS3Event(ValueError):
    """The event is not an S3 ObjectCreated event; the message says what is wrong and where."""


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str          # decoded: the object's real name


def parse_s3_event(event: Any) -> list[S3Object]:
    if not isinstance(event, dict):
        raise BadS3Event(f"event must be a dict (the parsed JSON payload), got {type(event).__name__}")
    if "Records" not in event:
        raise BadS3Event(f"event has no 'Records' key, so it is not an S3 notification (keys: {sorted(event)})")
    records = event["Records"]
    if not isinstance(records, list) or not records:
        raise BadS3Event(f"event['Records'] must be a non-empty list, got {records!r}")
    return [_parse_record(i, record) for i, record in enumerate(records)]


def _parse_record(i: int, record: Any) -> S3Object:
    where = f"Records[{i}]"
    if not isinstance(record, dict):
        raise BadS3Event(f"{where} must be a dict, got {type(record).__name__}")
    source = record.get("eventSource")
    if source != "aws:s3":
        raise BadS3Event(f"{where}.eventSource is {source!r}, expected 'aws:s3' "
                         "(an S3 event delivered through SQS or SNS must be unwrapped first)")
    name = record.get("eventName")
    if not isinstance(name, str) or not name.startswith("ObjectCreated:"):
        raise BadS3Event(f"{where}.eventName is {name!r}, expected an 'ObjectCreated:*' event")
    bucket = _dig(record, ("s3", "bucket", "name"), where)
    raw_key = _dig(record, ("s3", "object", "key"), where)
    return S3Object(bucket=bucket, key=unquote_plus(raw_key))


def _dig(record: dict, path: tuple[str, ...], where: str) -> str:
    node: Any = record
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    if not isinstance(node, str) or not node:
        raise BadS3Event(f"{where}.{'.'.join(path)} must be a non-empty string, got {node!r}")
    return node


def process_event(event: Any, s3: Any, output_prefix: str = SUMMARY_PREFIX) -> dict:
    objects = parse_s3_event(event)          # all or nothing: validate before any side effect
    processed, skipped = [], []
    for obj in objects:
        if obj.key.startswith(output_prefix):
            skipped.append(obj.key)
            continue
        body = s3.get_object(Bucket=obj.bucket, Key=obj.key)["Body"].read()
        summary = {"bucket": obj.bucket, "key": obj.key, "bytes": len(body), "lines": len(body.splitlines())}
        summary_key = output_prefix + obj.key + ".json"
        s3.put_object(Bucket=obj.bucket, Key=summary_key, Body=json.dumps(summary).encode("utf-8"),
                      ContentType="application/json")
        processed.append({**summary, "summary_key": summary_key})
    return {"processed": processed, "skipped": skipped}


_default_s3: Any = None


def handler(event: Any, context: Any) -> dict:
    global _default_s3
    if _default_s3 is None:
        import boto3

        _default_s3 = boto3.client("s3")
    return process_event(event, _default_s3)


# Why
# - Cost: one GET and one PUT per record, O(size) memory for the body here. For big objects stream
#   (`Body.iter_lines()`) instead of read(); Lambda memory is what you pay for.
# - Keys: S3 form-encodes the key in the event. unquote (not unquote_plus) leaves '+' for spaces,
#   no decoding gives NoSuchKey on any key with a space or accent, decoding twice corrupts keys
#   that really contain '%'. Say "unquote_plus, once" in the interview.
# - Records: S3 usually sends one record per event, but the contract is a list; SQS batches and
#   replays give several. Loop over all of them.
# - Bad events: validate the whole event before any side effect and raise one ValueError naming the
#   field. For S3's asynchronous invocation a raise means two retries, then the event goes to the
#   on-failure destination or DLQ with that message; a KeyError there tells the on-call nothing.
#   A bad event never gets better, so some teams log and return instead: name the trade-off.
# - Recursion: writing output into the bucket that triggers the function loops forever (and bills
#   forever). Use another bucket or a prefix filter on the notification, and still guard in code.
#   AWS now detects some recursive loops and stops them; do not rely on it.
# - Clients: built lazily once per container and reused across warm invocations (connection reuse),
#   injected in tests. moto cannot run Lambda here (invoke needs Docker), so the handler is tested
#   as a plain function with hand-built events; S3 itself is moto's. Real S3 also delivers events
#   at least once and out of order: the next kata makes the work idempotent.
