"""Checking SQL katas on DuckDB and PostgreSQL: engines, the learner's query, result comparison."""
from dojo.sql.checks import matches_reference, returns_rows
from dojo.sql.compare import Rules, assert_same_result
from dojo.sql.engines import Engine, Result, SqlError
from dojo.sql.query import run_kata_query, run_reference_query

__all__ = ["Engine", "Result", "Rules", "SqlError", "assert_same_result", "matches_reference", "returns_rows", "run_kata_query", "run_reference_query"]
