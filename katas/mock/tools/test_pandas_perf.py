"""Tests for the pandas-performance kata: run `pytest katas/mock/tools/test_pandas_perf.py`.

Correctness is judged against the given slow version (named cases, a hypothesis property, a
generated file); memory by memory_usage(deep=True) against the slow version's frame; speed by a
guard that counts: on 200,000 rows the row-wise calls are replaced by counters that fail, which the
given version cannot pass at any size. The benchmark (`pytest -m perf --benchmark-enable
--data-size 560MB`, about 10M rows) races your enrich against the reference and the given version.
"""
from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy

from dojo.bench import CONTENDERS, race
from dojo.guards import within_time_limit
from katas.mock.tools.pandas_perf import COLUMNS, enrich, enrich_slow

KATA = "mock.tools.pandas_perf"
HEADER = "transaction_id,user_id,amount,currency,status,region,ts"


def raw_of(rows: list[tuple]) -> pd.DataFrame:
    """A frame exactly as pd.read_csv gives it from (id, user, amount, currency, status, region, ts) rows."""
    lines = [HEADER, *(",".join(str(v) for v in row) for row in rows)]
    return pd.read_csv(io.StringIO("\n".join(lines) + "\n"))


def slow(raw: pd.DataFrame) -> pd.DataFrame:
    """The given version's answer, its pandas warnings (the point of the kata) kept quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return enrich_slow(raw.copy())


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as their text, so values compare whatever the dtype."""
    return frame.assign(**{c: frame[c].astype(object) for c in frame.columns
                           if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame, call: str) -> None:
    assert list(got.columns) == list(COLUMNS), f"{call} returned columns {list(got.columns)}, expected {list(COLUMNS)}"
    assert len(got) == len(want), f"{call} returned {len(got)} rows, the given version {len(want)}"
    assert isinstance(got.index, pd.RangeIndex) and got.index.start == 0, (
        f"{call} returned the index {got.index[:5].tolist()}...; expected a fresh 0..n-1 index (ignore_index=True)")
    if len(want) == 0:
        return
    for column in COLUMNS:
        try:
            pd.testing.assert_series_equal(plain(got)[column], plain(want)[column], check_dtype=False,
                                           check_exact=False, rtol=1e-9, atol=1e-9, check_index=False)
        except AssertionError:
            bad = next(i for i, (a, b) in enumerate(zip(plain(got)[column], plain(want)[column]))
                       if not (a == b or (isinstance(a, float) and abs(a - b) <= 1e-9 * max(1.0, abs(b)))))
            raise AssertionError(
                f"{call}: column {column!r} differs first at row {bad}: yours is {got[column].iloc[bad]!r}, the "
                f"given version's is {want[column].iloc[bad]!r}\nyour row:  {got.iloc[bad].to_dict()}\n"
                f"its row:   {want.iloc[bad].to_dict()}") from None


def check_against_the_given_version(rows: list[tuple]) -> None:
    raw = raw_of(rows)
    assert_same_frame(enrich(raw.copy()), slow(raw), f"enrich(<raw rows {rows}>)")


T = "2024-03-13T12:00:00"           # a Wednesday
CASES = {
    "one completed USD row": [(1, 7, 12.5, "USD", "completed", "north", T)],
    "failed and pending rows are dropped": [(1, 7, 12.5, "USD", "failed", "north", T),
                                            (2, 7, 30.0, "USD", "pending", "east", T),
                                            (3, 7, 40.0, "USD", "completed", "east", T)],
    "EUR and GBP converted with RATES_TO_USD": [(1, 7, 10.0, "EUR", "completed", "north", T),
                                                (2, 8, 10.0, "GBP", "completed", "north", T)],
    "band boundaries: 19.99 small, 20.00 medium, 99.99 medium, 100.00 large": [
        (1, 7, 19.99, "USD", "completed", "north", "2024-03-13T12:00:01"),
        (2, 7, 20.0, "USD", "completed", "north", "2024-03-13T12:00:02"),
        (3, 7, 99.99, "USD", "completed", "north", "2024-03-13T12:00:03"),
        (4, 7, 100.0, "USD", "completed", "north", "2024-03-13T12:00:04")],
    "a refund is negative: band refund, and it lowers the running total": [
        (1, 7, 50.0, "USD", "completed", "west", "2024-01-01T00:00:00"),
        (2, 7, -20.0, "USD", "completed", "west", "2024-01-02T00:00:00")],
    "rows ordered by user, then ts, nth and running total per user": [
        (1, 9, 5.0, "USD", "completed", "east", "2024-05-01T10:00:00"),
        (2, 3, 6.0, "USD", "completed", "east", "2024-05-03T10:00:00"),
        (3, 9, 7.0, "USD", "completed", "east", "2024-04-01T10:00:00"),
        (4, 3, 8.0, "USD", "completed", "east", "2024-05-02T10:00:00")],
    "a tie at the same second goes by transaction_id, not by row order": [
        (12, 7, 5.0, "USD", "completed", "east", T), (11, 7, 6.0, "USD", "completed", "east", T),
        (10, 7, 7.0, "USD", "completed", "east", "2024-03-13T12:00:01")],
    "the running total counts only completed rows": [
        (1, 7, 5.0, "USD", "completed", "east", "2024-05-01T10:00:00"),
        (2, 7, 500.0, "USD", "failed", "east", "2024-05-02T10:00:00"),
        (3, 7, 7.0, "USD", "completed", "east", "2024-05-03T10:00:00")],
    "weekend: Saturday and Sunday, as written": [
        (1, 7, 5.0, "USD", "completed", "east", "2024-03-15T23:59:59"),
        (2, 7, 5.0, "USD", "completed", "east", "2024-03-16T00:00:00"),
        (3, 7, 5.0, "USD", "completed", "east", "2024-03-17T23:59:59"),
        (4, 7, 5.0, "USD", "completed", "east", "2024-03-18T00:00:00")],
}


@pytest.mark.parametrize("rows", CASES.values(), ids=CASES.keys())
def test_enrich_gives_the_answer_of_the_given_version(rows):
    check_against_the_given_version(rows)


def test_no_completed_row_gives_an_empty_frame_with_the_columns():
    raw = raw_of([(1, 7, 12.5, "USD", "failed", "north", T)])
    got = enrich(raw)
    assert list(got.columns) == list(COLUMNS) and len(got) == 0, (
        f"enrich(<one failed row>) returned {len(got)} rows with columns {list(got.columns)}; "
        f"expected no rows and the columns {list(COLUMNS)}")


ROW = st.tuples(st.integers(1, 4), st.sampled_from([-20.0, 0.01, 19.99, 20.0, 55.5, 99.99, 100.0, 250.0]),
                st.sampled_from(["USD", "EUR", "GBP"]), st.sampled_from(["completed", "completed", "failed"]),
                st.sampled_from(["north", "east"]),
                st.sampled_from(["2024-03-15T10:00:00", "2024-03-16T10:00:00", "2024-03-17T09:00:00"]))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(ROW, max_size=12), ids=st.randoms())
