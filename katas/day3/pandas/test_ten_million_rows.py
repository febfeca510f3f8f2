"""Tests for the ten-million-rows kata: run `pytest katas/day3/pandas/test_ten_million_rows.py`.

Exact answers on small hand-built frames (named cases), a hypothesis property against a plain-Python
oracle, an end-to-end run on a generated orders_raw file, the figure, and a memory bound on
load_orders' dtypes. The benchmark (`pytest -m perf --benchmark-enable --data-size 500MB ...`) races
your pipeline against the reference, a row-wise version and DuckDB SQL, all on the same frame.
"""
from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from fractions import Fraction

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg

from dojo import impl
from dojo.bench import CONTENDERS
from katas.day3.pandas.ten_million_rows import (
    MONTHLY_COLUMNS,
    dedupe,
    impute_amounts,
    load_orders,
    monthly_sales,
    plot_trends,
)

KATA = "day3.pandas.ten_million_rows"
HEADER = "order_id,user_id,order_ts,region,amount"
T = "2024-03-10T12:00:00"


def orders(rows, extra_regions=()) -> pd.DataFrame:
    """A frame as load_orders gives it, from (order_id, user_id, 'YYYY-MM-DDTHH:MM:SS', region, amount|None).

    The region categories come in order of first appearance (as pyarrow makes them), not sorted.
    """
    rows = list(rows)
    regions = [r[3] for r in rows]
    categories = list(dict.fromkeys([*regions, *extra_regions]))
    return pd.DataFrame({
        "order_id": np.array([r[0] for r in rows], dtype=np.int32),
        "user_id": np.array([r[1] for r in rows], dtype=np.int32),
        "order_ts": pd.to_datetime(pd.Series([r[2] for r in rows], dtype=object), format="%Y-%m-%dT%H:%M:%S"),
        "region": pd.Categorical(regions, categories=categories),
        "amount": np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64),
    })


def rows_of(frame: pd.DataFrame) -> list[tuple]:
    """The frame back as tuples like the ones `orders` takes (NaN amount -> None)."""
    return [(int(r.order_id), int(r.user_id), r.order_ts.strftime("%Y-%m-%dT%H:%M:%S"), str(r.region),
             None if pd.isna(r.amount) else float(r.amount)) for r in frame.itertuples(index=False)]


def table_of(monthly: pd.DataFrame) -> list[tuple]:
    return [(str(r.region), str(r.month), float(r.total_amount), int(r.orders)) for r in monthly.itertuples()]


def same_amounts(got: list, want: list) -> bool:
    return len(got) == len(want) and all(
        (g is None and w is None) or (g is not None and w is not None and g == pytest.approx(w, rel=1e-12))
        for g, w in zip(got, want))


# -- a plain-Python oracle, straight from the docstring --------------------------------------------

def oracle_dedupe(rows: list[tuple]) -> list[tuple]:
    seen, firsts = set(), []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            firsts.append(row)
    return firsts


def oracle_impute(rows: list[tuple]) -> list[tuple]:
    known = defaultdict(list)
    for row in rows:
        if row[4] is not None:
            known[row[1]].append(row[4])
    everything = [amount for amounts in known.values() for amount in amounts]
    overall = statistics.median(everything) if everything else None
    return [row if row[4] is not None else (*row[:4], statistics.median(known[row[1]]) if known[row[1]] else overall)
            for row in rows]


def oracle_monthly(rows: list[tuple]) -> list[tuple]:
    """Exact totals (Fractions) per (region, 'YYYY-MM'); rounding is checked separately."""
    groups: dict[tuple, list] = defaultdict(lambda: [Fraction(0), 0])
    for _, _, ts, region, amount in rows:
        group = groups[(region, ts[:7])]
        group[0] += Fraction(amount) if amount is not None else 0
        group[1] += 1
    return [(region, month, total, n) for (region, month), (total, n) in sorted(groups.items())]


