"""Tests for the parallelism kata: run `pytest katas/day1/data/test_parallelism.py`.

The functions handed to parallel_map live at module level on purpose: a worker process imports
them by name (`katas.day1.data.test_parallelism.square`), which is also what your users must do.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.bench import contenders
from katas.day1.data.parallelism import ParallelMapError, fetch_all, parallel_map

START_METHODS = ["fork", "spawn"]


# -- worker functions (module level, so worker processes can import them) ------------------------

def square(x: int) -> int:
    return x * x


def busy_sum(n: int) -> int:
    """Pure-Python CPU work: the GIL is held the whole time."""
    return sum(i * i for i in range(n))


def pid_of(_item: object) -> int:
    return os.getpid()


def fail_on_multiples_of_five(x: int) -> int:
    if x % 5 == 0:
        raise ValueError(f"bad item {x}")
    return x


def odd_finishes_first(folder: str, item: int) -> tuple[int, int, bool]:
    """An even item waits until item + 1 has started in another process, then lingers a few ms,
    so item + 1 always finishes first. Returns (item, pid, whether the partner was seen)."""
    if item % 2:
        (Path(folder) / f"started-{item}").touch()
        return item, os.getpid(), True
    partner = Path(folder) / f"started-{item + 1}"
    deadline = time.monotonic() + 5
    while not partner.exists():
        if time.monotonic() > deadline:
            return item, os.getpid(), False
        time.sleep(0.001)
    time.sleep(0.02)
    return item, os.getpid(), True


@pytest.fixture(params=START_METHODS)
def mp_context(request):
    return multiprocessing.get_context(request.param)


# -- parallel_map ----------------------------------------------------------------------------------

CASES = {
    "one item per chunk": (lambda: range(10), 2, 1),
    "chunks of three, the last one short": (lambda: range(10), 2, 3),
    "one chunk bigger than the whole input": (lambda: range(5), 2, 100),
    "more workers than items": (lambda: range(3), 4, 1),
    "a generator as input": (lambda: (i - 3 for i in range(9)), 2, 2),
    "a single item": (lambda: [7], 2, 1),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("make_items,workers,chunksize", CASES.values(), ids=CASES.keys())
def test_parallel_map_equals_the_serial_map(make_items, workers, chunksize):
    want = [square(x) for x in make_items()]
    got = parallel_map(square, make_items(), workers=workers, chunksize=chunksize)
    assert got == want, (f"parallel_map(square, {list(make_items())}, workers={workers}, chunksize={chunksize}) "
                         f"returned {got}, expected {want}")


@pytest.mark.timeout(30)
def test_no_items_give_an_empty_list():
    got = parallel_map(square, [], workers=2)
    assert got == [], f"parallel_map(square, []) returned {got!r}, expected []"


@pytest.mark.timeout(60)
def test_items_that_finish_out_of_order_come_back_in_input_order(mp_context, tmp_path):
    items = [0, 1, 2, 3]
    got = parallel_map(functools.partial(odd_finishes_first, str(tmp_path)), items, workers=2,
                       chunksize=1, mp_context=mp_context)
    returned = [item for item, _pid, _saw in got]
    assert returned == items, (f"each odd item finishes before the even item before it, and parallel_map "
                               f"returned results for items {returned}: keep INPUT order, not completion order")
    assert all(saw for _item, _pid, saw in got), (
        "an even item never saw its partner start: items did not run at the same time in two processes")
    pids = {pid for _item, pid, _saw in got}
    assert os.getpid() not in pids, "fn ran in the calling process; it must run in worker processes"


@pytest.mark.timeout(30)
def test_fn_runs_in_worker_processes_not_in_the_caller():
    pids = parallel_map(pid_of, range(6), workers=2)
    assert os.getpid() not in pids, (f"parallel_map(pid_of, ...) returned pids {pids}, which include the "
                                     f"caller's pid {os.getpid()}: CPU work needs other processes")


@pytest.mark.timeout(30)
def test_one_chunk_runs_in_one_worker():
    pids = parallel_map(pid_of, range(8), workers=2, chunksize=4)
    assert len(set(pids[:4])) == 1 and len(set(pids[4:])) == 1, (
        f"with chunksize=4, items 0-3 and items 4-7 should each run as one task in one worker; pids were {pids}")


@pytest.mark.timeout(60)
def test_a_failing_item_is_named_with_the_original_exception_as_cause(mp_context):
    items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    with pytest.raises(ParallelMapError) as caught:
        parallel_map(fail_on_multiples_of_five, items, workers=2, chunksize=3, mp_context=mp_context)
    error = caught.value
    assert error.item == 5, f"items 5 and 10 fail; the error names item {error.item!r}, expected the first, 5"
    cause = error.__cause__
    assert isinstance(cause, ValueError) and str(cause) == "bad item 5", (
        f"__cause__ should be fn's ValueError('bad item 5'), got {cause!r}: raise ParallelMapError(item) from exc")
    assert "5" in str(error), f"str(error) = {str(error)!r} should mention the item"


BAD_ARGUMENTS = {
    "zero workers": {"workers": 0},
    "negative workers": {"workers": -2},
    "zero chunksize": {"chunksize": 0},
}


@pytest.mark.parametrize("kwargs", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_bad_workers_or_chunksize_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        parallel_map(square, [1, 2], **kwargs)


@pytest.mark.timeout(60)
@settings(max_examples=8, deadline=None)
@given(items=st.lists(st.integers(-1000, 1000), max_size=20), chunksize=st.integers(1, 6))
def test_parallel_map_matches_map_for_any_input(items, chunksize):
    got = parallel_map(square, items, workers=2, chunksize=chunksize)
    assert got == list(map(square, items)), f"parallel_map(square, {items}, chunksize={chunksize}) returned {got}"


# -- fetch_all (threads, for I/O) ------------------------------------------------------------------

@pytest.mark.timeout(30)
def test_fetch_all_runs_calls_at_the_same_time_in_threads():
    workers = 4
    barrier = threading.Barrier(workers)

    def fake_io(item):
        try:
            barrier.wait(timeout=2)          # returns only once `workers` calls wait together
        except threading.BrokenBarrierError:
            return item, threading.get_ident(), False
        return item, threading.get_ident(), True

    got = fetch_all(fake_io, range(workers), workers=workers)
    assert [item for item, _tid, _ok in got] == list(range(workers)), f"fetch_all returned {got}"
    assert all(ok for _item, _tid, ok in got), (
        f"{workers} calls with workers={workers} never waited at the same time: fetch_all must run them in parallel threads")
    assert threading.get_ident() not in {tid for _item, tid, _ok in got}, "fn ran in the calling thread"


@pytest.mark.timeout(30)
def test_fetch_all_keeps_input_order_when_the_first_item_finishes_last():
    last_started = threading.Event()
    items = ["slow", "b", "c", "last"]

    def fake_io(item):
        if item == "last":
            last_started.set()
        if item == "slow":
            last_started.wait(5)
        return item.upper()

    got = fetch_all(fake_io, items, workers=4)
    assert got == ["SLOW", "B", "C", "LAST"], f"fetch_all returned {got}: results must follow the input order"


@pytest.mark.timeout(30)
def test_fetch_all_names_the_failing_item():
    def fake_io(url):
        if url.endswith("/404"):
            raise LookupError(f"not found: {url}")
        return len(url)

    urls = ["http://a/ok", "http://b/404", "http://c/ok", "http://d/404"]
    with pytest.raises(ParallelMapError) as caught:
        fetch_all(fake_io, urls, workers=2)
    assert caught.value.item == "http://b/404", f"the error names {caught.value.item!r}, expected 'http://b/404'"
    assert isinstance(caught.value.__cause__, LookupError), f"__cause__ is {caught.value.__cause__!r}"


def test_fetch_all_refuses_zero_workers():
    with pytest.raises(ValueError):
        fetch_all(str, [1], workers=0)


@settings(max_examples=50, deadline=None)
@given(items=st.lists(st.text(max_size=5), max_size=30), workers=st.integers(1, 8))
def test_fetch_all_matches_map_for_any_input(items, workers):
    got = fetch_all(str.upper, items, workers=workers)
    assert got == [s.upper() for s in items], f"fetch_all(str.upper, {items}, workers={workers}) returned {got}"


# -- benchmark: learner vs reference vs the plain serial map ------------------------------------------

BENCH_ITEMS = [1_200_000] * 8


def naive_map(fn, items, workers=None, chunksize=1):
    return [fn(item) for item in items]


CONTENDERS = contenders("day1.data.parallelism", "parallel_map", naive_map)


@pytest.fixture(scope="module")
def working_parallel_map():
    """Timing a broken parallel_map means nothing: check it first."""
    try:
        got = parallel_map(square, range(4), workers=2)
    except NotImplementedError:
        pytest.fail("implement parallel_map first: the benchmark compares it with the serial map")
    assert got == [0, 1, 4, 9], f"parallel_map(square, range(4)) returned {got}"


@pytest.mark.perf
@pytest.mark.timeout(120)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_parallel_map_against_serial(benchmark, contender, working_parallel_map):
    benchmark.group = "day1.data.parallelism"
    got = benchmark(CONTENDERS[contender], busy_sum, BENCH_ITEMS, workers=2, chunksize=2)
    assert got == [busy_sum(BENCH_ITEMS[0])] * len(BENCH_ITEMS), f"{contender} returned {got}"
