"""Tests for the idempotent incremental load: run `pytest katas/day3/etl/test_idempotent.py`.

Each test gets a fresh PostgreSQL database (`pg_dsn`); the test writes the source table itself.
A crash is simulated by raising Crash from the on_step hook at one step of a run: the run must
leave the database as it was, and the next run must end exactly as one clean run would. The oracle
is the source table: after a successful run the target is a copy of it.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from katas.day3.etl.idempotent import PIPELINE, SOURCE_DDL, STEPS, LoadReport, Watermark, run_load

pytestmark = pytest.mark.needs("pg")

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Crash(Exception):
    """Raised by the hook to stop a run dead at one step."""


class CrashAt:
    """An on_step hook that raises Crash on the nth call of one step, and records every call."""

    def __init__(self, step: str | None = None, nth: int = 1):
        self.step, self.nth, self.seen, self.crashed = step, nth, [], False

    def __call__(self, step: str) -> None:
        self.seen.append(step)
        if step == self.step and self.seen.count(step) == self.nth:
            self.crashed = True
            raise Crash(f"crash before {step} #{self.nth}")


def write_source(dsn: str, rows: list[tuple]) -> None:
    """Insert or update source rows (order_id, customer_id, amount, status, updated_at)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(SOURCE_DDL)
        with conn.cursor() as cur:
            cur.executemany("""
                INSERT INTO src_orders VALUES (%s, %s, %s, %s, %s) ON CONFLICT (order_id) DO UPDATE
                SET customer_id = EXCLUDED.customer_id, amount = EXCLUDED.amount,
                    status = EXCLUDED.status, updated_at = EXCLUDED.updated_at""", rows)


def table(conn, name: str) -> list[tuple]:
    exists = conn.execute("SELECT to_regclass(%s)", [name]).fetchone()[0]
    if exists is None:
        return []
    return conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def state(dsn: str) -> tuple[list[tuple], list[tuple]]:
    """(target rows, watermark rows), read on a new connection; a missing table reads as empty."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return table(conn, "dw_orders"), table(conn, "etl_watermarks")


def clean_state(dsn: str) -> tuple[list[tuple], list[tuple]]:
    """What one clean run must leave: the target a copy of the source, the watermark at its last row."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        source = table(conn, "src_orders")
    if not source:
        return [], []
    last = max(source, key=lambda r: (r[4], r[0]))
    return source, [(PIPELINE, last[4], last[0])]


