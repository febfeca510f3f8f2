"""Tests for the decorators kata: run `pytest katas/day1/advanced/test_decorators.py`."""
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.advanced.decorators import retry, timed


class Flaky:
    """Fails the first `failures` calls with fresh instances of `error`, then returns "ok"."""

    def __init__(self, failures, error=ConnectionError):
        self.failures, self.error = failures, error
        self.calls, self.raised = 0, []

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            exc = self.error(f"failure {self.calls}")
            self.raised.append(exc)
            raise exc
        return "ok"


class FakeClock:
    """Returns the given readings in order and counts how often it was read."""

    def __init__(self, *readings):
        self.readings, self.reads = list(readings), 0

    def __call__(self):
        self.reads += 1
        return self.readings.pop(0)


# --- retry --------------------------------------------------------------------------------------


def test_retry_returns_at_once_when_the_first_call_succeeds():
    slept, flaky = [], Flaky(0)
    got = retry(3, (ConnectionError,), backoff=0.5, sleep=slept.append)(flaky)()
    assert got == "ok" and flaky.calls == 1 and slept == [], \
        f"returned {got!r} after {flaky.calls} calls and sleeps {slept}; expected 'ok' after 1 call, no sleep"


def test_retry_recovers_and_backs_off_exponentially_between_attempts():
    slept, flaky = [], Flaky(2)
    got = retry(times=3, exceptions=(ConnectionError,), backoff=0.5, sleep=slept.append)(flaky)()
    assert got == "ok", f"retry(3) around a function failing twice returned {got!r}, expected 'ok'"
    assert flaky.calls == 3, f"the function ran {flaky.calls} times, expected 3"
    assert slept == [0.5, 1.0], f"sleep was called with {slept}, expected [0.5, 1.0] (backoff * 2**k)"


def test_retry_gives_up_after_times_calls_and_raises_the_last_exception_itself():
    slept, flaky = [], Flaky(10)
    wrapped = retry(times=3, exceptions=ConnectionError, backoff=1, sleep=slept.append)(flaky)
    with pytest.raises(ConnectionError) as caught:
        wrapped()
    assert flaky.calls == 3, f"times=3 must mean at most 3 calls, the function ran {flaky.calls} times"
    assert caught.value is flaky.raised[-1], \
        f"raised {caught.value!r}; expected the last attempt's own exception {flaky.raised[-1]!r}, not a wrapper"
    assert slept == [1, 2], f"slept {slept}: expected [1, 2], sleep only BETWEEN attempts, never after the last"


def test_retry_lets_an_unlisted_exception_through_at_once():
    slept, flaky = [], Flaky(5, error=ValueError)
    wrapped = retry(times=5, exceptions=(ConnectionError, TimeoutError), backoff=1, sleep=slept.append)(flaky)
    with pytest.raises(ValueError):
        wrapped()
    assert flaky.calls == 1 and slept == [], \
        f"a ValueError is not in the retry list, yet the function ran {flaky.calls} times and slept {slept}"


def test_retry_also_retries_subclasses_of_a_listed_exception():
    slept, flaky = [], Flaky(1, error=ConnectionResetError)
    got = retry(times=2, exceptions=(ConnectionError,), sleep=slept.append)(flaky)()
    assert got == "ok" and flaky.calls == 2, "ConnectionResetError is a ConnectionError and must be retried"


def test_retry_with_times_one_never_retries():
    slept, flaky = [], Flaky(1)
    with pytest.raises(ConnectionError):
        retry(times=1, exceptions=(ConnectionError,), sleep=slept.append)(flaky)()
    assert flaky.calls == 1 and slept == [], f"times=1: {flaky.calls} calls, sleeps {slept}"


@pytest.mark.parametrize("times", [0, -1])
def test_retry_refuses_times_below_one_when_the_decorator_is_built(times):
    with pytest.raises(ValueError):
        retry(times)
        pytest.fail(f"retry({times}) did not raise ValueError")


