"""Tests for plan_summary (katas/day2/sql/explain.py). PostgreSQL only, except the property test,
which feeds made-up plans through a stand-in connection.

Table t has 10,000 rows with a = b = i % 100: the columns are perfectly correlated, which the
planner does not know, so `a = 1 AND b = 1` is estimated at 1 row and really returns 100.
"""
from __future__ import annotations

import inspect
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import katas.day2.sql.explain as explain_module
from katas.day2.sql.explain import NodeStats, PlanSummary, plan_summary

SETUP = """
CREATE TABLE t (a INTEGER, b INTEGER, pad TEXT);
INSERT INTO t SELECT i % 100, i % 100, repeat('x', 20) FROM generate_series(1, 10000) AS i;
CREATE TABLE u (id INTEGER PRIMARY KEY, label TEXT);
INSERT INTO u SELECT i, 'u' || i FROM generate_series(0, 99) AS i;
CREATE TABLE v (id INTEGER, note TEXT);
INSERT INTO v SELECT i, 'v' || i FROM generate_series(0, 49) AS i;
ANALYZE t; ANALYZE u; ANALYZE v;
"""
THREE_TABLES = "SELECT t.a, u.label, v.note FROM t JOIN u ON u.id = t.a JOIN v ON v.id = t.b WHERE t.b < 60"


@pytest.fixture
def db(pg):
    pg.execute(SETUP)
    return pg


def oracle(plan: dict, depth: int = 0):
    """The expected nodes, by brute force: (type, relation, depth, plan rows, total cost, self cost)."""
    children = plan.get("Plans", [])
    own = max(0.0, plan["Total Cost"] - sum(c["Total Cost"] for c in children))
    yield (plan["Node Type"], plan.get("Relation Name"), depth, float(plan["Plan Rows"]), plan["Total Cost"], own)
    for child in children:
        yield from oracle(child, depth + 1)


def planned(conn, sql: str) -> list[tuple]:
    """The plan as the planner chooses it (plain EXPLAIN runs nothing; same plan as ANALYZE gets)."""
    (document,) = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}").fetchone()
    return list(oracle(document[0]["Plan"]))


def shape(nodes: list[NodeStats]) -> list[tuple]:
    return [(n.node_type, n.relation, n.depth, n.estimated_rows, n.total_cost, n.self_cost) for n in nodes]


def only(summary: PlanSummary, node_type: str) -> NodeStats:
    found = [n for n in summary.nodes if n.node_type == node_type]
    assert len(found) == 1, f"expected one {node_type} node, the plan has {[n.node_type for n in summary.nodes]}"
    return found[0]


def test_a_sort_over_a_scan_is_two_nodes_parent_first(db):
    summary = plan_summary(db, "SELECT * FROM t WHERE a = 1 ORDER BY pad")
    assert summary.node_types == ["Sort", "Seq Scan"], f"node_types is {summary.node_types}, expected ['Sort', 'Seq Scan']"
    assert [(n.depth, n.relation) for n in summary.nodes] == [(0, None), (1, "t")], (
        f"(depth, relation) per node is {[(n.depth, n.relation) for n in summary.nodes]}, expected [(0, None), (1, 't')]")


def test_a_three_table_join_is_walked_depth_first_with_depths_and_costs(db):
    summary = plan_summary(db, THREE_TABLES)
    want = planned(db, THREE_TABLES)
    assert max(row[2] for row in want) >= 3, f"the test query's plan is too flat to tell walks apart: {want}"
    assert shape(list(summary.nodes)) == want, (
        f"plan_summary({THREE_TABLES!r}) nodes are\n  {shape(list(summary.nodes))}\nexpected (depth first, parents "
        f"before children; type, relation, depth, plan rows, total cost, self cost)\n  {want}")


def test_estimated_and_actual_rows_show_the_planners_mistake(db):
    scan = only(plan_summary(db, "SELECT * FROM t WHERE a = 1 AND b = 1"), "Seq Scan")
    got = (scan.estimated_rows, scan.actual_rows, scan.loops)
    assert got == (1.0, 100.0, 1), f"Seq Scan (estimated_rows, actual_rows, loops) is {got}, expected (1.0, 100.0, 1)"
    assert scan.row_error == 100.0, f"row_error is {scan.row_error}, expected 100.0 (100 found / 1 estimated)"


def test_rows_are_per_loop_on_the_inner_side_of_a_nested_loop(db):
    db.execute("SET enable_hashjoin = off; SET enable_mergejoin = off; SET enable_memoize = off")
    summary = plan_summary(db, "SELECT * FROM t JOIN u ON u.id = t.a WHERE t.b < 3")
    inner = only(summary, "Index Scan")
    got = (inner.relation, inner.loops, inner.estimated_rows, inner.actual_rows)
    assert got == ("u", 300, 1.0, 1.0), (
        f"the inner Index Scan (relation, loops, estimated_rows, actual_rows) is {got}, expected ('u', 300, 1.0, 1.0): "
        f"rows per loop, as EXPLAIN reports them")


