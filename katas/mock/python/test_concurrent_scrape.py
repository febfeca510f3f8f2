"""Tests for the deadline-bound, rate-limited scraper: `pytest katas/mock/python/test_concurrent_scrape.py`.

The rate limiter runs on a VIRTUAL clock (VirtualTime below): time stands still while any task can
run, and jumps to the next wake-up when all of them sleep, so "10 requests at 5 per second" takes
microseconds and the times are exact. scrape runs against a REAL web server on 127.0.0.1 that counts
what it sees: requests per path, requests in flight, and clients that went away. Its deadlines are
real but short (tens of milliseconds); the tests judge by those counts, never by the wall clock.
"""
import asyncio
import heapq
import itertools
import socket
from pathlib import Path

import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.python.concurrent_scrape import RateLimiter, ScrapeReport, scrape

pytestmark = pytest.mark.needs("http")

EPS = 1e-6


class VirtualTime:
    """An injected clock and sleep: the clock moves only when every task is asleep."""

    def __init__(self):
        self.now = 0.0
        self._sleepers: list = []               # heap of (wake-up time, order, future)
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    async def run(self, *coroutines):
        """Run the coroutines to the end, waking sleepers one by one in time order."""
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        for _ in range(100_000):
            for _ in range(30):                 # let every task that can run, run
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            if not self._sleepers:
                for task in tasks:
                    task.cancel()
                pytest.fail("the tasks wait on something other than the injected sleep(): "
                            "RateLimiter must wait only with `await sleep(seconds)`")
            wake, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            future.set_result(None)
        pytest.fail("more than 100,000 sleeps: acquire() seems to spin")


def grant_times(rate, burst, arrivals):
    """Start one caller per arrival time; return the virtual time at which each acquire() returned."""
    clock = VirtualTime()
    limiter = RateLimiter(rate, burst=burst, clock=clock.clock, sleep=clock.sleep)

    async def caller(arrival):
        if arrival > 0:
            await clock.sleep(arrival)
        await limiter.acquire()
        return clock.now

    return asyncio.run(clock.run(*(caller(a) for a in arrivals)))


def rounded(times):
    return [round(t, 6) for t in times]


# ---------------------------------------------------------------- the rate limiter (virtual time)

TOGETHER = {
    # name: (rate, burst, callers arriving at 0, the times their acquire() returns)
    "burst 1: one every 1/rate": (5, 1, 4, [0, 0.2, 0.4, 0.6]),
    "burst 3 go at once, then one every 1/rate": (10, 3, 5, [0, 0, 0, 0.1, 0.2]),
    "fewer callers than the burst: nobody waits": (1, 5, 3, [0, 0, 0]),
    "a slow rate": (0.5, 1, 3, [0, 2, 4]),
}


@pytest.mark.parametrize("rate,burst,n,want", TOGETHER.values(), ids=TOGETHER.keys())
def test_callers_arriving_together_are_spaced_by_the_rate(rate, burst, n, want):
    got = rounded(grant_times(rate, burst, [0] * n))
    assert got == want, (f"RateLimiter(rate={rate}, burst={burst}): {n} callers of acquire() at time 0 "
                         f"got their turns at {got}, expected {want}")


def test_an_idle_bucket_refills_only_up_to_the_burst():
    clock = VirtualTime()
    limiter = RateLimiter(5, burst=2, clock=clock.clock, sleep=clock.sleep)

    async def scenario():
        await limiter.acquire()
        await limiter.acquire()
        clock.now += 10                          # ten idle seconds: 50 tokens' worth, but the cap is 2
        times = []

        async def caller():
            await limiter.acquire()
            times.append(clock.now)
        await clock.run(*(caller() for _ in range(4)))
        return times

    got = rounded(asyncio.run(scenario()))
    assert got == [10, 10, 10.2, 10.4], (
        f"RateLimiter(rate=5, burst=2) idle for 10 s, then 4 callers: turns at {got}, expected "
        "[10, 10, 10.2, 10.4]: the bucket holds at most `burst` tokens however long it waited")


def test_a_partly_refilled_bucket_waits_only_for_the_rest_of_a_token():
    got = rounded(grant_times(2, 1, [0, 0.3]))
    assert got == [0, 0.5], (f"RateLimiter(rate=2, burst=1), callers at 0 and 0.3: turns at {got}, "
                             "expected [0, 0.5]: by 0.3 the bucket has 0.6 of a token, so 0.2 s more")


