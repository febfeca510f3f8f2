"""transactions: card payments, the big benchmark table.

transaction_id int 1..N (the global row number); user_id int 1..users (option ``users``,
default 10,000); amount decimal(12,2), log-normal around 33.00, about 2% negative (refunds);
currency USD 95%, EUR 3%, GBP 2%; status completed 90%, failed 5%, pending 5%; region one of
REGIONS; ts 'YYYY-MM-DDTHH:MM:SS' uniform over 2023-01-01T00:00:00..2024-12-31T23:59:59.
No text field can hold a comma, quote or newline, so CSV is written without quoting checks.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "region", "ts")
FORMATS = ("csv", "parquet", "jsonl")
CSV_QUOTE_STYLE = "never"

DEFAULT_USERS = 10_000
CURRENCIES = ("USD", "EUR", "GBP")
STATUSES = ("completed", "failed", "pending")
_FIRST_SECOND = col.day_number("2023-01-01") * 86_400
_SECONDS = (col.day_number("2025-01-01") - col.day_number("2023-01-01")) * 86_400


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    users = int(options.get("users") or DEFAULT_USERS)
    cents = np.maximum(np.rint(col.lognormal_fast(rng, n, 3.5, 1.0) * 100), 1).astype(np.int64)
    refund = rng.random(n) < 0.02
    cents[refund] = -cents[refund]
    return pl.DataFrame(
        {
            "transaction_id": np.arange(start + 1, start + n + 1, dtype=np.int64),
            "user_id": rng.integers(1, users + 1, n),
            "amount": col.decimal_from_cents(cents),
            "currency": col.pick(CURRENCIES, col.weighted_codes(rng, n, (95, 3, 2))),
            "status": col.pick(STATUSES, col.weighted_codes(rng, n, (90, 5, 5))),
            "region": col.pick(col.REGIONS, rng.integers(0, len(col.REGIONS), n)),
            "ts": col.datetimes(_FIRST_SECOND + rng.integers(0, _SECONDS, n)),
        }
    )
