"""Tests for the lambda_handler kata: run `pytest katas/day2/aws/test_lambda_handler.py`.

moto cannot run a Lambda here (invoke needs Docker), so the handler is called as a plain function
with S3 put events built by hand in the shape S3 sends; the buckets and objects live in moto.
"""
import copy
import json
from urllib.parse import quote_plus

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day2.aws.lambda_handler import BadS3Event, S3Object, handler, parse_s3_event, process_event

pytestmark = pytest.mark.needs("aws")

BUCKET = "landing"


def s3_encode(key: str) -> str:
    """How S3 writes a key into an event: form encoding, UTF-8, '/' left alone, space as '+'."""
    return quote_plus(key, safe="/")


def s3_record(bucket: str, encoded_key: str, size: int = 0, event_name: str = "ObjectCreated:Put") -> dict:
    """One record of an S3 notification, as S3 sends it (trimmed of fields no handler reads)."""
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": "2026-01-05T10:00:00.000Z",
        "eventName": event_name,
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "on-upload",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": encoded_key, "size": size, "eTag": "0123456789abcdef", "sequencer": "0055AED6DCD90281E5"},
        },
    }


def put_event(*keys: str, bucket: str = BUCKET) -> dict:
    """An S3 put event with one record per real key (each key encoded the way S3 encodes it)."""
    return {"Records": [s3_record(bucket, s3_encode(key)) for key in keys]}


