"""Tests for the partitioning kata (README.md beside this file). PostgreSQL only: each test gets a
fresh database, runs your partitions.sql in it and asks PostgreSQL where the rows went."""
import datetime as dt
from decimal import Decimal

import pytest

from dojo.sql import run_kata_query
from dojo.sql.explain import explain, relations_scanned

KATA = "day2.sql.partitioning"
MONTHS = [f"transactions_2024_{m:02d}" for m in range(1, 13)]
DEFAULT = "transactions_default"
COLUMNS = [("transaction_id", "bigint"), ("user_id", "integer"), ("amount", "numeric"),
           ("currency", "character varying"), ("status", "character varying"),
           ("region", "character varying"), ("ts", "timestamp without time zone")]


@pytest.fixture
def partitioned(pg_engine):
    """A fresh PostgreSQL database after running your partitions.sql."""
    run_kata_query(pg_engine, KATA, "partitions.sql")
    return pg_engine


def ts(iso: str | None) -> dt.datetime | None:
    return None if iso is None else dt.datetime.fromisoformat(iso)


def routed(engine, instants: dict[str, str | None]) -> dict[str, str]:
    """Insert one row per instant and return {instant: the partition that holds it}."""
    rows = [(i, 1, Decimal("1.00"), "USD", "completed", "north", ts(iso)) for i, iso in enumerate(instants.values())]
    engine.insert("transactions", rows)
    where = dict(engine.execute("SELECT transaction_id, tableoid::regclass::text FROM transactions").rows)
    return {label: where.get(i) for i, label in enumerate(instants)}


def assert_routed(engine, expected: dict[str, tuple[str | None, str]]):
    got = routed(engine, {label: iso for label, (iso, _) in expected.items()})
    wrong = [f"  {label} ({iso}): in {got[label]}, expected {want}"
             for label, (iso, want) in expected.items() if got[label] != want]
    assert not wrong, "rows landed in the wrong partition:\n" + "\n".join(wrong)


def test_transactions_is_partitioned_by_range_on_the_ts_column(partitioned):
    strategy = partitioned.execute("""
        SELECT p.partstrat, pg_get_partkeydef(p.partrelid)
        FROM pg_partitioned_table AS p WHERE p.partrelid = 'transactions'::regclass""").rows
    assert strategy == [("r", "RANGE (ts)")], (
        f"transactions' partitioning is {strategy}, expected [('r', 'RANGE (ts)')]: range on the ts column itself")
    columns = partitioned.execute("""
        SELECT column_name, data_type FROM information_schema.columns
        WHERE table_name = 'transactions' ORDER BY ordinal_position""").rows
    assert columns == COLUMNS, f"transactions has columns {columns}, expected {COLUMNS} (dojo/sql/schema.py's order)"


def test_there_is_one_partition_per_month_of_2024_and_a_default(partitioned):
    children = dict(partitioned.execute("""
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'transactions'::regclass""").rows)
    assert sorted(children) == sorted(MONTHS + [DEFAULT]), (
        f"transactions has partitions {sorted(children)}, expected {MONTHS + [DEFAULT]}")
    assert children[DEFAULT] == "DEFAULT", f"{DEFAULT} is {children[DEFAULT]!r}, expected the DEFAULT partition"


BOUNDARIES = {
    "middle of a month": ("2024-06-15 12:00:00", "transactions_2024_06"),
    "first instant of a month": ("2024-03-01 00:00:00", "transactions_2024_03"),
    "last second of the previous month (leap day)": ("2024-02-29 23:59:59", "transactions_2024_02"),
    "last microsecond of the previous month": ("2024-02-29 23:59:59.999999", "transactions_2024_02"),
    "first instant of the year": ("2024-01-01 00:00:00", "transactions_2024_01"),
    "last microsecond of the year": ("2024-12-31 23:59:59.999999", "transactions_2024_12"),
    "last day of a 30-day month, late evening": ("2024-04-30 22:30:00", "transactions_2024_04"),
}


def test_boundary_instants_land_in_their_own_month(partitioned):
    assert_routed(partitioned, BOUNDARIES)


OUT_OF_RANGE = {
    "last microsecond before 2024": ("2023-12-31 23:59:59.999999", DEFAULT),
    "first instant after 2024": ("2025-01-01 00:00:00", DEFAULT),
    "far in the past": ("1999-07-01 00:00:00", DEFAULT),
    "a NULL ts": (None, DEFAULT),
    "an in-range row beside them still goes to its month": ("2024-07-01 00:00:00", "transactions_2024_07"),
}


def test_out_of_range_and_null_rows_land_in_the_default_partition(partitioned):
    assert_routed(partitioned, OUT_OF_RANGE)


def test_generated_transactions_are_routed_by_month(partitioned, dataset):
    partitioned.load_csv("transactions", dataset("transactions", rows=20_000, users=500))
    misplaced = partitioned.execute(f"""
        SELECT tableoid::regclass::text AS partition, ts FROM transactions
        WHERE tableoid::regclass::text <> CASE
            WHEN ts >= '2024-01-01' AND ts < '2025-01-01' THEN 'transactions_' || to_char(ts, 'YYYY_MM')
            ELSE '{DEFAULT}' END
        LIMIT 3""").rows
    assert not misplaced, f"rows in the wrong partition (partition, ts): {misplaced}"
    filled = {name for (name,) in partitioned.execute(
        "SELECT DISTINCT tableoid::regclass::text FROM transactions").rows}
    assert filled == set(MONTHS + [DEFAULT]), (
        f"after loading 2023-2024 data the non-empty partitions are {sorted(filled)}; expected every month and the default")


PRUNED = {
    "one month, half-open range": (
        "SELECT sum(amount) FROM transactions WHERE ts >= '2024-03-01' AND ts < '2024-04-01'", {"transactions_2024_03"}),
    "the last month of the range": (
        "SELECT count(*) FROM transactions WHERE ts >= '2024-12-01' AND ts < '2025-01-01'", {"transactions_2024_12"}),
    "one day": (
        "SELECT * FROM transactions WHERE ts >= '2024-02-29' AND ts < '2024-03-01'", {"transactions_2024_02"}),
    "before the range: only the default": (
        "SELECT * FROM transactions WHERE ts < '2023-06-01'", {DEFAULT}),
}


@pytest.mark.parametrize("sql,want", PRUNED.values(), ids=PRUNED.keys())
def test_a_query_on_a_time_range_reads_only_the_partitions_it_needs(partitioned, pg, sql, want):
    scanned = relations_scanned(explain(pg, sql))
    assert scanned == want, f"EXPLAIN {sql}\nreads {sorted(scanned)}, expected only {sorted(want)} (partition pruning)"
