"""Fixtures for the outputs tests: a migrated records store on SQLite or real PostgreSQL, a vault."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.vault import Vault, create_key  # noqa: E402
from outputs.db import make_engine, migrate  # noqa: E402
from tests.pg import pg_database_url, pg_server  # noqa: E402,F401


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The records store, migrated from code, on both databases the service supports."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mappa.db'}"
    else:
        url = request.getfixturevalue("pg_database_url")
    eng = make_engine(url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    key = tmp_path / "keys" / "mappa.key"
    create_key(key)
    return Vault(root=tmp_path / "data" / "store", key_path=key)


class _Inbox:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, int, _Inbox]]:
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, inbox
    finally:
        controller.stop()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    from outputs.db import sessions

    with sessions(engine)() as s:
        yield s
