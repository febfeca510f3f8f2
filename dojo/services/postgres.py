"""PostgreSQL for the katas: a DSN you give, else the local server binaries, else Docker, else skip.

Resolution order (the first that works wins):
1. DOJO_PG_DSN: an existing server (the role needs CREATEDB);
2. local binaries: `initdb` on PATH or under /usr/lib/postgresql/*/bin (DOJO_PG_BINDIR overrides),
   started in a temp dir on a free loopback port; as root, run as the `postgres` OS user;
3. testcontainers, when a Docker engine answers;
4. otherwise the test is skipped with the reason (a failure under --require-services).

One server per test session; every test gets a fresh database, dropped afterwards.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from dojo.services.availability import ServiceUnavailable, unavailable

ENV_DSN = "DOJO_PG_DSN"
ENV_BINDIR = "DOJO_PG_BINDIR"
INSTALL_HINT = "set DOJO_PG_DSN, or install the PostgreSQL server (Debian: apt-get install postgresql)"


@dataclass
class PgServer:
    """A running server: where to connect as an admin, and how it was found."""

    admin_dsn: str
    source: str                                   # "dsn", "local" or "docker"
    stop: Callable[[], None] = field(default=lambda: None, repr=False)

    def dsn_for(self, dbname: str) -> str:
        return re.sub(r"dbname=\S+", f"dbname={dbname}", self.admin_dsn)


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl, or None."""
    if ENV_BINDIR in os.environ:
        configured = Path(os.environ[ENV_BINDIR])
        return configured if (configured / "initdb").exists() else None
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                       key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return installed[-1].parent if installed else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_user() -> str:
    """PostgreSQL refuses to run as root; then we run it as the `postgres` OS user."""
    if os.geteuid() != 0:
        return ""
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServiceUnavailable("running as root and there is no `postgres` OS user to run the server") from exc
    return "postgres"


def start_local(bindir: Path) -> PgServer:
    """initdb + pg_ctl start in a temp dir; a reaper process cleans up however the session ends."""
    run_as = _server_user()
    prefix = ["runuser", "-u", run_as, "--"] if run_as else []
    workdir = Path(tempfile.mkdtemp(prefix="dojo-pg-"))
    data_dir, port = workdir / "data", free_port()
    reaper = subprocess.Popen(
        [sys.executable, "-m", "dojo.services.pg_reaper", run_as, str(bindir / "pg_ctl"), str(data_dir), str(workdir)],
        stdin=subprocess.PIPE, start_new_session=True, cwd=Path(__file__).resolve().parents[2])

    def stop() -> None:
        reaper.stdin.close()
        reaper.wait(timeout=30)

    try:
        if run_as:
            shutil.chown(workdir, user=run_as)
        _run([*prefix, str(bindir / "initdb"), "-D", str(data_dir), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
        options = (f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        _run([*prefix, str(bindir / "pg_ctl"), "start", "-D", str(data_dir), "-w", "-t", "30",
              "-l", str(workdir / "server.log"), "-o", options], new_session=True)
    except ServiceUnavailable as exc:
        log = workdir / "server.log"
        detail = log.read_text(errors="replace")[-400:] if log.exists() else ""
        stop()
        raise ServiceUnavailable(f"{exc}{' | ' + detail if detail else ''}") from None
    except BaseException:
        stop()
        raise
    return PgServer(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", "local", stop)


def _run(cmd: list[str], new_session: bool = False) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, start_new_session=new_session, check=False)
    if done.returncode != 0:
        raise ServiceUnavailable(f"{Path(cmd[cmd.index('--') + 1] if '--' in cmd else cmd[0]).name} failed: "
                                 f"{(done.stderr or done.stdout).strip()[-400:]}")


def docker_answers() -> bool:
    try:
        import docker
        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


def start_container() -> PgServer:
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer("postgres:15-alpine", driver=None).start()
    dsn = (f"host={container.get_container_host_ip()} port={container.get_exposed_port(5432)} "
           f"user={container.username} password={container.password} dbname={container.dbname}")
    return PgServer(dsn, "docker", container.stop)


def resolve() -> PgServer:
    """The first source that works, or ServiceUnavailable saying what was tried."""
    if os.environ.get(ENV_DSN):
        dsn = os.environ[ENV_DSN]
        return PgServer(dsn if "dbname=" in dsn else f"{dsn} dbname=postgres", "dsn")
    bindir = find_bindir()
    if bindir is not None:
        return start_local(bindir)
    if docker_answers():
        return start_container()
    raise ServiceUnavailable(f"no {ENV_DSN}, no initdb found, no Docker engine; {INSTALL_HINT}")


_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server(request) -> PgServer:
    """One PostgreSQL server for the whole test session (DSN, local binaries or Docker)."""
    try:
        server = resolve()
    except ServiceUnavailable as exc:
        unavailable(request.config, "PostgreSQL", str(exc))
    request.addfinalizer(server.stop)
    return server


def database_settings(request) -> dict[str, str]:
    """Server settings a test asks for with @pytest.mark.pg_settings(name=value, ...)."""
    settings: dict[str, str] = {}
    for marker in reversed(list(request.node.iter_markers("pg_settings"))):
        settings.update({name: str(value) for name, value in marker.kwargs.items()})
    return settings


def apply_settings(admin, dbname: str, settings: dict[str, str]) -> None:
    """ALTER DATABASE ... SET: every connection opened to the test's database from now on has them.

    Per database, not per server, so a kata's settings (a 50 ms deadlock_timeout) never reach the
    other tests sharing the server. Some settings need a superuser: say so instead of a bare error.
    """
    import psycopg
    from psycopg import sql

    for name, value in settings.items():
        statement = sql.SQL("ALTER DATABASE {} SET {} = {}").format(
            sql.Identifier(dbname), sql.Identifier(name), sql.Literal(value))
        try:
            admin.execute(statement)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ServiceUnavailable(
                f"this test needs {name} = {value}, which only a superuser may set; "
                f"use a superuser in {ENV_DSN}, or unset it to let the harness start its own server") from exc


@pytest.fixture
def pg_dsn(pg_server: PgServer, request) -> str:
    """A DSN to a fresh, empty database with the test's pg_settings, dropped after the test."""
    import psycopg

    dbname = f"kata_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
        try:
            apply_settings(admin, dbname, database_settings(request))
        except ServiceUnavailable as exc:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            pytest.fail(str(exc), pytrace=False)
    yield pg_server.dsn_for(dbname)
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@contextlib.contextmanager
def own_database(server: PgServer, name: str):
    """An autocommit connection to a database of its own, dropped afterwards however the block ends.

    For a module-scoped fixture that seeds once and plans many queries (pg_dsn gives every test a
    fresh, empty database, which is right for most tests and too slow for 10^5 seeded rows).
    """
    import psycopg

    dbname = f"kata_{name}_{os.getpid()}"
    with psycopg.connect(server.admin_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dbname}"')
    try:
        with psycopg.connect(server.dsn_for(dbname), autocommit=True) as conn:
            yield conn
    finally:
        with psycopg.connect(server.admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture
def pg(pg_dsn: str):
    """An autocommit psycopg connection to the test's fresh database."""
    import psycopg

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        yield conn
