"""Tests for the lambda_s3_to_dynamodb kata: run `pytest katas/day2/aws/test_lambda_s3_to_dynamodb.py`.

moto cannot run a Lambda here (invoke needs Docker) and delivers no S3 events, so the handler is
called as a plain function with S3 put events built by hand; S3 and DynamoDB are moto's. "Writes
nothing" is checked three ways: the table's items (values included) are unchanged, no write call
succeeded (a botocore hook counts them), and the object was not even read.
"""
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day2.aws.lambda_s3_to_dynamodb import BadS3Event, ObjectReport, handler, load_event, parse_orders

pytestmark = pytest.mark.needs("aws")

BUCKET = "landing"
TABLE = "orders"
T1 = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
T2 = T1 + timedelta(hours=3)
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}

CSV_ORDERS = (
    "order_id,customer_id,amount,quantity,ordered_at\n"
    "A-1,c-9,19.99,2,2026-01-05\n"
    "A-2,c-7,12345678901234567.89,1,2026-01-05\n"
    "A-3,c-9,0.10,3,2026-01-06\n"
)


def clock_at(moment: datetime):
    return lambda: moment


def s3_record(bucket: str, key: str, etag: str) -> dict:
    """One S3 put record as S3 sends it: the key form-encoded ('+' for a space), eTag without quotes."""
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventTime": "2026-01-05T10:00:00.000Z",
        "eventName": "ObjectCreated:Put",
        "s3": {
            "s3SchemaVersion": "1.0",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": quote_plus(key, safe="/"), "size": 0, "eTag": etag, "sequencer": "0055AED6DCD90281E5"},
        },
    }


def upload(s3, key: str, body: str) -> dict:
    """Put the object and return the S3 event record that announces it."""
    etag = s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode("utf-8"))["ETag"].strip('"')
    return s3_record(BUCKET, key, etag)


def event_of(*records: dict) -> dict:
    return {"Records": list(records)}


@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def table(aws, aws_session):
    dynamodb = aws_session.resource("dynamodb")
    return dynamodb.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )


def items(table) -> dict[str, dict]:
    """Every item in the table by pk (scan follows LastEvaluatedKey)."""
    found, kwargs = {}, {"ConsistentRead": True}
    while True:
        page = table.scan(**kwargs)
        found.update({item["pk"]: item for item in page["Items"]})
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def orders(table) -> dict[str, dict]:
    return {pk: item for pk, item in items(table).items() if pk.startswith("ORDER#")}


class CallCounter:
    """Counts successful calls per operation on one boto3 client, through botocore's event hooks."""

    def __init__(self, client, service: str):
        self.calls: list[str] = []
        self.params: list[tuple[str, dict]] = []
        client.meta.events.register(f"after-call.{service}", self._seen)
        client.meta.events.register(f"provide-client-params.{service}", self._asked)

    def _asked(self, params, model, **_):
        self.params.append((model.name, dict(params)))

    def _seen(self, http_response, model, **_):
        if http_response.status_code < 300:
            self.calls.append(model.name)

    def writes(self) -> list[str]:
        return [name for name in self.calls if name in WRITE_OPERATIONS]


def crash_after_puts(table, allowed: int):
    """Make the (allowed + 1)-th PutItem on this table's client raise, like a Lambda timing out."""
    state = {"puts": 0}

    def maybe_crash(**_):
        state["puts"] += 1
        if state["puts"] > allowed:
            raise RuntimeError("simulated crash: the Lambda timed out mid-file")

    table.meta.client.meta.events.register("before-call.dynamodb.PutItem", maybe_crash, unique_id="crash")
    return lambda: table.meta.client.meta.events.unregister("before-call.dynamodb.PutItem", unique_id="crash")


# ---- parsing (no AWS calls) ------------------------------------------------------------------

