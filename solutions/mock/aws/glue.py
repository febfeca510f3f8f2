"""Glue ETL from S3 to Redshift: the Data Catalog, a crawler, a job definition, and the job run locally.

Interviewers ask "how would you use AWS Glue to build an ETL pipeline from S3 to Redshift?" and
listen for the pieces and how they fit: the Data Catalog holds the table (schema and S3 location:
schema on read), a crawler keeps it up to date (new partitions), a Glue job (Spark) reads through
the catalog, cleans, and loads Redshift through a Glue connection, with a temp dir in S3 for the
COPY. The catalog is the contract: the job takes its location and column types from there.

Here moto holds the catalog, the crawler and the job (it stores them; it runs neither: a job run
or a crawl does nothing in moto), the job's script runs locally on a SparkSession, and PostgreSQL
stands in for Redshift. Spark cannot read s3:// from moto here: the S3A connector (hadoop-aws and
the AWS SDK jars) is not bundled with pyspark and cannot be downloaded offline, and moto's
in-process mock patches boto3 in Python, which the JVM never sees. So the job downloads the
objects with boto3 into a local folder (same relative paths) and Spark reads that folder, as it
would read s3://bucket/prefix/ on Glue. Nothing else changes.

    s3://sales-lake/raw/orders/dt=2024-05-01/part-0.csv       orders_clean (PostgreSQL)
        order_id,customer_id,amount,status,updated_at           order_id | customer_id | amount | status | updated_at          | dt
        1, c-17 ,19.90,NEW,2024-05-01 10:00:00        ->           1     | c-17        | 25.00  | paid   | 2024-05-02 09:00:00 | 2024-05-02
        2,c-40,ten,new,2024-05-01 11:00:00            (rejected: amount is not a number)
    s3://sales-lake/raw/orders/dt=2024-05-02/part-0.csv
        order_id,customer_id,amount,status,updated_at
        1,c-17,25.00,paid,2024-05-02 09:00:00         (order 1's latest version wins)

    define_catalog(glue, SETUP); define_crawler(glue, SETUP); define_job(glue, s3, SETUP)
    run_job(spark, glue, s3, conn, job_arguments(glue, SETUP.job), workdir)
    # JobReport(files=2, rows_read=3, rows_rejected=1, rows_superseded=1, rows_loaded=1)

Requirements: the definitions (moto's glue client; each function creates what is missing and
makes no create call for what exists, so running it twice is safe)
- `define_catalog(glue, setup)`: database setup.database; table setup.table in it with TableType
  "EXTERNAL_TABLE", Parameters {"classification": "csv", "skip.header.line.count": "1"},
  StorageDescriptor Columns = COLUMNS as [{"Name", "Type"}] in order, Location
  "s3://<bucket>/<prefix>", SerdeInfo LazySimpleSerDe with {"field.delim": ","}, and
  PartitionKeys [{"Name": "dt", "Type": "date"}].
- `define_crawler(glue, setup)`: crawler setup.crawler with setup.role_arn, DatabaseName
  setup.database, S3Targets [{"Path": the table's location}], Schedule setup.schedule,
  SchemaChangePolicy {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"} (the crawler finds new
  partitions but never rewrites the schema the job relies on) and RecrawlPolicy
  {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"}.
- `define_job(glue, s3, setup)`: uploads SCRIPT_SOURCE (this module's own source: the job's
  script) to s3://<script_bucket>/scripts/<job>.py, then creates job setup.job: Role
  setup.role_arn, Command {"Name": "glueetl", "ScriptLocation": that URL, "PythonVersion": "3"},
  GlueVersion "4.0", WorkerType "G.1X", NumberOfWorkers 2, Timeout 60, MaxRetries 1, Connections
  {"Connections": [setup.connection]}, DefaultArguments {"--DATABASE": setup.database,
  "--TABLE": setup.table, "--TARGET_TABLE": setup.target_table, "--TempDir":
  "s3://<script_bucket>/temp/", "--job-bookmark-option": "job-bookmark-disable"} (a full refresh:
  every run reads the whole table). Returns the script's URL.
- `job_arguments(glue, job_name)`: the job's DefaultArguments as Glue's getResolvedOptions gives
  them to a script: {"DATABASE": ..., "TABLE": ..., "TARGET_TABLE": ..., ...}, without the "--".

Requirements: the job's script
- `spark_type(glue_type)` maps a catalog type to Spark's: string, int, bigint, double, boolean,
  date, decimal(p,s) (any p and s, spaces allowed), and timestamp, which has no time zone in the
  catalog, so TimestampNTZType. Anything else raises ValueError naming the type.
- `fetch_inputs(s3, location, workdir)` downloads every object under the s3:// location (all
  pages) whose key is <prefix>dt=YYYY-MM-DD/<name>.csv into workdir at the same relative path
  (workdir/dt=2024-05-01/part-0.csv), skipping anything else (_SUCCESS markers, files outside a
  dt= folder: Spark's partition discovery refuses a mix). Returns the local paths, sorted.
- `validate(raw, columns)` takes the raw rows (every catalog column a string, plus dt as a date)
  and returns the valid rows typed: each string trimmed, an empty one is null, then converted to
  its catalog type with try_cast (Spark 4 runs ANSI SQL: a plain cast of "ten" to decimal fails
  the whole job instead of giving null); status lowercased. A row is valid when order_id > 0,
  customer_id is not null, amount >= 0, status is in STATUSES and updated_at is not null (a value
  that does not convert is null, so it fails too). Columns: COLUMNS' names in order, then dt.
- `latest_per_order(valid)` keeps one row per order_id: the greatest updated_at, on a tie the
  later dt.
- `run_job(spark, glue, s3, conn, args, workdir)`: read the table args["TABLE"] of database
  args["DATABASE"] from the catalog (location and columns: nothing hard-coded); fetch the inputs;
  read them with Spark (CSV with a header, every catalog column as a string, in catalog order;
  dt comes from the folder names); validate; keep the latest per order; load args["TARGET_TABLE"]
  (TARGET_DDL, created if missing) on the autocommit connection: in ONE transaction, delete every
  row and COPY the new ones in, so readers see the old table or the new one and a failed load
  leaves the old one (on Redshift, TRUNCATE would commit at once: use DELETE there too). When no
  input file exists, nothing is touched (an empty source must not empty the warehouse). Returns
  JobReport(files, rows_read, rows_rejected, rows_superseded, rows_loaded).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

COLUMNS = (("order_id", "bigint"), ("customer_id", "string"), ("amount", "decimal(12,2)"),
           ("status", "string"), ("updated_at", "timestamp"))
PARTITION_KEY = ("dt", "date")
STATUSES = ("new", "paid", "shipped", "cancelled")
SCRIPT_SOURCE = Path(__file__).read_bytes()
TARGET_DDL = """
CREATE TABLE IF NOT EXISTS {} (
    order_id    bigint PRIMARY KEY,
    customer_id text NOT NULL,
    amount      numeric(12, 2) NOT NULL,
    status      text NOT NULL,
    updated_at  timestamp NOT NULL,
    dt          date NOT NULL
)"""


@dataclass(frozen=True)
class GlueSetup:
    database: str = "sales_raw"
    table: str = "orders"
    bucket: str = "sales-lake"
    prefix: str = "raw/orders/"
    role_arn: str = "arn:aws:iam::123456789012:role/glue-orders-etl"
    crawler: str = "orders-crawler"
    schedule: str = "cron(0 2 * * ? *)"
    job: str = "orders-to-redshift"
    script_bucket: str = "sales-glue-assets"
    connection: str = "redshift-warehouse"
    target_table: str = "orders_clean"


SETUP = GlueSetup()


@dataclass(frozen=True)
class JobReport:
    files: int
    rows_read: int
    rows_rejected: int
    rows_superseded: int
    rows_loaded: int


def _missing(call, *args, **kwargs) -> bool:
    """True when the get_* call answers EntityNotFoundException."""
    try:
        call(*args, **kwargs)
    except Exception as exc:        # noqa: BLE001 - boto3 builds its exception classes per client
        if getattr(exc, "response", {}).get("Error", {}).get("Code") == "EntityNotFoundException":
            return True
        raise
    return False


def _location(setup: GlueSetup) -> str:
    return f"s3://{setup.bucket}/{setup.prefix}"


def define_catalog(glue: Any, setup: GlueSetup = SETUP) -> None:
    """The database and the external CSV table, partitioned by dt, if missing."""
    if _missing(glue.get_database, Name=setup.database):
        glue.create_database(DatabaseInput={"Name": setup.database, "Description": "raw sales data"})
    if _missing(glue.get_table, DatabaseName=setup.database, Name=setup.table):
        glue.create_table(DatabaseName=setup.database, TableInput={
            "Name": setup.table,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
            "PartitionKeys": [{"Name": PARTITION_KEY[0], "Type": PARTITION_KEY[1]}],
            "StorageDescriptor": {
                "Columns": [{"Name": name, "Type": type_} for name, type_ in COLUMNS],
                "Location": _location(setup),
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                              "Parameters": {"field.delim": ","}},
            },
        })


def define_crawler(glue: Any, setup: GlueSetup = SETUP) -> None:
    """A nightly crawler that adds partitions and only logs schema changes, if missing."""
    if _missing(glue.get_crawler, Name=setup.crawler):
        glue.create_crawler(
            Name=setup.crawler, Role=setup.role_arn, DatabaseName=setup.database,
            Targets={"S3Targets": [{"Path": _location(setup)}]}, Schedule=setup.schedule,
            SchemaChangePolicy={"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
            RecrawlPolicy={"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"})


def define_job(glue: Any, s3: Any, setup: GlueSetup = SETUP) -> str:
    """Upload the script, then the job that runs it, if missing; returns the script's URL."""
    key = f"scripts/{setup.job}.py"
    s3.put_object(Bucket=setup.script_bucket, Key=key, Body=SCRIPT_SOURCE)
    script = f"s3://{setup.script_bucket}/{key}"
    if _missing(glue.get_job, JobName=setup.job):
        glue.create_job(
            Name=setup.job, Role=setup.role_arn,
            Command={"Name": "glueetl", "ScriptLocation": script, "PythonVersion": "3"},
            GlueVersion="4.0", WorkerType="G.1X", NumberOfWorkers=2, Timeout=60, MaxRetries=1,
            Connections={"Connections": [setup.connection]},
            DefaultArguments={"--DATABASE": setup.database, "--TABLE": setup.table,
                              "--TARGET_TABLE": setup.target_table,
                              "--TempDir": f"s3://{setup.script_bucket}/temp/",
                              "--job-bookmark-option": "job-bookmark-disable"})
    return script


