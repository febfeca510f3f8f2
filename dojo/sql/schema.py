"""The data_gen tables as portable DDL (DuckDB and PostgreSQL read the same statements)."""
from __future__ import annotations

TABLES = {
    "users": """CREATE TABLE users (
        user_id INTEGER PRIMARY KEY, name VARCHAR, email VARCHAR, region VARCHAR, signup_date DATE)""",
    "transactions": """CREATE TABLE transactions (
        transaction_id BIGINT PRIMARY KEY, user_id INTEGER, amount NUMERIC(12, 2), currency VARCHAR,
        status VARCHAR, region VARCHAR, ts TIMESTAMP)""",
}


def create(engine, *names: str) -> None:
    for name in names:
        engine.run_script(TABLES[name])
