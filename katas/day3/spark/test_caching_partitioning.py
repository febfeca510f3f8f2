"""Tests for the caching-and-partitioning kata: run `pytest katas/day3/spark/test_caching_partitioning.py`.

Each test looks at what Spark did, not only at the rows: partition ids (spark_partition_id), the
folders and files on disk, the block manager's storage info, and the physical plan.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from katas.day3.spark.caching_partitioning import by_key, compact, enrich, persisted, write_partitioned

pytestmark = pytest.mark.needs("spark")

SALES_SCHEMA = "sale_id BIGINT, store STRING, region STRING, amount DOUBLE"
STORES = ["s1", "s2", "s3", "s4", "s5", "s6", None]
REGIONS = {"s1": "EU", "s2": "EU", "s3": "US", "s4": "US", "s5": "APAC", "s6": None, None: "EU"}


def sales_rows(count: int = 42) -> list[tuple]:
    """Stores and regions interleaved (so every partition holds several of each), NULLs included."""
    return [(i, STORES[i % len(STORES)], REGIONS[STORES[i % len(STORES)]], float(i % 9) + 0.5)
            for i in range(count)]


@pytest.fixture
def sales(spark) -> DataFrame:
    """42 sales in 3 round-robin partitions: each store and region spread over all of them."""
    return spark.createDataFrame(sales_rows(), SALES_SCHEMA).repartition(3)


def physical_plan(df: DataFrame) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def assert_same_rows(got: DataFrame, want: DataFrame, called: str) -> None:
    try:
        assertDataFrameEqual(got, want)
    except AssertionError as exc:
        pytest.fail(f"{called} changed the rows:\n{exc}")


# ---------------------------------------------------------------------------------------------
# by_key: hash partitioning
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("partitions", [4, 1])
def test_by_key_puts_each_store_in_exactly_one_of_n_partitions(spark, sales, partitions):
    called = f"by_key(sales, 'store', {partitions})"
    got = by_key(sales, "store", partitions)
    count = got.rdd.getNumPartitions()
    assert count == partitions, f"{called} has {count} partitions, expected {partitions}"
    placed = got.withColumn("pid", F.spark_partition_id()).groupBy("store").agg(
        F.collect_set("pid").alias("partitions"), F.count("*").alias("rows"))
    spread = {row["store"]: sorted(row["partitions"]) for row in placed.collect() if len(row["partitions"]) != 1}
    assert not spread, (f"{called}: these stores are split over several partitions {spread}; hash-partition "
                        f"by the key (repartition(n, key)), round-robin scatters a key everywhere")
    assert_same_rows(got, sales, called)


# ---------------------------------------------------------------------------------------------
# write_partitioned: folder layout on disk
# ---------------------------------------------------------------------------------------------

def data_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".parquet"))


def test_write_partitioned_makes_one_folder_per_region_with_one_file_each(spark, sales, tmp_path):
    path = tmp_path / "sales"
    called = f"write_partitioned(<sales in 3 partitions>, {str(path)!r}, 'region')"
    write_partitioned(sales, str(path), "region")
    folders = sorted(p.name for p in path.iterdir() if p.is_dir())
    want = sorted(["region=APAC", "region=EU", "region=US", "region=__HIVE_DEFAULT_PARTITION__"])
    assert folders == want, f"{called} made the folders {folders}, expected {want} (a NULL region has its own)"
    files = {folder: data_files(path / folder) for folder in folders}
    crowded = {folder: names for folder, names in files.items() if len(names) != 1}
    assert not crowded, (f"{called}: folders with other than one data file: {crowded}. Each write task writes "
                         f"a file into every folder it has rows for: repartition by the column before writing")
    inside = pq.read_schema(path / "region=EU" / files["region=EU"][0]).names
    assert "region" not in inside, f"{called}: the files hold the columns {inside}; region belongs in the folder name"
    plan = physical_plan(spark.read.parquet(str(path)).where(F.col("region") == "US"))
    pruned = next((line for line in plan.splitlines() if "PartitionFilters: [" in line), "")
    assert "= US)" in pruned.split("PartitionFilters: [")[-1].split("]")[0], (
        f"after {called}, reading region = 'US' should open one folder (a PartitionFilter in the scan):\n{plan}")


def test_write_partitioned_reads_back_as_the_same_rows_and_replaces_an_old_write(spark, sales, tmp_path):
    path = tmp_path / "sales"
    called = f"write_partitioned(sales, {str(path)!r}, 'region')"
    write_partitioned(sales.limit(5), str(path), "region")
    write_partitioned(sales, str(path), "region")
    back = spark.read.parquet(str(path))
    want_columns = ["sale_id", "store", "amount", "region"]
    assert back.columns == want_columns, f"reading back {called} gives {back.columns}, expected {want_columns}"
    assert_same_rows(back, sales.select(*want_columns), f"{called} twice, then spark.read.parquet(path)")


# ---------------------------------------------------------------------------------------------
# persisted: storage level and materialisation
# ---------------------------------------------------------------------------------------------

def cached_partitions(spark) -> dict[int, tuple[int, int]]:
    """RDD id -> (cached partitions, partitions) for everything the block manager holds."""
    infos = spark.sparkContext._jsc.sc().getRDDStorageInfo()
    return {info.id(): (info.numCachedPartitions(), info.numPartitions()) for info in infos}


LEVELS = {
    "DISK_ONLY": StorageLevel.DISK_ONLY,
    "MEMORY_ONLY": StorageLevel.MEMORY_ONLY,
    "MEMORY_AND_DISK_2 (replicated)": StorageLevel.MEMORY_AND_DISK_2,
}


@pytest.mark.parametrize("level", LEVELS.values(), ids=LEVELS.keys())
def test_persisted_uses_the_level_asked_for_and_is_filled_before_it_returns(spark, level):
    source = spark.createDataFrame(sales_rows(), SALES_SCHEMA).repartition(3)
    before = cached_partitions(spark)
    called = f"persisted(<sales in 3 partitions>, {level!r})"
    got = persisted(source, level)
    try:
        assert got.storageLevel == level, f"{called}.storageLevel is {got.storageLevel!r}, expected {level!r}"
        new = {rdd: counts for rdd, counts in cached_partitions(spark).items() if rdd not in before}
        assert new and all(cached == total > 0 for cached, total in new.values()), (
            f"{called}: the block manager holds {new or 'nothing new'} as (cached, total) partitions; "
            f"persist is lazy, so run one action before returning to fill every partition")
        plan = physical_plan(got.groupBy("store").count())
        assert "InMemoryTableScan" in plan, f"a query on {called} does not read the cache:\n{plan}"
    finally:
        got.unpersist(blocking=True)
        source.unpersist(blocking=True)


# ---------------------------------------------------------------------------------------------
# enrich: a broadcast join
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def no_auto_broadcast(spark):
    """Spark would broadcast these tiny tables on its own; switch that off for the test."""
    key = "spark.sql.autoBroadcastJoinThreshold"
    old = spark.conf.get(key)
    spark.conf.set(key, "-1")
    yield
    spark.conf.set(key, old)


FACTS = [(1, "s1", 10.0), (2, "s2", 20.0), (3, "s9", 30.0), (4, None, 40.0), (5, "s1", 50.0)]
DIMS = [("s1", "Lyon", "EU"), ("s2", "Oslo", "EU"), ("s3", "Reno", "US")]
ENRICHED = [(1, "s1", 10.0, "Lyon", "EU"), (2, "s2", 20.0, "Oslo", "EU"), (3, "s9", 30.0, None, None),
            (4, None, 40.0, None, None), (5, "s1", 50.0, "Lyon", "EU")]


def test_enrich_keeps_every_fact_and_broadcasts_the_small_table(spark, no_auto_broadcast):
    facts = spark.createDataFrame(FACTS, "sale_id BIGINT, store STRING, amount DOUBLE")
    dims = spark.createDataFrame(DIMS, "store STRING, city STRING, region STRING")
    called = "enrich(facts, stores, 'store') with spark.sql.autoBroadcastJoinThreshold=-1"
    got = enrich(facts, dims, "store")
    plan = physical_plan(got)
    assert "BroadcastHashJoin" in plan, (
        f"{called}: no BroadcastHashJoin in the physical plan; ask for it with a broadcast hint on the "
        f"small side (for a left join, the right side):\n{plan}")
    want = spark.createDataFrame(ENRICHED, "sale_id BIGINT, store STRING, amount DOUBLE, city STRING, region STRING")
    try:
        assertDataFrameEqual(got.select(*want.columns), want)
    except AssertionError as exc:
        pytest.fail(f"{called}: every fact must keep its row (unknown and NULL stores get NULL city/region):\n{exc}")


# ---------------------------------------------------------------------------------------------
# compact: coalesce
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("asked,want", [(3, 3), (1, 1), (20, 8)], ids=["8 to 3", "8 to 1", "20 asked, 8 kept"])
def test_compact_merges_partitions_without_a_shuffle(spark, asked, want):
    source = spark.range(0, 40, 1, numPartitions=8).withColumn("amount", F.col("id") * 0.5)
    called = f"compact(<40 rows in 8 partitions>, {asked})"
    got = compact(source, asked)
    count = got.rdd.getNumPartitions()
    assert count == want, f"{called} has {count} partitions, expected {want}"
    plan = physical_plan(got)
    assert "Exchange" not in plan, (f"{called}: the plan shuffles (Exchange); coalesce merges neighbouring "
                                    f"partitions without one:\n{plan}")
    assert_same_rows(got, source, called)