def test_self_cost_never_goes_below_zero_under_a_limit(db):
    summary = plan_summary(db, "SELECT * FROM t LIMIT 5")
    limit, scan = only(summary, "Limit"), only(summary, "Seq Scan")
    assert limit.total_cost < scan.total_cost, "the Limit should stop the scan early in this plan"
    assert limit.self_cost == 0.0, (
        f"Limit self_cost is {limit.self_cost}; its total {limit.total_cost} minus its child's {scan.total_cost} "
        f"is negative, so expected 0.0")
    assert summary.costliest is scan, f"costliest is {summary.costliest.node_type}, expected the Seq Scan"


def test_costliest_is_the_node_with_the_most_work_of_its_own_not_the_root(db):
    summary = plan_summary(db, THREE_TABLES)
    want = planned(db, THREE_TABLES)
    best = max(range(len(want)), key=lambda i: want[i][5])
    assert best != 0, "the test query's root does the most work itself: it cannot tell self cost from total cost"
    got = summary.costliest
    assert shape([got]) == [want[best]], (
        f"costliest is {shape([got])}, expected {want[best]}: the highest self cost, not the highest total cost")


MISESTIMATES = {
    "underestimate: 1 guessed, 100 found": ("SELECT * FROM t WHERE a = 1 AND b = 1", ["Seq Scan"]),
    "overestimate: 99 guessed, 0 found": ("SELECT * FROM t WHERE a = 1 AND b <> 1", ["Seq Scan"]),
    "a good estimate is not flagged": ("SELECT * FROM t WHERE a = 1", []),
}


@pytest.mark.parametrize("sql,want", MISESTIMATES.values(), ids=MISESTIMATES.keys())
def test_misestimated_flags_estimates_off_by_ten_times_either_way(db, sql, want):
    summary = plan_summary(db, sql)
    got = [n.node_type for n in summary.misestimated(10)]
    detail = [(n.node_type, n.estimated_rows, n.actual_rows) for n in summary.nodes]
    assert got == want, f"plan_summary({sql!r}).misestimated(10) gave {got}, expected {want}; nodes {detail}"


# --- property: made-up plans through a stand-in connection, against the brute-force oracle ------

class FakeCursor:
    def __init__(self, document):
        self.document, self.sql = document, None

    def execute(self, sql, params=None):
        self.sql = sql
        return self

    def fetchone(self):
        assert self.sql and "ANALYZE" in self.sql.upper() and "JSON" in self.sql.upper(), (
            f"ran {self.sql!r}: expected EXPLAIN (ANALYZE, FORMAT JSON) ...")
        return (self.document,)

    def fetchall(self):
        return [self.fetchone()]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeConnection:
    """Answers any EXPLAIN with a fixed plan document: conn.execute(...) or conn.cursor()."""

    def __init__(self, document):
        self.document = document

    def execute(self, sql, params=None):
        return FakeCursor(self.document).execute(sql)

    def cursor(self):
        return FakeCursor(self.document)


def node(children):
    return st.fixed_dictionaries({
        "Node Type": st.sampled_from(["Seq Scan", "Hash Join", "Sort", "Limit", "Aggregate", "Hash"]),
        "Plan Rows": st.integers(1, 1000),
        "Actual Rows": st.integers(0, 1000),
        "Actual Loops": st.integers(0, 5),
        "Total Cost": st.integers(0, 50).map(float),          # small integers: ties in self cost happen
    }, optional={"Relation Name": st.sampled_from(["t", "u"]), "Plans": children})


plans = st.recursive(node(st.nothing()), lambda inner: node(st.lists(inner, min_size=1, max_size=3)), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(plan=plans, as_text=st.booleans())
def test_any_plan_is_summarised_like_the_brute_force_oracle(plan, as_text):
    document = [{"Plan": plan, "Planning Time": 0.1, "Execution Time": 1.0}]
    summary = plan_summary(FakeConnection(json.dumps(document) if as_text else document), "SELECT 1")
    want = list(oracle(plan))
    assert shape(list(summary.nodes)) == want, f"nodes {shape(list(summary.nodes))}\nexpected {want}"
    rows = [(n.actual_rows, n.loops) for n in summary.nodes]
    assert rows == list(measured(plan)), f"(actual_rows, loops) per node {rows}\nexpected {list(measured(plan))}"
    best = max(range(len(want)), key=lambda i: want[i][5])
    position = next(i for i, n in enumerate(summary.nodes) if n is summary.costliest)
    assert position == best, f"costliest is node #{position}, expected #{best} (the first with the highest self cost)"
    imports = [line.strip() for line in inspect.getsource(explain_module).splitlines()
               if line.lstrip().startswith(("import ", "from ")) and "dojo" in line]
    assert not imports, f"explain.py imports {imports}: write the walk yourself, without dojo.sql.explain"


def measured(plan: dict):
    yield float(plan["Actual Rows"]), plan["Actual Loops"]
    for child in plan.get("Plans", []):
        yield from measured(child)
