"""Tests for the RDD-vs-DataFrame kata: run `pytest katas/day3/spark/test_rdd_vs_dataframe.py`.

Both versions are checked against hand-computed answers and against plain Python on seeded data;
the RDD version's shuffle is measured (bytes written); the DataFrame version's plans are read to
see what the optimizer did. `spark` is the harness's session (local[2], 2 shuffle partitions).
"""
from __future__ import annotations

import math
import random
import re

import pytest
from pyspark import RDD
from pyspark.sql import DataFrame, Row
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from katas.day3.spark.rdd_vs_dataframe import (
    ORDERS_SCHEMA,
    TOTALS_SCHEMA,
    customer_totals_df,
    customer_totals_rdd,
    top_customers_df,
    top_customers_rdd,
)

pytestmark = pytest.mark.needs("spark")

TOP_SCHEMA = "customer STRING, total DOUBLE"
SLICES = 3              # the RDDs are cut in 3 partitions, so one customer's orders span several

EXAMPLE = [
    (1, "ann", "paid", 10.0, "gift"),
    (2, "ann", "paid", 20.0, None),
    (3, "ann", "paid", 60.0, None),
    (4, "bob", "paid", 25.0, None),
    (5, "bob", "refunded", 99.0, None),
    (6, "cy", "paid", None, None),
    (7, "dee", None, 5.0, None),
]

# name -> (orders, the expected (customer, orders, total, average) rows in any order)
TOTALS_CASES = {
    "the docstring's example": (EXAMPLE, [("ann", 3, 90.0, 30.0), ("bob", 1, 25.0, 25.0)]),
    "no orders at all": ([], []),
    "only refunded, pending and NULL-status orders: nobody appears":
        ([(1, "ann", "refunded", 5.0, None), (2, "bob", "pending", 7.0, None), (3, "cy", None, 9.0, None)], []),
    "a paid order without an amount counts in nothing, the customer's other orders do":
        ([(1, "ann", "paid", None, None), (2, "ann", "paid", 10.0, None), (3, "ann", "paid", 20.0, None)],
         [("ann", 2, 30.0, 15.0)]),
    # the 3 partitions hold ann's 90 | 10, 20 | 30: partial averages 90, 15, 30 average to 45
    "one customer's orders in every partition: the average is over all of them, not of partial averages":
        ([(1, "ann", "paid", 90.0, None), (2, "bob", "paid", 1.0, None), (3, "ann", "paid", 10.0, None),
          (4, "ann", "paid", 20.0, None), (5, "ann", "paid", 30.0, None), (6, "bob", "paid", 3.0, None)],
         [("ann", 4, 150.0, 37.5), ("bob", 2, 4.0, 2.0)]),
}

TIES = [(1, "eve", "paid", 50.0, None), (2, "dan", "paid", 20.0, None), (3, "dan", "paid", 30.0, None),
        (4, "al", "paid", 70.0, None), (5, "cat", "paid", 50.0, None), (6, "bo", "paid", 10.0, None)]

# name -> (orders, n, the expected (customer, total) list, highest first)
TOP_CASES = {
    "the docstring's example, n=1": (EXAMPLE, 1, [("ann", 90.0)]),
    "n larger than the number of customers returns them all": (EXAMPLE, 5, [("ann", 90.0), ("bob", 25.0)]),
    "n = 0 returns nothing": (EXAMPLE, 0, []),
    "equal totals go in name order, and the cut at n keeps the first names":
        (TIES, 3, [("al", 70.0), ("cat", 50.0), ("dan", 50.0)]),
}


def orders_rdd(spark, rows: list[tuple]) -> RDD:
    return spark.sparkContext.parallelize(rows, SLICES)


def orders_df(spark, rows: list[tuple]):
    return spark.createDataFrame(rows, ORDERS_SCHEMA)


def as_rows(rows: list[tuple], schema: str) -> list[Row]:
    names = [field.split()[0] for field in schema.split(",")]
    return [Row(**dict(zip(names, row))) for row in rows]


def assert_frame_equals(got, want: list[tuple], schema: str, called: str, check_row_order: bool = False) -> None:
    """The DataFrame has the schema's columns and types, and the rows (floats with a tolerance)."""
    assert isinstance(got, DataFrame), f"{called} returned {type(got).__name__}, expected a DataFrame"
    want_types = [tuple(field.strip().lower().split()) for field in schema.split(",")]
    got_types = [(name, kind) for name, kind in got.dtypes]
    assert got_types == want_types, f"{called} returned the columns {got_types}, expected {want_types}"
    try:
        assertDataFrameEqual(got, as_rows(want, schema), checkRowOrder=check_row_order)
    except AssertionError as exc:
        pytest.fail(f"{called} returned rows that differ from the expected ones:\n{exc}")


def same_values(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9) if isinstance(x, float) and isinstance(y, float) else x == y
        for x, y in zip(a, b))


