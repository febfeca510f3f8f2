"""SQL engines as fixtures: each SQL kata test runs on DuckDB (embedded) and on PostgreSQL."""
from __future__ import annotations

import pytest

from dojo.sql import schema
from dojo.sql.engines import DuckDBEngine, PostgresEngine

ENGINES = ("duckdb", "postgres")


@pytest.fixture(params=ENGINES)
def sql_engine(request):
    """A fresh, empty database on each engine in turn: DuckDB in-process, then PostgreSQL."""
    if request.param == "duckdb":
        engine = DuckDBEngine()
        yield engine
        engine.close()
    else:
        yield PostgresEngine(request.getfixturevalue("pg"))


@pytest.fixture
def pg_engine(pg):
    """A fresh PostgreSQL database behind the engine interface, for PostgreSQL-only katas."""
    return PostgresEngine(pg)


@pytest.fixture
def empty_shop(sql_engine):
    """The engine under test with empty users and transactions tables, for hand-made edge cases."""
    schema.create(sql_engine, "users", "transactions")
    return sql_engine


SHOP_USERS = 200
SHOP_TRANSACTIONS = 3000


@pytest.fixture
def shop_db(sql_engine, dataset):
    """The engine under test holding data_gen's users and transactions (seed 7, 200 users, 3,000 rows)."""
    schema.create(sql_engine, "users", "transactions")
    sql_engine.load_csv("users", dataset("users", rows=SHOP_USERS))
    sql_engine.load_csv("transactions", dataset("transactions", rows=SHOP_TRANSACTIONS, users=SHOP_USERS))
    return sql_engine
