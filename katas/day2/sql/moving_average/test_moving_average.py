"""Tests for the moving-average kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Result, Rules, assert_same_result, run_kata_query, run_reference_query, schema

KATA = "day2.sql.moving_average"
FILE = "moving_average.sql"
COLUMNS = ("day", "daily_total", "moving_avg")
BY_DAY = Rules(ordered=True)


def tx(transaction_id, amount, ts, status="completed"):
    return (transaction_id, 1, Decimal(amount), "USD", status, "north", dt.datetime.fromisoformat(ts))


def day(n):
    return dt.date(2024, 1, n)


def oracle(transactions):
    """Brute force: daily totals, then for each day the sum over the 7 calendar days ending there, / 7."""
    totals = {}
    for _, _, amount, _, status, _, ts in transactions:
        if status == "completed":
            totals[ts.date()] = totals.get(ts.date(), 0) + float(amount)
    return [(d, total, sum(totals.get(d - dt.timedelta(days=k), 0) for k in range(7)) / 7)
            for d, total in sorted(totals.items())]


@pytest.fixture
def hand_made(sql_engine):
    schema.create(sql_engine, "transactions")
    return sql_engine


def check(engine, transactions, want):
    engine.insert("transactions", transactions)
    got = run_kata_query(engine, KATA, FILE)
    assert_same_result(got, Result(COLUMNS, want), BY_DAY, what=f"{FILE} on {engine.name}")


def test_several_payments_on_one_day_are_summed_first(hand_made):
    check(hand_made, [tx(1, "30.00", "2024-01-01T09:00:00"), tx(2, "40.00", "2024-01-01T18:30:00"),
                      tx(3, "7.00", "2024-01-02T12:00:00")],
          [(day(1), 70.0, 10.0), (day(2), 7.0, 11.0)])


def test_a_missing_day_counts_as_zero_and_the_window_is_7_calendar_days_not_7_rows(hand_made):
    check(hand_made, [
        tx(1, "30.00", "2024-01-01T09:00:00"), tx(2, "40.00", "2024-01-01T18:30:00"),
        tx(3, "7.00", "2024-01-02T12:00:00"), tx(4, "14.00", "2024-01-05T12:00:00"),
        tx(5, "21.00", "2024-01-10T00:00:00"),
        tx(6, "700.00", "2024-01-11T12:00:00", status="failed"),    # a day with only a failed payment: no row
        tx(7, "7.00", "2024-01-12T23:59:59"),
    ], [(day(1), 70.0, 10.0), (day(2), 7.0, 11.0), (day(5), 14.0, 13.0), (day(10), 21.0, 5.0), (day(12), 7.0, 4.0)])


payments = st.lists(st.tuples(st.integers(0, 20), st.integers(-500, 5000), st.sampled_from(["completed", "failed"])),
                    min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=payments)
def test_matches_a_brute_force_over_calendar_days(hand_made, rows):
    transactions = [tx(i + 1, f"{cents / 100:.2f}", f"2024-01-{1 + d:02d}T{i % 24:02d}:00:00", status)
                    for i, (d, cents, status) in enumerate(rows)]
    hand_made.run_script("DELETE FROM transactions")
    hand_made.insert("transactions", transactions)
    got = run_kata_query(hand_made, KATA, FILE)
    assert_same_result(got, Result(COLUMNS, oracle(transactions)), BY_DAY, what=f"{FILE} on {hand_made.name}")


def test_matches_the_reference_on_generated_data(shop_db):
    got = run_kata_query(shop_db, KATA, FILE)
    want = run_reference_query(shop_db, KATA, FILE)
    assert len(want.rows) > 700, "the reference should return a row per trading day: the test data is wrong"
    assert_same_result(got, want, BY_DAY, what=f"{FILE} on {shop_db.name}")