def assert_rdd_rows_equal(got, want: list[tuple], called: str) -> None:
    """An RDD of tuples holding the wanted rows in any order (floats with a tolerance)."""
    assert isinstance(got, RDD), f"{called} returned {type(got).__name__}, expected an RDD (lazy, not collected)"
    rows = got.collect()
    shaped = all(isinstance(row, tuple) and len(row) == len(want[0] if want else row) for row in rows)
    key = (lambda row: str(row[0])) if shaped else repr
    same = shaped and len(rows) == len(want) and all(
        same_values(a, b) for a, b in zip(sorted(rows, key=key), sorted(want, key=key)))
    assert same, f"{called} returned {sorted(rows, key=key)}, expected {sorted(want, key=key)} (any order)"


# ---------------------------------------------------------------------------------------------
# the answers
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rows,want", TOTALS_CASES.values(), ids=TOTALS_CASES.keys())
def test_customer_totals_rdd_counts_paid_orders_with_an_amount(spark, rows, want):
    called = f"customer_totals_rdd(<RDD of {len(rows)} orders in {SLICES} partitions>)"
    assert_rdd_rows_equal(customer_totals_rdd(orders_rdd(spark, rows)), want, called)


@pytest.mark.parametrize("rows,want", TOTALS_CASES.values(), ids=TOTALS_CASES.keys())
def test_customer_totals_df_counts_paid_orders_with_an_amount(spark, rows, want):
    got = customer_totals_df(orders_df(spark, rows))
    assert_frame_equals(got, want, TOTALS_SCHEMA, f"customer_totals_df(<DataFrame of {len(rows)} orders>)")


@pytest.mark.parametrize("rows,n,want", TOP_CASES.values(), ids=TOP_CASES.keys())
def test_top_customers_rdd_returns_the_highest_totals_first_ties_by_name(spark, rows, n, want):
    got = top_customers_rdd(orders_rdd(spark, rows), n)
    assert got == want, f"top_customers_rdd(<RDD of {len(rows)} orders>, {n}) returned {got}, expected {want}"


@pytest.mark.parametrize("rows,n,want", TOP_CASES.values(), ids=TOP_CASES.keys())
def test_top_customers_df_returns_the_highest_totals_first_ties_by_name(spark, rows, n, want):
    got = top_customers_df(orders_df(spark, rows), n)
    assert_frame_equals(got, want, TOP_SCHEMA, f"top_customers_df(<DataFrame of {len(rows)} orders>, {n})",
                        check_row_order=True)


def seeded_orders(seed: int, count: int = 80) -> list[tuple]:
    """Orders with repeated customers, every status, NULLs; amounts in quarters, so sums are exact."""
    rng = random.Random(seed)
    names = ["ann", "bob", "cy", "dee", "eve", "fay", "gus"]
    statuses = ["paid", "paid", "paid", "refunded", "pending", None]
    return [(i, rng.choice(names), rng.choice(statuses),
             None if rng.random() < 0.1 else rng.randint(1, 400) / 4, rng.choice(["", "rush", None]))
            for i in range(1, count + 1)]


def plain_python_totals(rows: list[tuple]) -> list[tuple]:
    """The slow obvious answer: a dict of (count, total) per customer."""
    sums: dict[str, tuple[int, float]] = {}
    for _, customer, status, amount, _ in rows:
        if status == "paid" and amount is not None:
            count, total = sums.get(customer, (0, 0.0))
            sums[customer] = (count + 1, total + amount)
    return [(customer, count, total, total / count) for customer, (count, total) in sums.items()]


@pytest.mark.parametrize("seed", [3, 11])
def test_both_versions_equal_plain_python_on_seeded_orders(spark, seed):
    rows = seeded_orders(seed)
    want = plain_python_totals(rows)
    assert_rdd_rows_equal(customer_totals_rdd(orders_rdd(spark, rows)), want,
                          f"customer_totals_rdd(<RDD of seeded_orders({seed})>)")
    assert_frame_equals(customer_totals_df(orders_df(spark, rows)), want, TOTALS_SCHEMA,
                        f"customer_totals_df(<DataFrame of seeded_orders({seed})>)")
    top = sorted(((c, t) for c, _, t, _ in want), key=lambda pair: (-pair[1], pair[0]))[:3]
    got_top = top_customers_rdd(orders_rdd(spark, rows), 3)
    assert got_top == top, f"top_customers_rdd(<RDD of seeded_orders({seed})>, 3) returned {got_top}, expected {top}"


# ---------------------------------------------------------------------------------------------
# the RDD shuffle: combine on the map side
# ---------------------------------------------------------------------------------------------

def shuffle_bytes_written(spark, action) -> int:
    """Run action() in its own job group; the bytes its jobs wrote to the shuffle."""
    sc = spark.sparkContext
    group = f"shuffle-probe-{random.Random().getrandbits(64):x}"
    sc.setJobGroup(group, "measure the shuffle")
    try:
        action()
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)
    jsc = sc._jsc.sc()
    jsc.listenerBus().waitUntilEmpty()             # the status store is fed by the event listener
    stages = [stage for job in sc.statusTracker().getJobIdsForGroup(group)
              for stage in sc.statusTracker().getJobInfo(job).stageIds]
    return sum(jsc.statusStore().lastStageAttempt(stage).shuffleWriteBytes() for stage in stages)