def job_arguments(glue: Any, job_name: str) -> dict[str, str]:
    """DefaultArguments without the leading "--", as getResolvedOptions hands them to the script."""
    defaults = glue.get_job(JobName=job_name)["Job"].get("DefaultArguments", {})
    return {name.removeprefix("--"): value for name, value in defaults.items()}


_SIMPLE_TYPES = {"string": T.StringType(), "int": T.IntegerType(), "bigint": T.LongType(),
                 "double": T.DoubleType(), "boolean": T.BooleanType(), "date": T.DateType(),
                 "timestamp": T.TimestampNTZType()}
_DECIMAL = re.compile(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)")


def spark_type(glue_type: str) -> T.DataType:
    """The Spark type of a catalog type; timestamp has no zone, so TimestampNTZType."""
    name = glue_type.strip().lower()
    if name in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[name]
    decimal = _DECIMAL.fullmatch(name)
    if decimal:
        return T.DecimalType(int(decimal.group(1)), int(decimal.group(2)))
    raise ValueError(f"catalog type {glue_type!r} has no Spark type here")


_INPUT_KEY = re.compile(r"dt=\d{4}-\d{2}-\d{2}/[^/]+\.csv")


def _split_location(location: str) -> tuple[str, str]:
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    return bucket, prefix if not prefix or prefix.endswith("/") else prefix + "/"