def test_enrich_equals_the_given_version_on_random_small_frames(rows, ids):
    assume(any(status == "completed" for _, _, _, status, _, _ in rows))     # the given version fails on none
    numbers = ids.sample(range(1, 100), len(rows))          # ids out of row order, ties at the same second
    check_against_the_given_version([(n, *row) for n, row in zip(numbers, rows)])


@pytest.fixture
def generated_raw(dataset):
    return pd.read_csv(dataset("transactions", rows=2000, fmt="csv", seed=11, users=120))


def test_enrich_equals_the_given_version_on_a_generated_file(generated_raw):
    assert_same_frame(enrich(generated_raw.copy()), slow(generated_raw),
                      "enrich(<2,000 generated transactions of 120 users>)")


def test_enrich_leaves_raw_as_it_was(generated_raw):
    before = generated_raw.copy()
    enrich(generated_raw)
    pd.testing.assert_frame_equal(generated_raw, before, obj="raw after enrich(raw)")


def test_enrich_gives_the_same_answer_under_copy_on_write(generated_raw):
    want = slow(generated_raw)
    with pd.option_context("mode.copy_on_write", True):
        got = enrich(generated_raw.copy())
    assert_same_frame(got, want, "enrich(raw) with mode.copy_on_write on (pandas 3's default: a chained "
                                 "df['col'][mask] = value then changes a temporary copy, not df)")


def test_enrich_frame_takes_at_most_a_quarter_of_the_given_versions_memory(generated_raw):
    got, want = enrich(generated_raw.copy()), slow(generated_raw)
    mine, theirs = got.memory_usage(deep=True), want.memory_usage(deep=True)
    per_column = {c: f"{mine[c] / max(len(got), 1):.0f} vs {theirs[c] / len(want):.0f}" for c in COLUMNS}
    assert mine.sum() * 4 <= theirs.sum(), (
        f"enrich's frame takes {mine.sum():,} bytes (memory_usage(deep=True)), the given version's {theirs.sum():,}: "
        f"only {theirs.sum() / mine.sum():.1f}x less, expected at least 4x. Bytes per row, yours vs given: "
        f"{per_column}. Category for repeated text, the smallest int that holds the values, bool for flags")


