"""Tests for the aggregations kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
from decimal import Decimal

from dojo.sql import Result, Rules, assert_same_result, run_kata_query, run_reference_query, schema

KATA = "day2.sql.aggregations"
FILE = "busy_regions.sql"
COLUMNS = ("region", "active_users", "active_total")
ANY_ORDER = Rules(ordered=False)


class Shop:
    """Builds users and their payments with fresh ids, so a test states only what matters."""

    def __init__(self):
        self.users, self.transactions = [], []

    def user(self, region, *payments, status="completed"):
        user_id = len(self.users) + 1
        self.users.append((user_id, f"User {user_id}", f"u{user_id}@example.com", region, dt.date(2022, 1, 1)))
        for amount in payments:
            self.pay(user_id, amount, status)
        return user_id

    def pay(self, user_id, amount, status="completed"):
        transaction_id = len(self.transactions) + 1
        self.transactions.append((transaction_id, user_id, Decimal(amount), "USD", status, "overseas",
                                  dt.datetime(2024, 1, 1) + dt.timedelta(hours=transaction_id)))

    def load(self, engine):
        schema.create(engine, "users", "transactions")
        engine.insert("users", self.users)
        engine.insert("transactions", self.transactions)


def check_rows(engine, rows):
    got = run_kata_query(engine, KATA, FILE)
    assert_same_result(got, Result(COLUMNS, rows), ANY_ORDER, what=f"{FILE} on {engine.name}")


def test_busy_regions_matches_the_reference_on_generated_data(shop_db):
    got = run_kata_query(shop_db, KATA, FILE)
    want = run_reference_query(shop_db, KATA, FILE)
    assert 0 < len(want.rows) < 6, "the reference should keep some regions and drop others: the test data is wrong"
    assert_same_result(got, want, ANY_ORDER, what=f"{FILE} on {shop_db.name}")


def test_spend_over_500_is_a_having_on_the_total_not_a_where_on_one_payment(sql_engine):
    shop = Shop()
    for _ in range(21):
        shop.user("north", "300.00", "300.00")      # spend 600.00, yet no single payment over 500
    shop.user("north", "100.00")                     # inactive: adds nothing to the total
    shop.load(sql_engine)
    check_rows(sql_engine, [("north", 21, 12600.0)])


def test_exactly_20_active_users_is_not_busy(sql_engine):
    shop = Shop()
    for _ in range(20):
        shop.user("south", "600.00")
    for _ in range(21):
        shop.user("west", "250.00", "250.01")        # 500.01: just active
    shop.load(sql_engine)
    check_rows(sql_engine, [("west", 21, 21 * 500.01)])


def test_failed_payments_and_a_spend_of_exactly_500_do_not_make_a_user_active(sql_engine):
    shop = Shop()
    for _ in range(20):
        shop.user("east", "600.00")
    shop.pay(shop.user("east", "400.00"), "200.00", status="failed")    # completed spend 400.00
    shop.user("east", "500.00")                                          # exactly 500.00: not active
    shop.user("east", "450.00", "80.00", status="pending")
    for _ in range(21):
        shop.user("central", "501.00")
    shop.load(sql_engine)
    check_rows(sql_engine, [("central", 21, 21 * 501.0)])
