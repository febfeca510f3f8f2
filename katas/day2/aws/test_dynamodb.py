"""Tests for the DynamoDB single-table kata: run `pytest katas/day2/aws/test_dynamodb.py`."""
import itertools
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katas.day2.aws.dynamodb import (
    Customer,
    DuplicateOrderError,
    Order,
    UnprocessedItemsError,
    batch_put_orders,
    create_table,
    get_customer_with_orders,
    orders_by_status_between,
    put_customer,
    put_order,
)

pytestmark = pytest.mark.needs("aws")

TABLE = "shop"
UTC = timezone.utc


def at(day: str, clock: str = "12:00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


def order(order_id: str, customer_id: str = "c1", status: str = "SHIPPED",
          placed_at: datetime | None = None, amount: str = "10.00") -> Order:
    return Order(order_id, customer_id, status, placed_at or at("2024-01-15"), Decimal(amount))


@pytest.fixture
def client(aws, aws_session):
    dynamodb = aws_session.client("dynamodb")
    make_table(dynamodb, TABLE)
    return dynamodb


def make_table(client, name: str) -> None:
    """The table as the docstring specifies it, made by the tests so that every test except the
    create_table one runs even before create_table is written."""
    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "GSI1PK", "GSI1SK")],
        GlobalSecondaryIndexes=[{"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"},
                                               {"AttributeName": "GSI1SK", "KeyType": "RANGE"}]}])


def raw_item(client, pk: str, sk: str) -> dict:
    return client.get_item(TableName=TABLE, Key={"PK": {"S": pk}, "SK": {"S": sk}}).get("Item")


def count_items(client) -> int:
    return sum(page["Count"] for page in client.get_paginator("scan").paginate(TableName=TABLE))


class Recording:
    """Wraps the moto client: records calls, and can shrink Query pages (real pages stop at 1 MB)."""

    def __init__(self, real, page_size: int | None = None):
        self.real = real
        self.page_size = page_size
        self.calls: list[str] = []

    def __getattr__(self, name):
        method = getattr(self.real, name)

        def call(**kwargs):
            self.calls.append(name)
            if name == "query" and self.page_size:
                kwargs["Limit"] = self.page_size
            return method(**kwargs)
        return call


class Throttling:
    """Wraps the moto client's batch_write_item: on the first `flaky_calls` calls it writes only
    the first half of the puts and hands the rest back in UnprocessedItems, as DynamoDB does when
    throttled. moto alone never returns UnprocessedItems and accepts more than 25 puts."""

    def __init__(self, real, flaky_calls: int, never_write: set[str] = frozenset()):
        self.real = real
        self.flaky_calls = flaky_calls
        self.never_write = never_write
        self.batches: list[list[str]] = []
        self.withheld = 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def batch_write_item(self, RequestItems):
        assert list(RequestItems) == [TABLE], f"batch_write_item got tables {list(RequestItems)}, expected [{TABLE!r}]"
        requests = RequestItems[TABLE]
        ids = [request["PutRequest"]["Item"]["order_id"]["S"] for request in requests]
        assert 1 <= len(requests) <= 25, f"batch_write_item was sent {len(requests)} puts; DynamoDB takes 1 to 25"
        self.batches.append(ids)
        if len(self.batches) <= self.flaky_calls:
            keep = (len(requests) + 1) // 2
        else:
            keep = len(requests)
        written = [r for r in requests[:keep] if r["PutRequest"]["Item"]["order_id"]["S"] not in self.never_write]
        unprocessed = [r for r in requests if r not in written]
        self.withheld += len(unprocessed)
        if written:
            self.real.batch_write_item(RequestItems={TABLE: written})
        return {"UnprocessedItems": {TABLE: unprocessed} if unprocessed else {}}


