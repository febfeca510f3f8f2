"""Tests for the API-to-SQL ingest: run `pytest katas/mock/tools/test_api_to_sql.py`.

The API is a real aiohttp server on 127.0.0.1 (`http_server`) that pages with a cursor, can be told
to answer 429 / 5xx / 4xx for a given page, and records every query it receives. PostgreSQL is a
fresh database per test (`pg`, an autocommit connection). Waits go through a fake sleep that records
its delays: nothing here sleeps for real.
"""
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import aiohttp
import pytest
from aiohttp import web

from katas.mock.tools.api_to_sql import (
    PIPELINE,
    ApiError,
    IngestReport,
    OrderRow,
    fetch_changed,
    flatten,
    run_ingest,
)

pytestmark = pytest.mark.needs("http", "pg")

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def stamp(minutes: int) -> str:
    """The API's timestamp format: ISO 8601 with Z."""
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(order_id: int, minutes: int, status: str = "new", country: str | None = "DE",
           items: list | None = None) -> dict:
    items = [{"sku": f"S-{order_id}", "qty": 1, "price": "10.00"}] if items is None else items
    return {"id": order_id, "status": status, "updated_at": stamp(minutes),
            "customer": {"id": f"c-{order_id % 3}", "address": {"country": country, "city": "X"}},
            "items": items}


