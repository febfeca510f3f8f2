"""Tests for the Spark partitioning kata: run `pytest katas/mock/tools/test_spark_partitioning.py`.

The tests look at what Spark did: rows per partition (checked against glom()), the physical plans
(Exchange, SortMergeJoin(skew=true)), and the session settings before and after. Every setting a
test changes is put back by the `settings` fixture, whatever your code does.
"""
from __future__ import annotations

import statistics

import pytest
from pyspark.sql import DataFrame
from pyspark.testing import assertDataFrameEqual

from katas.mock.tools.spark_partitioning import aqe_skew_join, partition_sizes, resize, salted_join

pytestmark = pytest.mark.needs("spark")

FACTS_SCHEMA = "id INT, key STRING, qty INT"
DIMS_SCHEMA = "key STRING, name STRING"
HOT_ROWS = 240
COLD_KEYS = 6
SALTS = 64
SHUFFLE_PARTITIONS = 4
AQE_SETTINGS = (
    "spark.sql.adaptive.enabled",
    "spark.sql.adaptive.skewJoin.enabled",
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes",
    "spark.sql.autoBroadcastJoinThreshold",
)


@pytest.fixture
def settings(spark):
    """Set session settings for one test; every one of them (and the AQE ones) is restored after."""
    watched = set(AQE_SETTINGS) | {"spark.sql.shuffle.partitions"}
    saved = {name: spark.conf.get(name) for name in watched}

    def apply(**values: str) -> None:
        for name, value in values.items():
            spark.conf.set(name, value)

    yield apply
    for name, value in saved.items():
        spark.conf.set(name, value)


