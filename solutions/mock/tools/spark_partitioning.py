"""Partitioning in Spark: measure skew, salt a skewed join, let AQE split it, and resize on purpose.

The day kata day3.spark.caching_partitioning covers the tools (repartition by key, partitionBy,
persist, broadcast, coalesce). The interviewer's next question is "one customer has 80% of the
orders and the join's last task runs for an hour: what do you do?". The answer has three parts:
see the skew (rows per partition), fix it by hand (salting), or let Adaptive Query Execution split
the skewed partition at run time; plus knowing when a resize shuffles and when it does not.

    facts (id, key, qty): 240 rows with key 'hot', 10 rows each for k0..k5     dims (key, name)
    facts.join(dims, "key") with 4 shuffle partitions:  partition_sizes -> [0, 20, 30, 250]
    salted_join(facts, dims, "key", salts=64)           partition_sizes -> [61, 74, 76, 89]
    (with 16 salts it was [25, 57, 60, 158]: too few sub-keys for the hash to spread evenly)
    with aqe_skew_join(spark, 100): facts.join(dims, "key").collect()
        executed plan: AdaptiveSparkPlan isFinalPlan=true ... SortMergeJoin(skew=true)
    resize(df_in_6_partitions, 2)   2 partitions, no Exchange (coalesce)
    resize(df_in_2_partitions, 6)   6 partitions of near-equal size (a round-robin shuffle)

Requirements
- `partition_sizes(df)`: the number of rows in every partition of df, in partition order, one entry
  per partition (df.rdd.getNumPartitions() entries), EMPTY PARTITIONS AS 0. Use
  `F.spark_partition_id()` so Spark counts (no collecting rows to the driver).
- `salted_join(facts, dims, key, salts)`: the rows and columns of `facts.join(dims, key)` (an inner
  equi-join on the column `key`; dims has one row per key; columns: key, then the other columns of
  facts, then those of dims; no helper column left over), computed so that each key's rows are
  spread over `salts` sub-keys: give every fact row a salt, an INT in 0..salts-1, replicate every
  dims row once per salt, and join on (key, salt). The tests switch broadcasting and AQE off and
  use 4 shuffle partitions: the largest partition of your result must hold at most 2x the median.
  (The (key, salt) pairs are hashed into the partitions, so use many more salts than partitions.)
- `aqe_skew_join(spark, skewed_partition_bytes)`: a context manager. Inside it, a plain
  `facts.join(dims, key)` is split by AQE: set spark.sql.adaptive.enabled and
  spark.sql.adaptive.skewJoin.enabled to true,
  spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes and
  spark.sql.adaptive.advisoryPartitionSizeInBytes to `skewed_partition_bytes`, and
  spark.sql.autoBroadcastJoinThreshold to -1 (a broadcast join has no shuffle to split). On exit,
  even when the body raised, every one of these five settings has its previous value again.
- `resize(df, partitions)`: the same rows in exactly `partitions` partitions. Fewer than df has:
  without a shuffle (no Exchange in the physical plan). More than df has: with a round-robin shuffle,
  so the new partitions differ in size by at most one row. The same number: df's partitioning kept,
  no shuffle.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

SALT = "salt"


def partition_sizes(df: DataFrame) -> list[int]:
    """Rows per partition, in order, with the empty partitions as 0."""
    counted = df.groupBy(F.spark_partition_id().alias("partition")).count().collect()
    by_partition = {row["partition"]: row["count"] for row in counted}
    return [by_partition.get(index, 0) for index in range(df.rdd.getNumPartitions())]


def salted_join(facts: DataFrame, dims: DataFrame, key: str, salts: int) -> DataFrame:
    """facts.join(dims, key), with each key spread over `salts` (key, salt) pairs."""
    salted_facts = facts.withColumn(SALT, F.pmod(F.xxhash64(*facts.columns), F.lit(salts)).cast("int"))
    every_salt = F.explode(F.sequence(F.lit(0), F.lit(salts - 1)))
    replicated_dims = dims.withColumn(SALT, every_salt)
    return salted_facts.join(replicated_dims, [key, SALT]).drop(SALT)


SKEW_SETTINGS = (
    "spark.sql.adaptive.enabled",
    "spark.sql.adaptive.skewJoin.enabled",
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes",
    "spark.sql.adaptive.advisoryPartitionSizeInBytes",
    "spark.sql.autoBroadcastJoinThreshold",
)


@contextmanager
def aqe_skew_join(spark: SparkSession, skewed_partition_bytes: int) -> Iterator[None]:
    """AQE with skew-join splitting and no broadcast inside; the previous settings restored after."""
    wanted = dict(zip(SKEW_SETTINGS, ("true", "true", str(skewed_partition_bytes),
                                      str(skewed_partition_bytes), "-1")))
    previous = {name: spark.conf.get(name) for name in SKEW_SETTINGS}
    try:
        for name, value in wanted.items():
            spark.conf.set(name, value)
        yield
    finally:
        for name, value in previous.items():
            spark.conf.set(name, value)


def resize(df: DataFrame, partitions: int) -> DataFrame:
    """Exactly `partitions` partitions: coalesce to shrink (no shuffle), repartition to grow."""
    current = df.rdd.getNumPartitions()
    if partitions < current:
        return df.coalesce(partitions)
    if partitions > current:
        return df.repartition(partitions)
    return df


# Why
# - Skew is a partition-size problem, so measure partition sizes: groupBy(spark_partition_id())
#   counts inside Spark, but a partition with no rows has no group, so fill the zeros from
#   getNumPartitions(); the empty partitions are half the story of a skewed shuffle.
# - Salting turns one hot key into `salts` keys: the big side gets a salt per row, the small side
#   is replicated once per salt (salts x its size), and the join key becomes (key, salt). The cost:
#   a bigger small side and a second aggregation if you aggregate per key afterwards. The pairs are
#   hashed into partitions, so with salts close to the partition count the hash lottery can still
#   stack several hot sub-keys in one partition; salts >> partitions evens it out.
# - The salt here is a hash of the row (xxhash64 of every column), not rand(): deterministic on a
#   retry, so a recomputed partition gets the same salts (rand() without care can duplicate or lose
#   rows when a task is re-run against a differently ordered input).
# - AQE (Spark 3+) does it for you when the join is a sort-merge join: at run time it sees a
#   shuffle partition > skewedPartitionFactor x median and > skewedPartitionThresholdInBytes, splits
#   it into advisory-size pieces and replicates the matching side: the final plan says
#   SortMergeJoin(skew=true) and AQEShuffleRead ... skewed. A broadcast join needs none of it.
# - Session settings are global state: set them in a try/finally (or a context manager) and put
#   back what was there, or the next query in the same session silently changes plan.
# - coalesce(n) merges neighbouring partitions without a shuffle (cheap, but uneven, and it can cut
#   the parallelism of the whole upstream stage); repartition(n) is a round-robin shuffle that gives
#   equal partitions; repartition(n, key) hashes by key (and keeps a hot key together).
