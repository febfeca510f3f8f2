"""Tests for the restartable three-stage Spark job: run `pytest katas/mock/tools/test_large_etl.py`.

`spark` is the harness's shared SparkSession. The data is tiny (40 orders) and seeded: the point is
the commit protocol and the restart, not the volume. A crash is injected through the job's hook.
"""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from katas.mock.tools.large_etl import MARKER, STAGES, JobReport, run_job

pytestmark = pytest.mark.needs("spark")

COUNTRIES = {"c-0": "DE", "c-1": "FR", "c-2": "DE", "c-3": "PL"}     # c-4 and c-5 are unknown
BAD_LINES = ["x1,c-1,5.00,2024-05-01",          # order_id is not a number
             "41, ,5.00,2024-05-01",            # blank customer
             "42,c-1,ten,2024-05-01",           # amount is not a number
             "43,c-2,5.00,2024-02-30",          # not a calendar date
             "44,c-3,5.00,"]                    # no date


def make_orders(seed: int = 14, count: int = 40) -> list[tuple]:
    rng = random.Random(seed)
    return [(order_id, f"c-{rng.randrange(6)}", Decimal(rng.randrange(100, 10_000)) / 100,
             date(2024, 5, rng.randrange(1, 4))) for order_id in range(1, count + 1)]


ORDERS = make_orders()


def expected_rows() -> list[tuple]:
    """(order_date, country, orders, revenue) computed in plain Python from ORDERS."""
    groups: dict[tuple, list] = defaultdict(lambda: [0, Decimal("0.00")])
    for _, customer, amount, day in ORDERS:
        group = groups[(day, COUNTRIES.get(customer, "unknown"))]
        group[0] += 1
        group[1] += amount
    return sorted((day, country, n, revenue) for (day, country), (n, revenue) in groups.items())


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path]:
    orders = tmp_path / "orders.csv"
    lines = [f" {i} ,{c},{a},{d.isoformat()}" for i, c, a, d in ORDERS] + BAD_LINES
    orders.write_text("order_id,customer_id,amount,order_date\n" + "\n".join(lines) + "\n", encoding="utf-8")
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,country\n" + "".join(f"{c},{k}\n" for c, k in COUNTRIES.items()),
                         encoding="utf-8")
    return orders, customers


def result_rows(spark, work: Path) -> list[tuple]:
    frame = spark.read.parquet(str(work / "aggregate"))
    return sorted(tuple(row) for row in frame.select("order_date", "country", "orders", "revenue").collect())


def file_stamps(folder: Path) -> dict[str, int]:
    """name -> mtime_ns of every file in a stage folder: any rewrite changes it."""
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


class Crash(Exception):
    """The injected failure."""