@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def all_keys(s3, bucket: str = BUCKET) -> set[str]:
    return {obj["Key"] for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


# real key -> the key as it appears in the event
KEY_CASES = {
    "plain key": ("orders.csv", "orders.csv"),
    "a space arrives as '+'": ("daily report.csv", "daily+report.csv"),
    "a real '+' arrives as %2B": ("a+b.csv", "a%2Bb.csv"),
    "unicode arrives as percent-encoded UTF-8": ("données/été.csv", "donn%C3%A9es/%C3%A9t%C3%A9.csv"),
    "a percent sign arrives as %25": ("100%.csv", "100%25.csv"),
    "a real '%2B' in the name is decoded only once": ("x%2By.csv", "x%252By.csv"),
    "partition-style prefix with '=' and a space": ("year=2026/month=01/part 1.csv",
                                                    "year%3D2026/month%3D01/part+1.csv"),
}


@pytest.mark.parametrize("real_key,encoded", KEY_CASES.values(), ids=KEY_CASES.keys())
def test_parse_decodes_each_key_the_way_s3_encoded_it(real_key, encoded):
    event = {"Records": [s3_record(BUCKET, encoded)]}
    got = parse_s3_event(event)
    want = [S3Object(bucket=BUCKET, key=real_key)]
    assert got == want, f"parse_s3_event(event with key {encoded!r}) returned {got}, expected {want}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_key_survives_the_round_trip_through_an_event(real_key):
    event = {"Records": [s3_record(BUCKET, s3_encode(real_key))]}
    got = parse_s3_event(event)
    assert got == [S3Object(BUCKET, real_key)], (
        f"parse_s3_event(event with key {s3_encode(real_key)!r}) returned {got}, expected key {real_key!r}")


def test_parse_returns_one_object_per_record_in_order():
    event = {"Records": [s3_record("raw", "b.csv"), s3_record("raw", "a.csv"), s3_record("other", "a.csv")]}
    got = parse_s3_event(event)
    want = [S3Object("raw", "b.csv"), S3Object("raw", "a.csv"), S3Object("other", "a.csv")]
    assert got == want, f"parse_s3_event(3 records) returned {got}, expected {want}: every record, in order"


def test_objects_with_encoded_keys_are_read_and_summarized(s3):
    real_keys = [real for real, _ in KEY_CASES.values()]
    for real in real_keys:
        s3.put_object(Bucket=BUCKET, Key=real, Body=b"id,amount\n1,9.99\n")
    event = {"Records": [s3_record(BUCKET, encoded) for _, encoded in KEY_CASES.values()]}
    got = process_event(event, s3)
    assert [p["key"] for p in got["processed"]] == real_keys, (
        f"process_event processed keys {[p['key'] for p in got['processed']]}, expected {real_keys}")
    missing = {f"summaries/{real}.json" for real in real_keys} - all_keys(s3)
    assert not missing, f"after process_event these summaries are missing from the bucket: {sorted(missing)}"


def test_several_records_each_get_a_summary_with_bytes_and_lines(s3):
    bodies = {
        "in/a.csv": "id\n1\n2\n".encode(),             # 3 lines, trailing newline
        "in/b.txt": "no newline at the end".encode(),  # 1 line
        "in/c.txt": "é\r\nà\r\n".encode(),             # 2 lines, CRLF, 2-byte characters
        "in/empty.txt": b"",                           # 0 lines
    }
    for key, body in bodies.items():
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    got = process_event(put_event(*bodies), s3)
    want = [{"bucket": BUCKET, "key": key, "bytes": len(body), "lines": len(body.splitlines()),
             "summary_key": f"summaries/{key}.json"} for key, body in bodies.items()]
    assert got == {"processed": want, "skipped": []}, f"process_event(4 records) returned {got}, expected {want}"
    for row in want:
        stored = json.loads(s3.get_object(Bucket=BUCKET, Key=row["summary_key"])["Body"].read())
        expected = {k: row[k] for k in ("bucket", "key", "bytes", "lines")}
        assert stored == expected, f"summary {row['summary_key']} holds {stored}, expected {expected}"


def test_a_custom_output_prefix_is_used(s3):
    s3.put_object(Bucket=BUCKET, Key="x.csv", Body=b"1\n")
    got = process_event(put_event("x.csv"), s3, output_prefix="out/")
    assert got["processed"][0]["summary_key"] == "out/x.csv.json" and "out/x.csv.json" in all_keys(s3), (
        f"process_event(..., output_prefix='out/') returned {got}; bucket holds {sorted(all_keys(s3))}")


def test_the_handlers_own_output_is_skipped_not_summarized_again(s3):
    s3.put_object(Bucket=BUCKET, Key="a.csv", Body=b"1\n")
    s3.put_object(Bucket=BUCKET, Key="summaries/old.csv.json", Body=b"{}")
    got = process_event(put_event("summaries/old.csv.json", "a.csv"), s3)
    assert got["skipped"] == ["summaries/old.csv.json"], (
        f"process_event(event for its own output) returned skipped={got['skipped']}, expected the summary key: "
        "writing a summary of a summary triggers the function again, forever")
    assert [p["key"] for p in got["processed"]] == ["a.csv"], f"processed {got['processed']}, expected only a.csv"
    assert "summaries/summaries/old.csv.json.json" not in all_keys(s3), "a summary of a summary was written"


GOOD = s3_record(BUCKET, "ok.csv")


def with_changes(*edits) -> dict:
    """A copy of a good one-record event with edits applied to its record."""
    record = copy.deepcopy(GOOD)
    for edit in edits:
        edit(record)
    return {"Records": [record]}


SQS_WRAPPED = {"messageId": "1", "eventSource": "aws:sqs", "body": json.dumps({"Records": [GOOD]})}
SNS_WRAPPED = {"EventSource": "aws:sns", "Sns": {"Message": json.dumps({"Records": [GOOD]})}}

# name -> (event, fragments the error message must contain)
BAD_EVENTS = {
    "not a dict": ([GOOD], ["event"]),
    "the s3:TestEvent S3 sends when a notification is set up": (
        {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-01-05T10:00:00.000Z", "Bucket": BUCKET},
        ["Records"]),
    "Records is empty": ({"Records": []}, ["Records"]),
    "Records is a dict": ({"Records": GOOD}, ["Records"]),
    "a record is a string": ({"Records": ["s3://landing/ok.csv"]}, ["Records[0]"]),
    "an S3 event still wrapped in SQS": ({"Records": [SQS_WRAPPED]}, ["Records[0].eventSource", "aws:sqs"]),
    "the second record came through SNS": ({"Records": [GOOD, SNS_WRAPPED]}, ["Records[1].eventSource"]),
    "a delete event": (with_changes(lambda r: r.update(eventName="ObjectRemoved:Delete")),
                       ["Records[0].eventName", "ObjectRemoved:Delete"]),
    "no eventName": (with_changes(lambda r: r.pop("eventName")), ["Records[0].eventName"]),
    "no bucket name": (with_changes(lambda r: r["s3"]["bucket"].pop("name")), ["Records[0].s3.bucket.name"]),
    "s3 is a string": (with_changes(lambda r: r.update(s3="landing/ok.csv")), ["Records[0].s3.bucket.name"]),
    "no object": (with_changes(lambda r: r["s3"].pop("object")), ["Records[0].s3.object.key"]),
    "the key is a number": (with_changes(lambda r: r["s3"]["object"].update(key=42)), ["Records[0].s3.object.key"]),
    "the key is empty": (with_changes(lambda r: r["s3"]["object"].update(key="")), ["Records[0].s3.object.key"]),
}


@pytest.mark.parametrize("event,fragments", BAD_EVENTS.values(), ids=BAD_EVENTS.keys())
def test_a_bad_event_is_refused_with_one_clear_error(event, fragments):
    try:
        got = parse_s3_event(event)
    except BadS3Event as error:
        message = str(error)
    except Exception as error:  # noqa: BLE001 - the point is to report what escaped instead
        pytest.fail(f"parse_s3_event(bad event) raised {type(error).__name__}: {error}; "
                    f"expected BadS3Event naming {fragments}", pytrace=False)
    else:
        pytest.fail(f"parse_s3_event(bad event) returned {got}; expected BadS3Event naming {fragments}", pytrace=False)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"parse_s3_event(bad event) raised BadS3Event({message!r}), which does not name {missing}"


def test_a_bad_record_anywhere_means_nothing_is_written(s3):
    s3.put_object(Bucket=BUCKET, Key="ok.csv", Body=b"1\n")
    event = {"Records": [GOOD, with_changes(lambda r: r.update(eventSource="aws:sqs"))["Records"][0]]}
    before = all_keys(s3)
    with pytest.raises(BadS3Event):
        process_event(event, s3)
    after = all_keys(s3)
    assert after == before, (f"process_event(good record + bad record) raised but wrote {sorted(after - before)}: "
                             "validate every record before the first side effect")


def test_the_lambda_entry_point_builds_one_default_client(s3, monkeypatch):
    s3.put_object(Bucket=BUCKET, Key="new file.csv", Body=b"a\nb\n")
    built = []
    real_client = boto3.client

    def counting_client(*args, **kwargs):
        built.append(args[0] if args else kwargs.get("service_name"))
        return real_client(*args, **kwargs)

    monkeypatch.setattr(boto3, "client", counting_client)
    first = handler(put_event("new file.csv"), None)
    second = handler(put_event("new file.csv"), None)
    assert first["processed"][0]["lines"] == 2 and first == second, (
        f"handler(event, None) returned {first} then {second}, expected the same summary (2 lines) twice")
    assert len(built) <= 1, f"two handler calls built clients {built}: build one lazily and reuse it"
