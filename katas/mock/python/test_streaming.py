"""Tests for the streaming kata: run `pytest katas/mock/python/test_streaming.py`.

Sources here are generators the tests keep hold of, so the tests can see how many items a stage
pulled (laziness) and whether the source's own `finally` ran (cleanup). The memory test runs the
pipeline over 10^5 and 10^6 readings under tracemalloc and compares the two peaks.
"""
from __future__ import annotations

import gc
import itertools
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.python.streaming import (
    Event,
    Stats,
    WindowAggregate,
    keep_events,
    parse_events,
    pipeline,
    tumbling_windows,
)


class Counting:
    """An iterator that counts what was pulled from it, and fails loudly past `limit` pulls.

    Wrapping an endless generator in it turns "the code reads everything first" into a failing
    assertion instead of a hang.
    """

    def __init__(self, items, limit: int = 10_000) -> None:
        self.items, self.limit, self.pulled = iter(items), limit, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.pulled >= self.limit:
            raise AssertionError(f"pulled more than {self.limit} items from the source: something reads the "
                                 "whole stream (list(), sorted(), a buffer...) instead of one item at a time")
        item = next(self.items)
        self.pulled += 1
        return item


def E(ts: int, sensor: str = "a", value: float = 1.0) -> Event:
    return Event(ts, sensor, float(value))


def W(start: int, sensor: str, count: int, total: float, low: float, high: float) -> WindowAggregate:
    return WindowAggregate(start, sensor, count, float(total), float(low), float(high))


# -- parse and filter ------------------------------------------------------------------------------

GOOD_LINES = {
    "a plain line": ("10,s1,21.5", E(10, "s1", 21.5)),
    "spaces around fields and a trailing newline": (" 10 , s1 , 21.5 \n", E(10, "s1", 21.5)),
    "negative time and value": ("-5,s2,-1", E(-5, "s2", -1.0)),
}


@pytest.mark.parametrize("line,want", GOOD_LINES.values(), ids=GOOD_LINES.keys())
def test_parse_events_turns_a_line_into_an_event(line, want):
    stats = Stats()
    got = list(parse_events([line], stats))
    assert got == [want], f"parse_events([{line!r}]) gave {got}, expected [{want}]"
    assert stats.malformed == 0, f"a good line {line!r} was counted as malformed"


BAD_LINES = {
    "empty": "",
    "two fields": "10,s1",
    "four fields": "10,s1,2,3",
    "time is not a number": "ten,s1,2",
    "time is not an integer": "1.5,s1,2",
    "no sensor": "10, ,2",
    "value is not a number": "10,s1,abc",
    "value is nan": "10,s1,nan",
    "value is infinite": "10,s1,-inf",
}


