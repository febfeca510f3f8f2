"""Tests for index_tradeoffs (katas/mock/sql/index_tradeoffs.py). PostgreSQL only.

The module builds ONE database with `events`: 100,000 rows generated inside PostgreSQL from a fixed
seed, six indexes, then VACUUM ANALYZE (every row read, so the estimates are the same on every run;
autovacuum is off for the kata's tables, so nothing changes them behind the tests' back).
The read-side tests only plan queries on it, or run read-only ones. The write-side tests and the
visibility-map test get a fresh database each. Plans are made without parallel workers
(max_parallel_workers_per_gather = 0), so a full read is a plain "Seq Scan".

events: user_id about 10 rows per user; kind 'view' 90%, 'cart' 9.5%, 'buy' 0.5%; created_at every
5 minutes in insertion order; in_order = id (stored in index order); shuffled = a random permutation
of 1..100,000 (stored in no order at all).
"""
from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.services.postgres import own_database
from katas.mock.sql.index_tradeoffs import Access, WriteCost, access, crossover, heap_fetches, write_cost

pytestmark = pytest.mark.needs("pg")

ROWS = 100_000
INDEX_READS = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}
EVENTS = f"""
SELECT setseed(0.17);
CREATE TABLE events (
    id         integer       PRIMARY KEY,
    user_id    integer       NOT NULL,
    kind       text          NOT NULL,
    amount     numeric(10,2) NOT NULL,
    created_at timestamp     NOT NULL,
    in_order   integer       NOT NULL,
    shuffled   integer       NOT NULL,
    note       text          NOT NULL
) WITH (autovacuum_enabled = false);
INSERT INTO events
SELECT i, 1 + floor(random() * 10000)::integer,
       CASE WHEN r < 0.90 THEN 'view' WHEN r < 0.995 THEN 'cart' ELSE 'buy' END,
       round((1 + random() * 99)::numeric, 2), TIMESTAMP '2024-01-01' + i * INTERVAL '5 minutes',
       i, shuffled, repeat('x', 60)
FROM (SELECT i, random() AS r, row_number() OVER (ORDER BY random()) AS shuffled
      FROM generate_series(1, {ROWS}) AS i) AS g
ORDER BY i;
CREATE INDEX events_user_id ON events (user_id);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_in_order ON events (in_order);
CREATE INDEX events_shuffled ON events (shuffled);
CREATE INDEX events_day_amount ON events (created_at) INCLUDE (amount);
CREATE INDEX events_buy_created ON events (created_at) WHERE kind = 'buy';
"""


def prepare(conn) -> None:
    """Session settings for stable plans: VACUUM must see the load committed, no parallel plans."""
    conn.execute("SET synchronous_commit = on")       # the test server defaults to off; VACUUM needs it on
    conn.execute("SET max_parallel_workers_per_gather = 0")
    conn.execute("SET default_statistics_target = 1000")   # ANALYZE reads every row: the same stats every run


@pytest.fixture(scope="module")
def events(pg_server):
    """One database with the events table, its indexes, vacuumed and analyzed."""
    with own_database(pg_server, "index_tradeoffs") as conn:
        prepare(conn)
        conn.execute(EVENTS)
        conn.execute("VACUUM ANALYZE events")
        yield conn


def is_seq_scan(conn, column: str, k: int) -> bool:
    return access(conn, f"SELECT * FROM events WHERE {column} < {k}").node_type == "Seq Scan"


# --- the planner's choice: selective predicates read an index, unselective ones the table --------

SELECTIVITY = {
    "one user: about 10 rows of 100,000": ("SELECT * FROM events WHERE user_id = 42", INDEX_READS, "events_user_id"),
    "fifty users: 0.5% of the rows": ("SELECT * FROM events WHERE user_id <= 50", INDEX_READS, "events_user_id"),
    "'view': 90% of the rows": ("SELECT * FROM events WHERE kind = 'view'", {"Seq Scan"}, None),
    "all but the first 100 users: 99% of the rows":
        ("SELECT * FROM events WHERE user_id > 100", {"Seq Scan"}, None),
}