def assert_table_matches_oracle(got: pd.DataFrame, want: list[tuple], call: str) -> None:
    """Same keys, order and counts; each total the exact total rounded to cents (a tie may go either way)."""
    table = table_of(got)
    assert [t[:2] + t[3:] for t in table] == [w[:2] + w[3:] for w in want], (
        f"{call} gave (region, month, orders) {[t[:2] + t[3:] for t in table]}, "
        f"expected {[w[:2] + w[3:] for w in want]}")
    for (region, month, total, _), (_, _, exact, _) in zip(table, want):
        assert abs(total - float(exact)) <= 0.005 + 1e-9 and abs(total * 100 - round(total * 100)) < 1e-6, (
            f"{call}: total_amount of ({region}, {month}) is {total!r}; the exact total is {float(exact)!r}, "
            f"so expected it rounded to 2 decimals")


# -- load_orders --------------------------------------------------------------------------------------

def test_load_orders_reads_every_row_as_written(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(f"{HEADER}\n3,70000,2023-12-31T23:59:59,west,12.50\n1,2,2024-01-01T00:00:00,east,\n"
                    "3,70000,2024-01-01T00:05:00,west,99.99\n", encoding="utf-8")
    got = load_orders(path)
    want = [(3, 70000, "2023-12-31T23:59:59", "west", 12.5), (1, 2, "2024-01-01T00:00:00", "east", None),
            (3, 70000, "2024-01-01T00:05:00", "west", 99.99)]
    assert list(got.columns) == HEADER.split(","), f"load_orders gave columns {list(got.columns)}"
    assert rows_of(got) == want, (f"load_orders on a 3-row file gave {rows_of(got)}, expected {want} (file order, "
                                  f"an empty amount is NaN, a user id above 32,767 kept exactly)")


DTYPE_RULES = {
    "order_id": ("an integer of at most 32 bits", lambda d: pd.api.types.is_integer_dtype(d) and d.itemsize <= 4),
    "user_id": ("an integer of at most 32 bits", lambda d: pd.api.types.is_integer_dtype(d) and d.itemsize <= 4),
    "order_ts": ("datetime64 without a time zone", lambda d: pd.api.types.is_datetime64_dtype(d)),
    "region": ("category", lambda d: isinstance(d, pd.CategoricalDtype)),
    "amount": ("float64", lambda d: d == np.float64),
}


@pytest.fixture
def generated_orders(dataset):
    return dataset("orders_raw", rows=20_000, fmt="csv", seed=3)


@pytest.mark.parametrize("column", DTYPE_RULES, ids=DTYPE_RULES.keys())
def test_load_orders_chooses_dtypes_for_memory(generated_orders, column):
    got = load_orders(generated_orders).dtypes[column]
    rule, ok = DTYPE_RULES[column]
    assert ok(got), f"load_orders(<20,000 orders_raw rows>) gave {column} the dtype {got}, expected {rule}"


MAX_BYTES_PER_ROW = 26


def test_load_orders_takes_at_most_26_bytes_per_row(generated_orders):
    frame = load_orders(generated_orders)
    per_row = frame.memory_usage(deep=True).sum() / len(frame)
    by_column = (frame.memory_usage(deep=True) / len(frame)).round(1).to_dict()
    assert per_row <= MAX_BYTES_PER_ROW, (
        f"load_orders' frame takes {per_row:.1f} bytes per row (memory_usage(deep=True): {by_column}), allowed "
        f"{MAX_BYTES_PER_ROW}: at 10M rows that is {per_row * 10:.0f} MB; use category, small ints, datetime64")


def test_load_orders_keeps_every_value_of_a_generated_file(generated_orders):
    got = load_orders(generated_orders)
    want = pd.read_csv(generated_orders, dtype=str, keep_default_na=False)
    checks = {
        "order_id": (got["order_id"].astype("int64").tolist(), want["order_id"].astype("int64").tolist()),
        "user_id": (got["user_id"].astype("int64").tolist(), want["user_id"].astype("int64").tolist()),
        "order_ts": (got["order_ts"].dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(), want["order_ts"].tolist()),
        "region": (got["region"].astype(str).tolist(), want["region"].tolist()),
        "amount": (got["amount"].fillna(-1.0).tolist(),
                   [float(a) if a else -1.0 for a in want["amount"]]),
    }
    for column, (mine, text) in checks.items():
        bad = next((i for i, (a, b) in enumerate(zip(mine, text)) if a != b), None)
        assert len(mine) == len(text) and bad is None, (
            f"load_orders changed column {column}: {len(mine)} values for {len(text)} rows"
            + (f"; row {bad} is {mine[bad]!r}, the file says {text[bad]!r}" if bad is not None else ""))


# -- dedupe ----------------------------------------------------------------------------------------------

DEDUPE_CASES = {            # rows, indices of the rows that stay
    "no duplicates: every row stays": ([(1, 1, T, "east", 5.0), (2, 1, T, "west", 6.0)], [0, 1]),
    "an exact copy collapses into the first": ([(1, 1, T, "east", 5.0), (1, 1, T, "east", 5.0)], [0]),
    "the first wins even when a later duplicate has the amount": (
        [(7, 1, T, "east", None), (7, 1, "2024-03-10T12:05:00", "east", 9.5)], [0]),
    "the first wins even when the later one differs in every column": (
        [(7, 1, T, "east", 1.0), (7, 2, "2025-01-01T00:00:00", "west", 2.0)], [0]),
    "kept rows stay in file order, not order_id order": (
        [(5, 1, T, "east", 1.0), (3, 1, T, "east", 2.0), (5, 1, T, "east", 3.0), (1, 1, T, "east", 4.0)],
        [0, 1, 3]),
    "three copies: only the first stays": ([(9, 1, T, "east", 3.0), (9, 1, T, "east", 2.0),
                                            (9, 1, T, "east", 1.0)], [0]),
    "an empty frame stays empty": ([], []),
}


@pytest.mark.parametrize("rows,kept", DEDUPE_CASES.values(), ids=DEDUPE_CASES.keys())
def test_dedupe_keeps_the_first_row_of_each_order(rows, kept):
    got = rows_of(dedupe(orders(rows)))
    want = [rows[i] for i in kept]
    assert got == want, f"dedupe(<rows {rows}>) kept {got}, expected {want}"


# -- impute_amounts ------------------------------------------------------------------------------------

IMPUTE_CASES = {            # (user_id, amount) rows -> amounts after
    "a missing amount becomes that user's median": (
        [(1, 10.0), (1, 30.0), (1, 20.0), (1, None)], [10.0, 30.0, 20.0, 20.0]),
    "an even count takes the mean of the two middle values": ([(1, 10.0), (1, 20.0), (1, None)], [10.0, 20.0, 15.0]),
    "medians are not rounded to cents": ([(1, 10.00), (1, 10.01), (1, None)], [10.00, 10.01, 10.005]),
    "another user's amounts do not count": ([(1, 1.0), (1, None), (2, 100.0), (2, 200.0)], [1.0, 1.0, 100.0, 200.0]),
    "a user with no known amount gets the global median": (
        [(1, 10.0), (1, 20.0), (1, 60.0), (2, None)], [10.0, 20.0, 60.0, 20.0]),
    "the global median is over all known amounts, not over user medians": (
        [(1, 1.0), (1, 2.0), (1, 3.0), (2, 100.0), (3, None)], [1.0, 2.0, 3.0, 100.0, 2.5]),
    "nothing known at all: amounts stay missing": ([(1, None), (2, None)], [None, None]),
    "nothing missing: nothing changes": ([(1, 4.0), (2, 8.0)], [4.0, 8.0]),
    "an empty frame stays empty": ([], []),
}


@pytest.mark.parametrize("pairs,want", IMPUTE_CASES.values(), ids=IMPUTE_CASES.keys())
def test_impute_amounts_fills_with_the_users_median_else_the_global_one(pairs, want):
    rows = [(i + 1, user, T, "east", amount) for i, (user, amount) in enumerate(pairs)]
    out = rows_of(impute_amounts(orders(rows)))
    got = [r[4] for r in out]
    assert same_amounts(got, want), f"impute_amounts(<(user_id, amount) {pairs}>) gave amounts {got}, expected {want}"
    assert [r[:4] for r in out] == [r[:4] for r in rows], "impute_amounts changed a column other than amount"


# -- monthly_sales -----------------------------------------------------------------------------------------

MONTHLY_CASES = {           # rows, extra unused categories, expected table
    "December and the next January are different months": (
        [(1, 1, "2023-12-31T23:59:59", "east", 5.0), (2, 1, "2024-01-01T00:00:00", "east", 7.0)], (),
        [("east", "2023-12", 5.0, 1), ("east", "2024-01", 7.0, 1)]),
    "the same month of two years stays apart": (
        [(1, 1, "2023-03-05T10:00:00", "east", 1.0), (2, 1, "2024-03-05T10:00:00", "east", 2.0)], (),
        [("east", "2023-03", 1.0, 1), ("east", "2024-03", 2.0, 1)]),
    "the last second of a leap February stays in February": (
        [(1, 1, "2024-02-29T23:59:59", "east", 3.0), (2, 1, "2024-03-01T00:00:00", "east", 4.0)], (),
        [("east", "2024-02", 3.0, 1), ("east", "2024-03", 4.0, 1)]),
    "rounding: the sum is rounded, not each amount": (
        [(1, 1, T, "east", 1.004), (2, 1, T, "east", 1.004)], (), [("east", "2024-03", 2.01, 2)]),
    "rounding: float noise is rounded away": (
        [(1, 1, T, "east", 0.1), (2, 1, T, "east", 0.2)], (), [("east", "2024-03", 0.3, 2)]),
    "sorted by region name, not by category order, then month": (
        [(1, 1, "2024-02-01T00:00:00", "west", 1.0), (2, 1, T, "east", 2.0),
         (3, 1, "2024-01-01T00:00:00", "east", 3.0), (4, 1, T, "central", 4.0)], (),
        [("central", "2024-03", 4.0, 1), ("east", "2024-01", 3.0, 1), ("east", "2024-03", 2.0, 1),
         ("west", "2024-02", 1.0, 1)]),
    "a category with no rows gives no row": (
        [(1, 1, T, "east", 1.0)], ("overseas", "north"), [("east", "2024-03", 1.0, 1)]),
    "a missing amount is an order that adds nothing": (
        [(1, 1, T, "east", 5.0), (2, 1, T, "east", None)], (), [("east", "2024-03", 5.0, 2)]),
    "an empty frame gives the columns and no rows": ([], ("east",), []),
}


@pytest.mark.parametrize("rows,extra,want", MONTHLY_CASES.values(), ids=MONTHLY_CASES.keys())
def test_monthly_sales(rows, extra, want):
    got = monthly_sales(orders(rows, extra_regions=extra))
    call = f"monthly_sales(<rows {rows}>)"
    assert list(got.columns) == list(MONTHLY_COLUMNS), f"{call} has columns {list(got.columns)}, expected {MONTHLY_COLUMNS}"
    table = table_of(got)
    assert [t[:2] + t[3:] for t in table] == [w[:2] + w[3:] for w in want] and all(
        t[2] == pytest.approx(w[2], abs=1e-9) for t, w in zip(table, want)), f"{call} gave {table}, expected {want}"
    assert list(got.index) == list(range(len(got))), f"{call} has index {list(got.index)}, expected 0..n-1"
    assert pd.api.types.is_integer_dtype(got["orders"]), f"{call}: orders has dtype {got['orders'].dtype}, expected int"


@pytest.mark.parametrize("step", ["dedupe", "impute_amounts", "monthly_sales"])
def test_no_step_modifies_its_input(step):
    frame = orders([(1, 1, T, "east", None), (1, 1, T, "east", 4.0), (2, 1, T, "west", 2.0), (3, 2, T, "east", None)])
    before = frame.copy(deep=True)
    {"dedupe": dedupe, "impute_amounts": impute_amounts, "monthly_sales": monthly_sales}[step](frame)
    assert frame.equals(before) and (frame.dtypes == before.dtypes).all(), (
        f"{step}(frame) changed the frame it was given:\n{frame}\nexpected it untouched:\n{before}")


PIPELINE_CASES = {
    "a dropped duplicate's amount never reaches a median": (
        [(1, 1, T, "east", 10.0), (1, 1, T, "east", 100.0), (2, 1, T, "east", 20.0), (3, 1, T, "east", None)],
        [("east", "2024-03", 45.0, 3)]),
    "a user known only through a dropped duplicate gets the global median": (
        [(1, 1, T, "east", None), (1, 1, T, "east", 50.0), (2, 2, T, "east", 7.0)], [("east", "2024-03", 14.0, 2)]),
}


@pytest.mark.parametrize("rows,want", PIPELINE_CASES.values(), ids=PIPELINE_CASES.keys())
def test_the_pipeline_dedupes_before_it_imputes(rows, want):
    got = table_of(monthly_sales(impute_amounts(dedupe(orders(rows)))))
    assert got == want, f"monthly_sales(impute_amounts(dedupe(<rows {rows}>))) gave {got}, expected {want}"


# -- the property: every step against the oracle on small random frames ---------------------------------

TIMES = ["2023-01-15T08:00:00", "2023-12-31T23:59:59", "2024-01-01T00:00:00", "2024-01-31T12:00:00",
         "2024-02-29T23:59:59", "2025-01-15T08:00:00"]
ROW = st.tuples(st.integers(1, 8), st.integers(1, 4), st.sampled_from(TIMES), st.sampled_from(["west", "east", "north"]),
                st.one_of(st.none(), st.integers(1, 100_000).map(lambda cents: cents / 100)))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(ROW, max_size=25), unused_region=st.booleans())
