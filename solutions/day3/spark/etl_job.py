"""A PySpark ETL job: raw CSV in, cleaned Parquet out, partitioned by date, safe to rerun.

Interviewers ask for "a PySpark ETL job" to see whether you write a job or a notebook: types
declared instead of guessed, bad rows handled on purpose, output laid out for its readers
(partitioned by the column they filter on), and a rerun that replaces its own data instead of
duplicating it or wiping everything else. The same code must run unchanged on a laptop
(`local[2]`) and on a cluster (`spark-submit --master spark://...`): everything goes through
`spark`, `src` and `dst`, and no row is brought to the driver.

    src (raw CSV with a header line):
        transaction_id,user_id,amount,currency,status,ts
        1, 17 ,19.90,usd,Completed,2024-05-01T09:15:00
        2,40,ten,USD,completed,2024-05-01T10:00:00          <- rejected: amount is not a number
        3,40,5.00,EUR,pending,2024-05-02T23:59:59

    run(spark, src, dst)      # EtlStats(rows_read=3, rows_rejected=1, rows_written=2)

    dst/
        _SUCCESS
        date=2024-05-01/part-...parquet      1 | 17 | 19.90 | USD | completed | 2024-05-01 09:15:00
        date=2024-05-02/part-...parquet      3 | 40 |  5.00 | EUR | pending   | 2024-05-02 23:59:59

Requirements
- Read `src` (one CSV file or a folder of them, each with a header line) with the explicit schema
  RAW_SCHEMA: every column as text. No inferSchema: it costs an extra pass over the data and
  guesses types from whatever the files happen to hold.
- Clean every row. Every field is trimmed of surrounding spaces; an empty field is missing.
      transaction_id, user_id   a whole number                      -> bigint
      amount                    a decimal number ("7.5", "-3.10")   -> decimal(12,2)
      currency                  three letters, stored upper case    -> "usd" becomes "USD"
      status                    one of STATUSES in any case, stored lower case
      ts                        'YYYY-MM-DDTHH:MM:SS', a real calendar time -> timestamp
                                (in the session time zone; "2024-05-01 10:00:00" with a space
                                and "2024-02-30T10:00:00" are rejected)
      date                      the calendar date of ts -> date, the partition column
  A row with any field missing or breaking its rule is rejected: left out of the output and
  counted. A bad row must never fail the job: Spark 4 runs with ANSI SQL on, where a plain `cast`
  or `to_timestamp` of bad text raises an error; `try_cast` and `try_to_timestamp` give NULL.
- Rows that are identical after cleaning are written once (an export delivered twice), so
  "1.0,usd,Completed" and "1.00,USD,completed" of the same transaction count as one row.
- Write Parquet to `dst` with the columns of CLEAN_SCHEMA, partitioned by `date` (folders
  `date=YYYY-MM-DD`, so the files themselves hold no date column), one file per date folder:
  repartition by date before writing, or each task writes its own small file into every date it
  touches, and small files slow down every reader.
- A rerun on an existing `dst` replaces exactly the date folders its input has clean rows for and
  leaves every other date folder untouched (dynamic partition overwrite). Not append (a rerun
  would duplicate rows), not a plain overwrite (it deletes every other date). Set the mode on the
  write itself, `.option("partitionOverwriteMode", "dynamic")`, never on the shared session: a
  global `spark.sql.sources.partitionOverwriteMode` changes what every other job's overwrite does.
  The session's configuration is the same after `run` as before.
- Return EtlStats(rows_read, rows_rejected, rows_written): records read from src, rows rejected,
  rows written (after removing duplicates). Count on the executors (a Spark action, or
  `DataFrame.observe`, which counts during the write itself); never collect the rows.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Observation, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    DateType,
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

RAW_COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "ts")
RAW_SCHEMA = StructType([StructField(name, StringType()) for name in RAW_COLUMNS])
CLEAN_SCHEMA = StructType([
    StructField("transaction_id", LongType()),
    StructField("user_id", LongType()),
    StructField("amount", DecimalType(12, 2)),
    StructField("currency", StringType()),
    StructField("status", StringType()),
    StructField("ts", TimestampType()),
    StructField("date", DateType()),
])
STATUSES = ("completed", "failed", "pending")
TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss"


@dataclass(frozen=True)
class EtlStats:
    rows_read: int
    rows_rejected: int
    rows_written: int


def read_raw(spark: SparkSession, src: str | os.PathLike) -> DataFrame:
    """The raw CSV with every column as text."""
    return spark.read.csv(str(src), header=True, schema=RAW_SCHEMA)


def _text(name: str) -> Column:
    """The field trimmed; an empty field becomes NULL."""
    trimmed = F.trim(F.col(name))
    return F.when(trimmed != "", trimmed)


def clean(raw: DataFrame) -> DataFrame:
    """CLEAN_SCHEMA's columns, NULL where a field is missing or bad, plus a boolean `valid`."""
    currency = F.upper(_text("currency"))
    status = F.lower(_text("status"))
    ts = F.try_to_timestamp(_text("ts"), F.lit(TS_FORMAT))
    typed = raw.select(
        _text("transaction_id").try_cast("bigint").alias("transaction_id"),
        _text("user_id").try_cast("bigint").alias("user_id"),
        _text("amount").try_cast(DecimalType(12, 2)).alias("amount"),
        F.when(currency.rlike("^[A-Z]{3}$"), currency).alias("currency"),
        F.when(status.isin(*STATUSES), status).alias("status"),
        ts.alias("ts"),
        F.to_date(ts).alias("date"),
    )
    valid = F.lit(True)
    for field in CLEAN_SCHEMA.fields:
        valid = valid & F.col(field.name).isNotNull()
    return typed.withColumn("valid", valid)


