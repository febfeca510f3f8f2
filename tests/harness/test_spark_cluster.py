"""Beyond one machine: a real standalone Spark cluster on loopback runs the etl_job reference.

The pyspark wheel holds a whole Spark distribution: with SPARK_HOME set to the pyspark package
folder, `bin/spark-class org.apache.spark.deploy.master.Master` and `...worker.Worker` start a
standalone cluster (FACTS.md). This test starts one master and one worker on 127.0.0.1 (a free
port for the master, ports picked by the OS for everything else, the REST submission server off),
runs day3.spark.etl_job's reference on it from a separate Python process (a process holds one
SparkContext, and this pytest process may already hold the local one), runs it again in local
mode, and checks that both runs wrote the same data. Every process it started, including the
executor the worker launches for the job, is gone afterwards.

A learner's own cluster on this machine works the same way for the katas:
`DOJO_SPARK_MASTER=spark://127.0.0.1:7077 pytest katas/day3/spark` (see the README).
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dojo.services.availability import unavailable
from dojo.services.spark import ENV_MASTER, java_missing_reason

pytestmark = pytest.mark.needs("spark")

REPO = Path(__file__).resolve().parents[2]
TAG = "DOJO_TEST_CLUSTER_TAG"        # every process started here carries it in its environment
START_TIMEOUT_S = 90
JOB_TIMEOUT_S = 180
STOP_TIMEOUT_S = 15
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# The job, as spark-submit would run it: the harness's session builder with the master from
# DOJO_SPARK_MASTER, the reference imported under the learner's name (DOJO_IMPL=solutions).
DRIVER = """
import dataclasses, json, sys
from dojo.services.spark import build_session
from katas.day3.spark.etl_job import run

spark = build_session()
spark.sparkContext.setLogLevel("ERROR")
try:
    stats = run(spark, sys.argv[1], sys.argv[2])
    print("STATS " + json.dumps(dataclasses.asdict(stats)), flush=True)
finally:
    spark.stop()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