def test_csv_rows_become_orders_with_exact_decimal_amounts():
    got, rejected = parse_orders("orders.csv", CSV_ORDERS.encode())
    want = [
        {"order_id": "A-1", "customer_id": "c-9", "amount": Decimal("19.99"), "quantity": 2, "ordered_at": "2026-01-05"},
        {"order_id": "A-2", "customer_id": "c-7", "amount": Decimal("12345678901234567.89"), "quantity": 1,
         "ordered_at": "2026-01-05"},
        {"order_id": "A-3", "customer_id": "c-9", "amount": Decimal("0.10"), "quantity": 3, "ordered_at": "2026-01-06"},
    ]
    assert (got, rejected) == (want, []), f"parse_orders('orders.csv', ...) returned {got}, {rejected}; expected {want}, []"
    assert all(type(o["amount"]) is Decimal and type(o["quantity"]) is int for o in got), (
        f"amount must be a Decimal and quantity an int, got {[(type(o['amount']), type(o['quantity'])) for o in got]}")


def test_json_lines_numbers_never_pass_through_float():
    body = "\n".join([
        '{"order_id": "J-1", "customer_id": "c-1", "amount": 12345678901234567.89, "quantity": 1, "ordered_at": "d"}',
        "",
        '{"order_id": "J-2", "customer_id": "c-1", "amount": 0.1, "quantity": 2, "ordered_at": "d"}',
        '{"order_id": "J-3", "customer_id": "c-2", "amount": "5.00", "quantity": 1, "ordered_at": "d"}',
        '{"order_id": "J-4", "customer_id": "c-2", "amount": 20, "quantity": 1, "ordered_at": "d"}',
    ]) + "\n"
    got, rejected = parse_orders("orders.jsonl", body.encode())
    amounts = [o["amount"] for o in got]
    want = [Decimal("12345678901234567.89"), Decimal("0.1"), Decimal("5.00"), Decimal("20")]
    assert amounts == want and all(type(a) is Decimal for a in amounts) and rejected == [], (
        f"parse_orders('orders.jsonl', ...) gave amounts {amounts!r} (rejected {rejected}), expected {want!r}: "
        "json.loads(line, parse_float=Decimal), since a float keeps only about 16 digits")


@settings(max_examples=100, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=Decimal("1e20")),
       st.sampled_from([".csv", ".jsonl"]))
def test_any_two_place_amount_is_parsed_exactly(amount, suffix):
    text = f"{amount:f}"
    if suffix == ".csv":
        body = f"order_id,customer_id,amount,quantity,ordered_at\nP-1,c,{text},1,d\n"
    else:
        body = f'{{"order_id": "P-1", "customer_id": "c", "amount": {text}, "quantity": 1, "ordered_at": "d"}}\n'
    got, rejected = parse_orders("orders" + suffix, body.encode())
    assert rejected == [] and [o["amount"] for o in got] == [Decimal(text)], (
        f"parse_orders('orders{suffix}', amount {text}) returned {got}, {rejected}; expected amount Decimal({text!r})")


# name -> (key, body, expected (line, field word) pairs)
HEADER = "order_id,customer_id,amount,quantity,ordered_at\n"
REJECTED_ROWS = {
    "csv: empty order_id": ("o.csv", HEADER + ",c,1.00,1,d\n", [(2, "order_id")]),
    "csv: amount is not a number": ("o.csv", HEADER + "Y,c,abc,1,d\n", [(2, "amount")]),
    "csv: amount is NaN": ("o.csv", HEADER + "X,c,NaN,1,d\n", [(2, "amount")]),
    "csv: quantity zero, then fractional": ("o.csv", HEADER + "X,c,1,0,d\nY,c,1,1.5,d\n", [(2, "quantity"), (3, "quantity")]),
    "csv: a short row": ("o.csv", HEADER + "X,c,1\n", [(2, "quantity")]),
    "jsonl: broken JSON": ("o.jsonl", '{"order_id": "X",\n', [(1, "JSON")]),
    "jsonl: a list, not an object": ("o.jsonl", '[1, 2]\n', [(1, "JSON")]),
    "jsonl: missing customer_id after a blank line": (
        "o.jsonl", '\n{"order_id": "X", "amount": 1, "quantity": 1, "ordered_at": "d"}\n', [(2, "customer_id")]),
}