def test_callers_are_served_in_the_order_they_called():
    clock = VirtualTime()
    limiter = RateLimiter(10, burst=1, clock=clock.clock, sleep=clock.sleep)
    served = []

    async def caller(name):
        await limiter.acquire()
        served.append(name)

    asyncio.run(clock.run(*(caller(name) for name in "abcdef")))
    assert served == list("abcdef"), f"six callers in the order a..f were served in the order {served}"


def ideal_token_bucket(rate, burst, arrivals):
    """The slow obvious answer: serve the callers one at a time, in arrival order, tracking tokens."""
    order = sorted(range(len(arrivals)), key=lambda i: (arrivals[i], i))
    tokens, updated, previous, turns = float(burst), 0.0, 0.0, [0.0] * len(arrivals)
    for i in order:
        now = max(arrivals[i], previous)
        tokens = min(burst, tokens + (now - updated) * rate)
        if tokens < 1:
            now += (1 - tokens) / rate
            tokens = 1.0
        tokens, updated, previous, turns[i] = tokens - 1, now, now, now
    return turns


@settings(max_examples=60, deadline=None)
@given(rate=st.sampled_from([0.5, 1, 2, 4, 10]), burst=st.integers(1, 4),
       arrivals=st.lists(st.integers(0, 40).map(lambda tenth: tenth / 10), min_size=1, max_size=12))
def test_matches_an_ideal_token_bucket_and_never_exceeds_the_rate(rate, burst, arrivals):
    got = grant_times(rate, burst, arrivals)
    want = ideal_token_bucket(rate, burst, arrivals)
    assert rounded(got) == rounded(want), (
        f"RateLimiter(rate={rate}, burst={burst}) with callers arriving at {arrivals}: turns at "
        f"{rounded(got)}, an ideal FIFO token bucket gives {rounded(want)}")
    turns = sorted(got)
    for i, j in itertools.combinations(range(len(turns)), 2):
        allowed = burst + (turns[j] - turns[i]) * rate
        assert j - i + 1 <= allowed + EPS, (f"{j - i + 1} turns between {turns[i]:.3f} s and {turns[j]:.3f} s "
                                            f"but rate={rate}, burst={burst} allow {allowed:.2f}")


INVALID_LIMITS = {"rate zero": (0, 1), "negative rate": (-1, 1), "burst zero": (5, 0)}


@pytest.mark.parametrize("rate,burst", INVALID_LIMITS.values(), ids=INVALID_LIMITS.keys())
def test_impossible_limits_are_refused(rate, burst):
    with pytest.raises(ValueError):
        RateLimiter(rate, burst=burst)


