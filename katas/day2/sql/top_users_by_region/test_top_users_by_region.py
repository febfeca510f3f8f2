"""Tests for the top-users-by-region kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

import pytest

from dojo.sql import Result, Rules, assert_same_result, run_kata_query, run_reference_query, schema

KATA = "day2.sql.top_users_by_region"
FILE = "top_users.sql"
COLUMNS = ("region", "user_id", "spend", "region_rank")
ANY_ORDER = Rules(ordered=False)


class Shop:
    """Users with their payments; ids are handed out in order, so a test states only what matters."""

    def __init__(self):
        self.users, self.transactions = [], []

    def user(self, region, *payments, status="completed", paid_in="overseas"):
        user_id = len(self.users) + 1
        self.users.append((user_id, f"User {user_id}", f"u{user_id}@example.com", region, dt.date(2022, 1, 1)))
        for amount in payments:
            transaction_id = len(self.transactions) + 1
            self.transactions.append((transaction_id, user_id, Decimal(amount), "USD", status, paid_in,
                                      dt.datetime(2024, 1, 1) + dt.timedelta(hours=transaction_id)))
        return user_id


@pytest.fixture
def report(sql_engine):
    """Build a Shop, load it, run the learner's query; returns (result, engine name)."""
    def run(shop):
        schema.create(sql_engine, "users", "transactions")
        sql_engine.insert("users", shop.users)
        sql_engine.insert("transactions", shop.transactions)
        return run_kata_query(sql_engine, KATA, FILE), sql_engine.name
    return run


def check(outcome, rows):
    got, engine = outcome
    assert_same_result(got, Result(COLUMNS, rows), ANY_ORDER, what=f"{FILE} on {engine}")


def test_everyone_tied_at_third_place_is_kept(report):
    shop = Shop()
    for spend in ("100", "90", "80", "80", "70"):
        shop.user("north", spend)
    check(report(shop), [("north", 1, 100.0, 1), ("north", 2, 90.0, 2), ("north", 3, 80.0, 3), ("north", 4, 80.0, 3)])


def test_a_tie_at_second_place_pushes_the_next_user_to_rank_4_and_out(report):
    shop = Shop()
    for spend in ("100", "90", "90", "80"):
        shop.user("west", spend)
    check(report(shop), [("west", 1, 100.0, 1), ("west", 2, 90.0, 2), ("west", 3, 90.0, 2)])


def test_small_regions_keep_their_few_users_and_ranks_restart_per_region(report):
    shop = Shop()
    shop.user("south", "30.00", "20.00")                                 # spend 50.00
    shop.user("south", "999.00", status="failed")                         # no completed payment: not ranked
    shop.user("east", "1000.00", paid_in="north")                         # ranked in east, the user's region
    shop.user("east", "5.00")
    for spend in ("300", "200", "150"):
        shop.user("north", spend)
    check(report(shop), [
        ("south", 1, 50.0, 1),
        ("east", 3, 1000.0, 1), ("east", 4, 5.0, 2),
        ("north", 5, 300.0, 1), ("north", 6, 200.0, 2), ("north", 7, 150.0, 3),
    ])


def test_matches_the_reference_on_generated_data(shop_db):
    got = run_kata_query(shop_db, KATA, FILE)
    want = run_reference_query(shop_db, KATA, FILE)
    assert len(want.rows) >= 18, "the reference should rank 3 users in each of 6 regions: the test data is wrong"
    assert_same_result(got, want, ANY_ORDER, what=f"{FILE} on {shop_db.name}")
