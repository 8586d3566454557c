"""Settings: one validated object; a bad value stops the service naming the key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mappa.initialise import initialise
from mappa.settings import SettingsError, load_settings


def test_defaults_are_valid_without_a_file() -> None:
    s = load_settings(None, environ={})
    assert s.policy.full_document == "subject_record"
    assert s.policy.release == "auto"
    assert s.policy.qa_sample_rate == 0.1


def test_environment_overrides_file(tmp_path: Path) -> None:
    cfg = tmp_path / "mappa.toml"
    cfg.write_text('[policy]\nfull_document = "subject_record"\n')
    s = load_settings(cfg, environ={"MAPPA_POLICY__FULL_DOCUMENT": "shred", "MAPPA_SERVICE__SETTLE_SECONDS": "5"})
    assert s.policy.full_document == "shred"
    assert s.service.settle_seconds == 5.0


@pytest.mark.parametrize(("toml", "key"), [
    ('[policy]\nfull_document = "burn"\n', "policy.full_document"),
    ("[service]\nsettle_seconds = -1\n", "service.settle_seconds"),
    ("[policy]\nqa_sample_rate = 1.5\n", "policy.qa_sample_rate"),
    ('[service]\nsetle_seconds = 2\n', "service.setle_seconds"),
    ('[database]\nurl = "mysql://x"\n', "database.url"),
    ('[[watch]]\npath = "in"\ndoc_type_hint = "shopping"\n', "watch.0.doc_type_hint"),
])
def test_bad_setting_names_the_key(tmp_path: Path, toml: str, key: str) -> None:
    cfg = tmp_path / "mappa.toml"
    cfg.write_text(toml)
    with pytest.raises(SettingsError) as err:
        load_settings(cfg, environ={})
    assert key in str(err.value)


def test_invalid_toml_and_missing_file_are_explained(tmp_path: Path) -> None:
    cfg = tmp_path / "mappa.toml"
    cfg.write_text("[policy\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(cfg, environ={})
    with pytest.raises(SettingsError, match="mappa init"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_init_creates_config_folders_database_and_private_key(tmp_path: Path) -> None:
    cfg = initialise(tmp_path)
    settings = load_settings(cfg, environ={})
    assert cfg.read_text().count("#") > 20  # commented for the operator
    assert (tmp_path / "watch_folders" / "inbox").is_dir()
    assert settings.key_path.exists()
    assert stat.S_IMODE(os.stat(settings.key_path).st_mode) == 0o600
    assert not settings.key_path.is_relative_to(settings.data_dir)  # key kept apart from the data
    key_before = settings.key_path.read_bytes()
    initialise(tmp_path)  # idempotent: never overwrites the key
    assert settings.key_path.read_bytes() == key_before
    import sqlite3

    tables = {r[0] for r in sqlite3.connect(settings.data_dir / "mappa.db").execute(
        "select name from sqlite_master where type='table'")}
    assert {"documents", "document_events", "alembic_version"} <= tables


def test_cli_bad_config_exits_with_key_and_reason(tmp_path: Path) -> None:
    cfg = tmp_path / "mappa.toml"
    cfg.write_text('[policy]\nrelease = "whenever"\n')
    out = subprocess.run([sys.executable, "-m", "mappa.cli", "status", "--config", str(cfg)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2
    assert "policy.release" in out.stderr


def test_startup_check_reports_unwritable_folder(tmp_path: Path) -> None:
    from mappa.service import StartupError, startup_checks

    initialise(tmp_path)
    cfg = tmp_path / "mappa.toml"
    settings = load_settings(cfg, environ={"MAPPA_SERVICE__DATA_DIR": str(tmp_path / "missing-share")})
    with pytest.raises(StartupError, match="missing-share"):
        startup_checks(settings)


def _leaf_commands() -> list[tuple[str, object]]:
    import typer

    from mappa.cli import app

    def walk(cmd: Any, path: str) -> list[tuple[str, Any]]:
        if hasattr(cmd, "commands"):  # a group (typer's own click classes in this version)
            return [leaf for name, sub in cmd.commands.items() for leaf in walk(sub, f"{path} {name}".strip())]
        return [(path, cmd)]

    return walk(typer.main.get_command(app), "")


def test_every_command_takes_config() -> None:
    leaves = _leaf_commands()
    assert {"watch", "status", "show", "records import", "shred list", "shred confirm", "due", "audit verify",
            "keys rotate", "users add", "serve", "eval"} <= {name for name, _ in leaves}
    missing = [name for name, cmd in leaves if name != "init"
               and not any("--config" in p.opts for p in cmd.params)]  # type: ignore[attr-defined]
    assert missing == []


@pytest.mark.parametrize("args", [["shred", "list"], ["due", "--days", "3"], ["audit", "verify"], ["keys", "rotate"],
                                  ["users", "list"], ["records", "import", "{csv}"]])
def test_sub_commands_read_the_config_they_are_given(tmp_path: Path, args: list[str]) -> None:
    from typer.testing import CliRunner

    from mappa.cli import app

    bad = tmp_path / "bad.toml"
    bad.write_text('[policy]\nfull_document = "burn"\n')
    csv = tmp_path / "r.csv"
    csv.write_text("x\n")
    argv = [a.replace("{csv}", str(csv)) for a in args] + ["--config", str(bad)]
    out = CliRunner().invoke(app, argv, env={"MAPPA_CONFIG": ""})
    assert out.exit_code == 2, out.output
    assert "policy.full_document" in out.output
