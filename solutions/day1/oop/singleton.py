"""Singleton: one shared instance per class, safe when many threads ask for it first at once.

Interviewers ask "how would you implement a Singleton in Python, and when would you use one?"
They listen for the options (a module, a metaclass, __new__), for the race on first access, and
for how you keep tests independent when an object is global.

    class AppConfig(metaclass=SingletonMeta): ...

    AppConfig(env="prod") is AppConfig()   # True: the second call returns the first instance
    AppConfig.reset_instance()             # tests only: the next call builds a fresh one

Requirements
- `SingletonMeta` is a metaclass. The first call `C(...)` of a class C using it creates the
  instance (running `__init__` once, with those arguments); every later call returns that same
  instance, ignores its arguments and does NOT run `__init__` again.
- Each class has its own instance: two singleton classes never share one, and a subclass of a
  singleton class gets its own instance too.
- Thread safe: when many threads call `C()` for the first time at once, `__init__` runs exactly
  once and every thread gets the same object. Guard creation with a lock, and check again inside
  the lock (double-checked locking), so that later calls do not queue on it.
- If `__init__` raises, nothing is stored, the error propagates, the lock is released, and the
  next call tries again.
- `C.reset_instance()` forgets C's instance (only C's): the next `C()` builds a new one. It exists
  for tests, which must not leak state into each other.
- `AppConfig(env="dev")` is the given example class: `env` and an empty `values` dict.
"""
from __future__ import annotations

import threading
from typing import Any


class SingletonMeta(type):
    """Metaclass: one instance per class, created on first call under a lock."""

    _instances: dict[type, Any] = {}
    _lock = threading.Lock()

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        instance = SingletonMeta._instances.get(cls)
        if instance is not None:                      # fast path: no lock once created
            return instance
        with SingletonMeta._lock:
            instance = SingletonMeta._instances.get(cls)
            if instance is None:                      # check again: another thread may have won
                instance = super().__call__(*args, **kwargs)
                SingletonMeta._instances[cls] = instance
        return instance

    def reset_instance(cls) -> None:
        """Forget this class's instance (for tests)."""
        with SingletonMeta._lock:
            SingletonMeta._instances.pop(cls, None)


class AppConfig(metaclass=SingletonMeta):
    """The example singleton: process-wide settings."""

    def __init__(self, env: str = "dev") -> None:
        self.env = env
        self.values: dict[str, Any] = {}


# Why
# - The simplest singleton in Python is a module: it is imported once and cached in sys.modules,
#   and the import lock makes that thread safe. Use a metaclass when you need a class (lazy
#   creation, constructor arguments, subclassing). A __new__-based singleton re-runs __init__ on
#   every call, silently resetting state: the classic trap.
# - Check, lock, check again: the first unlocked check keeps later calls lock-free (O(1), no
#   contention); the second check, inside the lock, stops a thread that lost the race from building
#   a second instance. One lock for all classes is fine: creation happens once per class.
#   `with lock:` releases it even when __init__ raises.
# - When to use one: a shared, expensive resource (a connection pool, a config loaded once, a
#   metrics registry). Costs: hidden global state, order-dependent tests (hence reset_instance),
#   and it is per process: multiprocessing workers each get their own. Often dependency injection
#   of one object created at start-up is the better answer; say so.
