"""Tests for the large-files kata: run `pytest katas/day1/data/test_large_files.py`.

Correctness is checked against pandas on small files and against a line-by-line oracle; memory is
checked in a subprocess on a file several times larger than the allowed growth. The benchmark
(`-m perf`) races your aggregate_csv against the reference and a whole-file pd.read_csv.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.bench import CONTENDERS, race
from katas.day1.data.large_files import (
    Aggregate,
    aggregate_csv,
    iter_csv_records,
    iter_jsonl,
    iter_parquet_batches,
)

HEADER = "transaction_id,user_id,amount,currency,status,region,ts"


def pandas_groups(path: Path) -> dict:
    """The answer pandas gives on a clean file: completed rows, cents, (region, 'YYYY-MM')."""
    frame = pd.read_csv(path, dtype=str)
    done = frame[frame["status"] == "completed"]
    cents = (done["amount"].astype(float) * 100).round().astype("int64")
    table = pd.DataFrame({"region": done["region"], "month": done["ts"].str[:7], "cents": cents})
    summary = table.groupby(["region", "month"])["cents"].agg(["sum", "count"])
    return {key: (int(row["sum"]), int(row["count"])) for key, row in summary.iterrows()}


def oracle(text: str) -> Aggregate:
    """Brute force, straight from the docstring's rules."""
    agg = Aggregate()
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()                    # the "" after the final newline is not a line
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split(",")
        good = len(fields) == 7 and re.fullmatch(r"-?[0-9]{1,8}\.[0-9]{2}", fields[2]) is not None
        good = good and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", fields[6]) is not None
        if good:
            try:
                datetime.strptime(fields[6], "%Y-%m-%dT%H:%M:%S")
            except ValueError:
                good = False
        if not good:
            agg.bad_lines.append(number)
        elif fields[4] == "completed":
            key = (fields[5], fields[6][:7])
            total, count = agg.groups.get(key, (0, 0))
            agg.groups[key] = (total + int(fields[2].replace(".", "")), count + 1)
    return agg


def write(tmp_path: Path, lines: list[str], newline_at_end: bool = True) -> Path:
    path = tmp_path / "tx.csv"
    path.write_text("\n".join([HEADER, *lines]) + ("\n" if newline_at_end else ""), encoding="utf-8")
    return path


# -- aggregate_csv: correctness --------------------------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize("rows,seed", [(3000, 7), (20_000, 11)], ids=["3k rows", "20k rows"])
def test_aggregate_csv_gives_the_same_totals_as_pandas(dataset, rows, seed):
    path = dataset("transactions", rows=rows, fmt="csv", seed=seed)
    got = aggregate_csv(path)
    want = pandas_groups(path)
    assert got.groups == want, (f"aggregate_csv(<{rows} generated rows>).groups differs from pandas in "
                                f"{len(set(got.groups.items()) ^ set(want.items()))} entries; "
                                f"e.g. yours {sorted(got.groups.items())[:2]}, pandas {sorted(want.items())[:2]}")
    assert got.bad_lines == [], f"a clean file reported bad lines {got.bad_lines[:10]}"