def test_every_step_matches_a_plain_python_oracle(rows, unused_region):
    extra = ("central",) if unused_region else ()
    firsts = oracle_dedupe(rows)
    got_firsts = rows_of(dedupe(orders(rows, extra)))
    assert got_firsts == firsts, f"dedupe(<rows {rows}>) kept {got_firsts}, the oracle keeps {firsts}"
    filled = oracle_impute(firsts)
    got_filled = rows_of(impute_amounts(orders(firsts, extra)))
    assert [r[:4] for r in got_filled] == [r[:4] for r in filled] and same_amounts(
        [r[4] for r in got_filled], [r[4] for r in filled]), (
        f"impute_amounts(<rows {firsts}>) gave amounts {[r[4] for r in got_filled]}, "
        f"the oracle gives {[r[4] for r in filled]}")
    assert_table_matches_oracle(monthly_sales(orders(filled, extra)), oracle_monthly(filled),
                                f"monthly_sales(<rows {filled}>)")


def test_the_pipeline_on_a_generated_file_matches_the_oracle(dataset):
    path = dataset("orders_raw", rows=4000, fmt="csv", seed=5, users=300)
    with open(path, newline="") as f:
        rows = [(int(r["order_id"]), int(r["user_id"]), r["order_ts"], r["region"],
                 float(r["amount"]) if r["amount"] else None) for r in csv.DictReader(f)]
    got = monthly_sales(impute_amounts(dedupe(load_orders(path))))
    assert_table_matches_oracle(got, oracle_monthly(oracle_impute(oracle_dedupe(rows))),
                                "monthly_sales(impute_amounts(dedupe(load_orders(<4,000 orders_raw rows>))))")