@pytest.mark.parametrize("sql,node_types,index", SELECTIVITY.values(), ids=SELECTIVITY.keys())
def test_the_planner_reads_an_index_only_for_a_selective_predicate(events, sql, node_types, index):
    got = access(events, sql)
    assert isinstance(got, Access), f"access(conn, {sql!r}) returned {got!r}, expected an Access"
    assert got.node_type in node_types and got.index == index, (
        f"access(conn, {sql!r}) returned {got}, expected a node type in {sorted(node_types)} reading index {index}")


def test_access_looks_under_an_aggregate_and_a_limit_for_the_scan(events):
    sql = "SELECT max(amount) FROM (SELECT amount FROM events WHERE user_id = 7 LIMIT 5) AS five"
    got = access(events, sql)
    assert got.node_type in INDEX_READS and got.index == "events_user_id", (
        f"access(conn, {sql!r}) returned {got}, expected the read of events through events_user_id "
        f"(the root is an Aggregate, then a Limit: the scan is below them)")


# --- where the index stops paying: the crossover, and why it depends on the physical order -------

def test_crossover_is_the_first_value_planned_as_a_seq_scan(events):
    k = crossover(events, "events", "shuffled", 0, ROWS + 1)
    assert 0 < k <= ROWS + 1, f"crossover(conn, 'events', 'shuffled', 0, {ROWS + 1}) returned {k}"
    plans = {k - 1: is_seq_scan(events, "shuffled", k - 1), k: is_seq_scan(events, "shuffled", k)}
    assert plans == {k - 1: False, k: True}, (
        f"crossover(conn, 'events', 'shuffled', 0, {ROWS + 1}) returned {k}; is `shuffled < k` a Seq Scan? "
        f"{plans}; expected {{{k - 1}: False, {k}: True}}: the smallest k planned as a Seq Scan")


def test_crossover_is_high_plus_one_when_every_value_reads_an_index(events):
    got = crossover(events, "events", "shuffled", 0, 50)
    assert got == 51, (
        f"crossover(conn, 'events', 'shuffled', 0, 50) returned {got}, expected 51: even `shuffled < 50` "
        f"(49 rows) reads the index, so no k in [0, 50] is a Seq Scan")


@contextlib.contextmanager
def without_bitmap_scans(conn):
    """Plain Index Scans only, to see the cost of one heap jump per row; the setting is put back after."""
    conn.execute("SET enable_bitmapscan = off")
    try:
        yield conn
    finally:
        conn.execute("RESET enable_bitmapscan")


def crossover_share(conn, column: str) -> float:
    return crossover(conn, "events", column, 0, ROWS + 1) / ROWS


def test_rows_stored_in_index_order_keep_an_index_scan_worth_it_far_longer(events):
    with without_bitmap_scans(events):
        scattered, in_order = crossover_share(events, "shuffled"), crossover_share(events, "in_order")
    assert in_order >= 10 * scattered, (
        f"with plain Index Scans only, the index stops paying at {scattered:.1%} of the rows for `shuffled` and "
        f"at {in_order:.1%} for `in_order`; expected at least 10 times as far for the column stored in index "
        f"order: its matching rows sit on consecutive pages (correlation 1), a scattered column's on every page")


def test_a_bitmap_scan_keeps_a_scattered_index_worth_it_far_longer(events):
    with without_bitmap_scans(events):
        index_scan_only = crossover_share(events, "shuffled")
    with_bitmaps = crossover_share(events, "shuffled")
    assert with_bitmaps >= 10 * index_scan_only, (
        f"for the scattered column `shuffled`, the index stops paying at {index_scan_only:.1%} of the rows with "
        f"plain Index Scans and at {with_bitmaps:.1%} when bitmap scans are allowed; expected at least 10 times "
        f"as far with bitmaps: a bitmap scan sorts the matches by page and reads each page once, in order")


@settings(max_examples=25, deadline=None)
@given(low=st.integers(30_000, 42_000), width=st.integers(0, 8_000))   # around where the switch happens
def test_crossover_on_any_range_is_the_smallest_seq_scan_in_it(events, low, width):
    high = low + width
    k = crossover(events, "events", "shuffled", low, high)
    assert low <= k <= high + 1, f"crossover(conn, 'events', 'shuffled', {low}, {high}) returned {k}: out of range"
    before_is_index = k == low or not is_seq_scan(events, "shuffled", k - 1)
    at_is_seq = k == high + 1 or is_seq_scan(events, "shuffled", k)
    assert before_is_index and at_is_seq, (
        f"crossover(conn, 'events', 'shuffled', {low}, {high}) returned {k}: the plan at k - 1 must read "
        f"an index (or k == low) and the plan at k must be a Seq Scan (or k == high + 1)")


