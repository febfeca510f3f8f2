"""Large ETL job, the follow-up: three checkpointed stages, each committed atomically, restartable after a crash.

"How do you manage a large ETL job in Databricks, ensuring scalability and fault tolerance?" Spark
already retries a failed TASK; what it does not do is save a four-hour job that dies in hour three.
The interviewer's next step after day3.spark.etl_job is: split the job into stages whose outputs
are checkpoints on storage, commit each one atomically, and make a rerun resume where the crash was.

    orders.csv + customers.csv
        -> stage "clean"      typed orders, bad rows dropped       -> work/clean/      + _SUCCESS
        -> stage "enrich"     joined with the customer's country   -> work/enrich/     + _SUCCESS
        -> stage "aggregate"  revenue per day and country          -> work/aggregate/  + _SUCCESS

    run_job(spark, orders, customers, work, hook=crash_in_enrich)   # raises in stage two
    run_job(spark, orders, customers, work)
    # JobReport(ran=['enrich', 'aggregate'], skipped=['clean']): stage one's files are not touched,
    # and work/aggregate holds exactly what an uninterrupted run writes

Requirements
- Stages, in STAGES order. Every stage reads its input from the previous stage's COMMITTED folder
  (never from a DataFrame kept in memory), so a rerun can start at any stage.
  - `clean(spark, orders_csv)`: read the CSV (a header line; columns order_id, customer_id, amount,
    order_date) with every column as a string, then order_id -> bigint, customer_id trimmed,
    amount -> decimal(12,2), order_date 'YYYY-MM-DD' -> date. A row where any of them is missing or
    does not parse is dropped (use try_cast / try_to_date: ANSI mode makes a plain cast raise).
  - `enrich(spark, cleaned, customers_csv)`: left join with the customers CSV (customer_id,country)
    on customer_id; an order whose customer is unknown gets country "unknown".
  - `aggregate(enriched)`: per (order_date, country): orders (count, bigint) and revenue (sum of
    amount, decimal), one output row per pair.
  Stages are deterministic (no current_timestamp, no random ids): the same input gives the same rows.
- Commit protocol, `commit_stage(frame, work, stage, hook)`: write the frame as Parquet to the temp
  folder `work/<stage>.tmp` (cleared first: a crashed run may have left half a write there), then
  rename it to `work/<stage>`, then create the empty file `work/<stage>/_SUCCESS`. The rename makes
  the output appear whole or not at all on a local or HDFS file system (a reader never sees half a
  stage); the marker is what says "done" (on S3 a "rename" is a copy, not atomic: there the marker,
  or a table format's commit, is the only trustworthy signal). Spark's writer puts its own _SUCCESS
  into the temp folder: switch it off for this write (`.option("mapreduce.fileoutputcommitter.
  marksuccessfuljobs", "false")`) so that only the commit creates the marker.
- Restart: a stage whose folder holds _SUCCESS is skipped (not recomputed, its files not touched).
  A stage folder WITHOUT the marker (a crash between the rename and the marker) is not trusted:
  delete it and run the stage again. So are leftovers in `<stage>.tmp`.
- Hook: `hook(stage, step)` (when given) is called for every stage that runs, with step in STEPS:
  "start" before the stage computes, "written" after the temp folder is written (before the rename),
  "renamed" after the rename (before the marker), "committed" after the marker. Whatever the hook
  raises propagates out of run_job unchanged: the tests crash stage two at each step, and at
  "written" they may also delete the last temp files first, as a crash before the write finished would.
  Skipped stages get no hook call.
- `run_job(spark, orders_csv, customers_csv, work, *, hook=None)` runs the three stages into `work`
  (created if missing) and returns JobReport(ran, skipped), stage names in STAGES order. The job's
  result is `work/aggregate`.
- Keep the session's configuration as it was (the `spark` fixture is shared by every test).
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

STAGES = ("clean", "enrich", "aggregate")
STEPS = ("start", "written", "renamed", "committed")
MARKER = "_SUCCESS"
UNKNOWN_COUNTRY = "unknown"
ORDER_COLUMNS = ("order_id", "customer_id", "amount", "order_date")

Hook = Callable[[str, str], None]


@dataclass
class JobReport:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_strings(spark: SparkSession, path: str | Path, columns: tuple[str, ...]) -> DataFrame:
    schema = ", ".join(f"{name} string" for name in columns)
    return spark.read.option("header", True).schema(schema).csv(str(path))


def clean(spark: SparkSession, orders_csv: str | Path) -> DataFrame:
    """Typed orders; a row with a missing or unparsable field is dropped."""
    raw = read_strings(spark, orders_csv, ORDER_COLUMNS)
    typed = raw.select(
        F.trim("order_id").try_cast("bigint").alias("order_id"),
        F.nullif(F.trim("customer_id"), F.lit("")).alias("customer_id"),
        F.trim("amount").try_cast("decimal(12,2)").alias("amount"),
        F.try_to_date(F.trim("order_date"), "yyyy-MM-dd").alias("order_date"),
    )
    return typed.dropna()


def enrich(spark: SparkSession, cleaned: DataFrame, customers_csv: str | Path) -> DataFrame:
    """Orders with their customer's country ("unknown" when the customer is not in the file)."""
    customers = read_strings(spark, customers_csv, ("customer_id", "country")).select(
        F.trim("customer_id").alias("customer_id"), F.trim("country").alias("country"))
    joined = cleaned.join(customers, "customer_id", "left")
    return joined.withColumn("country", F.coalesce("country", F.lit(UNKNOWN_COUNTRY)))


