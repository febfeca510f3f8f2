"""Calendar months for the brute-force oracles of month-based SQL katas: a month is (year, month).

Python's datetime has no month arithmetic, and every oracle needs the same three steps: the month
after, the 'YYYY-MM' text a query returns, and every month between two (a report's spine).
"""
from __future__ import annotations

Month = tuple[int, int]


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def next_month(year: int, month: int) -> Month:
    """December rolls into January of the next year."""
    return (year + 1, 1) if month == 12 else (year, month + 1)


def calendar(first: Month, last: Month) -> list[Month]:
    """Every month from first to last, both included."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = next_month(*current)
    return months
