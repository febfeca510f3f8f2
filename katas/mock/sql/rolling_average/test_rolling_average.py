"""Tests for the rolling-average mock kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.sql import Rules, returns_rows
from dojo.sql.months import calendar, month_text

KATA = "mock.sql.rolling_average"
FILE = "rolling_average.sql"
COLUMNS = ("month", "total_sales", "rolling_avg_3m")
BY_MONTH = Rules(ordered=True)        # numbers compared with the default tolerance of 1e-6
SALES = "CREATE TABLE Sales (sale_id INT, region VARCHAR, sale_date DATE, amount DECIMAL(10,2))"
CENT = Decimal("0.01")
WINDOW = 3


def sales(*made):
    """Sales rows from ('YYYY-MM-DD', 'amount') or ('YYYY-MM-DD', 'amount', region), numbered in turn."""
    return [(sale_id, sale[2] if len(sale) > 2 else "north", dt.date.fromisoformat(sale[0]), Decimal(sale[1]))
            for sale_id, sale in enumerate(made, start=1)]


def oracle(rows):
    """Brute force: Decimal totals per month, every calendar month, the mean of up to 3 months, half-up."""
    totals = {}
    for _, _, day, amount in rows:
        totals[(day.year, day.month)] = totals.get((day.year, day.month), Decimal(0)) + amount
    spine = calendar(min(totals), max(totals))
    want = []
    for i, month in enumerate(spine):
        window = [totals.get(m, Decimal(0)) for m in spine[max(0, i - WINDOW + 1):i + 1]]
        average = (sum(window) / len(window)).quantize(CENT, rounding=ROUND_HALF_UP)
        want.append((month_text(*month), totals.get(month, Decimal(0)), average))
    return want


@pytest.fixture
def shop(sql_engine):
    """The engine under test with an empty Sales table."""
    sql_engine.run_script(SALES)
    return sql_engine


def check(engine, rows, want):
    engine.insert("Sales", rows)
    returns_rows(engine, KATA, FILE, COLUMNS, want, BY_MONTH)


CASES = {
    "the first month averages itself, the second two months (a partial window at the start)": (
        sales(("2024-01-10", "30.00"), ("2024-02-10", "60.00"), ("2024-03-10", "90.00"), ("2024-04-10", "120.00")),
        [("2024-01", 30.0, 30.0), ("2024-02", 60.0, 45.0), ("2024-03", 90.0, 60.0), ("2024-04", 120.0, 90.0)]),
    "a month without sales is a row of 0 and takes a place in the window (the README example)": (
        sales(("2023-11-03", "30.00"), ("2023-11-30", "60.00"), ("2024-01-31", "30.00"), ("2024-02-01", "10.00")),
        [("2023-11", 90.0, 90.0), ("2023-12", 0.0, 45.0), ("2024-01", 30.0, 40.0), ("2024-02", 10.0, 13.33)]),
    "the window is three calendar months, not the last three months with sales": (
        sales(("2024-01-15", "300.00"), ("2024-05-15", "30.00")),
        [("2024-01", 300.0, 300.0), ("2024-02", 0.0, 150.0), ("2024-03", 0.0, 100.0), ("2024-04", 0.0, 0.0),
         ("2024-05", 30.0, 10.0)]),
    "several sales in one month are summed, whatever the region": (
        sales(("2024-03-01", "10.00", "north"), ("2024-03-02", "20.00", "south"), ("2024-03-31", "30.00", "east"),
              ("2024-04-01", "15.00", "north")),
        [("2024-03", 60.0, 60.0), ("2024-04", 15.0, 37.5)]),
    "December to January is the next month": (
        sales(("2023-11-20", "10.00"), ("2023-12-31", "20.00"), ("2024-01-01", "30.00"), ("2024-02-29", "40.00")),
        [("2023-11", 10.0, 10.0), ("2023-12", 20.0, 15.0), ("2024-01", 30.0, 20.0), ("2024-02", 40.0, 30.0)]),
    "averages are rounded to 2 decimals, down and up": (
        sales(("2024-01-05", "10.00"), ("2024-02-05", "10.02"), ("2024-03-05", "10.02"), ("2024-04-05", "10.04")),
        [("2024-01", 10.0, 10.0), ("2024-02", 10.02, 10.01), ("2024-03", 10.02, 10.01), ("2024-04", 10.04, 10.03)]),
    "one month of sales is one row": (
        sales(("2024-06-15", "12.34")), [("2024-06", 12.34, 12.34)]),
}


@pytest.mark.parametrize("rows,want", CASES.values(), ids=CASES.keys())
def test_rolling_average(shop, rows, want):
    check(shop, rows, want)


def test_matches_a_brute_force_on_sparse_sales_over_four_years(shop):
    rng = random.Random(3)
    span = (dt.date(2024, 12, 31) - dt.date(2021, 1, 1)).days
    rows = [(sale_id, rng.choice(["north", "south"]), dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, span)),
             Decimal(rng.randint(0, 50_000) * 2) / 100) for sale_id in range(1, 41)]
    want = oracle(rows)
    assert sum(total == 0 for _, total, _ in want) > 5, "the data should leave months empty: the test data is wrong"
    check(shop, rows, want)


def day_of(months_after_october_2023, day):
    index = 2023 * 12 + 9 + months_after_october_2023        # months since year 0, January = 0
    return dt.date(index // 12, index % 12 + 1, day)


# Even cents only: a total of two months is then an even number of cents, so no average ends in half
# a cent, where DuckDB (rounding a DOUBLE) and PostgreSQL (rounding a NUMERIC) may disagree.
made = st.lists(st.tuples(st.integers(0, 13), st.integers(1, 28), st.integers(0, 2_500)), min_size=1, max_size=20)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=made)
def test_matches_a_brute_force_on_random_sales(shop, made):
    rows = [(sale_id, "north", day_of(months_after_october_2023, day), Decimal(pairs_of_cents * 2) / 100)
            for sale_id, (months_after_october_2023, day, pairs_of_cents) in enumerate(made, start=1)]
    shop.run_script("DELETE FROM Sales")
    check(shop, rows, oracle(rows))
