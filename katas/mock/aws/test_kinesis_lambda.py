"""Tests for the Kinesis-to-DynamoDB Lambda: run `pytest katas/mock/aws/test_kinesis_lambda.py`.

Payments are put on a real moto Kinesis stream and read back with get_records, then shaped as the
event Lambda would deliver (data base64-encoded, eventID "shardId:sequenceNumber"). moto runs no
Lambda, never returns UnprocessedItems and never throttles, so `FlakyDynamoDB` wraps the moto
client: it hands chosen items back as unprocessed, throttles or crashes chosen updates, and keeps
a log of what really reached the table. `lambda_retry` does what Lambda does with a partial batch
response: it resumes from the lowest sequence number returned and delivers every record after it.
"""
import base64
import json
from collections import Counter
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.aws.kinesis_lambda import (
    SEQUENCE_WIDTH,
    BatchReport,
    Payment,
    PoisonRecord,
    apply_payment,
    decode_record,
    handler,
    process_batch,
    sequence_key,
    write_items,
)

pytestmark = pytest.mark.needs("aws")

TABLE = "payments"
STREAM = "payments"
SHARD = "shardId-000000000000"


# ---- the stream, the table and Lambda's side of the contract ----------------------------------

@pytest.fixture
def dynamodb(aws, aws_session):
    client = aws_session.client("dynamodb")
    client.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    return client


@pytest.fixture
def kinesis(aws, aws_session):
    client = aws_session.client("kinesis")
    client.create_stream(StreamName=STREAM, ShardCount=1)
    return client


def publish(kinesis, *payloads) -> dict:
    """Put the payloads on the stream (a dict as JSON, bytes as they are), then read the shard from
    its start with get_records and shape what came back as Lambda's Kinesis event."""
    kinesis.put_records(StreamName=STREAM, Records=[
        {"Data": json.dumps(p).encode() if isinstance(p, dict) else p,
         "PartitionKey": p.get("account", "?") if isinstance(p, dict) else "?"} for p in payloads])
    arn = kinesis.describe_stream(StreamName=STREAM)["StreamDescription"]["StreamARN"]
    iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=SHARD,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    return {"Records": [lambda_record(r, arn) for r in records]}


def lambda_record(record: dict, stream_arn: str) -> dict:
    """One record as Lambda hands it to the function: get_records gives bytes, Lambda base64 text."""
    return {
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": record["PartitionKey"],
                    "sequenceNumber": record["SequenceNumber"],
                    "data": base64.b64encode(record["Data"]).decode("ascii"),
                    "approximateArrivalTimestamp": record["ApproximateArrivalTimestamp"].timestamp()},
        "eventSource": "aws:kinesis", "eventVersion": "1.0",
        "eventID": f"{SHARD}:{record['SequenceNumber']}", "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/payments-consumer",
        "awsRegion": "us-east-1", "eventSourceARN": stream_arn,
    }


def sequence_numbers(event: dict) -> list[str]:
    return [r["kinesis"]["sequenceNumber"] for r in event["Records"]]


def lambda_retry(event: dict, failures: list[str]) -> dict:
    """What Lambda delivers next after a partial batch response: the records from the lowest
    failed sequence number on (compared as numbers)."""
    lowest = min(int(sequence) for sequence in failures)
    return {"Records": [r for r in event["Records"] if int(r["kinesis"]["sequenceNumber"]) >= lowest]}


class FlakyDynamoDB:
    """The moto client, with the failures moto never produces. Everything else passes through.

    hold_back: pk -> how many BatchWriteItem calls hand that put back in UnprocessedItems
    throttle:  account -> how many UpdateItem calls on it raise ProvisionedThroughputExceededException
    crash_on_update: the n-th UpdateItem call raises RuntimeError (the Lambda timed out)
    """

    def __init__(self, client, hold_back=None, throttle=None, crash_on_update=None):
        self.client = client
        self.hold_back = dict(hold_back or {})
        self.throttle = dict(throttle or {})
        self.crash_on_update = crash_on_update
        self.batch_calls: list[list[str]] = []        # the pks asked for in each BatchWriteItem call
        self.updates_applied: list[str] = []          # sequence numbers of UpdateItem calls that wrote
        self.update_calls = 0

    def __getattr__(self, name):
        return getattr(self.client, name)

    def batch_write_item(self, RequestItems, **kwargs):
        (table, requests), = RequestItems.items()
        self.batch_calls.append([r["PutRequest"]["Item"]["pk"]["S"] for r in requests])
        kept, sent = [], []
        for request in requests:
            pk = request["PutRequest"]["Item"]["pk"]["S"]
            if self.hold_back.get(pk, 0) > 0:
                self.hold_back[pk] -= 1
                kept.append(request)
            else:
                sent.append(request)
        if sent:
            self.client.batch_write_item(RequestItems={table: sent}, **kwargs)
        return {"UnprocessedItems": {table: kept} if kept else {}}

    def update_item(self, **kwargs):
        self.update_calls += 1
        if self.update_calls == self.crash_on_update:
            raise RuntimeError("simulated crash: the Lambda timed out mid-batch")
        account = kwargs["Key"]["pk"]["S"].removeprefix("ACCOUNT#")
        if self.throttle.get(account, 0) > 0:
            self.throttle[account] -= 1
            raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                              "UpdateItem")
        response = self.client.update_item(**kwargs)
        sequence = next(v["S"] for k, v in kwargs["ExpressionAttributeValues"].items() if v.get("S", "").isdigit())
        self.updates_applied.append(sequence.lstrip("0") or "0")
        return response


