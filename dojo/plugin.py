"""The pytest plugin: the --impl switch, the services as fixtures, the network guard, results.

Loaded by the root conftest.py; everything a kata test needs arrives through here.
"""
from __future__ import annotations

import os

import pytest

from dojo import impl, results
from dojo.services import network

IMPL_HELP = ("which code the kata tests run against: 'katas' (your code, the default) or 'solutions' "
             "(the references). Precedence: --impl, then the DOJO_IMPL environment variable, then the "
             "`impl` ini key, then 'katas'.")

HARNESS_PLUGINS = ("dojo.collector", "dojo.services.postgres", "dojo.services.spark", "dojo.services.aws",
                   "dojo.services.http", "dojo.services.data", "dojo.services.sql_engines")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dojo", "katas")
    group.addoption("--impl", choices=impl.MODES, default=None, help=IMPL_HELP)
    parser.addini("impl", help=IMPL_HELP, default=None)
    group.addoption("--require-services", action="store_true", default=False,
                    help="a missing service (PostgreSQL, Java for Spark, ...) fails the test instead of skipping it")
    group.addoption("--data-size", metavar="SIZE", default="5MB",
                    help="size of the generated inputs for performance benchmarks, e.g. 1GB or 10GB (default 5MB); "
                         "written to the git-ignored .data/ and deleted after the run")
    group.addoption("--dojo-report", metavar="PATH", default=None,
                    help="write every test's outcome and kata id as JSON (used by `kata verify`)")


def resolve_mode(config: pytest.Config) -> tuple[str, str]:
    """The implementation mode and where it came from."""
    if config.getoption("impl"):
        return config.getoption("impl"), "--impl"
    if os.environ.get(impl.ENV_MODE):
        return os.environ[impl.ENV_MODE], f"${impl.ENV_MODE}"
    if config.getini("impl"):
        return config.getini("impl"), "ini key impl"
    return impl.DEFAULT_MODE, "default"


def pytest_configure(config: pytest.Config) -> None:
    mode, source = resolve_mode(config)
    if mode not in impl.MODES:
        raise pytest.UsageError(f"impl={mode!r} (from {source}): expected one of {', '.join(impl.MODES)}")
    config._dojo_mode = (mode, source)
    config._dojo_previous_env = os.environ.get(impl.ENV_MODE)
    os.environ[impl.ENV_MODE] = mode          # child processes inherit the switch
    impl.install_switch()
    network.block_non_loopback()
    config.addinivalue_line("markers", "pg_settings(**settings): PostgreSQL settings for the test's own database")
    for name in HARNESS_PLUGINS:
        config.pluginmanager.import_plugin(name)
    config.pluginmanager.register(results.Recorder(config), "dojo-results")


def pytest_unconfigure(config: pytest.Config) -> None:
    network.restore()
    previous = getattr(config, "_dojo_previous_env", None)
    if previous is None:
        os.environ.pop(impl.ENV_MODE, None)
    else:
        os.environ[impl.ENV_MODE] = previous


def pytest_report_header(config: pytest.Config) -> str:
    mode, source = config._dojo_mode
    return f"katas: running against {mode}/ (from {source})"
