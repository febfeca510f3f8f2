"""One rule for a missing service: skip with the reason, or fail under --require-services."""
from __future__ import annotations

import os

import pytest

ENV_REQUIRE = "DOJO_REQUIRE_SERVICES"


class ServiceUnavailable(RuntimeError):
    """A service could not be found or started; the message says what to install or set."""


def services_required(config: pytest.Config) -> bool:
    return bool(config.getoption("require_services")) or os.environ.get(ENV_REQUIRE, "") in {"1", "true"}


def unavailable(config: pytest.Config, service: str, reason: str):
    message = f"{service} unavailable: {reason}"
    if services_required(config):
        pytest.fail(f"{message} (--require-services turns this skip into a failure)", pytrace=False)
    pytest.skip(message)
