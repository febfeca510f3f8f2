"""Scrape many URLs under ONE overall deadline and a requests-per-second limit; return what finished.

day1.exercises.async_scraper fetched every URL with a semaphore, a per-attempt timeout and retries.
The interviewer's next questions are "the whole job must be done in 30 seconds: what do you return
when it is not?" and "the site allows 10 requests per second: how do you stay under that?". This
kata answers both: an overall deadline (asyncio.timeout around an asyncio.TaskGroup), the pages
that finished when it passes, the requests still in flight cancelled and reported, and a token
bucket rate limiter whose clock and sleep are injected, so tests check it without waiting.

    limiter = RateLimiter(rate=10, burst=2)          # 2 at once, then one every 0.1 s
    report = await scrape(urls, deadline=5.0, concurrency=4, limiter=limiter)
    report.pages        # [Page(url='.../a', status=200, body='page a', error=None), ...]
    report.cancelled    # ['.../slow']  sent, still unanswered when the deadline passed: cancelled
    report.not_started  # ['.../z']     never sent: still waiting for a slot or for the limiter
    report.timed_out    # True

Requirements: RateLimiter(rate, burst=1, clock=time.monotonic, sleep=asyncio.sleep)
- `await limiter.acquire()` returns when one more request may go. It is a token bucket: it holds
  at most `burst` tokens, starts full, and refills at `rate` tokens per second; each acquire takes
  one token. So `burst` requests may go at once, then one every 1/rate seconds, and after an idle
  spell never more than `burst` at once again. Over any T seconds at most burst + T * rate go.
- It waits no longer than needed: callers arriving together at time 0 get their turns at
  0 (the first `burst` of them), then 1/rate, 2/rate, ... after that.
- Many tasks may call acquire at once; callers are served in the order they called (FIFO).
- Time comes only from `clock()` (seconds, monotonic) and waiting only from `await sleep(seconds)`:
  tests pass a virtual clock, so never call time.monotonic or asyncio.sleep yourself.
- rate <= 0 or burst < 1 raise ValueError.

Requirements: scrape(urls, deadline, concurrency=10, limiter=None) -> ScrapeReport
- One aiohttp.ClientSession; at most `concurrency` requests in flight. For each URL: take a slot
  first, THEN `await limiter.acquire()` (when a limiter is given), then send. A token is spent only
  when the request can go at once; a URL holding a token while it waits for a slot would later go
  out in a burst with the others.
- A URL is in flight from the moment the limiter let it go (or it got its slot, with no limiter)
  until its page is read. `deadline` (seconds) bounds the WHOLE call. When it passes, everything
  still running is cancelled and scrape returns: `pages` for the finished URLs, `cancelled` for
  those in flight, `not_started` for those still waiting for a slot or for the limiter, and
  `timed_out=True`. All three lists keep the order of `urls`, and every URL is in exactly one of
  them (a URL given twice counts twice). When everything finishes in time, `cancelled` and
  `not_started` are empty and `timed_out` is False.
- A finished URL gives a Page. A 2xx: `status`, `body` = the text, `error` None. Another status:
  `status`, `body` None, `error` "HTTP <status>". Any exception (refused connection, malformed URL,
  undecodable body): `status` None, `body` None, `error` "<ExceptionType>: <message>". One URL's
  failure never cancels the others (an exception escaping a TaskGroup child cancels its siblings).
  No retries here: day1.exercises.async_scraper has them.
- Cancelled means really cancelled: when scrape returns, the cancelled requests' connections are
  closed (the server sees them go) and no task that scrape started is still running.
- `concurrency < 1` or `deadline <= 0` raise ValueError. No URLs gives an empty report.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import aiohttp  # noqa: F401 - you will need it


class Limiter(Protocol):
    async def acquire(self) -> None: ...


@dataclass(frozen=True)
class Page:
    url: str
    status: int | None
    body: str | None
    error: str | None


@dataclass(frozen=True)
class ScrapeReport:
    pages: list[Page]
    cancelled: list[str]
    not_started: list[str]
    timed_out: bool


class RateLimiter:
    """A token bucket: `burst` requests at once, then `rate` per second, callers served FIFO."""

    def __init__(self, rate: float, burst: int = 1, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        raise NotImplementedError("TODO: validate, keep the clock and sleep, start with a full bucket")

    async def acquire(self) -> None:
        raise NotImplementedError("TODO: refill by elapsed time, wait for a token if none is left, take one")


async def scrape(urls: Sequence[str], deadline: float, concurrency: int = 10,
                 limiter: Limiter | None = None) -> ScrapeReport:
    raise NotImplementedError("TODO: a TaskGroup of fetches inside asyncio.timeout(deadline); report what finished")
