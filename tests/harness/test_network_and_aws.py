"""No test reaches the network; AWS is moto with forced fake credentials."""
import socket

import pytest

from dojo.services import network


@pytest.fixture
def recorded_connects(monkeypatch):
    """Replace the real connect so a broken guard could never send a packet anywhere."""
    calls = []
    monkeypatch.setattr(network, "_original_connect", lambda sock, address: calls.append(address))
    network.block_non_loopback()
    return calls


def test_a_non_loopback_connection_is_refused_before_any_packet(recorded_connects):
    with socket.socket() as sock, pytest.raises(network.NetworkBlocked, match="katas never reach the network"):
        sock.connect(("192.0.2.10", 443))
    assert recorded_connects == [], "the guard let the connection through"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.8.9.10"])
def test_loopback_connections_are_allowed(recorded_connects, host):
    with socket.socket() as sock:
        sock.connect((host, 9))
    assert recorded_connects == [(host, 9)]


def test_unix_sockets_are_allowed(tmp_path):
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)


def test_the_guard_is_on_inside_kata_tests(project):
    project.write("test_net.py", """
        import socket, pytest
        from dojo.services import network

        def test_blocked(monkeypatch):
            monkeypatch.setattr(network, "_original_connect", lambda *a: pytest.fail("reached connect"))
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("198.51.100.7", 80), timeout=1)
    """)
    assert project.run("test_net.py").parseoutcomes() == {"passed": 1}


def test_aws_fixture_forces_fake_credentials_and_hides_the_learners(project, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_PROFILE", "production")
    project.write("test_aws.py", """
        import boto3

        def test_moto(aws):
            session = boto3.session.Session()
            assert session.get_credentials().access_key != "AKIAREALKEY", "the learner's real key leaked in"
            assert session.profile_name == "default"
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="kata")
            assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["kata"]

        def test_state_does_not_leak_between_tests(aws):
            assert boto3.client("s3").list_buckets()["Buckets"] == []
    """)
    assert project.run("test_aws.py").parseoutcomes() == {"passed": 2}


def test_moto_server_listens_on_loopback_and_resets_per_test(project):
    project.write("test_server.py", """
        import boto3, pytest

        @pytest.mark.parametrize("round", [1, 2])
        def test_server(moto_server, round):
            assert moto_server.startswith("http://127.0.0.1:")
            s3 = boto3.client("s3", endpoint_url=moto_server)
            assert s3.list_buckets()["Buckets"] == []
            s3.create_bucket(Bucket="kata")
    """)
    assert project.run("test_server.py").parseoutcomes() == {"passed": 2}


def test_the_shared_aws_session_is_mocked_fake_and_fresh_per_test(project, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    project.write("test_shared_session.py", """
        import pytest

        @pytest.mark.parametrize("round", [1, 2])
        def test_shared(aws, aws_session, round):
            assert aws_session.get_credentials().access_key == "testing"
            s3 = aws_session.client("s3")
            assert s3.list_buckets()["Buckets"] == [], "moto state leaked from the previous test"
            s3.create_bucket(Bucket="kata")

        def test_one_session_for_the_run(aws_session, request):
            assert aws_session is request.getfixturevalue("aws_session")
    """)
    assert project.run("test_shared_session.py").parseoutcomes() == {"passed": 3}


def test_call_log_records_each_operation_with_the_callers_parameters(aws, aws_session):
    from dojo.services.aws import CallLog

    s3 = aws_session.client("s3")
    log = CallLog(s3)
    s3.create_bucket(Bucket="kata")
    s3.put_object(Bucket="kata", Key="a.csv", Body=b"x")
    assert [name for name, _ in log.calls] == ["CreateBucket", "PutObject"]
    [put] = log.named("PutObject")
    assert (put["Bucket"], put["Key"]) == ("kata", "a.csv")
