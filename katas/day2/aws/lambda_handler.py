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

from dataclasses import dataclass
from typing import Any

SUMMARY_PREFIX = "summaries/"


class BadS3Event(ValueError):
    """The event is not an S3 ObjectCreated event; the message says what is wrong and where."""


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str          # decoded: the object's real name


def parse_s3_event(event: Any) -> list[S3Object]:
    raise NotImplementedError("TODO: validate the event and return one S3Object per record, keys decoded")


def process_event(event: Any, s3: Any, output_prefix: str = SUMMARY_PREFIX) -> dict:
    raise NotImplementedError("TODO: validate everything, then summarize each object into output_prefix")


def handler(event: Any, context: Any) -> dict:
    raise NotImplementedError("TODO: build a default S3 client once, lazily, and call process_event")
