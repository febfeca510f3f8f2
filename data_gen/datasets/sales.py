"""sales: one row per order line of a small shop.

sale_id int 1..N; date ISO date in 2023-01-01..2024-12-31; region one of REGIONS; product one
of PRODUCTS; quantity int 1..20 (small values most common); unit_price decimal(12,2), the
product's list price; amount decimal(12,2) = quantity * unit_price exactly.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("sale_id", "date", "region", "product", "quantity", "unit_price", "amount")
FORMATS = ("csv", "parquet", "jsonl")

# product -> list price in cents
PRODUCTS = {
    "widget": 1999,
    "gadget": 4950,
    "gizmo": 1250,
    "doohickey": 899,
    "sprocket": 325,
    "flange": 1575,
    "gear": 2200,
    "bolt": 45,
    "nut": 30,
    "bracket": 675,
    "valve": 3899,
    "pump": 12900,
}
_FIRST_DAY = col.day_number("2023-01-01")
_LAST_DAY = col.day_number("2024-12-31")


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    names = tuple(PRODUCTS)
    prices = np.array([PRODUCTS[p] for p in names], dtype=np.int64)
    product = rng.integers(0, len(names), n)
    quantity = np.minimum(rng.geometric(0.35, n), 20).astype(np.int64)
    unit_cents = prices[product]
    return pl.DataFrame(
        {
            "sale_id": np.arange(start + 1, start + n + 1, dtype=np.int64),
            "date": col.dates(rng.integers(_FIRST_DAY, _LAST_DAY + 1, n)),
            "region": col.pick(col.REGIONS, rng.integers(0, len(col.REGIONS), n)),
            "product": col.pick(names, product),
            "quantity": quantity,
            "unit_price": col.decimal_from_cents(unit_cents),
            "amount": col.decimal_from_cents(unit_cents * quantity),
        }
    )
