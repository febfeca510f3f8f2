"""Unit tests for the async scraper with aioresponses: no server at all, responses scripted per URL.

Run `pytest katas/day1/exercises/test_async_scraper_unit.py`. The fixture `mocked_http` is an
`aioresponses()` instance: `mocked_http.get(url, status=503)` answers the next request to url once
(add `repeat=True` to answer every request), `exception=...` raises instead of answering, and
`mocked_http.requests` records what was asked. Every registered response is used at most once, in
the order registered.
"""
import asyncio

import aiohttp
import pytest
from aioresponses import aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st
from yarl import URL

from katas.day1.exercises.async_scraper import FetchResult, scrape

BASE = "http://shop.test"


def requests_to(mocked, url: str) -> int:
    """How many GET requests aioresponses saw for url."""
    return len(mocked.requests.get(("GET", URL(url)), []))


def summary(result: FetchResult) -> tuple:
    return (result.status, result.body, result.error, result.attempts)


async def test_a_200_gives_its_body_after_one_attempt(mocked_http):
    mocked_http.get(f"{BASE}/a", status=200, body="alpha")
    results = await scrape([f"{BASE}/a"], concurrency=2, timeout=1, retries=2)
    assert [summary(r) for r in results] == [(200, "alpha", None, 1)], f"got {results}"
    assert results[0].url == f"{BASE}/a" and results[0].ok


async def test_a_503_then_200_takes_two_attempts(mocked_http):
    url = f"{BASE}/flaky"
    mocked_http.get(url, status=503, body="busy")
    mocked_http.get(url, status=200, body="done")
    [result] = await scrape([url], concurrency=1, timeout=1, retries=3)
    assert summary(result) == (200, "done", None, 2), f"503 then 200 with retries=3 gave {result}"
    assert requests_to(mocked_http, url) == 2


async def test_a_404_is_asked_once_even_with_retries_left(mocked_http):
    url = f"{BASE}/gone"
    mocked_http.get(url, status=404, body="nope", repeat=True)
    [result] = await scrape([url], concurrency=1, timeout=1, retries=3)
    assert summary(result) == (404, None, "HTTP 404", 1), f"a 404 with retries=3 gave {result}"
    assert requests_to(mocked_http, url) == 1, f"a 404 was requested {requests_to(mocked_http, url)} times"


async def test_retries_zero_means_exactly_one_attempt(mocked_http):
    url = f"{BASE}/broken"
    mocked_http.get(url, status=500, repeat=True)
    [result] = await scrape([url], concurrency=1, timeout=1, retries=0)
    assert summary(result) == (500, None, "HTTP 500", 1), f"retries=0 on a 500 gave {result}"


async def test_a_timeout_is_retried_then_reported_not_raised(mocked_http):
    url = f"{BASE}/slow"
    mocked_http.get(url, exception=TimeoutError(), repeat=True)
    mocked_http.get(f"{BASE}/fine", body="fine")
    slow, fine = await scrape([url, f"{BASE}/fine"], concurrency=2, timeout=1, retries=2)
    assert slow.status is None and slow.body is None and "timeout" in (slow.error or "").lower(), (
        f"every attempt timed out: got {slow}, expected status=None, body=None, an error mentioning 'timeout'")
    assert slow.attempts == 3 and requests_to(mocked_http, url) == 3, f"retries=2 on timeouts gave {slow}"
    assert fine.body == "fine"


async def test_a_connection_error_is_retried_then_reported(mocked_http):
    url = f"{BASE}/down"
    mocked_http.get(url, exception=aiohttp.ClientConnectionError("connection reset"), repeat=True)
    [result] = await scrape([url], concurrency=1, timeout=1, retries=1)
    assert result.status is None and result.body is None and "connection reset" in (result.error or ""), (
        f"got {result}; expected the exception's message in the error")
    assert result.attempts == 2, f"retries=1 on a connection error gave attempts={result.attempts}, expected 2"


async def test_an_unexpected_exception_becomes_that_urls_error(mocked_http):
    mocked_http.get(f"{BASE}/weird", exception=ValueError("unexpected payload"))
    mocked_http.get(f"{BASE}/fine", body="fine")
    try:
        weird, fine = await scrape([f"{BASE}/weird", f"{BASE}/fine"], concurrency=2, timeout=1, retries=0)
    except ValueError as exc:
        pytest.fail(f"scrape raised {exc!r}: an unexpected error on one URL must become that URL's error")
    assert weird.body is None and "unexpected payload" in (weird.error or ""), f"got {weird}"
    assert summary(fine) == (200, "fine", None, 1), f"the other URL gave {fine}"


async def test_no_urls_gives_an_empty_list():
    got = await scrape([], concurrency=3, timeout=1, retries=1)
    assert got == [], f"scrape([]) returned {got!r}, expected []"


BAD_ARGUMENTS = {
    "zero concurrency": {"concurrency": 0, "timeout": 1, "retries": 1},
    "negative retries": {"concurrency": 1, "timeout": 1, "retries": -1},
    "zero timeout": {"concurrency": 1, "timeout": 0, "retries": 1},
}


@pytest.mark.parametrize("kwargs", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
async def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        await scrape([f"{BASE}/a"], **kwargs)


def oracle(script: list[int], retries: int) -> tuple[int, int]:
    """(final status, attempts) for a URL serving `script` in turn (the last status repeats)."""
    for attempt in range(1, retries + 2):
        status = script[min(attempt, len(script)) - 1]
        if status < 500 or attempt == retries + 1:
            return status, attempt
    raise AssertionError("unreachable")


@settings(max_examples=40, deadline=None)
@given(scripts=st.lists(st.lists(st.sampled_from([200, 204, 404, 410, 500, 502, 503]), min_size=1, max_size=4),
                        min_size=1, max_size=4),
       retries=st.integers(0, 3), concurrency=st.integers(1, 3))
def test_status_and_attempts_match_a_retry_oracle(scripts, retries, concurrency):
    """Property: for any script of statuses per URL, scrape stops where a simple retry loop would."""
    urls = [f"{BASE}/p{i}" for i in range(len(scripts))]
    with aioresponses() as mocked:
        for url, script in zip(urls, scripts):
            for n, status in enumerate(script):
                mocked.get(url, status=status, body=f"{status}", repeat=n == len(script) - 1)
        results = asyncio.run(scrape(urls, concurrency=concurrency, timeout=1, retries=retries))
        asked = [requests_to(mocked, url) for url in urls]
    for url, script, result, n_asked in zip(urls, scripts, results, asked):
        status, attempts = oracle(script, retries)
        ok = 200 <= status < 300
        want = (url, status, f"{status}" if ok else None, None if ok else f"HTTP {status}", attempts)
        got = (result.url, result.status, result.body, result.error, result.attempts)
        assert got == want and n_asked == attempts, (
            f"{url} serving {script} with retries={retries}: got {got} after {n_asked} requests, expected {want}")