def aggregate(enriched: DataFrame) -> DataFrame:
    """Orders and revenue per day and country."""
    return enriched.groupBy("order_date", "country").agg(
        F.count("*").alias("orders"), F.sum("amount").alias("revenue"))


def is_committed(work: Path, stage: str) -> bool:
    return (work / stage / MARKER).exists()


def commit_stage(frame: DataFrame, work: Path, stage: str, hook: Hook) -> None:
    """Temp folder, then rename, then _SUCCESS: the stage appears whole, and is marked done, or not at all."""
    final, temp = work / stage, work / f"{stage}.tmp"
    shutil.rmtree(temp, ignore_errors=True)            # half a write from a crashed run
    shutil.rmtree(final, ignore_errors=True)           # renamed but never marked: not trusted
    (frame.write.mode("overwrite")
     .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
     .parquet(str(temp)))
    hook(stage, "written")
    temp.rename(final)
    hook(stage, "renamed")
    (final / MARKER).touch()
    hook(stage, "committed")


def run_job(spark: SparkSession, orders_csv: str | Path, customers_csv: str | Path, work: str | Path, *,
            hook: Hook | None = None) -> JobReport:
    """Run the stages that are not committed yet; skip the ones that are."""
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    hook = hook or (lambda stage, step: None)
    builders: dict[str, Callable[[], DataFrame]] = {
        "clean": lambda: clean(spark, orders_csv),
        "enrich": lambda: enrich(spark, spark.read.parquet(str(work / "clean")), customers_csv),
        "aggregate": lambda: aggregate(spark.read.parquet(str(work / "enrich"))),
    }
    report = JobReport()
    for stage in STAGES:
        if is_committed(work, stage):
            report.skipped.append(stage)
            continue
        hook(stage, "start")
        commit_stage(builders[stage](), work, stage, hook)
        report.ran.append(stage)
    return report


# Why: Spark's own fault tolerance is per task (lineage recomputes a lost partition); a job that
# fails as a whole starts from zero. Checkpointing each stage to storage turns one long job into
# short restartable ones, and cuts the lineage so a late failure does not recompute everything.
# The commit protocol is the classic Hadoop one: write elsewhere, rename (atomic on a POSIX or HDFS
# file system), then mark. The marker, not the folder's existence, is the truth: a folder can exist
# half written or renamed but unmarked. On S3, rename is copy + delete, so real jobs commit with a
# table format (Delta's log) or the S3A magic committer instead. Cost: every stage is written and
# read once more; worth it when stages are long or inputs expensive to re-read.
