"""PostgreSQL resolution (DSN, local binaries, skip, required) and cleanup however a run ends."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dojo.services import postgres

pytestmark = pytest.mark.skipif(postgres.find_bindir() is None, reason="needs the PostgreSQL server binaries")

SOURCE_PROBE = """
    def test_source(pg_server, pg):
        assert pg.execute("SELECT 1").fetchone() == (1,)
        print("SOURCE=" + pg_server.source)
"""


def test_local_binaries_are_started_when_no_dsn_is_given(project):
    project.write("test_probe.py", SOURCE_PROBE)
    result = project.run("test_probe.py", "-s")
    assert result.parseoutcomes() == {"passed": 1}
    result.stdout.fnmatch_lines(["*SOURCE=local*"])


def test_a_dsn_is_used_before_anything_else(project, monkeypatch):
    server = postgres.resolve()
    try:
        monkeypatch.setenv("DOJO_PG_DSN", server.admin_dsn)
        project.write("test_probe.py", SOURCE_PROBE)
        result = project.run("test_probe.py", "-s")
        assert result.parseoutcomes() == {"passed": 1}
        result.stdout.fnmatch_lines(["*SOURCE=dsn*"])
    finally:
        server.stop()


@pytest.mark.skipif(postgres.docker_answers(), reason="a Docker engine would be used instead of skipping")
def test_no_server_at_all_skips_with_the_reason(project, monkeypatch):
    monkeypatch.setenv("DOJO_PG_BINDIR", "/nonexistent")
    project.write("test_probe.py", SOURCE_PROBE)
    result = project.run("test_probe.py", "-rs")
    assert result.parseoutcomes() == {"skipped": 1}
    result.stdout.fnmatch_lines(["*PostgreSQL unavailable: no DOJO_PG_DSN, no initdb found, no Docker engine*"])


@pytest.mark.skipif(postgres.docker_answers(), reason="a Docker engine would be used instead of failing")
def test_require_services_turns_the_skip_into_a_failure(project, monkeypatch):
    monkeypatch.setenv("DOJO_PG_BINDIR", "/nonexistent")
    project.write("test_probe.py", SOURCE_PROBE)
    result = project.run("test_probe.py", "--require-services")
    assert result.parseoutcomes().get("errors") == 1
    result.stdout.fnmatch_lines(["*PostgreSQL unavailable*--require-services*"])


def test_every_test_gets_a_fresh_database(project):
    project.write("test_isolation.py", """
        import pytest

        @pytest.mark.parametrize("attempt", [1, 2])
        def test_create_the_same_table(pg, attempt):
            pg.execute("CREATE TABLE t (x int)")
    """)
    assert project.run("test_isolation.py").parseoutcomes() == {"passed": 2}


HANGING_TEST = """
    import os, signal, time
    from pathlib import Path

    def test_hold_the_server(pg_server, pg):
        Path(os.environ["PROBE_OUT"]).write_text(pg.execute("SHOW data_directory").fetchone()[0])
        {ending}
"""


def server_gone(data_dir: str, timeout: float = 20) -> bool:
    """True once no process runs on data_dir and its temp folder is removed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = subprocess.run(["pgrep", "-f", data_dir], capture_output=True).returncode == 0
        if not running and not Path(data_dir).parent.exists():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("ending", {
    "a crashed session (SIGKILL)": "os.kill(os.getpid(), signal.SIGKILL)",
    "a session that exits abruptly": "os._exit(3)",
    "a failing test": "assert False, 'boom'",
}.values(), ids=["sigkill", "os-exit", "failing-test"])
def test_no_server_or_temp_dir_is_left_behind(project, monkeypatch, tmp_path, ending):
    probe = tmp_path / "data_dir.txt"
    monkeypatch.setenv("PROBE_OUT", str(probe))
    project.write("test_hold.py", HANGING_TEST.format(ending=ending))
    project.run("test_hold.py")
    data_dir = probe.read_text()
    assert server_gone(data_dir), f"PostgreSQL on {data_dir} still runs, or its temp dir remains"


def test_ctrl_c_leaves_nothing_behind(project, monkeypatch, tmp_path):
    probe = tmp_path / "data_dir.txt"
    monkeypatch.setenv("PROBE_OUT", str(probe))
    project.write("test_hold.py", HANGING_TEST.format(ending="time.sleep(60)"))
    child = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_hold.py"],
                             cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not probe.exists() or not probe.read_text():
            assert time.monotonic() < deadline, "the probe test never started"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
    finally:
        child.kill()
    assert server_gone(probe.read_text()), "PostgreSQL still runs, or its temp dir remains, after Ctrl-C"


def test_pg_settings_reach_every_connection_to_the_test_database_and_no_other(project):
    project.write("test_settings.py", """
        import psycopg
        import pytest

        @pytest.mark.pg_settings(deadlock_timeout="50ms", lock_timeout="5s")
        def test_asked(pg_dsn):
            with psycopg.connect(pg_dsn) as conn:
                assert conn.execute("SHOW deadlock_timeout").fetchone() == ("50ms",)
                assert conn.execute("SHOW lock_timeout").fetchone() == ("5s",)

        def test_not_asked(pg):
            assert pg.execute("SHOW deadlock_timeout").fetchone() == ("1s",)
    """)
    assert project.run("test_settings.py").parseoutcomes() == {"passed": 2}


def test_a_setting_the_role_may_not_set_fails_with_what_to_do(project, monkeypatch):
    import psycopg

    server = postgres.resolve()
    try:
        with psycopg.connect(server.admin_dsn, autocommit=True) as admin:
            admin.execute("CREATE ROLE learner LOGIN CREATEDB")
        monkeypatch.setenv("DOJO_PG_DSN", server.admin_dsn.replace("user=postgres", "user=learner"))
        project.write("test_settings.py", """
            import pytest

            @pytest.mark.pg_settings(deadlock_timeout="50ms")
            def test_asked(pg_dsn):
                pass
        """)
        result = project.run("test_settings.py")
        assert result.parseoutcomes().get("errors") == 1
        result.stdout.fnmatch_lines(["*needs deadlock_timeout = 50ms, which only a superuser may set*DOJO_PG_DSN*"])
    finally:
        server.stop()
