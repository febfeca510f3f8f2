"""Tests for chunked aggregation: run `pytest katas/day3/pandas/test_chunked.py`.

Every answer is compared with the whole-frame pandas answer on a file several chunks long, and with
a csv-module loop on generated files (hypothesis). A memory guard (`-m perf`) traces the peak
allocations of user_totals_chunked; the benchmark races your chunked version against the reference
and the csv-module loop on `--data-size` of transactions.
"""
from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.bench import CONTENDERS, race
from katas.day3.pandas.chunked import (
    ANSWER_COLUMNS,
    PARTIAL_COLUMNS,
    combine_partials,
    partial_totals,
    user_totals_chunked,
    user_totals_dask,
)

HEADER = "transaction_id,user_id,amount,currency,status,region,ts"
ROWS, USERS, CHUNK, BLOCK = 20_000, 500, 3_000, 100_000      # the file is about 1.1 MB: 7 chunks, 11 blocks
BENCH_CHUNK = 20_000                                         # the default 5 MB benchmark file is ~90,000 rows


def whole_frame_answer(path: Path) -> pd.DataFrame:
    """The answer from the whole file in memory: what every chunked version must reproduce."""
    frame = pd.read_csv(path)
    completed = frame[frame["status"] == "completed"]
    return completed.groupby("user_id").agg(transactions=("amount", "size"), total=("amount", "sum"),
                                            mean=("amount", "mean"), largest=("amount", "max")).sort_index()


def csv_module_answer(path: str | Path) -> pd.DataFrame:
    """The naive baseline and the oracle: the csv module, one row at a time, plain dicts."""
    count: dict[int, int] = {}
    total: dict[int, float] = {}
    largest: dict[int, float] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] != "completed":
                continue
            user, amount = int(row["user_id"]), float(row["amount"])
            count[user] = count.get(user, 0) + 1
            total[user] = total.get(user, 0.0) + amount
            largest[user] = max(largest.get(user, amount), amount)
    users = sorted(count)
    answer = pd.DataFrame({"transactions": [count[u] for u in users], "total": [total[u] for u in users],
                           "mean": [total[u] / count[u] for u in users], "largest": [largest[u] for u in users]},
                          index=pd.Index(users, dtype="int64", name="user_id"))
    return answer.astype({"transactions": "int64", "total": "float64", "mean": "float64", "largest": "float64"})


def assert_same_answer(got: pd.DataFrame, want: pd.DataFrame, what: str) -> None:
    """Same users, columns and counts; float columns equal up to the order of the additions."""
    assert isinstance(got, pd.DataFrame), f"{what} returned {type(got).__name__}, expected a pandas DataFrame"
    assert list(got.columns) == ANSWER_COLUMNS, f"{what} has columns {list(got.columns)}, expected {ANSWER_COLUMNS}"
    assert got.index.name == "user_id", f"{what}'s index is named {got.index.name!r}, expected 'user_id'"
    missing, extra = sorted(set(want.index) - set(got.index)), sorted(set(got.index) - set(want.index))
    assert not missing and not extra and got.index.is_unique, (
        f"{what}: users missing {missing[:5]}, unexpected {extra[:5]}, index unique: {got.index.is_unique}")
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, check_index_type=False,
                                  obj=what)


def write_csv(path: Path, rows: list[tuple]) -> Path:
    """(user_id, amount, status) tuples -> a transactions file."""
    lines = [f"{i},{user},{amount:.2f},USD,{status},north,2024-01-01T00:00:00"
             for i, (user, amount, status) in enumerate(rows, start=1)]
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def transactions(dataset) -> Path:
    path = dataset("transactions", rows=ROWS, fmt="csv", seed=7, users=USERS)
    assert path.stat().st_size > BLOCK * 5
    return path


# -- a hand-written file in chunks of 2 rows ------------------------------------------------------