def items(dynamodb) -> dict[str, dict]:
    """Every item of the table by pk, as plain Python values."""
    from boto3.dynamodb.types import TypeDeserializer

    plain = TypeDeserializer().deserialize
    found, kwargs = {}, {"TableName": TABLE, "ConsistentRead": True}
    while True:
        page = dynamodb.scan(**kwargs)
        for item in page["Items"]:
            found[item["pk"]["S"]] = {name: plain(value) for name, value in item.items()}
        if "LastEvaluatedKey" not in page:
            return found
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def balances(dynamodb) -> dict[str, tuple[Decimal, int]]:
    return {pk.removeprefix("ACCOUNT#"): (item["balance"], int(item["payments"]))
            for pk, item in items(dynamodb).items() if pk.startswith("ACCOUNT#")}


def pay(account: str, amount: str) -> dict:
    return {"account": account, "amount": amount}


def sleeper():
    delays: list[float] = []
    return delays, delays.append


# ---- sequence numbers and decoding (no AWS) ----------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10 ** 129 - 1), st.integers(0, 10 ** 129 - 1))
def test_sequence_keys_compare_as_the_numbers_do(a, b):
    key_a, key_b = sequence_key(str(a)), sequence_key(str(b))
    assert len(key_a) == SEQUENCE_WIDTH and key_a.lstrip("0") == str(a).lstrip("0"), (
        f"sequence_key({str(a)!r}) returned {key_a!r}: expected the digits left-padded with zeros to {SEQUENCE_WIDTH}")
    assert (key_a < key_b) == (a < b), (
        f"sequence_key({a}) < sequence_key({b}) is {key_a < key_b}, but {a} < {b} is {a < b}")


def record_with(data: bytes, sequence: str = "7") -> dict:
    return {"eventID": f"{SHARD}:{sequence}",
            "kinesis": {"sequenceNumber": sequence, "data": base64.b64encode(data).decode("ascii")}}


def test_a_payment_record_is_decoded_with_exact_decimal_amounts():
    got = [decode_record(record_with(b'{"account": "acc-1", "amount": 0.1}')),
           decode_record(record_with(b'{"account": "acc-2", "amount": "12345678901234567.89"}', "8"))]
    want = [Payment(f"{SHARD}:7", "7", "acc-1", Decimal("0.1")),
            Payment(f"{SHARD}:8", "8", "acc-2", Decimal("12345678901234567.89"))]
    assert got == want, f"decode_record(two payments) returned {got}, expected {want}"
    assert all(type(p.amount) is Decimal for p in got), "amounts must be Decimal: json.loads(..., parse_float=Decimal)"


# name -> (the record, a word the reason must contain)
POISON = {
    "data that is not base64": ({"eventID": f"{SHARD}:7", "kinesis": {"sequenceNumber": "7", "data": "%%%"}},
                                "base64"),
    "bytes that are not UTF-8": (record_with(b"\xff\xfe{}"), "UTF-8"),
    "text that is not JSON": (record_with(b"account=acc-1;amount=5"), "JSON"),
    "a JSON list": (record_with(b'[{"account": "acc-1", "amount": "5"}]'), "JSON"),
    "no account": (record_with(b'{"amount": "5"}'), "account"),
    "an empty account": (record_with(b'{"account": "", "amount": "5"}'), "account"),
    "an amount that is not a number": (record_with(b'{"account": "acc-1", "amount": "five"}'), "amount"),
    "an amount that is NaN": (record_with(b'{"account": "acc-1", "amount": "NaN"}'), "amount"),
    "no amount": (record_with(b'{"account": "acc-1"}'), "amount"),
}


