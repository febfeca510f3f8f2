"""Tests for the RDD-vs-DataFrame follow-up kata: run `pytest katas/mock/tools/test_rdd_vs_dataframe.py`.

Multi-line records are read in 64-byte splits, so records straddle split boundaries; the parser's
set-up is counted with an accumulator; the three ways of computing one column must agree and show
the right kind of Python (or none) in their physical plans. The benchmark times them:
`pytest katas/mock/tools/test_rdd_vs_dataframe.py -m perf --benchmark-enable`.
"""
from __future__ import annotations

import re
import threading

import pytest
from pyspark import RDD
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from katas.mock.tools.rdd_vs_dataframe import (
    fahrenheit_builtin,
    fahrenheit_pandas_udf,
    fahrenheit_python_udf,
    parse_all,
    read_records,
)

pytestmark = pytest.mark.needs("spark")

SPLIT_BYTES = 64


def sample_records(count: int) -> list[str]:
    """Records of 2 to 4 lines and varied length; some lines end in a space, which is data."""
    records = []
    for i in range(count):
        lines = [f"id: {i}", f"name: n{i}"]
        if i % 3:
            lines.append("note: " + "x" * (i * 7 % 40))
        if i % 4 == 1:
            lines.append("tag: late ")
        records.append("\n".join(lines))
    return records


