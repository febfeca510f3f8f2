"""Tests for the asyncio basics kata: run `pytest katas/day1/async/test_asyncio_basics.py`.

No test sleeps for real: coroutines are held back by asyncio.Event gates and released by the test,
and "time passing" is a number of `await asyncio.sleep(0)` steps (one trip through the loop each).
"""
import asyncio
import importlib
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

# `async` is a keyword, so `from katas.day1.async.asyncio_basics import ...` is a SyntaxError.
basics = importlib.import_module("katas.day1.async.asyncio_basics")
gather_with_limit = basics.gather_with_limit
first_completed = basics.first_completed
async_retry = basics.async_retry


class Boom(Exception):
    """The error our test coroutines raise on purpose."""


class Tracker:
    """Runs test jobs and records what ran, what finished, what was cancelled, and the peak in flight."""

    def __init__(self):
        self.running = 0
        self.peak = 0
        self.started: list[str] = []
        self.finished: list[str] = []
        self.cancelled: list[str] = []

    async def job(self, name, value=None, steps=1, gate=None, error=None):
        self.running += 1
        self.peak = max(self.peak, self.running)
        self.started.append(name)
        try:
            if gate is not None:
                await gate.wait()
            for _ in range(steps):
                await asyncio.sleep(0)
            if error is not None:
                raise error
            return value
        except asyncio.CancelledError:
            self.cancelled.append(name)
            raise
        finally:
            self.running -= 1
            self.finished.append(name)

    def forever(self, name):
        """A job that only ends by being cancelled."""
        return self.job(name, gate=asyncio.Event())


async def let_the_loop_run(steps=50):
    for _ in range(steps):
        await asyncio.sleep(0)


# ---------------------------------------------------------------- gather_with_limit

@pytest.mark.timeout(5)
async def test_gather_with_limit_runs_exactly_limit_at_once():
    tracker, gate = Tracker(), asyncio.Event()
    running = asyncio.ensure_future(
        gather_with_limit([tracker.job(f"job{i}", i, gate=gate) for i in range(10)], limit=3))
    await let_the_loop_run()
    peak_while_held = tracker.peak
    gate.set()
    results = await running
    assert peak_while_held == 3, (f"10 jobs held at a gate with limit=3: {peak_while_held} ran at once, "
                                  "expected exactly 3 (never more, and no fewer either: use the slots)")
    assert tracker.peak == 3, f"gather_with_limit(limit=3) let {tracker.peak} jobs run at once"
    assert results == list(range(10))


@pytest.mark.timeout(5)
async def test_a_freed_slot_starts_the_next_job_without_waiting_for_the_batch():
    tracker, slow_gate = Tracker(), asyncio.Event()
    jobs = [tracker.job("slow", "S", gate=slow_gate),
            tracker.job("b", "B"), tracker.job("c", "C"), tracker.job("d", "D")]
    running = asyncio.ensure_future(gather_with_limit(jobs, limit=2))
    await let_the_loop_run()
    finished_while_slow_held = sorted(tracker.finished)
    slow_gate.set()
    results = await running
    assert finished_while_slow_held == ["b", "c", "d"], (
        f"with limit=2 and one job held back, {finished_while_slow_held} finished before it was released; "
        "expected ['b', 'c', 'd']: each freed slot must start the next job (a sliding window, not batches)")
    assert results == ["S", "B", "C", "D"]


async def test_results_keep_input_order_not_completion_order():
    tracker = Tracker()
    steps = [6, 1, 4, 2, 5]
    results = await gather_with_limit([tracker.job(f"job{i}", i, steps=s) for i, s in enumerate(steps)], limit=3)
    assert tracker.finished != [f"job{i}" for i in range(5)], "the test needs jobs to finish out of order"
    assert results == [0, 1, 2, 3, 4], (f"jobs finished in the order {tracker.finished}; "
                                        f"gather_with_limit returned {results}, expected [0, 1, 2, 3, 4]")


async def test_limit_larger_than_the_number_of_jobs_runs_them_all_at_once():
    tracker, gate = Tracker(), asyncio.Event()
    running = asyncio.ensure_future(gather_with_limit([tracker.job(f"j{i}", i, gate=gate) for i in range(4)], 100))
    await let_the_loop_run()
    gate.set()
    assert await running == [0, 1, 2, 3]
    assert tracker.peak == 4, f"4 jobs with limit=100: peak in flight was {tracker.peak}, expected 4"


