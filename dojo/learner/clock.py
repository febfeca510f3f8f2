"""Time, injectable: tests set DOJO_NOW to pin "now" and DOJO_TIME_SCALE to speed up countdowns.

A mock interview lasts 45 minutes; its test cannot. With DOJO_TIME_SCALE=600 one real second
counts as ten minutes, so the same code path runs in a fraction of a second.
"""
from __future__ import annotations

import os
import time
from datetime import UTC, datetime


def now() -> datetime:
    pinned = os.environ.get("DOJO_NOW")
    if pinned:
        return datetime.fromisoformat(pinned).astimezone(UTC)
    return datetime.now(UTC)


def scale() -> float:
    return float(os.environ.get("DOJO_TIME_SCALE", "1") or 1)


def monotonic() -> float:
    """Seconds, as the countdown sees them (real seconds times DOJO_TIME_SCALE)."""
    return time.monotonic() * scale()


def sleep(seconds: float) -> None:
    """Sleep `seconds` of countdown time."""
    time.sleep(seconds / scale())
