"""orders_raw: a raw order export with missing amounts and re-sent orders, for pandas cleaning katas.

order_id int: the row's 1-based number for a first occurrence, so first occurrences rise through the
file; user_id int 1..users (option ``users``, default 10,000); order_ts 'YYYY-MM-DDTHH:MM:SS'
uniform over 2023-01-01T00:00:00..2024-12-31T23:59:59 (a re-sent copy, below, may fall in the
first minutes of 2025); region one of REGIONS; amount decimal(12,2), log-normal around 36.60,
always positive, empty (null) in about 3% of rows.

Duplicates: about 2% of rows repeat the order_id of an EARLIER first occurrence in the same
65,536-row block (never row 0 of a block; the id of the row a duplicate replaces does not appear).
Half of them are exact copies of that row, its missing amount included. The other half are re-sent
orders: same order_id, user_id and region, order_ts 1 to 600 seconds later, and the amount keyed in
again (a fresh draw, itself missing about 3% of the time). So keeping the LAST row of an order, or
dropping only rows equal in every column, gives a different answer than keeping the first.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("order_id", "user_id", "order_ts", "region", "amount")
FORMATS = ("csv", "parquet", "jsonl")
CSV_QUOTE_STYLE = "never"  # no text field can hold a comma, quote or newline

DEFAULT_USERS = 10_000
MISSING_RATE = 0.03
DUPLICATE_RATE = 0.02
_FIRST_SECOND = col.day_number("2023-01-01") * 86_400
_SECONDS = (col.day_number("2025-01-01") - col.day_number("2023-01-01")) * 86_400
_RESEND_MAX_SECONDS = 600


def _amount_cents(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.maximum(np.rint(col.lognormal_fast(rng, n, 3.6, 0.8) * 100), 50).astype(np.int64)


def _sources(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: 0 original, 1 exact copy, 2 re-sent; and the row it copies (itself for originals).

    A duplicate copies an earlier ORIGINAL (never another duplicate), so its order_id always
    appeared before it in the file.
    """
    kind = np.where(rng.random(n) < DUPLICATE_RATE, np.where(rng.random(n) < 0.5, 1, 2), 0)
    kind[:1] = 0  # row 0 of a block has nothing earlier to copy
    originals = np.flatnonzero(kind == 0)
    earlier = np.searchsorted(originals, np.arange(n))  # originals before each row (>= 1 for r > 0)
    pick = (rng.random(n) * earlier).astype(np.int64)  # uniform over those
    source = np.where(kind > 0, originals[np.minimum(pick, len(originals) - 1)], np.arange(n))
    return kind, source


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    users = int(options.get("users") or DEFAULT_USERS)
    order_id = np.arange(start + 1, start + n + 1, dtype=np.int64)
    user_id = rng.integers(1, users + 1, n)
    seconds = _FIRST_SECOND + rng.integers(0, _SECONDS, n)
    region = rng.integers(0, len(col.REGIONS), n)
    cents = _amount_cents(rng, n)
    missing = rng.random(n) < MISSING_RATE

    kind, source = _sources(rng, n)
    resent = kind == 2
    seconds = np.where(resent, seconds[source] + rng.integers(1, _RESEND_MAX_SECONDS + 1, n), seconds[source])
    cents = np.where(resent, _amount_cents(rng, n), cents[source])
    missing = np.where(resent, rng.random(n) < MISSING_RATE, missing[source])

    return pl.DataFrame(
        {
            "order_id": order_id[source],
            "user_id": user_id[source],
            "order_ts": col.datetimes(seconds),
            "region": col.pick(col.REGIONS, region[source]),
            "amount": col.decimal_from_cents(cents),
        }
    ).with_columns(pl.when(pl.Series(~missing)).then(pl.col("amount")).alias("amount"))
