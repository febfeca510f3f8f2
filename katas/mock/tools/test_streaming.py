"""Tests for the Structured Streaming kata: run `pytest katas/mock/tools/test_streaming.py`.

JSON files are dropped into a folder (written aside, then renamed in, as a producer should), and
the job runs with trigger(availableNow=True): it reads what is there and stops, so the runs are
deterministic with no sleeping. Three runs share one source, output and checkpoint: a first run,
a restart after new files arrive, and a restart with nothing new.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from katas.mock.tools.streaming import EVENT_SCHEMA, run_available, windowed_totals

pytestmark = pytest.mark.needs("spark")

WANT_TYPES = [("window_start", "timestamp"), ("window_end", "timestamp"), ("user", "string"),
              ("events", "bigint"), ("amount", "double")]


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-12-01T{hhmm}:00")


def event(user: str, hhmm: str, amount: float) -> dict:
    return {"user": user, "event_time": f"2026-12-01T{hhmm}:00Z", "amount": amount}


def total(start: str, end: str, user: str, events: int, amount: float) -> tuple:
    return (at(start), at(end), user, events, amount)


def drop_file(folder: Path, name: str, events: list[dict]) -> None:
    """Write aside, then rename into the watched folder: the source never sees half a file."""
    aside = folder.parent / f".{name}.tmp"
    aside.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    aside.rename(folder / name)


# ---------------------------------------------------------------------------------------------
# the aggregation, on static data
# ---------------------------------------------------------------------------------------------

# name -> (events, window, the expected rows)
TOTALS_CASES = {
    "two users in one window, one in the next": (
        [event("ann", "10:01", 1.0), event("bob", "10:05", 2.0), event("ann", "10:09", 4.0),
         event("ann", "10:12", 3.0)], "10 minutes",
        [total("10:00", "10:10", "ann", 2, 5.0), total("10:00", "10:10", "bob", 1, 2.0),
         total("10:10", "10:20", "ann", 1, 3.0)]),
    "an event exactly at a window's end starts the next window": (
        [event("ann", "10:00", 1.0), event("ann", "10:10", 2.0)], "10 minutes",
        [total("10:00", "10:10", "ann", 1, 1.0), total("10:10", "10:20", "ann", 1, 2.0)]),
    "tumbling 30-minute windows: each event counted once": (
        [event("cy", "10:05", 1.5), event("cy", "10:29", 1.5), event("cy", "10:31", 2.0)], "30 minutes",
        [total("10:00", "10:30", "cy", 2, 3.0), total("10:30", "11:00", "cy", 1, 2.0)]),
}


@pytest.mark.parametrize("events,window,want", TOTALS_CASES.values(), ids=TOTALS_CASES.keys())
def test_windowed_totals_counts_and_sums_per_user_and_tumbling_window(spark, events, window, want):
    df = spark.read.schema(EVENT_SCHEMA).json(spark.sparkContext.parallelize([json.dumps(e) for e in events]))
    got = windowed_totals(df, window, "10 minutes")
    called = f"windowed_totals(<{len(events)} events>, {window!r}, '10 minutes')"
    assert got.dtypes == WANT_TYPES, f"{called} has the columns {got.dtypes}, expected {WANT_TYPES}"
    rows = sorted(tuple(row) for row in got.collect())
    assert rows == sorted(want), f"{called} returned\n{rows}\nexpected\n{sorted(want)}"


# ---------------------------------------------------------------------------------------------
# the streaming job: a run, a restart with new files, a restart with nothing new
# ---------------------------------------------------------------------------------------------

FIRST_DROP = [event("ann", "10:01", 1.0), event("bob", "10:05", 2.0), event("ann", "10:12", 3.0),
              event("ann", "10:31", 4.0)]
SECOND_DROP = [event("ann", "10:25", 5.0),     # late, but its window (10:20-10:30) is still open
               event("bob", "10:02", 9.0),     # too late: 10:00-10:10 was final and written in run 1
               event("cy", "10:55", 1.0)]      # its window stays open after run 2

AFTER_FIRST = [total("10:00", "10:10", "ann", 1, 1.0), total("10:00", "10:10", "bob", 1, 2.0),
               total("10:10", "10:20", "ann", 1, 3.0)]
AFTER_SECOND = AFTER_FIRST + [total("10:20", "10:30", "ann", 1, 5.0), total("10:30", "10:40", "ann", 1, 4.0)]


@pytest.fixture(scope="module")
def three_runs(spark, tmp_path_factory):
    """Run, drop new files, run again, run a third time with nothing new; what each run returned and left."""
    base = tmp_path_factory.mktemp("streaming")
    source, output, checkpoint = base / "events", base / "totals", base / "checkpoint"
    source.mkdir()

    def run() -> tuple[int, list[tuple]]:
        read = run_available(spark, str(source), str(output), str(checkpoint))
        rows = sorted(tuple(row) for row in spark.read.parquet(str(output)).collect()) if output.exists() else []
        return read, rows

    drop_file(source, "part-1.json", FIRST_DROP)
    first = run()
    drop_file(source, "part-2.json", SECOND_DROP)
    second = run()
    third = run()
    return {"first": first, "second": second, "third": third, "checkpoint": checkpoint}


def test_the_first_run_writes_only_the_windows_the_watermark_has_closed(three_runs):
    read, rows = three_runs["first"]
    assert read == len(FIRST_DROP), f"the first run_available(...) returned {read}, expected {len(FIRST_DROP)} rows read"
    assert rows == sorted(AFTER_FIRST), (
        f"after the first run the output held\n{rows}\nexpected\n{sorted(AFTER_FIRST)}\n(watermark 10:31 - 10 "
        f"minutes = 10:21: the windows ending by 10:20 are final; 10:30-10:40 waits in the state)")


def test_a_restart_reads_only_the_new_file_and_continues_the_open_windows(three_runs):
    read, rows = three_runs["second"]
    assert read == len(SECOND_DROP), (
        f"the restart returned {read} rows read, expected {len(SECOND_DROP)}: only the new file (the checkpoint "
        f"remembers which files were read)")
    assert rows == sorted(AFTER_SECOND), (
        f"after the restart the output held\n{rows}\nexpected\n{sorted(AFTER_SECOND)}\n(ann 10:25 joins the "
        f"still-open 10:20-10:30 window, ann 10:31 comes back from the saved state, bob 10:02 is past the "
        f"watermark and dropped, nothing is written twice)")


def test_a_restart_with_nothing_new_reads_nothing_and_changes_nothing(three_runs):
    read, rows = three_runs["third"]
    assert (read, rows) == (0, sorted(AFTER_SECOND)), (
        f"a third run with no new file read {read} rows and left\n{rows}\nexpected 0 rows read and the output "
        f"unchanged:\n{sorted(AFTER_SECOND)}")


def test_the_checkpoint_holds_offsets_commits_and_state(three_runs):
    checkpoint = three_runs["checkpoint"]
    found = sorted(path.name for path in checkpoint.iterdir()) if checkpoint.exists() else []
    assert {"offsets", "commits", "state"} <= set(found), (
        f"the checkpoint location holds {found}, expected offsets, commits and state (pass it as the "
        f"checkpointLocation option)")
