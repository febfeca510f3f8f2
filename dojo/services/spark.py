"""One SparkSession per test session, tuned for start-up and quiet output.

The master is `local[2]` unless DOJO_SPARK_MASTER names another (`spark://host:7077` runs the
same katas on a standalone cluster of your own). The driver listens on 127.0.0.1 unless
DOJO_SPARK_DRIVER_HOST names an address that the cluster's workers can reach.
"""
from __future__ import annotations

import os
import shutil
import sys

import pytest

from dojo import impl, paths
from dojo.services.availability import unavailable


def java_missing_reason() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.path.exists(os.path.join(java_home, "bin", "java")):
        return None
    if shutil.which("java"):
        return None
    return "no Java found (install OpenJDK 17, e.g. apt-get install openjdk-17-jre-headless, or set JAVA_HOME)"


ENV_MASTER = "DOJO_SPARK_MASTER"
ENV_DRIVER_HOST = "DOJO_SPARK_DRIVER_HOST"
DEFAULT_MASTER = "local[2]"
LOOPBACK = "127.0.0.1"


def master_url() -> str:
    return os.environ.get(ENV_MASTER) or DEFAULT_MASTER


def build_session():
    from pyspark.sql import SparkSession

    driver_host = os.environ.get(ENV_DRIVER_HOST) or LOOPBACK   # loopback unless a cluster must call back
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", driver_host)
    return (SparkSession.builder.master(master_url()).appName("katas")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.host", driver_host)
            .config("spark.driver.bindAddress", driver_host)
            .config("spark.sql.session.timeZone", "UTC")
            # test-sized jobs: the quick C1 compiler and a serial GC start the JVM about 1 s sooner
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            # Python workers import katas through the same switch as the driver, on whatever JVM
            # or cluster launches them (a shared warm JVM, a standalone worker)
            .config(f"spark.executorEnv.{impl.ENV_MODE}", impl.current_mode())
            .config(f"spark.executorEnv.{impl.ENV_SUBSTITUTE}", os.environ.get(impl.ENV_SUBSTITUTE, ""))
            .config("spark.executorEnv.PYTHONPATH", str(paths.ROOT))     # where `katas` is imported from
            .getOrCreate())


@pytest.fixture(scope="session")
def spark(request):
    """A local SparkSession shared by the whole test session (needs Java 17)."""
    reason = java_missing_reason()
    if reason:
        unavailable(request.config, "Spark", reason)
    session = build_session()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
