"""Tests for the Spark fault-tolerance kata: run `pytest katas/mock/tools/test_spark_fault_tolerance.py`.

Plans are measured (their depth), checkpoint files looked for on disk, computations counted with
accumulators, cached blocks dropped to stand for a dead executor, and one child process starts its
own SparkSession with your retrying master (about 10 s: the session fixture's local[2] never
retries, and a SparkContext's master cannot change while it runs).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from dojo.paths import ROOT
from katas.mock.tools.spark_fault_tolerance import (
    cached,
    checkpointed,
    fail_first_attempt,
    iterate,
    local_master_with_retries,
    plan_depth,
)

pytestmark = pytest.mark.needs("spark")


@pytest.fixture
def checkpoint_dir(spark, tmp_path) -> Path:
    """The session's checkpoint directory, pointed into tmp_path for one test and put back after."""
    sc = spark.sparkContext
    previous = sc.getCheckpointDir()
    folder = tmp_path / "checkpoints"
    sc.setCheckpointDir(str(folder))
    yield folder
    if previous:
        sc.setCheckpointDir(previous)


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def add_one(df: DataFrame) -> DataFrame:
    return df.withColumn("v", F.col("v") + 1)


def start(spark) -> DataFrame:
    return spark.range(8).withColumn("v", F.col("id") * 10)


# ---------------------------------------------------------------------------------------------
# lineage: the plan's depth
# ---------------------------------------------------------------------------------------------

def five_projects(spark):
    df = spark.range(10)
    for _ in range(5):
        df = df.withColumn("v", F.col("id") + 1)
    return df


# name -> (build the DataFrame, its analyzed plan's depth)
DEPTH_CASES = {
    "a Range alone is one level": (lambda spark: spark.range(3), 1),
    "five withColumn calls: five Projects over the Range": (five_projects, 6),
    "a filter and a select": (lambda spark: spark.range(3).where("id > 0").select("id"), 3),
    "a join counts its deeper side": (
        lambda spark: spark.range(3).join(five_projects(spark).select("id"), "id"), 9),
}


@pytest.mark.parametrize("build,want", DEPTH_CASES.values(), ids=DEPTH_CASES.keys())
def test_plan_depth_counts_the_levels_of_the_analyzed_plan(spark, build, want):
    df = build(spark)
    got = plan_depth(df)
    assert got == want, (f"plan_depth(df) returned {got}, expected {want} for the analyzed plan:\n"
                         f"{df._jdf.queryExecution().analyzed().treeString()}")


def test_a_checkpoint_cuts_the_plan_to_one_level(spark, checkpoint_dir):
    df = five_projects(spark)
    before, after = plan_depth(df), plan_depth(df.checkpoint())
    assert (before, after) == (6, 1), (
        f"plan_depth before and after df.checkpoint() were {before} and {after}, expected 6 and 1 "
        f"(a checkpointed frame is a LogicalRDD read from the checkpoint files)")


# ---------------------------------------------------------------------------------------------
# an iterative job with checkpoints
# ---------------------------------------------------------------------------------------------

# name -> (steps, checkpoint_every)
ITERATE_CASES = {
    "12 steps, a checkpoint every 4": (12, 4),
    "10 steps, a checkpoint every 3 (one step after the last checkpoint)": (10, 3),
    "2 steps, a checkpoint every 5 (never reached)": (2, 5),
}


@pytest.mark.parametrize("steps,every", ITERATE_CASES.values(), ids=ITERATE_CASES.keys())
def test_iterate_gives_the_rows_of_every_step_with_a_bounded_plan(spark, checkpoint_dir, steps, every):
    called = f"iterate(df, add_one, steps={steps}, checkpoint_every={every})"
    got = iterate(start(spark), add_one, steps, every)
    written = files_under(checkpoint_dir)          # looked at before any action of ours
    assert bool(written) == (steps >= every), (
        f"{called} left {len(written)} file(s) in the checkpoint directory when it returned, expected "
        f"{'some: a reliable, eager checkpoint writes before it returns' if steps >= every else 'none'}")
    rows = sorted((row.id, row.v) for row in got.collect())
    want = [(i, i * 10 + steps) for i in range(8)]
    assert rows == want, f"{called} returned the rows {rows}, expected {want}"
    depth, limit = plan_depth(got), 1 + every
    assert depth <= limit, (f"{called} returned a plan {depth} levels deep, expected at most {limit}: "
                            f"keep the DataFrame that checkpoint() returns")


def test_iterate_with_no_steps_returns_the_frame_itself(spark, checkpoint_dir):
    df = start(spark)
    got = iterate(df, add_one, 0, 3)
    assert got is df, f"iterate(df, add_one, 0, 3) returned {got!r}, expected df itself"


def test_without_checkpoints_the_plan_grows_with_every_step(spark, checkpoint_dir):
    long_run = iterate(start(spark), add_one, 12, 100)
    short_run = iterate(start(spark), add_one, 12, 4)
    assert plan_depth(long_run) >= plan_depth(short_run) + 8, (
        f"12 steps without a checkpoint gave a plan {plan_depth(long_run)} deep, with one every 4 steps "
        f"{plan_depth(short_run)}: expected the lineage to grow by a level per step until it is cut")


# ---------------------------------------------------------------------------------------------
# what a cache protects, and what it does not
# ---------------------------------------------------------------------------------------------

def counted_squares(spark, size: int = 10):
    """An RDD of squares in 2 partitions and an accumulator that counts how often map ran."""
    calls = spark.sparkContext.accumulator(0)

    def square(x: int) -> int:
        calls.add(1)
        return x * x

    return spark.sparkContext.parallelize(range(size), 2).map(square), calls