def test_retry_passes_arguments_through_and_keeps_the_function_metadata():
    seen = []

    def load(table, *, limit=10):
        """Loads a table."""
        seen.append((table, limit))
        return len(seen)

    wrapped = retry(2, sleep=lambda s: None)(load)
    assert wrapped("users", limit=5) == 1 and seen == [("users", 5)], f"arguments arrived as {seen}"
    assert (wrapped.__name__, wrapped.__doc__, wrapped.__qualname__) == ("load", "Loads a table.", load.__qualname__), \
        "use functools.wraps: the retried function lost its name, qualname or docstring"
    assert wrapped.__wrapped__ is load, "functools.wraps sets __wrapped__ to the original function"


@settings(max_examples=100, deadline=None)
@given(times=st.integers(1, 6), failures=st.integers(0, 8), backoff=st.sampled_from([0, 0.1, 1, 3]))
def test_retry_matches_the_attempt_model(times, failures, backoff):
    """Property: calls, sleeps and the outcome follow from times, failures and backoff."""
    slept, flaky = [], Flaky(failures)
    wrapped = retry(times, (ConnectionError,), backoff, sleep=slept.append)(flaky)
    expected_calls = min(failures + 1, times)
    if failures >= times:
        with pytest.raises(ConnectionError):
            wrapped()
    else:
        assert wrapped() == "ok"
    assert flaky.calls == expected_calls, f"times={times}, failures={failures}: {flaky.calls} calls"
    want_sleeps = [backoff * 2 ** k for k in range(expected_calls - 1)]
    assert slept == want_sleeps, f"times={times}, failures={failures}: slept {slept}, expected {want_sleeps}"


# --- timed --------------------------------------------------------------------------------------


def test_timed_with_arguments_logs_qualname_and_duration_from_the_clock(caplog):
    clock = FakeClock(10.0, 10.25)
    logger = logging.getLogger("kata.decorators.test")

    @timed(logger=logger, clock=clock)
    def load(x):
        return x * 2

    with caplog.at_level(logging.INFO, logger="kata.decorators.test"):
        got = load(21)
    assert got == 42, f"load(21) returned {got!r} through timed, expected 42"
    messages = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    want = ("kata.decorators.test", logging.INFO, f"{load.__qualname__} took 0.250s")
    assert messages == [want], f"logged {messages}, expected exactly [{want}]"
    assert clock.reads == 2, f"the clock was read {clock.reads} times, expected twice (before and after)"


def test_timed_bare_logs_on_the_timed_logger(caplog):
    @timed
    def ping():
        """Says pong."""
        return "pong"

    with caplog.at_level(logging.INFO, logger="timed"):
        got = ping()
    assert got == "pong", f"ping() returned {got!r}"
    records = [r for r in caplog.records if r.name == "timed"]
    assert len(records) == 1, f"expected one record on the 'timed' logger, got {[r.getMessage() for r in caplog.records]}"
    message = records[0].getMessage()
    assert message.startswith(f"{ping.__qualname__} took ") and message.endswith("s"), f"logged {message!r}"
    assert (ping.__name__, ping.__doc__) == ("ping", "Says pong."), "bare @timed lost the name or docstring"


def test_timed_logs_even_when_the_call_raises_and_lets_it_propagate(caplog):
    boom = KeyError("missing")

    @timed(clock=FakeClock(1.0, 3.5))
    def fails():
        raise boom

    with caplog.at_level(logging.INFO, logger="timed"), pytest.raises(KeyError) as caught:
        fails()
    assert caught.value is boom, f"timed changed the exception: got {caught.value!r}"
    messages = [r.getMessage() for r in caplog.records if r.name == "timed"]
    assert messages == [f"{fails.__qualname__} took 2.500s"], f"logged {messages} for a call that raised"


def test_timed_keeps_the_function_metadata():
    def transform(rows):
        """Transforms rows."""
        return rows

    for wrapped in (timed(transform), timed(clock=lambda: 0.0)(transform)):
        assert (wrapped.__name__, wrapped.__doc__) == ("transform", "Transforms rows."), \
            "use functools.wraps in timed"
        assert wrapped.__wrapped__ is transform, "functools.wraps sets __wrapped__"