async def test_no_coroutines_gives_an_empty_list():
    got = await gather_with_limit([], limit=2)
    assert got == [], f"gather_with_limit([], limit=2) returned {got!r}, expected []"


@pytest.mark.parametrize("limit", [0, -1])
async def test_a_limit_below_one_is_refused(limit):
    with pytest.raises(ValueError):
        await gather_with_limit([], limit=limit)


@pytest.mark.timeout(5)
async def test_a_failure_propagates_and_cancels_the_rest():
    tracker = Tracker()
    jobs = [tracker.forever("blocked"), tracker.job("fails", error=Boom("job 2 failed")),
            tracker.job("queued1"), tracker.job("queued2")]
    with pytest.raises(Boom, match="job 2 failed"):
        await gather_with_limit(jobs, limit=2)
    assert "blocked" in tracker.cancelled, (
        f"after a failure, cancelled jobs were {tracker.cancelled}; expected 'blocked' among them: the running "
        "sibling must be cancelled, and have seen its CancelledError, before gather_with_limit raises")
    assert tracker.running == 0, (
        f"{tracker.running} jobs were still running when gather_with_limit raised (started: {tracker.started}, "
        f"finished: {tracker.finished}); a job still queued must never start, one already started is cancelled")


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.integers(0, 5), max_size=12), limit=st.integers(1, 6))
def test_matches_plain_gather_and_never_exceeds_the_limit(steps, limit):
    """Property: same results as awaiting each job in turn, and never more than `limit` in flight."""
    tracker = Tracker()

    async def main():
        return await gather_with_limit([tracker.job(f"j{i}", i * i, steps=s) for i, s in enumerate(steps)], limit)

    got = asyncio.run(main())
    assert got == [i * i for i in range(len(steps))], f"steps={steps}, limit={limit}: got {got}"
    assert tracker.peak <= limit, f"steps={steps}, limit={limit}: {tracker.peak} jobs ran at once"


# ---------------------------------------------------------------- first_completed

@pytest.mark.timeout(5)
async def test_first_completed_returns_the_fastest_and_cancels_the_losers():
    tracker = Tracker()
    got = await first_completed([tracker.forever("slow1"), tracker.job("fast", "F", steps=2),
                                 tracker.forever("slow2")], timeout=None)
    assert got == "F", f"first_completed returned {got!r}, expected the fast job's 'F'"
    assert sorted(tracker.cancelled) == ["slow1", "slow2"], (
        f"when first_completed returned, the losers that had seen CancelledError were {tracker.cancelled}; "
        "expected ['slow1', 'slow2']: cancel the losers AND await them before returning")


@pytest.mark.timeout(5)
async def test_the_winners_exception_propagates_and_losers_are_cancelled():
    tracker = Tracker()
    with pytest.raises(Boom, match="fast failure"):
        await first_completed([tracker.forever("slow"), tracker.job("fast", error=Boom("fast failure"))],
                              timeout=None)
    assert tracker.cancelled == ["slow"], f"cancelled: {tracker.cancelled}, expected ['slow']"


async def test_a_tie_goes_to_the_coroutine_given_first():
    tracker = Tracker()
    for _ in range(5):
        got = await first_completed([tracker.job("a", "A"), tracker.job("b", "B"), tracker.job("c", "C")],
                                    timeout=None)
        assert got == "A", (f"three jobs finished in the same loop step; first_completed returned {got!r}, "
                            "expected 'A' (the first given): `done` is a set, do not pop() from it")


@pytest.mark.timeout(5)
async def test_nothing_finishing_in_time_raises_timeout_error_after_cancelling_all():
    tracker = Tracker()
    with pytest.raises(TimeoutError):
        await first_completed([tracker.forever("x"), tracker.forever("y")], timeout=0.005)
    assert sorted(tracker.cancelled) == ["x", "y"], (
        f"after the timeout, cancelled: {tracker.cancelled}; expected ['x', 'y'], nothing left running")


