"""events: a clickstream, one JSON object per line, with a nested ``properties`` object.

event_id int 1..N; user_id int 1..users (option ``users``, default 10,000); type one of
EVENT_TYPES (view 50%, click 30%, add_to_cart 8%, search 7%, purchase 5%); ts ISO
'YYYY-MM-DDTHH:MM:SS' in 2024; properties {page: str, device: {os: str, browser: str},
product_id: int or null, price: number or null} (product_id and price are set for add_to_cart
and purchase only).
Formats: jsonl and parquet (properties as a struct column). CSV cannot hold the nested object
and is refused.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("event_id", "user_id", "type", "ts", "properties")
FORMATS = ("jsonl", "parquet")

EVENT_TYPES = ("view", "click", "add_to_cart", "search", "purchase")
PAGES = ("/", "/search", "/product", "/cart", "/checkout", "/account")
OSES = ("ios", "android", "windows", "macos", "linux")
BROWSERS = ("safari", "chrome", "firefox", "edge")
_FIRST_SECOND = col.day_number("2024-01-01") * 86_400
_SECONDS = 366 * 86_400


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    users = int(options.get("users") or 10_000)
    kind = col.weighted_codes(rng, n, (50, 30, 8, 7, 5))
    has_product = (kind == 2) | (kind == 4)
    product = rng.integers(1, 500, n)
    cents = rng.integers(99, 50_000, n)
    properties = pl.DataFrame(
        {
            "page": col.pick(PAGES, rng.integers(0, len(PAGES), n)),
            "device": pl.DataFrame(
                {
                    "os": col.pick(OSES, rng.integers(0, len(OSES), n)),
                    "browser": col.pick(BROWSERS, rng.integers(0, len(BROWSERS), n)),
                }
            ).to_struct("device"),
            "product_id": pl.Series(product).set(pl.Series(~has_product), None),
            "price": pl.Series(cents / 100).set(pl.Series(~has_product), None),
        }
    ).to_struct("properties")
    return pl.DataFrame(
        {
            "event_id": np.arange(start + 1, start + n + 1, dtype=np.int64),
            "user_id": rng.integers(1, users + 1, n),
            "type": col.pick(EVENT_TYPES, kind),
            "ts": col.datetimes(_FIRST_SECOND + rng.integers(0, _SECONDS, n)),
            "properties": properties,
        }
    )