def fetch_inputs(s3: Any, location: str, workdir: Path) -> list[Path]:
    """Download <prefix>dt=YYYY-MM-DD/*.csv (every page) to workdir at the same relative paths."""
    bucket, prefix = _split_location(location)
    fetched = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            relative = obj["Key"][len(prefix):]
            if _INPUT_KEY.fullmatch(relative):
                local = Path(workdir) / relative
                local.parent.mkdir(parents=True, exist_ok=True)
                s3.download_file(bucket, obj["Key"], str(local))
                fetched.append(local)
    return sorted(fetched)


def validate(raw: DataFrame, columns: list[tuple[str, str]]) -> DataFrame:
    """Trim, empty to null, try_cast to the catalog types, lowercase status; keep the valid rows."""
    typed = []
    for name, glue_type in columns:
        text = F.nullif(F.trim(F.col(name)), F.lit(""))
        if name == "status":
            text = F.lower(text)
        typed.append(text.try_cast(spark_type(glue_type)).alias(name))
    rows = raw.select(*typed, PARTITION_KEY[0])
    return rows.where((F.col("order_id") > 0) & F.col("customer_id").isNotNull() & (F.col("amount") >= 0)
                      & F.col("status").isin(*STATUSES) & F.col("updated_at").isNotNull())