def test_customer_totals_rdd_ships_one_partial_result_per_customer_and_partition(spark):
    per_customer = 6000
    rng = random.Random(5)      # varied amounts: the shuffle is compressed, so repeated values would hide it
    rows = [(i, name, "paid", rng.randint(1, 10**6) / 100, None)
            for name in ("ann", "bob", "cy") for i in range(per_customer)]
    orders = spark.sparkContext.parallelize(rows, 2)
    written = shuffle_bytes_written(spark, lambda: customer_totals_rdd(orders).collect())
    limit = 10_000     # 3 customers x 2 partitions of (count, total): a few hundred bytes
    assert 0 < written <= limit, (
        f"customer_totals_rdd(<RDD of 3 customers x {per_customer} paid orders, 2 partitions>) wrote "
        f"{written:,} bytes to the shuffle, expected at most {limit:,} (and a shuffle, to bring each "
        f"customer together). Combine on the map side (reduceByKey / aggregateByKey) so each partition "
        f"sends one (count, total) per customer; groupByKey sends all {3 * per_customer:,} amounts.")


# ---------------------------------------------------------------------------------------------
# the DataFrame plans: what the optimizer did
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parquet_orders(spark, tmp_path_factory):
    """The docstring's orders written as parquet: a file source, so pruning and pushdown show."""
    path = str(tmp_path_factory.mktemp("rdd_vs_dataframe") / "orders.parquet")
    orders_df(spark, EXAMPLE).coalesce(1).write.parquet(path)
    return lambda: spark.read.parquet(path)


def optimized_plan(df) -> str:
    return df._jdf.queryExecution().optimizedPlan().toString()


def physical_plan(df) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def scan_line(plan: str, called: str) -> str:
    scans = [line for line in plan.splitlines() if "FileScan parquet" in line]
    assert scans, (f"the physical plan of {called} reads no parquet file: the optimizer cannot see your "
                   f"source (built from an RDD or a Python object?):\n{plan}")
    return scans[0]


def test_customer_totals_df_reads_only_the_columns_it_uses(parquet_orders):
    called = "customer_totals_df(spark.read.parquet(...))"
    plan = physical_plan(customer_totals_df(parquet_orders()))
    schema = re.search(r"ReadSchema: struct<([^>]*)>", scan_line(plan, called))
    read = {field.split(":")[0] for field in schema.group(1).split(",")} if schema else set()
    want = {"customer", "status", "amount"}
    assert read == want, (f"{called} reads the columns {sorted(read)}, expected only {sorted(want)}: "
                          f"the optimizer prunes what the query never uses:\n{plan}")


def test_customer_totals_df_has_the_status_test_pushed_into_the_parquet_scan(parquet_orders):
    called = "customer_totals_df(spark.read.parquet(...))"
    plan = physical_plan(customer_totals_df(parquet_orders()))
    pushed = re.search(r"PushedFilters: \[([^\]]*)\]", scan_line(plan, called))
    assert pushed and "EqualTo(status,paid)" in pushed.group(1), (
        f"{called}: the parquet scan's PushedFilters are [{pushed.group(1) if pushed else ''}], expected "
        f"them to hold EqualTo(status,paid), so the reader skips what cannot match:\n{plan}")


def test_a_filter_on_your_result_is_moved_below_the_aggregation(parquet_orders):
    called = "customer_totals_df(spark.read.parquet(...)).where(customer == 'ann')"
    query = customer_totals_df(parquet_orders()).where(F.col("customer") == "ann")
    plan = optimized_plan(query)
    lines = plan.splitlines()
    aggregate = next((i for i, line in enumerate(lines) if "Aggregate" in line), None)
    ann_filter = next((i for i, line in enumerate(lines) if "Filter" in line and "= ann" in line), None)
    assert aggregate is not None and ann_filter is not None and ann_filter > aggregate, (
        f"optimized plan of {called}: expected a Filter on customer = ann BELOW the Aggregate (later in "
        f"the tree), so only ann's orders are aggregated; an RDD or a UDF hides the query from the "
        f"optimizer:\n{plan}")
    assert_frame_equals(query, [("ann", 3, 90.0, 30.0)], TOTALS_SCHEMA, called)


def test_top_customers_df_is_planned_as_a_top_n_not_a_full_sort(parquet_orders):
    called = "top_customers_df(spark.read.parquet(...), 2)"
    plan = physical_plan(top_customers_df(parquet_orders(), 2))
    assert "TakeOrderedAndProject(limit=2" in plan, (
        f"physical plan of {called}: expected TakeOrderedAndProject(limit=2, ...), the top-N that "
        f"orderBy + limit becomes (each partition keeps its best 2):\n{plan}")
