"""Tests for the async scraper kata against a REAL local web server (aiohttp on 127.0.0.1).

Run `pytest katas/day1/exercises/test_async_scraper.py`. The server's pages misbehave on purpose
(slow, failing, missing, redirecting, never answering) and the server counts what it sees: requests
per path and the most requests it ever had in flight at once. Most assertions are on those counts,
not on the clock; the one wall-time check has wide margins.
"""
import asyncio
import socket
import time
from collections import Counter

import pytest
from aiohttp import web

from katas.day1.exercises.async_scraper import FetchResult, scrape

pytestmark = pytest.mark.needs("http")


class Site:
    """A small web site on loopback whose pages misbehave on purpose, and which counts requests."""

    def __init__(self):
        self.base = ""
        self.hits: Counter[str] = Counter()      # path -> requests received
        self.in_flight = 0
        self.peak = 0                            # most requests in flight at once
        self.finished: list[str] = []            # paths, in the order the server answered them
        self.release = asyncio.Event()           # set at teardown, so hanging handlers end
        self.app = web.Application(middlewares=[self.count])
        self.app.router.add_get("/page/{name}", self.page)
        self.app.router.add_get("/slow/{name}", self.slow)
        self.app.router.add_get("/flaky/{name}", self.flaky)
        self.app.router.add_get("/error", self.error)
        self.app.router.add_get("/missing", self.missing)
        self.app.router.add_get("/redirect", self.redirect)
        self.app.router.add_get("/hang", self.hang)
        self.app.router.add_get("/bad-charset", self.bad_charset)

    def url(self, path: str) -> str:
        return self.base + path

    @web.middleware
    async def count(self, request, handler):
        self.hits[request.path] += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await handler(request)
        finally:
            self.in_flight -= 1
            self.finished.append(request.path)

    async def page(self, request):
        return web.Response(text=f"page {request.match_info['name']}")

    async def slow(self, request):
        """Answers after ?delay= seconds."""
        await asyncio.sleep(float(request.query["delay"]))
        return web.Response(text=f"slow {request.match_info['name']}")

    async def flaky(self, request):
        """503 for the first ?fail= requests to this path, then 200."""
        if self.hits[request.path] <= int(request.query["fail"]):
            return web.Response(status=503, text="try again")
        return web.Response(text="recovered")

    async def error(self, request):
        return web.Response(status=500, text="always broken")

    async def missing(self, request):
        return web.Response(status=404, text="no such page")

    async def redirect(self, request):
        raise web.HTTPFound(self.url("/page/target"))

    async def hang(self, request):
        await self.release.wait()
        return web.Response(text="too late")

    async def bad_charset(self, request):
        return web.Response(body=b"\xff\xfe not utf-8", content_type="text/plain", charset="utf-8")


@pytest.fixture
async def site(http_server):
    site = Site()
    site.base = await http_server(site.app)
    yield site
    site.release.set()


async def scrape_or_fail(urls, **kwargs) -> list[FetchResult]:
    """Call scrape; if it raises, fail with a message saying that it must not."""
    try:
        return await scrape(urls, **kwargs)
    except NotImplementedError:
        raise
    except Exception as exc:                      # noqa: BLE001 - the point is to report any of them
        pytest.fail(f"scrape({urls}, {kwargs}) raised {exc!r}; one URL's failure must become its result")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout(10)
async def test_results_come_back_in_input_order_with_bodies(site):
    urls = [site.url("/slow/a?delay=0.08"), site.url("/page/b"), site.url("/slow/c?delay=0.04")]
    results = await scrape_or_fail(urls, concurrency=3, timeout=5, retries=0)
    assert site.finished[-1] == "/slow/a", f"the test needs /slow/a answered last; order was {site.finished}"
    got = [(r.url, r.status, r.body, r.error, r.attempts) for r in results]
    want = [(urls[0], 200, "slow a", None, 1), (urls[1], 200, "page b", None, 1), (urls[2], 200, "slow c", None, 1)]
    assert got == want, f"scrape returned {got}, expected one result per URL in the order given: {want}"


@pytest.mark.timeout(10)
async def test_never_more_requests_in_flight_than_concurrency_and_every_slot_used(site):
    urls = [site.url(f"/slow/{i}?delay=0.05") for i in range(10)]
    results = await scrape_or_fail(urls, concurrency=3, timeout=5, retries=0)
    assert site.peak == 3, (f"10 slow pages with concurrency=3: the server saw at most {site.peak} requests "
                            "at once, expected exactly 3 (never more; and fewer means slots were wasted)")
    assert all(r.status == 200 for r in results), [r for r in results if r.status != 200]


