"""Tests for the PostgreSQL ETL: run `pytest katas/mock/python/test_postgres_etl.py`.

Every test gets a fresh PostgreSQL database (`pg` is an autocommit psycopg connection to it,
`pg_dsn` its DSN). A statement-level trigger shows what reached the target: which statement
(current_query()), how many rows, and in which transaction (txid_current()).
"""
from __future__ import annotations

import gc
import itertools
import tracemalloc
from decimal import Decimal

import psycopg
import pytest
from psycopg import sql

from katas.mock.python.postgres_etl import (
    RAW_DDL,
    TARGET_DDL,
    EtlReport,
    copy_rows,
    run_etl,
    stream_rows,
    transform,
)

pytestmark = pytest.mark.needs("pg")

INJECTION = "x'); DROP TABLE t; --"


def table_exists(conn, name: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", [name]).fetchone()[0]


def watch_inserts(conn, table: str = "payments") -> None:
    """Log every INSERT or COPY statement on `table`: its transaction, its text and its row count."""
    conn.execute("""
        CREATE TABLE IF NOT EXISTS statement_log (
            seq serial, txid bigint, query text, row_count bigint);
        CREATE OR REPLACE FUNCTION log_statement() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO statement_log (txid, query, row_count)
            SELECT txid_current(), current_query(), count(*) FROM new_rows;
            RETURN NULL;
        END $$""")
    conn.execute(sql.SQL("""
        CREATE TRIGGER log_each_statement AFTER INSERT ON {} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION log_statement()""").format(sql.Identifier(table)))


def statements(conn) -> list[tuple[int, str, int]]:
    """(txid, first word of the statement, rows) per logged statement, in order."""
    rows = conn.execute("SELECT txid, query, row_count FROM statement_log ORDER BY seq").fetchall()
    return [(txid, query.split()[0].upper(), count) for txid, query, count in rows]


def server_cursors(conn) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, statement FROM pg_cursors").fetchall()


# -- transform ------------------------------------------------------------------------------------------

TRANSFORMS = {
    "customer trimmed, amount with cents": ((1, "  Ada \n", "12.34"), (1, "Ada", 1234)),
    "a whole amount": ((2, "Bob", "7"), (2, "Bob", 700)),
    "one decimal is tenths": ((3, "Bob", "0.5"), (3, "Bob", 50)),
    "negative, below one": ((4, "Bob", "-0.5"), (4, "Bob", -50)),
    "spaces around the amount": ((5, "Bob", " 4.00 "), (5, "Bob", 400)),
    "large amounts stay exact": ((6, "Bob", "92233720368547758.07"), (6, "Bob", 9223372036854775807)),
    "the inside of a customer is kept verbatim": ((7, f" {INJECTION}\t", "1"), (7, INJECTION, 100)),
}


@pytest.mark.parametrize("row,want", TRANSFORMS.values(), ids=TRANSFORMS.keys())
def test_transform(row, want):
    got = transform(row)
    assert tuple(got) == want, f"transform({row!r}) returned {got!r}, expected {want!r}"


BAD_AMOUNTS = ["", "abc", "1.234", "1e3", "NaN", ".5", "12.", "1,000", "--1", "+-1"]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_transform_refuses_an_amount_that_is_not_a_plain_decimal(amount):
    with pytest.raises(ValueError) as raised:
        transform((4242, "Ada", amount))
    assert "4242" in str(raised.value), (
        f"transform((4242, 'Ada', {amount!r})) raised {raised.value!r}; the message should name payment 4242")


# -- stream_rows ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("batch_size", [1, 3, 10, 1000])
def test_stream_rows_gives_every_row_in_order_whatever_the_batch_size(pg, batch_size):
    query = "SELECT g, 'row ' || g FROM generate_series(%s::int, %s::int) AS g ORDER BY g"
    got = list(stream_rows(pg, query, [1, 10], batch_size=batch_size))
    want = [(g, f"row {g}") for g in range(1, 11)]
    assert got == want, f"stream_rows({query!r}, [1, 10], batch_size={batch_size}) gave {got}, expected {want}"


def test_stream_rows_reads_through_a_server_side_cursor(pg):
    rows = stream_rows(pg, "SELECT g FROM generate_series(1, %s::int) AS g", [50], batch_size=10)
    first = next(rows)
    during = server_cursors(pg)
    rest = list(rows)
    after = server_cursors(pg)
    assert first == (1,) and len(rest) == 49, f"stream_rows gave {first} then {len(rest)} more rows, expected 50 in all"
    assert any("generate_series" in statement for _, statement in during), (
        f"after the first row, pg_cursors listed {during}: no server-side cursor holds the query. A plain cursor "
        f"(even iterated) makes libpq read the WHOLE result into memory first: use conn.cursor(name=...)")
    assert after == [], f"once every row was read, pg_cursors still listed {after}: close the cursor"


def test_stream_rows_binds_values_as_parameters(pg):
    pg.execute("CREATE TABLE t (x int)")
    query = "SELECT %s::text, length(%s)"
    got = list(stream_rows(pg, query, [INJECTION, INJECTION]))
    assert got == [(INJECTION, len(INJECTION))], (
        f"stream_rows({query!r}, [{INJECTION!r}, ...]) gave {got}; expected the string back verbatim")
    assert table_exists(pg, "t"), f"table t is gone after stream_rows was given {INJECTION!r}: that is SQL injection"


# -- copy_rows ------------------------------------------------------------------------------------------------

NASTY_TEXT = ["plain", "tab\there", "new\nline", "crlf\r\nline", "back\\slash", "\\N", "", 'quote " and \'',
              "comma, semicolon;", "東京 naïve", INJECTION, "  padded  "]


def test_copy_rows_loads_text_verbatim_with_one_copy_statement(pg):
    pg.execute(TARGET_DDL)
    watch_inserts(pg)
    rows = [(i, text, i * 100 - 500) for i, text in enumerate(NASTY_TEXT, start=1)]
    with pg.transaction():
        written = copy_rows(pg, "payments", ["id", "customer", "amount_cents"], iter(rows))
    got = pg.execute("SELECT id, customer, amount_cents FROM payments ORDER BY id").fetchall()
    assert got == rows, f"copy_rows stored {got}; expected exactly {rows}"
    assert written == len(rows), f"copy_rows returned {written}, expected {len(rows)}"
    seen = [(word, count) for _, word, count in statements(pg)]
    assert seen == [("COPY", len(rows))], (
        f"the target saw the statements {seen} (first word, rows); expected one COPY of {len(rows)} rows")


def test_copy_rows_quotes_table_and_column_names_as_identifiers(pg):
    table, columns = 'odd "table"; name', ["id", "the value"]
    pg.execute('CREATE TABLE "odd ""table""; name" (id int, "the value" text)')
    copy_rows(pg, table, columns, [(1, "a"), (2, INJECTION)])
    got = pg.execute('SELECT id, "the value" FROM "odd ""table""; name" ORDER BY id').fetchall()
    assert got == [(1, "a"), (2, INJECTION)], f"copy_rows into {table!r} stored {got}"


# -- run_etl ------------------------------------------------------------------------------------------------

def load_raw(conn, rows: list[tuple[int, str, str]]) -> None:
    conn.execute(RAW_DDL)
    with conn.cursor() as cursor:
        cursor.executemany("INSERT INTO raw_payments (id, customer, amount) VALUES (%s, %s, %s)", rows)


def expected(rows: list[tuple[int, str, str]]) -> list[tuple[int, str, int]]:
    """The oracle: exact cents through Decimal."""
    return [(i, customer.strip(), int(Decimal(amount.strip()) * 100)) for i, customer, amount in rows]


def target(conn) -> list[tuple]:
    return conn.execute("SELECT id, customer, amount_cents FROM payments ORDER BY id").fetchall()


def simple_rows(n: int) -> list[tuple[int, str, str]]:
    return [(i, f"customer {i % 3}", f"{i}.{i % 100:02d}") for i in range(1, n + 1)]


def test_run_etl_creates_the_target_and_stores_every_customer_verbatim(pg, pg_dsn):
    pg.execute("CREATE TABLE t (x int)")
    raw = [(i, text, f"{i}.5") for i, text in enumerate(NASTY_TEXT, start=1)]
    load_raw(pg, raw)
    report = run_etl(pg_dsn, batch_size=5)
    assert report == EtlReport(batches=3, rows=len(raw)), f"run_etl(batch_size=5) on {len(raw)} rows returned {report}"
    assert target(pg) == expected(raw), f"payments holds {target(pg)}; expected {expected(raw)}"
    assert table_exists(pg, "t"), f"table t is gone after loading the customer {INJECTION!r}"


def test_run_etl_commits_each_batch_as_one_copy_in_its_own_transaction(pg, pg_dsn):
    load_raw(pg, simple_rows(10))
    pg.execute(TARGET_DDL)
    watch_inserts(pg)
    report = run_etl(pg_dsn, batch_size=4)
    seen = statements(pg)
    shape = [(word, count) for _, word, count in seen]
    assert report == EtlReport(batches=3, rows=10), f"run_etl(batch_size=4) on 10 rows returned {report}"
    assert shape == [("COPY", 4), ("COPY", 4), ("COPY", 2)], (
        f"the target saw {shape} (statement, rows); expected one COPY per batch of 4: [COPY 4, COPY 4, COPY 2]")
    transactions = [txid for txid, _, _ in seen]
    assert len(set(transactions)) == 3, (
        f"the 3 batches ran in transactions {transactions}; each batch must commit in its own transaction")
    assert target(pg) == expected(simple_rows(10)), f"payments holds {target(pg)}"
    again = run_etl(pg_dsn, batch_size=4)
    assert again == EtlReport(0, 0) and len(statements(pg)) == 3, (
        f"a rerun with nothing new returned {again} and the target saw {len(statements(pg)) - 3} more statements")


def transform_rejects_payment_8(conn) -> str:
    conn.execute("UPDATE raw_payments SET amount = 'eight' WHERE id = 8")
    return "UPDATE raw_payments SET amount = '8.08' WHERE id = 8"


def database_rejects_payment_8(conn) -> str:
    conn.execute(TARGET_DDL)
    conn.execute("ALTER TABLE payments ADD CONSTRAINT below_a_thousand CHECK (amount_cents < 100000)")
    conn.execute("UPDATE raw_payments SET amount = '5000.00' WHERE id = 8")
    return "ALTER TABLE payments DROP CONSTRAINT below_a_thousand; UPDATE raw_payments SET amount = '8.08' WHERE id = 8"


FAILURES = {
    "transform rejects payment 8": (transform_rejects_payment_8, ValueError),
    "a CHECK constraint rejects payment 8": (database_rejects_payment_8, psycopg.Error),
}


@pytest.mark.parametrize("break_payment_8,error", FAILURES.values(), ids=FAILURES.keys())
def test_a_failed_batch_leaves_earlier_batches_committed_and_a_rerun_resumes(pg, pg_dsn, break_payment_8, error):
    load_raw(pg, simple_rows(10))
    fix = break_payment_8(pg)
    with pytest.raises(error):
        run_etl(pg_dsn, batch_size=3)             # batches: 1-3, 4-6, 7-9 (holds 8), 10
    ids = [row[0] for row in target(pg)] if table_exists(pg, "payments") else []
    assert ids == [1, 2, 3, 4, 5, 6], (
        f"after payment 8 failed in batch 3 of 3 rows, payments holds ids {ids}; expected batches 1 and 2 "
        f"committed ([1..6]) and nothing of batch 3")
    pg.execute(fix)
    resumed = run_etl(pg_dsn, batch_size=3)
    want, got = expected(simple_rows(10)), target(pg)
    assert resumed == EtlReport(batches=2, rows=4), (
        f"after the fix, the rerun returned {resumed}; expected EtlReport(batches=2, rows=4): ids 7-9, then 10")
    assert got == want, f"after the rerun payments holds {got}, expected {want}"


# -- memory (last: the slowest test) ----------------------------------------------------------------

MILLION = 1_000_000
TRACED_ROWS = 100_000        # tracemalloc watches the stream's first rows (see below)
STREAM_BATCH = 5_000
STREAM_PEAK_LIMIT = 2 * 2**20


def peak_bytes(call):
    """(call's result, tracemalloc's peak while it ran)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def last_of(rows) -> int:
    """The last row's value, holding nothing else."""
    last = None
    for (value,) in rows:
        last = value
    return last


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_stream_rows_streams_a_million_rows_in_bounded_memory(pg):
    # Tracing every allocation of 10^6 rows would cost ~5 s here, so tracemalloc watches the first
    # TRACED_ROWS: a result fetched whole (fetchall, list(cursor)) is in memory by the first row.
    query = "SELECT g FROM generate_series(1, %s::int) AS g"
    rows = stream_rows(pg, query, [MILLION], batch_size=STREAM_BATCH)
    head, yours = peak_bytes(lambda: last_of(itertools.islice(rows, TRACED_ROWS)))
    count, total = TRACED_ROWS, TRACED_ROWS * (TRACED_ROWS + 1) // 2
    for (g,) in rows:
        count += 1
        total += g
    assert head == TRACED_ROWS and (count, total) == (MILLION, MILLION * (MILLION + 1) // 2), (
        f"streaming {query!r} with {MILLION} gave {count} rows summing to {total}; row {TRACED_ROWS} was {head}")
    fetched, everything = peak_bytes(lambda: pg.execute(query, [MILLION // 5]).fetchall())
    mib = 2**20
    report = (f"tracemalloc peak over the first {TRACED_ROWS:,} of {MILLION:,} rows streamed at batch_size="
              f"{STREAM_BATCH:,}: {yours / mib:.2f} MiB; fetchall() of {MILLION // 5:,} rows: {everything / mib:.1f} MiB")
    assert len(fetched) == MILLION // 5 and everything > 5 * STREAM_PEAK_LIMIT, f"the baseline did not hold: {report}"
    assert yours < STREAM_PEAK_LIMIT, (f"{report}; allowed {STREAM_PEAK_LIMIT / mib:.0f} MiB: fetch batch_size rows at "
                                       f"a time (cursor.itersize), never fetchall()")
