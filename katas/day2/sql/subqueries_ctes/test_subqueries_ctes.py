"""Tests for the subqueries and CTEs kata (README.md beside this file): each runs on DuckDB and PostgreSQL."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from dojo import impl
from dojo.sql import Result, Rules, assert_same_result, run_kata_query, run_reference_query, schema

KATA = "day2.sql.subqueries_ctes"
FORMS = ("above_average_subquery.sql", "above_average_cte.sql")
COLUMNS = ("user_id", "region", "spend", "region_average")
ANY_ORDER = Rules(ordered=False)


def user(user_id, region):
    return (user_id, f"User {user_id}", f"u{user_id}@example.com", region, dt.date(2022, 1, 1))


def tx(transaction_id, user_id, amount, status="completed"):
    return (transaction_id, user_id, Decimal(amount), "USD", status, "overseas",
            dt.datetime(2024, 1, 1) + dt.timedelta(hours=transaction_id))


def code_of(filename):
    """The learner's query without its -- comments, upper-cased, for checking its form."""
    text = impl.kata_file(KATA, filename).read_text(encoding="utf-8")
    return re.sub(r"--[^\n]*", "", text).upper()


@pytest.fixture
def north_and_south(sql_engine):
    """The README's example, plus a one-user region and payments that must not count."""
    schema.create(sql_engine, "users", "transactions")
    sql_engine.insert("users", [user(1, "north"), user(2, "north"), user(3, "north"), user(4, "north"),
                                user(5, "south"), user(6, "east"), user(7, "east")])
    sql_engine.insert("transactions", [
        tx(1, 1, "10.00"), tx(2, 2, "5.00"), tx(3, 2, "15.00"), tx(4, 3, "30.00"),
        tx(5, 4, "900.00", status="failed"),        # user 4: no completed payment, not in the average
        tx(6, 5, "50.00"),                          # alone in south: equal to its own average
        tx(7, 6, "40.00"), tx(8, 7, "10.00"), tx(9, 7, "25.00", status="pending"),
    ])
    return sql_engine


@pytest.mark.parametrize("filename", FORMS)
def test_matches_the_reference_on_generated_data(shop_db, filename):
    got = run_kata_query(shop_db, KATA, filename)
    want = run_reference_query(shop_db, KATA, filename)
    assert want.rows, "the reference returned no rows on the generated data: the test data is wrong"
    assert_same_result(got, want, ANY_ORDER, what=f"{filename} on {shop_db.name}")


@pytest.mark.parametrize("filename", FORMS)
def test_compares_with_the_average_of_user_totals_strictly(north_and_south, filename):
    got = run_kata_query(north_and_south, KATA, filename)
    want = Result(COLUMNS, [(3, "north", 30.0, 20.0), (6, "east", 40.0, 25.0)])
    assert_same_result(got, want, ANY_ORDER, what=f"{filename} on {north_and_south.name}")


def test_both_forms_give_the_same_rows(shop_db):
    subquery, cte = (run_kata_query(shop_db, KATA, f) for f in FORMS)
    assert subquery.rows, f"{FORMS[0]} returned no rows on the generated data, expected some users"
    assert_same_result(cte, subquery, ANY_ORDER, what=f"{FORMS[1]} compared with {FORMS[0]} on {shop_db.name}")


def test_the_subquery_form_uses_no_with(shop_db):
    run_kata_query(shop_db, KATA, FORMS[0])          # it must be a real query first
    assert not re.search(r"\bWITH\b", code_of(FORMS[0])), f"{FORMS[0]} uses WITH: write it with subqueries only"


def test_the_cte_form_uses_with(shop_db):
    run_kata_query(shop_db, KATA, FORMS[1])
    assert re.match(r"\s*WITH\b", code_of(FORMS[1])), f"{FORMS[1]} does not start with WITH: write it with a CTE"
