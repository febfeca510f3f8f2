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
import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


async def gather_with_limit(coros: Iterable[Coroutine[Any, Any, T]], limit: int) -> list[T]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    semaphore = asyncio.Semaphore(limit)

    async def run(coro: Coroutine[Any, Any, T]) -> T:
        try:
            async with semaphore:
                return await coro
        finally:
            coro.close()        # cancelled before its turn: close it, so it is not "never awaited"

    tasks = [asyncio.ensure_future(run(coro)) for coro in coros]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        await _cancel_and_wait(tasks)


async def first_completed(coros: Iterable[Coroutine[Any, Any, T]], timeout: float | None) -> T:
    tasks = [asyncio.ensure_future(coro) for coro in coros]
    if not tasks:
        raise ValueError("first_completed needs at least one coroutine")
    try:
        done, _ = await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if not done:
            raise TimeoutError(f"none of {len(tasks)} coroutines finished within {timeout} s")
        winner = next(task for task in tasks if task in done)     # ties: the first given wins
        return winner.result()                                    # re-raises the winner's exception
    finally:
        await _cancel_and_wait(tasks)


async def _cancel_and_wait(tasks: list[asyncio.Future]) -> None:
    """Cancel whatever still runs and wait until it has really stopped."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def async_retry(times: int, exceptions: tuple[type[BaseException], ...] = (Exception,),
                backoff: float = 0.0,
                sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> Callable[[Callable], Callable]:
    if times < 1:
        raise ValueError(f"times must be at least 1, got {times}")

    def decorator(func: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        @functools.wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> T:
            for attempt in range(1, times + 1):
                try:
                    return await func(*args, **kwargs)
                except asyncio.CancelledError:
                    raise                                   # cancellation is an order, not a failure
                except exceptions:
                    if attempt == times:
                        raise
                await sleep(backoff * 2 ** (attempt - 1))
            raise AssertionError("unreachable")

        return wrapper

    return decorator


# Why
# - gather_with_limit: one Semaphore(limit) around each coroutine gives a sliding window: a slot is
#   taken again the moment one frees up, so total time is about ceil(n / limit) x latency for equal
#   jobs and never "batch waits for its slowest". Memory is still O(n) tasks; for millions of items
#   use `limit` worker tasks pulling from an asyncio.Queue instead (O(limit) tasks).
# - Plain asyncio.gather leaves the siblings of a failed coroutine running in the background; the
#   finally block cancels them and WAITS, so nothing outlives the call (structured concurrency, what
#   asyncio.TaskGroup does, except TaskGroup wraps the error in an ExceptionGroup).
# - first_completed: asyncio.wait(FIRST_COMPLETED) returns sets; picking from `done` with pop()
#   makes ties random, hence "first given wins". task.cancel() only REQUESTS cancellation: the
#   loser sees CancelledError at its next await, so we await them before returning.
# - async_retry: catch CancelledError first and re-raise it; retrying it would make a task
#   impossible to cancel. Exponential backoff spreads retries out; in production add jitter so a
#   fleet of clients does not retry in lock step, and inject `sleep` so tests never wait.
