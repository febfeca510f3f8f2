"""Tests for the memoize kata: run `pytest katas/day1/exercises/test_memoize.py`."""
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.exercises.memoize import memoize


class FakeClock:
    """A clock the test moves by hand, so TTL tests never sleep."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def counting(func):
    """Wrap func so the test can see how often the real function ran."""
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)
    wrapper.calls = 0
    return wrapper


def test_a_repeated_call_is_served_from_the_cache():
    square = counting(lambda x: x * x)
    cached = memoize()(square)
    assert cached(3) == 9 and cached(3) == 9
    assert square.calls == 1, f"the function ran {square.calls} times for two calls with the same argument"
    assert tuple(cached.cache_info()) == (1, 1, 1), f"cache_info() = {cached.cache_info()}, expected hits=1, misses=1, size=1"


def test_wraps_keeps_name_and_docstring():
    @memoize(maxsize=4)
    def documented(x):
        """Doubles x."""
        return 2 * x

    assert documented.__name__ == "documented" and documented.__doc__ == "Doubles x.", \
        "use functools.wraps so the decorated function keeps its name and docstring"


def test_keyword_order_does_not_matter():
    add = counting(lambda a, b: a + b)
    cached = memoize()(add)
    assert cached(a=1, b=2) == cached(b=2, a=1) == 3
    assert add.calls == 1, "f(a=1, b=2) and f(b=2, a=1) must share one cache entry"


def test_a_positional_tuple_does_not_collide_with_keywords():
    def describe(*args, **kwargs):
        return (args, kwargs)

    cached = memoize()(counting(describe))
    assert cached((("b", 2),)) == (((("b", 2),),), {})
    assert cached(b=2) == ((), {"b": 2}), "f(b=2) returned the cached value of f((('b', 2),)): keys collide"


def test_lru_evicts_the_least_recently_used_not_the_oldest():
    square = counting(lambda x: x * x)
    cached = memoize(maxsize=2)(square)
    cached(1)
    cached(2)
    cached(1)          # 1 is now the most recently used
    cached(3)          # must evict 2
    calls_before = square.calls
    cached(1)
    assert square.calls == calls_before, "1 was used after 2, so adding 3 must evict 2, not 1"
    cached(2)
    assert square.calls == calls_before + 1, "2 should have been evicted"
    assert cached.cache_info().size == 2


def test_unbounded_cache_keeps_everything():
    cached = memoize(maxsize=None)(lambda x: x)
    for i in range(1000):
        cached(i)
    assert cached.cache_info().size == 1000


def test_ttl_expires_exactly_at_ttl_seconds():
    clock = FakeClock()
    square = counting(lambda x: x * x)
    cached = memoize(ttl=10, clock=clock)(square)
    cached(4)
    clock.now += 9.999
    cached(4)
    assert square.calls == 1, "an entry younger than ttl must come from the cache"
    clock.now += 0.001          # exactly ttl seconds after it was stored
    cached(4)
    assert square.calls == 2, "an entry is stale once clock() - stored_at >= ttl"
    clock.now += 5
    cached(4)
    assert square.calls == 2, "the recomputed entry is fresh again"


def test_cache_clear_empties_cache_and_counters():
    square = counting(lambda x: x * x)
    cached = memoize()(square)
    cached(2), cached(2)
    cached.cache_clear()
    assert tuple(cached.cache_info()) == (0, 0, 0)
    cached(2)
    assert square.calls == 2, "after cache_clear() the value must be computed again"


def test_exceptions_are_not_cached():
    attempts = []

    @memoize()
    def flaky(x):
        attempts.append(x)
        if len(attempts) == 1:
            raise ValueError("first call fails")
        return x

    with pytest.raises(ValueError):
        flaky(1)
    assert flaky(1) == 1 and len(attempts) == 2, "a call that raised must be computed again next time"


@pytest.mark.timeout(10)
def test_concurrent_first_calls_compute_once():
    threads_waiting = 8
    entered = threading.Event()
    release = threading.Event()

    def times_ten(x):
        if x == 7:                 # key 7 blocks until the test releases it
            entered.set()
            release.wait(5)
        return x * 10

    slow = counting(times_ten)
    cached = memoize()(slow)
    results = []
    barrier = threading.Barrier(threads_waiting)

    def call():
        barrier.wait()
        results.append(cached(7))

    threads = [threading.Thread(target=call) for _ in range(threads_waiting)]
    for thread in threads:
        thread.start()
    assert entered.wait(5), "no thread ever called the function"
    other = cached(8)              # another key must not be blocked by the slow one
    release.set()
    for thread in threads:
        thread.join(5)
    assert other == 80
    assert results == [70] * threads_waiting
    assert slow.calls == 2, (f"the function ran {slow.calls - 1} times for key 7 under {threads_waiting} "
                             "concurrent callers; it must run once while the others wait")
    assert tuple(cached.cache_info()) == (threads_waiting - 1, 2, 2)


@settings(max_examples=200, deadline=None)
@given(calls=st.lists(st.integers(0, 6), max_size=40), maxsize=st.integers(1, 4))
def test_matches_a_simple_lru_model(calls, maxsize):
    """Property: hits, misses and the cached keys match a list-based LRU model."""
    cached = memoize(maxsize=maxsize)(lambda x: -x)
    model, hits, misses = [], 0, 0
    for x in calls:
        assert cached(x) == -x
        if x in model:
            hits += 1
            model.remove(x)
        else:
            misses += 1
            if len(model) == maxsize:
                model.pop(0)
        model.append(x)
    assert tuple(cached.cache_info()) == (hits, misses, len(model)), f"after calls {calls} with maxsize={maxsize}"
