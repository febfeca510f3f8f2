"""Tests for the GROUP BY debugging mock kata (README.md beside this file): each runs on DuckDB and PostgreSQL.

For each broken query in broken/, two checks: the header of your fixed file says what the broken query
did on each engine (the test runs it and compares), and your fixed query returns the wanted rows.
"""
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from dojo import impl
from dojo.sql import Result, Rules, SqlError, assert_same_result, run_kata_query

KATA = "mock.sql.groupby_debugging"
BROKEN = Path(__file__).parent / "broken"
ANY_ORDER = Rules(ordered=False)
RUNS = "runs"
HEADER = re.compile(r"^--\s*(postgres|duckdb)\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
TABLES = (
    "CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, name VARCHAR, region VARCHAR)",
    """CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER, order_date DATE,
        quantity INTEGER NOT NULL, amount NUMERIC(10, 2) NOT NULL)""",
)

CUSTOMERS = [
    (1, "Ann", "north"),
    (2, "Bo", "north"),
    (3, "Cy", "south"),
    (4, "Di", "south"),      # never ordered
    (5, "Ann", "east"),      # a second Ann: a name is not a key
]
ORDERS = [                   # order_id, customer_id, order_date, quantity, amount
    (1, 1, dt.date(2024, 1, 5), 1, Decimal("60.00")),
    (2, 1, dt.date(2024, 2, 10), 2, Decimal("50.00")),     # Ann (1): 110.00 in all, no single order over 100
    (3, 2, dt.date(2024, 1, 20), 2, Decimal("100.00")),    # Bo: exactly 100.00, not more
    (4, 3, dt.date(2024, 3, 1), 1, Decimal("150.00")),
    (5, 3, dt.date(2024, 3, 15), 2, Decimal("10.00")),     # Cy: 160.00
    (6, 5, dt.date(2024, 1, 31), 4, Decimal("20.00")),
]

WANTED = {
    "ungrouped_column": (("customer_id", "name", "total_amount"),
                         [(1, "Ann", 110.0), (2, "Bo", 100.0), (3, "Cy", 160.0), (5, "Ann", 20.0)]),
    "aggregate_in_where": (("customer_id", "total_amount"), [(1, 110.0), (3, 160.0)]),
    "count_with_nulls": (("customer_id", "n_orders"), [(1, 2), (2, 1), (3, 2), (4, 0), (5, 1)]),
    "integer_average": (("region", "avg_quantity"), [("north", 5 / 3), ("south", 1.5), ("east", 4.0)]),
    "alias_in_having": (("order_month", "total_amount"), [(1, 180.0), (3, 160.0)]),
}
QUERIES = list(WANTED)

# What each query of broken/ does on this data, measured on both engines: PostgreSQL's SQLSTATE or
# "runs"; DuckDB (which has no SQLSTATEs) "error" or "runs". Your header lines must say the same.
BROKEN_DOES = {
    "ungrouped_column": {"postgres": "42803", "duckdb": "error"},      # grouping_error on both
    "aggregate_in_where": {"postgres": "42803", "duckdb": "error"},    # grouping_error: no SUM in WHERE
    "count_with_nulls": {"postgres": RUNS, "duckdb": RUNS},            # no error: a wrong count of 1
    "integer_average": {"postgres": RUNS, "duckdb": RUNS},             # no error: truncated on PostgreSQL
    "alias_in_having": {"postgres": "42703", "duckdb": RUNS},          # undefined_column, PostgreSQL only
}


@pytest.fixture
def shop(sql_engine):
    for ddl in TABLES:
        sql_engine.run_script(ddl)
    sql_engine.insert("customers", CUSTOMERS)
    sql_engine.insert("orders", ORDERS)
    return sql_engine


def what_the_engine_did(engine, sql: str) -> tuple[str, str]:
    """(outcome, message): on PostgreSQL the SQLSTATE or 'runs'; on DuckDB 'error' or 'runs'."""
    try:
        engine.execute(sql)
    except SqlError as exc:
        return exc.sqlstate or "error", str(exc).splitlines()[0]
    return RUNS, "it ran without an error"


def your_header(name: str) -> dict[str, str]:
    path = impl.kata_file(KATA, f"{name}.sql")
    if not path.exists():
        raise AssertionError(f"{path} is missing: write your fixed query there, with its two header lines")
    return {engine.lower(): said for engine, said in HEADER.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("name", QUERIES)
def test_your_header_says_what_the_broken_query_did(shop, name):
    outcome, message = what_the_engine_did(shop, (BROKEN / f"{name}.sql").read_text(encoding="utf-8"))
    expected = BROKEN_DOES[name][shop.name]
    assert outcome == expected, (f"broken/{name}.sql on {shop.name}: {message}; the kata expects {expected!r}: "
                                 "has the engine changed? (a fault of the kata, not yours)")
    said = your_header(name).get(shop.name)
    assert said is not None and said.lower() == outcome.lower(), (
        f"broken/{name}.sql on {shop.name}: {message}. Your {name}.sql header says "
        f"'-- {shop.name}: {said}', expected '-- {shop.name}: {outcome}' "
        f"({'its SQLSTATE, or runs' if shop.name == 'postgres' else 'error, or runs'})")


@pytest.mark.parametrize("name", QUERIES)
def test_your_fix_returns_the_wanted_rows(shop, name):
    columns, rows = WANTED[name]
    got = run_kata_query(shop, KATA, f"{name}.sql")
    assert_same_result(got, Result(columns, rows), ANY_ORDER, what=f"{name}.sql on {shop.name}")
