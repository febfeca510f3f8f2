"""Unit tests for code that calls a third-party API: here YOU write the tests, and the kata tests them.

"How do you write unit tests for a function that interacts with a third-party API?" The interviewer
listens for: no real network in unit tests; fake the HTTP layer (aioresponses) or run a tiny local
server (aiohttp's test server) and say when each is the right tool; test the unhappy paths, not just
the happy one (retries and which errors are retried, backoff, timeouts, pagination, cleanup);
inject the clock / sleep so retries cost no time; assert outcomes (what came back, what the server
saw), not only that a mock was called.

The code under test is OrdersClient below, a small client of a shop's orders API. It is GIVEN and
correct: do not change it. The API:

    GET {base_url}/orders              -> 200 {"orders": [{"id": 1, ...}, ...], "next": "c2"}
    GET {base_url}/orders?cursor=c2    -> 200 {"orders": [...], "next": null}     (the last page)

    async with OrdersClient("http://127.0.0.1:8080", timeout=2.0, retries=3, backoff=0.5) as client:
        orders = await client.list_orders()          # every order of every page, in page order

What the client promises (what your tests check):
- `list_orders()` follows `next` from page to page and returns the orders of ALL pages, in order.
- A 5xx or a 429, a timeout, or a connection error is retried: at most `retries` more attempts
  (1 + retries requests in all). Before retry k (k = 1, 2, ...) it awaits `sleep(backoff * 2 ** (k - 1))`:
  0.5, 1.0, 2.0 s with backoff=0.5. `sleep` is injectable (default asyncio.sleep), so a test can pass
  a fake that records the delays instead of waiting.
- A 4xx other than 429 is final: one request, then ApiError with `.status` set (say 404).
  When the retries run out, ApiError (`.status` is the last status, or None after a timeout or a
  connection error).
- Every request is bounded by `timeout` seconds (aiohttp.ClientTimeout(total=timeout)).
- `async with` opens one aiohttp.ClientSession (`client.session`) and closes it on the way out,
  also when the block raised; `client.session.closed` is then True.

Your task: write test functions (`test_...`, sync or `async def`) in THIS module, below the client.
The kata's test file (`pytest katas/mock/python/test_api_testing.py`) runs them with pytester:
- once against the given OrdersClient: every one of your tests must pass;
- against broken copies of OrdersClient, each with one bug: for each, at least one of your tests that
  passes on the given client must fail on the broken one. The bugs:
    1. retries a 4xx (a 404 is asked again, like a 503);
    2. waits the same backoff before every retry instead of doubling it;
    3. has no timeout (aiohttp's default: 5 minutes), so a server that never answers hangs it;
    4. loses the orders of the last page;
    5. never really closes its session (`self.session.close()` without `await`).
- your passing tests must use both styles: at least one uses the `mocked_http` fixture
  (aioresponses), at least one the `http_server` fixture (a local aiohttp server).

Conventions (pytest does not collect this file by itself: its name does not start with test_):
- A test gets the class under test from the fixture `client_class` and builds the client from it:
  `async with client_class(base_url, retries=2, sleep=fake_sleep) as client:`. A test that uses
  OrdersClient directly tests only the given client and can never catch a broken one.
- Fixtures you can ask for: `client_class`; `mocked_http`, an active `aioresponses()` (register
  `mocked_http.get(url, status=..., payload=..., repeat=True)`, one registration per response; an
  unregistered URL raises a connection error; `mocked_http.requests[("GET", yarl.URL(url))]` lists
  the calls); `http_server`, where `base_url = await http_server(app)` serves an
  `aiohttp.web.Application` on 127.0.0.1 until the test ends; pytest's own (monkeypatch, ...). Your
  own fixtures and helpers may live here too. Async tests need no marker (asyncio mode is auto).
- No real sleeping and no hanging: pass a fake `sleep`; wrap anything that could wait forever on a
  broken client in `asyncio.timeout(1)` and fail with a clear message when it fires.
- `pytest katas/mock/python/api_testing.py` runs your tests against the given client alone.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web  # noqa: F401 - for the local server in your tests


class ApiError(Exception):
    """The API gave no answer: a final 4xx, or the retries ran out. `status` is the last HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class OrdersClient:
    """The given client of the orders API (correct; the tests you write must pass on it)."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, retries: int = 3, backoff: float = 0.5,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> OrdersClient:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def list_orders(self) -> list[dict[str, Any]]:
        """Every order of every page, following the `next` cursor."""
        orders: list[dict[str, Any]] = []
        params: dict[str, str] = {}
        while True:
            page = await self.get_json("/orders", params)
            orders.extend(page["orders"])
            if not page.get("next"):
                return orders
            params = {"cursor": page["next"]}

    async def get_json(self, path: str, params: dict[str, str]) -> Any:
        """GET base_url + path; retry what may succeed next time, with exponential backoff."""
        if self.session is None:
            raise RuntimeError("use the client as `async with OrdersClient(...) as client:`")
        problem, status = "no attempt", None
        for attempt in range(self.retries + 1):
            if attempt:
                await self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                async with self.session.get(self.base_url + path, params=params) as response:
                    if response.status < 400:
                        return await response.json()
                    problem, status = f"HTTP {response.status}", response.status
                    if not self.is_retryable(response.status):
                        raise ApiError(f"GET {path}: {problem}", status)
            except (asyncio.TimeoutError, aiohttp.ClientConnectionError) as exc:
                problem, status = f"{type(exc).__name__} {exc}".strip(), None
        raise ApiError(f"GET {path}: {problem}, after {self.retries + 1} attempts", status)

    @staticmethod
    def is_retryable(status: int) -> bool:
        """Server trouble and rate limiting may pass; any other 4xx will not change on a retry."""
        return status >= 500 or status == 429


@pytest.fixture
def client_class() -> type[OrdersClient]:
    """The class under test. The kata's test file replaces it with each broken copy in turn."""
    return OrdersClient


# -- your tests, below: each takes `client_class`; start with these two, then add your own -----------------


async def test_every_page_is_fetched(client_class, mocked_http):
    raise NotImplementedError("TODO: serve three pages with mocked_http; list_orders returns all their orders")


async def test_a_server_that_never_answers_times_out(client_class, http_server):
    raise NotImplementedError("TODO: a local app whose handler never answers; the client raises ApiError in time")
