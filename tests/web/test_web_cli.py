"""``mappa users add/list/unlock`` through the real command line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from mappa.cli import app
from mappa.service import Runtime
from mappa.web.auth import verify_password
from outputs.records import AuditEntry, User
from outputs.schema import utcnow


def _config(tmp_path: Path) -> Path:
    from ingest.vault import create_key

    create_key(tmp_path / "keys" / "mappa.key")
    cfg = tmp_path / "mappa.toml"
    cfg.write_text(f'[service]\ndata_dir = "data"\n[database]\nurl = "sqlite:///{tmp_path / "m.db"}"\n')
    return cfg


def test_users_add_list_unlock(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["users", "add", "quinn", "--role", "qa", "--email", "q@council.example",
                            "--password-stdin", "--config", str(cfg)], input="a long enough password\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "x", "--role", "qa", "--config", str(cfg)],
                      input="twelve chars ok\ndifferent one!\n")
    assert r.exit_code == 1  # the two prompts differ
    r = runner.invoke(app, ["users", "add", "y", "--role", "boss", "--password-stdin", "--config", str(cfg)],
                      input="a long enough password\n")
    assert r.exit_code == 2
    r = runner.invoke(app, ["users", "add", "z", "--role", "qa", "--password-stdin", "--config", str(cfg)],
                      input="short\n")
    assert r.exit_code == 1

    from mappa.settings import load_settings

    runtime = Runtime.open(load_settings(cfg, environ={}))
    with runtime.sessions() as session:
        user = session.scalars(select(User)).one()
        assert user.username == "quinn" and user.role == "qa"
        assert verify_password(user.password_hash, "a long enough password")
        user.locked_until, user.failed_logins = utcnow() + timedelta(minutes=10), 2
        session.commit()
    r = runner.invoke(app, ["users", "list", "--config", str(cfg)])
    assert r.exit_code == 0 and "quinn" in r.output
    r = runner.invoke(app, ["users", "unlock", "quinn", "--config", str(cfg)])
    assert r.exit_code == 0
    with runtime.sessions() as session:
        user = session.scalars(select(User)).one()
        assert user.locked_until is None and user.failed_logins == 0
        assert [e.action for e in session.scalars(select(AuditEntry))] == ["user.add", "user.unlock"]