@pytest.mark.parametrize("record,word", POISON.values(), ids=POISON.keys())
def test_a_poison_record_is_refused_with_a_reason(record, word):
    with pytest.raises(PoisonRecord) as refused:
        got = decode_record(record)
        pytest.fail(f"decode_record({record['kinesis']['data']!r}) returned {got}; expected PoisonRecord", pytrace=False)
    assert word in str(refused.value), f"PoisonRecord({str(refused.value)!r}) should name {word!r}"


# ---- one batch, then the same batch again -----------------------------------------------------

def test_a_batch_from_the_stream_updates_balances_and_stores_each_payment(kinesis, dynamodb):
    payloads = [pay("acc-1", "10.00")] * 9 + [pay("acc-1", "0.01"), pay("acc-2", "5.50"), pay("acc-1", "2.00")]
    event = publish(kinesis, *payloads)
    delays, sleep = sleeper()

    got = process_batch(event, dynamodb, TABLE, sleep=sleep)

    seqs = sequence_numbers(event)
    assert got == BatchReport(applied=seqs), f"process_batch(12 payments) returned {got}, expected all applied"
    assert balances(dynamodb) == {"acc-1": (Decimal("92.01"), 11), "acc-2": (Decimal("5.50"), 1)}, (
        f"balances are {balances(dynamodb)}, expected acc-1 92.01 over 11 payments and acc-2 5.50 over 1: "
        "moto numbers the records 1..12, so comparing sequence numbers as text rejects record 10 ('10' < '9')")
    account = items(dynamodb)["ACCOUNT#acc-1"]
    assert account["last_sequence"] == sequence_key("12"), (
        f"ACCOUNT#acc-1 last_sequence is {account['last_sequence']!r}, expected sequence_key('12')")
    stored = {pk: item for pk, item in items(dynamodb).items() if pk.startswith("PAYMENT#")}
    want = {f"PAYMENT#{SHARD}:{s}": {"pk": f"PAYMENT#{SHARD}:{s}", "account": p["account"],
                                     "amount": Decimal(p["amount"]), "sequence_number": s}
            for s, p in zip(seqs, payloads)}
    assert stored == want, f"the payment items are {stored}, expected {want}"
    assert delays == [], f"nothing came back unprocessed, yet the function slept {delays}"


def test_a_poison_record_is_dead_lettered_and_does_not_block_the_shard(kinesis, dynamodb):
    event = publish(kinesis, pay("acc-1", "1.00"), b"\x00not json", pay("acc-1", "2.00"))
    got = process_batch(event, dynamodb, TABLE, sleep=sleeper()[1])

    assert got == BatchReport(applied=["1", "3"], dead_lettered=["2"]), (
        f"process_batch(good, poison, good) returned {got}, expected record 2 dead-lettered and not failed: "
        "returning a poison record makes Lambda retry the shard from it until it expires")
    letter = items(dynamodb).get(f"POISON#{SHARD}:2")
    assert letter is not None and letter["sequence_number"] == "2" and "JSON" in letter["reason"], (
        f"the dead letter POISON#{SHARD}:2 is {letter}, expected its sequence_number and a reason naming JSON")
    assert letter["data"] == event["Records"][1]["kinesis"]["data"], (
        f"the dead letter's data is {letter['data']!r}, expected the base64 text as it came")
    assert balances(dynamodb) == {"acc-1": (Decimal("3.00"), 2)}, f"balances are {balances(dynamodb)}"


def test_the_same_batch_delivered_twice_counts_each_payment_once(kinesis, dynamodb):
    event = publish(kinesis, pay("acc-1", "1.00"), pay("acc-2", "2.00"), b"oops", pay("acc-1", "4.00"))
    process_batch(event, dynamodb, TABLE, sleep=sleeper()[1])
    before = items(dynamodb)
    flaky = FlakyDynamoDB(dynamodb)

    got = process_batch(event, flaky, TABLE, sleep=sleeper()[1])        # at-least-once: it came again

    assert got == BatchReport(duplicates=["1", "2", "4"], dead_lettered=["3"]), (
        f"process_batch(the same batch again) returned {got}, expected every payment a duplicate")
    assert items(dynamodb) == before, "the second delivery changed the table: the balances must be guarded"
    assert flaky.updates_applied == [], (
        f"the second delivery updated balances for records {flaky.updates_applied}: guard the UpdateItem with "
        "a condition on the account's last sequence number")