# -- plot_trends ---------------------------------------------------------------------------------------------

MONTHLY = pd.DataFrame({"region": ["east", "east", "west", "west"], "month": ["2024-01", "2024-03", "2023-12", "2024-02"],
                        "total_amount": [10.0, 30.0, 5.5, 20.0], "orders": [1, 3, 1, 2]})
LINES = {"east": (["2024-01", "2024-03"], [10.0, 30.0]), "west": (["2023-12", "2024-02"], [5.5, 20.0])}


def months_of(line) -> list[str]:
    x = np.asarray(line.get_xdata())
    if np.issubdtype(x.dtype, np.number):
        x = mdates.num2date(x)
    return [pd.Timestamp(v).strftime("%Y-%m") for v in x]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """plot_trends called once (drawing a PNG takes a moment); the tests below inspect the result."""
    path = tmp_path_factory.mktemp("plot") / "trends.png"
    open_before = plt.get_fignums()
    figure = plot_trends(MONTHLY.copy(), path)
    yield figure, path, open_before
    plt.close("all")


def test_plot_trends_draws_one_line_per_region_with_its_months_and_totals(drawn):
    figure, _, _ = drawn
    assert len(figure.axes) >= 1, "plot_trends returned a Figure with no Axes"
    lines = {line.get_label(): line for ax in figure.axes for line in ax.get_lines()}
    assert sorted(lines) == sorted(LINES), f"plot_trends drew lines labelled {sorted(lines)}, expected {sorted(LINES)}"
    for region, (months, totals) in LINES.items():
        got = (months_of(lines[region]), [float(y) for y in lines[region].get_ydata()])
        assert got == (months, totals), f"the {region} line has (months, totals) {got}, expected {(months, totals)}"


