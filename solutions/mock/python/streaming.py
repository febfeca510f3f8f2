"""Streaming with generators: parse, filter, tumbling windows by event time, aggregate, lazily.

"How would you use a generator to handle streaming data efficiently in Python?" The interviewer
listens for a pipeline of small generators that each pull one item at a time (so an endless
source works and memory stays flat), for event time versus arrival time (readings arrive out of
order and late), and for cleanup: who closes the socket or file when the consumer stops early.
The basics (chunking, a lazy filter, send()) are day1.advanced.generators; this is the next step.

    lines = sensor_feed()                      # endless: "ts,sensor,value" lines
    stats = Stats()
    results = pipeline(lines, size=60, lateness=30, keep=lambda e: e.sensor != "test", stats=stats)
    next(results)      # WindowAggregate(start=0, sensor="s1", count=58, total=1240.5, low=3.0, high=41.5)
    results.close()    # every stage's finally runs, down to sensor_feed()'s own cleanup

Requirements
- Input lines look like "1700000000,s1,21.5" (a trailing newline is fine): an integer event time
  in seconds, a sensor name, a value. `parse_events(lines, stats)` yields one `Event` per
  well-formed line: exactly three comma-separated fields, each stripped of surrounding
  whitespace; ts is `int(field)`, the sensor is non-empty, the value is `float(field)` and finite
  (not nan or inf). Any other line is skipped and counted in `stats.malformed`.
- `keep_events(events, keep, stats)` yields the events for which `keep(event)` is true; the others
  are counted in `stats.filtered`.
- `tumbling_windows(events, size, lateness, stats)` groups events by (window, sensor) and yields one
  `WindowAggregate` per group: count, total, low and high of the values.
  - The window of an event starts at `ts - ts % size` (floor, also for negative ts) and covers
    [start, start + size).
  - The watermark is the largest ts seen so far (including the current event) minus `lateness`;
    it never goes back.
  - An event whose window ends at or before the watermark (`start + size <= watermark`) is late:
    it is dropped and counted in `stats.late`. Out-of-order events within the lateness count.
  - After each event, every window ending at or before the watermark is yielded (and forgotten),
    in (start, sensor) order. So a result comes out as soon as it is final, not at the end.
  - When the input ends, the windows still open are yielded in (start, sensor) order.
  - `size < 1` or `lateness < 0` raises ValueError (at the latest on the first next()).
- `pipeline(lines, size, lateness, keep=None, stats=None)` chains the three stages (keep=None
  keeps everything; stats=None counts into a fresh Stats).
- Lazy: every stage pulls the next input only when its next output is asked for, so
  `islice(pipeline(endless_source, ...), 3)` returns. Nothing is sorted, listed or counted ahead.
- Flat memory: a stage keeps one running aggregate per open (window, sensor), never the events
  and never the windows it has already yielded. Peak memory over 10^6 events is no larger than
  over 10^5 (measured with tracemalloc).
- Cleanup: every stage owns its input. When a stage ends (exhausted, failed or closed), it closes
  its input if the input has a `close()` method (a generator, a file), in a try/finally. So
  `pipeline(...).close()` runs the source generator's own finally. Closing yields nothing more:
  the open windows are dropped, not flushed (a generator may not yield while it is being closed).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    ts: int
    sensor: str
    value: float


@dataclass(frozen=True, slots=True)
class WindowAggregate:
    start: int
    sensor: str
    count: int
    total: float
    low: float
    high: float


@dataclass
class Stats:
    malformed: int = 0
    filtered: int = 0
    late: int = 0


def close_input(source: object) -> None:
    """Close what we were reading from, if it can be closed (a generator, a file)."""
    close = getattr(source, "close", None)
    if close is not None:
        close()


def parse_line(line: str) -> Event | None:
    fields = [field.strip() for field in line.split(",")]
    if len(fields) != 3 or not fields[1]:
        return None
    try:
        ts, value = int(fields[0]), float(fields[2])
    except ValueError:
        return None
    return Event(ts, fields[1], value) if math.isfinite(value) else None


def parse_events(lines: Iterable[str], stats: Stats | None = None) -> Iterator[Event]:
    stats = Stats() if stats is None else stats
    source = iter(lines)
    try:
        for line in source:
            event = parse_line(line)
            if event is None:
                stats.malformed += 1
            else:
                yield event
    finally:
        close_input(source)


def keep_events(events: Iterable[Event], keep: Callable[[Event], bool],
                stats: Stats | None = None) -> Iterator[Event]:
    stats = Stats() if stats is None else stats
    source = iter(events)
    try:
        for event in source:
            if keep(event):
                yield event
            else:
                stats.filtered += 1
    finally:
        close_input(source)


class Running:
    """The aggregate of one open (window, sensor), updated in place: O(1) memory per group."""

    __slots__ = ("count", "total", "low", "high")

    def __init__(self, value: float) -> None:
        self.count, self.total, self.low, self.high = 1, value, value, value

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.low = min(self.low, value)
        self.high = max(self.high, value)

    def result(self, start: int, sensor: str) -> WindowAggregate:
        return WindowAggregate(start, sensor, self.count, self.total, self.low, self.high)


def tumbling_windows(events: Iterable[Event], size: int, lateness: int,
                     stats: Stats | None = None) -> Iterator[WindowAggregate]:
    stats = Stats() if stats is None else stats
    source = iter(events)
    try:
        if size < 1 or lateness < 0:
            raise ValueError(f"need size >= 1 and lateness >= 0, got size={size}, lateness={lateness}")
        open_windows: dict[tuple[int, str], Running] = {}
        watermark, first_end = -math.inf, math.inf     # first_end: the earliest end of an open window
        for event in source:
            start = event.ts - event.ts % size
            watermark = max(watermark, event.ts - lateness)
            if start + size <= watermark:
                stats.late += 1
                continue
            running = open_windows.get((start, event.sensor))
            if running is None:
                open_windows[(start, event.sensor)] = Running(event.value)
                first_end = min(first_end, start + size)
            else:
                running.add(event.value)
            if first_end <= watermark:
                yield from pop_windows(open_windows, size, until=watermark)
                first_end = min((key[0] + size for key in open_windows), default=math.inf)
        yield from pop_windows(open_windows, size, until=math.inf)
    finally:
        close_input(source)


def pop_windows(open_windows: dict[tuple[int, str], Running], size: int,
                until: float) -> Iterator[WindowAggregate]:
    """Remove the windows ending at or before `until` and yield them in (start, sensor) order."""
    finished = sorted(key for key in open_windows if key[0] + size <= until)
    for key in finished:
        yield open_windows.pop(key).result(*key)


def pipeline(lines: Iterable[str], size: int, lateness: int, keep: Callable[[Event], bool] | None = None,
             stats: Stats | None = None) -> Iterator[WindowAggregate]:
    stats = Stats() if stats is None else stats
    events = parse_events(lines, stats)
    if keep is not None:
        events = keep_events(events, keep, stats)
    return tumbling_windows(events, size, lateness, stats)


# Why
# - Each stage is a generator that holds one item at a time, so the pipeline is O(open windows) in
#   memory whatever the length of the stream, and an endless source is fine: nothing asks for
#   "all" of anything. The consumer drives: no result is computed before it is asked for.
# - Event time, not arrival time: a reading is placed by its own ts. The watermark (max ts minus
#   the allowed lateness) says when a window is final; events later than that are counted, never
#   silently merged into an already published result. That is Flink's / Spark's model in 40 lines.
# - The open windows are scanned only when the watermark passes the earliest open end, so an event
#   costs O(1) and a window O(open windows). With thousands of sensors, keep a heap of window ends.
# - Cleanup: `for x in gen` does not close gen when the loop is abandoned, and dropping the last
#   reference only closes it in CPython's refcounting (not on PyPy, not while someone else holds
#   it). So each stage closes its input in finally: close() on the outer generator raises
#   GeneratorExit at its yield, its finally closes the next stage, and so on down to the source.
#   `yield from` forwards close() by itself; a plain for loop does not. Never yield in a finally:
#   yielding during close() is a RuntimeError ("generator ignored GeneratorExit").
# - A generator closed before its first next() never entered its body, so its finally does not
#   run. If the source holds a resource from the moment it is created, wrap it in a context
#   manager (`with closing(pipeline(...)) as results:`) at the place that opened it.
