"""Run a SQL kata's query file (the learner's, through the switch) or the reference's."""
from __future__ import annotations

from pathlib import Path

from dojo import impl
from dojo.sql.engines import Engine, Result

STUB_COLUMN = "todo"


def read_query(path: Path) -> str:
    if not path.exists():
        raise AssertionError(f"{path} is missing: write your query there")
    return path.read_text(encoding="utf-8")


def execute_file(engine: Engine, path: Path) -> Result:
    sql = read_query(path)
    result = engine.execute(sql)
    if result.columns == (STUB_COLUMN,):
        raise AssertionError(f"{path.name} is still the stub: replace `SELECT 'TODO' AS todo` with your query")
    return result


def run_kata_query(engine: Engine, kata_id: str, filename: str) -> Result:
    """The learner's query (or the reference in --impl solutions), run on engine."""
    return execute_file(engine, impl.kata_file(kata_id, filename))


def run_reference_query(engine: Engine, kata_id: str, filename: str) -> Result:
    """The reference query: expected results are right by construction, on the very same data."""
    return execute_file(engine, impl.reference_file(kata_id, filename))
