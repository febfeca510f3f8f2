"""Clean, validate and enrich raw customer data in pandas: a reference table, E.164 phones, merged near-duplicates.

"Write a Pandas pipeline to clean, validate, and enrich raw customer data" is the mock interview's
data-validation question. Row-by-row validation with every reason and a quarantine is
day3.etl.validation; this is the interviewer's next step: the same dirty `customers_raw` data as a
frame, ENRICHED from a reference table (a join, not a dict in the code), phones made E.164 with the
customer's own country calling code, near-duplicates merged by a stated rule, and a data-quality
report that proves every input row went somewhere.

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)    # data_gen customers_raw, all text
    #   customer_id          name                   email signup_date  country            phone
    # 0           7    Tara Costa   tara.costa7@mail.test  2023-03-15  germany   (555) 010 1234
    # 1           7   TARA COSTA    TARA.COSTA7@MAIL.TEST  2023-03-15  germany  +1-555-010-1234
    # 2           8           Bob      bob(at)example.com  2023-01-02   France
    result = clean_customers(raw)
    result.customers   # customer_id 7, 'Tara Costa', 'tara.costa7@mail.test', '2023-03-15',
                       #   'Germany', 'DE', '+495550101234'           (row 1 merged into row 0)
    result.rejected    # row 2, reasons 'email: missing or invalid'
    result.lineage     # rows 0, 1, 2 -> kept 7, merged 7, rejected <NA>
    result.report      # {'rows_in': 3, 'customers_out': 1, 'rows_rejected': 1, 'rows_merged': 1, ...}

Requirements
- `clean_customers(raw, reference=COUNTRY_REFERENCE)` takes a frame of text columns COLUMNS (empty
  text is missing; leading and trailing whitespace is stripped from every value before any rule)
  and a reference table with the columns spelling, iso2, name, calling_code (one row per accepted
  spelling of a country). It leaves both frames as they were and returns a Cleaned.
- Validation. A row is rejected when any of these fails; `rejected` has one row per rejected input
  row (columns row, reasons; in input order), reasons being every failing rule's text in this
  order, joined by "; ":
    "customer_id: not a positive integer"   ASCII digits only, value 1..2**63-1;
    "email: missing or invalid"              lower-cased, it must fullmatch EMAIL_PATTERN;
    "country: not in the reference table"    compared with the reference's spellings after
                                              strip() and casefold() on both sides.
- Cleaning and enrichment of the other rows: customer_id becomes an int; email lower case; name has
  runs of whitespace collapsed to one space, and a name with no lowercase or no uppercase letter
  becomes name.title() (a missing name stays missing: None); country becomes the reference's name,
  plus its iso2 as country_code; signup_date is kept as stripped text (its rules are day3's).
- Phone to E.164: remove every ' ', '-', '.', '(' and ')'. A number that then starts with '+' must
  fullmatch PHONE_INTERNATIONAL and is kept as it is (its own country code wins over the
  customer's). A number without '+' must fullmatch PHONE_NATIONAL: one leading '0' (a trunk prefix)
  is dropped and the customer's calling_code put in front; the result must have at most 15
  digits. A missing phone, or one that breaks these rules, becomes None (the row is not rejected).
- Near-duplicates: two valid rows are the same customer when their emails (lower-cased) are equal
  AND their names are equal after collapsing whitespace and casefold() (a missing name matches only
  a missing name). customer_id is not part of the key. The first row of a group in input order
  survives with its values; a missing phone or signup_date of the survivor is filled from the
  group's later rows (the first that has one). The other rows are merged into it.
- `customers`: one row per surviving customer, in the input order of the survivors, columns
  CUSTOMER_COLUMNS, a fresh 0..n-1 index; missing values are None.
- `lineage`: one row per input row, in input order: row (its 0-based position in raw), outcome
  ('kept', 'merged' or 'rejected') and customer_id (the int id of the customer the row ended in:
  the survivor's id for a merged row; None when rejected).
- `report`: a dict of the counts in REPORT_KEYS, in that order:
    rows_in, customers_out, rows_rejected, rows_merged (rows_in is always the sum of the other three);
    one count per rejection rule above: the rows (of all rows) that fail it;
    "country: spelling normalised": valid rows whose stripped country text is not exactly the name;
    "phone: missing" and "phone: invalid, set to null": valid rows (merged ones included), before
    any fill from a duplicate.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np  # noqa: F401 - you may want it
import pandas as pd

COLUMNS = ("customer_id", "name", "email", "signup_date", "country", "phone")
CUSTOMER_COLUMNS = ("customer_id", "name", "email", "signup_date", "country", "country_code", "phone")
EMAIL_PATTERN = r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"
PHONE_INTERNATIONAL = r"\+[1-9][0-9]{6,14}"
PHONE_NATIONAL = r"[0-9]{6,14}"
MAX_ID = 2**63 - 1
REJECTION_RULES = ("customer_id: not a positive integer", "email: missing or invalid",
                   "country: not in the reference table")
REPORT_KEYS = ("rows_in", "customers_out", "rows_rejected", "rows_merged", *REJECTION_RULES,
               "country: spelling normalised", "phone: missing", "phone: invalid, set to null")


def _reference_rows() -> list[tuple[str, str, str, str]]:
    countries = {  # iso2: (name, calling code, other spellings)
        "US": ("United States", "+1", ("USA", "U.S.A.", "United States of America")),
        "DE": ("Germany", "+49", ("Deutschland",)),
        "FR": ("France", "+33", ()),
        "JP": ("Japan", "+81", ()),
        "BR": ("Brazil", "+55", ("Brasil",)),
        "IN": ("India", "+91", ()),
    }
    return [(spelling, iso2, name, code) for iso2, (name, code, others) in countries.items()
            for spelling in (name, iso2, *others)]


COUNTRY_REFERENCE = pd.DataFrame(_reference_rows(), columns=["spelling", "iso2", "name", "calling_code"])


@dataclass
class Cleaned:
    customers: pd.DataFrame
    rejected: pd.DataFrame
    lineage: pd.DataFrame
    report: dict[str, int]


def clean_customers(raw: pd.DataFrame, reference: pd.DataFrame = COUNTRY_REFERENCE) -> Cleaned:
    raise NotImplementedError("TODO: validate, join the reference table, E.164 phones, merge near-duplicates, report")