def versions(dsn: str) -> dict:
    """order_id -> xmin: a row rewritten, even with the same values, gets a new xmin."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return dict(conn.execute("SELECT order_id, xmin::text FROM dw_orders").fetchall())


# Ten orders; several share one updated_at, as rows stamped by one bulk UPDATE do.
FIRST = [(i, f"c-{i % 4}", Decimal(f"{i}0.00"), "new", at(0 if i <= 6 else i)) for i in range(1, 11)]
# Then three orders change and four arrive: seven rows, four of them tied at 60 s, so batches of 3
# are [(60, 2), (60, 5), (60, 11)], [(60, 12), (61, 9), (61, 13)], [(62, 14)]: the first batch
# holds updates and a tie crosses its boundary.
CHANGES = [
    (2, "c-2", Decimal("25.00"), "paid", at(60)),
    (5, "c-1", Decimal("50.00"), "cancelled", at(60)),
    (11, "c-3", Decimal("1.10"), "new", at(60)),
    (12, "c-0", Decimal("1.20"), "new", at(60)),
    (9, "c-1", Decimal("99.99"), "shipped", at(61)),
    (13, "c-1", Decimal("1.30"), "new", at(61)),
    (14, "c-2", Decimal("1.40"), "new", at(62)),
]


def report_fields(report) -> tuple:
    assert isinstance(report, LoadReport), f"run_load returned {report!r}, expected a LoadReport"
    return report.extracted, report.inserted, report.updated, report.batches, report.watermark


# ---------------------------------------------------------------------------------------------
# Clean runs
# ---------------------------------------------------------------------------------------------

def test_the_first_run_copies_the_source_and_records_the_watermark(pg_dsn):
    write_source(pg_dsn, FIRST)
    report = run_load(pg_dsn, batch_size=4)
    want = (10, 10, 0, 3, Watermark(at(10), 10))
    assert report_fields(report) == want, \
        f"run_load(batch_size=4) on 10 new orders returned {report}, expected (extracted, inserted, updated, batches, watermark) {want}"
    assert state(pg_dsn) == clean_state(pg_dsn), \
        f"after the first run (target, watermark) is {state(pg_dsn)}, expected {clean_state(pg_dsn)}"


def test_the_next_run_loads_only_what_changed_inserting_and_updating(pg_dsn):
    write_source(pg_dsn, FIRST)
    run_load(pg_dsn, batch_size=3)
    before = versions(pg_dsn)
    write_source(pg_dsn, CHANGES)
    report = run_load(pg_dsn, batch_size=3)
    want = (7, 4, 3, 3, Watermark(at(62), 14))
    assert report_fields(report) == want, \
        f"the second run returned {report}, expected (extracted, inserted, updated, batches, watermark) {want}"
    assert state(pg_dsn) == clean_state(pg_dsn), \
        f"after the second run (target, watermark) is {state(pg_dsn)}, expected {clean_state(pg_dsn)}"
    untouched = {i for i in before if i not in {2, 5, 9}}
    rewritten = sorted(i for i in untouched if versions(pg_dsn)[i] != before[i])
    assert not rewritten, f"orders {rewritten} did not change in the source but were rewritten in the target"


def test_a_rerun_extracts_nothing_and_rewrites_nothing(pg_dsn):
    write_source(pg_dsn, FIRST)
    first = run_load(pg_dsn, batch_size=3)
    rows, marks = state(pg_dsn), versions(pg_dsn)
    again = run_load(pg_dsn, batch_size=3)
    want = (0, 0, 0, 0, first.watermark)
    assert report_fields(again) == want, f"the rerun returned {again}, expected {want}"
    assert state(pg_dsn) == rows and versions(pg_dsn) == marks, "the rerun changed or rewrote the target"


def test_rows_tied_on_updated_at_across_batch_boundaries_are_all_loaded_once(pg_dsn):
    write_source(pg_dsn, [(i, "c", Decimal("1.00"), "new", at(5)) for i in (3, 1, 4, 15, 9, 2, 6, 5)])
    report = run_load(pg_dsn, batch_size=3)
    assert (report.extracted, report.batches) == (8, 3), \
        f"8 orders with one updated_at in batches of 3 gave {report}, expected 8 rows in 3 batches"
    assert state(pg_dsn) == clean_state(pg_dsn), \
        f"target {state(pg_dsn)[0]} lost rows: a watermark on updated_at alone skips the ties of a batch boundary"
    write_source(pg_dsn, [(7, "c", Decimal("1.00"), "new", at(5)), (99, "c", Decimal("1.00"), "new", at(6))])
    later = run_load(pg_dsn, batch_size=3)
    assert report_fields(later)[:2] == (1, 1), f"the next run returned {later}, expected only order 99 (after the watermark)"


STEP_ORDERS = {
    "7 rows in batches of 3": (CHANGES, 3, ["begin", "extract", "load", "extract", "load", "extract", "load",
                                            "watermark", "commit", "done"]),
    "6 rows in batches of 3: the last query finds none": (CHANGES[:6], 3, ["begin", "extract", "load", "extract",
                                                                           "load", "extract", "watermark",
                                                                           "commit", "done"]),
    "nothing new": ([], 3, ["begin", "extract", "commit", "done"]),
}


@pytest.mark.parametrize("changes,batch_size,want", STEP_ORDERS.values(), ids=STEP_ORDERS.keys())
def test_on_step_is_called_before_each_step_in_order(pg_dsn, changes, batch_size, want):
    write_source(pg_dsn, FIRST)
    run_load(pg_dsn, batch_size=100)
    write_source(pg_dsn, changes)
    hook = CrashAt()
    run_load(pg_dsn, batch_size=batch_size, on_step=hook)
    assert hook.seen == want, f"on_step was called with {hook.seen}, expected {want}"
    assert set(hook.seen) <= set(STEPS), f"on_step got steps {set(hook.seen) - set(STEPS)} not in STEPS"


# ---------------------------------------------------------------------------------------------
# A crash at each step, then a rerun
# ---------------------------------------------------------------------------------------------

# name -> (which run crashes, step, nth call of that step). Run 2 loads CHANGES (3 batches of 3)
# on top of a loaded FIRST and is crashed at every step; run 1 (an empty database: the tables do
# not exist yet) at a few.
CRASHES = {
    "first run, before the first batch is written": (1, "load", 1),
    "first run, before the commit": (1, "commit", 1),
    "first run, after the commit": (1, "done", 1),
    "second run, before the transaction": (2, "begin", 1),
    "second run, before the first batch is written": (2, "load", 1),
    "second run, before the second query": (2, "extract", 2),
    "second run, before the second batch is written": (2, "load", 2),
    "second run, before the third query": (2, "extract", 3),
    "second run, before the last batch is written": (2, "load", 3),
    "second run, before the watermark": (2, "watermark", 1),
    "second run, before the commit": (2, "commit", 1),
    "second run, after the commit": (2, "done", 1),
}


@pytest.mark.parametrize("run,step,nth", CRASHES.values(), ids=CRASHES.keys())
def test_a_crash_at_any_step_changes_nothing_and_the_rerun_ends_as_a_clean_run(pg_dsn, run, step, nth):
    write_source(pg_dsn, FIRST)
    if run == 2:
        run_load(pg_dsn, batch_size=3)
        write_source(pg_dsn, CHANGES)
    before, want = state(pg_dsn), clean_state(pg_dsn)
    hook = CrashAt(step, nth)
    try:
        run_load(pg_dsn, batch_size=3, on_step=hook)
    except Crash:
        pass
    else:
        pytest.fail(f"on_step raised Crash before {step!r} #{nth}, but run_load returned: let it propagate"
                    if hook.crashed else
                    f"on_step was called with {hook.seen}: the test needs a call #{nth} of {step!r} to crash at")
    after_crash = state(pg_dsn)
    expected = want if step == "done" else before
    assert after_crash == expected, (
        f"a crash before {step!r} #{nth} left (target, watermark) {after_crash}, expected "
        f"{'the committed run' if step == 'done' else 'the state before the run'} {expected}: "
        "a reader must never see half a run")
    rerun = run_load(pg_dsn, batch_size=3)
    assert state(pg_dsn) == want, \
        f"after the crash and a rerun (target, watermark) is {state(pg_dsn)}, expected the clean run's {want}"
    if step == "done":
        assert rerun.extracted == 0, f"the rerun after a committed run returned {rerun}: nothing is left to extract"


# ---------------------------------------------------------------------------------------------
# Property: any sequence of source changes, runs and crashes keeps the target a copy of the source
# ---------------------------------------------------------------------------------------------

round_of_changes = st.dictionaries(st.integers(1, 12), st.tuples(st.integers(0, 2), st.sampled_from(["new", "paid"])),
                                   max_size=6)
crash_point = st.none() | st.tuples(st.sampled_from(["extract", "load", "watermark", "commit", "done"]),
                                    st.integers(1, 3))


@settings(max_examples=12, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(st.tuples(round_of_changes, crash_point, st.integers(1, 4)), min_size=1, max_size=4))
def test_any_sequence_of_changes_runs_and_crashes_keeps_the_target_a_copy_of_the_source(pg_dsn, rounds):
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS src_orders, dw_orders, etl_watermarks")
    clock = 0
    for number, (changes, crash, batch_size) in enumerate(rounds):
        clock += 10                          # a new round's timestamps come after every earlier one
        rows = [(i, f"c-{i}", Decimal(f"{i}.{tick}0"), status, at(clock + tick))
                for i, (tick, status) in changes.items()]
        write_source(pg_dsn, rows)
        if crash:
            before, hook = state(pg_dsn), CrashAt(*crash)
            try:
                run_load(pg_dsn, batch_size=batch_size, on_step=hook)
            except Crash:
                want = clean_state(pg_dsn) if crash[0] == "done" else before
                assert state(pg_dsn) == want, f"round {number} of {rounds}: a crash at {crash} left {state(pg_dsn)}"
        run_load(pg_dsn, batch_size=batch_size)
        assert state(pg_dsn) == clean_state(pg_dsn), \
            f"round {number} of {rounds}: (target, watermark) is {state(pg_dsn)}, expected {clean_state(pg_dsn)}"
