"""Caching and partitioning: put the rows where the work needs them, and keep what is reused.

Interviewers ask "how do you optimise a slow Spark job?" and listen for the tools below, and for
when each one pays: a repartition costs a shuffle, a cache costs memory, a broadcast costs a copy of
a table on every executor, too many output files cost every later reader. Each function is one
tool; the tests look at what Spark really did (partition ids, folders on disk, the block manager,
the physical plan), not only at the rows.

    sales (store, region, amount)  ->  by_key(sales, "store", 4)          4 partitions, each store in one
                                       write_partitioned(sales, path, "region")
                                           path/region=EU/part-....parquet      one file per folder
                                           path/region=US/part-....parquet
                                           path/region=__HIVE_DEFAULT_PARTITION__/...  (NULL region)
                                       persisted(sales, StorageLevel.DISK_ONLY)  cached now, on disk
                                       enrich(sales, stores, "store")       BroadcastHashJoin
                                       compact(sales, 1)                    1 partition, no shuffle

Requirements
- `by_key(df, key, partitions)`: the same rows in exactly `partitions` partitions, all rows with the
  same value of `key` in the same partition (NULL keys too). Tests check it with
  `spark_partition_id()`.
- `write_partitioned(df, path, column)`: write df as parquet under `path` (replacing whatever is
  there), one folder per value of `column` named `column=value` (NULL goes to
  `column=__HIVE_DEFAULT_PARTITION__`), and exactly ONE data file per folder whatever the partitioning
  of df: without care every task writes its own file into every folder (the small-files problem).
  The partition column lives in the folder names, not inside the files; reading `path` back gives
  the same rows (with `column` as the last column).
- `persisted(df, level)`: df persisted with that exact StorageLevel (`df.storageLevel == level`) and
  already materialised when it returns: every partition is in the block manager, so the first
  reuse does not pay for the computation. Returns the DataFrame to reuse (its plans then read
  InMemoryTableScan).
- `enrich(facts, dims, key)`: every row of facts with the columns of dims added (dims has one row
  per key and is small): a left join, so a fact whose key is missing from dims, or NULL, keeps its
  row with NULLs. The join must broadcast dims whatever Spark's size estimates say: the tests switch
  automatic broadcasting off (spark.sql.autoBroadcastJoinThreshold = -1) and look for
  BroadcastHashJoin in the physical plan.
- `compact(df, partitions)`: the same rows in at most `partitions` partitions, without a shuffle (no
  Exchange in the plan). Asking for more partitions than df has keeps the count df has.
"""
from __future__ import annotations

from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def by_key(df: DataFrame, key: str, partitions: int) -> DataFrame:
    """Hash-partition by key: every row of one key lands in the same one of `partitions` partitions."""
    raise NotImplementedError("TODO: repartition by the key column into `partitions` partitions")


def write_partitioned(df: DataFrame, path: str, column: str) -> None:
    """Parquet under path, one column=value folder per value, one file per folder."""
    raise NotImplementedError("TODO: bring each value into one task, then write with partitionBy(column)")


def persisted(df: DataFrame, level: StorageLevel) -> DataFrame:
    """df persisted at `level` and filled now by one action, ready to be reused."""
    raise NotImplementedError("TODO: persist at the level, then run one action so every partition is stored")


def enrich(facts: DataFrame, dims: DataFrame, key: str) -> DataFrame:
    """facts left-joined to the small dims table on key, dims broadcast to every executor."""
    raise NotImplementedError("TODO: a left join on key with a broadcast hint on the small side")


def compact(df: DataFrame, partitions: int) -> DataFrame:
    """At most `partitions` partitions, neighbouring partitions merged without a shuffle."""
    raise NotImplementedError("TODO: fewer partitions without a shuffle")
