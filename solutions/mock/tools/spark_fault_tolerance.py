"""Spark fault tolerance: lineage, checkpoints that cut it, task retries, and what a cache is not.

Interviewers ask "how does Spark handle failures?" and listen for: every DataFrame or RDD
remembers its lineage (how to compute it from the source), so a lost partition is recomputed,
not restored; a failed task is retried on another slot (spark.task.maxFailures, default 4 on a
cluster); a long lineage (an iterative job) is cut with a reliable checkpoint written to HDFS or
S3; and a cache speeds reuse but protects nothing. Each function below makes one of those visible.

    df = spark.range(10); for _ in range(5): df = df.withColumn("v", F.col("id") + 1)
    plan_depth(df)                                  -> 6    (5 Projects over a Range)
    plan_depth(df.checkpoint())                     -> 1    (a LogicalRDD: the lineage is cut)
    iterate(df, step, steps=12, checkpoint_every=4) -> step applied 12 times, plan depth <= 4 steps
    local_master_with_retries(2, 3)                 -> "local[2,3]"
    rdd.mapPartitions(fail_first_attempt).sum()     -> fails under local[2], succeeds under local[2,3]

Requirements
- `plan_depth(df)`: the number of levels of df's analyzed logical plan
  (`df._jdf.queryExecution().analyzed()`): a leaf alone is 1, a node is 1 + its deepest child.
- `iterate(df, step, steps, checkpoint_every)`: apply `step` (a DataFrame -> DataFrame function)
  `steps` times. After every `checkpoint_every`-th step, replace the frame with a RELIABLE, EAGER
  checkpoint (`DataFrame.checkpoint()`; the caller has set the checkpoint directory): its files
  are written before the next step starts, and the plan restarts from them. So the returned plan
  never holds more than `checkpoint_every` steps, and the checkpoint directory holds files when
  steps >= checkpoint_every. steps == 0 returns df itself.
- `cached(rdd)` and `checkpointed(rdd)`: rdd persisted (cached) or reliably checkpointed, and
  materialised before returning, each computing rdd's elements exactly ONCE in total (the tests
  count the calls of rdd's map function with an accumulator). For `checkpointed`, the checkpoint
  job re-runs the lineage unless the RDD is cached first. The tests then show the difference: after
  the cached blocks are lost (unpersist stands for a dead executor), the cached RDD is recomputed
  from its lineage, the checkpointed one is read back from its files with no recomputation.
- `local_master_with_retries(cores, max_failures)`: the master URL of local mode with `cores`
  threads where a task may fail up to `max_failures` times in all (plain `local[N]` never retries).
- `fail_first_attempt(rows)`: a mapPartitions function that raises
  `RuntimeError("injected failure: attempt 0 of partition <id>")` in the first attempt of every
  task (pyspark.TaskContext tells the attempt number and partition id) and yields the rows
  unchanged on any later attempt. The tests run it in the session (local[2]: the job fails) and in
  a child process whose session uses your master (it succeeds, with one failed attempt per task).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from pyspark import RDD, TaskContext
from pyspark.sql import DataFrame


def plan_depth(df: DataFrame) -> int:
    """Levels of the analyzed logical plan, walked through its Java tree."""
    def depth(node) -> int:
        children = node.children()
        return 1 + max((depth(children.apply(i)) for i in range(children.size())), default=0)

    return depth(df._jdf.queryExecution().analyzed())


def iterate(df: DataFrame, step: Callable[[DataFrame], DataFrame], steps: int,
            checkpoint_every: int) -> DataFrame:
    """step applied `steps` times, with an eager reliable checkpoint after every checkpoint_every-th."""
    for done in range(1, steps + 1):
        df = step(df)
        if done % checkpoint_every == 0:
            df = df.checkpoint(eager=True)
    return df


def cached(rdd: RDD) -> RDD:
    """Kept in memory after one computation; its lineage stays whole for recovery."""
    rdd.cache()
    rdd.count()
    return rdd


def checkpointed(rdd: RDD) -> RDD:
    """Written to the checkpoint directory, lineage cut; cached first so it is computed once."""
    rdd.cache()
    rdd.checkpoint()
    rdd.count()
    return rdd


def local_master_with_retries(cores: int, max_failures: int) -> str:
    """local[N,F]: N threads, a task may fail F times in all before the job is aborted."""
    return f"local[{cores},{max_failures}]"


def fail_first_attempt(rows: Iterable) -> Iterator:
    """Raise in attempt 0 of every task; pass the rows through on a retry."""
    context = TaskContext.get()
    if context.attemptNumber() == 0:
        raise RuntimeError(f"injected failure: attempt 0 of partition {context.partitionId()}")
    yield from rows


# Why
# - Lineage is the recovery mechanism: a lost partition is recomputed from its parents, so Spark
#   never replicates data for safety (unlike HDFS). The price is a lineage that grows with an
#   iterative job: the plan gets slower to analyse (and can blow the driver's stack), and a late
#   failure recomputes everything. checkpoint() writes the data to reliable storage (HDFS, S3) and
#   restarts the plan from the files: plan_depth drops to 1.
# - checkpoint() RETURNS the checkpointed DataFrame; calling it and keeping the old variable cuts
#   nothing. eager=True (the default) writes at once; localCheckpoint() is faster but keeps the
#   blocks on the executors, so a dead executor loses them and the lineage to rebuild them is gone.
# - RDD.checkpoint() runs a second job that recomputes the RDD unless it is cached: cache, then
#   checkpoint, then one action (the tests count the computations).
# - A cache is an optimisation, not a safety net: lost blocks are recomputed from the lineage
#   (the full one: a cached plan is as deep as an uncached one), and the result is only correct
#   if the source has not changed meanwhile.
# - Task retries: a failed task is re-run (another executor if it died), up to
#   spark.task.maxFailures attempts; local[N] is 1 attempt, local[N,F] is F. Retries require
#   idempotent tasks: a task that wrote to a database before failing writes again on retry, and
#   accumulator updates inside transformations count only from successful attempts.
# - Driver failures are not covered by any of this: the job restarts (cluster-mode supervise), and
#   Structured Streaming uses its checkpoint location to resume.
