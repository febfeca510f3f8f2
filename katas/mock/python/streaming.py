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


def parse_events(lines: Iterable[str], stats: Stats | None = None) -> Iterator[Event]:
    raise NotImplementedError("TODO: a generator of Events; count malformed lines; close `lines` in finally")


def keep_events(events: Iterable[Event], keep: Callable[[Event], bool],
                stats: Stats | None = None) -> Iterator[Event]:
    raise NotImplementedError("TODO: a generator of the kept events; count the rest; close `events` in finally")


def tumbling_windows(events: Iterable[Event], size: int, lateness: int,
                     stats: Stats | None = None) -> Iterator[WindowAggregate]:
    raise NotImplementedError("TODO: running aggregates per open (window, sensor); yield each once the "
                              "watermark passes its end")


def pipeline(lines: Iterable[str], size: int, lateness: int, keep: Callable[[Event], bool] | None = None,
             stats: Stats | None = None) -> Iterator[WindowAggregate]:
    raise NotImplementedError("TODO: chain parse_events, keep_events and tumbling_windows")
