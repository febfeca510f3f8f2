"""Tests for the optimize_query kata (README.md beside this file). PostgreSQL only.

Seeding 100,000 orders takes about a second, so the module builds ONE database for the big checks:
schema.sql and seed.sql, ANALYZE, the slow query's plan on the given schema, then your indexes.sql,
ANALYZE again, then your optimized.sql. The slow query itself is far too slow to run there, so on
the big data your rows are compared with the reference rewrite's. The small hand-made cases get a
fresh tiny database each, where the slow query is fast and is the oracle itself.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo import impl
from dojo.services.postgres import own_database
from dojo.sql import Result, Rules, assert_same_result
from dojo.sql.engines import PostgresEngine, SqlError
from dojo.sql.explain import PlanNode, explain, walk
from dojo.sql.query import execute_file, read_query

pytestmark = pytest.mark.needs("pg")

KATA = "mock.sql.optimize_query"
HERE = Path(__file__).parent
SCHEMA, SEED, SLOW = (HERE / name for name in ("schema.sql", "seed.sql", "slow_query.sql"))
TABLES = ("customers", "orders", "order_items", "expired_coupons")
MAX_COST_RATIO = 0.10
IN_ORDER = Rules(ordered=True)
STUB = "SELECT 'TODO' AS todo"
RUN_LIMIT = "10s"           # statement_timeout for running a rewrite on the big data
# ANALYZE samples 300 x the statistics target rows: 1000 makes it read every row of these tables,
# so the statistics, the estimates and the costs are the same on every run.
STATISTICS_TARGET = 1000


def plan_text(nodes: list[PlanNode]) -> str:
    return "\n".join(f"    {n.node_type}{f' on {n.relation}' if n.relation else ''}"
                     f"{f' using {n.index}' if n.index else ''}  (total cost {n.total_cost:,.0f})" for n in nodes)


def objects(conn) -> list[tuple]:
    """Everything in the public schema except indexes: tables, views, sequences, functions; and row counts."""
    relations = conn.execute("""
        SELECT c.relname, c.relkind FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind NOT IN ('i', 'I') ORDER BY 1""").fetchall()
    functions = conn.execute("""
        SELECT p.proname, 'f' FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' ORDER BY 1""").fetchall()
    counts = [(table, conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in TABLES]
    return relations + functions + counts


@dataclass
class Measured:
    conn: object
    problem: str | None = None                    # why indexes.sql or optimized.sql could not be planned
    slow_cost: float = 0.0
    slow_plan: list[PlanNode] = field(default_factory=list)
    rewrite_plan: list[PlanNode] = field(default_factory=list)

    def ready(self) -> Measured:
        assert self.problem is None, self.problem
        return self

    @property
    def rewrite_cost(self) -> float:
        return self.rewrite_plan[0].total_cost

    @functools.cached_property
    def rows(self) -> tuple[Result, Result]:
        """(your rewrite's rows, the reference rewrite's rows) on the big data."""
        engine = PostgresEngine(self.conn)
        self.conn.execute(f"SET statement_timeout = '{RUN_LIMIT}'")
        try:
            got = execute_file(engine, impl.kata_file(KATA, "optimized.sql"))
        except SqlError as exc:
            raise AssertionError(f"optimized.sql on the seeded data: {exc} (a rewrite should take milliseconds; "
                                 f"the limit is {RUN_LIMIT})") from None
        finally:
            self.conn.execute("RESET statement_timeout")
        return got, execute_file(engine, impl.reference_file(KATA, "optimized.sql"))


@pytest.fixture(scope="module")
def measured(pg_server):
    """One seeded database for the module: the slow plan, your indexes, your rewrite's plan."""
    with own_database(pg_server, "optimize_query") as conn:
        yield measure(conn)


def analyze(conn) -> None:
    conn.execute(f"SET default_statistics_target = {STATISTICS_TARGET}")
    conn.execute("ANALYZE")
    conn.execute("RESET default_statistics_target")


def freeze_statistics(conn) -> None:
    """No autovacuum on the shop: a background ANALYZE or VACUUM would change the estimates mid-test."""
    for table in TABLES:
        conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")


def measure(conn) -> Measured:
    import psycopg

    conn.execute(read_query(SCHEMA))
    freeze_statistics(conn)
    conn.execute(read_query(SEED))
    analyze(conn)
    slow_plan = list(walk(explain(conn, read_query(SLOW))))
    result = Measured(conn, slow_cost=slow_plan[0].total_cost, slow_plan=slow_plan)
    before = objects(conn)
    try:
        execute_file(PostgresEngine(conn), impl.kata_file(KATA, "indexes.sql"))
    except AssertionError as exc:
        result.problem = f"indexes.sql: {exc}"
        return result
    conn.execute("RESET ALL")                     # a SET in indexes.sql must not change the costs
    added = sorted(set(objects(conn)) ^ set(before))
    if added:
        result.problem = f"indexes.sql may only create indexes; it changed {added}"
        return result
    analyze(conn)
    rewrite = read_query(impl.kata_file(KATA, "optimized.sql"))
    if STUB in rewrite:
        result.problem = "optimized.sql is still the stub: replace `SELECT 'TODO' AS todo` with your query"
        return result
    try:
        result.rewrite_plan = list(walk(explain(conn, rewrite)))
    except psycopg.Error as exc:
        result.problem = f"optimized.sql: PostgreSQL cannot plan it: {exc}"
    return result


def test_the_rewrite_costs_at_most_a_tenth_of_the_slow_query(measured):
    measured.ready()
    ratio = measured.rewrite_cost / measured.slow_cost
    assert ratio <= MAX_COST_RATIO, (
        f"EXPLAIN (FORMAT JSON) estimates optimized.sql at a total cost of {measured.rewrite_cost:,.0f}, "
        f"{ratio:.1%} of the slow query's {measured.slow_cost:,.0f}; expected at most {MAX_COST_RATIO:.0%}.\n"
        f"  your plan:\n{plan_text(measured.rewrite_plan)}\n  the slow query's plan:\n{plan_text(measured.slow_plan)}")


def test_the_rewrite_returns_the_same_rows_in_the_same_order_on_the_seeded_data(measured):
    got, want = measured.ready().rows
    assert len(want.rows) > 100, f"the reference returned only {len(want.rows)} rows: the seeded data is wrong"
    assert_same_result(got, want, IN_ORDER, what="optimized.sql on the seeded shop (100,000 orders)")


def test_the_june_filter_is_an_index_condition_on_ordered_at(measured):
    measured.ready()
    conditions = [str(n.raw.get("Index Cond", "")) for n in measured.rewrite_plan]
    on_ordered_at = [c for c in conditions if "ordered_at" in c]
    assert on_ordered_at, (
        f"no node of your plan reads an index with a condition on ordered_at (Index Conds: "
        f"{[c for c in conditions if c] or 'none'}):\n{plan_text(measured.rewrite_plan)}\n"
        f"expected June to be found through orders_ordered_at_idx: a function around the column "
        f"(date_trunc, to_char, ::date) hides it from the index; compare the bare column with a range")


# --- small hand-made cases: the slow query is the oracle ------------------------------------------

JUNE = "2024-06-12T10:00"
EMAIL = "customer{}@example.com"


def order(order_id: int, ordered_at: str = JUNE, coupon: str | None = "C02", lines: int = 1, customer: int = 1):
    return (order_id, customer, ordered_at, coupon, lines)


TINY_CASES = {
    "a June order with a valid coupon and a line is reported":
        ([order(1)], [(1, EMAIL.format(1), 1)]),
    "an order without a coupon is left out: NULL NOT IN (...) is NULL, never true":
        ([order(1, coupon=None)], []),
    "an order with an expired coupon is left out":
        ([order(1, coupon="C01")], []),
    "an order with no lines is left out: the join to order_items is a filter":
        ([order(1, lines=0)], []),
    "midnight on June 1 is June":
        ([order(1, ordered_at="2024-06-01T00:00")], [(1, EMAIL.format(1), 1)]),
    "late on June 30 is still June":
        ([order(1, ordered_at="2024-06-30T23:00")], [(1, EMAIL.format(1), 1)]),
    "midnight on July 1 is July":
        ([order(1, ordered_at="2024-07-01T00:00")], []),
    "June 2023 is not June 2024":
        ([order(1, ordered_at="2023-06-12T10:00")], []),
    "one row per customer; the lifetime count is orders of any kind, not lines":
        ([order(1, lines=3), order(2, lines=2), order(3, "2023-02-01T09:00", None, 0), order(4, coupon="C01"),
          order(5, customer=2, coupon=None)], [(1, EMAIL.format(1), 4)]),
}


@pytest.fixture
def tiny_shop(pg):
    pg.execute(read_query(SCHEMA))
    pg.execute("""
        INSERT INTO customers VALUES (1, 'customer1@example.com', 'DE'), (2, 'customer2@example.com', 'FR');
        INSERT INTO expired_coupons VALUES ('C01')""")
    return PostgresEngine(pg)


def fill(engine: PostgresEngine, orders: list[tuple]) -> None:
    engine.insert("orders", [(oid, customer, dt.datetime.fromisoformat(at), 10, coupon)
                             for oid, customer, at, coupon, _ in orders])
    engine.insert("order_items", [(oid, line, 7, 1) for oid, _, _, _, lines in orders for line in range(1, lines + 1)])


@pytest.mark.parametrize("orders,want", TINY_CASES.values(), ids=TINY_CASES.keys())
def test_the_rewrite_agrees_with_the_slow_query_on_a_hand_made_case(tiny_shop, orders, want):
    fill(tiny_shop, orders)
    slow = tiny_shop.execute(read_query(SLOW))
    assert slow.rows == want, f"the slow query returned {slow.rows}, expected {want}: the case is wrong"
    got = execute_file(tiny_shop, impl.kata_file(KATA, "optimized.sql"))
    shown = [(oid, at, coupon, f"{lines} lines") for oid, customer, at, coupon, lines in orders]
    assert_same_result(got, slow, IN_ORDER, what=f"optimized.sql with the orders {shown} (expected {want})")


TIMES = ("2023-06-12T10:00", "2024-05-31T23:00", "2024-06-01T00:00", "2024-06-15T12:30", "2024-06-30T23:59:59",
         "2024-07-01T00:00", "2025-06-03T08:00")
random_orders = st.lists(
    st.tuples(st.sampled_from(TIMES), st.sampled_from([None, "C01", "C02", "C05"]), st.integers(0, 2),
              st.integers(1, 2)),
    max_size=8)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=random_orders)
def test_the_rewrite_agrees_with_the_slow_query_on_random_small_shops(tiny_shop, drawn):
    orders = [order(oid, at, coupon, lines, customer) for oid, (at, coupon, lines, customer) in enumerate(drawn, 1)]
    tiny_shop.run_script("DELETE FROM order_items; DELETE FROM orders")
    fill(tiny_shop, orders)
    slow = tiny_shop.execute(read_query(SLOW))
    got = execute_file(tiny_shop, impl.kata_file(KATA, "optimized.sql"))
    shown = [(oid, f"customer {customer}", at, coupon, f"{lines} lines") for oid, customer, at, coupon, lines in orders]
    assert_same_result(got, slow, IN_ORDER, what=f"optimized.sql with the orders {shown} (the slow query is the oracle)")
