"""Tests for the region-by-month mock kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Rules, returns_rows
from dojo.sql.months import calendar, month_text

KATA = "mock.sql.region_month"
FILE = "region_month.sql"
COLUMNS = ("region", "month", "total_sales", "avg_sale", "n_sales")
BY_REGION_THEN_MONTH = Rules(ordered=True)   # numbers compared with the default tolerance of 1e-6
SALES = "CREATE TABLE Sales (sale_id INT, region VARCHAR, sale_date DATE, amount DECIMAL(10,2))"
CENT = Decimal("0.01")
FIRST_DAY = dt.date(2023, 11, 1)


def sales(*made):
    """Sales rows from (region, 'YYYY-MM-DD', 'amount') triples, numbered in turn."""
    return [(sale_id, region, dt.date.fromisoformat(day), Decimal(amount))
            for sale_id, (region, day, amount) in enumerate(made, start=1)]


def empty(region, month):
    """The row of a region that sold nothing that month."""
    return (region, month, 0, None, 0)


def oracle(rows):
    """Brute force: every region x every month, exact Decimal means rounded half up (amounts are >= 0)."""
    if not rows:
        return []
    cells = {}
    for _, region, day, amount in rows:
        cells.setdefault((region, (day.year, day.month)), []).append(amount)
    spine = calendar(min(month for _, month in cells), max(month for _, month in cells))
    want = []
    for region in sorted({region for region, _ in cells}):
        for month in spine:
            amounts = cells.get((region, month), [])
            mean = (sum(amounts) / len(amounts)).quantize(CENT, rounding=ROUND_HALF_UP) if amounts else None
            want.append((region, month_text(*month), sum(amounts, Decimal(0)), mean, len(amounts)))
    return want


@pytest.fixture
def shop(sql_engine):
    """The engine under test with an empty Sales table."""
    sql_engine.run_script(SALES)
    return sql_engine


def check(engine, rows, want):
    if rows:
        engine.insert("Sales", rows)
    returns_rows(engine, KATA, FILE, COLUMNS, want, BY_REGION_THEN_MONTH)


CASES = {
    "the worked example of the README: holes are rows with total 0, n 0 and avg NULL": (
        sales(("north", "2023-12-05", "10.00"), ("north", "2023-12-20", "0.01"), ("north", "2024-02-01", "4.00"),
              ("south", "2024-02-29", "3.00")),
        [("north", "2023-12", 10.01, 5.01, 2), empty("north", "2024-01"), ("north", "2024-02", 4.0, 4.0, 1),
         empty("south", "2023-12"), empty("south", "2024-01"), ("south", "2024-02", 3.0, 3.0, 1)]),
    "a month in which nobody sold is a row for every region": (
        sales(("east", "2024-01-31", "7.00"), ("west", "2024-03-01", "9.00")),
        [("east", "2024-01", 7.0, 7.0, 1), empty("east", "2024-02"), empty("east", "2024-03"),
         empty("west", "2024-01"), empty("west", "2024-02"), ("west", "2024-03", 9.0, 9.0, 1)]),
    "several sales in a cell: summed, counted and averaged (1/3 rounds down, 2/3 up)": (
        sales(("north", "2024-05-01", "1.00"), ("north", "2024-05-15", "1.00"), ("north", "2024-05-31", "2.00"),
              ("south", "2024-05-02", "1.00"), ("south", "2024-05-03", "2.00"), ("south", "2024-05-04", "2.00")),
        [("north", "2024-05", 4.0, 1.33, 3), ("south", "2024-05", 5.0, 1.67, 3)]),
    "a mean that ends in half a cent rounds up on both engines (5.005, 1.005, 2.675)": (
        sales(("a", "2024-04-01", "10.00"), ("a", "2024-04-02", "0.01"),
              ("b", "2024-04-03", "1.00"), ("b", "2024-04-04", "1.01"),
              ("c", "2024-04-05", "2.67"), ("c", "2024-04-06", "2.68")),
        [("a", "2024-04", 10.01, 5.01, 2), ("b", "2024-04", 2.01, 1.01, 2), ("c", "2024-04", 5.35, 2.68, 2)]),
    "December to January is the next month, and January 2023 is not January 2024": (
        sales(("north", "2023-01-10", "5.00"), ("north", "2023-12-31", "6.00"), ("north", "2024-01-01", "8.00")),
        [("north", "2023-01", 5.0, 5.0, 1)]
        + [empty("north", month_text(2023, m)) for m in range(2, 12)]
        + [("north", "2023-12", 6.0, 6.0, 1), ("north", "2024-01", 8.0, 8.0, 1)]),
    "a sale of 0.00 is a sale: n 1, avg 0.00, not an empty cell": (
        sales(("north", "2024-06-10", "0.00"), ("north", "2024-07-10", "3.00")),
        [("north", "2024-06", 0.0, 0.0, 1), ("north", "2024-07", 3.0, 3.0, 1)]),
    "an empty Sales table gives no rows": ([], []),
}


@pytest.mark.parametrize("rows,want", CASES.values(), ids=CASES.keys())
def test_region_month(shop, rows, want):
    check(shop, rows, want)


def test_matches_a_brute_force_on_a_few_hundred_sales_over_two_years(shop):
    rng = random.Random(7)
    span = (dt.date(2024, 12, 31) - dt.date(2023, 1, 1)).days
    rows = [(sale_id, rng.choice(["east", "north", "south"]), dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, span)),
             Decimal(rng.randint(0, 20_000)) / 100) for sale_id in range(1, 121)]
    want = oracle(rows)
    assert any(n == 0 for *_, n in want), "the data should leave cells empty: the test data is wrong"
    check(shop, rows, want)


def day_of(months_after_first, day):
    index = FIRST_DAY.year * 12 + FIRST_DAY.month - 1 + months_after_first
    return dt.date(index // 12, index % 12 + 1, day)


# Few distinct cents and few sales per cell, so half-cent means (two sales with an odd sum) are common.
made = st.lists(st.tuples(st.sampled_from(["north", "south"]), st.integers(0, 4), st.integers(1, 28),
                          st.integers(0, 999)), min_size=1, max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=made)
def test_matches_a_brute_force_on_random_sales(shop, made):
    rows = [(sale_id, region, day_of(months_after_first, day), Decimal(cents) / 100)
            for sale_id, (region, months_after_first, day, cents) in enumerate(made, start=1)]
    shop.run_script("DELETE FROM Sales")
    check(shop, rows, oracle(rows))