@pytest.mark.parametrize("key,body,want", REJECTED_ROWS.values(), ids=REJECTED_ROWS.keys())
def test_bad_rows_are_rejected_with_line_number_and_field(key, body, want):
    got, rejected = parse_orders(key, body.encode())
    lines = [line for line, _ in rejected]
    assert got == [] and lines == [line for line, _ in want], (
        f"parse_orders({key!r}, {body!r}) returned orders {got}, rejected {rejected}; expected rejected lines "
        f"{[line for line, _ in want]} and no orders")
    for (line, reason), (_, word) in zip(rejected, want):
        assert word in reason, f"the reason for line {line} is {reason!r}; it should name {word!r}"


# ---- loading -----------------------------------------------------------------------------------

def test_an_event_loads_every_order_with_source_and_ingestion_time(s3, table):
    record = upload(s3, "orders/2026-01-05.csv", CSV_ORDERS)
    got = load_event(event_of(record), s3, table, clock_at(T1))
    want_report = [ObjectReport(BUCKET, "orders/2026-01-05.csv", "loaded", written=3, duplicates=0, rejected=())]
    assert got == want_report, f"load_event(one CSV) returned {got}, expected {want_report}"
    stored = orders(table)
    want = {
        "ORDER#A-1": {"pk": "ORDER#A-1", "order_id": "A-1", "customer_id": "c-9", "amount": Decimal("19.99"),
                      "quantity": Decimal(2), "ordered_at": "2026-01-05",
                      "source": "s3://landing/orders/2026-01-05.csv", "ingested_at": T1.isoformat()},
        "ORDER#A-2": {"pk": "ORDER#A-2", "order_id": "A-2", "customer_id": "c-7",
                      "amount": Decimal("12345678901234567.89"), "quantity": Decimal(1), "ordered_at": "2026-01-05",
                      "source": "s3://landing/orders/2026-01-05.csv", "ingested_at": T1.isoformat()},
        "ORDER#A-3": {"pk": "ORDER#A-3", "order_id": "A-3", "customer_id": "c-9", "amount": Decimal("0.10"),
                      "quantity": Decimal(3), "ordered_at": "2026-01-06",
                      "source": "s3://landing/orders/2026-01-05.csv", "ingested_at": T1.isoformat()},
    }
    assert stored == want, f"after load_event the orders in the table are {stored}, expected {want}"


def test_the_processed_object_marker_is_keyed_by_bucket_key_and_etag(s3, table):
    record = upload(s3, "orders/day one.csv", CSV_ORDERS)
    etag = record["s3"]["object"]["eTag"]
    load_event(event_of(record), s3, table, clock_at(T1))
    pk = f"OBJECT#landing/orders/day one.csv#{etag}"
    marker = items(table).get(pk)
    want = {"pk": pk, "bucket": BUCKET, "key": "orders/day one.csv", "etag": etag, "processed_at": T1.isoformat()}
    assert marker == want, f"after load_event the marker item {pk!r} is {marker}, expected {want}"
    assert len(items(table)) == 4, f"expected 3 orders + 1 marker, the table holds {sorted(items(table))}"


def test_a_rerun_of_the_same_event_writes_nothing_and_does_not_reread_the_file(s3, table):
    event = event_of(upload(s3, "orders/2026-01-05.csv", CSV_ORDERS))
    load_event(event, s3, table, clock_at(T1))
    before = items(table)
    dynamodb_calls, s3_calls = CallCounter(table.meta.client, "dynamodb"), CallCounter(s3, "s3")

    got = load_event(event, s3, table, clock_at(T2))        # S3 delivered the event again, 3 hours later

    want = [ObjectReport(BUCKET, "orders/2026-01-05.csv", "already_processed", written=0, duplicates=0, rejected=())]
    assert got == want, f"load_event(same event again) returned {got}, expected {want}"
    after = items(table)
    assert after == before, (f"the rerun changed the table: before {len(before)} items, after {len(after)}; "
                             f"changed pks {sorted(pk for pk in after if after[pk] != before.get(pk))}")
    assert dynamodb_calls.writes() == [], f"the rerun made successful DynamoDB writes {dynamodb_calls.writes()}, expected none"
    assert "GetObject" not in s3_calls.calls, (
        f"the rerun called S3 {s3_calls.calls}: check the processed-object marker before reading the file")
    reads = [params for name, params in dynamodb_calls.params if name == "GetItem"]
    assert reads and all(params.get("ConsistentRead") is True for params in reads), (
        f"the rerun's GetItem calls were {reads}: read the marker with ConsistentRead=True. moto is always "
        "consistent, so only the request shows it; real DynamoDB may miss a marker written a moment ago")


