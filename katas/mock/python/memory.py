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
        raise NotImplementedError("TODO: keep the loader and an empty weak-valued mapping")

    def get(self, key: K) -> V:
        raise NotImplementedError("TODO: the live cached value, or load it and cache it weakly")

    def __contains__(self, key: object) -> bool:
        raise NotImplementedError("TODO: True only while the key's value is alive")

    def __len__(self) -> int:
        raise NotImplementedError("TODO: the number of live values")


def how_freed(build: Callable[[], Any]) -> str:
    """REFCOUNT, CYCLE_COLLECTOR or NOT_FREED: how the object build() returns gets freed."""
    raise NotImplementedError("TODO: collector off, watch build()'s result with a weakref callback, drop it, "
                              "then gc.collect(); restore the collector in a finally")


class Node:
    """A tree node whose parent link is weak, so a tree has no reference cycle."""

    def __init__(self, name: str) -> None:
        raise NotImplementedError("TODO: a name, an empty children list, no parent yet")

    @property
    def parent(self) -> Node | None:
        raise NotImplementedError("TODO: the parent while it is alive, else None")

    def add_child(self, child: Node) -> Node:
        raise NotImplementedError("TODO: append the child and point it weakly at this node")


class Reading:
    """Given: an ordinary class; each instance keeps its attributes in a dict."""

    def __init__(self, sensor: str, ts: int, value: float) -> None:
        self.sensor = sensor
        self.ts = ts
        self.value = value


class SlimReading:
    """The same record with __slots__: fixed attributes, no per-instance dict."""

    def __init__(self, sensor: str, ts: int, value: float) -> None:
        raise NotImplementedError("TODO: declare __slots__ (keep weakref support), set the attributes")


def bytes_per_instance(make: Callable[[int], object], n: int = 10_000) -> float:
    """Bytes kept alive per object by n objects make(0) .. make(n - 1), measured with tracemalloc."""
    raise NotImplementedError("TODO: traced memory before and after building and keeping n objects, / n")