@pytest.mark.parametrize("line", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_parse_events_skips_and_counts_a_malformed_line(line):
    stats = Stats()
    got = list(parse_events(["1,s1,1", line, "2,s1,2"], stats))
    assert got == [E(1, "s1", 1), E(2, "s1", 2)], f"with {line!r} between two good lines, got {got}"
    assert stats.malformed == 1, f"{line!r} should count as 1 malformed line, stats are {stats}"


def test_keep_events_keeps_what_the_predicate_accepts_and_counts_the_rest():
    stats = Stats()
    events = [E(1, "a"), E(2, "test"), E(3, "b"), E(4, "test")]
    got = list(keep_events(events, lambda e: e.sensor != "test", stats))
    assert got == [E(1, "a"), E(3, "b")], f"keep_events dropping sensor 'test' gave {got}"
    assert stats.filtered == 2, f"2 events were filtered out, stats are {stats}"


# -- windows ---------------------------------------------------------------------------------------

WINDOWS = {
    "one window per sensor, yielded in (start, sensor) order": (
        [E(3, "b", 1), E(1, "a", 2), E(5, "b", 3)], 10, 0,
        [W(0, "a", 1, 2, 2, 2), W(0, "b", 2, 4, 1, 3)], 0),
    "count, total, low and high of mixed values": (
        [E(1, "a", -2.5), E(2, "a", 4), E(3, "a", 0.5)], 10, 0, [W(0, "a", 3, 2, -2.5, 4)], 0),
    "an out-of-order event within the lateness still counts": (
        [E(12, "a", 1), E(8, "a", 2)], 10, 5, [W(0, "a", 1, 2, 2, 2), W(10, "a", 1, 1, 1, 1)], 0),
    "an event behind the watermark is late: dropped and counted": (
        [E(16, "a", 1), E(8, "a", 2)], 10, 5, [W(10, "a", 1, 1, 1, 1)], 1),
    "an event at a window's end belongs to the next window and closes this one": (
        [E(10, "a", 1), E(9, "a", 2)], 10, 0, [W(10, "a", 1, 1, 1, 1)], 1),
    "the watermark never goes back": (
        [E(25, "a", 1), E(3, "a", 5), E(26, "a", 2)], 10, 0, [W(20, "a", 2, 3, 1, 2)], 1),
    "a published window is never reopened by a late event": (
        [E(5, "a", 1), E(15, "a", 1), E(7, "a", 9)], 10, 0, [W(0, "a", 1, 1, 1, 1), W(10, "a", 1, 1, 1, 1)], 1),
    "negative times floor to their window": (
        [E(-1, "a", 1), E(-10, "a", 2), E(-11, "a", 3)], 10, 20, [W(-20, "a", 1, 3, 3, 3), W(-10, "a", 2, 3, 1, 2)], 0),
    "no events, no windows": ([], 10, 0, [], 0),
}


@pytest.mark.parametrize("events,size,lateness,want,late", WINDOWS.values(), ids=WINDOWS.keys())
def test_tumbling_windows_by_event_time_with_a_watermark(events, size, lateness, want, late):
    stats = Stats()
    got = list(tumbling_windows(events, size, lateness, stats))
    call = f"tumbling_windows({[(e.ts, e.sensor, e.value) for e in events]}, size={size}, lateness={lateness})"
    assert got == want, f"{call} gave {got}, expected {want}"
    assert stats.late == late, f"{call} counted {stats.late} late events, expected {late}"


def test_a_window_comes_out_as_soon_as_the_watermark_passes_its_end():
    source = Counting([E(1), E(8), E(14), E(16), E(22), E(31)])
    got = [(window.start, source.pulled) for window in tumbling_windows(source, 10, 5)]
    want = [(0, 4), (10, 6), (20, 6), (30, 6)]
    assert got == want, (f"(window start, events pulled when it came out) were {got}, expected {want}: with "
                         "lateness 5, ts=16 moves the watermark to 11 and window [0, 10) is final right then")


@pytest.mark.parametrize("size,lateness", [(0, 0), (10, -1)], ids=["size 0", "negative lateness"])
def test_bad_window_settings_raise_value_error(size, lateness):
    with pytest.raises(ValueError):
        next(tumbling_windows(iter([E(1)]), size, lateness))
        pytest.fail(f"tumbling_windows(size={size}, lateness={lateness}) did not raise ValueError")


def windows_oracle(events: list[Event], size: int, lateness: int) -> tuple[list[WindowAggregate], int]:
    """Straight from the rules, with the whole list in hand: the watermark at each event, then group."""
    watermarks = list(itertools.accumulate((e.ts - lateness for e in events), max))
    groups: dict[tuple[int, str], list[float]] = {}
    late = 0
    for event, watermark in zip(events, watermarks):
        start = (event.ts // size) * size
        if start + size <= watermark:
            late += 1
        else:
            groups.setdefault((start, event.sensor), []).append(event.value)
    return [W(start, sensor, len(v), sum(v), min(v), max(v)) for (start, sensor), v in sorted(groups.items())], late


EVENTS = st.lists(st.builds(E, st.integers(-30, 120), st.sampled_from("ab"), st.integers(-50, 50)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(events=EVENTS, size=st.integers(1, 15), lateness=st.integers(0, 20))
def test_tumbling_windows_match_the_rules_applied_to_the_whole_list(events, size, lateness):
    stats = Stats()
    got = list(tumbling_windows(iter(events), size, lateness, stats))
    want, late = windows_oracle(events, size, lateness)
    assert (got, stats.late) == (want, late), (
        f"tumbling_windows({[(e.ts, e.sensor, e.value) for e in events]}, size={size}, lateness={lateness}) "
        f"gave {got} with {stats.late} late; expected {want} with {late} late")


# -- the whole pipeline ----------------------------------------------------------------------------

def test_the_pipeline_parses_filters_windows_and_counts_what_it_dropped():
    lines = ["1,s1,10", "garbage", "4,test,99", "12,s1,20", "3,s1,30", "15,s2,5", "21,s1,1", "2,s1,7"]
    stats = Stats()
    got = list(pipeline(lines, size=10, lateness=5, keep=lambda e: e.sensor != "test", stats=stats))
    want = [W(0, "s1", 2, 40, 10, 30), W(10, "s1", 1, 20, 20, 20), W(10, "s2", 1, 5, 5, 5),
            W(20, "s1", 1, 1, 1, 1)]
    assert got == want, f"pipeline({lines}, size=10, lateness=5) gave {got}, expected {want}"
    assert stats == Stats(malformed=1, filtered=1, late=1), f"stats are {stats}, expected 1 of each"


def endless_lines() -> Iterator[str]:
    """One reading a second from three sensors, forever."""
    for i in itertools.count():
        yield f"{i},s{i % 3},{i % 7}"


@pytest.mark.timeout(30)
def test_the_pipeline_is_lazy_on_an_endless_source():
    source = Counting(endless_lines())
    got = list(itertools.islice(pipeline(source, size=10, lateness=5), 3))
    want = [W(0, "s0", 4, 11, 0, 6), W(0, "s1", 3, 5, 0, 4), W(0, "s2", 3, 8, 1, 5)]
    assert got == want, f"the first three results from an endless feed were {got}, expected {want}"
    assert source.pulled == 16, (f"the first windows are final once ts=15 arrives (the 16th line); the pipeline "
                                 f"pulled {source.pulled} lines: pull only what the next result needs")


# -- cleanup ---------------------------------------------------------------------------------------

def closable_source(items, log: list[str]) -> Iterator:
    """A generator with cleanup in finally, like a socket or file reader; it records that cleanup ran."""
    try:
        yield from items
    finally:
        log.append("source cleaned up")


STAGES = {
    "parse_events": (lambda source: parse_events(source), endless_lines),
    "keep_events": (lambda source: keep_events(source, lambda e: True), lambda: (E(i) for i in itertools.count())),
    "tumbling_windows": (lambda source: tumbling_windows(source, 10, 0), lambda: (E(i) for i in itertools.count())),
    "pipeline": (lambda source: pipeline(source, 10, 0), endless_lines),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("stage,items", STAGES.values(), ids=STAGES.keys())
def test_closing_a_stage_runs_the_cleanup_of_its_source(stage, items):
    log: list[str] = []
    source = closable_source(Counting(items()), log)   # the test keeps a reference: only close() cleans it
    results = stage(source)
    next(results)
    results.close()
    assert log == ["source cleaned up"], (
        "after close() on the stage, the source generator's finally did not run: each stage must close its "
        "input in its own try/finally (a for loop does not close what it iterates)")
    with pytest.raises(StopIteration):
        next(results)
        pytest.fail("a closed generator gave another result")


def test_the_source_is_cleaned_up_when_a_later_stage_fails():
    log: list[str] = []

    def keep(event: Event) -> bool:
        if event.ts == 3:
            raise KeyError("lookup table has no entry for this sensor")
        return True

    source = closable_source(Counting(endless_lines()), log)
    with pytest.raises(KeyError):
        list(pipeline(source, 10, 0, keep=keep))
    assert log == ["source cleaned up"], "an error in keep() propagated but the source was never cleaned up"


# -- memory ----------------------------------------------------------------------------------------

SMALL, LARGE = 100_000, 1_000_000
ALLOWED_GROWTH = 64 * 1024          # bytes the peak may grow by from SMALL to LARGE readings


def sensor_feed(n: int) -> Iterator[str]:
    """n deterministic readings: 4 a second from 8 sensors, up to 20 s out of order, a few very late
    (every 500th is 2 minutes behind) and a few malformed (every 997th)."""
    sensors = [f",s{k}," for k in range(8)]
    for i in range(n):
        if i % 997 == 0:
            yield "garbage"
            continue
        ts = i // 4 - (i * 7919) % 21 - (120 if i % 500 == 0 else 0)
        yield f"{ts}{sensors[i % 8]}{i % 100}"


def peak_bytes(n: int) -> tuple[int, int, Stats]:
    """Peak traced memory while the pipeline consumes n readings (results are counted, not kept)."""
    stats = Stats()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        results = sum(1 for _ in pipeline(sensor_feed(n), size=60, lateness=30, stats=stats))
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return peak, results, stats


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_memory_stays_flat_from_ten_to_the_five_to_ten_to_the_six_readings():
    small_peak, small_results, _ = peak_bytes(SMALL)
    large_peak, large_results, stats = peak_bytes(LARGE)
    assert large_results > 9 * small_results, (
        f"{LARGE} readings gave {large_results} windows and {SMALL} gave {small_results}: every reading "
        "should be windowed")
    assert stats.late > 0 and stats.malformed > 0, f"the feed has late and malformed readings; stats are {stats}"
    assert large_peak <= small_peak + ALLOWED_GROWTH, (
        f"peak memory was {small_peak / 1024:.0f} KiB over {SMALL} readings and {large_peak / 1024:.0f} KiB over "
        f"{LARGE}: it grows with the stream. Keep only the open windows' running aggregates: no lists of "
        "events, no record of windows already yielded")
