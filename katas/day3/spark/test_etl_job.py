"""Tests for the PySpark ETL job: run `pytest katas/day3/spark/test_etl_job.py`.

`spark` is the harness's SparkSession, shared by the whole test run (local[2], or the master named
by DOJO_SPARK_MASTER). Each test writes a small raw CSV, runs the job, and reads the Parquet output
back with Spark. Row order never matters (assertDataFrameEqual compares rows as a multiset).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest
from pyspark.errors import PySparkAssertionError
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual, assertSchemaEqual

from katas.day3.spark.etl_job import CLEAN_SCHEMA, RAW_COLUMNS, EtlStats, run

pytestmark = pytest.mark.needs("spark")

HEADER = ",".join(RAW_COLUMNS)
OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode"


def write_csv(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def clean(transaction_id, user_id, amount, currency, status, ts_text) -> tuple:
    """An expected output row; ts is written 'YYYY-MM-DDTHH:MM:SS' in UTC (the session time zone)."""
    ts = datetime.fromisoformat(ts_text).replace(tzinfo=timezone.utc)
    return (transaction_id, user_id, Decimal(amount), currency, status, ts, ts.date())


def comparable(row: tuple) -> tuple:
    """A row as the tests collect it: ts as 'YYYY-MM-DDTHH:MM:SS' text in the session time zone (UTC)."""
    *head, ts, day = row
    return (*head, ts.strftime("%Y-%m-%dT%H:%M:%S"), day)


def collected(frame) -> list[tuple]:
    return [tuple(r) for r in frame.select(*[F.date_format(c, "yyyy-MM-dd'T'HH:mm:ss").alias(c) if c == "ts"
                                            else F.col(c) for c in CLEAN_SCHEMA.fieldNames()]).collect()]


def assert_frames_equal(actual, expected_rows: list[tuple], spark, what: str) -> None:
    expected = spark.createDataFrame(expected_rows, CLEAN_SCHEMA)
    try:
        assertDataFrameEqual(actual, expected, showOnlyDiff=True)
    except PySparkAssertionError as exc:
        raise AssertionError(f"{what}: the output rows differ from the expected rows\n{exc}") from None


def date_folders(dst: Path) -> list[str]:
    return sorted(p.name for p in dst.iterdir() if p.is_dir())


def parquet_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet"))


# ---------------------------------------------------------------------------------------------
# Cleaning: one raw file holding every case, run once for this module
# ---------------------------------------------------------------------------------------------

KEPT = {
    "a clean row is kept as it is":
        ("101,17,19.90,USD,completed,2024-05-01T09:15:00",
         clean(101, 17, "19.90", "USD", "completed", "2024-05-01T09:15:00")),
    "spaces around every field are trimmed":
        (" 102 , 18 , 5.00 , EUR , pending , 2024-05-01T10:00:00 ",
         clean(102, 18, "5.00", "EUR", "pending", "2024-05-01T10:00:00")),
    "currency is upper-cased and status lower-cased":
        ("103,19,7.5,gbp,FAILED,2024-05-02T00:00:00",
         clean(103, 19, "7.50", "GBP", "failed", "2024-05-02T00:00:00")),
    "a negative amount (a refund) is valid; the last second of a day stays on that day":
        ("104,20,-3.10,USD,Completed,2024-05-02T23:59:59",
         clean(104, 20, "-3.10", "USD", "completed", "2024-05-02T23:59:59")),
    "rows identical after cleaning are written once":
        ("105,21,1.00,USD,completed,2024-05-03T12:00:00",
         clean(105, 21, "1.00", "USD", "completed", "2024-05-03T12:00:00")),
}
# The same transaction as case 105 with different raw text: equal once cleaned.
DUPLICATE_OF_105 = "105,21,1.0, usd ,Completed,2024-05-03T12:00:00"

# name -> (raw line, a column and value that identify the row if it wrongly reaches the output)
REJECTED = {
    "transaction_id that is not a number": ("abc,901,1.00,USD,completed,2024-05-01T08:00:00", "user_id", 901),
    "user_id missing": ("110,,1.00,USD,completed,2024-05-01T08:00:00", "transaction_id", 110),
    "amount that is not a number": ("111,22,ten,USD,completed,2024-05-01T08:00:00", "transaction_id", 111),
    "amount with a thousands separator": ('112,23,"1,234.00",USD,completed,2024-05-01T08:00:00',
                                          "transaction_id", 112),
    "currency that is not three letters": ("113,24,1.00,US Dollar,completed,2024-05-01T08:00:00",
                                           "transaction_id", 113),
    "status outside STATUSES": ("114,25,1.00,USD,refunded,2024-05-01T08:00:00", "transaction_id", 114),
    "status of spaces only (missing once trimmed)": ("115,26,1.00,USD,   ,2024-05-01T08:00:00",
                                                     "transaction_id", 115),
    "impossible calendar date": ("116,27,1.00,USD,completed,2024-02-30T10:00:00", "transaction_id", 116),
    "timestamp with a space instead of T": ("117,28,1.00,USD,completed,2024-05-01 10:00:00",
                                            "transaction_id", 117),
    "short line: ts missing": ("118,29,1.00,USD,completed", "transaction_id", 118),
}

CASE_LINES = [*(line for line, _ in KEPT.values()), DUPLICATE_OF_105,
              *(line for line, *_ in REJECTED.values())]
CASE_DATES = ["date=2024-05-01", "date=2024-05-02", "date=2024-05-03"]


@pytest.fixture(scope="module")
def cases(spark, tmp_path_factory):
    """run() once on a file holding every case; the session configuration before and after."""
    folder = tmp_path_factory.mktemp("etl_cases")
    src = write_csv(folder / "raw" / "transactions.csv", CASE_LINES)
    dst = folder / "clean"
    conf_before = dict(spark.conf.getAll)
    stats = run(spark, str(src), str(dst))
    conf_after = dict(spark.conf.getAll)
    output = spark.read.parquet(str(dst))
    return SimpleNamespace(src=src, dst=dst, stats=stats, output=output, rows=collected(output),
                           conf_before=conf_before, conf_after=conf_after)


@pytest.mark.parametrize("line,want", KEPT.values(), ids=KEPT.keys())
def test_a_valid_row_is_written_once_with_clean_values(cases, line, want):
    found = [row for row in cases.rows if row[0] == want[0]]
    assert found == [comparable(want)], (
        f"raw line {line!r}: the output holds {found} for transaction_id {want[0]}, "
        f"expected exactly one row {comparable(want)}")


@pytest.mark.parametrize("line,column,marker", REJECTED.values(), ids=REJECTED.keys())
def test_an_invalid_row_is_left_out(cases, line, column, marker):
    index = CLEAN_SCHEMA.fieldNames().index(column)
    found = [row for row in cases.rows if row[index] == marker]
    assert not found, f"raw line {line!r} should be rejected, but the output holds {found}"


def test_the_output_is_exactly_the_clean_rows(spark, cases):
    assert_frames_equal(cases.output, [want for _, want in KEPT.values()], spark,
                        f"run(spark, {str(cases.src)!r}, dst) on every case")


def test_run_returns_rows_read_rejected_and_written(cases):
    want = EtlStats(rows_read=len(CASE_LINES), rows_rejected=len(REJECTED), rows_written=len(KEPT))
    assert cases.stats == want, f"run(...) on every case returned {cases.stats!r}, expected {want!r}"


def test_the_output_has_the_clean_schema(cases):
    try:
        assertSchemaEqual(cases.output.schema, CLEAN_SCHEMA)
    except PySparkAssertionError as exc:
        raise AssertionError(f"spark.read.parquet(dst).schema is not CLEAN_SCHEMA (nullability aside)\n"
                             f"{exc}") from None


def test_the_output_is_one_parquet_file_per_date_folder(cases):
    folders = date_folders(cases.dst)
    assert folders == CASE_DATES, f"folders in dst: {folders}, expected one per date: {CASE_DATES}"
    for name in folders:
        files = parquet_files(cases.dst / name)
        assert len(files) == 1, (f"{name} holds {len(files)} parquet files {[f.name for f in files]}, "
                                 "expected 1 (repartition by date before writing)")
        columns = pq.read_schema(files[0]).names
        want = [c for c in CLEAN_SCHEMA.fieldNames() if c != "date"]
        assert columns == want, (f"{name}/{files[0].name} holds columns {columns}, expected {want}: "
                                 "the date lives in the folder name, not in the file")


def test_run_leaves_the_session_configuration_as_it_was(cases):
    changed = {key: (cases.conf_before.get(key), cases.conf_after.get(key))
               for key in cases.conf_before.keys() | cases.conf_after.keys()
               if cases.conf_before.get(key) != cases.conf_after.get(key)}
    assert not changed, (f"run() changed the shared session's configuration (setting: (before, after)): "
                         f"{changed}; set partitionOverwriteMode as an option of the write instead")


# ---------------------------------------------------------------------------------------------
# Reruns: dynamic partition overwrite
# ---------------------------------------------------------------------------------------------

FIRST_BATCH = [
    "1,10,10.00,USD,completed,2024-05-01T08:00:00",
    "2,11,11.00,USD,completed,2024-05-01T09:00:00",
    "3,12,12.00,EUR,pending,2024-05-02T08:00:00",
    "4,13,13.00,EUR,failed,2024-05-02T09:00:00",
    "5,14,14.00,GBP,completed,2024-05-03T08:00:00",
]
FIRST_BATCH_CLEAN = [
    clean(1, 10, "10.00", "USD", "completed", "2024-05-01T08:00:00"),
    clean(2, 11, "11.00", "USD", "completed", "2024-05-01T09:00:00"),
    clean(3, 12, "12.00", "EUR", "pending", "2024-05-02T08:00:00"),
    clean(4, 13, "13.00", "EUR", "failed", "2024-05-02T09:00:00"),
    clean(5, 14, "14.00", "GBP", "completed", "2024-05-03T08:00:00"),
]
# The second batch arrives as a folder of two files: May 2 is re-delivered (3 changed, 4 gone,
# 6 new), May 4 is new, and May 3 appears only in a rejected row, so May 3 must stay as it was.
SECOND_BATCH = {
    "a.csv": ["3,12,12.50,EUR,completed,2024-05-02T08:00:00",
              "6,15,16.00,USD,completed,2024-05-02T10:00:00"],
    "b.csv": ["7,16,17.00,USD,pending,2024-05-04T08:00:00",
              "8,17,oops,USD,completed,2024-05-03T08:00:00"],
}
AFTER_BOTH = [
    *FIRST_BATCH_CLEAN[:2],
    clean(3, 12, "12.50", "EUR", "completed", "2024-05-02T08:00:00"),
    clean(6, 15, "16.00", "USD", "completed", "2024-05-02T10:00:00"),
    FIRST_BATCH_CLEAN[4],
    clean(7, 16, "17.00", "USD", "pending", "2024-05-04T08:00:00"),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in parquet_files(folder)}


def test_a_rerun_replaces_only_the_dates_it_has_clean_rows_for(spark, tmp_path):
    first = write_csv(tmp_path / "first" / "batch.csv", FIRST_BATCH)
    second = tmp_path / "second"
    for name, lines in SECOND_BATCH.items():
        write_csv(second / name, lines)
    dst = tmp_path / "clean"
    run(spark, str(first), str(dst))
    untouched = {day: snapshot(dst / day) for day in ("date=2024-05-01", "date=2024-05-03")}

    stats = run(spark, str(second), str(dst))

    want_stats = EtlStats(rows_read=4, rows_rejected=1, rows_written=3)
    assert stats == want_stats, f"the rerun on {second} returned {stats!r}, expected {want_stats!r}"
    folders = date_folders(dst)
    want_folders = ["date=2024-05-01", "date=2024-05-02", "date=2024-05-03", "date=2024-05-04"]
    assert folders == want_folders, f"after the rerun dst holds {folders}, expected {want_folders}"
    for day, files in untouched.items():
        assert snapshot(dst / day) == files, (f"{day} has no clean row in the rerun's input, yet its files "
                                              "changed: only the dates being written may be replaced")
    assert_frames_equal(spark.read.parquet(str(dst)), AFTER_BOTH, spark,
                        "run(first batch) then run(second batch)")


def test_running_the_same_input_twice_gives_the_same_output(spark, tmp_path):
    src = write_csv(tmp_path / "raw" / "batch.csv", FIRST_BATCH)
    dst = tmp_path / "clean"
    once = run(spark, str(src), str(dst))
    twice = run(spark, str(src), str(dst))
    assert twice == once, f"the second run returned {twice!r}, the first {once!r}"
    assert_frames_equal(spark.read.parquet(str(dst)), FIRST_BATCH_CLEAN, spark,
                        "run(batch) twice on the same dst (a retried job)")
