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
from typing import TypeVar

T = TypeVar("T")


def chunked(iterable: Iterable[T], n: int) -> Iterator[list[T]]:
    raise NotImplementedError("TODO: validate n now, then return a lazy generator of lists")


class Countdown:
    def __init__(self, start: int) -> None:
        raise NotImplementedError("TODO: validate and remember start")

    def __iter__(self) -> Countdown:
        raise NotImplementedError("TODO: an iterator is its own iterator")

    def __next__(self) -> int:
        raise NotImplementedError("TODO: return the next number or raise StopIteration")


def parse_lines(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    raise NotImplementedError("TODO: yield (name, amount) for every line that parses")


def large_amounts(lines: Iterable[str], min_amount: float) -> Iterator[tuple[str, float]]:
    raise NotImplementedError("TODO: filter the parsed records lazily")


def running_average() -> Generator[float | None, float, None]:
    raise NotImplementedError("TODO: a generator that receives values through send()")
