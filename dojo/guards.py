"""Complexity guards: a big input inside @pytest.mark.timeout, failing with one clear line."""
from __future__ import annotations

from typing import Callable, TypeVar

import pytest

from dojo import collector

T = TypeVar("T")


def within_time_limit(call: Callable[[], T], what: str) -> T:
    """Run one kata call under the test's timeout; if the timeout fires inside it, fail with a short report.

    pytest-timeout raises its failure wherever the code happens to be. Re-raising it here keeps the
    report to one clear line (a long traceback through half-finished loops teaches nothing).
    """
    try:
        with collector.paused():    # the guard times the algorithm, not collections of unrelated objects
            return call()
    except pytest.fail.Exception as timeout:
        raise pytest.fail.Exception(f"{what} did not finish within the time limit ({timeout}); "
                                    "a linear algorithm finishes in a fraction of that", pytrace=False) from None
