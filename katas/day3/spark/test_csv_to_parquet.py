"""Tests for the CSV-to-Parquet conversion: run `pytest katas/day3/spark/test_csv_to_parquet.py`.

`spark` is the harness's SparkSession, shared by the whole test run. The input is the data_gen
`transactions` CSV with known lines replaced by corrupt ones; the expected good rows come from
parsing the other lines in plain Python. Row order never matters.
"""
from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest
from pyspark.errors import PySparkAssertionError
from pyspark.testing import assertDataFrameEqual, assertSchemaEqual

import data_gen
from katas.day3.spark.csv_to_parquet import QUARANTINE_SCHEMA, SCHEMA, ConversionStats, csv_to_parquet

pytestmark = pytest.mark.needs("spark")

ROWS = 120
TS = 6          # field positions in a transactions line
AMOUNT = 2


def amount(fields, value):
    return [*fields[:AMOUNT], value, *fields[AMOUNT + 1:]]


def ts(fields, value):
    return [*fields[:TS], value]


# name -> how a good line (as its list of fields) becomes a corrupt one
CORRUPT = {
    "amount that is not a number": lambda f: amount(f, "ten"),
    "amount too big for decimal(12,2)": lambda f: amount(f, "12345678901.00"),
    "amount with spaces around it (the parser does not trim)": lambda f: amount(f, f" {f[AMOUNT]} "),
    "user_id that is not a whole number": lambda f: [f[0], "x7", *f[2:]],
    "a day that does not exist": lambda f: ts(f, "2024-02-30T10:00:00"),
    "timestamp with a space instead of T": lambda f: ts(f, f[TS].replace("T", " ")),
    "a field missing": lambda f: f[:-1],
    "an extra field": lambda f: [*f, "extra"],
    "a quote that is never closed": lambda f: amount(f, '"' + f[AMOUNT]),
}
# name -> how a line changes while staying good
GOOD_EDGES = {
    "an empty region is NULL, not corrupt": lambda f: [*f[:5], "", f[TS]],
    "a refund (negative amount) is a good row": lambda f: amount(f, "-12.34"),
}
EDITED_LINE_NUMBERS = dict(zip([*CORRUPT, *GOOD_EDGES], range(3, ROWS, 9)))   # data line numbers, 1-based


