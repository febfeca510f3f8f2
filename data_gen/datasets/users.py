"""users: one row per user.

user_id int 1..N; name 'First Last'; email 'first.last<user_id>@domain' (unique);
region one of REGIONS; signup_date ISO date in 2020-01-01..2024-12-31.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("user_id", "name", "email", "region", "signup_date")
FORMATS = ("csv", "parquet", "jsonl")

_FIRST_DAY = col.day_number("2020-01-01")
_LAST_DAY = col.day_number("2024-12-31")


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    user_id = np.arange(start + 1, start + n + 1, dtype=np.int64)
    first, last = col.person_names(rng, n)
    domain = rng.integers(0, len(col.EMAIL_DOMAINS), n)
    region = rng.integers(0, len(col.REGIONS), n)
    signup = rng.integers(_FIRST_DAY, _LAST_DAY + 1, n)
    return pl.DataFrame(
        {
            "user_id": user_id,
            "name": col.full_name(first, last),
            "email": col.email(first, last, user_id, domain),
            "region": col.pick(col.REGIONS, region),
            "signup_date": col.dates(signup),
        }
    )
