"""Where the RDD API still fits, and what a Python UDF costs next to a pandas UDF and built-ins.

The day kata day3.spark.rdd_vs_dataframe answers "RDD or DataFrame?" with one report written both
ways (the optimizer sees a DataFrame query, not a chain of lambdas). The interviewer's next step:
"so when WOULD you use an RDD, and if you must run Python on a column, how?" Two answers in code:

1. A job that needs the RDD API: records that span several lines (a blank line between records),
   read with Hadoop's record delimiter so a record cut by a file split still comes out whole, then
   parsed with a parser that is expensive to build and cannot be pickled (it holds a lock, as a
   database connection or a loaded model would): built once PER PARTITION with mapPartitions, on
   the executor, never on the driver and never once per record.

       records.txt                    read_records(spark, "records.txt", 64)
       id: 1                          -> RDD ["id: 1\\nname: ann", "id: 2\\nname: bob\\nnote: late"]
       name: ann                      parse_all(that, make_parser)
                                      -> RDD [{"id": "1", "name": "ann"}, {"id": "2", ...}]
       id: 2                          make_parser() called once per partition
       name: bob
       note: late

2. One column computed three ways: fahrenheit = celsius * 9 / 5 + 32, as a row-at-a-time Python
   UDF, as a pandas (Arrow) UDF working on whole batches, and with built-in column arithmetic.

       celsius   fahrenheit
       0.0       32.0
       -40.0     -40.0
       NULL      NULL

Requirements
- `read_records(spark, path, max_split_bytes)`: an RDD of strings, one per record of the text file
  at `path`, in file order. Records are separated by one blank line ("\\n\\n"); the file ends with
  one "\\n". Each string is the record's text without the separating newlines (strip "\\n" only:
  spaces at the end of a line are data). The file must be read in input splits of at most
  `max_split_bytes` bytes (the Hadoop setting mapreduce.input.fileinputformat.split.maxsize), so
  the RDD has one partition per split and records cross split boundaries: the tests use a few
  hundred bytes and 64-byte splits. (Hint: sc.newAPIHadoopFile with TextInputFormat and the
  setting textinputformat.record.delimiter.)
- `parse_all(records, make_parser)`: an RDD with `make_parser()(text)` for every record, in the same
  order. `make_parser()` is expensive and its parser cannot be pickled: call it exactly once per
  partition of `records`, inside the partition's task. The tests count the calls with an
  accumulator.
- `fahrenheit_python_udf(df)`, `fahrenheit_pandas_udf(df)`, `fahrenheit_builtin(df)`: df (with a
  DOUBLE column `celsius`, possibly NULL) with a DOUBLE column `fahrenheit` added at the end;
  NULL in, NULL out. The first with `F.udf` (a function called once per value), the second with
  `F.pandas_udf` (called with a pandas Series per Arrow batch), the third with column expressions
  only. The tests read the physical plans: a Python UDF shows BatchEvalPython (or, in Spark 4, an
  ArrowEvalPython of eval type 101), a pandas UDF an ArrowEvalPython of eval type 200, and the
  built-in version no Python at all.
- The benchmark (`pytest -m perf --benchmark-enable`) times the three on 2 million rows; normal
  runs execute it once on a few thousand rows as a test.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pandas as pd
from pyspark import RDD
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

RECORD_DELIMITER = "\n\n"
TEXT_INPUT_FORMAT = "org.apache.hadoop.mapreduce.lib.input.TextInputFormat"


def read_records(spark: SparkSession, path: str, max_split_bytes: int) -> RDD:
    """One string per blank-line-separated record, read in splits of at most max_split_bytes."""
    raise NotImplementedError("TODO: sc.newAPIHadoopFile(path, TEXT_INPUT_FORMAT, ..., conf={record delimiter, split size})")


def parse_all(records: RDD, make_parser: Callable[[], Callable[[str], dict]]) -> RDD:
    """make_parser() once per partition, on the executor; then every record of it parsed."""
    raise NotImplementedError("TODO: records.mapPartitions(a generator that calls make_parser() once)")


def fahrenheit_python_udf(df: DataFrame) -> DataFrame:
    """A row-at-a-time Python UDF; the return type must be declared (the default is string)."""
    raise NotImplementedError("TODO: F.udf(a function of one value, 'double'), NULL in -> NULL out")


def fahrenheit_pandas_udf(df: DataFrame) -> DataFrame:
    """A pandas UDF (built here, not at import: it needs a running SparkContext)."""
    raise NotImplementedError("TODO: F.pandas_udf(a function of a pd.Series, 'double')")


def fahrenheit_builtin(df: DataFrame) -> DataFrame:
    """Column arithmetic: stays in the JVM, visible to the optimizer, NULL-safe by SQL rules."""
    raise NotImplementedError("TODO: withColumn('fahrenheit', F.col('celsius') * 9 / 5 + 32)")
