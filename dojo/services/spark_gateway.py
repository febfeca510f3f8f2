"""A warm Spark JVM that verify's child runs share, one run at a time.

A Spark start in a fresh child pytest run costs about 10 s (the JVM, a SparkContext, the JIT on the
first job); connecting to a JVM that is up and warmed costs about 2 s. pyspark connects to a running
JVM when PYSPARK_GATEWAY_PORT and PYSPARK_GATEWAY_SECRET are set (that is how spark-submit starts a
Python driver), so each child still builds, uses and stops a SparkContext of its own. A JVM holds
one SparkContext at a time: a gateway is leased to one run, and reset before the next, stopping any
context that a killed run left behind.

The holder process (`python -m dojo.services.spark_gateway`) prints "PORT SECRET" once the JVM is
warm, answers each line "reset" with "ok", and ends (and its JVM with it) when its stdin closes.
"""
from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
from typing import Iterator

from dojo import paths

ENV_PORT = "PYSPARK_GATEWAY_PORT"
ENV_SECRET = "PYSPARK_GATEWAY_SECRET"
READY_TIMEOUT_S = 120


class GatewayLost(RuntimeError):
    """The holder process ended or stopped answering."""


class WarmGateway:
    """One holder process and its JVM; started at once, waited for on first use."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in (ENV_PORT, ENV_SECRET)}
        self.process = subprocess.Popen([sys.executable, "-m", "dojo.services.spark_gateway"], cwd=paths.ROOT,
                                        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        self._env: dict[str, str] | None = None

    def env(self) -> dict[str, str]:
        if self._env is None:
            port, secret = self._answer().split()
            self._env = {ENV_PORT: port, ENV_SECRET: secret}
        return self._env

    def reset(self) -> None:
        self.process.stdin.write("reset\n")
        self.process.stdin.flush()
        if self._answer() != "ok":
            raise GatewayLost("the Spark gateway did not confirm its reset")

    def _answer(self) -> str:
        line = self.process.stdout.readline().strip()
        if not line:
            raise GatewayLost(f"the Spark gateway ended (exit code {self.process.poll()})")
        return line

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class GatewayPool:
    """As many warm gateways as child runs at a time; a run leases one and gives it back reset."""

    def __init__(self, size: int) -> None:
        self.free: queue.Queue[WarmGateway] = queue.Queue()
        self.all = [WarmGateway() for _ in range(size)]
        for gateway in self.all:
            self.free.put(gateway)

    @contextlib.contextmanager
    def lease(self) -> Iterator[dict[str, str]]:
        gateway = self.free.get()
        try:
            try:
                env = gateway.env()
            except GatewayLost:
                env = {}          # the child starts its own JVM, as it would without a pool
            yield env
        finally:
            self.free.put(self._reset_or_replace(gateway))

    def _reset_or_replace(self, gateway: WarmGateway) -> WarmGateway:
        try:
            gateway.reset()
            return gateway
        except (GatewayLost, OSError):
            gateway.close()
            fresh = WarmGateway()
            self.all.append(fresh)
            return fresh

    def close(self) -> None:
        for gateway in self.all:
            gateway.close()


def _stop_active_context(jvm) -> None:
    """Stop the SparkContext a killed child left running (SparkContext.getActive is private[spark])."""
    companion = getattr(getattr(jvm.org.apache.spark, "SparkContext$"), "MODULE$")
    active = companion.getActive()
    if active.isDefined():
        active.get().stop()


def hold() -> None:
    """The holder: start and warm the JVM, publish it, reset it on request, end with stdin."""
    from pyspark import SparkContext

    from dojo.services.spark import build_session

    answers = os.fdopen(os.dup(1), "w", buffering=1)    # the protocol's own channel ...
    os.dup2(2, 1)                                       # ... so nothing the JVM prints can garble it
    session = build_session()
    session.sparkContext.setLogLevel("ERROR")
    session.range(2000).selectExpr("id % 7 AS k", "id").groupBy("k").sum("id").collect()   # JIT a shuffle
    session.stop()
    gateway = SparkContext._gateway
    print(gateway.java_gateway_server.getListeningPort(), gateway.gateway_parameters.auth_token, file=answers)
    for line in sys.stdin:
        if line.strip() == "reset":
            _stop_active_context(gateway.jvm)
            print("ok", file=answers)


if __name__ == "__main__":
    hold()
