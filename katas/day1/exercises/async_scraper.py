"""An async web scraper: fetch many URLs concurrently with a bound, a timeout and retries.

Interviewers ask for this ("scrape these 1,000 URLs, fast, without taking the site down") to see
asyncio in real use: one shared ClientSession, a semaphore for politeness, timeouts, which errors
are worth retrying, and a scraper that reports a bad URL instead of crashing on it.

    results = await scrape(["http://127.0.0.1:8080/a", "http://127.0.0.1:8080/missing"],
                           concurrency=5, timeout=2.0, retries=2)
    results[0]  # FetchResult(url='.../a', status=200, body='hello', error=None, attempts=1)
    results[1]  # FetchResult(url='.../missing', status=404, body=None, error='HTTP 404', attempts=1)

Requirements
- `scrape(urls, concurrency, timeout, retries)` returns one FetchResult per URL, in the order of
  `urls` (a URL given twice is fetched twice). No URLs gives [].
- At most `concurrency` requests are in flight at any moment, retries included, and the slots are
  used: with more URLs than slots the server sees `concurrency` requests at once, so n equal pages
  take about ceil(n / concurrency) round trips, not n.
- `timeout` (seconds) bounds each attempt, from sending the request to reading the whole body.
- `retries` is the number of EXTRA attempts (attempts <= retries + 1). Retry only what may
  succeed next time: a 5xx status, a timeout, a connection error (aiohttp.ClientConnectionError).
  A 4xx is final (attempt once), and so is any other failure, such as a malformed URL.
- Redirects are followed; `status` and `body` are those of the final page; `url` stays as given.
- A 2xx gives `body` = the response text and `error` = None. Anything else gives `body` = None and
  an `error` string: "HTTP <status>" for a bad status (with `status` set), a message containing
  "timeout" for a timeout (`status` None), the exception's type and message for other failures.
- scrape never raises because of one URL: timeouts, refused connections and even unexpected errors
  (say, a body that is not valid in its declared charset) become that URL's error, and every
  other URL still gets its result. `attempts` counts the requests made for that URL.
- `concurrency < 1`, `retries < 0` or `timeout <= 0` raise ValueError.
"""
from __future__ import annotations

import asyncio  # noqa: F401 - you will need these two
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp  # noqa: F401


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: int | None
    body: str | None
    error: str | None
    attempts: int

    @property
    def ok(self) -> bool:
        return self.error is None


async def scrape(urls: Sequence[str], concurrency: int = 10, timeout: float = 10.0,
                 retries: int = 2) -> list[FetchResult]:
    raise NotImplementedError("TODO: fetch every URL with one session, a semaphore, a timeout and retries")
