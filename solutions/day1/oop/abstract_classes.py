"""Abstract classes and interfaces: a `DataSource` ABC and a `Sink` Protocol.

Interviewers ask for this to see whether you know the two ways Python spells "interface": an
abstract base class (nominal: you must inherit, and a forgotten method fails when the object is
made) and a Protocol (structural: anything with the right methods fits, no inheritance needed).

    source = CsvSource("users.csv")           # a DataSource: inherits from the ABC
    sink = JsonLinesSink("users.jsonl")       # a Sink: just has write(), inherits nothing
    copy(source, sink)                        # 2 (records copied)

    DataSource()                              # TypeError: can't instantiate abstract class

Requirements
- `DataSource` is an abstract base class with one abstract method `read()`, which yields records
  (dicts of str -> str). `DataSource()` raises TypeError, and so does instantiating a subclass
  that forgot to implement `read` (at creation time, not when read is first called).
- `DataSource.read_all()` is concrete: it returns `list(self.read())`, so every subclass gets it.
- `CsvSource(path)` reads a CSV file with a header row: one dict per data row, values as str.
  Open the file with `newline=""` and UTF-8 so quoted fields with commas, newlines and carriage
  returns survive. An empty file yields nothing.
- `JsonLinesSource(path)` reads JSON Lines (one JSON object per line); blank lines are skipped.
- `Sink` is a `typing.Protocol` with one method `write(records) -> int` (the number written),
  decorated with `@runtime_checkable` so `isinstance(obj, Sink)` works: True for any object with
  a `write` method, whatever its class, False otherwise.
- `CsvSink(path)` and `JsonLinesSink(path)` write records (UTF-8) and return how many they wrote;
  they do NOT inherit from Sink. CsvSink takes its header from the first record's keys and writes
  an empty file for no records. Records written by a sink read back equal through the matching
  source.
- `copy(source, sink)` writes everything `source.read()` yields into `sink` and returns the count.
  It checks its arguments first: a source that is not a DataSource, or a sink that is not a Sink,
  raises TypeError naming the offending type.
"""
from __future__ import annotations

import csv
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterable, Iterator, Protocol, runtime_checkable

Record = dict[str, str]


class DataSource(ABC):
    """Where records come from. Subclasses must implement read()."""

    @abstractmethod
    def read(self) -> Iterator[Record]:
        """Yield the records one by one."""

    def read_all(self) -> list[Record]:
        """All records in a list: a concrete method every subclass inherits."""
        return list(self.read())


class CsvSource(DataSource):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Iterator[Record]:
        with self.path.open(newline="", encoding="utf-8") as handle:
            yield from csv.DictReader(handle)


class JsonLinesSource(DataSource):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Iterator[Record]:
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


@runtime_checkable
class Sink(Protocol):
    """Where records go. Any object with this method is a Sink; no inheritance needed."""

    def write(self, records: Iterable[Record]) -> int:
        """Write the records; return how many were written."""
        ...


class CsvSink:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def write(self, records: Iterable[Record]) -> int:
        count = 0
        with self.path.open("w", newline="", encoding="utf-8") as handle:
            writer = None
            for record in records:
                if writer is None:
                    writer = csv.DictWriter(handle, fieldnames=list(record))
                    writer.writeheader()
                writer.writerow(record)
                count += 1
        return count


class JsonLinesSink:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def write(self, records: Iterable[Record]) -> int:
        count = 0
        with self.path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
                count += 1
        return count


def copy(source: DataSource, sink: Sink) -> int:
    if not isinstance(source, DataSource):
        raise TypeError(f"source must be a DataSource, got {type(source).__name__}")
    if not isinstance(sink, Sink):
        raise TypeError(f"sink must be a Sink (an object with write()), got {type(sink).__name__}")
    return sink.write(source.read())


# Why
# - An ABC is a nominal contract: subclasses opt in by inheriting, ABCMeta refuses to build an
#   object while any @abstractmethod is left, and the base can ship concrete helpers (read_all).
#   @abstractmethod on a class that does not derive from ABC (or use ABCMeta) does nothing at all:
#   the most common mistake, and the one to name in the interview.
# - A Protocol is a structural contract: it describes what you need, so third-party classes fit
#   without knowing about you. Type checkers verify it statically; @runtime_checkable adds an
#   isinstance check that only looks for the method NAMES (not signatures), so keep it for guards.
# - Rule of thumb: ABC when you own the hierarchy and want shared code; Protocol at boundaries
#   (what a function accepts). Both read and write stream one record at a time: O(1) memory.
# - csv needs newline="" on open, otherwise quoted fields holding "\r" or "\r\n" are mangled.
