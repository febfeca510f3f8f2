"""Run work in parallel: processes for CPU-bound work, threads for I/O-bound work.

Interviewers ask this to hear why the GIL makes threads useless for pure-Python CPU work but fine
for waiting on I/O, what has to be picklable to cross into a process, and whether you keep the
results in order and keep errors traceable to their input.

    def cpu_heavy(n: int) -> int:          # module level: workers import it by name
        return sum(i * i for i in range(n))

    parallel_map(cpu_heavy, [10, 20, 30], workers=2, chunksize=2)   # [285, 2470, 8555]
    fetch_all(download, urls, workers=8)                            # one result per url, in order

Requirements: `parallel_map(fn, items, workers=None, chunksize=1, mp_context=None) -> list`
- Returns `[fn(item) for item in items]`: the same values in INPUT order, whatever order the
  workers finish in. `items` may be any iterable (a generator too); no items gives [].
- Calls fn in worker PROCESSES (concurrent.futures.ProcessPoolExecutor or multiprocessing), never
  in the calling process; `workers` is the number of processes (None: one per CPU), and different
  items really run at the same time in different processes.
- Sends items in chunks of `chunksize` consecutive items: one task per chunk, so one worker runs
  a whole chunk (fewer, bigger messages for cheap fn).
- `mp_context` (e.g. multiprocessing.get_context("spawn")) is passed on to the pool; both "fork"
  and "spawn" must work. Under spawn a worker starts a fresh interpreter and imports fn by name,
  so fn must be a module-level function.
- If fn raises for some item, raise ParallelMapError with `.item` set to that item and
  `__cause__` set to the exception fn raised (`raise ParallelMapError(item) from exc`), in the
  calling process. When several items fail, name the first failing item in input order.
- workers < 1 or chunksize < 1 raise ValueError.

Requirements: `fetch_all(fn, items, workers=8) -> list`, the same for I/O-bound fn
- Calls fn in up to `workers` THREADS at the same time (concurrent.futures.ThreadPoolExecutor);
  results in input order; a failure raises ParallelMapError naming the first failing item in
  input order, `from` the original exception; workers < 1 raises ValueError.
"""
from __future__ import annotations

from multiprocessing.context import BaseContext
from typing import Any, Callable, Iterable


class ParallelMapError(Exception):
    """fn failed on one item: `.item` is that item, `__cause__` the exception fn raised."""

    def __init__(self, item: Any):
        super().__init__(f"fn failed on item {item!r}")
        self.item = item


def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any], workers: int | None = None,
                 chunksize: int = 1, mp_context: BaseContext | None = None) -> list:
    raise NotImplementedError("TODO: run fn over items in worker processes, results in input order")


def fetch_all(fn: Callable[[Any], Any], items: Iterable[Any], workers: int = 8) -> list:
    raise NotImplementedError("TODO: run fn over items in a thread pool, results in input order")
