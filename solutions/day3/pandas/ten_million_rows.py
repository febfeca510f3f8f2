"""Ten million rows: load, dedupe, impute, sum by month and plot, in pandas, lean and vectorised.

The plan's exercise ("10M rows: clean, aggregate, plot"). Interviewers ask it to see whether you
choose dtypes for memory, keep every step vectorised (no `iterrows`, no `apply(axis=1)`), and keep
the subtle rules straight: which duplicate wins, which median fills a gap, which month an order
falls in, and how a plot's x axis can lie.

The data is data_gen's `orders_raw` (a raw order export; ids repeat when an order was re-sent):

    python -m data_gen orders_raw --rows 10000000 --format csv --seed 1 --out .data/orders-10m.csv

    order_id,user_id,order_ts,region,amount
    1,7779,2023-12-25T06:35:59,east,45.52
    2,3597,2023-04-06T16:57:14,north,
    1,7779,2023-12-25T06:44:34,east,59.80      <- order 1 re-sent: the FIRST row (45.52) wins

    orders = load_orders(".data/orders-10m.csv")
    monthly = monthly_sales(impute_amounts(dedupe(orders)))
    #     region    month  total_amount  orders
    # 0  central  2023-01    3449022.92   69118      one row per (region, month) with orders
    plot_trends(monthly, "trends.png")              # the Figure; the PNG is on disk

Requirements
- `load_orders(path)` reads the CSV (header order_id,user_id,order_ts,region,amount; order_ts as
  'YYYY-MM-DDTHH:MM:SS'; an empty amount is missing) into a DataFrame of all its rows in file order
  with exactly these columns and dtypes, chosen for memory:
    order_id, user_id   integers of at most 32 bits (the smallest that holds the values is best)
    order_ts            datetime64 (any unit, no time zone)
    region              category
    amount              float64, NaN where the field is empty
  `memory_usage(deep=True)` of the frame is at most 26 bytes per row (the defaults, int64 plus
  Python strings, take about 150).
- `dedupe(df)` keeps the first row of each order_id in row (file) order and drops the later ones,
  even when a later one has an amount the first lacks or differs in other columns; the kept rows
  stay in their order. The index is not checked.
- `impute_amounts(df)` fills each missing amount with the median of that user's known amounts in
  df (call it after dedupe, so a dropped duplicate never counts); a user with no known amount gets
  the median of all known amounts in df; if df has no known amount at all they stay missing. A
  median of an even count is the mean of the two middle values (pandas' and statistics.median's
  rule); medians are not rounded. Everything else is unchanged; the index is not checked.
- `monthly_sales(df)` returns exactly the columns region (text), month ('YYYY-MM' text of order_ts,
  as written: no time zone shift), total_amount (the sum of amount, rounded to 2 decimals after
  summing) and orders (the number of rows, int): one row per (region, month) that has at least one
  row, so a category with no rows gives no row. A missing amount adds nothing to the total but its
  row is still an order. Sorted by region name (alphabetical, whatever the category order) then
  month, with a fresh 0..n-1 index.
- `plot_trends(monthly, path)` draws monthly_sales' table on one Axes: one line per region, labelled
  with the region name, x the months as dates (so the axis is in time order even when one region
  lacks a month: 'YYYY-MM' text would make a categorical axis in order of first appearance), y the
  total_amount; x label "month", y label "total amount", a legend. It writes a PNG to path with
  matplotlib's Agg backend and returns the Figure (its canvas an Agg canvas), leaving no figure
  open in pyplot: build a matplotlib.figure.Figure and attach FigureCanvasAgg(figure) to it, or
  use pyplot under the Agg backend and plt.close the figure after saving.
- No function modifies the frame it is given. None loops over rows in Python: the tests race the
  pipeline against a row-wise version and DuckDB (`pytest -m perf --benchmark-enable`; see
  tests/perf/ladder_ten_million_rows.py for the 10M-row table).
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

COLUMNS = ("order_id", "user_id", "order_ts", "region", "amount")
MONTHLY_COLUMNS = ("region", "month", "total_amount", "orders")

# Arrow parses the timestamps and dictionary-encodes region while it reads, on all cores.
ARROW_TYPES = {
    "order_id": pa.int32(),
    "user_id": pa.int32(),
    "order_ts": pa.timestamp("s"),
    "region": pa.dictionary(pa.int32(), pa.string()),
    "amount": pa.float64(),
}


def _smallest_int(values: pd.Series) -> pd.Series:
    """The narrowest signed integer dtype that holds every value (pd.to_numeric(downcast=) makes copies)."""
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if values.empty or (info.min <= values.min() and values.max() <= info.max):
            return values.astype(dtype)
    return values


def load_orders(path: str | Path) -> pd.DataFrame:
    options = pa_csv.ConvertOptions(column_types=ARROW_TYPES, include_columns=list(COLUMNS))
    table = pa_csv.read_csv(path, convert_options=options)
    pool = pa.default_memory_pool()
    columns = {}
    for name in COLUMNS:  # one column at a time, each freed from Arrow once pandas has it
        column = table.column(name).to_pandas()
        table = table.drop_columns([name])
        pool.release_unused()  # Arrow's allocator keeps freed memory for reuse; give it back to the OS
        columns[name] = _smallest_int(column) if name in ("order_id", "user_id") else column
    return pd.DataFrame(columns, copy=False)


def dedupe(df: pd.DataFrame) -> pd.DataFrame:
    return df.loc[~df["order_id"].duplicated(keep="first").to_numpy()]


def impute_amounts(df: pd.DataFrame) -> pd.DataFrame:
    amount = df["amount"]
    missing = amount.isna().to_numpy()
    filled = amount.to_numpy(copy=True)
    if missing.any():
        per_user = amount.groupby(df["user_id"].to_numpy()).median()  # NaN for a user with none known
        users = df["user_id"].to_numpy()[missing]
        overall = amount.median() if not missing.all() else np.nan  # (median of nothing warns)
        filled[missing] = per_user.reindex(users).fillna(overall).to_numpy()
    out = df.copy(deep=False)  # shares the other columns; assigning replaces only amount
    out["amount"] = filled
    return out


def monthly_sales(df: pd.DataFrame) -> pd.DataFrame:
    # Group by an integer month number and format the ~100 result months, never 10M strings.
    month = df["order_ts"].to_numpy().astype("datetime64[M]").view(np.int64)
    keys = [df["region"], pd.Series(month, index=df.index, name="month")]
    table = (df["amount"].groupby(keys, observed=True, sort=False)
             .agg(total_amount="sum", orders="size")
             .reset_index())
    table["region"] = table["region"].astype(str)
    table["month"] = np.datetime_as_string(table["month"].to_numpy().astype("datetime64[M]"), unit="M")
    table["total_amount"] = table["total_amount"].round(2)
    return table.sort_values(["region", "month"], ignore_index=True)[list(MONTHLY_COLUMNS)]


def plot_trends(monthly: pd.DataFrame, path: str | Path) -> Figure:
    figure = Figure(figsize=(10, 5), layout="constrained")
    FigureCanvasAgg(figure)  # Agg draws PNGs without a display; pyplot never sees this figure
    axes = figure.subplots()
    for region, rows in monthly.groupby("region", sort=True):
        months = pd.to_datetime(rows["month"], format="%Y-%m").to_numpy()
        axes.plot(months, rows["total_amount"].to_numpy(), marker="o", label=str(region))
    axes.set_title("Monthly sales by region")
    axes.set_xlabel("month")
    axes.set_ylabel("total amount")
    axes.legend(title="region")
    figure.savefig(path, format="png")
    return figure


# -- the ladder: tests/perf/ladder_ten_million_rows.py times these on the same data -------------------

def ladder_rowwise(df: pd.DataFrame) -> pd.DataFrame:
    """The first draft: iterrows and Python dicts. Exact, and a hundred times slower."""
    seen, firsts = set(), []
    for _, row in df.iterrows():
        if row["order_id"] not in seen:
            seen.add(row["order_id"])
            firsts.append(row)
    known = defaultdict(list)
    for row in firsts:
        if not math.isnan(row["amount"]):
            known[row["user_id"]].append(row["amount"])
    medians = {user: statistics.median(amounts) for user, amounts in known.items()}
    everything = [a for amounts in known.values() for a in amounts]
    overall = statistics.median(everything) if everything else math.nan
    groups: dict[tuple[str, str], list] = defaultdict(lambda: [0.0, 0])
    for row in firsts:
        amount = row["amount"] if not math.isnan(row["amount"]) else medians.get(row["user_id"], overall)
        group = groups[(str(row["region"]), row["order_ts"].strftime("%Y-%m"))]
        group[0] += 0.0 if math.isnan(amount) else amount
        group[1] += 1
    rows = [(region, month, round(total, 2), n) for (region, month), (total, n) in sorted(groups.items())]
    return pd.DataFrame(rows, columns=list(MONTHLY_COLUMNS))


def ladder_pandas_plain_load(path: str | Path) -> pd.DataFrame:
    """pd.read_csv with default dtypes: int64, float64 and a Python string per region."""
    return pd.read_csv(path, parse_dates=["order_ts"])


def ladder_pandas_plain(df: pd.DataFrame) -> pd.DataFrame:
    """The first vectorised draft: right answer, but transform() and a month string for every row."""
    df = df.drop_duplicates("order_id", keep="first")
    per_user = df.groupby("user_id")["amount"].transform("median")
    df = df.assign(amount=df["amount"].fillna(per_user).fillna(df["amount"].median()),
                   month=df["order_ts"].dt.strftime("%Y-%m"))
    table = df.groupby(["region", "month"]).agg(total_amount=("amount", "sum"), orders=("amount", "size"))
    table["total_amount"] = table["total_amount"].round(2)
    return table.reset_index()


# SQL rows have no order: a positional join numbers them as the frame holds them. The first row of
# an order is the one with no earlier row of the same id (an anti join); min(amount) or
# arg_min(amount, pos) per order would be wrong, as aggregates skip NULLs.
DUCKDB_SQL = """
WITH numbered AS (SELECT o.*, p.pos FROM orders o POSITIONAL JOIN positions p),
firsts AS (
    SELECT n.* FROM numbered n
    ANTI JOIN numbered earlier ON earlier.order_id = n.order_id AND earlier.pos < n.pos
),
user_medians AS (SELECT user_id, median(amount) AS user_median FROM firsts GROUP BY user_id),
overall AS (SELECT median(amount) AS overall_median FROM firsts),
filled AS (
    SELECT region, date_trunc('month', order_ts) AS month,
           coalesce(amount, user_median, overall_median) AS amount
    FROM firsts LEFT JOIN user_medians USING (user_id) CROSS JOIN overall
)
SELECT region::VARCHAR AS region, strftime(month, '%Y-%m') AS month,
       round(sum(amount), 2) AS total_amount, count(*) AS orders