def expected_row(fields: list[str]) -> tuple:
    """The plain-Python reading of a good line: the oracle for Spark's parse."""
    tid, user, amt, currency, status, region, ts_text = fields
    moment = datetime.strptime(ts_text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return (int(tid), int(user), Decimal(amt), currency, status, region or None, moment)


def raise_readable(exc: PySparkAssertionError, what: str):
    raise AssertionError(f"{what}\n{exc}") from None


@pytest.fixture(scope="module")
def converted(spark, tmp_path_factory):
    """The generated transactions with the edits applied, converted once for the module."""
    folder = tmp_path_factory.mktemp("csv_to_parquet")
    generated = folder / "generated.csv"
    data_gen.generate("transactions", generated, rows=ROWS, fmt="csv", seed=11, users=50)
    header, *lines = generated.read_text(encoding="utf-8").splitlines()
    lines_by_case, good_fields = {}, []
    for number, line in enumerate(lines, start=1):
        fields = line.split(",")
        case = next((name for name, n in EDITED_LINE_NUMBERS.items() if n == number), None)
        if case in CORRUPT:
            lines[number - 1] = ",".join(CORRUPT[case](fields))
        elif case in GOOD_EDGES:
            fields = GOOD_EDGES[case](fields)
            lines[number - 1] = ",".join(fields)
        if case not in CORRUPT:
            good_fields.append(fields)
        if case:
            lines_by_case[case] = lines[number - 1]
    src = folder / "src"
    src.mkdir()
    (src / "transactions.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    dst, quarantine = folder / "good", folder / "quarantine"

    stats = csv_to_parquet(spark, str(src), str(dst), str(quarantine))

    good = spark.read.parquet(str(dst))
    bad = spark.read.parquet(str(quarantine))
    return SimpleNamespace(
        src=src, stats=stats, good=good, bad=bad, lines_by_case=lines_by_case,
        expected_good=[expected_row(f) for f in good_fields],
        good_ids=Counter(r.transaction_id for r in good.select("transaction_id").collect()),
        raw_records=Counter(r[0] for r in bad.collect()) if bad.columns == ["raw_record"] else Counter(),
    )


@pytest.mark.parametrize("case", CORRUPT)
def test_a_corrupt_record_goes_to_the_quarantine_with_its_raw_text(converted, case):
    line = converted.lines_by_case[case]
    assert converted.bad.columns == ["raw_record"], (
        f"the quarantine has columns {converted.bad.columns}, expected ['raw_record'] (the raw text)")
    times = converted.raw_records[line]
    assert times == 1, (f"raw line {line!r} appears {times} times in the quarantine, expected once; "
                        f"the quarantine holds {sorted(converted.raw_records)}")
    tid = int(line.split(",")[0])
    assert converted.good_ids[tid] == 0, (f"raw line {line!r} is corrupt, but transaction {tid} "
                                          "is in the good output")


@pytest.mark.parametrize("case", GOOD_EDGES)
def test_an_edge_case_row_stays_good(converted, case):
    line = converted.lines_by_case[case]
    tid = int(line.split(",")[0])
    found = converted.good_ids[tid]
    assert found == 1, (f"raw line {line!r} is a good row: transaction {tid} appears {found} times "
                        "in the good output, expected once")
    assert line not in converted.raw_records, f"raw line {line!r} is a good row, but it is in the quarantine"


def test_the_good_rows_are_every_other_line_parsed_as_schema(spark, converted):
    expected = spark.createDataFrame(converted.expected_good, SCHEMA)
    try:
        assertDataFrameEqual(converted.good, expected, showOnlyDiff=True)
    except PySparkAssertionError as exc:
        raise_readable(exc, f"csv_to_parquet(spark, {str(converted.src)!r}, ...): the good output differs "
                            "from the lines that are not corrupt, parsed in Python")


def test_the_good_output_has_exactly_the_schema(converted):
    try:
        assertSchemaEqual(converted.good.schema, SCHEMA)
    except PySparkAssertionError as exc:
        raise_readable(exc, "the good Parquet's schema is not SCHEMA (nullability aside; no corrupt column)")


def test_the_quarantine_holds_only_the_corrupt_lines(converted):
    try:
        assertSchemaEqual(converted.bad.schema, QUARANTINE_SCHEMA)
    except PySparkAssertionError as exc:
        raise_readable(exc, "the quarantine's schema is not QUARANTINE_SCHEMA")
    want = Counter(converted.lines_by_case[case] for case in CORRUPT)
    assert converted.raw_records == want, (
        f"the quarantine holds {sorted(converted.raw_records.elements())}, "
        f"expected {sorted(want.elements())}")


def test_the_counts_add_up_and_match_what_was_written(converted):
    want = ConversionStats(rows_read=ROWS, rows_good=ROWS - len(CORRUPT), rows_corrupt=len(CORRUPT))
    assert converted.stats == want, f"csv_to_parquet(...) returned {converted.stats!r}, expected {want!r}"
    written = (converted.good.count(), converted.bad.count())
    assert written == (want.rows_good, want.rows_corrupt), (
        f"the outputs hold {written[0]} good rows and {written[1]} quarantined records, but "
        f"csv_to_parquet(...) reported {converted.stats!r}: the counts must describe what was written")


def test_a_rerun_replaces_both_outputs_and_writes_an_empty_quarantine(spark, converted, dataset, tmp_path):
    clean_file = dataset("transactions", rows=30, fmt="csv", seed=5, users=20)
    dst, quarantine = tmp_path / "good", tmp_path / "quarantine"
    csv_to_parquet(spark, str(converted.src), str(dst), str(quarantine))

    stats = csv_to_parquet(spark, str(clean_file), str(dst), str(quarantine))

    assert stats == ConversionStats(30, 30, 0), f"the rerun on a clean 30-line file returned {stats!r}"
    with clean_file.open(newline="", encoding="utf-8") as handle:
        expected = [expected_row(row) for row in list(csv.reader(handle))[1:]]
    try:
        assertDataFrameEqual(spark.read.parquet(str(dst)), spark.createDataFrame(expected, SCHEMA),
                             showOnlyDiff=True)
    except PySparkAssertionError as exc:
        raise_readable(exc, "after a rerun on a clean file, dst must hold that file's rows only (overwrite)")
    left = spark.read.parquet(str(quarantine)).count()
    assert left == 0, f"after a rerun on a clean file the quarantine holds {left} records, expected 0"
