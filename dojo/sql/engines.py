"""Two engines behind one small interface, so a kata's test runs unchanged on DuckDB and PostgreSQL."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: list[tuple]


class SqlError(AssertionError):
    """The engine refused the query; the message carries its error and the line it points at.

    `sqlstate` is PostgreSQL's five-character error code (42803 = grouping_error), None on DuckDB,
    which has no such codes: a test can name the error class without matching message text.
    """

    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


class Engine(Protocol):
    name: str

    def execute(self, sql: str) -> Result: ...
    def run_script(self, sql: str) -> None: ...
    def load_csv(self, table: str, path: Path) -> None: ...
    def insert(self, table: str, rows: Sequence[tuple]) -> None: ...


def line_of(sql: str, position: int | None) -> str:
    """'line N: <text>' for a 1-based character position, as PostgreSQL reports it."""
    if not position:
        return ""
    line_no = sql.count("\n", 0, position - 1) + 1
    return f" (line {line_no}: {sql.splitlines()[line_no - 1].strip()})"


class DuckDBEngine:
    name = "duckdb"

    def __init__(self):
        import duckdb

        self.conn = duckdb.connect(":memory:")

    def execute(self, sql: str) -> Result:
        import duckdb

        try:
            cursor = self.conn.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
        except duckdb.Error as exc:
            raise SqlError(f"DuckDB refused the query: {exc}") from None
        return Result(tuple(d[0] for d in cursor.description or ()), rows)

    def run_script(self, sql: str) -> None:
        self.execute(sql)

    def load_csv(self, table: str, path: Path) -> None:
        self.conn.execute(f"COPY {table} FROM '{path}' (HEADER)")

    def insert(self, table: str, rows: Sequence[tuple]) -> None:
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", list(rows))

    def close(self) -> None:
        self.conn.close()


class PostgresEngine:
    name = "postgres"

    def __init__(self, conn):
        self.conn = conn          # an autocommit psycopg connection to a fresh database

    def execute(self, sql: str) -> Result:
        import psycopg

        try:
            cursor = self.conn.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
        except psycopg.Error as exc:
            where = line_of(sql, int(exc.diag.statement_position or 0))
            raise SqlError(f"PostgreSQL refused the query: {exc.diag.message_primary or exc}{where}",
                           sqlstate=exc.sqlstate) from None
        return Result(tuple(d.name for d in cursor.description or ()), rows)

    def run_script(self, sql: str) -> None:
        self.execute(sql)

    def load_csv(self, table: str, path: Path) -> None:
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            with open(path, "rb") as source:
                while block := source.read(1 << 16):
                    copy.write(block)

    def insert(self, table: str, rows: Sequence[tuple]) -> None:
        if rows:
            marks = ", ".join(["%s"] * len(rows[0]))
            with self.conn.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", list(rows))

    def close(self) -> None:
        pass