# --- covering and partial indexes ----------------------------------------------------------------

ONE_DAY = "SELECT sum(amount) FROM events WHERE created_at >= '2024-05-01' AND created_at < '2024-05-02'"


def test_a_covering_index_answers_from_the_index_alone(events):
    got = access(events, ONE_DAY)
    assert got == Access("Index Only Scan", "events_day_amount"), (
        f"access(conn, {ONE_DAY!r}) returned {got}, expected an Index Only Scan on events_day_amount "
        f"(created_at) INCLUDE (amount): every column the query reads is in the index")
    fetches = heap_fetches(events, ONE_DAY)
    assert fetches == 0, f"heap_fetches(conn, ONE_DAY) returned {fetches}, expected 0 right after VACUUM"


PARTIAL = {
    "'buy' in March: the partial index's own predicate":
        ("SELECT id, amount FROM events WHERE kind = 'buy' AND created_at >= '2024-03-01' "
         "AND created_at < '2024-04-01'", True),
    "'cart' in March: WHERE kind = 'buy' does not cover it":
        ("SELECT id, amount FROM events WHERE kind = 'cart' AND created_at >= '2024-03-01' "
         "AND created_at < '2024-04-01'", False),
}


@pytest.mark.parametrize("sql,uses_partial", PARTIAL.values(), ids=PARTIAL.keys())
def test_a_partial_index_serves_only_queries_that_imply_its_predicate(events, sql, uses_partial):
    got = access(events, sql)
    assert (got.index == "events_buy_created") == uses_partial, (
        f"access(conn, {sql!r}) returned {got}; expected {'' if uses_partial else 'an index other than '}"
        f"events_buy_created (created_at) WHERE kind = 'buy'")


def test_access_raises_value_error_for_a_plan_without_a_table(events):
    with pytest.raises(ValueError):
        access(events, "SELECT 1 + 1")


# --- the visibility map: fresh updates send the index-only scan back to the heap ------------------

READINGS = """
CREATE TABLE readings (id integer PRIMARY KEY, taken_at timestamp NOT NULL, value numeric(10,2) NOT NULL,
                       note text NOT NULL) WITH (autovacuum_enabled = false);
INSERT INTO readings SELECT i, TIMESTAMP '2024-01-01' + i * INTERVAL '1 minute', i % 100, repeat('y', 60)
FROM generate_series(1, 20000) AS i;
CREATE INDEX readings_taken_value ON readings (taken_at) INCLUDE (value);
"""
SUM_RANGE = "SELECT sum(value) FROM readings WHERE taken_at >= '2024-01-03' AND taken_at < '2024-01-04'"


def test_updated_rows_send_the_index_only_scan_back_to_the_heap_until_vacuum(pg):
    prepare(pg)
    pg.execute(READINGS)
    pg.execute("VACUUM ANALYZE readings")             # VACUUM cannot share a multi-statement string
    fresh = heap_fetches(pg, SUM_RANGE)
    pg.execute("UPDATE readings SET value = value + 1 WHERE id % 50 = 0")
    stale = heap_fetches(pg, SUM_RANGE)
    pg.execute("VACUUM readings")
    vacuumed = heap_fetches(pg, SUM_RANGE)
    assert (fresh, stale > 0, vacuumed) == (0, True, 0), (
        f"heap_fetches on a day of readings: {fresh} after VACUUM, {stale} after updating every 50th row, "
        f"{vacuumed} after VACUUM again; expected 0, more than 0, 0: an updated page is not all-visible "
        f"until VACUUM, so the index-only scan must check the heap for it")


def test_heap_fetches_raises_value_error_without_an_index_only_scan(pg):
    prepare(pg)
    pg.execute(READINGS)
    pg.execute("VACUUM ANALYZE readings")             # VACUUM cannot share a multi-statement string
    with pytest.raises(ValueError):
        heap_fetches(pg, "SELECT count(*) FROM readings WHERE note = 'z'")


