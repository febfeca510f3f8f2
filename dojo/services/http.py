"""HTTP servers on 127.0.0.1 for katas that talk to the web (aiohttp), and aioresponses for unit tests."""
from __future__ import annotations

import pytest


@pytest.fixture
async def http_server():
    """Start an aiohttp app on a free loopback port: `base_url = await http_server(app)`."""
    from aiohttp.test_utils import TestServer

    servers = []

    async def start(app) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
def mocked_http():
    """aioresponses: fake aiohttp responses for unit tests, no server at all."""
    from aioresponses import aioresponses

    with aioresponses() as mocked:
        yield mocked