def test_a_retry_after_a_crash_mid_batch_counts_each_payment_once(kinesis, dynamodb):
    event = publish(kinesis, *[pay("acc-1", "1.00"), pay("acc-2", "10.00")] * 3)
    with pytest.raises(RuntimeError, match="simulated crash"):
        process_batch(event, FlakyDynamoDB(dynamodb, crash_on_update=4), TABLE, sleep=sleeper()[1])

    got = process_batch(event, dynamodb, TABLE, sleep=sleeper()[1])    # no partial response: all again

    assert got == BatchReport(applied=["4", "5", "6"], duplicates=["1", "2", "3"]), (
        f"the retry after a crash at the 4th update returned {got}, expected 1-3 duplicates and 4-6 applied")
    assert balances(dynamodb) == {"acc-1": (Decimal("3.00"), 3), "acc-2": (Decimal("30.00"), 3)}, (
        f"balances after the crash and the retry are {balances(dynamodb)}, expected each payment once")


def test_realistic_sequence_numbers_are_longer_than_a_dynamodb_number(dynamodb):
    first = "49590338271490256608559692538361571095921575989136588898"      # 56 digits, as Kinesis gives
    later = str(int(first) + 10 ** 20)
    event = {"Records": [record_with(b'{"account": "acc-9", "amount": "1.50"}', first),
                         record_with(b'{"account": "acc-9", "amount": "2.50"}', later)]}
    got = process_batch(event, dynamodb, TABLE, sleep=sleeper()[1])
    assert got == BatchReport(applied=[first, later]), f"process_batch(56-digit sequence numbers) returned {got}"
    stale = Payment("old", str(int(first) - 1), "acc-9", Decimal("100"))
    assert apply_payment(dynamodb, TABLE, stale) is False, (
        "apply_payment(a payment older than the account's last one) returned True; expected False")
    assert balances(dynamodb) == {"acc-9": (Decimal("4.00"), 2)}, f"balances are {balances(dynamodb)}"


# ---- UnprocessedItems ---------------------------------------------------------------------------

def test_unprocessed_items_are_resent_alone_after_a_backoff(kinesis, dynamodb):
    event = publish(kinesis, *[pay(f"acc-{i}", "1") for i in range(5)])
    flaky = FlakyDynamoDB(dynamodb, hold_back={f"PAYMENT#{SHARD}:2": 1, f"PAYMENT#{SHARD}:4": 1})
    delays, sleep = sleeper()

    got = process_batch(event, flaky, TABLE, sleep=sleep)

    assert got == BatchReport(applied=["1", "2", "3", "4", "5"]), f"process_batch returned {got}, expected all applied"
    assert flaky.batch_calls[1:] == [[f"PAYMENT#{SHARD}:2", f"PAYMENT#{SHARD}:4"]], (
        f"BatchWriteItem calls asked for {flaky.batch_calls}; expected the second call to resend only the two "
        "items handed back")
    assert delays == [pytest.approx(0.1)], f"the function slept {delays}, expected one sleep of base_delay 0.1"


def test_more_than_25_items_go_in_chunks_and_the_backoff_restarts_per_chunk(dynamodb):
    rows = [{"pk": f"ROW#{i:02}", "n": i} for i in range(30)]
    flaky = FlakyDynamoDB(dynamodb, hold_back={"ROW#03": 1, "ROW#27": 2})
    delays, sleep = sleeper()

    got = write_items(flaky, TABLE, rows, sleep=sleep, max_attempts=4, base_delay=0.5)

    assert got == set(), f"write_items(30 rows) returned {got}, expected every row written"
    sizes = [len(call) for call in flaky.batch_calls]
    assert max(sizes) <= 25 and sizes[0] == 25, f"BatchWriteItem calls carried {sizes} puts; at most 25 each"
    assert len(items(dynamodb)) == 30, f"the table holds {len(items(dynamodb))} rows, expected 30"
    assert delays == [pytest.approx(d) for d in (0.5, 0.5, 1.0)], (
        f"the function slept {delays}, expected 0.5 for the first chunk, then 0.5 and 1.0 for the second")


def test_items_still_unprocessed_after_max_attempts_are_returned_not_raised(dynamodb):
    rows = [{"pk": "ROW#a"}, {"pk": "ROW#b"}, {"pk": "ROW#c"}]
    flaky = FlakyDynamoDB(dynamodb, hold_back={"ROW#b": 99})
    delays, sleep = sleeper()

    got = write_items(flaky, TABLE, rows, sleep=sleep, max_attempts=4, base_delay=0.1)

    assert got == {"ROW#b"}, f"write_items(ROW#b never accepted) returned {got}, expected {{'ROW#b'}}"
    assert len(flaky.batch_calls) == 4, f"write_items made {len(flaky.batch_calls)} BatchWriteItem calls, expected 4"
    assert delays == [pytest.approx(d) for d in (0.1, 0.2, 0.4)], (
        f"the function slept {delays}, expected 0.1, 0.2, 0.4 between the 4 calls and none after the last")