SMALL = [
    (1, 10.00, "completed"), (2, 5.00, "completed"),     # chunk 1
    (1, 2.00, "completed"), (1, 2.00, "completed"),      # chunk 2
    (3, 7.00, "failed"), (2, -1.00, "completed"),        # chunk 3
    (4, 1.00, "pending"),                                # chunk 4: no completed row at all
]
SMALL_USERS = {
    "user 1: rows in two chunks; the mean is 14/3, not the mean of the chunk means (6)": (1, (3, 14.0, 14 / 3, 10.0)),
    "user 2: a refund in a later chunk lowers the total, not the largest": (2, (2, 4.0, 2.0, 5.0)),
    "user 3: only a failed payment, so absent": (3, None),
    "user 4: only a pending payment, alone in its chunk, so absent": (4, None),
}


@pytest.mark.parametrize("user,want", SMALL_USERS.values(), ids=SMALL_USERS.keys())
def test_user_totals_chunked_on_a_small_file_in_chunks_of_two(tmp_path, user, want):
    got = user_totals_chunked(write_csv(tmp_path / "small.csv", SMALL), chunksize=2)
    shown = f"\n{got.to_string()}" if isinstance(got, pd.DataFrame) else repr(got)
    if want is None:
        assert user not in got.index, f"user {user} has no completed payment but is in the answer:{shown}"
        return
    assert user in got.index and list(got.columns) == ANSWER_COLUMNS, (
        f"user_totals_chunked(<small file>, chunksize=2) should have user {user} and columns {ANSWER_COLUMNS}:{shown}")
    found = tuple(got.loc[user, ANSWER_COLUMNS])
    assert found == pytest.approx(want), (f"user_totals_chunked(<small file>, chunksize=2): user {user} has "
                                          f"{dict(zip(ANSWER_COLUMNS, found))}, expected {dict(zip(ANSWER_COLUMNS, want))}")


# -- partial_totals and combine_partials ----------------------------------------------------------

def partial(rows: dict[int, tuple]) -> pd.DataFrame:
    """user -> (transactions, total, largest) as partial_totals returns it."""
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=PARTIAL_COLUMNS).astype({"transactions": "int64"})
    return frame.rename_axis("user_id")


def test_partial_totals_keeps_completed_rows_and_no_mean():
    chunk = pd.DataFrame({"user_id": [1, 1, 2, 3], "amount": [4.0, 6.0, 9.0, 1.0],
                          "status": ["completed", "completed", "failed", "completed"]})
    got = partial_totals(chunk)
    assert list(got.columns) == PARTIAL_COLUMNS, (
        f"partial_totals returned columns {list(got.columns)}, expected {PARTIAL_COLUMNS} (a mean does not combine)")
    pd.testing.assert_frame_equal(got, partial({1: (2, 10.0, 6.0), 3: (1, 1.0, 1.0)}), check_index_type=False,
                                  obj="partial_totals(a chunk where user 2's only payment failed)")


COMBINE_CASES = {
    "a user in two partials: counts and totals add, largest is the max, mean is total / count":
        ([{1: (1, 10.0, 10.0)}, {1: (3, 6.0, 3.0)}], {1: (4, 16.0, 4.0, 10.0)}),
    "users spread over partials, one in all three":
        ([{1: (1, 1.0, 1.0), 2: (2, 4.0, 3.0)}, {2: (1, -2.0, -2.0)}, {3: (1, 5.0, 5.0), 1: (1, 3.0, 3.0)}],
         {1: (2, 4.0, 2.0, 3.0), 2: (3, 2.0, 2 / 3, 3.0), 3: (1, 5.0, 5.0, 5.0)}),
    "an empty partial in the middle is harmless": ([{7: (2, 2.0, 1.5)}, {}, {7: (2, 4.0, 3.0)}],
                                                   {7: (4, 6.0, 1.5, 3.0)}),
}


@pytest.mark.parametrize("parts,want", COMBINE_CASES.values(), ids=COMBINE_CASES.keys())
def test_combine_partials(parts, want):
    got = combine_partials(iter([partial(p) for p in parts]))
    expected = pd.DataFrame.from_dict(want, orient="index", columns=ANSWER_COLUMNS).astype({"transactions": "int64"})
    assert_same_answer(got, expected.rename_axis("user_id").sort_index(), f"combine_partials(partials {parts})")


