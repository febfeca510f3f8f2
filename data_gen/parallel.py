"""Run tasks in worker processes and hand results back *in task order*, with bounded memory.

Pool.imap would pull the whole task iterable at once (size mode has no end), so tasks are
submitted a few at a time and collected first-in, first-out. The first task runs in the calling
process: small outputs never pay for starting workers.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

IN_FLIGHT_PER_WORKER = 2  # enough to keep workers busy, few enough to bound memory
WORKER_ENV = {"POLARS_MAX_THREADS": "1"}  # one process per core already; more threads only contend


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    # Ctrl-C reaches the whole process group; only the parent reacts, then terminates the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def _environment(extra: dict[str, str]):
    """Temporarily extend os.environ: spawned children copy it when they start."""
    saved = {key: os.environ.get(key) for key in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def ordered_results(
    fn: Callable, tasks: Iterable, workers: int, *, initializer: Callable | None = None, initargs: tuple = ()
) -> Iterator:
    """Yield fn(task) for each task, in order. Closing the generator terminates the workers.

    ``initializer(*initargs)`` prepares each worker; the caller prepares its own process.
    """
    tasks = iter(tasks)
    first = next(tasks, None)
    if first is None:
        return
    yield fn(first)
    if workers <= 1:
        for task in tasks:
            yield fn(task)
        return
    # spawn, not fork: a fork of a process whose polars/arrow thread pools run can deadlock.
    context = multiprocessing.get_context("spawn")
    with _environment(WORKER_ENV):
        pool = context.Pool(workers, initializer=_start_worker, initargs=(initializer, initargs))
    with pool:  # leaving the block, normally or not, terminates the workers
        pending = deque(pool.apply_async(fn, (t,)) for t in islice(tasks, workers * IN_FLIGHT_PER_WORKER))
        while pending:
            result = pending.popleft().get()
            for task in islice(tasks, 1):
                pending.append(pool.apply_async(fn, (task,)))
            yield result
