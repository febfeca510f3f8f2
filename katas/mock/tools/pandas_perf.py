"""Make a slow pandas function fast and lean: the same frame, 4x less memory, no Python loop over rows.

"Optimise pandas processing for 10 million rows" is the mock interview's pandas question. The basics
(choose dtypes when reading, never loop over rows, group on integer keys) are day3.pandas.
ten_million_rows; this is the interviewer's next step: a function someone ELSE wrote, that works
and is slow, to rewrite without changing its answer. They listen for: naming each anti-pattern and
its cost before touching anything, a test that pins the old output first, then the rewrite, then
a measurement (memory_usage(deep=True) and a benchmark), and knowing which habits break in pandas 3.

`enrich_slow` below is the given version, as found in the code base, with all five classics: a
row-wise `apply`, object (Python string) columns, `iterrows`, a frame grown by `pd.concat` in a
loop, and a chained assignment (`df["band"][mask] = ...`) that works today only by accident: under
copy-on-write, pandas 3's default, it silently changes nothing. Leave it as it is: the tests
compare your `enrich` with it, and the benchmark races the two.

    raw = pd.read_csv("transactions.csv")        # data_gen transactions: default dtypes, ts as text
    #    transaction_id  user_id  amount currency     status   region                   ts
    # 0               1     2321   61.76      USD    pending overseas  2024-04-25T10:28:48
    # 1               2     5202   47.81      EUR  completed    north  2024-12-22T19:09:25
    enrich(raw)
    #    transaction_id  user_id                  ts region currency  amount_usd    band  nth  running_usd  weekend
    # 0               2     5202 2024-12-22 19:09:25  north      EUR     51.6348  medium    1      51.6348     True

Requirements
- `enrich(raw)` returns what `enrich_slow(raw)` returns, value for value (floats to 1e-9 relative),
  with the same columns in the same order (COLUMNS) and a fresh 0..n-1 index. Dtypes may (and
  should) differ. `raw` has the columns of data_gen's `transactions` as `pd.read_csv` gives them
  (ts is 'YYYY-MM-DDTHH:MM:SS' text, currency/status/region are text). The rules, as the slow
  version applies them:
    only rows whose status is 'completed' are kept;
    amount_usd = amount * RATES_TO_USD[currency];
    band: 'refund' when amount_usd < 0, 'small' below 20, 'medium' below 100, else 'large'
      (so exactly 20.00 is medium and exactly 100.00 is large);
    rows are ordered by user_id, then ts, then transaction_id (ties at the same second go by
      transaction_id, not by their order in raw);
    nth is the row's 1-based position among its user's rows in that order, running_usd the
      cumulative sum of the user's amount_usd up to and including the row;
    weekend is True on Saturday and Sunday (ts as written, no time zone);
    ts becomes a datetime (no time zone).
  No completed row: an empty frame with the columns.
- Memory: `enrich(raw).memory_usage(deep=True).sum()` is at most a quarter of the slow version's
  (categories for the repeated text, the smallest integer that holds the values, bool for weekend).
- No Python loop over rows: `DataFrame.iterrows`, `DataFrame.itertuples`, `DataFrame.apply`,
  `Series.apply`, `GroupBy.apply` and `Series.map` with a function (a dict is fine) are not called,
  and `pd.concat` at most twice (the tests replace them with counters on 200,000 rows), and the
  answer is the same with
  `pd.set_option("mode.copy_on_write", True)` (pandas 3's default: no chained assignment).
- `raw` is left as it was.
- The benchmark (`pytest -m perf --benchmark-enable`) races enrich against the reference and the
  given version (the given one on a slice of whole users: it cannot finish 10M rows).
"""
from __future__ import annotations

import numpy as np  # noqa: F401 - you may want it
import pandas as pd

RATES_TO_USD = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27}
COLUMNS = ("transaction_id", "user_id", "ts", "region", "currency", "amount_usd", "band", "nth", "running_usd",
           "weekend")
BANDS = ("refund", "small", "medium", "large")


def enrich_slow(raw: pd.DataFrame) -> pd.DataFrame:
    """The given version: correct, and every line of it is a pandas anti-pattern."""
    df = raw[raw["status"] == "completed"]
    df["amount_usd"] = df.apply(lambda row: row["amount"] * RATES_TO_USD[row["currency"]], axis=1)
    df["band"] = "large"
    df["band"][df["amount_usd"] < 100] = "medium"
    df["band"][df["amount_usd"] < 20] = "small"
    df["band"][df["amount_usd"] < 0] = "refund"
    out = pd.DataFrame(columns=list(COLUMNS))
    for user_id, group in df.sort_values(["user_id", "ts", "transaction_id"]).groupby("user_id"):
        rows, running = [], 0.0
        for nth, (_, row) in enumerate(group.iterrows(), start=1):
            running += row["amount_usd"]
            ts = pd.Timestamp(row["ts"])
            rows.append({"transaction_id": row["transaction_id"], "user_id": user_id, "ts": ts,
                         "region": row["region"], "currency": row["currency"], "amount_usd": row["amount_usd"],
                         "band": row["band"], "nth": nth, "running_usd": running, "weekend": ts.dayofweek >= 5})
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True) if len(out) else pd.DataFrame(rows)
    return out


def enrich(raw: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: enrich_slow's answer with vectorised steps and lean dtypes, no loop over rows")
