"""Tests for the memory kata: run `pytest katas/mock/python/test_memory.py`.

Nothing here depends on timing: every test that needs cycles freed calls gc.collect() itself, and
every test that switches the collector or tracemalloc off or on puts it back in a `finally`.
"""
import gc
import tracemalloc
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.python.memory import (
    CYCLE_COLLECTOR,
    NOT_FREED,
    REFCOUNT,
    Node,
    Reading,
    SlimReading,
    WeakCache,
    bytes_per_instance,
    how_freed,
)


class Report:
    """A cacheable value: an ordinary object, so it can be weakly referenced."""

    def __init__(self, key):
        self.key = key


class CountingLoader:
    def __init__(self):
        self.calls = []

    def __call__(self, key):
        self.calls.append(key)
        return Report(key)


# -- WeakCache -----------------------------------------------------------------------------------------

def test_a_value_is_loaded_once_while_someone_holds_it():
    load = CountingLoader()
    cache = WeakCache(load)
    first = cache.get("2024-05")
    again = cache.get("2024-05")
    assert again is first, "a second get('2024-05') while the first result is held returned a new object"
    assert load.calls == ["2024-05"], f"load was called for {load.calls}; expected once, on the miss"
    assert "2024-05" in cache and len(cache) == 1, \
        f"'2024-05' in cache, len(cache): {'2024-05' in cache}, {len(cache)}; expected True, 1"


def test_a_value_nobody_holds_is_let_go_and_loaded_again():
    load = CountingLoader()
    cache = WeakCache(load)
    report = cache.get("2024-05")
    freed = []
    weakref.finalize(report, freed.append, "2024-05")
    del report
    gc.collect()
    assert freed == ["2024-05"], \
        "the value was not freed after its last outside reference went: the cache keeps it alive"
    assert "2024-05" not in cache and len(cache) == 0, (
        f"after the value was freed, '2024-05' in cache is {'2024-05' in cache} and len(cache) is "
        f"{len(cache)}; only live values count")
    reloaded = cache.get("2024-05")
    assert isinstance(reloaded, Report) and load.calls == ["2024-05", "2024-05"], \
        f"get after the value was freed returned {reloaded!r}, load calls {load.calls}; expected a fresh load"


class Packed:
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key


NOT_WEAKLY_REFERENCEABLE = {
    "an int": lambda key: 10**6 + len(key),
    "a str": lambda key: key.upper(),
    "a tuple": lambda key: (key,),
    "__slots__ without __weakref__": Packed,
}


@pytest.mark.parametrize("load", NOT_WEAKLY_REFERENCEABLE.values(), ids=NOT_WEAKLY_REFERENCEABLE.keys())
def test_a_value_that_cannot_be_weakly_referenced_raises_type_error(load):
    cache = WeakCache(load)
    with pytest.raises(TypeError):
        cache.get("k")


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(["get", "release"]), st.integers(0, 3)), max_size=12))
def test_load_runs_exactly_when_the_key_is_not_held_elsewhere(steps):
    """Model: a get loads iff the test does not hold that key's value at the time."""
    load = CountingLoader()
    cache = WeakCache(load)
    held: dict[int, Report] = {}
    want_loads = 0
    for action, key in steps:
        if action == "get":
            want_loads += key not in held
            value = cache.get(key)
            assert value.key == key and held.setdefault(key, value) is value, \
                f"after {steps}: get({key}) returned {value!r}, not the value still held for that key"
            del value
        else:
            held.pop(key, None)
            gc.collect()
        assert len(load.calls) == want_loads, \
            f"after steps {steps}: load ran {len(load.calls)} times, expected {want_loads}"
        assert len(cache) == len(held), \
            f"after steps {steps}: len(cache) is {len(cache)}, live values are {len(held)}"


# -- how_freed: reference counting and the cyclic collector ----------------------------------------

class Thing:
    pass


def self_loop():
    thing = Thing()
    thing.me = thing
    return thing


def pair():
    a, b = Thing(), Thing()
    a.other, b.other = b, a
    return a


class StrongNode:
    """A tree whose children point back at their parent strongly: every link is a cycle."""

    def __init__(self):
        self.children = []
        self.parent = None

    def add_child(self, child):
        self.children.append(child)
        child.parent = self
        return child


def strong_tree():
    root = StrongNode()
    root.add_child(StrongNode()).add_child(StrongNode())
    return root


KEPT = []


def holder_of_things():
    holder = Thing()
    holder.items = [Thing(), Thing()]
    return holder


def kept_elsewhere():
    thing = Thing()
    KEPT.append(thing)
    return thing


HOW_FREED_CASES = {
    "a lone object": (Thing, REFCOUNT),
    "an object holding a list of objects": (holder_of_things, REFCOUNT),
    "an object that refers to itself": (self_loop, CYCLE_COLLECTOR),
    "two objects that refer to each other": (pair, CYCLE_COLLECTOR),
    "a tree with strong parent links": (strong_tree, CYCLE_COLLECTOR),
    "an object a global list still holds": (kept_elsewhere, NOT_FREED),
}


