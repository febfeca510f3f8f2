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

import logging
import time
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)
ExceptionTypes = type[BaseException] | tuple[type[BaseException], ...]


def retry(times: int, exceptions: ExceptionTypes = (Exception,), backoff: float = 0.0,
          sleep: Callable[[float], None] = time.sleep) -> Callable[[F], F]:
    raise NotImplementedError("TODO: validate times, then return a decorator that retries listed exceptions")


def timed(func: Callable | None = None, *, logger: logging.Logger | None = None,
          clock: Callable[[], float] = time.perf_counter):
    raise NotImplementedError("TODO: a decorator (usable bare or with arguments) that logs the call's duration")
