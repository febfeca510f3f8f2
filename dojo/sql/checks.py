"""The two checks every SQL kata test makes: against the reference on shared data, against pinned rows."""
from __future__ import annotations

from dojo.sql.compare import Rules, assert_same_result
from dojo.sql.engines import Engine, Result
from dojo.sql.query import run_kata_query, run_reference_query

ANY_ORDER = Rules()


def matches_reference(engine: Engine, kata_id: str, filename: str, rules: Rules = ANY_ORDER) -> None:
    """The learner's query returns what the reference returns on the very same data."""
    got = run_kata_query(engine, kata_id, filename)
    want = run_reference_query(engine, kata_id, filename)
    assert want.rows, f"the reference {filename} returned no rows: the test data is wrong"
    assert_same_result(got, want, rules, what=f"{filename} on {engine.name}")


def returns_rows(engine: Engine, kata_id: str, filename: str, columns: tuple[str, ...], rows: list[tuple],
                 rules: Rules = ANY_ORDER) -> None:
    """The learner's query returns exactly these hand-checked rows."""
    got = run_kata_query(engine, kata_id, filename)
    assert_same_result(got, Result(tuple(columns), rows), rules, what=f"{filename} on {engine.name}")
