"""Tests for the api-testing kata: the code under test is YOUR test suite in api_testing.py.

Run `pytest katas/mock/python/test_api_testing.py`. Each test below runs your test functions with
pytester, in this process (a fresh inner pytest session in a temporary folder), against the given
OrdersClient and, for the mutant tests, against a broken copy of it too: OrdersClient's own source
with one snippet replaced (mutation testing by hand). A good suite passes on the original and
"kills" every mutant. If a test here fails, its message lists what each of your tests did.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

import aiohttp.test_utils  # noqa: F401 - imported once here, so the inner runs share these modules
import aioresponses  # noqa: F401
import pytest

from katas.mock.python import api_testing as suite
from katas.mock.python.api_testing import OrdersClient

pytest_plugins = ["pytester"]

# Only the plugins your tests need (PYTEST_DISABLE_PLUGIN_AUTOLOAD is set for the inner run): loading
# hypothesis or pytest-timeout in process would cost seconds per run or steal this run's SIGALRM timer.
INNER_ARGS = ("-p", "pytest_asyncio.plugin", "-p", "dojo.services.http", "-p", "no:cacheprovider")
INNER_INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
STYLES = {"mocked_http": "aioresponses", "http_server": "a local aiohttp server"}


@dataclass(frozen=True)
class Mutant:
    bug: str            # what the broken client does wrong, as the learner should read it
    snippet: str        # a piece of OrdersClient's source ...
    replacement: str    # ... and what the broken copy has instead


MUTANTS = {
    "retries_a_4xx": Mutant(
        "retries a 404 as if it were a 503",
        "return status >= 500 or status == 429", "return status >= 400"),
    "constant_backoff": Mutant(
        "sleeps `backoff` before every retry instead of doubling it (0.5, 0.5, ... not 0.5, 1.0, ...)",
        "await self.sleep(self.backoff * 2 ** (attempt - 1))", "await self.sleep(self.backoff)"),
    "no_timeout": Mutant(
        "has no timeout of its own (aiohttp's default is 5 minutes), so a silent server hangs it",
        "aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))", "aiohttp.ClientSession()"),
    "drops_last_page": Mutant(
        "stops at the last page without keeping its orders",
        'orders.extend(page["orders"])\n            if not page.get("next"):\n                return orders\n',
        'if not page.get("next"):\n                return orders\n            orders.extend(page["orders"])\n'),
    "session_not_closed": Mutant(
        "calls self.session.close() without await: the session is never closed",
        "await self.session.close()", "self.session.close()"),
}


def broken_client(name: str) -> type:
    """OrdersClient rebuilt from its source with one snippet replaced, sharing the module's globals (ApiError)."""
    mutant = MUTANTS[name]
    source = inspect.getsource(OrdersClient)
    found = source.count(mutant.snippet)
    if found != 1:
        pytest.fail(f"OrdersClient in api_testing.py was changed: the snippet {mutant.snippet!r} occurs {found} "
                    "times instead of once. The client is given: restore it and change only the tests.")
    # compile() inherits this file's `from __future__ import annotations`, as the original class had it
    code = compile(source.replace(mutant.snippet, mutant.replacement), f"<OrdersClient, {name}>", "exec")
    namespace = dict(vars(suite))
    exec(code, namespace)
    return namespace["OrdersClient"]


class ClientUnderTest:
    """A plugin for the inner run: each test that asks for `client_class` runs once per client."""

    def __init__(self, clients: dict[str, type]) -> None:
        self.clients = clients

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "client_class" in metafunc.fixturenames:
            metafunc.parametrize("client_class", list(self.clients.values()),
                                 ids=[f"client={name}" for name in self.clients])


@dataclass
class Result:
    test: str           # the test's node id with the client's part as "*"
    client: str
    passed: bool
    why: str            # the failure's one-line summary; "" when it passed
    fixtures: tuple[str, ...]


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A temporary folder with an ini file and one test module that imports your test functions."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeini(INNER_INI)
    pytester.makepyfile(test_your_suite=f"from {suite.__name__} import *  # noqa: F403\n")
    return pytester


def run_your_tests(inner: pytest.Pytester, clients: dict[str, type]) -> list[Result]:
    """Run your test functions in an inner pytest session; one Result per (test, client)."""
    reprec = inner.inline_run(*INNER_ARGS, plugins=[ClientUnderTest(clients)])
    broken = [r for r in reprec.getreports("pytest_collectreport") if r.failed]
    if broken:
        pytest.fail(f"your tests could not be collected:\n{broken[0].longreprtext[-1500:]}", pytrace=False)
    names = {id(cls): name for name, cls in clients.items()}
    reports: dict[str, list] = {}
    for report in reprec.getreports("pytest_runtest_logreport"):
        reports.setdefault(report.nodeid, []).append(report)
    results = []
    for item in (call.item for call in reprec.getcalls("pytest_itemcollected")):
        params = getattr(item, "callspec", None)
        client = names.get(id(params.params.get("client_class"))) if params else None
        passed, why = judge(reports.get(item.nodeid, []))
        results.append(Result(item.nodeid.replace(f"client={client}", "*"), client or "(none)", passed, why,
                              tuple(item.fixturenames)))
    return results


def judge(reports: list) -> tuple[bool, str]:
    """Passed only if the call passed and no phase failed or skipped."""
    for report in reports:
        if report.failed or report.skipped:
            crash = getattr(report.longrepr, "reprcrash", None)
            text = crash.message if crash is not None else str(report.longrepr)
            first_line = (text.strip().splitlines() or ["(no message)"])[0]
            return False, f"{report.outcome} in {report.when}: {first_line[:200]}"
    ran = any(report.when == "call" and report.passed for report in reports)
    return ran, "" if ran else "did not run"


def summary(results: list[Result]) -> str:
    return "\n".join(f"  {r.test} on {r.client}: {'passed' if r.passed else r.why}" for r in results)


@pytest.mark.timeout(60)
def test_your_tests_pass_on_the_given_client(inner):
    results = run_your_tests(inner, {"given": OrdersClient})
    if not any(r.client == "given" for r in results):
        pytest.fail("no test of yours took the fixture client_class: write test_... functions in api_testing.py "
                    "that build the client with client_class(...)", pytrace=False)
    failed = [r for r in results if not r.passed]
    if failed:
        pytest.fail("the given OrdersClient is correct, so every test of yours must pass on it; these did not:\n"
                    f"{summary(failed)}", pytrace=False)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", MUTANTS, ids=MUTANTS)
def test_your_tests_catch_a_broken_client(inner, name):
    results = run_your_tests(inner, {"given": OrdersClient, name: broken_client(name)})
    good = {r.test for r in results if r.client == "given" and r.passed}
    killers = {r.test for r in results if r.client == name and not r.passed} & good
    if not killers:
        pytest.fail(f"a broken client that {MUTANTS[name].bug} passes every test of yours that passes on the "
                    f"given client; write a test that fails on it. What your tests did:\n{summary(results)}",
                    pytrace=False)


@pytest.mark.timeout(60)
def test_your_passing_tests_use_both_aioresponses_and_a_local_server(inner):
    results = run_your_tests(inner, {"given": OrdersClient})
    good = [r for r in results if r.passed]
    missing = [f"{fixture} ({style})" for fixture, style in STYLES.items()
               if not any(fixture in r.fixtures for r in good)]
    if missing:
        pytest.fail(f"no passing test of yours uses {' or '.join(missing)}; show both styles. "
                    f"What your tests did:\n{summary(results)}", pytrace=False)
