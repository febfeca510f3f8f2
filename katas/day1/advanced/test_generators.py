"""Tests for the generators kata: run `pytest katas/day1/advanced/test_generators.py`."""
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.advanced.generators import Countdown, chunked, large_amounts, parse_lines, running_average


class Source:
    """An iterator that counts how many items were pulled, and fails loudly past `limit`.

    Wrapping itertools.count() in it turns "the code materialised an infinite input" into a failing
    assertion instead of a hang.
    """

    def __init__(self, items, limit=10_000):
        self.items, self.limit, self.pulled = iter(items), limit, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.pulled >= self.limit:
            raise AssertionError(f"pulled more than {self.limit} items from the source: the input is being "
                                 "materialised (list(), sorted(), len()...) instead of streamed")
        item = next(self.items)
        self.pulled += 1
        return item


# --- chunked ------------------------------------------------------------------------------------

CHUNK_CASES = {
    "exact multiple": (range(6), 3, [[0, 1, 2], [3, 4, 5]]),
    "last partial chunk is kept": (range(7), 3, [[0, 1, 2], [3, 4, 5], [6]]),
    "empty input gives no chunks, not one empty chunk": ([], 3, []),
    "n larger than the input": ([1], 5, [[1]]),
    "n of one": ("ab", 1, [["a"], ["b"]]),
    "unicode string is chunked by character": ("añb✓", 2, [["a", "ñ"], ["b", "✓"]]),
}


@pytest.mark.parametrize("items,n,want", CHUNK_CASES.values(), ids=CHUNK_CASES.keys())
def test_chunked_yields_lists_of_n_and_keeps_the_rest(items, n, want):
    got = list(chunked(items, n))
    assert got == want, f"list(chunked({items!r}, {n})) returned {got!r}, expected {want!r}"


@pytest.mark.parametrize("n", [0, -2])
def test_chunked_rejects_a_bad_size_at_the_call_not_at_the_first_next(n):
    source = Source(range(10))
    with pytest.raises(ValueError):
        chunked(source, n)
        pytest.fail(f"chunked(items, {n}) returned without raising: validate outside the generator body")
    assert source.pulled == 0, f"chunked pulled {source.pulled} items before rejecting n={n}"


@pytest.mark.timeout(5)
def test_chunked_works_on_infinite_input_and_pulls_only_what_it_yields():
    source = Source(itertools.count())
    chunks = chunked(source, 3)
    assert source.pulled == 0, f"calling chunked() already pulled {source.pulled} items; nothing until next()"
    first = next(chunks)
    assert first == [0, 1, 2], f"first chunk of itertools.count() in threes was {first!r}"
    assert source.pulled == 3, f"after the first chunk of 3, {source.pulled} items were pulled, expected 3"
    assert next(chunks) == [3, 4, 5]


def chunked_oracle(items, n):
    out, current = [], []
    for item in items:
        current.append(item)
        if len(current) == n:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


@settings(max_examples=100, deadline=None)
@given(items=st.lists(st.integers(), max_size=30), n=st.integers(1, 8))
def test_chunked_matches_the_loop(items, n):
    got = list(chunked(iter(items), n))
    assert got == chunked_oracle(items, n), f"list(chunked({items!r}, {n})) returned {got!r}"


# --- Countdown ----------------------------------------------------------------------------------


def test_countdown_counts_down_to_one():
    got = list(Countdown(3))
    assert got == [3, 2, 1], f"list(Countdown(3)) returned {got!r}, expected [3, 2, 1]"


def test_countdown_is_its_own_iterator_and_stays_exhausted():
    countdown = Countdown(2)
    assert iter(countdown) is countdown, "an iterator's __iter__ must return self"
    assert [next(countdown), next(countdown)] == [2, 1]
    for attempt in range(2):
        with pytest.raises(StopIteration):
            got = next(countdown)
            pytest.fail(f"next() on an exhausted Countdown returned {got!r} (attempt {attempt + 1})")
    assert list(countdown) == [], "an exhausted iterator yields nothing when looped again"


def test_countdown_from_zero_yields_nothing():
    got = list(Countdown(0))
    assert got == [], f"list(Countdown(0)) returned {got!r}"


def test_countdown_refuses_a_negative_start():
    with pytest.raises(ValueError):
        Countdown(-1)
        pytest.fail("Countdown(-1) did not raise ValueError")


# --- parse_lines / large_amounts ---------------------------------------------------------------