def test_combine_partials_of_nothing_is_an_empty_answer():
    for parts in ([], [partial({})]):
        got = combine_partials(iter(parts))
        assert isinstance(got, pd.DataFrame) and got.empty and list(got.columns) == ANSWER_COLUMNS, (
            f"combine_partials of {len(parts)} empty partials returned {got!r}; "
            f"expected an empty frame with columns {ANSWER_COLUMNS}")


# -- the whole file, in chunks and with dask --------------------------------------------------------

def test_user_totals_chunked_equals_the_whole_frame_answer(transactions):
    got = user_totals_chunked(transactions, chunksize=CHUNK)
    assert_same_answer(got, whole_frame_answer(transactions),
                       f"user_totals_chunked(<{ROWS} rows>, chunksize={CHUNK})")
    assert list(got.index) == sorted(got.index), "user_totals_chunked's users are not in ascending order"


def test_user_totals_dask_is_lazy_and_equals_the_whole_frame_answer(transactions):
    import dask

    got = user_totals_dask(transactions, blocksize=BLOCK)
    assert dask.is_dask_collection(got), (
        f"user_totals_dask returned a {type(got).__module__}.{type(got).__name__}: return the lazy dask DataFrame "
        f"and let the caller compute() it")
    computed = got.compute(scheduler="synchronous").sort_index()
    assert_same_answer(computed, whole_frame_answer(transactions),
                       f"user_totals_dask(<{ROWS} rows>, blocksize={BLOCK}).compute()")


ROW = st.tuples(st.integers(1, 6), st.integers(-500, 20_000).map(lambda cents: cents / 100),
                st.sampled_from(["completed", "completed", "failed", "pending"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=40), chunksize=st.integers(1, 8))
def test_user_totals_chunked_matches_a_csv_module_loop(tmp_path, rows, chunksize):
    path = write_csv(tmp_path / "generated.csv", rows)
    got, want = user_totals_chunked(path, chunksize=chunksize), csv_module_answer(path)
    assert_same_answer(got, want, f"user_totals_chunked(<(user, amount, status) rows {rows}>, chunksize={chunksize})")


# -- memory guard -------------------------------------------------------------------------------------

def peak_allocated(call) -> int:
    """Peak bytes allocated while `call` runs (numpy and Python objects; pandas' arrays are numpy)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


COPIES, GUARD_CHUNK = 10, 10_000     # the guard's file: 10 copies of the 20,000-row file, read in 20 chunks


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_user_totals_chunked_memory_does_not_grow_with_the_file(transactions, tmp_path):
    header, body = transactions.read_bytes().split(b"\n", 1)
    path = tmp_path / "big.csv"
    path.write_bytes(header + b"\n" + body * COPIES)
    whole = peak_allocated(lambda: pd.read_csv(path, usecols=["user_id", "amount", "status"]))
    chunked = peak_allocated(lambda: user_totals_chunked(path, chunksize=GUARD_CHUNK))
    assert chunked < whole / 3, (
        f"user_totals_chunked(<{ROWS * COPIES:,} rows>, chunksize={GUARD_CHUNK}) allocated {chunked / 2**20:.1f} MiB "
        f"at its peak; reading the file whole takes {whole / 2**20:.1f} MiB and the limit is a third of that: keep "
        f"one chunk and one running aggregate, never all the chunks")


# -- benchmark ---------------------------------------------------------------------------------------------

@pytest.mark.perf
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_user_totals_chunked(benchmark, contender, bench_data):
    path = bench_data("transactions", fmt="csv")

    def agrees(got, want):
        try:
            assert_same_answer(got, want, contender)
        except AssertionError as exc:
            pytest.fail(f"{contender} disagrees with your answer: {exc}")

    def naive(path, chunksize):
        return csv_module_answer(path)

    race(benchmark, "day3.pandas.chunked", "user_totals_chunked", contender, naive, path, BENCH_CHUNK, check=agrees)