@pytest.mark.timeout(10)
async def test_ten_pages_with_five_slots_take_about_two_round_trips_not_ten(site):
    latency = 0.15
    urls = [site.url(f"/slow/{i}?delay={latency}") for i in range(10)]
    started = time.perf_counter()
    results = await scrape_or_fail(urls, concurrency=5, timeout=5, retries=0)
    elapsed = time.perf_counter() - started
    assert [r.body for r in results] == [f"slow {i}" for i in range(10)]
    assert site.peak == 5, f"concurrency=5 but the server saw at most {site.peak} requests at once"
    assert elapsed < 4 * latency, (f"10 pages of {latency} s with concurrency=5 took {elapsed:.2f} s; "
                                   f"expected about 2 x {latency} s (serial would be {10 * latency:.0f} s)")


async def test_a_5xx_is_retried_until_it_succeeds(site):
    [result] = await scrape_or_fail([site.url("/flaky/x?fail=2")], concurrency=2, timeout=5, retries=2)
    got = (result.status, result.body, result.error, result.attempts, site.hits["/flaky/x"])
    assert got == (200, "recovered", None, 3, 3), (
        f"a page that answers 503 twice, then 200, with retries=2: (status, body, error, attempts, "
        f"server hits) = {got}, expected (200, 'recovered', None, 3, 3)")


async def test_a_persistent_5xx_gives_up_after_retries_plus_one_attempts(site):
    [result] = await scrape_or_fail([site.url("/error")], concurrency=2, timeout=5, retries=2)
    got = (result.status, result.body, result.error, result.attempts, site.hits["/error"])
    assert got == (500, None, "HTTP 500", 3, 3), (
        f"an always-500 page with retries=2: (status, body, error, attempts, server hits) = {got}, "
        "expected (500, None, 'HTTP 500', 3, 3)")


async def test_a_404_is_final_and_not_retried(site):
    [result] = await scrape_or_fail([site.url("/missing")], concurrency=2, timeout=5, retries=3)
    got = (result.status, result.body, result.error, result.attempts, site.hits["/missing"])
    assert got == (404, None, "HTTP 404", 1, 1), (
        f"a 404 page with retries=3: (status, body, error, attempts, server hits) = {got}, expected "
        "(404, None, 'HTTP 404', 1, 1): a 4xx will not change on retry")


async def test_redirects_are_followed_and_the_url_is_kept(site):
    url = site.url("/redirect")
    [result] = await scrape_or_fail([url], concurrency=2, timeout=5, retries=0)
    got = (result.url, result.status, result.body, result.error)
    assert got == (url, 200, "page target", None), f"a 302 to /page/target gave {got}"
    assert site.hits["/page/target"] == 1


@pytest.mark.timeout(10)
async def test_a_never_answering_page_times_out_in_its_result_and_is_retried(site):
    urls = [site.url("/hang"), site.url("/page/ok")]
    hang, ok = await scrape_or_fail(urls, concurrency=2, timeout=0.1, retries=1)
    assert hang.status is None and hang.body is None and "timeout" in (hang.error or "").lower(), (
        f"a page that never answers gave {hang}; expected status=None, body=None, an error mentioning 'timeout'")
    assert (hang.attempts, site.hits["/hang"]) == (2, 2), (
        f"a timeout is worth retrying: retries=1 gave attempts={hang.attempts}, server hits={site.hits['/hang']}, "
        "expected 2 and 2")
    assert (ok.status, ok.body) == (200, "page ok"), f"the other page must still succeed, got {ok}"


@pytest.mark.timeout(10)
async def test_a_refused_connection_is_reported_and_retried(site):
    url = f"http://127.0.0.1:{closed_port()}/nothing-here"
    [result] = await scrape_or_fail([url], concurrency=2, timeout=2, retries=2)
    assert result.status is None and result.body is None and result.error, f"a refused connection gave {result}"
    assert result.attempts == 3, f"a connection error is worth retrying: attempts={result.attempts}, expected 3"


async def test_a_malformed_url_is_reported_after_one_attempt(site):
    bad, ok = await scrape_or_fail(["not a url", site.url("/page/ok")], concurrency=2, timeout=2, retries=2)
    assert bad.status is None and bad.body is None and bad.error, f"scrape(['not a url', ...]) gave {bad}"
    assert bad.attempts == 1, f"a malformed URL will not improve on retry: attempts={bad.attempts}, expected 1"
    assert ok.body == "page ok"


async def test_an_unexpected_error_on_one_page_does_not_lose_the_others(site):
    urls = [site.url("/bad-charset"), site.url("/page/ok")]
    bad, ok = await scrape_or_fail(urls, concurrency=2, timeout=2, retries=0)
    assert bad.body is None and bad.error, f"a body that is not valid UTF-8 despite charset=utf-8 gave {bad}"
    assert (ok.status, ok.body) == (200, "page ok"), f"the good page next to it gave {ok}"


async def test_a_url_given_twice_is_fetched_twice(site):
    url = site.url("/page/twice")
    results = await scrape_or_fail([url, url], concurrency=2, timeout=2, retries=0)
    assert [r.body for r in results] == ["page twice"] * 2 and site.hits["/page/twice"] == 2, (
        f"two copies of one URL gave {results} with {site.hits['/page/twice']} server hits; expected two of each")
