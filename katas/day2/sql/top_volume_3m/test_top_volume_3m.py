"""Tests for the top-volume kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

import pytest

from dojo.sql import Result, Rules, assert_same_result, run_kata_query, run_reference_query, schema

KATA = "day2.sql.top_volume_3m"
FILE = "top_volume.sql"
COLUMNS = ("user_id", "volume")
IN_ORDER = Rules(ordered=True)


def tx(transaction_id, user_id, amount, ts, status="completed"):
    return (transaction_id, user_id, Decimal(amount), "USD", status, "north", dt.datetime.fromisoformat(ts))


def load(engine, as_of, transactions):
    schema.create(engine, "users", "transactions")
    engine.run_script("CREATE TABLE params (as_of DATE)")
    engine.insert("params", [(as_of,)])
    engine.insert("transactions", transactions)


BOUNDARIES = [
    tx(1, 1, "100.00", "2024-04-01T00:00:00"),                       # first instant of the window
    tx(2, 1, "1000.00", "2024-03-31T23:59:59"),                      # one second too early
    tx(3, 2, "90.00", "2024-06-30T23:59:59"),                        # last second of the window
    tx(4, 2, "1000.00", "2024-07-01T00:00:00"),                      # as_of itself: the next report's
    tx(5, 3, "5000.00", "2024-05-10T12:00:00", status="failed"),
    tx(6, 3, "80.00", "2024-05-10T12:00:00"),
    tx(7, 4, "70.00", "2024-05-11T12:00:00"), tx(8, 5, "60.00", "2024-05-12T12:00:00"),
    tx(9, 6, "50.00", "2024-05-13T12:00:00"),
    tx(10, 7, "9000.00", "2024-06-01T09:00:00", status="pending"),
]
TIES = [
    tx(1, 10, "50.00", "2024-05-01T10:00:00"),
    tx(2, 15, "30.00", "2024-05-02T10:00:00"), tx(3, 14, "30.00", "2024-05-03T10:00:00"),
    tx(4, 13, "10.00", "2024-05-04T10:00:00"), tx(5, 13, "20.00", "2024-05-05T10:00:00"),
    tx(6, 12, "40.00", "2024-05-06T10:00:00"), tx(7, 11, "40.00", "2024-05-07T10:00:00"),
    tx(8, 16, "60.00", "2024-05-08T10:00:00"), tx(9, 16, "-35.00", "2024-05-09T10:00:00"),  # refund: 25.00
]

CASES = {
    "the window starts at as_of minus 3 months and stops before as_of": (BOUNDARIES, [
        (1, 100.0), (2, 90.0), (3, 80.0), (4, 70.0), (5, 60.0)]),
    "ties go to the lower user_id, also at the cut-off; a refund lowers the volume": (TIES, [
        (10, 50.0), (11, 40.0), (12, 40.0), (13, 30.0), (14, 30.0)]),
    "fewer than 5 users give fewer rows": (BOUNDARIES[:4], [(1, 100.0), (2, 90.0)]),
}


@pytest.mark.parametrize("transactions,want", CASES.values(), ids=CASES.keys())
def test_top_volume_as_of_2024_07_01(sql_engine, transactions, want):
    load(sql_engine, dt.date(2024, 7, 1), transactions)
    got = run_kata_query(sql_engine, KATA, FILE)
    assert_same_result(got, Result(COLUMNS, want), IN_ORDER, what=f"{FILE} as of 2024-07-01 on {sql_engine.name}")


@pytest.mark.parametrize("as_of", [dt.date(2024, 10, 1), dt.date(2023, 6, 15)])
def test_top_volume_matches_the_reference_on_generated_data(shop_db, as_of):
    shop_db.run_script("CREATE TABLE params (as_of DATE)")
    shop_db.insert("params", [(as_of,)])
    got = run_kata_query(shop_db, KATA, FILE)
    want = run_reference_query(shop_db, KATA, FILE)
    assert len(want.rows) == 5, "the reference should return 5 users on the generated data: the test data is wrong"
    assert_same_result(got, want, IN_ORDER, what=f"{FILE} as of {as_of} on {shop_db.name}")