@pytest.mark.timeout(5)
async def test_cancelling_the_caller_cancels_every_coroutine():
    tracker = Tracker()
    waiting = asyncio.ensure_future(first_completed([tracker.forever("x"), tracker.forever("y")], timeout=None))
    await let_the_loop_run()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert sorted(tracker.cancelled) == ["x", "y"], (
        f"the caller was cancelled; cancelled coroutines: {tracker.cancelled}, expected ['x', 'y']")


async def test_first_completed_needs_at_least_one_coroutine():
    with pytest.raises(ValueError):
        await first_completed([], timeout=1.0)


# ---------------------------------------------------------------- async_retry

class FakeSleep:
    """An injected sleep that records the delays instead of waiting."""

    def __init__(self):
        self.delays: list[float] = []

    async def __call__(self, seconds):
        self.delays.append(seconds)


def failing_then(results):
    """An async function that raises or returns the next item of `results` on each call."""
    calls = []

    async def call(*args, **kwargs):
        calls.append((args, kwargs))
        item = results[len(calls) - 1]
        if isinstance(item, BaseException):
            raise item
        return item

    return call, calls


async def test_async_retry_succeeds_after_listed_failures_with_exponential_backoff():
    sleep = FakeSleep()
    func, calls = failing_then([ConnectionError("1"), ConnectionError("2"), "ok"])
    wrapped = async_retry(times=4, exceptions=(ConnectionError,), backoff=0.1, sleep=sleep)(func)
    got = await wrapped("a", key="b")
    assert got == "ok", f"returned {got!r}, expected 'ok' on the third call"
    assert len(calls) == 3 and calls[0] == (("a",), {"key": "b"}), f"calls: {calls}"
    assert sleep.delays == pytest.approx([0.1, 0.2]), (
        f"slept {sleep.delays} before the two retries; expected [0.1, 0.2] (backoff * 2 ** (k - 1))")


async def test_async_retry_reraises_the_last_exception_after_times_attempts():
    sleep = FakeSleep()
    last = Boom("third")
    func, calls = failing_then([Boom("first"), Boom("second"), last])
    wrapped = async_retry(times=3, exceptions=(Boom,), backoff=1.0, sleep=sleep)(func)
    with pytest.raises(Boom) as raised:
        await wrapped()
    assert raised.value is last, f"raised {raised.value!r}, expected the last attempt's own exception"
    assert len(calls) == 3, f"times=3 made {len(calls)} calls, expected 3 in all"
    assert sleep.delays == [1.0, 2.0], f"slept {sleep.delays}, expected [1.0, 2.0]: no sleep after the last try"


async def test_async_retry_lets_unlisted_exceptions_through_at_once():
    sleep = FakeSleep()
    func, calls = failing_then([KeyError("not retryable"), "never reached"])
    wrapped = async_retry(times=5, exceptions=(ConnectionError,), sleep=sleep)(func)
    with pytest.raises(KeyError):
        await wrapped()
    assert len(calls) == 1 and sleep.delays == [], f"an unlisted KeyError was retried: {len(calls)} calls"


@pytest.mark.timeout(5)
async def test_async_retry_never_retries_cancellation():
    calls = []

    @async_retry(times=3, exceptions=(BaseException,), sleep=FakeSleep())
    async def waits_forever():
        calls.append(1)
        await asyncio.Event().wait()

    task = asyncio.ensure_future(waits_forever())
    await let_the_loop_run()
    task.cancel()
    await let_the_loop_run()
    state = (task.done(), len(calls))
    while not task.done():          # a buggy version retries: keep cancelling until it gives up
        task.cancel()
        await let_the_loop_run()
    assert state == (True, 1), (f"after cancel(): task done={state[0]}, calls={state[1]}; expected done and "
                                "1 call: CancelledError must propagate, even if `exceptions` catches BaseException")


async def test_async_retry_keeps_name_docstring_and_coroutine_function():
    @async_retry(times=2)
    async def documented():
        """Fetches something."""
        return 1

    assert documented.__name__ == "documented" and documented.__doc__ == "Fetches something.", \
        "use functools.wraps so the decorated function keeps its name and docstring"
    assert inspect.iscoroutinefunction(documented), "the decorated function must still be `async def`"
    assert await documented() == 1


@pytest.mark.parametrize("times", [0, -2])
def test_async_retry_refuses_times_below_one(times):
    with pytest.raises(ValueError):
        async_retry(times=times)