# -- the size guard: row-wise calls are counted, and fail -------------------------------------------------------

GUARD_ROWS = 200_000
MAX_CONCATS = 2


def forbid_row_loops(monkeypatch) -> list[str]:
    """Replace the row-wise pandas calls with ones that fail, and let pd.concat be called MAX_CONCATS times."""
    calls: list[str] = []

    def forbidden(name):
        def fail(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"enrich called {name}: a Python call per row (or per group); on 10M rows that is "
                                 f"minutes. Use a vectorised column operation instead")
        return fail

    for owner, name in [(pd.DataFrame, "iterrows"), (pd.DataFrame, "itertuples"), (pd.DataFrame, "apply"),
                        (pd.Series, "apply"), (DataFrameGroupBy, "apply"), (SeriesGroupBy, "apply")]:
        monkeypatch.setattr(owner, name, forbidden(f"{owner.__name__}.{name}"))
    real_map, real_concat = pd.Series.map, pd.concat

    def map_without_functions(self, arg, *args, **kwargs):
        if callable(arg) and not isinstance(arg, (dict, pd.Series)):
            return forbidden("Series.map with a function")()
        return real_map(self, arg, *args, **kwargs)

    def counted_concat(*args, **kwargs):
        calls.append("pd.concat")
        if calls.count("pd.concat") > MAX_CONCATS:
            raise AssertionError(f"enrich called pd.concat more than {MAX_CONCATS} times: a frame grown in a loop "
                                 f"copies everything gathered so far on every call. Build it once")
        return real_concat(*args, **kwargs)

    monkeypatch.setattr(pd.Series, "map", map_without_functions)
    monkeypatch.setattr(pd, "concat", counted_concat)
    return calls


@pytest.fixture
def guard_raw(dataset):
    return pd.read_csv(dataset("transactions", rows=GUARD_ROWS, fmt="csv", seed=13, users=20_000))


@pytest.mark.perf
@pytest.mark.timeout(60)
def test_two_hundred_thousand_rows_without_a_python_call_per_row(guard_raw, monkeypatch):
    want = slow(guard_raw[guard_raw["user_id"] <= 40])
    with monkeypatch.context() as patch:
        forbid_row_loops(patch)
        got = within_time_limit(lambda: enrich(guard_raw), f"enrich(<{GUARD_ROWS:,} rows>)")
    mine = got[got["user_id"].astype("int64") <= 40].reset_index(drop=True)
    assert_same_frame(mine, want, f"enrich(<{GUARD_ROWS:,} rows>), the rows of users 1..40")


# -- benchmark: the given version runs on a slice of whole users ---------------------------------------------

NAIVE_ROWS = 5_000          # the given version manages ~2,000 rows a second; its time is for a slice


def users_in_slice(raw: pd.DataFrame) -> int:
    """The users 1..k whose rows are about NAIVE_ROWS of raw (every user's rows, so the answers compare)."""
    return max(1, int(raw["user_id"].max() * NAIVE_ROWS / max(len(raw), 1)))


def naive_on_a_slice(raw: pd.DataFrame) -> pd.DataFrame:
    return slow(raw[raw["user_id"] <= users_in_slice(raw)])


def same_users_as(got: pd.DataFrame, want: pd.DataFrame) -> None:
    users = set(got["user_id"].astype("int64"))
    mine = want[want["user_id"].astype("int64").isin(users)].reset_index(drop=True)
    assert_same_frame(got.reset_index(drop=True), mine, "a contender disagrees with your enrich")


@pytest.fixture(scope="module")
def bench_raw(bench_data):
    return pd.read_csv(bench_data("transactions", fmt="csv"))


@pytest.mark.perf
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_enrich(benchmark, contender, bench_raw):
    if contender == "naive":
        sliced = int((bench_raw["user_id"] <= users_in_slice(bench_raw)).sum())
        benchmark.extra_info["multiply_by"] = len(bench_raw) / max(sliced, 1)
    race(benchmark, KATA, "enrich", contender, naive_on_a_slice, bench_raw, check=same_users_as)