def test_plot_trends_labels_the_axes_and_has_a_legend(drawn):
    figure, _, _ = drawn
    ax = figure.axes[0]
    labels = (ax.get_xlabel(), ax.get_ylabel())
    assert labels == ("month", "total amount"), f"axes labels are {labels}, expected ('month', 'total amount')"
    legend = ax.get_legend()
    assert legend is not None, "plot_trends drew no legend: a reader cannot tell the regions apart"
    assert sorted(t.get_text() for t in legend.get_texts()) == sorted(LINES), "the legend does not name the regions"


def test_plot_trends_keeps_the_x_axis_in_time_order_when_a_region_lacks_a_month(drawn):
    figure, _, _ = drawn
    where = {}
    for line in figure.axes[0].get_lines():
        for month, x in zip(months_of(line), line.get_xydata()[:, 0]):
            where.setdefault(month, set()).add(round(float(x), 6))
    assert all(len(xs) == 1 for xs in where.values()), f"one month sits at several x positions: {where}"
    in_time_order = [next(iter(where[m])) for m in sorted(where)]
    assert in_time_order == sorted(in_time_order), (
        f"months by x position {sorted(where, key=lambda m: next(iter(where[m])))} are not in time order: "
        f"plot dates, not 'YYYY-MM' text (text makes a categorical axis in order of first appearance)")


