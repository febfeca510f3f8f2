"""Asyncio building blocks: bounded gather, first-to-finish with a timeout, and async retry.

Interviewers ask for these to see whether you understand what `await` really does: tasks, the event
loop, cancellation, and why "fire everything with asyncio.gather" falls over at 10,000 URLs.

    async def fetch(i):
        await asyncio.sleep(0.1)
        return i * 10

    await gather_with_limit([fetch(i) for i in range(100)], limit=10)   # [0, 10, ..., 990]
    await first_completed([fetch(1), fetch(2)], timeout=1.0)            # 10 (ties: first given)

    @async_retry(times=3, exceptions=(ConnectionError,), backoff=0.1)
    async def flaky(): ...                                              # sleeps 0.1, then 0.2

(The package is called `async`, a keyword, so import it with
`importlib.import_module("katas.day1.async.asyncio_basics")`.)

Requirements
- `gather_with_limit(coros, limit)` runs the coroutines with at most `limit` of them in flight at
  any moment, and uses the slots: with many waiting coroutines, exactly `limit` run at once. A
  slot freed by a finished coroutine starts the next one at once (a sliding window, not batches of
  `limit` that wait for their slowest member).
  - Results come back in the order of `coros`, not in completion order. No coroutines gives [].
  - `limit < 1` raises ValueError.
  - If a coroutine raises, that same exception propagates (not wrapped in an ExceptionGroup), and
    nothing is left running when it reaches the caller: the others are cancelled and awaited.
- `first_completed(coros, timeout)` returns the result of whichever coroutine finishes first; if
  that one raised, its exception propagates. If several finish in the same step of the loop, the
  one given first wins.
  - Losers are cancelled AND have finished (seen their CancelledError) before it returns or raises.
  - `timeout` in seconds (None waits forever): if nothing finished in time, raise TimeoutError,
    again after cancelling everything.
  - If the caller is cancelled, every coroutine is cancelled too. No coroutines: ValueError.
- `async_retry(times, exceptions=(Exception,), backoff=0.0, sleep=asyncio.sleep)` is a decorator
  for async functions: call up to `times` times in all; retry only on the listed exceptions
  (anything else propagates at once); before retry k (k = 1, 2, ...) await
  `sleep(backoff * 2 ** (k - 1))`; after the last attempt re-raise the last exception unchanged.
  - asyncio.CancelledError is never retried, even if `exceptions` would catch it.
  - `times < 1` raises ValueError when the decorator is made; the decorated function keeps its
    name and docstring (functools.wraps) and is still a coroutine function.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


async def gather_with_limit(coros: Iterable[Coroutine[Any, Any, T]], limit: int) -> list[T]:
    raise NotImplementedError("TODO: run the coroutines with at most `limit` in flight; keep input order")


async def first_completed(coros: Iterable[Coroutine[Any, Any, T]], timeout: float | None) -> T:
    raise NotImplementedError("TODO: return the first result; cancel and await the losers")


def async_retry(times: int, exceptions: tuple[type[BaseException], ...] = (Exception,),
                backoff: float = 0.0,
                sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> Callable[[Callable], Callable]:
    raise NotImplementedError("TODO: return a decorator that retries an async function")