async def test_the_default_clock_and_sleep_are_real_time():
    limiter = RateLimiter(100, burst=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(3):
        await limiter.acquire()
    waited = loop.time() - started
    assert waited >= 0.02 - 1e-3, (f"three acquire() at 100 per second returned after {waited * 1000:.1f} ms; "
                                   "the third may not go before 20 ms")


# ---------------------------------------------------------------- scrape against a real local server

class Site:
    """A loopback web site that counts requests, requests in flight, and clients that went away."""

    def __init__(self):
        self.base = ""
        self.hits: dict[str, int] = {}
        self.in_flight = 0
        self.answered = 0                        # handlers that finished (answer on its way)
        self.gone: list[str] = []                # paths whose client closed the connection
        self.release = asyncio.Event()
        self.app = web.Application(middlewares=[self.count])
        self.app.router.add_get("/page/{name}", self.page)
        self.app.router.add_get("/hang/{name}", self.hang)
        self.app.router.add_get("/status/{code}", self.status)
        self.app.router.add_get("/bad-charset", self.bad_charset)

    def url(self, path: str) -> str:
        return self.base + path

    def total_hits(self) -> int:
        return sum(self.hits.values())

    @web.middleware
    async def count(self, request, handler):
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        self.in_flight += 1
        try:
            return await handler(request)
        finally:
            self.in_flight -= 1
            self.answered += 1

    async def page(self, request):
        return web.Response(text=f"page {request.match_info['name']}")

    async def hang(self, request):
        """Never answers; notes when the client closes the connection (aiohttp then cancels the handler)."""
        try:
            while not self.release.is_set():
                transport = request.transport
                if transport is None or transport.is_closing():
                    break
                await asyncio.sleep(0.005)
        except asyncio.CancelledError:
            self.gone.append(request.path)
            raise
        if not self.release.is_set():
            self.gone.append(request.path)
        return web.Response(text="too late")

    async def status(self, request):
        return web.Response(status=int(request.match_info["code"]), text="status page")

    async def bad_charset(self, request):
        return web.Response(body=b"\xff\xfe not utf-8", content_type="text/plain", charset="utf-8")


@pytest.fixture
async def site(http_server):
    site = Site()
    site.base = await http_server(site.app)
    yield site
    site.release.set()


async def eventually(condition, within: float = 3.0) -> bool:
    """Poll a condition the server reaches on its own schedule (a disconnect is seen a little later)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while not condition() and loop.time() < end:
        await asyncio.sleep(0.01)
    return condition()


def started_by_the_kata(task: asyncio.Task) -> bool:
    code = getattr(task.get_coro(), "cr_code", None)
    return code is not None and Path(code.co_filename).name == "concurrent_scrape.py"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def summary(report: ScrapeReport) -> dict:
    return {"pages": [(p.url, p.status, p.body, p.error) for p in report.pages],
            "cancelled": report.cancelled, "not_started": report.not_started, "timed_out": report.timed_out}


@pytest.mark.timeout(10)
async def test_everything_in_time_gives_every_page_in_order_and_no_timeout(site):
    urls = [site.url("/page/a"), site.url("/status/404"), site.url("/page/a"), site.url("/page/b")]
    report = await scrape(urls, deadline=5, concurrency=3)
    want = {"pages": [(urls[0], 200, "page a", None), (urls[1], 404, None, "HTTP 404"),
                      (urls[2], 200, "page a", None), (urls[3], 200, "page b", None)],
            "cancelled": [], "not_started": [], "timed_out": False}
    assert summary(report) == want, f"scrape({urls}, deadline=5) gave {summary(report)}, expected {want}"


@pytest.mark.timeout(10)
async def test_the_deadline_keeps_finished_pages_and_cancels_the_requests_in_flight(site):
    urls = [site.url("/page/a"), site.url("/hang/1"), site.url("/page/b"), site.url("/hang/2")]
    report = await scrape(urls, deadline=1.0, concurrency=4)
    left = [task for task in asyncio.all_tasks() if not task.done() and started_by_the_kata(task)]
    want = {"pages": [(urls[0], 200, "page a", None), (urls[2], 200, "page b", None)],
            "cancelled": [urls[1], urls[3]], "not_started": [], "timed_out": True}
    assert summary(report) == want, (
        f"two fast pages and two that never answer, deadline=1 s: scrape gave {summary(report)}, "
        f"expected the finished pages kept and the hanging ones reported as cancelled: {want}")
    assert await eventually(lambda: sorted(site.gone) == ["/hang/1", "/hang/2"] and site.in_flight == 0), (
        f"after scrape returned, the server saw these clients go away: {site.gone}, and still has "
        f"{site.in_flight} requests in flight; cancelled requests must close their connections")
    assert not left, f"scrape returned but left these tasks running: {left}; cancel them and wait for them"


@pytest.mark.timeout(10)
async def test_urls_still_waiting_for_a_slot_are_not_started_and_never_reach_the_server(site):
    urls = [site.url(f"/hang/{i}") for i in range(5)]
    report = await scrape(urls, deadline=0.05, concurrency=2)
    want = {"pages": [], "cancelled": urls[:2], "not_started": urls[2:], "timed_out": True}
    assert summary(report) == want, (
        f"five pages that never answer, concurrency=2, deadline=0.05 s: scrape gave {summary(report)}, "
        f"expected the two in flight cancelled and the three waiting for a slot not started: {want}")
    await eventually(lambda: site.in_flight == 0)
    late = {path: n for path, n in site.hits.items() if path not in ("/hang/0", "/hang/1")}
    assert not late and site.in_flight == 0, (
        f"the server received {site.hits} and has {site.in_flight} in flight after scrape returned; "
        "a URL not started by the deadline must never be sent (one deadline for the whole call, "
        "not one per request)")


@pytest.mark.timeout(10)
async def test_one_failing_url_does_not_cancel_the_others(site):
    urls = [f"http://127.0.0.1:{closed_port()}/nothing", site.url("/page/a"), "not a url",
            site.url("/status/500"), site.url("/bad-charset"), site.url("/page/b")]
    try:
        report = await scrape(urls, deadline=5, concurrency=6)
    except NotImplementedError:
        raise
    except BaseException as exc:                 # noqa: BLE001 - an ExceptionGroup is the usual one
        pytest.fail(f"scrape({urls}) raised {exc!r}; one URL's failure must become its Page, "
                    "and in a TaskGroup an escaping exception cancels every sibling")
    got = [(p.url, p.status, p.body is None, bool(p.error)) for p in report.pages]
    want = [(urls[0], None, True, True), (urls[1], 200, False, False), (urls[2], None, True, True),
            (urls[3], 500, True, True), (urls[4], None, True, True), (urls[5], 200, False, False)]
    assert got == want, (f"pages as (url, status, body is None, has error): {got}, expected {want}; "
                         f"the report was {summary(report)}")
    assert [p.error for p in report.pages][3] == "HTTP 500"
    assert [p.body for p in report.pages if p.status == 200 and p.error is None] == ["page a", "page b"]


class RecordingLimiter:
    """Lets everything through at once, and notes how far ahead of the server's answers it is asked."""

    def __init__(self, site: Site):
        self.site = site
        self.returned = 0
        self.most_ahead = 0                      # max over calls of (calls so far - answers so far)

    async def acquire(self) -> None:
        self.most_ahead = max(self.most_ahead, self.returned + 1 - self.site.answered)
        self.returned += 1


@pytest.mark.timeout(10)
async def test_every_request_waits_for_the_limiter_while_holding_a_slot(site):
    limiter = RecordingLimiter(site)
    urls = [site.url(f"/page/{i}") for i in range(8)]
    report = await scrape(urls, deadline=5, concurrency=2, limiter=limiter)
    assert [p.body for p in report.pages] == [f"page {i}" for i in range(8)], summary(report)
    assert limiter.returned == site.total_hits() == 8, (
        f"8 URLs with a limiter: acquire() returned {limiter.returned} times and the server got "
        f"{site.total_hits()} requests; every request must first await limiter.acquire()")
    assert limiter.most_ahead <= 2, (
        f"with concurrency=2, acquire() was called while {limiter.most_ahead} requests were taken "
        "and not answered: take the slot first, then the token (a token held while waiting for a "
        "slot is spent in a burst later)")


class GateLimiter:
    """Lets the first `admit` callers through; the others wait for ever."""

    def __init__(self, admit: int):
        self.left = admit
        self.closed = asyncio.Event()

    async def acquire(self) -> None:
        if self.left > 0:
            self.left -= 1
            return
        await self.closed.wait()


@pytest.mark.timeout(5)
async def test_urls_waiting_for_the_limiter_are_not_started(site):
    urls = [site.url(f"/hang/{i}") for i in range(5)]
    report = await scrape(urls, deadline=0.05, concurrency=3, limiter=GateLimiter(admit=2))
    want = {"pages": [], "cancelled": urls[:2], "not_started": urls[2:], "timed_out": True}
    assert summary(report) == want, (
        f"a limiter that lets only 2 requests go, 5 hanging pages, concurrency=3: scrape gave "
        f"{summary(report)}, expected {want}: a URL that holds a slot but waits for the limiter "
        "was never sent, so it is not started, not cancelled")
    await eventually(lambda: site.in_flight == 0)
    assert set(site.hits) <= {"/hang/0", "/hang/1"}, f"the server received {site.hits}"


async def test_no_urls_give_an_empty_report():
    report = await scrape([], deadline=1)
    assert summary(report) == {"pages": [], "cancelled": [], "not_started": [], "timed_out": False}, summary(report)


INVALID_CALLS = {"concurrency zero": {"deadline": 1, "concurrency": 0},
                 "deadline zero": {"deadline": 0}, "negative deadline": {"deadline": -1}}


@pytest.mark.parametrize("kwargs", INVALID_CALLS.values(), ids=INVALID_CALLS.keys())
async def test_impossible_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        await scrape(["http://127.0.0.1:1/x"], **kwargs)
