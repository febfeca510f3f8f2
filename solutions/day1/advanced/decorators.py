"""Decorators with arguments: `retry` for flaky calls and `timed` for logging how long a call took.

Interviewers ask for these to see closures three levels deep (factory -> decorator -> wrapper),
functools.wraps, and judgement about which errors deserve a retry.

    @retry(times=3, exceptions=(ConnectionError,), backoff=0.5)
    def fetch(url): ...

    fetch("x")   # up to 3 calls; sleeps 0.5 s then 1.0 s between them; a ValueError is raised at once

    @timed
    def load(): ...          # logs "load took 0.012s" at INFO on the "timed" logger

Requirements
- `retry(times, exceptions=(Exception,), backoff=0.0, sleep=time.sleep)` returns a decorator.
  `times` is the maximum number of CALLS (attempts), including the first; `times < 1` raises
  ValueError when `retry(...)` itself is called.
- `exceptions` is an exception class or a tuple of them. Only those are retried; any other
  exception propagates at once: no further call, no sleep.
- Between two attempts, and only there, call `sleep(backoff * 2 ** k)` for the k-th retry
  (k = 0, 1, ...): backoff=0.5 sleeps 0.5, 1.0, 2.0, ... Never sleep before the first call or
  after the last failure. Sleep only through `sleep`, so tests never really wait.
- When every attempt fails, the exception of the LAST attempt is raised (the original object,
  not wrapped). A success returns the function's value at once.
- `timed` works bare (`@timed`) and with arguments (`@timed(logger=..., clock=...)`); it reads
  `clock()` (default time.perf_counter) once before and once after the call and logs at INFO, on
  `logger` (default `logging.getLogger("timed")`), the message "<__qualname__> took <seconds>s"
  with three decimals, e.g. "load took 0.250s". It logs also when the call raises, and the
  exception propagates unchanged. The return value is passed through.
- Both keep the wrapped function's __name__, __qualname__, __doc__ and set __wrapped__
  (functools.wraps).
"""
from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)
ExceptionTypes = type[BaseException] | tuple[type[BaseException], ...]


def retry(times: int, exceptions: ExceptionTypes = (Exception,), backoff: float = 0.0,
          sleep: Callable[[float], None] = time.sleep) -> Callable[[F], F]:
    if times < 1:
        raise ValueError(f"times must be at least 1 (it counts calls), got {times}")

    def decorator(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times - 1:
                        raise
                sleep(backoff * 2 ** attempt)
            raise AssertionError("unreachable: the loop returns or raises")

        return wrapper  # type: ignore[return-value]

    return decorator


def timed(func: Callable | None = None, *, logger: logging.Logger | None = None,
          clock: Callable[[], float] = time.perf_counter):
    log = logger or logging.getLogger("timed")

    def decorator(inner: Callable) -> Callable:
        @functools.wraps(inner)
        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return inner(*args, **kwargs)
            finally:
                log.info("%s took %.3fs", inner.__qualname__, clock() - start)

        return wrapper

    return decorator(func) if func is not None else decorator


# Why
# - Three layers for retry: the factory checks its arguments once, the decorator closes over the
#   function, the wrapper runs per call. Validating in the factory fails at import time, not at
#   3 a.m. on the first call.
# - `except exceptions` with a tuple is the whole filter: anything unlisted escapes immediately.
#   Retrying every Exception hides bugs (a TypeError will not fix itself) and multiplies load.
# - A bare `raise` in the except block re-raises the last attempt's exception with its traceback.
# - Injecting `sleep` (and `clock`) keeps tests instant and deterministic; in production add jitter
#   (random.uniform) so many clients do not retry in lock-step, and cap the delay.
# - timed logs in `finally` so slow failures are visible too, with lazy %-formatting so the string is
#   built only if INFO is enabled. `timed(func=None, *, ...)` is the usual way to support both
#   `@timed` and `@timed(...)`.
