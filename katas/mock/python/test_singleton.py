"""Tests for the singleton follow-up: run `pytest katas/mock/python/test_singleton.py`.

Form 2 tests use subclasses made per test, Form 3 and the shared `metrics` are reset in `finally`,
so no state leaks between these tests. The leak test runs two small pytest sessions of its own.
"""
import importlib
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from katas.mock.python.singleton import (
    DEFAULT_REGION,
    ConnectionPool,
    Metrics,
    SignupService,
    StorageClient,
    get_client,
    reset_clients,
)

MODULE = "katas.mock.python.singleton"
ROOT = Path(__file__).resolve().parents[3]


# -- Form 1: a module attribute ----------------------------------------------------------------------

def test_metrics_counts_and_resets():
    counters = Metrics()
    never = counters.count("never")
    assert never == 0, f"count('never') on a new Metrics gave {never}, expected 0"
    steps = [("signups", 1, 1), ("signups", 1, 2), ("logins", 3, 3), ("signups", 5, 7)]
    for name, by, want in steps:
        got = counters.increment(name, by)
        assert got == want, f"increment({name!r}, {by}) returned {got}, expected the new count {want}"
    assert (counters.count("signups"), counters.count("logins")) == (7, 3)
    counters.reset()
    assert counters.count("signups") == 0, "after reset() every counter reads 0"


def test_the_module_attribute_is_one_instance_shared_by_every_importer():
    module = importlib.import_module(MODULE)
    shared = module.metrics
    assert isinstance(shared, Metrics), \
        f"{MODULE}.metrics is {shared!r}; Form 1 creates one Metrics at import"
    try:
        shared.reset()
        from katas.mock.python.singleton import metrics as seen_elsewhere
        seen_elsewhere.increment("shared")
        assert seen_elsewhere is sys.modules[MODULE].metrics is shared, "two imports gave two objects"
        assert shared.count("shared") == 1, "an increment through one import is not seen through the other"
        assert Metrics() is not shared and Metrics().count("shared") == 0, \
            "Metrics() must build a fresh, independent instance: only the module attribute is shared"
    finally:
        shared.reset()


LEAKY = '''
from katas.mock.python.singleton import metrics

def test_first_signup_is_counted():
    metrics.increment("signups")
    assert metrics.count("signups") == 1

def test_second_signup_is_counted():
    metrics.increment("signups")
    assert metrics.count("signups") == 1
'''

ISOLATED = '''
import pytest
from katas.mock.python.singleton import metrics

@pytest.fixture(autouse=True)
def fresh_metrics():
    metrics.reset()

def test_first_signup_is_counted():
    metrics.increment("signups")
    assert metrics.count("signups") == 1

def test_second_signup_is_counted():
    metrics.increment("signups")
    assert metrics.count("signups") == 1
'''


def run_pytest(folder: Path, *targets: str) -> dict[str, str]:
    """A separate pytest session (its own process, so its own module state): test name -> outcome."""
    report = folder / f"report-{len(list(folder.glob('report-*')))}.xml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("PYTEST_ADDOPTS", None)                   # the outer run's options are not for this one
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
                    *targets], cwd=folder, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert report.exists(), f"the inner pytest run of {targets} wrote no report"
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        module = case.get("classname").rsplit(".", 1)[-1]
        outcomes[f"{module}::{case.get('name')}"] = "failed" if failed else "passed"
    return outcomes


@pytest.mark.timeout(120)
def test_global_state_leaks_from_one_test_into_the_next_until_each_test_resets_it(tmp_path):
    (tmp_path / "test_leaky.py").write_text(LEAKY, encoding="utf-8")
    (tmp_path / "test_isolated.py").write_text(ISOLATED, encoding="utf-8")
    together = run_pytest(tmp_path, "test_leaky.py", "test_isolated.py")
    alone = run_pytest(tmp_path, "test_leaky.py::test_second_signup_is_counted")
    want_together = {
        "test_leaky::test_first_signup_is_counted": "passed",
        "test_leaky::test_second_signup_is_counted": "failed",      # it sees the first test's signup
        "test_isolated::test_first_signup_is_counted": "passed",    # reset() before each test
        "test_isolated::test_second_signup_is_counted": "passed",
    }
    assert together == want_together, (
        f"run in one session, the tests gave {together}; expected {want_together}: the shared `metrics` "
        "carries the first test's count into the second, and metrics.reset() in a fixture stops that")
    assert alone == {"test_leaky::test_second_signup_is_counted": "passed"}, (
        f"the second test run ALONE gave {alone}: it should pass, which shows it only failed above "
        "because of the state the first test left behind")


