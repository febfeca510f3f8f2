"""Keep Python's cyclic garbage collector off work that is not the code under test.

A full collection walks every tracked object. In a test run those are mostly pytest, pandas and
hypothesis (millions of objects that are never garbage), and the complexity guards allocate 10^6
objects at a time, which triggers collection after collection of that whole heap. Two measures:

- after start-up and again after collection, the run's own objects are frozen (`gc.freeze`), so
  later collections skip them;
- a `perf` test that is not a benchmark (a complexity guard) runs with the collector paused, so
  building its 10^6-element input costs what it costs in a script.

Together they take about a second off `pytest katas/day1`. Reference counting still frees
everything that is not in a cycle, and collection resumes after each paused test.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's previous state comes back after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def is_complexity_guard(item: pytest.Item) -> bool:
    return item.get_closest_marker("perf") is not None and "benchmark" not in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    gc.freeze()                 # the plugins and everything they imported


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.freeze()                 # the test modules and the libraries they imported


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    if not is_complexity_guard(item):
        return (yield)
    with paused():
        return (yield)
