"""How verify runs pytest: child processes, a few at a time, sharing what is costly to start.

Every side of the check and every wrong variant is one child pytest run, so that a kata's state
(imports, session fixtures, a substituted module) can never leak into the next judgement. What a
child needs but need not own is shared: one PostgreSQL server for the whole verify (each test
still gets a fresh database of its own), handed to the children as DOJO_PG_DSN, and warm Spark
JVMs, one leased to each run at a time (dojo/services/spark_gateway.py).
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from dojo import impl, paths, results
from dojo.services import postgres, spark
from dojo.services.availability import ServiceUnavailable
from dojo.services.spark_gateway import GatewayPool

DEFAULT_WORKERS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class ChildRun:
    """One pytest run in a child process, and what it is for."""

    label: str
    test_files: tuple[Path, ...]
    mode: str
    substitute: str = ""
    timeout: float | None = None
    first_failure: bool = False        # a wrong variant is caught by one failure: stop there


@dataclass
class Outcome:
    rows: list[dict]                   # per test: nodeid, kata, outcome, seconds
    seconds: float

    @property
    def broken(self) -> str | None:
        """Why the run itself failed (a crash or a time-out), or None."""
        return next((row["outcome"] for row in self.rows if row["nodeid"] == "<run>"), None)


def command(run: ChildRun, report: Path) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", *map(str, run.test_files), "--require-services", "-q",
           "-p", "no:cacheprovider", "--benchmark-disable", "--dojo-report", str(report),
           "-o", "console_output_style=classic"]
    if run.first_failure:
        cmd.append("--exitfirst")
    return cmd


@dataclass
class Shared:
    """What the children of one verify share: environment variables, and warm Spark JVMs if any."""

    env: dict[str, str] = field(default_factory=dict)
    spark: GatewayPool | None = None

    @contextlib.contextmanager
    def for_one_run(self) -> Iterator[dict[str, str]]:
        if self.spark is None:
            yield self.env
            return
        with self.spark.lease() as spark_env:
            yield {**self.env, **spark_env}


def execute(run: ChildRun, shared: Shared | None = None) -> Outcome:
    """Run it and read its per-test report; a time-out or a crash is one `<run>` row saying so."""
    with (shared or Shared()).for_one_run() as shared_env:
        return _execute(run, shared_env)


def _execute(run: ChildRun, shared_env: dict[str, str]) -> Outcome:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dojo-verify-") as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, **shared_env, impl.ENV_MODE: run.mode, impl.ENV_SUBSTITUTE: run.substitute,
               results.ENV_NO_RECORD: "1"}
        try:
            done = subprocess.run(command(run, report), cwd=paths.ROOT, env=env, capture_output=True,
                                  text=True, timeout=run.timeout, check=False)
        except subprocess.TimeoutExpired:
            rows = [{"nodeid": "<run>", "kata": None, "outcome": f"timed out after {run.timeout:.0f} s"}]
        else:
            if report.exists():
                rows = json.loads(report.read_text(encoding="utf-8"))
            else:
                tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
                rows = [{"nodeid": "<run>", "kata": None, "outcome": f"pytest crashed: {' | '.join(tail)}"}]
    return Outcome(rows, time.perf_counter() - started)


@contextlib.contextmanager
def shared_services(need_pg: bool, need_spark: bool, workers: int) -> Iterator[Shared]:
    """One PostgreSQL server for all the children, and a warm Spark JVM per worker, when any needs them.

    A service that cannot be started here is not shared: each child then finds (or misses) it
    itself, so a missing service is still reported by the tests that need it.
    """
    with contextlib.ExitStack() as stack:
        shared = Shared()
        if need_pg:
            shared.env.update(stack.enter_context(_shared_postgres()))
        if need_spark and spark.java_missing_reason() is None:
            shared.spark = GatewayPool(workers)
            stack.callback(shared.spark.close)
        yield shared


@contextlib.contextmanager
def _shared_postgres() -> Iterator[dict[str, str]]:
    if os.environ.get(postgres.ENV_DSN):
        yield {}
        return
    try:
        server = postgres.resolve()
    except ServiceUnavailable:
        yield {}
        return
    try:
        yield {postgres.ENV_DSN: server.admin_dsn}
    finally:
        server.stop()
