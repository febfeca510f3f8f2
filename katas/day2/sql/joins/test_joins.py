"""Tests for the joins kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

import pytest

from dojo.sql import (
    Rules,
    matches_reference,
    returns_rows,
    schema,
)

KATA = "day2.sql.joins"
ANY_ORDER = Rules(ordered=False)
IN_ORDER = Rules(ordered=True)
TX_USERS = 200          # transactions reference users 1..200 ...
ALL_USERS = 240         # ... so users 201..240 have none
ORPHAN = (10_000_000, None, Decimal("12.34"), "USD", "completed", "north", dt.datetime(2024, 6, 1, 12))


def user(user_id, name, region="north"):
    return (user_id, name, f"{name.lower()}@example.com", region, dt.date(2022, 1, 1))


def tx(transaction_id, user_id, amount, ts, status="completed", region="north"):
    return (transaction_id, user_id, Decimal(amount), "USD", status, region, dt.datetime.fromisoformat(ts))


@pytest.fixture
def shop_with_idle_users(sql_engine, dataset):
    """Generated data with 40 users who never paid and one orphan transaction whose user_id is NULL."""
    schema.create(sql_engine, "users", "transactions")
    sql_engine.load_csv("users", dataset("users", rows=ALL_USERS))
    sql_engine.load_csv("transactions", dataset("transactions", rows=3000, users=TX_USERS))
    sql_engine.insert("transactions", [ORPHAN])
    return sql_engine


def test_users_without_transactions_matches_the_reference_on_generated_data(shop_with_idle_users):
    matches_reference(shop_with_idle_users, KATA, "users_without_transactions.sql", ANY_ORDER)


def test_users_without_transactions_is_not_hidden_by_a_null_user_id(empty_shop):
    empty_shop.insert("users", [user(1, "Ann"), user(2, "Bo"), user(3, "Cy")])
    empty_shop.insert("transactions", [
        tx(1, 1, "10.00", "2024-01-05T10:00:00"),
        tx(2, 2, "4.00", "2024-01-06T10:00:00", status="failed"),   # a failed payment is still a transaction
        ORPHAN,                                                       # user_id NULL: NOT IN returns nothing
    ])
    returns_rows(empty_shop, KATA, "users_without_transactions.sql", ("user_id", "name"), [(3, "Cy")], ANY_ORDER)


def test_region_month_grid_matches_the_reference_on_generated_data(shop_with_idle_users):
    matches_reference(shop_with_idle_users, KATA, "region_month_grid.sql", IN_ORDER)


def test_region_month_grid_keeps_empty_cells_as_zero_rows(empty_shop):
    empty_shop.insert("users", [user(1, "Ann", "north"), user(2, "Bo", "south"), user(3, "Cy", "east")])
    empty_shop.insert("transactions", [
        tx(1, 1, "10.00", "2024-01-05T10:00:00"),
        tx(2, 1, "3.00", "2024-01-20T10:00:00", region="south"),      # counts for the USER's region, north
        tx(3, 1, "5.00", "2024-03-02T10:00:00", status="failed"),     # failed: March stays empty for north
        tx(4, 2, "7.00", "2024-03-31T23:59:59", region="west"),
    ])
    jan, feb, mar = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)
    returns_rows(empty_shop, KATA, "region_month_grid.sql", ("region", "month", "n_transactions", "total_amount"), [
        ("east", jan, 0, 0.0), ("east", feb, 0, 0.0), ("east", mar, 0, 0.0),
        ("north", jan, 2, 13.0), ("north", feb, 0, 0.0), ("north", mar, 0, 0.0),
        ("south", jan, 0, 0.0), ("south", feb, 0, 0.0), ("south", mar, 1, 7.0),
    ], IN_ORDER)


def test_user_totals_matches_the_reference_on_generated_data(shop_with_idle_users):
    matches_reference(shop_with_idle_users, KATA, "user_totals.sql", ANY_ORDER)


def test_user_totals_keeps_users_without_completed_transactions_with_zeros(empty_shop):
    empty_shop.insert("users", [user(1, "Ann"), user(2, "Bo"), user(3, "Cy")])
    empty_shop.insert("transactions", [
        tx(1, 1, "10.00", "2024-01-05T10:00:00"), tx(2, 1, "2.50", "2024-02-05T10:00:00"),
        tx(3, 1, "99.00", "2024-02-06T10:00:00", status="failed"),
        tx(4, 2, "40.00", "2024-02-07T10:00:00", status="pending"),  # only a pending one: 0 and 0
    ])
    returns_rows(empty_shop, KATA, "user_totals.sql", ("user_id", "name", "n_completed", "total_amount"), [
        (1, "Ann", 2, 12.5), (2, "Bo", 0, 0.0), (3, "Cy", 0, 0.0),
    ], ANY_ORDER)
