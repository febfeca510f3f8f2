"""customers_raw: deliberately DIRTY customer rows for cleaning and de-duplication katas.

Columns: customer_id, name, email, signup_date, country, phone, all written as text.
Each kind of dirt is drawn independently per row, at these rates:

- whitespace: name 10%, email 5%, country 8% get leading and/or trailing spaces;
- case: name 10% ALL UPPER or all lower; email 5% upper case; country 20% spelled as a variant
  ('US', 'usa', 'U.S.A.', 'germany', 'DE', ...);
- invalid email 6%: 'bob(at)example.com', missing domain 'bob@', or no '@' at all;
- signup_date: 4% impossible ('2023-02-30', '13/45/2020', '2023-13-01', 'not a date'),
  5% valid but in another format ('03/15/2023' MM/DD/YYYY or '15.03.2023'), 3% empty;
- phone: mixed formats ('+1-555-010-1234', '(555) 010 1234', '5550101234', '555.010.1234');
- missing values: name 2%, email 3%, country 2%, phone 5% (empty in CSV, null in JSON/Parquet);
- duplicates: 4% of rows are exact copies of an earlier row of the same block (same
  customer_id too); 2% are near duplicates of an earlier row: same customer_id, but name and
  email re-cased and padded with spaces.

Rates are per row, so blocks of a few hundred rows show every kind of dirt; tiny outputs may not.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("customer_id", "name", "email", "signup_date", "country", "phone")
FORMATS = ("csv", "parquet", "jsonl")

COUNTRIES = {
    "United States": ("US", "usa", "U.S.A.", "united states", "UNITED STATES"),
    "Germany": ("DE", "germany", "GERMANY", "Deutschland"),
    "France": ("FR", "france", "FRANCE"),
    "Japan": ("JP", "japan", "JAPAN"),
    "Brazil": ("BR", "brazil", "Brasil"),
    "India": ("IN", "india", "INDIA"),
}
BAD_DATES = ("2023-02-30", "13/45/2020", "2023-13-01", "not a date")
_FIRST_DAY = col.day_number("2019-01-01")
_LAST_DAY = col.day_number("2024-12-31")


def _pad(expr: pl.Expr, code: str) -> pl.Expr:
    """code 1: leading space, 2: trailing spaces, 3: both; 0 leaves the text alone."""
    return (
        pl.when(pl.col(code) == 1)
        .then(pl.concat_str(pl.lit(" "), expr))
        .when(pl.col(code) == 2)
        .then(pl.concat_str(expr, pl.lit("  ")))
        .when(pl.col(code) == 3)
        .then(pl.concat_str(pl.lit("  "), expr, pl.lit(" ")))
        .otherwise(expr)
    )


def _maybe(rng: np.random.Generator, n: int, rate: float, kinds: int = 1) -> np.ndarray:
    """0 for clean rows; 1..kinds (equally likely) for the ``rate`` share of dirty rows."""
    return np.where(rng.random(n) < rate, rng.integers(1, kinds + 1, n), 0)


def _country_text(rng: np.random.Generator, n: int) -> pl.Series:
    names = tuple(COUNTRIES)
    spellings = [name for name in names] + [v for name in names for v in COUNTRIES[name]]
    canonical = rng.integers(0, len(names), n)
    variant_start = np.cumsum([0] + [len(COUNTRIES[name]) for name in names[:-1]]) + len(names)
    variant_count = np.array([len(COUNTRIES[name]) for name in names])
    variant = variant_start[canonical] + (rng.random(n) * variant_count[canonical]).astype(np.int64)
    return col.pick(spellings, np.where(rng.random(n) < 0.20, variant, canonical))


def _phones(rng: np.random.Generator, n: int) -> pl.Series:
    area = rng.integers(200, 1000, n)
    mid = rng.integers(0, 1000, n)
    end = rng.integers(0, 10_000, n)
    frame = pl.DataFrame(
        {
            "a": pl.Series(area).cast(pl.String),
            "m": pl.Series(mid).cast(pl.String).str.zfill(3),
            "e": pl.Series(end).cast(pl.String).str.zfill(4),
            "style": rng.integers(0, 4, n),
        }
    )
    a, m, e = pl.col("a"), pl.col("m"), pl.col("e")
    return frame.select(
        pl.when(pl.col("style") == 0)
        .then(pl.concat_str(pl.lit("+1-"), a, pl.lit("-"), m, pl.lit("-"), e))
        .when(pl.col("style") == 1)
        .then(pl.concat_str(pl.lit("("), a, pl.lit(") "), m, pl.lit(" "), e))
        .when(pl.col("style") == 2)
        .then(pl.concat_str(a, m, e))
        .otherwise(pl.concat_str(a, pl.lit("."), m, pl.lit("."), e))
        .alias("phone")
    ).to_series()


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    customer_id = np.arange(start + 1, start + n + 1, dtype=np.int64)
    first, last = col.person_names(rng, n)
    domain = rng.integers(0, len(col.EMAIL_DOMAINS), n)
    signup = rng.integers(_FIRST_DAY, _LAST_DAY + 1, n)
    raw = pl.DataFrame(
        {
            "customer_id": customer_id,
            "name": col.full_name(first, last),
            "email": col.email(first, last, customer_id, domain),
            "iso": col.iso_date_text(signup),
            "country": _country_text(rng, n),
            "phone": _phones(rng, n),
            "name_pad": _maybe(rng, n, 0.10, 3),
            "name_case": _maybe(rng, n, 0.10, 2),
            "email_pad": _maybe(rng, n, 0.05, 3),
            "email_case": _maybe(rng, n, 0.05),
            "email_bad": _maybe(rng, n, 0.06, 3),
            "country_pad": _maybe(rng, n, 0.08, 3),
            "date_bad": _maybe(rng, n, 0.04),
            "bad_date": col.pick(BAD_DATES, rng.integers(0, len(BAD_DATES), n)),
            "date_format": _maybe(rng, n, 0.05, 2),
            "date_empty": _maybe(rng, n, 0.03),
            "name_null": _maybe(rng, n, 0.02),
            "email_null": _maybe(rng, n, 0.03),
            "country_null": _maybe(rng, n, 0.02),
            "phone_null": _maybe(rng, n, 0.05),
        }
    )
    name = pl.col("name")
    name = (
        pl.when(pl.col("name_case") == 1)
        .then(name.str.to_uppercase())
        .when(pl.col("name_case") == 2)
        .then(name.str.to_lowercase())
        .otherwise(name)
    )
    local = pl.col("email").str.split("@").list.first()
    email = (
        pl.when(pl.col("email_bad") == 1)
        .then(pl.col("email").str.replace("@", "(at)", literal=True))
        .when(pl.col("email_bad") == 2)
        .then(pl.concat_str(local, pl.lit("@")))
        .when(pl.col("email_bad") == 3)
        .then(pl.col("email").str.replace("@", ".", literal=True))
        .otherwise(pl.col("email"))
    )
    email = pl.when(pl.col("email_case") == 1).then(email.str.to_uppercase()).otherwise(email)
    iso = pl.col("iso")
    us = pl.concat_str(
        iso.str.slice(5, 2), pl.lit("/"), iso.str.slice(8, 2), pl.lit("/"), iso.str.slice(0, 4)
    )
    eu = pl.concat_str(
        iso.str.slice(8, 2), pl.lit("."), iso.str.slice(5, 2), pl.lit("."), iso.str.slice(0, 4)
    )
    signup_date = (
        pl.when(pl.col("date_empty") == 1)
        .then(pl.lit(""))
        .when(pl.col("date_bad") == 1)
        .then(pl.col("bad_date"))
        .when(pl.col("date_format") == 1)
        .then(us)
        .when(pl.col("date_format") == 2)
        .then(eu)
        .otherwise(iso)
    )

    def unless_null(expr: pl.Expr, flag: str) -> pl.Expr:
        return pl.when(pl.col(flag) == 0).then(expr)

    dirty = raw.select(
        "customer_id",
        unless_null(_pad(name, "name_pad"), "name_null").alias("name"),
        unless_null(_pad(email, "email_pad"), "email_null").alias("email"),
        signup_date.alias("signup_date"),
        unless_null(_pad(pl.col("country"), "country_pad"), "country_null").alias("country"),
        unless_null(pl.col("phone"), "phone_null").alias("phone"),
    )
    return _duplicate(rng, dirty)


def _duplicate(rng: np.random.Generator, frame: pl.DataFrame) -> pl.DataFrame:
    """Overwrite some rows with exact or near copies of an earlier row of the same block."""
    n = frame.height
    kind = np.where(rng.random(n) < 0.06, np.where(rng.random(n) < 4 / 6, 1, 2), 0)
    kind[0] = 0  # row 0 has nothing earlier to copy
    source = (rng.random(n) * np.arange(n)).astype(np.int64)  # uniform over earlier rows
    index = np.where(kind > 0, source, np.arange(n))
    copied = frame[index].with_columns(pl.Series("kind", kind))
    near = pl.col("kind") == 2
    return copied.select(
        "customer_id",
        pl.when(near)
        .then(pl.concat_str(pl.col("name").str.to_uppercase(), pl.lit(" ")))
        .otherwise("name")
        .alias("name"),
        pl.when(near)
        .then(pl.concat_str(pl.lit(" "), pl.col("email").str.to_uppercase()))
        .otherwise("email")
        .alias("email"),
        "signup_date",
        "country",
        "phone",
    )