WANT_SUM = sum(x * x for x in range(10))
KEEPERS = {"cached": cached, "checkpointed": checkpointed}


@pytest.mark.parametrize("keep", KEEPERS.values(), ids=KEEPERS.keys())
def test_materialising_computes_every_element_once_and_reuse_is_free(spark, checkpoint_dir, keep):
    rdd, calls = counted_squares(spark)
    kept = keep(rdd)
    after_keep = calls.value
    assert after_keep == 10, (f"{keep.__name__}(<RDD of 10 squares>) ran the map {after_keep} times, "
                              f"expected 10: materialised once (cache before checkpoint, or the checkpoint "
                              f"job computes it again)")
    total = kept.sum()
    assert (total, calls.value) == (WANT_SUM, 10), (
        f"sum() of {keep.__name__}(rdd) gave {total} and ran the map {calls.value - 10} more times, expected "
        f"{WANT_SUM} and 0: reuse reads the stored partitions")


def test_checkpointed_writes_files_and_cuts_the_lineage_a_cache_does_not(spark, checkpoint_dir):
    rdd_cached = cached(counted_squares(spark)[0])
    assert not rdd_cached.isCheckpointed() and not files_under(checkpoint_dir), (
        "cached(rdd) checkpointed the RDD or wrote checkpoint files: a cache lives in the block manager only")
    rdd_checked = checkpointed(counted_squares(spark)[0])
    assert rdd_checked.isCheckpointed() and files_under(checkpoint_dir), (
        f"checkpointed(rdd): isCheckpointed() is {rdd_checked.isCheckpointed()} and the checkpoint directory "
        f"holds {len(files_under(checkpoint_dir))} files, expected True and some files")


def test_lost_cached_blocks_are_recomputed_from_lineage(spark, checkpoint_dir):
    rdd, calls = counted_squares(spark)
    kept = cached(rdd)
    kept.unpersist(blocking=True)           # stands for the executor that held the blocks dying
    total = kept.sum()
    assert (total, calls.value) == (WANT_SUM, 20), (
        f"after losing its blocks, cached(rdd).sum() gave {total} with {calls.value} map calls in all, expected "
        f"{WANT_SUM} with 20: the cache protected nothing, the lineage recomputed every element")


def test_a_checkpoint_survives_lost_blocks_without_recomputing(spark, checkpoint_dir):
    rdd, calls = counted_squares(spark)
    kept = checkpointed(rdd)
    kept.unpersist(blocking=True)
    total = kept.sum()
    assert (total, calls.value) == (WANT_SUM, 10), (
        f"after losing its cached blocks, checkpointed(rdd).sum() gave {total} with {calls.value} map calls in "
        f"all, expected {WANT_SUM} with 10: the checkpoint files are read back, nothing is recomputed")


# ---------------------------------------------------------------------------------------------
# task retries
# ---------------------------------------------------------------------------------------------

MASTER_CASES = {"2 threads, 3 attempts": (2, 3, "local[2,3]"), "1 thread, 2 attempts": (1, 2, "local[1,2]"),
                "4 threads, 1 attempt": (4, 1, "local[4,1]")}


@pytest.mark.parametrize("cores,failures,want", MASTER_CASES.values(), ids=MASTER_CASES.keys())
def test_local_master_with_retries_names_threads_and_attempts(cores, failures, want):
    got = local_master_with_retries(cores, failures)
    assert got == want, f"local_master_with_retries({cores}, {failures}) returned {got!r}, expected {want!r}"


def test_the_session_without_retries_fails_on_the_injected_failure(spark):
    rdd = spark.sparkContext.parallelize(range(10), 2).mapPartitions(fail_first_attempt)
    with pytest.raises(Exception) as raised:
        rdd.sum()
    assert "injected failure: attempt 0 of partition" in str(raised.value), (
        f"rdd.mapPartitions(fail_first_attempt).sum() under local[2] raised {str(raised.value)[:400]!r}, "
        f"expected the RuntimeError 'injected failure: attempt 0 of partition <id>' from the first attempt")


RETRY_SCENARIO = """
import json
from dojo.services.spark import build_session
from katas.mock.tools.spark_fault_tolerance import fail_first_attempt

spark = build_session()
spark.sparkContext.setLogLevel("OFF")
sc = spark.sparkContext
sc.setJobGroup("retry", "one failure per task")
total = sc.parallelize(range(10), 2).mapPartitions(fail_first_attempt).sum()
tracker = sc.statusTracker()
stages = [stage for job in tracker.getJobIdsForGroup("retry") for stage in tracker.getJobInfo(job).stageIds]
failed = sum(tracker.getStageInfo(stage).numFailedTasks for stage in stages)
print(json.dumps({"sum": total, "failed_attempts": failed}))
spark.stop()
"""


def test_with_retries_each_task_fails_once_and_the_job_succeeds():
    master = local_master_with_retries(2, 2)
    # its own JVM: a gateway inherited from a warm verify run would hand back the running local[2] context
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYSPARK_GATEWAY_")}
    env["DOJO_SPARK_MASTER"] = master
    done = subprocess.run([sys.executable, "-c", RETRY_SCENARIO], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, (
        f"a session on {master!r} running sc.parallelize(range(10), 2).mapPartitions(fail_first_attempt).sum() "
        f"exited with {done.returncode}; its stderr ends:\n{done.stderr[-1500:]}")
    got = json.loads(lines[-1])
    want = {"sum": 45, "failed_attempts": 2}
    assert got == want, (f"under {master!r} the job reported {got}, expected {want}: each of the 2 tasks fails "
                         f"once, is retried, and the retry passes the rows through")
