"""API to SQL: ingest nested JSON from a paginated, rate-limited API into PostgreSQL, incrementally.

"Design an ETL pipeline to ingest JSON data from an API, transform it, and store it in a SQL database."
day3.etl.idempotent answers the load half (upsert, watermark, one transaction) from a source TABLE;
the interviewer's next step is the API half: pages behind a cursor, a server that says "slow down"
(429 + Retry-After) or fails (5xx), JSON nested three levels deep, and money that must stay exact.

The API (GET {base_url}/orders) answers, oldest change first, ordered by (updated_at, id):

    GET /orders?limit=2&updated_since=2024-05-01T09:00:00+00:00
    {"data": [{"id": 17, "status": "paid", "updated_at": "2024-05-01T09:00:00Z",
               "customer": {"id": "c-1", "address": {"country": "DE"}},
               "items": [{"sku": "A-1", "qty": 2, "price": "9.95"}, {"sku": "B-7", "qty": 1, "price": "0.10"}]},
              ...],
     "next_cursor": "c2"}                  # then GET /orders?limit=2&updated_since=...&cursor=c2 ... until null

    flatten(record)      # OrderRow(order_id=17, status='paid', updated_at=datetime(2024, 5, 1, 9, tzinfo=UTC),
                         #          customer_id='c-1', customer_country='DE', item_count=2, total=Decimal('20.00'))
    await run_ingest(base_url, conn, sleep=fake_sleep)
    # IngestReport(fetched=7, inserted=7, updated=0, watermark=datetime(...latest updated_at...))
    await run_ingest(base_url, conn, sleep=fake_sleep)   # a rerun: inserted=0, updated=0, no row rewritten

Requirements
- `flatten(record)` turns one API record into an OrderRow: customer.id -> customer_id,
  customer.address.country -> customer_country (None when the address or the country is missing or
  null), item_count = number of items, total = sum of qty * price as an exact Decimal with 2 places
  (prices arrive as strings; float arithmetic turns 3 x "0.10" into 0.30000000000000004), updated_at
  an aware datetime (the API writes "Z" for UTC). No items: item_count 0, total Decimal("0.00").
- `fetch_changed(session, base_url, since, *, page_size, sleep, max_retries)` (async) returns every
  record changed at or after `since` (all of them when since is None), in the API's order, following
  next_cursor until it is null. Query parameters: limit=page_size, updated_since=since.isoformat()
  (left out when None), cursor=<the last next_cursor> (left out on the first page).
  - 429: wait the Retry-After header's seconds (`await sleep(seconds)`), then ask for the SAME page
    again (not from the first page).
  - 5xx: wait BACKOFF_BASE * 2**k seconds before retry k + 1 (0.5, 1.0, 2.0, ...), same page.
  - At most max_retries retries per page (429s and 5xx together), then raise ApiError naming the
    status. Any other status that is not 200 (400, 404, ...) raises ApiError at once: retrying a
    client error cannot help. Never sleep for real: every wait goes through `sleep`.
- `upsert(conn, rows)` writes rows into api_orders (ORDERS_DDL) with INSERT ... ON CONFLICT
  (order_id) DO UPDATE, and does NOT rewrite a row whose values are all unchanged (a rewrite costs a
  new row version, WAL, and a changed xmin that downstream CDC treats as a change). Returns
  (inserted, updated). It runs in the caller's transaction and does not commit.
- `run_ingest(base_url, conn, *, sleep=asyncio.sleep, page_size=PAGE_SIZE, max_retries=MAX_RETRIES)`
  (async) creates the tables if missing (ORDERS_DDL, WATERMARK_DDL), reads the pipeline's watermark
  (etl_watermarks row with pipeline = PIPELINE; none on the first run), fetches the records changed
  at or after it (an aiohttp.ClientSession of its own), flattens them, and in ONE transaction upserts
  them and stores the new watermark: the largest updated_at fetched (kept as it was when nothing was
  fetched). The watermark is inclusive on purpose: records that share the watermark's timestamp are
  fetched again, never missed, and the no-op upsert makes that free. Any error (ApiError after the
  retries, a bad record) leaves the tables as they were and propagates. `conn` is an autocommit
  psycopg connection. Returns IngestReport(fetched, inserted, updated, watermark).
- A rerun with no change at the source fetches only the boundary records, inserts and updates
  nothing, rewrites no row, and keeps the watermark.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiohttp
import psycopg

PIPELINE = "api_orders"
PAGE_SIZE = 100
MAX_RETRIES = 4
BACKOFF_BASE = 0.5
CENTS = Decimal("0.01")

ORDERS_DDL = """
CREATE TABLE IF NOT EXISTS api_orders (
    order_id         bigint PRIMARY KEY,
    status           text NOT NULL,
    updated_at       timestamptz NOT NULL,
    customer_id      text NOT NULL,
    customer_country text,
    item_count       integer NOT NULL,
    total            numeric(14, 2) NOT NULL
)"""

WATERMARK_DDL = """
CREATE TABLE IF NOT EXISTS etl_watermarks (
    pipeline   text PRIMARY KEY,
    updated_at timestamptz NOT NULL
)"""

Sleep = Callable[[float], Awaitable[None]]


class ApiError(RuntimeError):
    """The API answered with an error that retries did not (or cannot) fix."""


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    status: str
    updated_at: datetime
    customer_id: str
    customer_country: str | None
    item_count: int
    total: Decimal


@dataclass(frozen=True)
class IngestReport:
    fetched: int
    inserted: int
    updated: int
    watermark: datetime | None


def flatten(record: dict[str, Any]) -> OrderRow:
    """One nested API record as one flat row; money as exact Decimal."""
    raise NotImplementedError("TODO: customer.id, customer.address.country (may be missing), items count and total")


async def fetch_changed(session: aiohttp.ClientSession, base_url: str, since: datetime | None, *,
                        page_size: int = PAGE_SIZE, sleep: Sleep = asyncio.sleep,
                        max_retries: int = MAX_RETRIES) -> list[dict[str, Any]]:
    """Every record changed at or after since, page by page along next_cursor."""
    raise NotImplementedError("TODO: GET /orders page by page; retry 429 (Retry-After) and 5xx (backoff)")


def upsert(conn: psycopg.Connection, rows: list[OrderRow]) -> tuple[int, int]:
    """Insert new orders, update changed ones, leave identical ones alone; return (inserted, updated)."""
    raise NotImplementedError("TODO: INSERT ... ON CONFLICT (order_id) DO UPDATE ... WHERE ... IS DISTINCT FROM ...")


async def run_ingest(base_url: str, conn: psycopg.Connection, *, sleep: Sleep = asyncio.sleep,
                     page_size: int = PAGE_SIZE, max_retries: int = MAX_RETRIES) -> IngestReport:
    """One incremental run: fetch since the watermark, then upsert + new watermark in one transaction."""
    raise NotImplementedError("TODO: tables, watermark, fetch, flatten, then one transaction: upsert + watermark")