# -- Form 2: __new__ with a lock ---------------------------------------------------------------------

def counted_pool():
    """A fresh ConnectionPool subclass that records every _open call."""

    class CountedPool(ConnectionPool):
        opened: list[int] = []

        def _open(self, size):
            CountedPool.opened.append(size)
            super()._open(size)

    return CountedPool


def test_later_calls_return_the_first_pool_without_opening_it_again():
    Pool = counted_pool()
    first = Pool(size=2)
    first.connections.append("borrowed elsewhere")
    again = Pool(size=8)
    assert again is first, "Pool(size=8) after Pool(size=2) returned a new object; expected the first pool"
    assert Pool.opened == [2], f"_open ran for sizes {Pool.opened}: it must run once, on the first call"
    assert (again.size, again.connections[-1]) == (2, "borrowed elsewhere"), (
        f"the second call reset the pool (size={again.size}, connections={again.connections}): "
        "set-up belongs in __new__, because __init__ runs on every call")


def test_each_subclass_has_its_own_pool_and_reset_forgets_only_its_own():
    Parent = counted_pool()

    class Child(Parent):
        pass

    parent = Parent(size=1)
    child = Child(size=3)
    assert type(child) is Child and child is not parent, (
        f"Child() after Parent() returned a {type(child).__name__}: a subclass gets its own instance "
        "(look in cls.__dict__, not at an inherited attribute)")
    assert (Parent() is parent, Child() is child) == (True, True)
    Parent.reset_instance()
    fresh = Parent(size=5)
    assert fresh is not parent and fresh.size == 5, \
        "after Parent.reset_instance(), Parent() builds a new pool"
    assert Child() is child, "Parent.reset_instance() must not touch Child's pool"