class Process:
    """A child in its own process group whose output is drained to a log; `ready` once a line matches."""

    def __init__(self, name: str, cmd: list[str], env: dict, log: Path, ready_when: str | None = None):
        self.name, self.log, self.ready_when = name, log, ready_when
        self.ready, self.matched, self.lines = threading.Event(), False, []
        self.popen = subprocess.Popen(cmd, env=env, cwd=REPO, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.drain = threading.Thread(target=self._drain, name=f"drain-{name}", daemon=True)
        self.drain.start()

    def _drain(self) -> None:
        with self.log.open("w", encoding="utf-8") as out:
            for line in self.popen.stdout:
                out.write(line)
                self.lines.append(line.rstrip("\n"))
                if self.ready_when and self.ready_when in line:
                    self.matched = True
                    self.ready.set()
        self.ready.set()                       # the output ended: wake whoever waits, unmatched

    def wait_ready(self, timeout: float) -> None:
        self.ready.wait(timeout)
        if not self.matched:
            pytest.fail(f"{self.name} did not print {self.ready_when!r} within {timeout} s "
                        f"(exit code {self.popen.poll()}); last lines:\n{self.tail()}")

    def finish(self, timeout: float) -> int:
        try:
            code = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.name} did not finish within {timeout} s; last lines:\n{self.tail()}")
        self.drain.join(STOP_TIMEOUT_S)
        return code

    def tail(self, n: int = 25) -> str:
        return "\n".join(self.lines[-n:])

    def stop(self) -> None:
        """SIGTERM to the whole group (the worker stops its executors), SIGKILL if it lingers."""
        signal_group(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            signal_group(self.popen.pid, signal.SIGKILL)
            self.popen.wait(STOP_TIMEOUT_S)
        self.drain.join(STOP_TIMEOUT_S)


def signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:                  # the whole group is gone already
        pass


def tagged_pids(tag: str) -> list[int]:
    """Live processes whose environment holds TAG=tag: everything started here, and their children.

    Found through /proc, so also children that left our process groups (pyspark's Python worker
    daemon calls setpgid). Without /proc (not Linux) only the process groups are checked.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    needle = f"{TAG}={tag}".encode()
    found = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:                     # gone meanwhile, or not ours to read
                continue
    return found


def still_running(pids: list[int], timeout: float) -> list[int]:
    """The pids that have not exited within timeout: waits on pidfds, woken by each exit itself."""
    deadline = time.monotonic() + timeout
    running = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            exited, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(fd)
        if not exited:
            running.append(pid)
    return running


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    still_running(pids, STOP_TIMEOUT_S)


@pytest.fixture
def java(request):
    reason = java_missing_reason()
    if reason:
        unavailable(request.config, "Spark", reason)


@pytest.fixture
def cluster_env(tmp_path):
    """The environment of every child: loopback only, scratch dirs in tmp_path, the reference code."""
    tag = uuid.uuid4().hex
    for name in ("work", "local"):
        (tmp_path / name).mkdir()
    env = {**os.environ, TAG: tag, "SPARK_HOME": str(spark_home()), "SPARK_LOCAL_IP": "127.0.0.1",
           "SPARK_WORKER_DIR": str(tmp_path / "work"), "SPARK_LOCAL_DIRS": str(tmp_path / "local"),
           "SPARK_CONF_DIR": str(tmp_path), "PYSPARK_PYTHON": sys.executable,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           "DOJO_IMPL": "solutions",
           # test-sized JVMs start faster with the quick compiler and a serial GC (as the spark fixture does)
           "SPARK_DAEMON_JAVA_OPTS": QUICK_JVM,
           "PYSPARK_SUBMIT_ARGS": f'--driver-java-options "{QUICK_JVM}" '
                                  f'--conf "spark.executor.extraJavaOptions={QUICK_JVM}" pyspark-shell'}
    env.pop("DOJO_SUBSTITUTE", None)
    # SPARK_CONF_DIR/spark-defaults.conf is read by the daemons: no REST server on its fixed port 6066
    (tmp_path / "spark-defaults.conf").write_text("spark.master.rest.enabled false\n", encoding="utf-8")
    return tag, env


@contextmanager
def processes(tag: str):
    """Every Process put on the yielded list is stopped on the way out; then no tagged process may remain."""
    started: list[Process] = []
    try:
        yield started
    finally:
        for proc in reversed(started):          # the drivers first, then the worker, then the master
            proc.stop()
        left_behind = still_running(tagged_pids(tag), STOP_TIMEOUT_S)     # a JVM may still be exiting
        kill_all(left_behind)
    names = {proc.name: proc.popen.pid for proc in started}
    assert not left_behind, f"processes left behind after stopping {names}: {left_behind} (killed now)"
    assert all(proc.popen.returncode is not None for proc in started), names


def raw_batch(folder: Path) -> Path:
    """Two small raw CSV files over five days, with rows the job rejects and duplicates it removes."""
    folder.mkdir()
    header = "transaction_id,user_id,amount,currency,status,ts"
    currencies, statuses = ("usd", "EUR", " gbp "), ("completed", "Failed", "PENDING ")
    for part in range(2):
        lines = [header]
        for i in range(part * 200 + 1, part * 200 + 201):
            amount = "n/a" if i % 13 == 0 else f"{(i * 7919) % 100_000 / 100:.2f}"
            line = (f"{i},{i % 37},{amount},{currencies[i % 3]},{statuses[i % 3]},"
                    f"2024-05-0{1 + i % 5}T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}")
            lines += [line, line] if i % 17 == 0 else [line]
        (folder / f"part-{part}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def output_rows(dst: Path) -> list[dict]:
    rows = pq.read_table(dst).to_pylist()
    return sorted(rows, key=lambda row: row["transaction_id"])


def spark_class(main_class: str, *args: str) -> list[str]:
    return [str(spark_home() / "bin" / "spark-class"), f"org.apache.spark.deploy.{main_class}", *args]


def start_master(env: dict, port: int, log: Path) -> Process:
    command = spark_class("master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", "0")
    return Process("master", command, env, log, ready_when="Starting Spark master at")


def start_worker(env: dict, master_url: str, log: Path) -> Process:
    command = spark_class("worker.Worker", "-c", "1", "-m", "1g", "--host", "127.0.0.1", "--webui-port", "0",
                          master_url)
    return Process("worker", command, env, log, ready_when="Successfully registered with master")


def start_driver(name: str, env: dict, master_url: str, src: Path, dst: Path, log: Path) -> Process:
    command = [sys.executable, "-c", DRIVER, str(src), str(dst)]
    return Process(name, command, {**env, ENV_MASTER: master_url}, log)


def stats_of(proc: Process) -> dict:
    code = proc.finish(JOB_TIMEOUT_S)
    printed = [line for line in proc.lines if line.startswith("STATS ")]
    assert code == 0 and printed, f"{proc.name} failed (exit code {code}); last lines:\n{proc.tail()}"
    return json.loads(printed[-1].removeprefix("STATS "))


def date_folders(dst: Path) -> list[str]:
    return sorted(p.name for p in dst.iterdir() if p.is_dir())


def test_the_etl_job_runs_unchanged_on_a_standalone_cluster(java, cluster_env, tmp_path):
    tag, env = cluster_env
    src = raw_batch(tmp_path / "raw")
    out_local, out_cluster = tmp_path / "out-local", tmp_path / "out-cluster"
    master_url = f"spark://127.0.0.1:{free_port()}"
    with processes(tag) as started:
        master = start_master(env, int(master_url.rsplit(":", 1)[1]), tmp_path / "master.log")
        started.append(master)
        # The local run needs no cluster, so it overlaps with the cluster's start-up. The worker and
        # the cluster driver start as soon as the master listens; the driver waits for an executor.
        local = start_driver("local driver", env, "local[2]", src, out_local, tmp_path / "local.log")
        started.append(local)
        master.wait_ready(START_TIMEOUT_S)
        worker = start_worker(env, master_url, tmp_path / "worker.log")
        started.append(worker)
        remote = start_driver("cluster driver", env, master_url, src, out_cluster, tmp_path / "cluster.log")
        started.append(remote)
        local_stats, cluster_stats = stats_of(local), stats_of(remote)
    launched = [line for line in worker.lines if "Asked to launch executor" in line]

    assert launched, f"the worker launched no executor: the job did not run on the cluster\n{worker.tail()}"
    assert cluster_stats == local_stats, f"cluster run: {cluster_stats}, local run: {local_stats}"
    assert local_stats["rows_rejected"] > 0 and local_stats["rows_written"] > 0, local_stats
    want_folders = [f"date=2024-05-0{day}" for day in range(1, 6)]
    assert date_folders(out_local) == want_folders, date_folders(out_local)
    assert date_folders(out_cluster) == want_folders, date_folders(out_cluster)
    cluster_rows, local_rows = output_rows(out_cluster), output_rows(out_local)
    assert len(cluster_rows) == cluster_stats["rows_written"], (len(cluster_rows), cluster_stats)
    assert cluster_rows == local_rows, "the cluster run wrote different rows from the local run"
