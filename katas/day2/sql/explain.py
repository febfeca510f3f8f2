"""Read a PostgreSQL plan as data: `plan_summary(conn, sql)` over EXPLAIN (ANALYZE, FORMAT JSON).

PostgreSQL only. Interviewers ask "how would you find out why this query is slow?": the answer is
EXPLAIN ANALYZE, and the follow-ups are whether you can read it. Which node does the work? Where is
the planner's row estimate far from reality (stale statistics, correlated columns), which is the
usual root of a bad join order? Turning the plan into data makes both questions one line of code.

    summary = plan_summary(conn, "SELECT * FROM t JOIN u ON u.id = t.a WHERE t.b < 3")
    summary.node_types          # ['Hash Join', 'Seq Scan', 'Hash', 'Seq Scan']
    summary.nodes[1]            # NodeStats(node_type='Seq Scan', relation='t', depth=1,
                                #           estimated_rows=300.0, actual_rows=300.0, loops=1, ...)
    summary.costliest.node_type # 'Seq Scan': the node whose own work costs most
    summary.misestimated(10)    # nodes whose estimate is off by 10x or more, either way

Requirements
- `plan_summary(conn, sql)` runs `EXPLAIN (ANALYZE, FORMAT JSON) <sql>` on `conn` (a psycopg 3
  connection; `conn.execute(...)` or a cursor from `conn.cursor()`, then `fetchone()`). The one value
  it returns is a list holding one dict whose "Plan" is the root node; psycopg usually parses the
  JSON for you, but accept a `str` too. Do not import dojo.sql.explain: write the walk yourself.
- `nodes` lists every node depth first, a parent before its children, children in the order of
  the node's "Plans" list. `depth` is 0 for the root, 1 for its children, and so on.
- Per node: `node_type` ("Node Type"), `relation` ("Relation Name", None when absent),
  `estimated_rows` ("Plan Rows"), `actual_rows` ("Actual Rows"), `loops` ("Actual Loops"), both row
  counts PER LOOP as PostgreSQL reports them (do not multiply), `total_cost` ("Total Cost").
- `self_cost` = the node's Total Cost minus the sum of its children's Total Cost, never below 0
  (Total Cost is cumulative; a Limit that stops its child early would otherwise go negative).
- `row_error` = max(estimated, actual) / max(min(estimated, actual), 1): 1.0 for a perfect
  estimate, large for a bad one in EITHER direction.
- `PlanSummary.node_types` = the node types in `nodes` order; `costliest` = the node with the
  highest `self_cost` (on a tie, the first in `nodes` order); `misestimated(factor=10.0)` = the
  nodes, in `nodes` order, whose `row_error` is at least `factor`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStats:
    node_type: str
    relation: str | None
    depth: int
    estimated_rows: float
    actual_rows: float
    loops: int
    total_cost: float
    self_cost: float

    @property
    def row_error(self) -> float:
        """How far the estimate was off, as a factor >= 1 whichever way it was wrong."""
        raise NotImplementedError("TODO: max(estimated, actual) / max(min(estimated, actual), 1)")


@dataclass(frozen=True)
class PlanSummary:
    nodes: tuple[NodeStats, ...]

    @property
    def node_types(self) -> list[str]:
        raise NotImplementedError("TODO: the node types, in nodes order")

    @property
    def costliest(self) -> NodeStats:
        raise NotImplementedError("TODO: the node with the highest self_cost, the first on a tie")

    def misestimated(self, factor: float = 10.0) -> list[NodeStats]:
        raise NotImplementedError("TODO: the nodes whose row_error is at least factor")


def plan_summary(conn, sql: str) -> PlanSummary:
    """Run EXPLAIN (ANALYZE, FORMAT JSON) on sql and summarise every node of the plan."""
    raise NotImplementedError("TODO: run EXPLAIN (ANALYZE, FORMAT JSON), walk the plan depth first")
