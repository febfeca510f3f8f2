"""Validate dirty customer rows: each row comes out clean (normalised) or quarantined with ALL its reasons.

Interviewers ask "what do you do with bad rows?" because every pipeline meets them. The answer they
listen for: never drop a row silently and never fail the whole batch for one row. Split the input
into clean rows and a quarantine that keeps the raw row with every reason, so it can be fixed and
replayed; then prove the split: clean + quarantined is the input, and no row is in both.

Rows are mappings column -> text (or None), as csv.DictReader reads data_gen's dirty
`customers_raw` data set (padded and re-cased text, country spellings, three date formats, broken
emails, impossible dates, missing values, duplicated customer ids):

    rows = [
        {"customer_id": "7", "name": " TARA COSTA", "email": "Tara.Costa7@Mail.test ",
         "signup_date": "03/15/2023", "country": "usa", "phone": "(555) 010 1234"},
        {"customer_id": "8", "name": "", "email": "bob(at)example.com",
         "signup_date": "2023-02-30", "country": "Germany", "phone": ""},
        {"customer_id": "7", "name": "Tara Costa", "email": "tara.costa7@mail.test",
         "signup_date": "2023-03-15", "country": "United States", "phone": None},
    ]
    result = validate(rows)
    result.clean        # [(0, Customer(7, 'Tara Costa', 'tara.costa7@mail.test', date(2023, 3, 15),
                        #               'United States', '+15550101234'))]
    result.quarantined  # [Rejected(1, rows[1], ('name: missing', "email: not an address: 'bob(at)...'",
                        #                        "signup_date: not a date: '2023-02-30'")),
                        #  Rejected(2, rows[2], ('customer_id: duplicate of row 0',))]

Requirements
- `validate(rows)` takes any iterable of mappings (a generator too: read it once) and returns a
  Validated: `clean`, a list of (index, Customer), and `quarantined`, a list of Rejected(index, row,
  reasons), both in input order. index is the row's 0-based position in the input. Every index
  lands in exactly one of the two lists: none lost, none in both.
- Rejected.row is the input row as it came (a plain dict with the same keys and values), so it can
  be fixed and replayed. The input mappings are not modified.
- Rejected.reasons holds one reason per failing column, for EVERY failing column, in COLUMNS
  order; each reason starts with the column name and ": " ("email: not an address: 'bob@'"). A row
  is clean exactly when it has no reason.
- Every value is stripped of surrounding whitespace (str.strip()) before any rule. A value that is
  None, absent from the mapping, or empty after stripping is missing: the reason is
  "<column>: missing" for a required column. Keys other than COLUMNS are ignored.
- Rules, and what a clean value becomes, column by column:
  customer_id  required; ASCII digits only ('0'-'9': str.isdigit() also accepts '²' and '٣');
               1 <= value <= 2**63 - 1 (a bigint). An id whose value an earlier row already
               carried (whatever else was wrong with that row; '007' and '7' are the same id) is
               "customer_id: duplicate of row N", N being the index of the first row with it.
               Clean: int.
  name         required; runs of whitespace become one space (' '.join(name.split())); no control
               character (unicodedata.category(ch) == "Cc"); at most 100 characters. A name with
               no lowercase or no uppercase letter ('TARA COSTA', 'tara costa') becomes
               name.title(); a mixed-case name is kept as it is ('McDonald', 'Zoë 東京').
  email        required; lower-cased (str.lower()); at most 254 characters; it must fullmatch
               EMAIL_PATTERN.
  signup_date  required; exactly one of YYYY-MM-DD, MM/DD/YYYY (US: slashes mean month first)
               or DD.MM.YYYY (dots mean day first), with ASCII digits, two-digit day and month and
               a four-digit year ('2024-1-05' is not accepted); a real calendar date ('2023-02-30'
               is not). Clean: datetime.date.
  country      required; one of the spellings in COUNTRY_SPELLINGS (a canonical name or one of its
               variants), compared case-insensitively (str.casefold()). Clean: the canonical name.
  phone        optional: a missing phone is clean and becomes None. Otherwise remove every space,
               '-', '.', '(' and ')'; what is left must fullmatch PHONE_PATTERN. Clean: '+1' then
               the last 10 digits ('(555) 010 1234' and '+1-555-010-1234' -> '+15550101234').
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

COLUMNS = ("customer_id", "name", "email", "signup_date", "country", "phone")
MAX_ID = 2**63 - 1
MAX_NAME = 100
MAX_EMAIL = 254
EMAIL_PATTERN = r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"
PHONE_PATTERN = r"\+?1?[0-9]{10}"
COUNTRY_SPELLINGS = {
    "United States": ("US", "USA", "U.S.A.", "United States of America"),
    "Germany": ("DE", "Deutschland"),
    "France": ("FR",),
    "Japan": ("JP",),
    "Brazil": ("BR", "Brasil"),
    "India": ("IN",),
}


class Customer(NamedTuple):
    customer_id: int
    name: str
    email: str
    signup_date: date
    country: str
    phone: str | None


class Rejected(NamedTuple):
    index: int                       # 0-based position in the input
    row: dict                        # the input row as it came
    reasons: tuple[str, ...]         # "column: what is wrong", one per failing column, in COLUMNS order


@dataclass
class Validated:
    clean: list[tuple[int, Customer]] = field(default_factory=list)
    quarantined: list[Rejected] = field(default_factory=list)


class Invalid(ValueError):
    """One column's value breaks a rule; str(exc) says what is wrong (without the column name)."""


# The tests call only validate(). The helpers below are one way to split the work: one small
# cleaner per column that returns the clean value or raises Invalid, then one row check that runs
# them all. Keep them, change them or delete them.

def clean_customer_id(text: str) -> int:
    raise NotImplementedError("TODO: ASCII digits only, 1..2**63-1, return the int")


def clean_name(text: str) -> str:
    raise NotImplementedError("TODO: collapse whitespace, refuse control characters and long names, fix case")


def clean_email(text: str) -> str:
    raise NotImplementedError("TODO: lower-case, at most 254 characters, fullmatch EMAIL_PATTERN")


def clean_signup_date(text: str) -> date:
    raise NotImplementedError("TODO: YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY, and a real calendar date")


def clean_country(text: str) -> str:
    raise NotImplementedError("TODO: look the spelling up case-insensitively in COUNTRY_SPELLINGS")


def clean_phone(text: str) -> str:
    raise NotImplementedError("TODO: drop ' -.()', fullmatch PHONE_PATTERN, return '+1' + the last 10 digits")


def check_row(row: Mapping[str, str | None]) -> tuple[dict[str, object], list[str]]:
    """Every column's clean value, and every column's reason: no early return on the first one."""
    raise NotImplementedError("TODO: strip each value, treat empty as missing, run every column's cleaner")


def validate(rows: Iterable[Mapping[str, str | None]]) -> Validated:
    """Split rows into clean Customers and Rejected rows with every reason; each index lands once."""
    raise NotImplementedError("TODO: check every row, add the duplicate rule, append each index to one list")