class OrdersApi:
    """GET /orders?limit=&updated_since=&cursor= over self.records, ordered by (updated_at, id)."""

    def __init__(self, records: list[dict]):
        self.records = records
        self.queries: list[dict] = []                     # every query received, in order
        self.failures: dict[str | None, list] = {}         # cursor -> [(status, headers), ...] to answer first
        self.app = web.Application()
        self.app.router.add_get("/orders", self.orders)
        self.base = ""

    def requests_for(self, cursor: str | None) -> int:
        return sum(1 for query in self.queries if query.get("cursor") == cursor)

    async def orders(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.queries.append(query)
        cursor = query.get("cursor")
        if self.failures.get(cursor):
            status, headers = self.failures[cursor].pop(0)
            return web.json_response({"error": f"status {status}"}, status=status, headers=headers)
        since = query.get("updated_since")
        matching = sorted((r for r in self.records if since is None
                           or datetime.fromisoformat(r["updated_at"]) >= datetime.fromisoformat(since)),
                          key=lambda r: (r["updated_at"], r["id"]))
        start, limit = int(cursor[1:]) if cursor else 0, int(query["limit"])
        end = start + limit
        return web.json_response({"data": matching[start:end],
                                  "next_cursor": f"p{end}" if end < len(matching) else None})


class FakeSleep:
    """An async sleep that returns at once and remembers what it was asked to wait."""

    def __init__(self):
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


SEVEN = [record(i, minutes=i // 2) for i in range(1, 8)]   # pairs share a timestamp: 0, 1, 1, 2, 2, 3, 3


@pytest.fixture
async def api(http_server):
    api = OrdersApi([dict(r) for r in SEVEN])
    api.base = await http_server(api.app)
    return api


@pytest.fixture
def sleep():
    return FakeSleep()


async def fetch(api, since=None, **kwargs) -> list[dict]:
    async with aiohttp.ClientSession() as session:
        return await fetch_changed(session, api.base, since, **kwargs)


def table(conn) -> dict:
    rows = conn.execute("SELECT order_id, status, updated_at, customer_id, customer_country, item_count, total "
                        "FROM api_orders").fetchall()
    return {row[0]: OrderRow(*row) for row in rows}


def row_versions(conn) -> dict:
    """order_id -> xmin: a row rewritten, even with identical values, gets a new xmin."""
    return dict(conn.execute("SELECT order_id, xmin::text FROM api_orders").fetchall())


def watermark(conn):
    row = conn.execute("SELECT updated_at FROM etl_watermarks WHERE pipeline = %s", (PIPELINE,)).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------------------------------------
# flatten: nested JSON to one row, money exact
# ---------------------------------------------------------------------------------------------

def row(order_id=1, status="new", minutes=0, customer="c-1", country="DE", count=1, total="10.00") -> OrderRow:
    return OrderRow(order_id, status, T0 + timedelta(minutes=minutes), customer, country, count, Decimal(total))


FLATTEN_CASES = {
    "a full record": (record(1, 0), row()),
    "qty x price summed exactly: 2 x 9.95 + 1 x 0.10":
        (record(4, 5, "paid", items=[{"sku": "A", "qty": 2, "price": "9.95"}, {"sku": "B", "qty": 1, "price": "0.10"}]),
         row(4, "paid", 5, "c-1", "DE", 2, "20.00")),
    "three times 0.10 is 0.30, not 0.30000000000000004":
        (record(3, 0, items=[{"sku": "A", "qty": 1, "price": "0.10"}] * 3), row(3, customer="c-0", count=3, total="0.30")),
    "a whole-number price still has two places": (record(1, 0, items=[{"sku": "A", "qty": 1, "price": "5"}]),
                                                  row(total="5.00")),
    "no items: count 0, total 0.00": (record(1, 0, items=[]), row(count=0, total="0.00")),
    "country null": (record(1, 0, country=None), row(country=None)),
    "address null": ({**record(1, 0), "customer": {"id": "c-1", "address": None}}, row(country=None)),
    "no address at all": ({**record(1, 0), "customer": {"id": "c-1"}}, row(country=None)),
    "address without a country": ({**record(1, 0), "customer": {"id": "c-1", "address": {"city": "X"}}},
                                  row(country=None)),
}


@pytest.mark.parametrize("given,want", FLATTEN_CASES.values(), ids=FLATTEN_CASES.keys())
def test_flatten_turns_a_nested_record_into_one_row(given, want):
    got = flatten(given)
    assert got == want, f"flatten({given}) returned {got}, expected {want}"
    assert str(got.total) == str(want.total), \
        f"flatten(...).total is {got.total!r}: expected exactly {want.total!r} (a Decimal with 2 places)"
    assert got.updated_at.utcoffset() == timedelta(0), f"flatten(...).updated_at is {got.updated_at!r}: expected UTC"


# ---------------------------------------------------------------------------------------------
# fetch_changed: pages, 429, 5xx, client errors
# ---------------------------------------------------------------------------------------------

async def test_fetch_follows_the_cursor_through_every_page(api, sleep):
    got = await fetch(api, page_size=3, sleep=sleep)
    cursors = [query.get("cursor") for query in api.queries]
    assert [r["id"] for r in got] == list(range(1, 8)), \
        f"fetch_changed(page_size=3) returned ids {[r['id'] for r in got]}, expected 1..7 in the API's order"
    assert cursors == [None, "p3", "p6"], f"the API saw cursors {cursors}, expected [None, 'p3', 'p6']"
    assert all(query.get("limit") == "3" for query in api.queries), f"queries were {api.queries}: limit=3 each"
    assert sleep.delays == [], f"fetch_changed slept {sleep.delays} with nothing to wait for"


async def test_fetch_sends_updated_since_and_gets_only_later_changes(api, sleep):
    since = T0 + timedelta(minutes=2)
    got = await fetch(api, since, page_size=10, sleep=sleep)
    sent = api.queries[0].get("updated_since")
    assert sent is not None and datetime.fromisoformat(sent) == since, \
        f"fetch_changed(since={since!r}) sent updated_since={sent!r}, expected {since.isoformat()!r}"
    assert [r["id"] for r in got] == [4, 5, 6, 7], f"fetch_changed(since=09:02) returned ids {[r['id'] for r in got]}"


async def test_a_429_waits_retry_after_then_asks_for_the_same_page_again(api, sleep):
    api.failures["p3"] = [(429, {"Retry-After": "7"})]
    got = await fetch(api, page_size=3, sleep=sleep)
    assert [r["id"] for r in got] == list(range(1, 8)), f"after a 429 fetch_changed returned {[r['id'] for r in got]}"
    assert sleep.delays == [7.0], \
        f"a 429 with Retry-After: 7 made fetch_changed sleep {sleep.delays}, expected [7.0] (the server's word)"
    counts = [api.requests_for(c) for c in (None, "p3", "p6")]
    assert counts == [1, 2, 1], \
        f"requests per page (first, p3, p6) were {counts}, expected [1, 2, 1]: retry the page, not the whole run"


async def test_a_5xx_is_retried_with_doubling_backoff(api, sleep):
    api.failures[None] = [(503, {}), (500, {})]
    api.failures["p3"] = [(502, {})]
    got = await fetch(api, page_size=3, sleep=sleep)
    assert [r["id"] for r in got] == list(range(1, 8)), f"after 5xx answers fetch_changed returned {got}"
    assert sleep.delays == [0.5, 1.0, 0.5], \
        f"5xx x2 on page 1, x1 on page 2 slept {sleep.delays}, expected [0.5, 1.0, 0.5] (backoff per page)"


async def test_retries_are_bounded_then_api_error(api, sleep):
    api.failures[None] = [(500, {})] * 10
    with pytest.raises(ApiError, match="500"):
        await fetch(api, page_size=3, sleep=sleep, max_retries=3)
    assert api.requests_for(None) == 4 and sleep.delays == [0.5, 1.0, 2.0], \
        f"with max_retries=3 the API saw {api.requests_for(None)} requests and sleep got {sleep.delays}; " \
        "expected 4 requests and [0.5, 1.0, 2.0]"


@pytest.mark.parametrize("status", [400, 404], ids=["400 bad request", "404 not found"])
async def test_a_client_error_is_not_retried(api, sleep, status):
    api.failures[None] = [(status, {})] * 3
    with pytest.raises(ApiError, match=str(status)):
        await fetch(api, page_size=3, sleep=sleep)
    assert api.requests_for(None) == 1 and sleep.delays == [], \
        f"a {status} was requested {api.requests_for(None)} times, slept {sleep.delays}: a client error is final"


# ---------------------------------------------------------------------------------------------
# run_ingest: upsert, watermark, incremental, rerun, atomic
# ---------------------------------------------------------------------------------------------

async def test_first_run_loads_every_record_and_stores_the_watermark(api, sleep, pg):
    report = await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    want = IngestReport(fetched=7, inserted=7, updated=0, watermark=T0 + timedelta(minutes=3))
    assert report == want, f"run_ingest on an empty database returned {report}, expected {want}"
    assert table(pg) == {r["id"]: flatten(r) for r in SEVEN}, f"api_orders after the first run: {table(pg)}"
    assert watermark(pg) == T0 + timedelta(minutes=3), f"the stored watermark is {watermark(pg)}, expected 09:03"


async def test_a_rerun_changes_nothing(api, sleep, pg):
    await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    versions = row_versions(pg)
    report = await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    assert (report.inserted, report.updated, report.watermark) == (0, 0, T0 + timedelta(minutes=3)), \
        f"a rerun with no change at the source returned {report}, expected 0 inserted, 0 updated, watermark 09:03"
    assert row_versions(pg) == versions, \
        "a rerun rewrote rows (their xmin changed): skip identical rows with WHERE ... IS DISTINCT FROM"


async def test_the_next_run_asks_only_for_changes_since_the_watermark(api, sleep, pg):
    await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    api.records[1] = record(2, minutes=9, status="paid")        # order 2 changed
    api.records.append(record(8, minutes=9))                    # a new order
    api.queries.clear()
    report = await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    sent = api.queries[0].get("updated_since")
    assert sent is not None and datetime.fromisoformat(sent) == T0 + timedelta(minutes=3), \
        f"the second run sent updated_since={sent!r}, expected the stored watermark 09:03"
    assert (report.inserted, report.updated, report.watermark) == (1, 1, T0 + timedelta(minutes=9)), \
        f"the second run returned {report}, expected 1 inserted (order 8), 1 updated (order 2), watermark 09:09"
    assert table(pg)[2].status == "paid" and 8 in table(pg), f"api_orders after the second run: {table(pg)}"


async def test_a_late_record_sharing_the_watermark_timestamp_is_not_missed(api, sleep, pg):
    await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    api.records.append(record(9, minutes=3))                    # committed at the source a moment late
    report = await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    assert 9 in table(pg) and report.inserted == 1, \
        f"order 9 (updated_at == the watermark) was not loaded: report {report}. The watermark is inclusive"


async def test_a_failed_run_leaves_the_tables_as_they_were(api, sleep, pg):
    await run_ingest(api.base, pg, sleep=sleep, page_size=3)
    before, mark = table(pg), watermark(pg)
    api.records.extend(record(i, minutes=20) for i in range(10, 15))
    api.failures["p3"] = [(500, {})] * 10
    with pytest.raises(ApiError):
        await run_ingest(api.base, pg, sleep=sleep, page_size=3, max_retries=2)
    assert (table(pg), watermark(pg)) == (before, mark), \
        "run_ingest failed on page 2, yet api_orders or the watermark changed: write only after every page came back"