def test_a_crash_mid_file_then_a_retry_loads_each_order_once_and_keeps_first_writes(s3, table):
    event = event_of(upload(s3, "orders/2026-01-05.csv", CSV_ORDERS))
    stop_crashing = crash_after_puts(table, allowed=2)
    with pytest.raises(RuntimeError, match="simulated crash"):
        load_event(event, s3, table, clock_at(T1))
    stop_crashing()
    assert set(orders(table)) == {"ORDER#A-1", "ORDER#A-2"}, f"after the crash the table holds {sorted(items(table))}"

    got = load_event(event, s3, table, clock_at(T2))        # Lambda retries the same event

    want = [ObjectReport(BUCKET, "orders/2026-01-05.csv", "loaded", written=1, duplicates=2, rejected=())]
    assert got == want, (f"load_event(retry after a crash that wrote A-1 and A-2) returned {got}, expected {want}: "
                         "the marker must be written last, and an existing order is a duplicate, not an error")
    stamps = {pk: item["ingested_at"] for pk, item in orders(table).items()}
    want_stamps = {"ORDER#A-1": T1.isoformat(), "ORDER#A-2": T1.isoformat(), "ORDER#A-3": T2.isoformat()}
    assert stamps == want_stamps, (f"ingested_at after the retry is {stamps}, expected {want_stamps}: "
                                   "the retry overwrote orders the first attempt had written (use a conditional put)")
    assert len(items(table)) == 4, f"expected 3 orders + 1 marker after the retry, the table holds {sorted(items(table))}"


def test_a_duplicate_order_in_one_file_keeps_the_first_row(s3, table):
    body = CSV_ORDERS + "A-1,c-9,999.00,9,2026-01-07\n"
    got = load_event(event_of(upload(s3, "dup.csv", body)), s3, table, clock_at(T1))
    assert (got[0].written, got[0].duplicates) == (3, 1), f"load_event(file repeating A-1) returned {got}, expected 3 written, 1 duplicate"
    amount = orders(table)["ORDER#A-1"]["amount"]
    assert amount == Decimal("19.99"), f"A-1's amount is {amount}, expected the first row's 19.99"


def test_a_new_version_of_the_file_loads_new_orders_and_leaves_old_ones(s3, table):
    first = upload(s3, "orders/latest.csv", CSV_ORDERS)
    load_event(event_of(first), s3, table, clock_at(T1))
    second = upload(s3, "orders/latest.csv", HEADER + "A-1,c-9,1.00,1,2026-01-05\nA-4,c-1,7.50,1,2026-01-07\n")
    assert second["s3"]["object"]["eTag"] != first["s3"]["object"]["eTag"]

    got = load_event(event_of(second), s3, table, clock_at(T2))

    want = [ObjectReport(BUCKET, "orders/latest.csv", "loaded", written=1, duplicates=1, rejected=())]
    assert got == want, f"load_event(new version of the same key) returned {got}, expected {want}: the eTag is part of the idempotency key"
    stored = orders(table)
    assert stored["ORDER#A-1"]["amount"] == Decimal("19.99") and stored["ORDER#A-4"]["amount"] == Decimal("7.50"), (
        f"A-1 = {stored['ORDER#A-1']}, A-4 = {stored.get('ORDER#A-4')}; expected A-1 untouched (19.99) and A-4 added")
    markers = [pk for pk in items(table) if pk.startswith("OBJECT#")]
    assert len(markers) == 2, f"expected one marker per version (eTag), found {markers}"