def latest_per_order(valid: DataFrame) -> DataFrame:
    """One row per order_id: the latest updated_at, then the later dt."""
    newest_first = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc(), F.col("dt").desc())
    ranked = valid.withColumn("_rank", F.row_number().over(newest_first))
    return ranked.where(F.col("_rank") == 1).drop("_rank")


def _load(conn: psycopg.Connection, table: str, rows: DataFrame, columns: list[str]) -> int:
    """Replace the target's rows in one transaction: readers see the old table or the new one."""
    target = sql.Identifier(table)
    conn.execute(sql.SQL(TARGET_DDL).format(target))
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    loaded = 0
    with conn.transaction():
        conn.execute(sql.SQL("DELETE FROM {}").format(target))
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in rows.toLocalIterator():
                copy.write_row(tuple(row[c] for c in columns))
                loaded += 1
    return loaded


def run_job(spark: SparkSession, glue: Any, s3: Any, conn: psycopg.Connection, args: dict[str, str],
            workdir: Path) -> JobReport:
    """Catalog -> fetch -> read -> validate -> latest per order -> replace the target in one transaction."""
    table = glue.get_table(DatabaseName=args["DATABASE"], Name=args["TABLE"])["Table"]
    descriptor = table["StorageDescriptor"]
    columns = [(c["Name"], c["Type"]) for c in descriptor["Columns"]]
    files = fetch_inputs(s3, descriptor["Location"], workdir)
    if not files:
        return JobReport(0, 0, 0, 0, 0)
    as_text = T.StructType([T.StructField(name, T.StringType()) for name, _ in columns])
    raw = spark.read.option("header", True).schema(as_text).csv(str(workdir))
    valid = validate(raw, columns).cache()
    latest = latest_per_order(valid)
    rows_read, rows_valid = raw.count(), valid.count()
    loaded = _load(conn, args["TARGET_TABLE"], latest, [name for name, _ in columns] + [PARTITION_KEY[0]])
    valid.unpersist()
    return JobReport(len(files), rows_read, rows_read - rows_valid, rows_valid - loaded, loaded)


# Why
# - The catalog is the contract between the crawler, the job and every reader (Athena, Redshift
#   Spectrum): the job takes the location and the types from it, so a move or a new column is one
#   catalog change, not a code change. The crawler only LOGs schema changes: a crawler that
#   updates the table on its own can turn a column into a string overnight and break the job.
# - Read everything as strings, then try_cast: a bad value becomes a rejected row, counted, not a
#   crashed job (Spark 4 runs ANSI SQL, where cast("ten" as decimal) throws) and not a silent null
#   loaded (Spark's CSV reader with a typed schema in PERMISSIVE mode nulls bad fields quietly).
# - Dedup by a window (row_number over order_id by updated_at desc): a groupBy + max loses the other
#   columns; dropDuplicates keeps an arbitrary row.
# - Load: DELETE + COPY in one transaction is a full refresh that readers never see half done; on
#   Redshift, TRUNCATE commits implicitly, so it cannot be rolled back. Glue's Redshift connector
#   stages the rows in the --TempDir in S3 and runs COPY, the same idea at scale. An empty source
#   leaves the target alone: a broken upstream must not blank the warehouse.
# - Bigger tables want incremental runs: job bookmarks (Glue remembers the files it read) or a
#   pushdown predicate on dt, and a staging table + MERGE into the target (day2.aws.s3_to_redshift).
# - Cost: toLocalIterator streams one partition at a time to the driver; on Glue the rows never
#   pass through the driver (the connector writes Parquet/CSV to S3 from the executors).
