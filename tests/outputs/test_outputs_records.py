"""Shredding, the records import, the audit chain and the CLI, on SQLite and real PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ingest.vault import Vault
from mappa.cli_outputs import register
from mappa.settings import Settings, load_settings
from outputs import audit
from outputs.due import due_items
from outputs.filing import apply_outputs
from outputs.importer import import_records
from outputs.records import AuditEntry, Child, Destruction, Relationship, Subject
from outputs.shred import confirm_shred, scrub, shred_queue
from tests.outputs.outputs_helpers import (
    DOC_TEXT,
    NOW,
    RECORDS_CSV,
    add_document,
    config,
    minutes_facts,
    minutes_summaries,
    seed,
)

SECRET = "convicted of sexual assault of a child under 13"


def _bytes_under(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_shredding_leaves_nothing_recoverable(engine: Engine, session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path, full_document="shred")
    seed(session)
    doc = add_document(session, vault)
    result = apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    doc.state = result.state
    session.commit()
    assert [d.id for d in shred_queue(session)] == [doc.id]
    ciphertext = vault.path_for(doc.sha256).read_bytes()[-48:]
    assert SECRET.encode() in _bytes_under(tmp_path) or engine.dialect.name == "postgresql"  # facts_json, pre-shred
    assert ciphertext in _bytes_under(tmp_path)

    assert not confirm_shred(session, vault, doc.id, "  ", NOW).ok  # must be a named person
    out = confirm_shred(session, vault, doc.id, "Jane Admin", NOW, "minutes shredded per policy")
    session.commit()
    scrub(engine)
    assert out.ok and set(out.destroyed) == {doc.sha256, f"text-{doc.sha256}"}
    assert doc.state == "destroyed" and not vault.exists(doc.sha256) and shred_queue(session) == []
    record = session.scalars(select(Destruction)).one()
    assert (record.sha256, record.destroyed_by, record.filename) == (doc.sha256, "Jane Admin", "minutes.txt")
    everything = _bytes_under(tmp_path)
    assert ciphertext not in everything
    assert SECRET.encode() not in everything and DOC_TEXT[:40].encode() not in everything
    assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == "document.destroyed"
    assert not confirm_shred(session, vault, doc.id, "Jane Admin", NOW).ok  # not twice


def test_import_upserts_and_rejects_bad_files_whole(session: Session) -> None:
    first = import_records(session, RECORDS_CSV)
    session.commit()
    assert first.ok and first.created == {"child": 4, "subject": 3, "relationship": 3}
    amy = session.scalars(select(Child).where(Child.file_ref == "CF-1001")).one()
    assert amy.dob == date(2015, 3, 2) and amy.case_status == "open" and amy.team == "North"
    ben = session.scalars(select(Child).where(Child.file_ref == "CF-1002")).one()
    assert ben.dob == date(2017, 7, 12)  # DD/MM/YYYY
    john = session.scalars(select(Subject).where(Subject.ref == "S-100")).one()
    assert john.aliases == ["Johnny Smith", "J. Smith"]
    again = import_records(session, RECORDS_CSV.replace("CF-1001,Amy Brown,,2015-03-02,open", "CF-1001,Amy Brown,,2015-03-02,closed"))
    session.commit()
    assert again.ok and again.created == {"child": 0, "subject": 0, "relationship": 0}
    assert again.updated["child"] == 4 and amy.case_status == "closed"

    header = RECORDS_CSV.splitlines()[0]
    bad = "\n".join([header,
                     "child,CF-9,New Child,,2016-01-01,open,,,North,,,,,,,",
                     "child,CF-8,Bad Date,,31/02/2010,open,,,,,,,,,,",
                     "child,CF-7,Bad Status,,,pending,,,,,,,,,,",
                     "wizard,W-1,Who,,,,,,,,,,,,,",
                     "relationship,,,,,,,,,,,,,S-999,CF-9,father",
                     "subject,,No Ref,,,,,,,,,,,,,"]) + "\n"
    before = session.scalar(select(func.count()).select_from(Child))
    result = import_records(session, bad)
    assert not result.ok
    assert result.errors == (
        "row 3: dob '31/02/2010' is not a date (use YYYY-MM-DD or DD/MM/YYYY)",
        "row 4: case_status 'pending' is not one of open, closed, unknown",
        "row 5: kind 'wizard' is not one of child, subject, relationship",
        "row 7: subject has no ref",
        "row 6: subject_ref 'S-999' is not in the file or the records",
    )
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Child)) == before  # the good row was not written
    assert not import_records(session, "kind,ref,name\nchild,C,X\n").ok


def test_audit_chain_catches_edits_and_deletions(engine: Engine, session: Session) -> None:
    for i in range(5):
        audit.record(session, f"user{i}", "document.view", f"document:{i}", {"n": i})
    session.commit()
    assert audit.verify(session) == []
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2"))
    session.expire_all()
    problems = audit.verify(session)
    assert problems and "entry 2" in problems[0] and "edited" in problems[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'user1' WHERE seq = 2"))
        conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    session.expire_all()
    problems = audit.verify(session)
    assert any("missing" in p for p in problems) and any("entry 5" in p for p in problems)


def test_audit_writers_serialise_on_postgres(engine: Engine) -> None:
    """Two sessions appending at once chain onto each other, never onto the same predecessor."""
    import threading

    from outputs.db import sessions

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")
    factory = sessions(engine)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with factory() as s:
                    audit.record(s, f"w{n}", "x", str(i))
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with factory() as s:
        assert audit.verify(s) == [] and audit.head(s)[0] == 30


def test_due_lists_reviews_and_actions(session: Session, vault: Vault, tmp_path: Path) -> None:
    seed(session)
    doc = add_document(session, vault)
    apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), config(tmp_path), NOW)
    session.commit()
    soon = due_items(session, date(2025, 6, 20), 14)
    assert [(i.kind, i.due) for i in soon] == [("action", date(2025, 6, 26))]
    later = due_items(session, date(2025, 6, 20), 110)
    assert [(i.kind, i.due) for i in later] == [("action", date(2025, 6, 26)), ("action", date(2025, 8, 30)),
                                                ("review", date(2025, 10, 2))]
    assert due_items(session, date(2025, 7, 1), 0)[0].overdue


def test_cli_commands(tmp_path: Path) -> None:
    (tmp_path / "mappa.toml").write_text('[service]\ndata_dir = "data"\n')
    settings: Settings = load_settings(tmp_path / "mappa.toml", environ={})
    from ingest.vault import create_key

    create_key(settings.key_path)
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        pass

    register(app, lambda _config: settings, lambda s: s)
    runner = CliRunner()
    csv_file = tmp_path / "records.csv"
    csv_file.write_text(RECORDS_CSV)
    res = runner.invoke(app, ["records", "import", str(csv_file)])
    assert res.exit_code == 0, res.output
    assert "child: 4 created" in res.output
    bad = tmp_path / "bad.csv"
    bad.write_text(RECORDS_CSV.replace("2015-03-02", "31/02/2010"))
    res = runner.invoke(app, ["records", "import", str(bad)])
    assert res.exit_code == 1 and "row 2: dob '31/02/2010' is not a date" in res.output

    from outputs.db import make_engine, sessions

    engine = make_engine(settings.database_url)
    vault = Vault(root=settings.vault_dir, key_path=settings.key_path)
    with sessions(engine)() as s:
        doc = add_document(s, vault)
        r = apply_outputs(s, vault, doc, minutes_facts(), minutes_summaries(),
                          config(tmp_path, full_document="shred"), datetime.now())
        doc.state = r.state
        s.commit()
        doc_id = doc.id
    res = runner.invoke(app, ["shred", "list"])
    assert res.exit_code == 0 and "minutes.txt" in res.output
    res = runner.invoke(app, ["due", "--days", "400"])
    assert res.exit_code == 0 and "review" in res.output and "S-100" in res.output
    res = runner.invoke(app, ["shred", "confirm", str(doc_id), "--by", "Jane Admin"])
    assert res.exit_code == 0, res.output
    assert not vault.exists(doc.sha256)
    res = runner.invoke(app, ["keys", "rotate"])
    assert res.exit_code == 0 and "re-encrypted" in res.output
    res = runner.invoke(app, ["audit", "verify"])
    assert res.exit_code == 0, res.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET detail = '{}' WHERE seq = 1"))
    res = runner.invoke(app, ["audit", "verify"])
    assert res.exit_code == 1 and "entry 1" in res.output
    with sessions(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Relationship)) == 3
    engine.dispose()