@pytest.mark.parametrize("build,want", HOW_FREED_CASES.values(), ids=HOW_FREED_CASES.keys())
def test_how_freed_tells_refcounting_from_the_cycle_collector(build, want):
    try:
        got = how_freed(build)
    finally:
        KEPT.clear()
    assert got == want, f"how_freed({build.__name__}) returned {got!r}, expected {want!r}"


@pytest.mark.parametrize("enabled_before", [True, False], ids=["collector on before", "collector off before"])
def test_how_freed_watches_with_the_collector_off_and_puts_it_back(enabled_before):
    seen = []

    def build():
        seen.append(gc.isenabled())
        return self_loop()

    was = gc.isenabled()
    try:
        gc.enable() if enabled_before else gc.disable()
        got = how_freed(build)
        after = gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False], f"build() ran with gc.isenabled() == {seen}: disable the collector while watching"
    assert got == CYCLE_COLLECTOR, f"how_freed(self_loop) returned {got!r}, expected {CYCLE_COLLECTOR!r}"
    assert after is enabled_before, (
        f"the collector was {'on' if enabled_before else 'off'} before how_freed "
        f"and {'on' if after else 'off'} after: restore its previous state")


def test_how_freed_restores_the_collector_when_build_raises():
    def build():
        raise RuntimeError("build failed")

    was = gc.isenabled()
    try:
        gc.enable()
        with pytest.raises(RuntimeError, match="build failed"):
            how_freed(build)
        after = gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
    assert after, "the collector stayed off after build() raised: restore it in a `finally`"


# -- Node: a tree without cycles ----------------------------------------------------------------------

def node_tree():
    root = Node("root")
    left = root.add_child(Node("left"))
    left.add_child(Node("leaf"))
    root.add_child(Node("right"))
    return root


def test_node_links_parents_and_children():
    root = Node("root")
    child = root.add_child(Node("child"))
    assert child.name == "child" and root.children == [child], \
        f"add_child returned {child!r}, root.children is {root.children}"
    assert child.parent is root and root.parent is None, \
        f"child.parent is {child.parent!r}, root.parent is {root.parent!r}; expected root, None"


def test_a_tree_of_nodes_is_freed_by_refcounting_alone():
    got = how_freed(node_tree)
    assert got == REFCOUNT, (f"how_freed(node_tree) returned {got!r}, expected {REFCOUNT!r}: a child holding "
                             "its parent strongly makes a cycle; hold the parent through a weak reference")


def test_a_child_does_not_keep_its_parent_alive():
    root = Node("root")
    child = root.add_child(Node("child"))
    del root
    gc.collect()
    assert child.parent is None, \
        f"after the root was dropped, child.parent is {child.parent!r}, expected None"


# -- __slots__, measured --------------------------------------------------------------------------------

def test_slim_reading_has_slots_not_a_dict():
    slim = SlimReading("s1", 7, 0.5)
    assert (slim.sensor, slim.ts, slim.value) == ("s1", 7, 0.5), "SlimReading lost its attributes"
    assert not hasattr(slim, "__dict__"), "SlimReading instances have a __dict__: declare __slots__"
    with pytest.raises(AttributeError):
        slim.colour = "red"


def test_a_slim_reading_can_still_go_into_a_weak_cache():
    cache = WeakCache(lambda ts: SlimReading("s1", ts, 0.5))
    try:
        reading = cache.get(7)
    except TypeError as exc:
        pytest.fail(f"WeakCache could not hold a SlimReading ({exc}): add '__weakref__' to its __slots__")
    assert weakref.ref(reading)() is reading and 7 in cache


MEASURE_CASES = {
    "nothing but the list slot": (lambda i: None, 0, 16),
    "a 1000-byte buffer each": (lambda i: bytearray(1000), 1000, 1120),
}


@pytest.mark.parametrize("make,low,high", MEASURE_CASES.values(), ids=MEASURE_CASES.keys())
def test_bytes_per_instance_measures_what_the_objects_keep_alive(make, low, high):
    got = bytes_per_instance(make, n=2000)
    assert low <= got <= high, f"bytes_per_instance gave {got:.1f} bytes per object, expected {low} to {high}"


def test_slots_save_memory_per_instance():
    slim = bytes_per_instance(lambda i: SlimReading("s1", 7, 0.5))
    fat = bytes_per_instance(lambda i: Reading("s1", 7, 0.5))
    assert slim <= 80, f"a SlimReading costs {slim:.1f} bytes, expected at most 80"
    assert fat - slim >= 24, (f"a SlimReading costs {slim:.1f} bytes and a Reading {fat:.1f}: "
                              "__slots__ should save at least 24 bytes per instance")


@pytest.mark.parametrize("tracing_before", [False, True], ids=["tracing off before", "tracing on before"])
def test_bytes_per_instance_leaves_tracemalloc_as_it_found_it(tracing_before):
    was = tracemalloc.is_tracing()
    try:
        tracemalloc.start() if tracing_before else tracemalloc.stop()
        bytes_per_instance(lambda i: Thing(), n=100)
        after = tracemalloc.is_tracing()
    finally:
        tracemalloc.start() if was else tracemalloc.stop()
    assert after is tracing_before, (f"tracemalloc was {'on' if tracing_before else 'off'} before and "
                                     f"{'on' if after else 'off'} after bytes_per_instance")
