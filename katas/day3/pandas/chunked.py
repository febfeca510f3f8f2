"""Chunked aggregation: the same per-user totals with pandas chunks and with dask.

"The CSV does not fit in memory: how do you still get per-user totals with pandas?" The interviewer
listens for `pd.read_csv(chunksize=...)`, for partial aggregates that can be combined (a count, a
sum, a max combine; a mean does not: the mean of two chunk means is wrong whenever the chunks hold
different numbers of rows), for memory that depends on the chunk and the number of users, not on
the file, and for dask as the same idea with a scheduler: lazy until `compute()`, run here on its
local synchronous or threaded scheduler, no cluster.

The file is data_gen's "transactions" dataset (a header line, then one payment per line):

    transaction_id,user_id,amount,currency,status,region,ts
    1,464,55.27,USD,completed,west,2023-04-07T10:13:53

    user_totals_chunked("transactions.csv", chunksize=100_000)
    #          transactions    total       mean  largest
    # user_id
    # 1                  42  2237.73  53.279286   292.73
    # ...

Requirements
- The answer: one row per user_id with at least one transaction whose status is exactly
  "completed", over those transactions only: transactions (their number, int64), total (sum of
  amount), mean (total / transactions), largest (max amount). Amounts may be negative (refunds).
  Index user_id (int64, named "user_id") sorted ascending; exactly the columns ANSWER_COLUMNS.
- `partial_totals(chunk)` takes one chunk (a DataFrame with at least user_id, amount and status)
  and returns that chunk's partial aggregate: index user_id, exactly the columns PARTIAL_COLUMNS
  (transactions, total, largest), completed transactions only. It holds no mean: means do not
  combine.
- `combine_partials(partials)` takes an iterable of partial aggregates (as partial_totals returns
  them; a user may appear in any number of them) and returns the answer. No partials, or only
  empty ones, give an empty answer with the same columns.
- `user_totals_chunked(path, chunksize=100_000)` reads the CSV with `pd.read_csv(path,
  chunksize=chunksize)` and returns the answer. Its memory must not grow with the file: the test
  traces its peak allocations on a file of 200,000 rows and 500 users and allows a third of what
  `pd.read_csv` of the file's three needed columns takes. So never hold all the chunks at once.
- `user_totals_dask(path, blocksize=1_000_000)` builds the same answer with dask.dataframe
  (`dd.read_csv(path, blocksize=blocksize)`, one partition per block) and returns it LAZY: a dask
  DataFrame, not computed. The caller computes it (`.compute(scheduler="synchronous")`) and gets
  the answer up to row order. Import dask inside the function (the import takes about a second).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

ANSWER_COLUMNS = ["transactions", "total", "mean", "largest"]
PARTIAL_COLUMNS = ["transactions", "total", "largest"]


def partial_totals(chunk: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: per user_id over completed rows: transactions, total, largest")


def combine_partials(partials: Iterable[pd.DataFrame]) -> pd.DataFrame:
    raise NotImplementedError("TODO: add counts and totals, take the max of largest, then mean = total / count")


def user_totals_chunked(path: str | Path, chunksize: int = 100_000) -> pd.DataFrame:
    raise NotImplementedError("TODO: pd.read_csv(path, chunksize=chunksize), one partial per chunk, folded together")


def user_totals_dask(path: str | Path, blocksize: int = 1_000_000):
    raise NotImplementedError("TODO: dd.read_csv(path, blocksize=blocksize), filter, groupby.agg; return it lazy")