@pytest.mark.timeout(10)
def test_concurrent_first_calls_open_exactly_one_pool():
    n = 8
    opened = []
    guard = threading.Lock()
    second_open = threading.Event()

    class SlowPool(ConnectionPool):
        def _open(self, size):
            with guard:
                opened.append(threading.get_ident())
                first = len(opened) == 1
            if first:
                # Hold the door open (at most 0.2 s): with no lock or no second check, the other
                # threads walk into _open during this window.
                second_open.wait(0.2)
            else:
                second_open.set()
            super()._open(size)

    barrier = threading.Barrier(n)
    got = [None] * n

    def call(i):
        barrier.wait()
        got[i] = SlowPool(size=i + 1)

    threads = [threading.Thread(target=call, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(opened) == 1, (f"_open ran {len(opened)} times under {n} concurrent first calls; "
                              "lock the creation and check again inside the lock")
    assert got[0] is not None and all(pool is got[0] for pool in got), \
        f"threads got {len({id(pool) for pool in got})} distinct objects (None means the call raised)"


# -- Form 3: a cached factory ------------------------------------------------------------------------

SAME_CLIENT_SPELLINGS = {
    "no argument": lambda: get_client(),
    "positional": lambda: get_client(DEFAULT_REGION),
    "keyword": lambda: get_client(region=DEFAULT_REGION),
}


def test_the_factory_builds_one_client_per_region_however_the_call_is_spelled():
    try:
        reset_clients()
        clients = {spelling: call() for spelling, call in SAME_CLIENT_SPELLINGS.items()}
        distinct = {id(client) for client in clients.values()}
        assert len(distinct) == 1, (
            f"get_client(), get_client({DEFAULT_REGION!r}) and get_client(region={DEFAULT_REGION!r}) "
            f"gave {len(distinct)} different clients; functools.cache keys on the call as written, so "
            "normalise the arguments before the cached call")
        client = clients["no argument"]
        assert isinstance(client, StorageClient) and client.region == DEFAULT_REGION, f"got {client!r}"
        other = get_client("us-east-1")
        assert other is not client and other.region == "us-east-1", "another region needs its own client"
        assert get_client("us-east-1") is other, "a second call for us-east-1 built a new client"
    finally:
        reset_clients()


def test_reset_clients_makes_the_factory_build_new_ones():
    try:
        reset_clients()
        before = get_client()
        reset_clients()
        after = get_client()
        assert after is not before and after.region == DEFAULT_REGION, \
            "after reset_clients(), get_client() must build a new client"
    finally:
        reset_clients()


# -- The case against: dependencies as parameters ----------------------------------------------------

class FakeMailer:
    """Records what would have been sent; can be told to fail."""

    def __init__(self, fail_times: int = 0):
        self.sent: list[tuple[str, str]] = []
        self.fail_times = fail_times

    def send(self, to, subject, body):
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("SMTP server unavailable")
        self.sent.append((to, subject))


def test_the_service_uses_the_fakes_it_is_given_and_never_the_global_metrics():
    module = importlib.import_module(MODULE)
    mailer, counters = FakeMailer(), Metrics()
    global_before = module.metrics.count("signups") if isinstance(module.metrics, Metrics) else None
    service = SignupService(mailer=mailer, metrics=counters)
    got = service.sign_up(" Ada@Example.COM ")
    assert got is True, f"sign_up(' Ada@Example.COM ') returned {got!r}, expected True for a new address"
    assert mailer.sent == [("ada@example.com", "Welcome")], \
        f"the fake mailer received {mailer.sent}; expected one Welcome mail to the normalised address"
    assert counters.count("signups") == 1, f"the injected Metrics counted {counters.count('signups')} signups"
    assert module.metrics.count("signups") == global_before, \
        "sign_up changed the module's global `metrics`: the service must only use the Metrics it was given"


SIGN_UP_CASES = {
    "the same address twice": (["a@x.io", "a@x.io"], [True, False], ["a@x.io"]),
    "case and spaces do not make a new address": (["a@x.io", "  A@X.IO"], [True, False], ["a@x.io"]),
    "two addresses": (["a@x.io", "b@x.io"], [True, True], ["a@x.io", "b@x.io"]),
}


@pytest.mark.parametrize("emails,want,mailed", SIGN_UP_CASES.values(), ids=SIGN_UP_CASES.keys())
def test_sign_up_mails_and_counts_each_address_once(emails, want, mailed):
    mailer, counters = FakeMailer(), Metrics()
    service = SignupService(mailer, counters)
    got = [service.sign_up(email) for email in emails]
    assert got == want, f"sign_up over {emails} returned {got}, expected {want}"
    assert [to for to, _ in mailer.sent] == mailed, \
        f"mails went to {mailer.sent}, expected one each to {mailed}"
    assert counters.count("signups") == len(mailed), f"counted {counters.count('signups')} signups"


def test_an_address_without_at_sign_is_refused_before_anything_happens():
    mailer, counters = FakeMailer(), Metrics()
    with pytest.raises(ValueError):
        SignupService(mailer, counters).sign_up("not-an-email")
    assert (mailer.sent, counters.count("signups")) == ([], 0), \
        "a refused address must send and count nothing"


def test_a_failing_mailer_records_nothing_so_a_retry_sends_again():
    mailer, counters = FakeMailer(fail_times=1), Metrics()
    service = SignupService(mailer, counters)
    with pytest.raises(ConnectionError):
        service.sign_up("a@x.io")
    assert counters.count("signups") == 0, "a sign-up whose mail failed was counted"
    retried = service.sign_up("a@x.io")
    assert retried is True and mailer.sent == [("a@x.io", "Welcome")], (
        f"the retry after a failed send returned {retried!r} and sent {mailer.sent}: record the address only "
        "once the mail went out (a fake that fails on demand is what injection buys you)")
    assert counters.count("signups") == 1