def test_plot_trends_writes_a_png_with_agg_and_leaves_no_pyplot_figure_open(drawn):
    figure, path, open_before = drawn
    assert path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG file"
    assert path.stat().st_size > 5_000, f"{path.name} is only {path.stat().st_size} bytes: is anything drawn?"
    assert isinstance(figure.canvas, FigureCanvasAgg), f"the figure's canvas is {type(figure.canvas).__name__}, not Agg"
    assert plt.get_fignums() == open_before, (
        "plot_trends left a figure open in pyplot: called once per report, that leaks memory; "
        "build a matplotlib.figure.Figure, or plt.close(fig) after saving")


# -- benchmark: learner, reference, naive (row-wise, on a slice) and DuckDB, on the same frame -------------
#
# dojo.bench.race() times one function of the kata against three contenders. The pipeline is three
# calls and DuckDB is a fourth contender, so the race is written out here in the same shape: each
# contender other than yours must agree with your answer, so all four are red on the stub.

REFERENCE = impl.load_reference(KATA)
NAIVE_SLICE = 5_000         # iterrows manages ~10-50k rows a second: the naive time is for a slice
PIPELINE_CONTENDERS = (*CONTENDERS, "duckdb")


def learner_pipeline(frame: pd.DataFrame) -> pd.DataFrame:
    return monthly_sales(impute_amounts(dedupe(frame)))


def reference_pipeline(frame: pd.DataFrame) -> pd.DataFrame:
    return REFERENCE.monthly_sales(REFERENCE.impute_amounts(REFERENCE.dedupe(frame)))


RUNNERS = {"learner": learner_pipeline, "reference": reference_pipeline,
           "naive": REFERENCE.ladder_rowwise, "duckdb": REFERENCE.ladder_duckdb}


@pytest.fixture(scope="module")
def bench_frame(bench_data):
    """One in-memory frame for every contender, loaded once (by the reference's loader)."""
    return REFERENCE.load_orders(bench_data("orders_raw", fmt="csv"))


@pytest.mark.perf
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("contender", PIPELINE_CONTENDERS)
def test_benchmark_pipeline(benchmark, contender, bench_frame):
    benchmark.group = KATA
    benchmark.name = contender
    frame = bench_frame
    if contender == "naive":
        frame = bench_frame.iloc[:NAIVE_SLICE]
        scale = len(bench_frame) / len(frame)
        benchmark.name = f"naive (row-wise, first {len(frame):,} rows: multiply by {scale:.0f})"
        benchmark.extra_info["multiply_by"] = scale
    if contender == "learner":
        benchmark(learner_pipeline, frame)
        return
    want = learner_pipeline(frame)
    got = benchmark(RUNNERS[contender], frame)
    assert [t[:2] + t[3:] for t in table_of(got)] == [
        t[:2] + t[3:] for t in table_of(want)], f"{contender} disagrees with your (region, month, orders)"
    worst = max((abs(a[2] - b[2]) for a, b in zip(table_of(got), table_of(want))), default=0.0)
    assert worst <= 0.01 + 1e-6, f"{contender}'s totals differ from yours by up to {worst} (a cent is a rounding tie)"
