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


class DataSource:
    """Where records come from. Subclasses must implement read()."""
    # TODO: make this an abstract base class, so DataSource() and incomplete subclasses fail.

    def read(self) -> Iterator[Record]:
        """Yield the records one by one."""
        raise NotImplementedError("TODO: declare read() abstract")

    def read_all(self) -> list[Record]:
        """All records in a list: a concrete method every subclass inherits."""
        raise NotImplementedError("TODO: return all records of read() in a list")


class CsvSource(DataSource):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Iterator[Record]:
        raise NotImplementedError("TODO: yield one dict per CSV data row")


class JsonLinesSource(DataSource):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Iterator[Record]:
        raise NotImplementedError("TODO: yield one dict per non-blank JSON line")


class Sink:
    """Where records go. Any object with this method is a Sink; no inheritance needed."""
    # TODO: make this a runtime-checkable Protocol.

    def write(self, records: Iterable[Record]) -> int:
        """Write the records; return how many were written."""
        raise NotImplementedError("TODO: this is only a description of the method")


class CsvSink:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def write(self, records: Iterable[Record]) -> int:
        raise NotImplementedError("TODO: write a header from the first record, then the rows")


class JsonLinesSink:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def write(self, records: Iterable[Record]) -> int:
        raise NotImplementedError("TODO: write one JSON object per line")


def copy(source: DataSource, sink: Sink) -> int:
    raise NotImplementedError("TODO: check both arguments, then write source.read() into sink")