# ---- partial batch failures and Lambda's retry -------------------------------------------------

def test_a_record_never_written_is_reported_and_the_retry_counts_every_payment_once(kinesis, dynamodb):
    event = publish(kinesis, pay("acc-A", "1"), pay("acc-B", "10"), pay("acc-A", "100"), pay("acc-B", "1000"),
                    pay("acc-A", "10000"), b"poison")
    flaky = FlakyDynamoDB(dynamodb, hold_back={f"PAYMENT#{SHARD}:3": 99})

    first = process_batch(event, flaky, TABLE, sleep=sleeper()[1])

    assert first == BatchReport(applied=["1", "2"], failed=["3", "4", "5", "6"]), (
        f"process_batch(record 3 never written) returned {first}, expected 1-2 applied and 3 onwards failed: "
        "stop at the first failure")
    assert balances(dynamodb) == {"acc-A": (Decimal("1"), 1), "acc-B": (Decimal("10"), 1)}, (
        f"after the first call the balances are {balances(dynamodb)}: no payment after the failed one may be "
        "applied yet, or the guard rejects the failed one when Lambda retries it")

    retry = lambda_retry(event, first.failed)
    second = process_batch(retry, flaky.client, TABLE, sleep=sleeper()[1])

    assert second == BatchReport(applied=["3", "4", "5"], dead_lettered=["6"]), (
        f"the retry from record 3 returned {second}, expected 3-5 applied and 6 dead-lettered")
    assert balances(dynamodb) == {"acc-A": (Decimal("10101"), 3), "acc-B": (Decimal("1010"), 2)}, (
        f"after the retry the balances are {balances(dynamodb)}, expected every payment exactly once")
    payments = sorted(pk for pk in items(dynamodb) if pk.startswith("PAYMENT#"))
    assert payments == [f"PAYMENT#{SHARD}:{s}" for s in "12345"], f"the payment items are {payments}"


def test_a_throttled_balance_update_is_a_transient_failure_too(kinesis, dynamodb):
    event = publish(kinesis, pay("acc-A", "1"), pay("acc-B", "2"), pay("acc-B", "4"), pay("acc-A", "8"))
    flaky = FlakyDynamoDB(dynamodb, throttle={"acc-B": 1})

    first = process_batch(event, flaky, TABLE, sleep=sleeper()[1])
    second = process_batch(lambda_retry(event, first.failed or ["9999"]), flaky, TABLE, sleep=sleeper()[1])

    assert first == BatchReport(applied=["1"], failed=["2", "3", "4"]), (
        f"process_batch(acc-B's update throttled) returned {first}, expected 1 applied and 2 onwards failed")
    assert second == BatchReport(applied=["2", "3", "4"]), f"the retry from record 2 returned {second}"
    assert Counter(flaky.updates_applied) == Counter({"1": 1, "2": 1, "3": 1, "4": 1}), (
        f"balance updates that wrote, by record: {Counter(flaky.updates_applied)}; expected each record once")
    assert balances(dynamodb) == {"acc-A": (Decimal("9"), 2), "acc-B": (Decimal("6"), 2)}, f"{balances(dynamodb)}"


def test_the_lambda_entry_point_returns_a_partial_batch_response(kinesis, dynamodb, monkeypatch):
    import boto3

    made = []

    def client(service, *args, **kwargs):
        made.append(service)
        return FlakyDynamoDB(dynamodb, throttle={"acc-B": 1})

    monkeypatch.setattr(boto3, "client", client)
    monkeypatch.setenv("PAYMENTS_TABLE", TABLE)
    event = publish(kinesis, pay("acc-A", "1"), b"poison", pay("acc-B", "2"), pay("acc-A", "3"))

    first = handler(event, None)
    assert first == {"batchItemFailures": [{"itemIdentifier": "3"}]}, (
        f"handler(acc-B throttled at record 3) returned {first}, expected the partial batch response "
        "{'batchItemFailures': [{'itemIdentifier': '3'}]}: the sequence number of the first failure")
    second = handler(lambda_retry(event, ["3"]), None)
    assert second == {"batchItemFailures": []}, f"handler(the retry) returned {second}, expected no failures"
    assert made == ["dynamodb"], f"handler made clients {made}: build one DynamoDB client on the first call, reuse it"
    assert balances(dynamodb) == {"acc-A": (Decimal("4"), 2), "acc-B": (Decimal("2"), 1)}, f"{balances(dynamodb)}"
