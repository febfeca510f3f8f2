"""Tests for the singleton kata: run `pytest katas/day1/oop/test_singleton.py`.

Every test defines its own singleton classes, so no state leaks from one test to the next.
"""
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from katas.day1.oop.singleton import AppConfig, SingletonMeta

ROOT = Path(__file__).resolve().parents[3]


def counted_singleton():
    """A fresh singleton class that records every __init__ call."""

    class Counted(metaclass=SingletonMeta):
        inits = []

        def __init__(self, name="first"):
            Counted.inits.append(name)
            self.name = name
            self.values = {}

    return Counted


def test_later_calls_return_the_first_instance_and_ignore_their_arguments():
    Counted = counted_singleton()
    first = Counted("first")
    second = Counted("second")
    assert second is first, "Counted('second') returned a new object; a singleton returns the first instance"
    assert first.name == "first", f"name is {first.name!r}: later calls must not re-run __init__"


def test_init_runs_once_so_state_set_later_survives():
    Counted = counted_singleton()
    Counted().values["answer"] = 42
    again = Counted()
    assert Counted.inits == ["first"], f"__init__ ran {len(Counted.inits)} times for two calls"
    assert again.values == {"answer": 42}, f"state was lost: values is {again.values!r}"


def test_each_class_and_each_subclass_has_its_own_instance():
    A = counted_singleton()
    B = counted_singleton()

    class SubOfA(A):
        pass

    a, b, sub = A(), B(), SubOfA()
    assert a is not b, "two different singleton classes returned the same object"
    assert type(sub) is SubOfA and sub is not a, \
        f"SubOfA() returned a {type(sub).__name__}: a subclass needs its own instance, not its parent's"
    assert A() is a and SubOfA() is sub


def test_reset_instance_forgets_only_that_class():
    A = counted_singleton()
    B = counted_singleton()
    a, b = A(), B()
    A.reset_instance()
    fresh = A()
    assert fresh is not a, "after A.reset_instance(), A() must build a new instance"
    assert A.inits == ["first", "first"], f"A.__init__ calls: {A.inits}"
    assert B() is b, "A.reset_instance() must not touch B's instance"


def test_app_config_is_the_worked_example():
    try:
        config = AppConfig(env="prod")
        config.values["region"] = "eu-west-1"
        again = AppConfig(env="dev")
        assert again is config and again.env == "prod" and again.values == {"region": "eu-west-1"}, \
            f"AppConfig(env='dev') after AppConfig(env='prod') gave env={again.env!r}, values={again.values!r}"
    finally:
        AppConfig.reset_instance()
    assert AppConfig().env == "dev", "after reset_instance() a new AppConfig uses its default env"
    AppConfig.reset_instance()


@pytest.mark.timeout(10)
def test_concurrent_first_calls_build_exactly_one_instance():
    n = 8
    inits = []
    guard = threading.Lock()
    second_init = threading.Event()

    class Slow(metaclass=SingletonMeta):
        def __init__(self):
            with guard:
                inits.append(threading.get_ident())
                first = len(inits) == 1
            if first:
                # Hold the door open (at most 0.2 s): with a missing lock or a missing second
                # check, the other threads walk into __init__ during this window, every time.
                second_init.wait(0.2)
            else:
                second_init.set()

    barrier = threading.Barrier(n)
    got = [None] * n

    def call(i):
        barrier.wait()
        got[i] = Slow()

    threads = [threading.Thread(target=call, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(inits) == 1, (f"__init__ ran {len(inits)} times under {n} concurrent first calls; "
                             "lock the creation and check again inside the lock")
    assert all(obj is got[0] for obj in got) and got[0] is not None, \
        f"threads got {len({id(obj) for obj in got})} distinct objects (None means the call raised)"


FAILED_INIT_SCENARIO = """
import json, threading
from katas.day1.oop.singleton import SingletonMeta

attempts = []

class Flaky(metaclass=SingletonMeta):
    def __init__(self):
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("first construction fails")

try:
    Flaky()
    raised = None
except Exception as exc:
    raised = type(exc).__name__
got = []
retry = threading.Thread(target=lambda: got.append(Flaky()), daemon=True)
retry.start()
retry.join(2)
print(json.dumps({"raised": raised, "blocked": retry.is_alive(), "attempts": len(attempts),
                  "built": bool(got) and isinstance(got[0], Flaky)}))
"""


@pytest.mark.timeout(30)
def test_a_failed_init_stores_nothing_and_releases_the_lock():
    """Run in a process of its own: a lock left held there cannot block the other tests' singletons."""
    done = subprocess.run([sys.executable, "-c", FAILED_INIT_SCENARIO], cwd=ROOT, capture_output=True,
                          text=True, timeout=20, check=False)
    assert done.returncode == 0, f"the scenario crashed: {done.stderr.strip()[-600:]}"
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["raised"] == "ValueError", f"Flaky() whose __init__ raises ValueError raised {seen['raised']}"
    assert not seen["blocked"], "the second Flaky() blocked: the lock was not released when __init__ raised"
    assert seen["attempts"] == 2 and seen["built"], \
        f"after a failed __init__, the next call must try again (attempts: {seen['attempts']})"
