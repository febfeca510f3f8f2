"""employees: a company hierarchy for recursive-query katas.

employee_id int 1..N; name 'First Last'; manager_id empty/null for employee 1 (the single root),
otherwise the id of an *earlier* employee, so the rows form one tree; early employees are picked
more often, giving a few managers with many reports and a depth of roughly log(N);
department one of DEPARTMENTS; salary int (whole currency units, 30,000..250,000);
hire_date ISO date in 2010-01-01..2024-12-31.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .. import columns as col

COLUMNS = ("employee_id", "name", "manager_id", "department", "salary", "hire_date")
FORMATS = ("csv", "parquet", "jsonl")

DEPARTMENTS = ("Engineering", "Sales", "Marketing", "Finance", "HR", "Operations")
_FIRST_DAY = col.day_number("2010-01-01")
_LAST_DAY = col.day_number("2024-12-31")


def build(rng: np.random.Generator, start: int, n: int, options: dict) -> pl.DataFrame:
    employee_id = np.arange(start + 1, start + n + 1, dtype=np.int64)
    # u**3 skews towards 0, so managers are mostly early employees; +1 keeps ids in 1..id-1.
    u = rng.random(n)
    manager = (np.floor(u**3 * (employee_id - 1)) + 1).astype(np.int64)
    first, last = col.person_names(rng, n)
    salary = np.round(rng.lognormal(11.3, 0.4, n), -2).clip(30_000, 250_000).astype(np.int64)
    return pl.DataFrame(
        {
            "employee_id": employee_id,
            "name": col.full_name(first, last),
            "manager_id": pl.Series(manager).scatter(np.flatnonzero(employee_id == 1), None),
            "department": col.pick(DEPARTMENTS, rng.integers(0, len(DEPARTMENTS), n)),
            "salary": salary,
            "hire_date": col.dates(rng.integers(_FIRST_DAY, _LAST_DAY + 1, n)),
        }
    )
