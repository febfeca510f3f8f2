"""Tests for the consecutive-months mock kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Rules, returns_rows
from dojo.sql.months import month_text, next_month

KATA = "mock.sql.consecutive_months"
FILE = "consecutive_months.sql"
COLUMNS = ("customer_id", "month1", "month2")
ANY_ORDER = Rules(ordered=False)
ORDERS = "CREATE TABLE Orders (order_id INT, customer_id INT, order_date DATE, total_amount DECIMAL(10,2))"
FIRST_DAY = dt.date(2023, 10, 1)


def orders(*placed):
    """Orders rows from (customer_id, 'YYYY-MM-DD') pairs, numbered in turn, each for 10.00."""
    return [(order_id, customer, dt.date.fromisoformat(day), Decimal("10.00"))
            for order_id, (customer, day) in enumerate(placed, start=1)]


def oracle(rows):
    """Brute force: the set of (customer, year, month), then look up the month after each one."""
    months = {(customer, day.year, day.month) for _, customer, day, _ in rows}
    pairs = []
    for customer, year, month in months:
        after = next_month(year, month)
        if (customer, *after) in months:
            pairs.append((customer, month_text(year, month), month_text(*after)))
    return pairs


@pytest.fixture
def shop(sql_engine):
    """The engine under test with an empty Orders table."""
    sql_engine.run_script(ORDERS)
    return sql_engine


def check(engine, rows, want):
    engine.insert("Orders", rows)
    returns_rows(engine, KATA, FILE, COLUMNS, want, ANY_ORDER)


CASES = {
    "two orders in back-to-back months make one pair": (
        orders((1, "2024-01-15"), (1, "2024-02-10")), [(1, "2024-01", "2024-02")]),
    "December to January counts": (
        orders((1, "2023-12-31"), (1, "2024-01-01")), [(1, "2023-12", "2024-01")]),
    "several orders in one month count once": (
        orders((1, "2024-03-01"), (1, "2024-03-15"), (1, "2024-03-31"), (1, "2024-04-02"), (1, "2024-04-30")),
        [(1, "2024-03", "2024-04")]),
    "a gap month breaks the pair": (
        orders((1, "2024-01-10"), (1, "2024-03-10")), []),
    "the next month number a year later is not the next month": (
        orders((1, "2023-01-20"), (1, "2024-02-05")), []),
    "three months in a row give two pairs": (
        orders((1, "2024-05-05"), (1, "2024-06-05"), (1, "2024-07-05")),
        [(1, "2024-05", "2024-06"), (1, "2024-06", "2024-07")]),
    "calendar months count, not days apart (59 days is a pair, 30 days across February is not)": (
        orders((1, "2024-01-01"), (1, "2024-02-29"), (2, "2024-01-31"), (2, "2024-03-01")),
        [(1, "2024-01", "2024-02")]),
    "the pair must be one customer's": (
        orders((1, "2024-01-10"), (2, "2024-02-10")), []),
    "the worked example of the README": (
        orders((1, "2023-12-05"), (1, "2023-12-28"), (1, "2024-01-02"), (2, "2024-01-31"), (2, "2024-03-01"),
               (3, "2024-01-15"), (3, "2024-02-10")),
        [(1, "2023-12", "2024-01"), (3, "2024-01", "2024-02")]),
}


@pytest.mark.parametrize("rows,want", CASES.values(), ids=CASES.keys())
def test_consecutive_months(shop, rows, want):
    check(shop, rows, want)


def test_matches_a_brute_force_on_a_few_hundred_orders_over_three_years(shop):
    rng = random.Random(12)
    span = (dt.date(2024, 12, 31) - dt.date(2022, 1, 1)).days
    rows = [(order_id, rng.randint(1, 40), dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, span)),
             Decimal(rng.randint(0, 50_000)) / 100) for order_id in range(1, 601)]
    want = oracle(rows)
    assert len(want) > 100, "the brute force should find many pairs: the test data is wrong"
    check(shop, rows, want)


placed = st.lists(st.tuples(st.integers(1, 3), st.integers(0, 500)), min_size=1, max_size=25)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(placed=placed)
def test_matches_a_brute_force_on_random_orders(shop, placed):
    rows = [(order_id, customer, FIRST_DAY + dt.timedelta(days=offset), Decimal("1.00"))
            for order_id, (customer, offset) in enumerate(placed, start=1)]
    shop.run_script("DELETE FROM Orders")
    check(shop, rows, oracle(rows))
