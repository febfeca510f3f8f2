"""Tests for the Spark SQL kata: run `pytest katas/day3/spark/test_spark_sql.py`.

The SQL version and the DataFrame version are each checked against a hand-computed report (ties,
NULLs, gaps, an unknown store on purpose), against each other and against plain Python on seeded
data. Row order matters: the report is ordered by store, then day.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from pyspark.sql import DataFrame, Row
from pyspark.testing import assertDataFrameEqual

from katas.day3.spark.spark_sql import (
    REPORT_SCHEMA,
    SALES_SCHEMA,
    SALES_VIEW,
    STORES_SCHEMA,
    STORES_VIEW,
    daily_report_df,
    daily_report_sql,
    register_views,
)

pytestmark = pytest.mark.needs("spark")


def d(day: int) -> date:
    return date(2024, 3, day)


SALES = [
    (1, "s1", d(1), 10.0), (2, "s1", d(1), 5.0),     # two sales on one day
    (3, "s1", d(2), 15.0),                           # the same day_total as the day before: a rank tie
    (4, "s1", d(4), None),                           # a gap (no 3rd), and a day of NULL amounts only
    (5, "s1", d(5), 20.0), (6, "s1", d(5), None),    # a NULL amount next to a real one
    (7, "s2", d(1), 7.5), (8, "s2", d(3), 7.5),      # a tie for first place
    (9, "s2", d(4), 2.0),
    (10, "s3", d(2), 4.0),                           # a store missing from stores
    (11, "s4", d(1), None), (12, "s4", d(2), 3.0),   # a store whose first day is all NULL
]
STORES = [("s1", "EU"), ("s2", "US"), ("s4", "APAC"), ("s5", "EU")]    # s5 has no sales

# store, region, day, day_total, running_total, prev_day_total, rank_in_store
REPORT = [
    ("s1", "EU", d(1), 15.0, 15.0, None, 2),
    ("s1", "EU", d(2), 15.0, 30.0, 15.0, 2),
    ("s1", "EU", d(4), None, 30.0, 15.0, 4),
    ("s1", "EU", d(5), 20.0, 50.0, None, 1),
    ("s2", "US", d(1), 7.5, 7.5, None, 1),
    ("s2", "US", d(3), 7.5, 15.0, 7.5, 1),
    ("s2", "US", d(4), 2.0, 17.0, 7.5, 3),
    ("s3", None, d(2), 4.0, 4.0, None, 1),
    ("s4", "APAC", d(1), None, None, None, 2),
    ("s4", "APAC", d(2), 3.0, 3.0, None, 1),
]

REPORT_COLUMNS = [field.split()[0] for field in REPORT_SCHEMA.split(",")]
WHAT_EACH_ROW_SHOWS = """
  s1 day 1 and 2: equal totals share rank 2; day 4: all amounts NULL, so day_total NULL, ranked last (4),
  running total unchanged; day 5: prev_day_total is day 4's NULL (the previous day WITH sales, not the 3rd)
  s2: a tie for first (1, 1, 3: RANK skips); s3: no row in stores, region NULL; s4: running total NULL
  until a non-NULL day; s5 has no sales and no row."""


def frames(spark, sales: list[tuple], stores: list[tuple]) -> tuple[DataFrame, DataFrame]:
    return spark.createDataFrame(sales, SALES_SCHEMA), spark.createDataFrame(stores, STORES_SCHEMA)


def as_views(spark, sales: list[tuple], stores: list[tuple]) -> None:
    """Registered here, not with your register_views, so the SQL test stands on its own."""
    sales_df, stores_df = frames(spark, sales, stores)
    sales_df.createOrReplaceTempView(SALES_VIEW)
    stores_df.createOrReplaceTempView(STORES_VIEW)


def assert_report(got, want: list[tuple], called: str, note: str = "") -> None:
    """Columns and types of REPORT_SCHEMA, and the rows in order (floats with a tolerance)."""
    assert isinstance(got, DataFrame), f"{called} returned {type(got).__name__}, expected a DataFrame"
    want_types = [tuple(field.strip().lower().split()) for field in REPORT_SCHEMA.split(",")]
    assert got.dtypes == want_types, f"{called} returned the columns {got.dtypes}, expected {want_types}"
    try:
        assertDataFrameEqual(got, [Row(**dict(zip(REPORT_COLUMNS, row))) for row in want], checkRowOrder=True)
    except AssertionError as exc:
        pytest.fail(f"{called} returned a report that differs from the expected one (in order):\n{exc}{note}")


def physical_plan(df: DataFrame) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def test_register_views_makes_both_tables_queryable_from_sql(spark):
    sales_df, stores_df = frames(spark, SALES, STORES)
    for view in (SALES_VIEW, STORES_VIEW):
        spark.catalog.dropTempView(view)
    register_views(sales_df, stores_df)
    temporary = {table.name for table in spark.catalog.listTables() if table.isTemporary}
    assert {SALES_VIEW, STORES_VIEW} <= temporary, (
        f"register_views(sales, stores) left the temporary views {sorted(temporary)}, expected "
        f"{SALES_VIEW!r} and {STORES_VIEW!r}")
    counts = spark.sql(f"SELECT (SELECT COUNT(*) FROM {SALES_VIEW}), (SELECT COUNT(*) FROM {STORES_VIEW})").first()
    assert tuple(counts) == (len(SALES), len(STORES)), (
        f"after register_views, the views hold {tuple(counts)} rows, expected {(len(SALES), len(STORES))}")


def test_daily_report_sql_gives_the_expected_report(spark):
    as_views(spark, SALES, STORES)
    assert_report(daily_report_sql(spark), REPORT, "daily_report_sql(spark) over the sales and stores views",
                  WHAT_EACH_ROW_SHOWS)


def test_daily_report_df_gives_the_expected_report(spark):
    assert_report(daily_report_df(*frames(spark, SALES, STORES)), REPORT, "daily_report_df(sales, stores)",
                  WHAT_EACH_ROW_SHOWS)


def test_both_versions_use_window_functions(spark):
    as_views(spark, SALES, STORES)
    for called, report in (("daily_report_sql(spark)", daily_report_sql(spark)),
                           ("daily_report_df(sales, stores)", daily_report_df(*frames(spark, SALES, STORES)))):
        plan = physical_plan(report)
        assert "Window" in plan, f"the plan of {called} has no Window node: use window functions (OVER):\n{plan}"


def seeded_sales(seed: int, count: int = 60) -> list[tuple]:
    """Few stores, few days and few distinct amounts, so ties, gaps and NULL days happen."""
    rng = random.Random(seed)
    stores = ["s1", "s2", "s3", "s4", "s9"]
    return [(i, rng.choice(stores), d(1) + timedelta(days=rng.randint(0, 9)),
             None if rng.random() < 0.2 else rng.choice([1.0, 2.5, 4.0, 7.5]))
            for i in range(count)]


def plain_python_report(sales: list[tuple], stores: list[tuple]) -> list[tuple]:
    """The slow obvious answer, straight from the docstring's rules."""
    region = dict(stores)
    amounts: dict[tuple[str, date], list] = {}
    for _, store, day, amount in sales:
        amounts.setdefault((store, day), []).append(amount)
    report = []
    for store in sorted({store for store, _ in amounts}):
        days = sorted(day for s, day in amounts if s == store)
        totals = [None if all(a is None for a in amounts[store, day])
                  else sum(a for a in amounts[store, day] if a is not None) for day in days]
        known = [t for t in totals if t is not None]
        running = None
        for i, (day, total) in enumerate(zip(days, totals)):
            if total is not None:
                running = (running or 0.0) + total
            rank = 1 + (sum(t > total for t in known) if total is not None else len(known))
            report.append((store, region.get(store), day, total, running, totals[i - 1] if i else None, rank))
    return report


@pytest.mark.parametrize("seed", [5, 21])
def test_sql_and_dataframe_versions_agree_with_plain_python_on_seeded_sales(spark, seed):
    sales = seeded_sales(seed)
    want = plain_python_report(sales, STORES)
    as_views(spark, sales, STORES)
    assert_report(daily_report_sql(spark), want, f"daily_report_sql(spark) over seeded_sales({seed})")
    assert_report(daily_report_df(*frames(spark, sales, STORES)), want,
                  f"daily_report_df(<seeded_sales({seed})>, stores)")
