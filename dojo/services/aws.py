"""AWS through moto: in-process per test, or a loopback moto server for katas that need HTTP.

Fake credentials and an empty config are forced, so a learner's real ~/.aws is never read and
nothing can reach a real account. Connections beyond loopback are refused by the network guard.
"""
from __future__ import annotations

import copy

import pytest

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/nonexistent/dojo-aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/dojo-aws-credentials",
    "AWS_EC2_METADATA_DISABLED": "true",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",   # ~1,300 sample AMIs, 0.5 s a test; katas register their own
}
CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE")


@pytest.fixture
def aws_credentials(monkeypatch):
    """Fake AWS credentials and config for one test; the learner's own are hidden."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws(aws_credentials):
    """moto's in-process AWS for one test: every boto3 client made inside it is mocked."""
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture(scope="session")
def _moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def moto_server(_moto_server, aws_credentials):
    """The endpoint URL of a loopback moto server, reset before each test."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{_moto_server}/moto-api/reset", method="POST")).close()
    return _moto_server


@pytest.fixture(scope="session")
def aws_session():
    """One boto3 Session for the whole run; make each test's clients from it, inside `aws`.

    A fresh session parses a service's model again for its first client (0.1-0.2 s each); a shared
    one parses it once. moto is imported first because it hooks botocore at import: a session made
    before that would not be mocked. Its credentials are fixed and fake, whatever the environment.
    """
    import boto3
    import moto  # noqa: F401 - imported for its side effect on botocore

    return boto3.session.Session(aws_access_key_id=FAKE_ENVIRONMENT["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=FAKE_ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
                                 aws_session_token=FAKE_ENVIRONMENT["AWS_SESSION_TOKEN"],
                                 region_name=FAKE_ENVIRONMENT["AWS_DEFAULT_REGION"])


class CallLog:
    """Every operation one boto3 client makes, with the parameters the caller passed.

    moto answers a call whichever way it was made; a kata that must call an API a certain way
    (tags at launch, server-side filters, no call at all) is checked on this log.
    """

    def __init__(self, client):
        self.calls: list[tuple[str, dict]] = []
        client.meta.events.register("before-parameter-build", self._record)

    def _record(self, params, model, **_):
        self.calls.append((model.name, copy.deepcopy(params)))

    def named(self, operation: str) -> list[dict]:
        return [params for name, params in self.calls if name == operation]
