"""Read PostgreSQL plans (EXPLAIN ... FORMAT JSON) as data: node types, indexes, pruning, row estimates."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class PlanNode:
    node_type: str
    relation: str | None
    index: str | None
    estimated_rows: float
    actual_rows: float | None        # None unless EXPLAIN ANALYZE
    total_cost: float
    raw: dict


def explain(conn, sql: str, analyze: bool = False, params=None) -> dict:
    """The top plan dict of EXPLAIN (FORMAT JSON); ANALYZE runs the query for real."""
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    row = conn.execute(f"EXPLAIN ({options}) {sql}", params).fetchone()
    document = row[0] if not isinstance(row[0], str) else json.loads(row[0])
    return document[0]["Plan"]


def walk(plan: dict) -> Iterator[PlanNode]:
    """Every node of the plan, depth first, parents before children."""
    yield PlanNode(
        node_type=plan["Node Type"], relation=plan.get("Relation Name"), index=plan.get("Index Name"),
        estimated_rows=plan.get("Plan Rows", 0.0), actual_rows=plan.get("Actual Rows"),
        total_cost=plan.get("Total Cost", 0.0), raw=plan)
    for child in plan.get("Plans", []):
        yield from walk(child)


def node_types(plan: dict) -> list[str]:
    return [node.node_type for node in walk(plan)]


def indexes_used(plan: dict) -> set[str]:
    return {node.index for node in walk(plan) if node.index}


def relations_scanned(plan: dict) -> set[str]:
    """Tables (or partitions) the plan reads: what is left after partition pruning."""
    return {node.relation for node in walk(plan) if node.relation}
