"""Context managers: `timer()`, `temp_env(**vars)` and `open_all(paths)`.

Interviewers ask for these to see that you know what `with` guarantees: cleanup runs on every exit
path, and an exception inside the block is NOT swallowed unless you mean it.

    with timer() as t:
        work()
    t.elapsed                 # seconds, also set when work() raised

    with temp_env(STAGE="test", DEBUG=None):
        ...                   # STAGE is "test", DEBUG is unset; both restored afterwards

    with open_all(["a.csv", "b.csv"]) as files:
        ...                   # every file closed afterwards

Requirements
- `timer(clock=time.perf_counter)` yields a Timer whose `elapsed` is None inside the block and
  `clock()` after minus `clock()` before once the block ends, normally or by an exception. The
  clock is read exactly twice.
- `temp_env(**vars)` sets each variable in os.environ for the block; a value of None means
  "unset it in the block". On exit, whatever happened, os.environ is restored exactly: variables
  that existed get their old value back, variables that did not exist are removed (not set to "").
- `open_all(paths, mode="r", opener=open)` opens every path with `opener(path, mode)`, in order,
  and yields the list of file objects. On exit all of them are closed. If opening one fails, the
  ones already opened are closed and the opening error propagates (use contextlib.ExitStack).
- None of the three swallows an exception raised inside the block: it propagates unchanged.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import IO


@dataclass
class Timer:
    elapsed: float | None = None


@contextmanager
def timer(clock: Callable[[], float] = time.perf_counter) -> Iterator[Timer]:
    result = Timer()
    start = clock()
    try:
        yield result
    finally:
        result.elapsed = clock() - start


@contextmanager
def temp_env(**vars: str | None) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in vars}
    try:
        for name, value in vars.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


@contextmanager
def open_all(paths: Iterable[str | os.PathLike], mode: str = "r",
             opener: Callable[..., IO] = open) -> Iterator[list[IO]]:
    with ExitStack() as stack:
        yield [stack.enter_context(opener(path, mode)) for path in paths]


# Why
# - @contextmanager turns a generator into __enter__/__exit__: code before `yield` is setup, the
#   `finally` after it is cleanup. An exception in the block is re-raised at the `yield`; catching it
#   there without re-raising is what "swallowing" means (like __exit__ returning True). Use finally,
#   never a bare except.
# - temp_env saves BEFORE changing anything and sets inside the try, so even a failure half-way
#   through setting restores the variables already touched. "Did not exist" must be remembered
#   separately from "was empty": pop, do not assign "".
# - ExitStack registers each file as soon as it is open, so a failure on the third open closes the
#   first two; a plain list comprehension of open() calls leaks them until garbage collection.
#   O(n) opens; say that the OS limits open descriptors (ulimit -n) if paths is huge.
# - Injecting clock and opener keeps the tests deterministic and lets them observe every file.
