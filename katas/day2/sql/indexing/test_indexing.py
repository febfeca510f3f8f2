"""Tests for the indexing kata (README.md beside this file). PostgreSQL only.

Loading 100,000 rows takes a second or two, so the module builds ONE database: the data, your
indexes.sql, VACUUM ANALYZE, then the four plans. Each test reads what it needs from there; none
of them writes. Sequential scans stay enabled: the planner has to choose your indexes on its own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dojo import impl
from dojo.services.postgres import own_database
from dojo.sql import schema
from dojo.sql.engines import PostgresEngine
from dojo.sql.explain import PlanNode, explain, walk
from dojo.sql.query import execute_file

KATA = "day2.sql.indexing"
ROWS, USERS = 100_000, 5_000
BUDGET = 3
QUERIES = {
    "user_history": "SELECT transaction_id, amount, ts FROM transactions "
                    "WHERE user_id = 42 AND ts >= '2024-03-01' AND ts < '2024-09-01'",
    "user_latest": "SELECT transaction_id, amount, ts FROM transactions WHERE user_id = 42 ORDER BY ts DESC LIMIT 10",
    "pending_queue": "SELECT transaction_id, user_id, ts FROM transactions WHERE status = 'pending' ORDER BY ts LIMIT 20",
    "day_total": "SELECT sum(amount) FROM transactions WHERE ts >= '2024-12-24' AND ts < '2024-12-25'",
}
INDEX_READS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


@dataclass
class Index:
    name: str
    columns: list[str]           # key columns, in order
    predicate: str | None        # the WHERE of a partial index


@dataclass
class Planned:
    problem: str | None = None                                  # why indexes.sql could not be run
    plans: dict[str, list[PlanNode]] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)     # yours: the primary key left out

    def ready(self) -> Planned:
        assert self.problem is None, self.problem
        return self

    def index_reads(self, query: str) -> list[PlanNode]:
        return [node for node in self.plans[query] if node.node_type in INDEX_READS]

    def shape(self, query: str) -> str:
        return " -> ".join(f"{n.node_type}{f' ({n.index})' if n.index else ''}" for n in self.plans[query])


@pytest.fixture(scope="module")
def planned(pg_server, _dataset_cache) -> Planned:
    """One database for the module: data_gen's transactions (cached for the session), your indexes, the plans."""
    data = _dataset_cache("transactions", ROWS, "csv", 7, users=USERS)
    with own_database(pg_server, "indexing") as conn:
        yield build(conn, data)


def build(conn, data: Path) -> Planned:
    engine = PostgresEngine(conn)
    # The test server runs with synchronous_commit=off; then VACUUM may not yet mark the freshly
    # loaded pages all-visible, and without that an Index Only Scan has to visit the heap anyway.
    conn.execute("SET synchronous_commit = on")
    schema.create(engine, "transactions")
    engine.load_csv("transactions", data)
    try:
        execute_file(engine, impl.kata_file(KATA, "indexes.sql"))
    except AssertionError as exc:                     # the stub, or SQL PostgreSQL refused
        return Planned(problem=f"indexes.sql: {exc}")
    conn.execute("VACUUM ANALYZE transactions")
    rows = conn.execute("""
        SELECT c.relname,
               array(SELECT a.attname FROM unnest(i.indkey[:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, n)
                     JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n),
               pg_get_expr(i.indpred, i.indrelid)
        FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'transactions'::regclass AND NOT i.indisprimary""").fetchall()
    return Planned(plans={name: list(walk(explain(conn, sql))) for name, sql in QUERIES.items()},
                   indexes={name: Index(name, list(columns), predicate) for name, columns, predicate in rows})


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_reads_an_index_instead_of_the_whole_table(planned, query):
    planned.ready()
    seq_scans = [n for n in planned.plans[query] if n.node_type == "Seq Scan"]
    assert planned.index_reads(query) and not seq_scans, (
        f"{query}: {QUERIES[query]}\nplans as {planned.shape(query)}; expected an Index Scan, Index Only Scan "
        f"or Bitmap Index Scan and no Seq Scan")


def test_the_user_queries_share_one_composite_index_that_leads_with_user_id(planned):
    planned.ready()
    used = {q: {n.index for n in planned.index_reads(q)} for q in ("user_history", "user_latest")}
    shared = used["user_history"] & used["user_latest"]
    assert shared, f"user_history reads {used['user_history'] or 'no index'}, user_latest reads " \
                   f"{used['user_latest'] or 'no index'}: expected one index serving both"
    index = planned.indexes[shared.pop()]
    assert index.columns[:2] == ["user_id", "ts"], (
        f"{index.name} has key columns {index.columns}; expected (user_id, ts, ...): equality column first, "
        f"then the range / ORDER BY column")
    conditions = " ".join(str(n.raw.get("Index Cond", "")) for n in planned.index_reads("user_history"))
    assert "user_id" in conditions and "ts" in conditions, (
        f"user_history's Index Cond is {conditions!r}: expected both user_id and the ts range in it")


@pytest.mark.parametrize("query", ["user_latest", "pending_queue"])
def test_an_index_in_ts_order_makes_the_sort_unnecessary(planned, query):
    planned.ready()
    sorts = [n for n in planned.plans[query] if n.node_type in {"Sort", "Incremental Sort"}]
    assert planned.index_reads(query) and not sorts, (
        f"{query}: {QUERIES[query]}\nplans as {planned.shape(query)}; expected an index read in ts order, no Sort")


def test_the_pending_queue_reads_a_partial_index_on_status(planned):
    planned.ready()
    used = [planned.indexes[n.index] for n in planned.index_reads("pending_queue") if n.index in planned.indexes]
    partial = [i for i in used if i.predicate and "status" in i.predicate]
    assert partial, (
        f"pending_queue plans as {planned.shape('pending_queue')}; the indexes it reads have predicates "
        f"{[i.predicate for i in used]}; expected a partial index ... WHERE status = 'pending'")


def test_the_day_total_is_an_index_only_scan(planned):
    planned.ready()
    assert any(n.node_type == "Index Only Scan" for n in planned.plans["day_total"]), (
        f"day_total: {QUERIES['day_total']}\nplans as {planned.shape('day_total')}; expected an Index Only Scan "
        f"(every column the query reads must be in the index)")


def test_at_most_three_indexes_and_every_one_is_used(planned):
    planned.ready()
    assert 0 < len(planned.indexes) <= BUDGET, (
        f"indexes.sql created {len(planned.indexes)} indexes ({sorted(planned.indexes)}); the budget is 1 to {BUDGET}")
    used = {n.index for plan in planned.plans.values() for n in plan if n.index}
    unused = sorted(set(planned.indexes) - used)
    assert not unused, f"no query reads {unused}: an index nobody reads only slows the writes down"
