"""Compare result sets as SQL means them: by the kata's ordering rule, with float tolerance, NULL = NULL."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from dojo.sql.engines import Result

SHOWN_ROWS = 3


@dataclass(frozen=True)
class Rules:
    ordered: bool = False                   # does row order matter?
    order_keys: tuple[str, ...] = ()        # ...or only the order of these columns (ties may come in any order)
    tolerance: float = 1e-6                 # relative tolerance for numbers
    digits: int = 6                         # rounding used to match rows up before the tolerance check


def normalise(value):
    """One Python type per SQL value, whatever the engine returned."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(type(v)), v if v is not None else 0) for v in row)


def _rounded(row: tuple, digits: int) -> tuple:
    return tuple(round(v, digits) if isinstance(v, float) else v for v in row)


def _close(a, b, tolerance: float) -> bool:
    if isinstance(a, float) and isinstance(b, (float, int)) or isinstance(b, float) and isinstance(a, int):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    return a == b


def _rows_equal(actual: list[tuple], expected: list[tuple], tolerance: float) -> bool:
    return len(actual) == len(expected) and all(
        len(a) == len(e) and all(_close(x, y, tolerance) for x, y in zip(a, e)) for a, e in zip(actual, expected))


def _diff(actual: list[tuple], expected: list[tuple], digits: int) -> str:
    have, want = Counter(_rounded(r, digits) for r in actual), Counter(_rounded(r, digits) for r in expected)
    missing = list((want - have).elements())[:SHOWN_ROWS]
    unexpected = list((have - want).elements())[:SHOWN_ROWS]
    lines = [f"  missing:    {row}" for row in missing] + [f"  unexpected: {row}" for row in unexpected]
    return "\n".join(lines) or "  the same rows, in a different order"


def assert_same_result(actual: Result, expected: Result, rules: Rules = Rules(), what: str = "the query") -> None:
    """Raise AssertionError with the columns and the first missing/unexpected rows when results differ."""
    want_cols = tuple(c.lower() for c in expected.columns)
    have_cols = tuple(c.lower() for c in actual.columns)
    assert have_cols == want_cols, f"{what} returned columns {list(have_cols)}, expected {list(want_cols)}"
    have = [tuple(normalise(v) for v in row) for row in actual.rows]
    want = [tuple(normalise(v) for v in row) for row in expected.rows]
    if rules.order_keys:
        index = [want_cols.index(k.lower()) for k in rules.order_keys]
        project = lambda rows: [tuple(row[i] for i in index) for row in rows]  # noqa: E731
        assert _rows_equal(project(have), project(want), rules.tolerance), (
            f"{what} returned rows in the wrong order of {list(rules.order_keys)}:\n"
            f"  got      {project(have)[:SHOWN_ROWS * 2]}\n  expected {project(want)[:SHOWN_ROWS * 2]}")
    if not rules.ordered:
        have, want = sorted(have, key=_sort_key), sorted(want, key=_sort_key)
    if not _rows_equal(have, want, rules.tolerance):
        order = "in order" if rules.ordered else "in any order"
        raise AssertionError(f"{what} returned {len(have)} rows, expected {len(want)} ({order}); "
                             f"columns {list(want_cols)}\n{_diff(have, want, rules.digits)}")
