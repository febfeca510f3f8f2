"""Tests for the window-functions kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

from dojo.sql import (
    Rules,
    matches_reference,
    returns_rows,
)

KATA = "day2.sql.window_functions"
ANY_ORDER = Rules(ordered=False)
BY_MONTH = Rules(ordered=True)


def tx(transaction_id, user_id, amount, ts, status="completed"):
    return (transaction_id, user_id, Decimal(amount), "USD", status, "north", dt.datetime.fromisoformat(ts))


def test_latest_transaction_matches_the_reference_on_generated_data(shop_db):
    matches_reference(shop_db, KATA, "latest_transaction.sql", ANY_ORDER)


def test_latest_transaction_breaks_a_tie_on_ts_by_the_higher_id(empty_shop):
    empty_shop.insert("transactions", [
        tx(11, 1, "5.00", "2024-03-01T10:00:00"),      # ties with 12 on the latest ts
        tx(12, 1, "7.00", "2024-03-01T10:00:00"),
        tx(10, 1, "9.00", "2024-02-01T09:00:00"),
        tx(20, 2, "3.50", "2024-01-15T08:00:00"),      # a user with one transaction
    ])
    returns_rows(empty_shop, KATA, "latest_transaction.sql", ("user_id", "transaction_id", "amount", "ts"), [
        (1, 12, 7.0, dt.datetime(2024, 3, 1, 10)),
        (2, 20, 3.5, dt.datetime(2024, 1, 15, 8)),
    ], ANY_ORDER)


def test_spend_rank_matches_the_reference_on_generated_data(shop_db):
    matches_reference(shop_db, KATA, "spend_rank.sql", ANY_ORDER)


def test_spend_rank_ties_share_a_rank_and_leave_no_gap(empty_shop):
    empty_shop.insert("transactions", [
        tx(1, 1, "100.00", "2024-01-01T00:00:00"),
        tx(2, 2, "30.00", "2024-01-02T00:00:00"), tx(3, 2, "20.00", "2024-01-03T00:00:00"),
        tx(4, 3, "50.00", "2024-01-04T00:00:00"),
        tx(5, 4, "20.00", "2024-01-05T00:00:00"),
        tx(6, 4, "500.00", "2024-01-06T00:00:00", status="failed"),    # failed: must not count
        tx(7, 5, "80.00", "2024-01-07T00:00:00", status="pending"),    # no completed transaction at all
    ])
    returns_rows(empty_shop, KATA, "spend_rank.sql", ("user_id", "total_amount", "spend_rank"), [
        (1, 100.0, 1), (2, 50.0, 2), (3, 50.0, 2), (4, 20.0, 3),
    ], ANY_ORDER)


def test_monthly_change_matches_the_reference_on_generated_data(shop_db):
    matches_reference(shop_db, KATA, "monthly_change.sql", BY_MONTH)


def test_monthly_change_is_null_for_the_first_month_and_sums_each_month(empty_shop):
    empty_shop.insert("transactions", [
        tx(1, 1, "60.00", "2024-01-03T12:00:00"), tx(2, 2, "40.00", "2024-01-31T23:59:59"),
        tx(3, 1, "150.00", "2024-02-01T00:00:00"),
        tx(4, 3, "999.00", "2024-02-10T00:00:00", status="failed"),
        tx(5, 2, "120.00", "2024-03-15T08:30:00"),
    ])
    returns_rows(empty_shop, KATA, "monthly_change.sql", ("month", "total_amount", "change"), [
        (dt.date(2024, 1, 1), 100.0, None),
        (dt.date(2024, 2, 1), 150.0, 50.0),
        (dt.date(2024, 3, 1), 120.0, -30.0),
    ], BY_MONTH)
