"""A real PostgreSQL server for the tests, started once per test session.

Debian's postgresql 15 binaries refuse to run as root, so the server runs as the
``postgres`` OS user (via ``runuser``) in a temporary directory it owns, on a free TCP port
bound to localhost, with its unix socket in the same directory. Each test that wants a
clean database asks ``pg_database_url`` for a fresh one (CREATE DATABASE is cheap).

Use from a conftest: ``from tests.pg import pg_server, pg_database_url  # noqa: F401``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("MAPPA_PG_BIN", "/usr/lib/postgresql/15/bin"))


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str
    socket_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    cmd = args if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    initdb, pg_ctl = PG_BIN / "initdb", PG_BIN / "pg_ctl"
    if not (initdb.exists() and pg_ctl.exists()):
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (install postgresql-15 or set MAPPA_PG_BIN)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root but `runuser` is missing, so PostgreSQL cannot be started")
    tmp = Path(tempfile.mkdtemp(prefix="mappa-pg-"))
    data, log = tmp / "data", tmp / "server.log"
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    tmp.chmod(0o700)
    port = _free_port()
    try:
        _as_postgres([str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--no-instructions", "--locale=C"])
        opts = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={tmp} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        _as_postgres([str(pg_ctl), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"])
    except subprocess.CalledProcessError as exc:
        detail = log.read_text() if log.exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}\n{detail}") from exc
    try:
        yield PgServer(host="127.0.0.1", port=port, user="postgres", socket_dir=tmp)
    finally:
        try:
            _as_postgres([str(pg_ctl), "-D", str(data), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def pg_database_url(pg_server: PgServer) -> Iterator[str]:
    """A URL to a brand-new, empty database on the session's server; dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=pg_server.host, port=pg_server.port, user=pg_server.user,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.url(name)
    with psycopg.connect(host=pg_server.host, port=pg_server.port, user=pg_server.user,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
