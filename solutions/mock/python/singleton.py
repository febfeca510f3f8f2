"""Singleton, the follow-up: three Pythonic forms, and the case against the pattern.

day1.oop.singleton built the metaclass with double-checked locking. In the interview the next
questions are "is there a simpler way in Python?" and "why might you not want one at all?". Here
you write the three forms a Python developer actually uses, then the better design: a service that
receives its dependencies as parameters, so a test can hand it a fake and a fresh counter.

    metrics.increment("signups")             # Form 1: a module attribute, created once at import
    ConnectionPool(size=8) is ConnectionPool()   # Form 2: __new__ with a lock -> True
    get_client() is get_client("eu-west-1")  # Form 3: a cached factory, one client per region -> True

    service = SignupService(mailer=FakeMailer(), metrics=Metrics())   # the case against: inject
    service.sign_up(" Ada@Example.com ")     # True: one welcome mail sent, "signups" counted

Requirements
- Form 1, a module attribute. `Metrics` is an ordinary class of named counters (anyone may make
  more instances, which is what tests want): `increment(name, by=1)` adds and returns the new
  count, `count(name)` is 0 for a name never incremented, `reset()` forgets every counter.
  The module attribute `metrics` is THE shared instance, created once when the module is imported
  (the import system caches modules in sys.modules, so every importer gets the same object).
  Because it is shared, state written by one test is seen by the next: the tests show this with
  two real pytest runs, and show that calling `metrics.reset()` before each test ends it.
- Form 2, `__new__` with a lock. `ConnectionPool(size=4)` returns one instance per class: the
  first call creates it and runs `_open(size)` on it (the given, expensive part); every later call
  returns that instance, ignores its arguments, and neither runs `_open` again nor resets state.
  Do the set-up inside `__new__` and define no `__init__`: Python calls `__init__` on EVERY
  `ConnectionPool()` call, so set-up there would wipe the state each time.
  Thread safe: many threads calling it first at once run `_open` exactly once and all get the same
  object (lock, then check again inside the lock). A subclass gets its own instance, never its
  parent's (store it on the class itself: look in `cls.__dict__`, which inheritance does not
  reach). If `_open` raises, nothing is stored and the next call tries again.
  `ConnectionPool.reset_instance()` forgets that class's instance only (for tests).
- Form 3, a cached factory. `get_client(region=DEFAULT_REGION)` returns one `StorageClient` per
  region, built on first use. `get_client()`, `get_client("eu-west-1")` and
  `get_client(region="eu-west-1")` are the same client: functools.cache keys on the arguments as
  written, so normalise them before the cached call. `reset_clients()` forgets every client.
- The case against. `SignupService(mailer, metrics)` takes its dependencies as parameters and never
  reaches for the module's `metrics`. `sign_up(email)` normalises the address (strip, lower case);
  one without "@" raises ValueError. A new address gets one `mailer.send(to, subject, body)` with
  the normalised address and subject "Welcome", then `metrics.increment("signups")`, and returns
  True. An address already signed up returns False and sends and counts nothing. If `send` raises,
  the error propagates and the address is NOT recorded and nothing is counted, so a retry works.
"""
from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Protocol

DEFAULT_REGION = "eu-west-1"


# -- Form 1: a module attribute ------------------------------------------------------------------

class Metrics:
    """Named counters. An ordinary class: the module makes the shared one, tests make their own."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def increment(self, name: str, by: int = 1) -> int:
        with self._lock:                         # += on a dict entry is not atomic across threads
            self._counts[name] = self._counts.get(name, 0) + by
            return self._counts[name]

    def count(self, name: str) -> int:
        return self._counts.get(name, 0)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


metrics: Metrics = Metrics()     # Form 1: created once, at import; every importer shares it


# -- Form 2: __new__ with a lock -------------------------------------------------------------------

class ConnectionPool:
    """One pool per class, created under a lock on the first call."""

    _lock = threading.Lock()

    def __new__(cls, size: int = 4) -> ConnectionPool:
        instance = cls.__dict__.get("_instance")          # this class's own, never a parent's
        if instance is not None:
            return instance
        with ConnectionPool._lock:
            instance = cls.__dict__.get("_instance")      # check again: another thread may have won
            if instance is None:
                instance = super().__new__(cls)
                instance._open(size)                      # set-up here, once; no __init__
                cls._instance = instance
        return instance

    def _open(self, size: int) -> None:
        """The expensive part (given): runs once per instance. Tests override it to count and slow it."""
        self.size = size
        self.connections = [f"connection-{i}" for i in range(size)]

    @classmethod
    def reset_instance(cls) -> None:
        """Forget this class's instance (for tests)."""
        with ConnectionPool._lock:
            if "_instance" in cls.__dict__:
                delattr(cls, "_instance")


# -- Form 3: a cached factory ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class StorageClient:
    """Stands in for an expensive client (say, boto3's): compare clients by identity."""

    region: str


@functools.cache
def _client_for(region: str) -> StorageClient:
    return StorageClient(region)


def get_client(region: str = DEFAULT_REGION) -> StorageClient:
    """One client per region, built on first use."""
    return _client_for(region)      # one cache key per region, however the caller spelled the call


def reset_clients() -> None:
    """Forget every client (for tests)."""
    _client_for.cache_clear()


# -- The case against: dependencies as parameters -----------------------------------------------------

class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class SignupService:
    """Signs users up. Its collaborators come in as parameters: a test passes fakes."""

    def __init__(self, mailer: Mailer, metrics: Metrics) -> None:
        self._mailer = mailer
        self._metrics = metrics
        self._members: set[str] = set()

    def sign_up(self, email: str) -> bool:
        address = email.strip().lower()
        if "@" not in address:
            raise ValueError(f"not an email address: {email!r}")
        if address in self._members:
            return False
        self._mailer.send(address, "Welcome", f"Hello {address}, thanks for signing up.")
        self._members.add(address)                 # only once the mail went out: a retry can resend
        self._metrics.increment("signups")
        return True


# Why
# - Form 1 is the Pythonic default: a module is imported once and cached in sys.modules (the import
#   lock makes that thread safe), so a module attribute IS a singleton, with no machinery. Its cost:
#   it is created at import time, and it is global, so tests share it (shown by the leak test).
# - Form 2 when you need laziness or a class: check, lock, check again; keep the set-up in __new__,
#   because __init__ runs on every call and would reset the state. Look the instance up in
#   cls.__dict__ so a subclass does not inherit its parent's. O(1), lock-free after the first call.
# - Form 3 is the lightest lazy form: functools.cache(factory). Two traps: its key is the call as
#   written (f() and f("eu-west-1") are two entries), and under concurrent first calls it may run the
#   factory twice (the cache stays consistent, the function is not locked); add a lock if the
#   construction must happen once.
# - The case against: a singleton is a global variable with a nicer name. It hides dependencies,
#   couples callers to one implementation, and leaks state between tests. Create the one instance at
#   start-up (the composition root) and pass it in: production still has exactly one, and a test
#   can pass a fake mailer (including one that fails) and a fresh Metrics, in any order.