class Sleeps(list):
    """An injected sleep that records the delays instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# --- the table and the item layout -----------------------------------------------------------

def test_table_has_pk_sk_and_a_gsi_on_gsi1pk_gsi1sk(client):
    create_table(client, "learners_table")
    table = client.describe_table(TableName="learners_table")["Table"]
    keys = {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]}
    assert keys == {"PK": "HASH", "SK": "RANGE"}, f"create_table key schema = {keys}, expected PK HASH, SK RANGE"
    indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {"GSI1"}, f"create_table made GSIs {sorted(indexes)}, expected ['GSI1']"
    gsi_keys = {k["AttributeName"]: k["KeyType"] for k in indexes["GSI1"]["KeySchema"]}
    assert gsi_keys == {"GSI1PK": "HASH", "GSI1SK": "RANGE"}, f"GSI1 key schema = {gsi_keys}"
    assert indexes["GSI1"]["Projection"]["ProjectionType"] == "ALL", "GSI1 must project ALL attributes"
    billing = table.get("BillingModeSummary", {}).get("BillingMode")
    assert billing == "PAY_PER_REQUEST", f"billing mode = {billing}, expected PAY_PER_REQUEST"


def test_customer_and_order_share_one_partition_with_the_documented_keys(client):
    put_customer(client, TABLE, Customer("c1", "Ada", "ada@example.com"))
    put_order(client, TABLE, order("o1", placed_at=at("2024-01-31", "23:59:59"), amount="19.99"))
    profile = raw_item(client, "CUSTOMER#c1", "PROFILE")
    assert profile is not None, "put_customer wrote no item at PK='CUSTOMER#c1', SK='PROFILE'"
    assert profile["entity"] == {"S": "customer"} and profile["email"] == {"S": "ada@example.com"}, f"profile item = {profile}"
    item = raw_item(client, "CUSTOMER#c1", "ORDER#o1")
    assert item is not None, "put_order wrote no item at PK='CUSTOMER#c1', SK='ORDER#o1'"
    expected = {"entity": {"S": "order"}, "status": {"S": "SHIPPED"}, "placed_at": {"S": "2024-01-31T23:59:59Z"},
                "GSI1PK": {"S": "STATUS#SHIPPED"}, "GSI1SK": {"S": "2024-01-31T23:59:59Z#o1"}}
    got = {name: item.get(name) for name in expected}
    assert got == expected, f"order item attributes = {got}, expected {expected}"
    assert "N" in item["amount"] and Decimal(item["amount"]["N"]) == Decimal("19.99"), \
        f"amount stored as {item['amount']}, expected the number 19.99"


PLACED_AT_CASES = {
    "UTC stays as is": (datetime(2024, 1, 31, 23, 59, 59, tzinfo=UTC), "2024-01-31T23:59:59Z"),
    "an offset is converted to UTC (next day)": (
        datetime(2024, 1, 31, 20, 30, tzinfo=timezone(timedelta(hours=-5))), "2024-02-01T01:30:00Z"),
    "an offset ahead of UTC goes back a day": (
        datetime(2024, 3, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))), "2024-02-29T23:00:00Z"),
}


@pytest.mark.parametrize("placed_at,stored", PLACED_AT_CASES.values(), ids=PLACED_AT_CASES.keys())
def test_placed_at_is_stored_as_utc_iso_text(client, placed_at, stored):
    put_order(client, TABLE, order("o1", placed_at=placed_at))
    item = raw_item(client, "CUSTOMER#c1", "ORDER#o1")
    assert item["placed_at"] == {"S": stored}, f"put_order(placed_at={placed_at.isoformat()}) stored {item['placed_at']}, expected {stored!r}"
    assert item["GSI1SK"] == {"S": f"{stored}#o1"}, f"GSI1SK = {item['GSI1SK']}, expected {stored}#o1"


def test_a_naive_placed_at_is_refused(client):
    with pytest.raises(ValueError):
        put_order(client, TABLE, order("o1", placed_at=datetime(2024, 1, 1, 12, 0)))
    assert count_items(client) == 0, "a naive datetime was refused but something was written anyway"


# --- money -----------------------------------------------------------------------------------

def test_a_float_amount_is_refused_before_anything_is_written(client):
    bad = Order("o1", "c1", "SHIPPED", at("2024-01-01"), 19.99)
    with pytest.raises(TypeError):
        put_order(client, TABLE, bad)
    with pytest.raises(TypeError):
        batch_put_orders(client, TABLE, [order("o0"), bad], sleep=Sleeps())
    assert count_items(client) == 0, "a float amount must be refused before any write"


def test_money_comes_back_as_exact_decimals(client):
    for i, amount in enumerate(["0.10", "0.20", "1234567890123.45", "0.01"]):
        put_order(client, TABLE, order(f"o{i}", amount=amount))
    _, orders = get_customer_with_orders(client, TABLE, "c1")
    amounts = [o.amount for o in orders]
    assert all(type(a) is Decimal for a in amounts), f"amounts came back as {[type(a).__name__ for a in amounts]}, expected Decimal"
    assert amounts == [Decimal("0.10"), Decimal("0.20"), Decimal("1234567890123.45"), Decimal("0.01")], f"amounts = {amounts}"
    assert amounts[0] + amounts[1] == Decimal("0.3"), "0.10 + 0.20 must be exactly 0.3 (it is not with floats)"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
def test_any_two_place_amount_round_trips_exactly(client, amount):
    customer_id = f"c{next(_ids)}"
    put_order(client, TABLE, order("o1", customer_id=customer_id, amount=str(amount)))
    _, orders = get_customer_with_orders(client, TABLE, customer_id)
    got = orders[0].amount
    assert type(got) is Decimal and got == amount, f"wrote amount {amount!r}, read back {got!r}"


_ids = itertools.count()


# --- conditional put -------------------------------------------------------------------------

def test_a_duplicate_order_is_refused_with_a_domain_error_and_not_overwritten(client):
    put_order(client, TABLE, order("o1", amount="10.00"))
    with pytest.raises(DuplicateOrderError) as caught:
        put_order(client, TABLE, order("o1", amount="99.99"))
    assert not isinstance(caught.value, ClientError), "DuplicateOrderError must be a domain error, not a ClientError"
    message = str(caught.value)
    assert "o1" in message and "c1" in message, f"the error message {message!r} should name the order (o1) and customer (c1)"
    _, orders = get_customer_with_orders(client, TABLE, "c1")
    assert [o.amount for o in orders] == [Decimal("10.00")], f"the duplicate put changed the stored order: {orders}"


def test_the_same_order_id_for_another_customer_is_a_different_order(client):
    put_order(client, TABLE, order("o1", customer_id="c1"))
    put_order(client, TABLE, order("o1", customer_id="c2"))
    assert count_items(client) == 2, "order o1 of c1 and order o1 of c2 have different keys; both must be written"


def test_other_client_errors_are_not_disguised_as_duplicates(client):
    with pytest.raises(ClientError) as caught:
        put_order(client, "no_such_table", order("o1"))
    assert not isinstance(caught.value, DuplicateOrderError)
    code = caught.value.response["Error"]["Code"]
    assert code == "ResourceNotFoundException", f"put_order on a missing table raised {code}, expected ResourceNotFoundException"


# --- the customer partition ------------------------------------------------------------------

def test_customer_and_orders_come_from_one_query(client):
    put_customer(client, TABLE, Customer("c1", "Ada", "ada@example.com"))
    for order_id in ["o3", "o1", "o2"]:
        put_order(client, TABLE, order(order_id))
    put_order(client, TABLE, order("o9", customer_id="c2"))
    recording = Recording(client)
    customer, orders = get_customer_with_orders(recording, TABLE, "c1")
    assert customer == Customer("c1", "Ada", "ada@example.com"), f"customer = {customer}"
    assert [o.order_id for o in orders] == ["o1", "o2", "o3"], f"orders = {[o.order_id for o in orders]}, expected o1, o2, o3"
    assert recording.calls == ["query"], f"get_customer_with_orders made calls {recording.calls}, expected one query"


def test_customer_partition_follows_pagination(client):
    put_customer(client, TABLE, Customer("c1", "Ada", "ada@example.com"))
    for i in range(7):
        put_order(client, TABLE, order(f"o{i}"))
    recording = Recording(client, page_size=2)
    customer, orders = get_customer_with_orders(recording, TABLE, "c1")
    assert customer is not None and len(orders) == 7, \
        f"with 2 items per page got customer={customer} and {len(orders)} orders; follow LastEvaluatedKey"
    assert set(recording.calls) == {"query"}, f"calls = {recording.calls}; only query is needed"


def test_an_unknown_customer_has_no_profile_and_no_orders(client):
    assert get_customer_with_orders(client, TABLE, "nobody") == (None, [])


# --- date-range query on the GSI -------------------------------------------------------------

RANGE_ORDERS = [
    order("before", placed_at=at("2023-12-31", "23:59:59")),
    order("first-second", placed_at=at("2024-01-01", "00:00:00")),
    order("middle", placed_at=at("2024-01-15")),
    order("last-second", placed_at=at("2024-01-31", "23:59:59")),
    order("after", placed_at=at("2024-02-01", "00:00:00")),
    order("other-status", status="PENDING", placed_at=at("2024-01-15")),
    order("other-customer", customer_id="c2", placed_at=at("2024-01-20")),
]

RANGE_CASES = {
    "whole month: both edge days count": ("SHIPPED", date(2024, 1, 1), date(2024, 1, 31),
                                          ["first-second", "middle", "other-customer", "last-second"]),
    "single day is inclusive on both ends": ("SHIPPED", date(2024, 1, 31), date(2024, 1, 31), ["last-second"]),
    "start day inclusive": ("SHIPPED", date(2024, 1, 1), date(2024, 1, 1), ["first-second"]),
    "across the year boundary": ("SHIPPED", date(2023, 12, 31), date(2024, 1, 1), ["before", "first-second"]),
    "another status": ("PENDING", date(2024, 1, 1), date(2024, 12, 31), ["other-status"]),
    "empty range": ("SHIPPED", date(2024, 3, 1), date(2024, 3, 31), []),
    "start after end": ("SHIPPED", date(2024, 1, 31), date(2024, 1, 1), []),
}


@pytest.mark.parametrize("status,start,end,want", RANGE_CASES.values(), ids=RANGE_CASES.keys())
def test_orders_by_status_between_dates(client, status, start, end, want):
    for o in RANGE_ORDERS:
        put_order(client, TABLE, o)
    got = [o.order_id for o in orders_by_status_between(client, TABLE, status, start, end)]
    assert got == want, f"orders_by_status_between({status!r}, {start}, {end}) = {got}, expected {want} (sorted by placed_at)"


def test_the_date_range_query_uses_the_gsi_and_follows_pagination(client):
    for i in range(9):
        put_order(client, TABLE, order(f"o{i}", placed_at=at("2024-01-10") + timedelta(hours=i)))
    recording = Recording(client, page_size=2)
    got = orders_by_status_between(recording, TABLE, "SHIPPED", date(2024, 1, 10), date(2024, 1, 10))
    assert [o.order_id for o in got] == [f"o{i}" for i in range(9)], \
        f"with 2 items per page got {[o.order_id for o in got]}; follow LastEvaluatedKey"
    assert set(recording.calls) == {"query"}, f"calls = {recording.calls}; use Query on GSI1, never Scan"


_tables = itertools.count()
DAYS = [date(2024, 1, 1) + timedelta(days=n) for n in range(10)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    placed=st.lists(st.tuples(st.sampled_from(["SHIPPED", "PENDING"]), st.sampled_from(DAYS),
                              st.integers(0, 86399)), max_size=12),
    start=st.sampled_from(DAYS), end=st.sampled_from(DAYS),
)
def test_date_range_query_matches_filtering_a_list(client, placed, start, end):
    table = f"shop{next(_tables)}"
    make_table(client, table)
    orders = [Order(f"o{i}", f"c{i % 3}", status, datetime.combine(day, datetime.min.time(), UTC) + timedelta(seconds=second),
                    Decimal("1.00")) for i, (status, day, second) in enumerate(placed)]
    for o in orders:
        put_order(client, table, o)
    want = sorted((o for o in orders if o.status == "SHIPPED" and start <= o.placed_at.date() <= end),
                  key=lambda o: (o.placed_at, o.order_id))
    got = orders_by_status_between(client, table, "SHIPPED", start, end)
    assert got == want, f"orders_by_status_between('SHIPPED', {start}, {end}) = {[o.order_id for o in got]}, expected {[o.order_id for o in want]}"


# --- batch write with retries ----------------------------------------------------------------

def test_unprocessed_items_are_retried_with_backoff_and_none_lost(client):
    orders = [order(f"o{i:02}") for i in range(10)]
    throttled = Throttling(client, flaky_calls=3)
    sleeps = Sleeps()
    written = batch_put_orders(throttled, TABLE, orders, sleep=sleeps)
    assert written == 10, f"batch_put_orders returned {written}, expected 10"
    assert count_items(client) == 10, f"{count_items(client)} of 10 orders are in the table: unprocessed items were lost"
    assert [len(b) for b in throttled.batches] == [10, 5, 2, 1], \
        f"batch sizes {[len(b) for b in throttled.batches]}: each retry should send only the unprocessed puts"
    assert sleeps == [0.05, 0.1, 0.2], f"sleep was called with {sleeps}, expected exponential backoff [0.05, 0.1, 0.2]"


def test_no_sleep_when_everything_is_processed(client):
    throttled = Throttling(client, flaky_calls=0)
    sleeps = Sleeps()
    batch_put_orders(throttled, TABLE, [order(f"o{i}") for i in range(3)], sleep=sleeps)
    assert sleeps == [], f"sleep was called with {sleeps} although nothing was unprocessed"
    assert len(throttled.batches) == 1, f"{len(throttled.batches)} calls for 3 orders, expected 1"


def test_large_loads_are_chunked_to_25_and_all_written(client):
    orders = [order(f"o{i:03}") for i in range(60)]
    throttled = Throttling(client, flaky_calls=2)
    batch_put_orders(throttled, TABLE, orders, sleep=Sleeps())
    assert count_items(client) == 60, f"{count_items(client)} of 60 orders written"
    sent = sum(len(b) for b in throttled.batches)
    assert sent == 60 + throttled.withheld, \
        f"{sent} puts sent for 60 orders with {throttled.withheld} handed back: only unprocessed puts may be resent"


def test_items_still_unprocessed_after_max_attempts_raise_and_are_named(client):
    throttled = Throttling(client, flaky_calls=0, never_write={"o2"})
    sleeps = Sleeps()
    with pytest.raises(UnprocessedItemsError) as caught:
        batch_put_orders(throttled, TABLE, [order(f"o{i}") for i in range(4)], sleep=sleeps, max_attempts=3)
    assert caught.value.order_ids == ["o2"], f"UnprocessedItemsError.order_ids = {caught.value.order_ids}, expected ['o2']"
    assert len(throttled.batches) == 3, f"{len(throttled.batches)} batch_write_item calls, expected max_attempts=3"
    assert sleeps == [0.05, 0.1], f"sleeps = {sleeps}, expected [0.05, 0.1] (no sleep after the last attempt)"


def test_batch_put_of_nothing_makes_no_calls(client):
    throttled = Throttling(client, flaky_calls=0)
    assert batch_put_orders(throttled, TABLE, [], sleep=Sleeps()) == 0
    assert throttled.batches == [], "an empty load must not call batch_write_item (DynamoDB rejects an empty batch)"