def write_partitioned(clean_rows: DataFrame, dst: str | os.PathLike) -> None:
    """Parquet partitioned by date; a rerun replaces only the dates it writes."""
    (clean_rows.repartition("date")
     .write.mode("overwrite")
     .option("partitionOverwriteMode", "dynamic")
     .partitionBy("date")
     .parquet(str(dst)))


def run(spark: SparkSession, src: str | os.PathLike, dst: str | os.PathLike) -> EtlStats:
    """Read src, clean it, write dst partitioned by date; returns the counts."""
    read, written = Observation("read"), Observation("written")
    checked = clean(read_raw(spark, src)).observe(
        read, F.count(F.lit(1)).alias("rows"), F.count(F.when(~F.col("valid"), 1)).alias("rejected"))
    good = checked.where("valid").select(*CLEAN_SCHEMA.fieldNames()).dropDuplicates()
    write_partitioned(good.observe(written, F.count(F.lit(1)).alias("rows")), dst)
    return EtlStats(rows_read=read.get["rows"], rows_rejected=read.get["rejected"],
                    rows_written=written.get["rows"])


# Why
# - Cost: ONE job: one pass over the CSV, one shuffle for the duplicates, one for the repartition
#   by date. The counts come from `observe` (metrics gathered while the write runs) instead of
#   extra count() actions, each of which would read the CSV again (or need a cache). The driver
#   receives three numbers, so the job scales with the cluster, not with the driver.
# - Text first, then types: reading every column as a string and converting with try_cast /
#   try_to_timestamp keeps bad values as NULLs we can count, instead of a job that dies on row
#   40 million (ANSI mode) or a schema inferred from a sample. Rejected rows are counted; a
#   production job would also write them to a quarantine (see day3.spark.csv_to_parquet).
# - Dynamic partition overwrite makes the job idempotent per date: rerunning a day replaces that
#   day's folder only. Append duplicates on every retry; static overwrite deletes history. The
#   write option scopes it to this write; the session-wide setting would silently change every
#   other overwrite in a shared session (a notebook, a long-lived Thrift server). Spark writes the
#   new files to a staging folder and moves whole partition folders at commit, so readers see the
#   old day or the new day. Table formats (Delta, Iceberg) do this with `replaceWhere` or MERGE
#   and add atomic commits across partitions.
# - repartition("date") gives one file per date folder: good for daily volumes of a few GB. A
#   very big day would become one huge task; then repartition by (date, a salt) or set
#   maxRecordsPerFile. Partition by a low-cardinality column readers filter on (date), never by
#   an id: millions of folders are worse than no partitioning.
# - Say in the interview: dedupe after cleaning (the raw text of duplicates can differ), keep
#   paths and settings out of the code (spark-submit args), and log the counts as job metrics so
#   a sudden rise in rejected rows pages someone.