def write_records(folder, records: list[str]) -> str:
    path = folder / "records.txt"
    path.write_text("\n\n".join(records) + "\n", encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------------------------------------
# reading multi-line records across splits
# ---------------------------------------------------------------------------------------------

# name -> records in the file
READ_CASES = {
    "twenty records of 2 to 4 lines across many 64-byte splits": sample_records(20),
    "one record": sample_records(1),
    "a record longer than a split": ["id: 0\nnote: " + "y" * 150, "id: 1\nname: short"],
}


@pytest.mark.parametrize("records", READ_CASES.values(), ids=READ_CASES.keys())
def test_read_records_returns_every_record_whole_in_file_order(spark, tmp_path, records):
    path = write_records(tmp_path, records)
    got = read_records(spark, path, SPLIT_BYTES)
    called = f"read_records(spark, <file of {len(records)} records>, {SPLIT_BYTES})"
    assert isinstance(got, RDD), f"{called} returned {type(got).__name__}, expected an RDD"
    texts = got.collect()
    assert texts == records, f"{called} returned\n{texts}\nexpected\n{records}"


def test_read_records_reads_in_splits_of_at_most_max_split_bytes(spark, tmp_path):
    records = sample_records(20)
    path = write_records(tmp_path, records)
    size = len("\n\n".join(records)) + 1
    partitions = read_records(spark, path, SPLIT_BYTES).getNumPartitions()
    want = size // SPLIT_BYTES       # Hadoop lets the last split run 10% over, so not always one more
    assert partitions >= want, (
        f"read_records(spark, <file of {size} bytes>, {SPLIT_BYTES}) has {partitions} partition(s), expected "
        f"at least {want}: one per input split of at most {SPLIT_BYTES} bytes (mapreduce.input.fileinputformat."
        f"split.maxsize), so a big file is read in parallel and records really cross split boundaries")


# ---------------------------------------------------------------------------------------------
# per-partition set-up
# ---------------------------------------------------------------------------------------------

def counting_parser_factory(accumulator):
    """make_parser for the tests: counts its calls; its parser holds a lock, so it cannot be pickled."""
    def make_parser():
        accumulator.add(1)
        connection = threading.Lock()        # stands for a DB connection or a loaded model

        def parse(text: str) -> dict:
            with connection:
                return dict(line.split(": ", 1) for line in text.split("\n"))
        return parse
    return make_parser


def expected_parse(text: str) -> dict:
    return dict(line.split(": ", 1) for line in text.split("\n"))


@pytest.mark.parametrize("slices", [1, 3, 5])
def test_parse_all_builds_the_parser_once_per_partition(spark, slices):
    sc = spark.sparkContext
    records = sample_records(12)
    built = sc.accumulator(0)
    got = parse_all(sc.parallelize(records, slices), counting_parser_factory(built))
    called = f"parse_all(<RDD of 12 records in {slices} partitions>, make_parser)"
    assert isinstance(got, RDD), f"{called} returned {type(got).__name__}, expected an RDD"
    rows = got.collect()
    assert rows == [expected_parse(text) for text in records], f"{called} returned {rows}"
    assert built.value == slices, (
        f"{called} called make_parser() {built.value} time(s), expected {slices}: once per partition, "
        f"inside mapPartitions (map() builds it per record)")


def test_read_then_parse_over_splits_gives_every_record_once(spark, tmp_path):
    records = sample_records(20)
    texts = read_records(spark, write_records(tmp_path, records), SPLIT_BYTES)
    built = spark.sparkContext.accumulator(0)
    rows = parse_all(texts, counting_parser_factory(built)).collect()
    assert rows == [expected_parse(text) for text in records], (
        f"parse_all(read_records(...)) returned {len(rows)} rows, expected {len(records)} parsed in order")
    assert built.value == texts.getNumPartitions(), (
        f"make_parser() ran {built.value} times for {texts.getNumPartitions()} partitions")


# ---------------------------------------------------------------------------------------------
# one column three ways
# ---------------------------------------------------------------------------------------------

WAYS = {"python udf": fahrenheit_python_udf, "pandas udf": fahrenheit_pandas_udf, "built-in": fahrenheit_builtin}
TEMPERATURES = [(1, 0.0), (2, -40.0), (3, None), (4, 100.0), (5, 36.6), (6, -273.15)]


def fahrenheit_by_hand(celsius: float | None) -> float | None:
    return None if celsius is None else celsius * 9 / 5 + 32


@pytest.mark.parametrize("way", WAYS.values(), ids=WAYS.keys())
def test_every_way_adds_a_double_fahrenheit_column_with_nulls_kept(spark, way):
    df = spark.createDataFrame(TEMPERATURES, "id INT, celsius DOUBLE")
    got = way(df)
    called = f"{way.__name__}(<DataFrame of {len(TEMPERATURES)} temperatures, one NULL>)"
    assert isinstance(got, DataFrame), f"{called} returned {type(got).__name__}, expected a DataFrame"
    want_types = [("id", "int"), ("celsius", "double"), ("fahrenheit", "double")]
    assert got.dtypes == want_types, (f"{called} has the columns {got.dtypes}, expected {want_types} "
                                      f"(a UDF without a declared return type returns strings)")
    rows = {row.id: row.fahrenheit for row in got.collect()}
    for id_, celsius in TEMPERATURES:
        want = fahrenheit_by_hand(celsius)
        value = rows.get(id_)
        same = value is None if want is None else value is not None and abs(value - want) < 1e-9
        assert same, f"{called}: celsius {celsius} gave fahrenheit {value}, expected {want}"


def test_the_three_ways_agree_on_seeded_temperatures(spark):
    df = spark.range(500).select(F.col("id").cast("int").alias("id"),
                                 F.when(F.col("id") % 17 == 0, None)
                                 .otherwise((F.col("id") * 7919 % 1000 - 500) / 10).alias("celsius"))
    results = {name: sorted((row.id, row.fahrenheit) for row in way(df).collect()) for name, way in WAYS.items()}
    reference = results.pop("built-in")
    for name, rows in results.items():
        differ = [(a, b) for a, b in zip(rows, reference)
                  if a[0] != b[0] or (a[1] is None) != (b[1] is None)
                  or (a[1] is not None and abs(a[1] - b[1]) > 1e-9)]
        assert len(rows) == len(reference) and not differ, (
            f"the {name} result differs from the built-in one on 500 rows; first differences "
            f"(id, fahrenheit) vs built-in: {differ[:3]}")


def physical_plan(df: DataFrame) -> str:
    return df._jdf.queryExecution().executedPlan().toString()


def arrow_eval_types(plan: str) -> list[str]:
    """The eval type that ends each ArrowEvalPython node: 101 arrow-batched Python UDF, 200 pandas UDF."""
    return re.findall(r"ArrowEvalPython \[.*\], \[.*\], (\d+)", plan)


# name -> (way, what the plan must show, a test on the plan text)
PLAN_CASES = {
    "python udf: BatchEvalPython or Arrow eval type 101": (
        fahrenheit_python_udf, "BatchEvalPython or ArrowEvalPython ..., 101",
        lambda plan: "BatchEvalPython" in plan or arrow_eval_types(plan) == ["101"]),
    "pandas udf: Arrow eval type 200": (
        fahrenheit_pandas_udf, "ArrowEvalPython ..., 200", lambda plan: arrow_eval_types(plan) == ["200"]),
    "built-in: no Python in the plan": (
        fahrenheit_builtin, "no EvalPython node", lambda plan: "EvalPython" not in plan),
}


@pytest.mark.parametrize("way,shows,check", PLAN_CASES.values(), ids=PLAN_CASES.keys())
def test_each_way_runs_the_kind_of_code_it_claims(spark, way, shows, check):
    plan = physical_plan(way(spark.createDataFrame(TEMPERATURES, "id INT, celsius DOUBLE")))
    assert check(plan), f"the physical plan of {way.__name__}(df) should show {shows}, got:\n{plan}"


# ---------------------------------------------------------------------------------------------
# the benchmark: timed only with -m perf --benchmark-enable
# ---------------------------------------------------------------------------------------------

BENCH_ROWS = 2_000_000
TEST_ROWS = 5_000


@pytest.mark.perf
@pytest.mark.parametrize("way", WAYS.values(), ids=WAYS.keys())
def test_benchmark_python_udf_vs_pandas_udf_vs_builtin(benchmark, spark, way):
    rows = TEST_ROWS if benchmark.disabled else BENCH_ROWS
    df = spark.range(rows).select((F.col("id") % 1000 / 10).alias("celsius")).cache()
    df.count()
    benchmark.group = "mock.tools.rdd_vs_dataframe"
    benchmark.name = way.__name__
    total = benchmark(lambda: way(df).agg(F.sum("fahrenheit")).first()[0])
    want = sum((i % 1000 / 10) * 9 / 5 + 32 for i in range(1000)) * (rows // 1000)
    df.unpersist()
    assert total is not None and abs(total - want) < 1e-6 * abs(want), (
        f"sum of {way.__name__}(df).fahrenheit over {rows:,} rows was {total}, expected {want}")