FROM filled GROUP BY ALL ORDER BY region, month
"""


def ladder_duckdb(df: pd.DataFrame) -> pd.DataFrame:
    """The same pipeline as one SQL statement over the in-memory frame (DuckDB scans it in place)."""
    import duckdb

    with duckdb.connect() as con:
        con.register("orders", df)
        con.register("positions", pd.DataFrame({"pos": np.arange(len(df), dtype=np.int64)}))
        return con.sql(DUCKDB_SQL).df()


def ladder_polars_load(path: str | Path):
    import polars as pl

    schema = {"order_id": pl.Int32, "user_id": pl.Int32, "order_ts": pl.Datetime("ms"),
              "region": pl.Categorical, "amount": pl.Float64}
    return pl.read_csv(path, schema=schema)


def ladder_polars(frame) -> pd.DataFrame:
    """The pipeline in polars (frame from ladder_polars_load): lazy, parallel, one plan."""
    import polars as pl

    amount = pl.col("amount")
    monthly = (
        frame.lazy()
        .filter(pl.col("order_id").is_first_distinct())
        .with_columns(amount.fill_null(amount.median().over("user_id")).fill_null(amount.median()))
        .group_by(pl.col("region").cast(pl.String), pl.col("order_ts").dt.truncate("1mo").alias("month"))
        .agg(total_amount=amount.sum().round(2), orders=pl.len())
        .with_columns(pl.col("month").dt.strftime("%Y-%m"))
        .sort("region", "month")
        .collect()
    )
    return monthly.to_pandas()


# Why
# - Memory: the defaults (int64 ids, a Python string per region, timestamps parsed from Python
#   strings) cost ~150 bytes a row and pd.read_csv peaks at 2.6 GB on the 10M-row file. pyarrow.csv
#   parses the timestamps and dictionary-encodes region in C++ while it reads (on every core); the
#   columns then move to pandas one at a time, each dropped from Arrow at once (release_unused hands
#   Arrow's cached pages back to the OS), and the ids are narrowed after a min/max check. 23 bytes a
#   row (int32 + int16 + datetime64[s] + int8 codes + float64): 220 MB for 10M rows, 630 MB peak
#   while loading. The pipeline copies the frame once (dedupe) plus a few 80 MB temporaries.
# - Time: each step is a few vectorised passes. duplicated() hashes the int32 ids; the medians are
#   one groupby over user_id, looked up only for the ~3% missing rows (transform("median") would
#   broadcast 10M values); months are integers (datetime64[M]) and only the ~150 result months
#   become text: dt.strftime on every row is most of why the default-dtypes draft is 20x slower.
# - The traps the tests name: keep="first" even when a re-sent copy has the amount the first lacks
#   (in SQL, arg_min(amount, pos) is wrong: aggregates skip NULLs, hence the anti join above);
#   drop_duplicates() without subset keeps re-sent copies; the global median is over amounts, not
#   over user medians; observed=True, or every category x month appears with 0 orders; a category
#   sorts by category order, not by name; 'YYYY-MM' text on x makes a categorical axis. Medians of
#   an even count end in half a cent, so a total can be a rounding tie that summation order tips:
#   engines agree to the cent, not to the bit (compare with a tolerance).
# - The ladder, measured by `python tests/perf/ladder_ten_million_rows.py` (10M rows, seed 1,
#   452 MB CSV, 2 cores shared with other jobs: load average 2.0 at the start, 1.5 at the end;
#   2026-12-05; pipeline = dedupe + impute + monthly on the loaded frame, best of 3; peak RSS =
#   load + pipeline in a fresh process; every rung gave the reference's table to the cent):
#
#   | rung                        | load s | pipeline s | peak RSS MB |
#   |-----------------------------|--------|------------|-------------|
#   | row-wise iterrows           |    2.5 |  439 (*)   |         632 |
#   | pandas, default dtypes      |    7.9 |       30.3 |        2581 |
#   | pandas reference (above)    |    0.9 |        1.5 |        1096 |
#   | polars (lazy)               |    4.2 |        1.3 |        1002 |
#   | DuckDB SQL on the frame     |    1.3 |        2.5 |        1670 |
#   (*) 4.4 s on the first 100,000 rows, x100.
#
#   Targets of the issue: the reference's pipeline at most 1.5x DuckDB's time (0.6x), at least 20x
#   faster than row-wise (about 300x), load + pipeline peak at most 1.5 GB (1.1 GB): all met. With
#   the machine busier (load average 5-9) the reference's pipeline took 2.1-4.1 s: DuckDB and
#   polars lose more than single-threaded pandas when they cannot have both cores.
# - In the interview: measure first; choose dtypes when reading, not after; never loop over rows;
#   group on integer keys and format the small result. Then say where pandas stops: the frame must
#   fit in RAM with room for a copy or two (dedupe copies it). Beyond that, DuckDB or polars on the
#   file itself (they stream and use every core), or Spark when it is bigger than one machine.