# --- the write side: every index is written on every insert --------------------------------------

COPIES = 5_000
SOURCE = """
CREATE TABLE source AS
SELECT i AS id, (i * 7919) % 10000 AS user_id, (ARRAY['view', 'cart', 'buy'])[1 + i % 3] AS kind,
       (i % 997)::numeric(10,2) AS amount, TIMESTAMP '2024-01-01' + i * INTERVAL '5 minutes' AS created_at,
       i AS in_order, (i * 4007) % 5003 AS shuffled, repeat('x', 60) AS note
FROM generate_series(1, 5000) AS i;
"""
INDEX_SETS = {
    0: [],
    1: ["PRIMARY KEY (id)"],
    3: ["PRIMARY KEY (id)", "INDEX (user_id)", "INDEX (kind)"],
    5: ["PRIMARY KEY (id)", "INDEX (user_id)", "INDEX (kind)", "INDEX (created_at) INCLUDE (amount)", "INDEX (shuffled)"],
}


def create_copy(conn, name: str, indexes: list[str]) -> None:
    """An empty table shaped like source, with these indexes."""
    conn.execute(f"CREATE TABLE {name} (LIKE source)")
    for n, spec in enumerate(indexes):
        if spec.startswith("PRIMARY KEY"):
            conn.execute(f"ALTER TABLE {name} ADD {spec}")
        else:
            conn.execute(f"CREATE {spec.replace('INDEX', f'INDEX {name}_{n} ON {name}', 1)}")


@pytest.fixture
def copies(pg):
    """source (5,000 rows) and four empty copies of it with 0, 1, 3 and 5 indexes."""
    prepare(pg)
    pg.execute(SOURCE)
    for count, indexes in INDEX_SETS.items():
        create_copy(pg, f"copy_{count}", indexes)
    return pg


def test_write_cost_inserts_the_rows_and_returns_bytes(copies):
    got = write_cost(copies, "copy_1", "SELECT * FROM source")
    inserted = copies.execute("SELECT count(*) FROM copy_1").fetchone()[0]
    assert inserted == COPIES, f"after write_cost(conn, 'copy_1', 'SELECT * FROM source') copy_1 has {inserted} rows, " \
                               f"expected {COPIES}: the INSERT must really run (EXPLAIN ANALYZE runs it)"
    assert isinstance(got, WriteCost) and got.wal_bytes > 0 and got.wal_records >= COPIES and got.index_bytes > 0, (
        f"write_cost returned {got}, expected WAL bytes > 0, at least one WAL record per row and the primary "
        f"key's growth in bytes")


def test_write_cost_agrees_with_postgresqls_own_wal_counter(copies):
    create_copy(copies, "copy_check", INDEX_SETS[3])
    got = write_cost(copies, "copy_3", "SELECT * FROM source")
    (document,) = copies.execute("EXPLAIN (ANALYZE, WAL, FORMAT JSON) INSERT INTO copy_check SELECT * FROM source").fetchone()
    want = document[0]["Plan"]["WAL Bytes"]
    assert abs(got.wal_bytes - want) <= 0.1 * want, (
        f"write_cost(conn, 'copy_3', ...) returned wal_bytes={got.wal_bytes:,}; PostgreSQL's own counter for the "
        f"same rows into an identical table says {want:,}; expected within 10%")


def test_every_index_makes_the_same_insert_write_more(copies):
    costs = {count: write_cost(copies, f"copy_{count}", "SELECT * FROM source") for count in INDEX_SETS}
    shown = ", ".join(f"{count} indexes: {c.wal_bytes:,} WAL bytes, {c.index_bytes:,} index bytes"
                      for count, c in costs.items())
    wal = [costs[count].wal_bytes for count in INDEX_SETS]
    index_bytes = [costs[count].index_bytes for count in INDEX_SETS]
    assert index_bytes[0] == 0 and wal == sorted(set(wal)) and index_bytes == sorted(set(index_bytes)), (
        f"inserting the same {COPIES:,} rows: {shown}; expected no index bytes without indexes, and both "
        f"numbers growing with every index")
    assert costs[5].wal_bytes >= 2 * costs[0].wal_bytes, (
        f"inserting the same {COPIES:,} rows: {shown}; expected five indexes to at least double the WAL "
        f"of the bare table")