PARSE_CASES = {
    "plain lines": (["ann,5", "bob,2.5"], [("ann", 5.0), ("bob", 2.5)]),
    "whitespace stripped from both fields": (["  ann , 5 \n"], [("ann", 5.0)]),
    "blank lines skipped": (["", "   ", "\n", "ann,1"], [("ann", 1.0)]),
    "comments skipped, even indented": (["# name,amount", "  # note", "ann,1"], [("ann", 1.0)]),
    "wrong number of fields skipped": (["ann", "ann,1,2", "bob,3"], [("bob", 3.0)]),
    "amount not a number skipped": (["ann,five", "bob,", "cy,-1.5"], [("cy", -1.5)]),
    "empty name skipped": ([",5", " ,6", "dee,7"], [("dee", 7.0)]),
    "unicode names kept": (["Zoë,3", "Øyvind,4"], [("Zoë", 3.0), ("Øyvind", 4.0)]),
}


@pytest.mark.parametrize("lines,want", PARSE_CASES.values(), ids=PARSE_CASES.keys())
def test_parse_lines_yields_name_and_float_amount(lines, want):
    got = list(parse_lines(lines))
    assert got == want, f"list(parse_lines({lines!r})) returned {got!r}, expected {want!r}"


def test_large_amounts_keeps_amounts_at_or_above_the_threshold():
    lines = ["# header", "ann,5", "bob,10", "cy,50", "bad line", "dee,9.99"]
    got = list(large_amounts(lines, 10))
    assert got == [("bob", 10.0), ("cy", 50.0)], f"large_amounts({lines!r}, 10) returned {got!r}"


@pytest.mark.timeout(5)
def test_pipeline_is_lazy_on_an_infinite_stream_of_lines():
    lines = Source(itertools.cycle(["# comment", "small,1", "big,100"]))
    records = large_amounts(lines, 50)
    assert lines.pulled == 0, f"building the pipeline read {lines.pulled} lines; it must read nothing yet"
    first = next(records)
    assert first == ("big", 100.0), f"first record was {first!r}"
    assert lines.pulled == 3, f"{lines.pulled} lines were read to find the first match on line 3"
    got = list(itertools.islice(records, 4))
    assert got == [("big", 100.0)] * 4 and lines.pulled == 15, f"got {got}, read {lines.pulled} lines"


@pytest.mark.timeout(5)
def test_parse_lines_is_lazy_on_an_infinite_stream():
    lines = Source(f"user{i},{i}" for i in itertools.count())
    got = list(itertools.islice(parse_lines(lines), 3))
    assert got == [("user0", 0.0), ("user1", 1.0), ("user2", 2.0)] and lines.pulled == 3, \
        f"got {got} after reading {lines.pulled} lines"


def large_amounts_oracle(lines, min_amount):
    out = []
    for line in lines:
        line = line.strip()
        if line == "" or line[0] == "#":
            continue
        parts = line.split(",")
        if len(parts) != 2 or parts[0].strip() == "":
            continue
        try:
            amount = float(parts[1])
        except ValueError:
            continue
        if amount >= min_amount:
            out.append((parts[0].strip(), amount))
    return out


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.text(alphabet="ab,17.# -", max_size=8), max_size=12), min_amount=st.integers(-5, 20))
def test_large_amounts_matches_the_loop(lines, min_amount):
    got = list(large_amounts(iter(lines), min_amount))
    assert got == large_amounts_oracle(lines, min_amount), f"large_amounts({lines!r}, {min_amount}) returned {got!r}"


# --- running_average ----------------------------------------------------------------------------


def test_running_average_is_primed_with_next_and_fed_with_send():
    avg = running_average()
    primed = next(avg)
    assert primed is None, f"next() on a fresh running_average() returned {primed!r}, expected None"
    got = [avg.send(10), avg.send(20), avg.send(30)]
    assert got == [10.0, 15.0, 20.0], f"send(10), send(20), send(30) returned {got}, expected [10.0, 15.0, 20.0]"
    assert all(isinstance(x, float) for x in got), f"averages must be floats, got {[type(x).__name__ for x in got]}"


def test_running_averages_do_not_share_state():
    first, second = running_average(), running_average()
    next(first), next(second)
    first.send(100)
    got = second.send(1)
    assert got == 1.0, f"a second running_average() returned {got!r} after send(1): state leaked between generators"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=30))
def test_running_average_equals_the_mean_of_everything_sent(values):
    avg = running_average()
    next(avg)
    for i, value in enumerate(values):
        got = avg.send(value)
        want = sum(values[: i + 1]) / (i + 1)
        assert math.isclose(got, want, abs_tol=1e-9), f"after sending {values[: i + 1]}, got {got}, expected {want}"