def test_several_records_with_encoded_keys_are_each_loaded(s3, table):
    csv_record = upload(s3, "in/batch 1+2.csv", HEADER + "B-1,c,1.50,1,d\nbad,c,x,1,d\n")
    jsonl_record = upload(s3, "in/données.jsonl",
                          '{"order_id": "B-2", "customer_id": "c", "amount": 2.25, "quantity": 4, "ordered_at": "d"}\n')
    assert csv_record["s3"]["object"]["key"] == "in/batch+1%2B2.csv"

    got = load_event(event_of(csv_record, jsonl_record), s3, table, clock_at(T1))

    assert [(r.key, r.status, r.written, [line for line, _ in r.rejected]) for r in got] == [
        ("in/batch 1+2.csv", "loaded", 1, [3]), ("in/données.jsonl", "loaded", 1, [])], (
        f"load_event(2 records) returned {got}, expected both decoded keys loaded, line 3 of the CSV rejected")
    stored = orders(table)
    assert {pk: o["amount"] for pk, o in stored.items()} == {"ORDER#B-1": Decimal("1.50"), "ORDER#B-2": Decimal("2.25")}, (
        f"orders after loading both files: {stored}")
    assert stored["ORDER#B-2"]["source"] == "s3://landing/in/données.jsonl", f"B-2 source is {stored['ORDER#B-2']['source']!r}"


GOOD = s3_record(BUCKET, "ok.csv", "abc123")


def bad_record(**changes) -> dict:
    record = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        node = record
        *parents, leaf = path.split("__")
        for step in parents:
            node = node[step]
        if value is None:
            node.pop(leaf)
        else:
            node[leaf] = value
    return record


# name -> (event, fragments the message must contain)
BAD_EVENTS = {
    "no Records": ({"Service": "Amazon S3", "Event": "s3:TestEvent"}, ["Records"]),
    "the second record came from SQS": (event_of(GOOD, bad_record(eventSource="aws:sqs")),
                                        ["Records[1].eventSource", "aws:sqs"]),
    "a delete event": (event_of(bad_record(eventName="ObjectRemoved:Delete")), ["Records[0].eventName"]),
    "no eTag": (event_of(bad_record(s3__object__eTag=None)), ["Records[0].s3.object.eTag"]),
    "no key": (event_of(bad_record(s3__object__key=None)), ["Records[0].s3.object.key"]),
    "a parquet file": (event_of(GOOD, bad_record(s3__object__key="part-0.parquet")), ["part-0.parquet"]),
}


@pytest.mark.parametrize("event,fragments", BAD_EVENTS.values(), ids=BAD_EVENTS.keys())
def test_a_bad_event_is_refused_before_anything_is_written(s3, table, event, fragments):
    s3.put_object(Bucket=BUCKET, Key="ok.csv", Body=CSV_ORDERS.encode())
    try:
        got = load_event(event, s3, table, clock_at(T1))
    except BadS3Event as error:
        message = str(error)
    except Exception as error:  # noqa: BLE001 - the point is to report what escaped instead
        pytest.fail(f"load_event(bad event) raised {type(error).__name__}: {error}; expected BadS3Event naming "
                    f"{fragments}", pytrace=False)
    else:
        pytest.fail(f"load_event(bad event) returned {got}; expected BadS3Event naming {fragments}", pytrace=False)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"load_event(bad event) raised BadS3Event({message!r}), which does not name {missing}"
    assert items(table) == {}, f"a bad event must be refused before any write, the table holds {sorted(items(table))}"


def test_the_lambda_entry_point_uses_the_table_from_the_environment(s3, table, monkeypatch):
    monkeypatch.setenv("ORDERS_TABLE", TABLE)
    event = event_of(upload(s3, "orders/2026-01-05.csv", CSV_ORDERS))
    first = handler(event, None)
    second = handler(event, None)
    assert [(r["status"], r["written"]) for r in first] == [("loaded", 3)], f"handler(event, None) returned {first}"
    assert [(r["status"], r["written"]) for r in second] == [("already_processed", 0)], (
        f"handler(same event, None) returned {second}, expected already_processed")
    assert len(orders(table)) == 3, f"after handler the table holds {sorted(items(table))}"