GOOD = "1,10,12.34,USD,completed,north,2023-01-31T23:59:59"
BAD_LINE_CASES = {
    "an extra field": "2,10,1.00,USD,completed,north,2023-01-05T10:00:00,extra",
    "a missing field": "3,10,1.00,USD,completed,north",
    "a blank line": "",
    "amount is not a number": "4,10,abc,USD,completed,north,2023-01-05T10:00:00",
    "amount is empty": "5,10,,USD,completed,north,2023-01-05T10:00:00",
    "amount has one decimal": "6,10,12.5,USD,completed,north,2023-01-05T10:00:00",
    "amount in exponent form": "7,10,1e3,USD,completed,north,2023-01-05T10:00:00",
    "amount is NaN (Decimal would accept it)": "8,10,NaN,USD,completed,north,2023-01-05T10:00:00",
    "the 30th of February": "9,10,1.00,USD,completed,north,2023-02-30T10:00:00",
    "month 13": "10,10,1.00,USD,completed,north,2023-13-01T10:00:00",
    "hour 24": "11,10,1.00,USD,completed,north,2023-01-05T24:00:00",
    "a space instead of T": "12,10,1.00,USD,completed,north,2023-01-05 10:00:00",
    "a date without time": "13,10,1.00,USD,completed,north,2023-01-05",
    "malformed even though failed": "14,10,oops,USD,failed,north,2023-01-05T10:00:00",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("bad", BAD_LINE_CASES.values(), ids=BAD_LINE_CASES.keys())
def test_a_malformed_line_is_reported_by_number_and_the_run_goes_on(tmp_path, bad):
    path = write(tmp_path, [GOOD, bad, GOOD])
    got = aggregate_csv(path)
    assert got.bad_lines == [3], (f"line 3 is {bad!r}; aggregate_csv reported bad_lines={got.bad_lines}, "
                                  f"expected [3] (the header is line 1)")
    assert got.groups == {("north", "2023-01"): (2468, 2)}, (
        f"the two good lines around {bad!r} should give {{('north', '2023-01'): (2468, 2)}}, got {got.groups}")


EDGE_CASES = {
    "only the header": ([], {}),
    "refunds are negative cents": (["1,1,-3.10,USD,completed,east,2023-06-01T00:00:00",
                                    "2,1,10.00,USD,completed,east,2023-06-30T23:59:59"],
                                   {("east", "2023-06"): (690, 2)}),
    "only completed counts": (["1,1,5.00,USD,failed,east,2023-06-01T00:00:00",
                               "2,1,7.00,USD,pending,east,2023-06-01T00:00:00"], {}),
    "month comes from ts as written, no time zone shift": (
        ["1,1,1.00,EUR,completed,south,2023-12-31T23:30:00", "2,1,2.00,EUR,completed,south,2024-01-01T00:30:00"],
        {("south", "2023-12"): (100, 1), ("south", "2024-01"): (200, 1)}),
    "amounts sum exactly in cents": (["1,1,0.10,USD,completed,north,2023-03-01T00:00:00"] * 3
                                     + ["2,1,99999999.99,USD,completed,north,2023-03-02T00:00:00"],
                                     {("north", "2023-03"): (9_999_999_999 + 30, 4)}),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("lines,want", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_aggregate_csv_edge_cases(tmp_path, lines, want):
    path = write(tmp_path, lines)
    got = aggregate_csv(path)
    assert (got.groups, got.bad_lines) == (want, []), (
        f"aggregate_csv on {lines} returned groups={got.groups}, bad_lines={got.bad_lines}; expected {want}, []")


LINE = st.one_of(
    st.builds(lambda i, cents, status, region, day, hour: (
        f"{i},7,{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d},USD,{status},{region},"
        f"2024-{day // 100:02d}-{day % 100:02d}T{hour:02d}:00:00"),
        st.integers(1, 99), st.integers(-10**6, 10**6), st.sampled_from(["completed", "failed"]),
        st.sampled_from(["north", "eu", "overseas", ""]),
        st.sampled_from([101, 131, 229, 230, 430, 431, 1231, 1301]), st.sampled_from([0, 23, 24])),
    st.sampled_from(["", "x", "1,2,3", "1,7,1.000,USD,completed,north,2024-01-01T00:00:00",
                     "1,7,1.00,USD,completed,north,2024-01-01T00:00:00,", "1,7,.50,USD,completed,a,2024-01-01T00:00:00"]),
)


@pytest.mark.timeout(120)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, max_size=30), newline_at_end=st.booleans())
def test_aggregate_csv_matches_a_line_by_line_oracle(tmp_path, lines, newline_at_end):
    if not newline_at_end and lines and lines[-1] == "":
        newline_at_end = True          # a blank last line without "\n" does not exist in a file
    path = write(tmp_path, lines, newline_at_end)
    text = path.read_text(encoding="utf-8")
    got, want = aggregate_csv(path), oracle(text)
    assert (got.groups, got.bad_lines) == (want.groups, want.bad_lines), (
        f"aggregate_csv on lines {lines} returned groups={got.groups}, bad_lines={got.bad_lines}; "
        f"the oracle says groups={want.groups}, bad_lines={want.bad_lines}")


@pytest.mark.timeout(30)
def test_the_last_line_may_lack_its_newline(tmp_path):
    path = write(tmp_path, [GOOD, "2,1,0.05,USD,completed,west,2024-02-29T00:00:00"], newline_at_end=False)
    got = aggregate_csv(path)
    want = {("north", "2023-01"): (1234, 1), ("west", "2024-02"): (5, 1)}
    assert (got.groups, got.bad_lines) == (want, []), (
        f"a file whose last line has no newline gave groups={got.groups}, bad_lines={got.bad_lines}; expected {want}")


# -- aggregate_csv: memory ---------------------------------------------------------------------------

GROWTH_LIMIT_MB = 64           # allowed peak growth over the process's memory before the call
COPIES = 380                   # the big file is COPIES x a 10,000-row file: about 200 MB, 3x the limit

MEASURE = """
import json, os, resource, sys
from katas.day1.data.large_files import aggregate_csv
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
before = hwm()
agg = aggregate_csv(sys.argv[1])
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"before_kb": before, "self_kb": hwm(), "children_kb": children,
                  "groups": [[list(k), list(v)] for k, v in agg.groups.items()], "bad": agg.bad_lines}))
"""


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """A file several times larger than the growth limit, built by repeating a small generated file."""
    import data_gen

    folder = tmp_path_factory.mktemp("big")
    small = folder / "small.csv"
    data_gen.generate("transactions", small, rows=10_000, fmt="csv", seed=5)
    header, body = small.read_bytes().split(b"\n", 1)
    big = folder / "big.csv"
    with open(big, "wb") as f:
        f.write(header + b"\n")
        f.writelines(body for _ in range(COPIES))
    return small, big


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_aggregate_csv_memory_stays_bounded_on_a_file_larger_than_the_bound(big_csv):
    small, big = big_csv
    size_mb = big.stat().st_size / 2**20
    assert size_mb > 3 * GROWTH_LIMIT_MB
    out = subprocess.run([sys.executable, "-c", MEASURE, str(big)], capture_output=True, text=True, check=False,
                         env={**os.environ}, timeout=110)
    assert out.returncode == 0, f"aggregate_csv({big.name}) failed in a subprocess:\n{out.stderr[-2000:]}"
    r = json.loads(out.stdout.strip().splitlines()[-1])
    growth_mb = (max(r["self_kb"], r["children_kb"]) - r["before_kb"]) / 1024
    assert growth_mb < GROWTH_LIMIT_MB, (
        f"aggregate_csv on a {size_mb:.0f} MB file grew peak memory by {growth_mb:.0f} MB (in the process or one "
        f"of its children), allowed {GROWTH_LIMIT_MB} MB: read it in pieces, never the whole file")
    small_groups = pandas_groups(small)
    got = {tuple(k): tuple(v) for k, v in r["groups"]}
    want = {k: (total * COPIES, count * COPIES) for k, (total, count) in small_groups.items()}
    assert got == want and r["bad"] == [], (
        f"on {COPIES} copies of a file, aggregate_csv should give {COPIES} x its totals and no bad lines; "
        f"{len(set(got.items()) ^ set(want.items()))} groups differ, bad lines {r['bad'][:5]}")


# -- streaming readers ---------------------------------------------------------------------------------

@pytest.mark.timeout(30)
def test_iter_csv_records_gives_the_rows_of_csv_dictreader(dataset):
    path = dataset("transactions", rows=500, fmt="csv", seed=3)
    with open(path, newline="") as f:
        want = list(csv.DictReader(f))
    got = list(iter_csv_records(path))
    assert got == want, f"iter_csv_records gave {len(got)} records, first {got[:1]}; DictReader gave {want[:1]}"


@pytest.mark.timeout(30)
def test_iter_csv_records_skips_and_numbers_lines_with_the_wrong_field_count(tmp_path):
    path = write(tmp_path, [GOOD, "1,2,3", GOOD, GOOD + ",x", ""])
    bad: list[int] = []
    got = list(iter_csv_records(path, bad_lines=bad))
    assert len(got) == 2 and got[0]["region"] == "north", f"expected the 2 good records, got {got}"
    assert bad == [3, 5, 6], f"bad_lines={bad}, expected [3, 5, 6] (short line, extra field, blank line)"


@pytest.mark.timeout(30)
def test_iter_jsonl_gives_the_records_pandas_reads(dataset):
    path = dataset("transactions", rows=500, fmt="jsonl", seed=3)
    want = pd.read_json(path, lines=True, dtype=False).to_dict("records")
    got = list(iter_jsonl(path))
    assert len(got) == len(want) and [r["transaction_id"] for r in got] == [r["transaction_id"] for r in want], (
        f"iter_jsonl gave {len(got)} records, pandas read {len(want)}")
    assert got[0].keys() == want[0].keys(), f"keys {list(got[0])} differ from pandas' {list(want[0])}"


@pytest.mark.timeout(30)
def test_iter_jsonl_skips_and_numbers_bad_lines_but_not_blank_ones(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"a": \n[1, 2]\n\n"text"\n{"a": 2}\n', encoding="utf-8")
    bad: list[int] = []
    got = list(iter_jsonl(path, bad_lines=bad))
    assert got == [{"a": 1}, {"a": 2}], f"iter_jsonl gave {got}, expected [{{'a': 1}}, {{'a': 2}}]"
    assert bad == [2, 3, 5], f"bad_lines={bad}, expected [2, 3, 5] (broken JSON, an array, a string; line 4 is blank)"


def feed_fifo(fifo: Path, first: str, rest: str, released: threading.Event, outcome: dict) -> None:
    """Write `first`, wait until the reader has its first record, then write `rest` and close."""
    with open(fifo, "w") as f:
        f.write(first)
        f.flush()
        outcome["released_in_time"] = released.wait(timeout=3)
        f.write(rest)


READERS = {
    "csv": (iter_csv_records, HEADER + "\n" + GOOD + "\n", GOOD + "\n"),
    "jsonl": (iter_jsonl, '{"a": 1}\n', '{"a": 2}\n'),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("reader,first,rest", READERS.values(), ids=READERS.keys())
def test_the_first_record_comes_out_before_the_file_is_read_to_the_end(tmp_path, reader, first, rest):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    released, outcome = threading.Event(), {}
    writer = threading.Thread(target=feed_fifo, args=(fifo, first, rest, released, outcome), daemon=True)
    writer.start()
    try:
        records = reader(fifo)
        next(records)
        released.set()
        remaining = list(records)
    finally:
        released.set()
        unblock = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)   # lets a writer stuck in open() go on
        writer.join(timeout=5)
        os.close(unblock)
    assert outcome["released_in_time"], (f"{reader.__name__} only gave its first record once the writer closed "
                                         f"the file: it reads everything before yielding; stream instead")
    assert len(remaining) == 1, f"{reader.__name__} gave {remaining} after the first record, expected one more"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("batch_size", [1000, 4096], ids=["1000 rows", "4096 rows"])
def test_iter_parquet_batches_streams_bounded_batches_of_the_chosen_columns(dataset, batch_size):
    path = dataset("transactions", rows=10_000, fmt="parquet", seed=3)
    batches = list(iter_parquet_batches(path, columns=["region", "amount"], batch_size=batch_size))
    sizes = [b.num_rows for b in batches]
    assert sizes and max(sizes) <= batch_size and sum(sizes) == 10_000, (
        f"iter_parquet_batches(batch_size={batch_size}) gave batches of {sizes[:5]}... rows; "
        f"expected at most {batch_size} each and 10000 in total")
    assert all(b.schema.names == ["region", "amount"] for b in batches), f"columns were {batches[0].schema.names}"
    want = pd.read_parquet(path, columns=["region", "amount"])
    got = pd.concat([b.to_pandas() for b in batches], ignore_index=True)
    assert got.equals(want), "the concatenated batches differ from pd.read_parquet of the same columns"


@pytest.mark.timeout(30)
def test_iter_parquet_batches_with_no_columns_gives_them_all(dataset):
    path = dataset("transactions", rows=100, fmt="parquet", seed=3)
    batch = next(iter(iter_parquet_batches(path)))
    assert batch.schema.names == list(pd.read_parquet(path).columns), f"got columns {batch.schema.names}"


# -- benchmark -----------------------------------------------------------------------------------------

def naive_aggregate(path) -> Aggregate:
    """The whole file in memory with pandas: fine at 20 MB, out of memory at 10 GB."""
    return Aggregate(groups=pandas_groups(Path(path)))


@pytest.mark.perf
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_aggregate_csv(benchmark, contender, bench_data):
    path = bench_data("transactions", fmt="csv")
    race(benchmark, "day1.data.large_files", "aggregate_csv", contender, naive_aggregate, path,
         check=lambda got, want: got.groups == want.groups or pytest.fail(f"{contender} disagrees with your answer"))
