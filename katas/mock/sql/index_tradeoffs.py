"""Index trade-offs, measured: what the planner reads, where an index stops paying, what it costs to write.

PostgreSQL only. "Explain how indexes work and why they can slow things down" is easy to recite.
The interviewer's next question is "how do you know?": show it with the planner and the server's
own counters. The day kata day2.sql.indexing chose the right indexes for four queries; here you
write the instruments that prove the trade-offs behind that choice:

- a selective predicate is read through an index, an unselective one with a sequential scan;
- where the switch happens depends on how the rows lie on disk (the column's correlation), and
  on whether a bitmap scan may sort the matches by page and read each page once;
- a covering index answers from the index alone (Index Only Scan), but only for pages the
  visibility map marks all-visible: a fresh UPDATE sends it back to the heap until VACUUM;
- a partial index serves only queries whose WHERE implies its predicate;
- every index is written on every INSERT: measured in WAL bytes, never in seconds.

    access(conn, "SELECT * FROM events WHERE user_id = 42")
        # Access(node_type='Bitmap Heap Scan', index='events_user_id')
    access(conn, "SELECT * FROM events WHERE kind = 'view'")   # 90% of the rows
        # Access(node_type='Seq Scan', index=None)
    crossover(conn, "events", "shuffled", 0, 100_001)          # 38_969: from 39% of the rows on, a Seq Scan
        # (904, under 1%, once SET enable_bitmapscan = off leaves only plain Index Scans)
    heap_fetches(conn, "SELECT sum(amount) FROM events WHERE created_at >= ... AND created_at < ...")   # 0
    write_cost(conn, "copy_5", "SELECT * FROM source")         # 5,000 rows into a table with 5 indexes
        # WriteCost(wal_bytes=2_568_984, wal_records=30_135, index_bytes=679_936)
        # (the same rows into the bare table: 779_960 WAL bytes, 5_000 records, 0 index bytes)

Requirements
- `conn` is an autocommit psycopg 3 connection. You may use `dojo.sql.explain` (`explain(conn, sql,
  analyze=False)` returns the root plan dict of EXPLAIN (FORMAT JSON); `walk(plan)` yields every
  node): reading a plan was day2.sql.explain, this kata is about what the plans show.
- `access(conn, sql)`: plan sql (EXPLAIN (FORMAT JSON), nothing runs) and return how its one table
  is read: the first node, depth first, that is a "Seq Scan", "Index Scan", "Index Only Scan" or
  "Bitmap Heap Scan", with the index it reads ("Index Name"; for a Bitmap Heap Scan, the index of
  the first "Bitmap Index Scan" below it; None for a Seq Scan). Not the root: a sum() or a LIMIT
  sits on top of the scan. Raise ValueError if the plan has no such node.
- `crossover(conn, table, column, low, high)`: the smallest integer k in [low, high] for which
  `SELECT * FROM <table> WHERE <column> < k` is planned as a Seq Scan, or high + 1 if none is.
  The planner's choice is monotone in k (the Seq Scan's cost does not grow with k, an index
  read's does), so search it: a binary search needs about 17 plans for 100,000 values, not 100,000.
- `heap_fetches(conn, sql)`: run sql under EXPLAIN (ANALYZE, FORMAT JSON) and return the sum of
  "Heap Fetches" over its Index Only Scan nodes: how many rows had to be checked in the heap
  after all. Raise ValueError if the plan has no Index Only Scan. Only ANALYZE reports it.
- `write_cost(conn, table, rows_sql)`: run `INSERT INTO <table> <rows_sql>` for real and return
  what it wrote: `wal_bytes` and `wal_records` of THIS statement (EXPLAIN (ANALYZE, WAL, FORMAT
  JSON) reports them on the plan's root; pg_current_wal_lsn() is server-wide and counts other
  sessions' writes too) and `index_bytes`, how much the table's indexes grew
  (pg_indexes_size(table) after minus before). Never a timing: machines are noisy, bytes are not.
- `table` and `column` are trusted identifiers from the tests; quote them with psycopg.sql anyway.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    node_type: str          # "Seq Scan", "Index Scan", "Index Only Scan" or "Bitmap Heap Scan"
    index: str | None       # the index read; None for a Seq Scan


@dataclass(frozen=True)
class WriteCost:
    wal_bytes: int          # WAL written by the INSERT statement itself
    wal_records: int
    index_bytes: int        # growth of the table's indexes (pg_indexes_size) during the INSERT


def access(conn, sql: str) -> Access:
    """How the planner reads the one table of sql: the first table-reading node, with its index."""
    raise NotImplementedError("TODO: EXPLAIN (FORMAT JSON), find the first table-reading node and its index")


def crossover(conn, table: str, column: str, low: int, high: int) -> int:
    """The smallest k in [low, high] where `column < k` plans as a Seq Scan (high + 1 if none): binary search."""
    raise NotImplementedError("TODO: binary search k with access() on SELECT * FROM table WHERE column < k")


def heap_fetches(conn, sql: str) -> int:
    """Run sql with EXPLAIN ANALYZE: the rows its Index Only Scans still had to check in the heap."""
    raise NotImplementedError("TODO: EXPLAIN (ANALYZE, FORMAT JSON), sum Heap Fetches of the Index Only Scans")


def write_cost(conn, table: str, rows_sql: str) -> WriteCost:
    """Insert for real under EXPLAIN (ANALYZE, WAL): this statement's WAL, and how much the indexes grew."""
    raise NotImplementedError("TODO: EXPLAIN (ANALYZE, WAL, FORMAT JSON) INSERT ...; pg_indexes_size before/after")
