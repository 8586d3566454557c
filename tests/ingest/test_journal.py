"""Claiming and recovery on a real SQLite database and a real encrypted vault.

Each crash point of a claim is reproduced by doing the claim's steps by hand up to that
point, then calling ``recover`` as a restarted service would.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.claim import hash_file, move_out
from ingest.vault import Vault, create_key
from ingest.watcher import Candidate, Folder
from mappa import journal
from outputs.db import make_engine, migrate, sessions
from outputs.schema import Document


@pytest.fixture
def env(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    create_key(tmp_path / "keys" / "k")
    vault = Vault(tmp_path / "vault", tmp_path / "keys" / "k")
    folders = journal.Folders(tmp_path / "incoming", tmp_path / "rejected")
    folders.ensure()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return sessions(engine), vault, folders, Folder(inbox)


def drop(folder: Folder, name: str, data: bytes) -> Candidate:
    path = folder.path / name
    path.write_bytes(data)
    return Candidate(path, folder)


def states(sm) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with sm() as s:
        return dict(s.execute(select(Document.state, func.count()).group_by(Document.state)).all())  # type: ignore[arg-type]


def test_claim_moves_file_into_encrypted_vault(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    c = drop(inbox, "Minutes – Siân O'Neill (final).docx", b"minutes content")
    doc_id = journal.claim(sm, vault, folders, c)
    assert doc_id is not None
    assert not c.path.exists()
    with sm() as s:
        doc = s.get_one(Document, doc_id)
        assert doc.state == "claimed" and doc.filename == c.path.name
        assert vault.get(journal.doc_blob(doc.sha256)) == b"minutes content"
        assert b"minutes content" not in Path(doc.store_path).read_bytes()
    assert not any(folders.incoming.iterdir())


def test_same_content_twice_is_a_duplicate(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    first = journal.claim(sm, vault, folders, drop(inbox, "a.pdf", b"same bytes"))
    second = journal.claim(sm, vault, folders, drop(inbox, "copy of a.pdf", b"same bytes"))
    with sm() as s:
        dup = s.get_one(Document, second)
        assert dup.state == "duplicate" and dup.duplicate_of == first
    assert states(sm) == {"claimed": 1, "duplicate": 1}
    assert not any(inbox.path.iterdir())


def test_very_long_unicode_name(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    name = "Gruffydd ap Rhys – cofnodion MAPPA " * 8
    while len((name + ".pdf").encode()) > 255:  # the longest name the filesystem allows
        name = name[:-1]
    name += ".pdf"
    assert journal.claim(sm, vault, folders, drop(inbox, name, b"x")) is not None


def test_crash_after_row_before_rename_is_finished_on_recover(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    c = drop(inbox, "a.pdf", b"content A")
    with sm() as s:
        s.add(Document(filename="a.pdf", sha256=hash_file(c.path).sha256, state="received", inbox_path=str(c.path)))
        s.commit()
    assert journal.recover(sm, vault, folders) == 1
    assert states(sm) == {"claimed": 1}
    assert not c.path.exists()


def test_crash_after_rename_before_vault_is_finished_on_recover(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    c = drop(inbox, "b.pdf", b"content B")
    sha = hash_file(c.path).sha256
    with sm() as s:
        doc = Document(filename="b.pdf", sha256=sha, state="received", inbox_path=str(c.path))
        s.add(doc)
        s.commit()
        move_out(c.path, folders.incoming / str(doc.id), sha)
    journal.recover(sm, vault, folders)
    assert states(sm) == {"claimed": 1}
    assert vault.get(journal.doc_blob(sha)) == b"content B"
    assert not any(folders.incoming.iterdir())


def test_crash_after_commit_before_cleanup_leaves_no_plaintext(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    doc_id = journal.claim(sm, vault, folders, drop(inbox, "c.pdf", b"content C"))
    (folders.incoming / str(doc_id)).write_bytes(b"content C")  # the unlink never happened
    journal.recover(sm, vault, folders)
    assert not any(folders.incoming.iterdir())
    assert states(sm) == {"claimed": 1}


def test_file_removed_by_someone_before_claim_goes_to_review(env) -> None:  # type: ignore[no-untyped-def]
    sm, vault, folders, inbox = env
    with sm() as s:
        s.add(Document(filename="gone.pdf", sha256="0" * 64, state="received", inbox_path=str(inbox.path / "gone.pdf")))
        s.commit()
    journal.recover(sm, vault, folders)
    with sm() as s:
        doc = s.scalars(select(Document)).one()
        assert doc.state == "in_review"
        assert "disappeared" in journal.reasons_of(doc)[0]


def test_refused_symlink_moved_out_target_untouched(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ingest.claim import Refusal
    from ingest.watcher import Refused

    sm, vault, folders, inbox = env
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    link = inbox.path / "minutes.pdf"
    link.symlink_to(secret)
    before = os.stat(secret)
    moved = journal.refuse(folders, Refused(link, inbox, Refusal.SYMLINK))
    assert moved is not None and moved.is_symlink()
    assert not link.exists() and not link.is_symlink()
    assert secret.read_text() == "do not read" and os.stat(secret).st_mtime_ns == before.st_mtime_ns
    assert "symbolic link" in moved.with_name(moved.name + ".reason.txt").read_text()