class Recorder:
    """A hook that records (stage, step) and can crash at one of them, optionally losing the last temp files first."""

    def __init__(self, work: Path, crash_at: tuple[str, str] | None = None, tear_temp: bool = False):
        self.work, self.crash_at, self.tear_temp = work, crash_at, tear_temp
        self.calls: list[tuple[str, str]] = []
        self.final_seen_while_written: bool | None = None

    def __call__(self, stage: str, step: str) -> None:
        self.calls.append((stage, step))
        if (stage, step) != self.crash_at:
            return
        if step == "written":
            self.final_seen_while_written = (self.work / stage).exists()
            if self.tear_temp:                    # a crash before the last files were written
                parts = sorted((self.work / f"{stage}.tmp").glob("part-*"))
                for part in parts[(len(parts) + 1) // 2:]:
                    part.unlink()
        raise Crash(f"injected crash in {stage} at {step}")


def test_an_uninterrupted_run_writes_every_stage_with_its_marker(spark, inputs, tmp_path):
    work = tmp_path / "work"
    hook = Recorder(work)
    report = run_job(spark, *inputs, work, hook=hook)
    assert report == JobReport(ran=list(STAGES), skipped=[]), f"run_job on an empty work folder returned {report}"
    got = result_rows(spark, work)
    assert got == expected_rows(), f"work/aggregate holds {got}, expected {expected_rows()}"
    for stage in STAGES:
        folder = work / stage
        assert (folder / MARKER).is_file() and list(folder.glob("*.parquet")), \
            f"{folder} holds {sorted(p.name for p in folder.iterdir()) if folder.exists() else 'nothing'}: " \
            "expected Parquet files and _SUCCESS"
    leftovers = sorted(p.name for p in work.iterdir() if p.name.endswith(".tmp"))
    assert not leftovers, f"temp folders left behind after a clean run: {leftovers}"
    want_calls = [(stage, step) for stage in STAGES for step in ("start", "written", "renamed", "committed")]
    assert hook.calls == want_calls, f"the hook was called {hook.calls}, expected {want_calls}"


def test_the_success_marker_is_created_by_the_commit_not_by_spark(spark, inputs, tmp_path):
    work = tmp_path / "work"
    hook = Recorder(work, crash_at=("clean", "written"))
    with pytest.raises(Crash):
        run_job(spark, *inputs, work, hook=hook)
    temp_marker = work / "clean.tmp" / MARKER
    assert not temp_marker.exists(), \
        f"{temp_marker} exists before the rename: Spark's writer made it; switch it off so only the commit marks done"


def test_a_rerun_of_a_finished_job_skips_every_stage_and_touches_nothing(spark, inputs, tmp_path):
    work = tmp_path / "work"
    run_job(spark, *inputs, work)
    before = {stage: file_stamps(work / stage) for stage in STAGES}
    hook = Recorder(work)
    report = run_job(spark, *inputs, work, hook=hook)
    assert report == JobReport(ran=[], skipped=list(STAGES)), f"a rerun of a finished job returned {report}"
    assert hook.calls == [], f"a rerun of a finished job called the hook with {hook.calls}: nothing should run"
    after = {stage: file_stamps(work / stage) for stage in STAGES}
    assert after == before, "a rerun of a finished job rewrote files of a committed stage"


CRASHES = {
    "before stage two computes": ("start", False),
    "during stage two's write (the last temp files lost)": ("written", True),
    "after stage two's rename, before its marker": ("renamed", False),
}


@pytest.mark.parametrize("step,tear", CRASHES.values(), ids=CRASHES.keys())
def test_after_a_crash_in_stage_two_the_rerun_skips_stage_one_and_ends_as_a_clean_run(spark, inputs, tmp_path,
                                                                                    step, tear):
    work = tmp_path / "work"
    hook = Recorder(work, crash_at=("enrich", step), tear_temp=tear)
    with pytest.raises(Crash):
        run_job(spark, *inputs, work, hook=hook)
    if step == "written":
        assert hook.final_seen_while_written is False, \
            "work/enrich existed while stage two was still being written: write to work/enrich.tmp, then rename"
    assert not (work / "enrich" / MARKER).exists(), "the crashed stage two is marked done"
    stage_one = file_stamps(work / "clean")

    rerun_hook = Recorder(work)
    report = run_job(spark, *inputs, work, hook=rerun_hook)
    assert report == JobReport(ran=["enrich", "aggregate"], skipped=["clean"]), \
        f"the rerun after a crash in enrich at {step!r} returned {report}, " \
        "expected ran=['enrich', 'aggregate'], skipped=['clean'] (a folder without _SUCCESS is not done)"
    assert ("clean", "start") not in rerun_hook.calls, "the rerun started stage one again"
    assert file_stamps(work / "clean") == stage_one, "the rerun rewrote stage one's committed files"
    got = result_rows(spark, work)
    assert got == expected_rows(), \
        f"after a crash in enrich at {step!r} and a rerun, work/aggregate holds {got}, " \
        f"expected what an uninterrupted run writes: {expected_rows()}"
    assert not (work / "enrich.tmp").exists(), "the rerun left work/enrich.tmp behind"
