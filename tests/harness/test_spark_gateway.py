"""Warm Spark JVMs shared by verify's child runs: a run leaves nothing for the next, workers see the
run's own switch, and closing the pool ends every JVM."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dojo import paths
from dojo.services.spark import java_missing_reason
from dojo.services.spark_gateway import GatewayPool

pytestmark = [pytest.mark.needs("spark"), pytest.mark.timeout(240)]

CHILD = """
import os, sys
from dojo.services.spark import build_session

session = build_session()
modes = session.sparkContext.parallelize(range(2), 2).map(lambda _: os.environ.get("DOJO_IMPL")).collect()
print("WORKER_MODES", sorted(set(modes)), flush=True)
if sys.argv[1] == "vanish":
    os._exit(0)            # killed without stopping its SparkContext
session.stop()
"""


def run_child(env: dict[str, str], how: str, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, how], cwd=paths.ROOT, capture_output=True, text=True,
                          env={**os.environ, **env, "DOJO_IMPL": mode}, timeout=180, check=False)


def jvm_pids(gateway_pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(gateway_pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in children.stdout.split()]


@pytest.fixture(scope="module")
def pool(request):
    reason = java_missing_reason()
    if reason:
        pytest.fail(f"Spark needs Java: {reason}") if request.config.getoption("require_services") else pytest.skip(reason)
    made = GatewayPool(1)
    yield made
    made.close()


def test_a_run_killed_with_its_context_open_does_not_block_the_next(pool):
    with pool.lease() as env:
        assert set(env) == {"PYSPARK_GATEWAY_PORT", "PYSPARK_GATEWAY_SECRET"}
        first = run_child(env, "vanish", "solutions")
    assert first.returncode == 0, first.stderr[-800:]
    with pool.lease() as same_jvm:
        assert same_jvm == env, "the gateway was replaced instead of reset"
        second = run_child(same_jvm, "stop", "katas")
    assert second.returncode == 0, f"the next run could not start a SparkContext: {second.stderr[-800:]}"


def test_python_workers_import_through_the_run_s_own_switch(pool):
    for mode in ("solutions", "katas"):
        with pool.lease() as env:
            done = run_child(env, "stop", mode)
        assert f"WORKER_MODES ['{mode}']" in done.stdout, (mode, done.stdout[-400:], done.stderr[-800:])


def test_closing_the_pool_ends_every_jvm():
    if java_missing_reason():
        pytest.skip(java_missing_reason())
    pool = GatewayPool(1)
    with pool.lease():
        holder = pool.all[0].process
        jvms = jvm_pids(holder.pid)
        assert jvms, "the holder has no JVM child"
    pool.close()
    assert holder.poll() is not None, "the holder is still running"
    assert not [pid for pid in jvms if still_running(pid)], "a JVM outlived its holder"


def still_running(pid: int, patience_s: float = 30) -> bool:
    """True if the process is still there (not a zombie) after waiting up to patience_s for it to end."""
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state == "Z":
            return False
        time.sleep(0.2)
    return True
