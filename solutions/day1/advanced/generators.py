"""Generators and iterators: chunking, the iterator protocol, a lazy pipeline and send().

Interviewers ask for these to see whether you can process data that does not fit in memory: pull
one item at a time, never build the whole list, and know the protocol under the `for` loop.

    list(chunked(range(7), 3))                  # [[0, 1, 2], [3, 4, 5], [6]]
    list(Countdown(3))                          # [3, 2, 1]
    list(large_amounts(["# header", "ann,5", "bob,50"], 10))   # [("bob", 50.0)]
    avg = running_average(); next(avg)          # prime it: None
    avg.send(10), avg.send(20)                  # (10.0, 15.0)

Requirements
- `chunked(iterable, n)` yields lists of n consecutive items; the last list holds whatever is left
  (never empty, never dropped). `n < 1` raises ValueError AT THE CALL, before any iteration (a
  generator function only runs its body on the first next(), so validate outside it). It pulls
  items from the source only as the chunks are consumed: after the first chunk exactly n items
  have been taken, so it works on infinite input such as itertools.count().
- `Countdown(start)` is an iterator class (no generator inside): `iter(c) is c`; `next(c)` gives
  start, start - 1, ..., 1 and then raises StopIteration, and keeps raising it once exhausted.
  `Countdown(0)` yields nothing; a negative start raises ValueError.
- `parse_lines(lines)` lazily turns "name,amount" lines into (name, float(amount)) tuples, with
  surrounding whitespace stripped from both fields. Blank lines, lines starting with "#" (after
  stripping) and lines that do not parse (not exactly two fields, amount not a number, empty name)
  are skipped.
- `large_amounts(lines, min_amount)` is the pipeline: the parsed records with amount >= min_amount.
  Both are lazy: they read a line only when the next result is asked for, and work on infinite
  input.
- `running_average()` is a coroutine-style generator: after priming with next() (which returns
  None), each `send(x)` returns the mean of every value sent so far, as a float.
"""
from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(iterable: Iterable[T], n: int) -> Iterator[list[T]]:
    if n < 1:
        raise ValueError(f"chunk size must be at least 1, got {n}")
    return _chunks(iter(iterable), n)


def _chunks(it: Iterator[T], n: int) -> Iterator[list[T]]:
    while chunk := list(islice(it, n)):
        yield chunk


class Countdown:
    def __init__(self, start: int) -> None:
        if start < 0:
            raise ValueError(f"start must not be negative, got {start}")
        self.current = start

    def __iter__(self) -> Countdown:
        return self

    def __next__(self) -> int:
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


def parse_lines(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(",")
        if len(fields) != 2 or not fields[0].strip():
            continue
        try:
            amount = float(fields[1])
        except ValueError:
            continue
        yield fields[0].strip(), amount


def large_amounts(lines: Iterable[str], min_amount: float) -> Iterator[tuple[str, float]]:
    return (record for record in parse_lines(lines) if record[1] >= min_amount)


def running_average() -> Generator[float | None, float, None]:
    total, count = 0.0, 0
    average: float | None = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


# Why
# - Everything here is O(1) memory beyond one chunk: islice pulls at most n items, generators hand
#   over one record at a time, and each stage of the pipeline asks the previous one only when asked.
# - chunked is split in two on purpose: the outer function runs at once (so a bad n fails at the
#   call), the inner generator runs lazily. `while chunk := list(islice(it, n))` stops on the first
#   empty chunk, so the partial last chunk is kept and no empty list is produced. Calling iter()
#   first matters: islice over a list would restart from the beginning each time.
# - An iterator returns itself from __iter__ and is single-pass; an iterable (a list, a class whose
#   __iter__ returns a new iterator) can be walked many times. Say which one you are building.
# - send() turns a generator into a small state machine: the value of `yield` is what was sent.
#   It must be primed with next() first (sending a non-None value to a fresh generator is a
#   TypeError).
# - Python 3.12 has itertools.batched (it yields tuples); know it, and know how to write it.
