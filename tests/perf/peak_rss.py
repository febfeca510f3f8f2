"""Peak memory of a process and its children, for the ladder scripts: each rung runs in a fresh
process, and its peak is the larger of the kernel's high-water mark (VmHWM) and the sum of the RSS
of the process tree, sampled every 10 ms (so a rung that forks workers is charged for them)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            pids.extend(process_tree(int(child)))
    return pids


class PeakRss:
    """`with PeakRss() as peak: ...`, then `peak.kb`: this process tree's peak resident memory."""

    def __init__(self, interval_s: float = 0.01) -> None:
        self.interval_s = interval_s
        self.sampled_kb = 0
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._done.is_set():
            self.sampled_kb = max(self.sampled_kb, sum(rss_kb(p) for p in process_tree(me)))
            time.sleep(self.interval_s)

    def __enter__(self) -> PeakRss:
        self._sampler.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._sampler.join()

    @property
    def kb(self) -> int:
        return max(self.sampled_kb, rss_kb(os.getpid(), "VmHWM"))