@pytest.fixture
def plain_shuffle_joins(spark, settings):
    """No broadcast, no AQE, 4 shuffle partitions: a join's output partitions are its hash partitions."""
    settings(**{"spark.sql.autoBroadcastJoinThreshold": "-1", "spark.sql.adaptive.enabled": "false",
                "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS)})


def skewed_facts(spark) -> DataFrame:
    """240 rows of key 'hot' and 10 rows for each of k0..k5, in 3 partitions."""
    hot = [(i, "hot", i % 7) for i in range(HOT_ROWS)]
    cold = [(1000 + i, f"k{i % COLD_KEYS}", i) for i in range(10 * COLD_KEYS)]
    return spark.createDataFrame(hot + cold, FACTS_SCHEMA).repartition(3)


def dims(spark) -> DataFrame:
    """One row per key, plus a key no fact has (an inner join drops it)."""
    rows = [("hot", "H")] + [(f"k{i}", f"N{i}") for i in range(COLD_KEYS)] + [("lonely", "L")]
    return spark.createDataFrame(rows, DIMS_SCHEMA)


def physical_plan(df: DataFrame) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def glom_sizes(df: DataFrame) -> list[int]:
    """The slow obvious answer: ship every partition to the driver and count it."""
    return df.rdd.glom().map(len).collect()


# ---------------------------------------------------------------------------------------------
# partition_sizes: the measuring tool
# ---------------------------------------------------------------------------------------------

SIZE_CASES = {
    "three round-robin partitions": lambda spark: spark.range(10).repartition(3),
    "one key hashed into 4 partitions: three of them are empty and count as 0":
        lambda spark: spark.createDataFrame([("a", i) for i in range(9)], "k STRING, v INT").repartition(4, "k"),
    "an empty DataFrame in 2 partitions": lambda spark: spark.range(0).repartition(2),
    "the skewed facts in 3 partitions": skewed_facts,
}


@pytest.mark.parametrize("make", SIZE_CASES.values(), ids=SIZE_CASES.keys())
def test_partition_sizes_counts_every_partition_including_the_empty_ones(spark, make):
    df = make(spark)
    got, want = partition_sizes(df), glom_sizes(df)
    assert got == want, (f"partition_sizes(<DataFrame in {df.rdd.getNumPartitions()} partitions>) returned "
                         f"{got}, expected {want} (one entry per partition, in order, empty ones as 0)")


# ---------------------------------------------------------------------------------------------
# salting
# ---------------------------------------------------------------------------------------------

def test_the_plain_join_is_skewed_so_salting_has_something_to_fix(spark, plain_shuffle_joins):
    sizes = partition_sizes(skewed_facts(spark).join(dims(spark), "key"))
    assert max(sizes) > 2 * statistics.median(sizes), (
        f"partition_sizes(facts.join(dims, 'key')) returned {sizes}: expected the hot key to make one "
        f"partition more than 2x the median")


def test_salted_join_returns_the_rows_and_columns_of_the_plain_join(spark, plain_shuffle_joins):
    facts, small = skewed_facts(spark), dims(spark)
    got = salted_join(facts, small, "key", SALTS)
    want = facts.join(small, "key")
    assert got.columns == want.columns, (f"salted_join(facts, dims, 'key', {SALTS}) has the columns "
                                         f"{got.columns}, expected {want.columns} (no salt column left)")
    try:
        assertDataFrameEqual(got, want)
    except AssertionError as exc:
        pytest.fail(f"salted_join(facts, dims, 'key', {SALTS}) returned rows that differ from "
                    f"facts.join(dims, 'key') (every fact must meet its dims row exactly once):\n{exc}")


def test_salted_join_spreads_the_hot_key_so_no_partition_exceeds_twice_the_median(spark, plain_shuffle_joins):
    sizes = partition_sizes(salted_join(skewed_facts(spark), dims(spark), "key", SALTS))
    ratio = max(sizes) / statistics.median(sizes) if statistics.median(sizes) else float("inf")
    assert sum(sizes) == HOT_ROWS + 10 * COLD_KEYS and ratio <= 2, (
        f"salted_join(facts, dims, 'key', {SALTS}) with {SHUFFLE_PARTITIONS} shuffle partitions gave the "
        f"partition sizes {sizes} (largest / median = {ratio:.2f}), expected {HOT_ROWS + 10 * COLD_KEYS} "
        f"rows with the largest at most 2x the median: salt every fact row, replicate dims per salt, "
        f"join on (key, salt)")


def test_salted_join_with_one_salt_is_the_plain_join(spark, plain_shuffle_joins):
    facts, small = skewed_facts(spark), dims(spark)
    try:
        assertDataFrameEqual(salted_join(facts, small, "key", 1), facts.join(small, "key"))
    except AssertionError as exc:
        pytest.fail(f"salted_join(facts, dims, 'key', 1) differs from facts.join(dims, 'key'):\n{exc}")


# ---------------------------------------------------------------------------------------------
# AQE's skew join, and the settings put back
# ---------------------------------------------------------------------------------------------

def test_inside_aqe_skew_join_the_final_plan_splits_the_skewed_partition(spark, settings):
    settings(**{"spark.sql.adaptive.enabled": "false", "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS)})
    facts, small = skewed_facts(spark), dims(spark)
    with aqe_skew_join(spark, 100):
        joined = facts.join(small, "key")
        rows = joined.collect()
        plan = physical_plan(joined)
    assert len(rows) == HOT_ROWS + 10 * COLD_KEYS, f"the join inside aqe_skew_join returned {len(rows)} rows"
    assert "isFinalPlan=true" in plan and "SortMergeJoin(skew=true)" in plan, (
        f"facts.join(dims, 'key') run inside aqe_skew_join(spark, 100): expected the final adaptive plan "
        f"to hold SortMergeJoin(skew=true) (AQE on, skew join on, thresholds of 100 bytes, no "
        f"broadcast), got:\n{plan}")


def test_aqe_skew_join_puts_every_setting_back_on_exit(spark, settings):
    before = {"spark.sql.adaptive.enabled": "false", "spark.sql.adaptive.skewJoin.enabled": "false",
              "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes": "123456",
              "spark.sql.adaptive.advisoryPartitionSizeInBytes": "654321",
              "spark.sql.autoBroadcastJoinThreshold": "4242"}
    settings(**before)
    with aqe_skew_join(spark, 100):
        inside = {name: spark.conf.get(name) for name in before}
    after = {name: spark.conf.get(name) for name in before}
    assert inside["spark.sql.autoBroadcastJoinThreshold"] == "-1", (
        f"inside aqe_skew_join the settings were {inside}: expected autoBroadcastJoinThreshold -1")
    assert after == before, f"after aqe_skew_join(spark, 100) the settings were {after}, expected {before}"


def test_aqe_skew_join_puts_the_settings_back_when_the_body_raises(spark, settings):
    settings(**{"spark.sql.adaptive.enabled": "false", "spark.sql.autoBroadcastJoinThreshold": "4242"})
    with pytest.raises(RuntimeError, match="the body failed"):
        with aqe_skew_join(spark, 100):
            raise RuntimeError("the body failed")
    after = (spark.conf.get("spark.sql.adaptive.enabled"), spark.conf.get("spark.sql.autoBroadcastJoinThreshold"))
    assert after == ("false", "4242"), (
        f"after an exception inside aqe_skew_join, (adaptive.enabled, autoBroadcastJoinThreshold) were "
        f"{after}, expected ('false', '4242'): restore in a finally")


# ---------------------------------------------------------------------------------------------
# coalesce vs repartition
# ---------------------------------------------------------------------------------------------

# name -> (partitions of the input, partitions asked for, whether a shuffle is expected)
RESIZE_CASES = {
    "shrinking 6 to 2 merges partitions without a shuffle": (6, 2, False),
    "shrinking to 1 partition without a shuffle": (6, 1, False),
    "growing 2 to 6 needs a shuffle": (2, 6, True),
    "the same count keeps the partitioning": (3, 3, False),
}


@pytest.mark.parametrize("start,asked,shuffles", RESIZE_CASES.values(), ids=RESIZE_CASES.keys())
def test_resize_gives_the_count_asked_for_and_shuffles_only_to_grow(spark, settings, start, asked, shuffles):
    settings(**{"spark.sql.adaptive.enabled": "false"})     # one plain physical plan to read
    df = spark.range(0, 60, 1, numPartitions=start)        # no shuffle in df's own plan
    got = resize(df, asked)
    called = f"resize(<60 rows in {start} partitions>, {asked})"
    count = got.rdd.getNumPartitions()
    assert count == asked, f"{called} has {count} partitions, expected {asked}"
    exchanges = physical_plan(got).count("Exchange")
    assert (exchanges > 0) == shuffles, (
        f"{called} added {exchanges} Exchange(s) to the plan, expected {'a shuffle' if shuffles else 'none'}"
        f" (coalesce merges partitions in place; only repartition can grow):\n{physical_plan(got)}")
    assert sorted(r.id for r in got.collect()) == list(range(60)), f"{called} lost or duplicated rows"


def test_resize_to_grow_gives_partitions_of_near_equal_size(spark):
    df = spark.range(0, 61, 1, numPartitions=1)
    sizes = glom_sizes(resize(df, 6))
    assert sum(sizes) == 61 and max(sizes) - min(sizes) <= 1, (
        f"resize(<61 rows in 1 partition>, 6) gave partitions of {sizes} rows, expected sizes that differ by "
        f"at most one (a round-robin repartition, not a hash of some column)")
