"""Process a CSV file into Parquet: an explicit schema, and corrupt records kept aside, never lost.

Interviewers ask for this to hear how you treat the lines that do not fit. Spark gives you three
parse modes: FAILFAST (one bad line kills the job), DROPMALFORMED (bad lines vanish without a
trace, and `count()` even reports them as read, because counting skips parsing) and PERMISSIVE,
which keeps every line and puts the raw text of a bad one into a corrupt-record column. The
answer they want: an explicit schema, PERMISSIVE with `columnNameOfCorruptRecord`, the good rows
to Parquet, the bad ones to a quarantine with their raw text, and counts that add up.

    src/transactions.csv
        transaction_id,user_id,amount,currency,status,region,ts
        1,38,55.27,USD,failed,overseas,2023-12-13T21:28:44
        2,4,ten,EUR,completed,north,2024-10-29T04:47:54        <- corrupt: amount is not a number
        3,26,7.02,USD,completed,,2024-11-29T11:12:14           <- good: an empty region is NULL

    csv_to_parquet(spark, "src/transactions.csv", "out/good", "out/quarantine")
    # ConversionStats(rows_read=3, rows_good=2, rows_corrupt=1)
    out/good/         Parquet with SCHEMA's columns: transactions 1 and 3 (region NULL)
    out/quarantine/   Parquet with one column raw_record:
                      "2,4,ten,EUR,completed,north,2024-10-29T04:47:54"

Requirements
- Read `src` (one CSV file or a folder of them, each with a header line) with an explicit schema:
  SCHEMA plus a last string column named CORRUPT_COLUMN, in PERMISSIVE mode with
  `columnNameOfCorruptRecord=CORRUPT_COLUMN` and `timestampFormat=TS_FORMAT`. No inferSchema: it
  reads the data an extra time and quietly widens a column with one bad value to string, so
  nothing is ever corrupt.
- A record is corrupt when Spark's parser says so (its CORRUPT_COLUMN is not NULL). With this
  schema that is: a value that is not its column's type (user_id "x7"; amount "ten" or too big
  for decimal(12,2); a ts that is not 'YYYY-MM-DDTHH:MM:SS' or names a day that does not exist),
  too few or too many fields, a quote that is never closed. An empty field is NULL, not corrupt:
  a row with an empty region is a good row.
- Good rows: SCHEMA's columns, in its order, written as Parquet to `dst`.
- Corrupt rows: their raw text exactly as in the file, in the one column of QUARANTINE_SCHEMA
  (raw_record), written as Parquet to `quarantine`. The quarantine is written even when nothing
  is corrupt (an empty dataset), so a downstream check can always read it.
- Both outputs are replaced by a rerun (mode overwrite), never appended to.
- Return ConversionStats(rows_read, rows_good, rows_corrupt); rows_read == rows_good + rows_corrupt:
  every record ends up in exactly one of the two outputs, none dropped silently.
- Spark's rule: a query on a raw CSV (or JSON) whose referenced columns are only the corrupt
  record column is refused (UNSUPPORTED_FEATURE.QUERY_ONLY_CORRUPT_RECORD_COLUMN): the parser
  would skip the other columns, so nothing would be found corrupt. Cache the parsed DataFrame (or
  save it) before such a query: then every column is parsed once and the corrupt column is
  filled in for real.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

SCHEMA = StructType([
    StructField("transaction_id", LongType()),
    StructField("user_id", LongType()),
    StructField("amount", DecimalType(12, 2)),
    StructField("currency", StringType()),
    StructField("status", StringType()),
    StructField("region", StringType()),
    StructField("ts", TimestampType()),
])
CORRUPT_COLUMN = "_corrupt_record"
QUARANTINE_SCHEMA = StructType([StructField("raw_record", StringType())])
TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss"


@dataclass(frozen=True)
class ConversionStats:
    rows_read: int
    rows_good: int
    rows_corrupt: int


def read_permissive(spark: SparkSession, src: str | os.PathLike) -> DataFrame:
    """Every record of src: SCHEMA's columns plus CORRUPT_COLUMN, the raw text of a bad record."""
    schema = StructType([*SCHEMA.fields, StructField(CORRUPT_COLUMN, StringType())])
    return spark.read.csv(str(src), header=True, schema=schema, mode="PERMISSIVE",
                          columnNameOfCorruptRecord=CORRUPT_COLUMN, timestampFormat=TS_FORMAT)


def csv_to_parquet(spark: SparkSession, src: str | os.PathLike, dst: str | os.PathLike,
                   quarantine: str | os.PathLike) -> ConversionStats:
    """Good rows of src to Parquet at dst, corrupt ones (raw text) to quarantine; returns the counts."""
    parsed = read_permissive(spark, src).cache()     # parse once; lets us query CORRUPT_COLUMN
    try:
        corrupt = F.col(CORRUPT_COLUMN)
        totals = parsed.agg(F.count(F.lit(1)).alias("read"), F.count(corrupt).alias("corrupt")).first()
        parsed.where(corrupt.isNull()).select(*SCHEMA.fieldNames()).write.mode("overwrite").parquet(str(dst))
        (parsed.where(corrupt.isNotNull()).select(corrupt.alias("raw_record"))
         .write.mode("overwrite").parquet(str(quarantine)))
        return ConversionStats(rows_read=totals["read"], rows_good=totals["read"] - totals["corrupt"],
                               rows_corrupt=totals["corrupt"])
    finally:
        parsed.unpersist()


# Why
# - Cost: one parse of the CSV (cached: three actions read it, and the corrupt column can only be
#   queried on parsed data), then two writes. cache() is MEMORY_AND_DISK_DESER, so data bigger
#   than the executors' memory spills to local disk; on very large inputs write the parsed rows
#   once to a staging Parquet and split that instead.
# - Why PERMISSIVE + a corrupt column: the job never dies on a bad line (FAILFAST) and never loses
#   one silently (DROPMALFORMED); the raw text lets someone fix and replay it, and the counts
#   become data-quality metrics (alert when the corrupt share jumps). rows_read == good + corrupt
#   is the invariant to assert in the job itself.
# - The schema is the contract: an explicit schema makes a bad value a corrupt record instead of a
#   column silently inferred as string, and saves the inference pass. Spell out timestampFormat:
#   the default parser is lenient ("2024-05-01 10:00:00" and "...Z" pass).
# - Gotchas to mention: the parser does not trim, so " 5.00 " in a decimal column is corrupt;
#   "1.999" in decimal(12,2) is ROUNDED to 2.00, not flagged (check scale yourself if it matters);
#   with multiLine=true a record can span lines and its raw text holds the newlines; Spark 2.3+
#   refuses queries that reference only the corrupt column of a raw file (cache first).
# - In the interview: quarantine next to the data with the run id and source file
#   (`_metadata.file_path`), and decide up front what share of corrupt rows fails the run.
