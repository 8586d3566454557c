"""The per-document journal: claiming files and recording every step before the next begins.

Order of a claim, chosen so that a crash between any two lines loses nothing and repeats
nothing:

1. hash the file in the inbox (nothing recorded yet: a crash leaves it in the inbox);
2. insert the document row as ``received`` with the inbox path, commit;
3. rename the file out of the inbox to ``store/incoming/<id>`` (atomic);
4. encrypt it into the vault as ``doc-<sha256>`` (or, for known content, mark ``duplicate``),
   commit ``claimed``;
5. remove the plaintext copy from ``incoming``.

``recover`` finishes any claim that stopped between 2 and 5. A document's later steps are
likewise committed one state at a time, so a restart resumes each from its last state.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ingest.claim import ChangedWhileReading, display_name, hash_file, move_out
from ingest.vault import Vault, atomic_write
from ingest.watcher import Candidate, Refused
from outputs.schema import Document, DocumentEvent, utcnow

log = logging.getLogger("mappa.journal")

RESTING = ("filed", "shred_queued", "in_review", "destroyed", "duplicate")
ACTIVE = ("received", "claimed", "extracted", "summarised")


def doc_blob(sha256: str) -> str:
    return f"doc-{sha256}"


def text_blob(sha256: str) -> str:
    return f"text-{sha256}"


def summary_blob(sha256: str) -> str:
    return f"summ-{sha256}"


def reasons_of(doc: Document) -> list[str]:
    try:
        value = json.loads(doc.reasons or "[]")
    except ValueError:
        return [doc.reasons]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def set_state(session: Session, doc: Document, state: str, detail: str = "", reasons: list[str] | None = None) -> None:
    """Record a step; the caller commits it together with the step's results."""
    doc.state = state
    if reasons is not None:
        doc.reasons = json.dumps(reasons)
    doc.updated_at = utcnow()
    session.add(DocumentEvent(document_id=doc.id, state=state, detail=detail[:2000]))


@dataclass(frozen=True)
class Folders:
    incoming: Path
    rejected: Path

    def ensure(self) -> None:
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.rejected.mkdir(parents=True, exist_ok=True)


def claim(sessions: sessionmaker[Session], vault: Vault, folders: Folders, candidate: Candidate) -> int | None:
    """Take one settled file from a watched folder. Returns the document id, or None to retry later."""
    try:
        hashed = hash_file(candidate.path)
    except (ChangedWhileReading, FileNotFoundError):
        return None
    with sessions() as session:
        original = session.scalar(
            select(Document).where(Document.sha256 == hashed.sha256, Document.duplicate_of.is_(None))
        )
        doc = Document(
            filename=display_name(candidate.path),
            source=candidate.folder.source,
            doc_type_hint=candidate.folder.doc_type_hint,
            sha256=hashed.sha256,
            size=hashed.size,
            duplicate_of=original.id if original else None,
            state="received",
            inbox_path=os.fsdecode(candidate.path),
        )
        session.add(doc)
        try:
            session.flush()
        except IntegrityError:
            # Another watcher took the same content a moment ago: this copy is a duplicate.
            session.rollback()
            return None
        session.add(DocumentEvent(document_id=doc.id, state="received", detail=doc.filename))
        session.commit()
        doc_id = doc.id
    _finish_claim(sessions, vault, folders, doc_id)
    return doc_id


def _finish_claim(sessions: sessionmaker[Session], vault: Vault, folders: Folders, doc_id: int) -> None:
    """Steps 3-5 of a claim; safe to repeat after a crash at any point."""
    incoming = folders.incoming / str(doc_id)
    with sessions() as session:
        doc = session.get_one(Document, doc_id)
        if doc.state != "received":
            incoming.unlink(missing_ok=True)
            return
        inbox = Path(doc.inbox_path)
        if not incoming.exists():
            if not inbox.exists():
                set_state(session, doc, "in_review", "file vanished",
                          ["the file disappeared from the watched folder before it could be claimed: ask whoever "
                           "dropped it whether it was moved, and drop it again"])
                session.commit()
                return
            if hash_file(inbox).sha256 != doc.sha256:
                # Replaced by different content since we hashed it: start again as a new file.
                session.delete(doc)
                session.commit()
                return
            move_out(inbox, incoming, doc.sha256)
        if doc.duplicate_of is not None:
            set_state(session, doc, "duplicate", f"same content as document {doc.duplicate_of}",
                      [f"duplicate of document {doc.duplicate_of}: not processed again"])
        else:
            data = incoming.read_bytes()
            vault.put(doc_blob(doc.sha256), data)
            doc.store_path = str(vault.path_for(doc_blob(doc.sha256)))
            set_state(session, doc, "claimed", "stored encrypted")
        session.commit()
    incoming.unlink(missing_ok=True)


def add_child_document(session: Session, vault: Vault, parent: Document, filename: str, data: bytes, origin: str) -> Document:
    """An attachment or embedded file becomes a document of its own, linked to its parent."""
    sha = hashlib.sha256(data).hexdigest()
    original = session.scalar(select(Document).where(Document.sha256 == sha, Document.duplicate_of.is_(None)))
    child = Document(
        filename=filename[:500] or "attachment",
        source=f"{parent.source}:{origin}",
        doc_type_hint="",
        sha256=sha,
        size=len(data),
        duplicate_of=original.id if original else None,
        parent_id=parent.id,
        state="received",
    )
    session.add(child)
    session.flush()
    if original is not None:
        set_state(session, child, "duplicate", f"same content as document {original.id}",
                  [f"duplicate of document {original.id}: not processed again"])
    else:
        vault.put(doc_blob(sha), data)
        child.store_path = str(vault.path_for(doc_blob(sha)))
        set_state(session, child, "claimed", f"{origin} of document {parent.id}")
    return child


def refuse(folders: Folders, refused: Refused) -> Path | None:
    """Move a link, device or FIFO out of the inbox without opening it, with a note saying why."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = folders.rejected / f"{stamp}-{refused.path.name}"[:240]
    try:
        os.rename(refused.path, target)
    except OSError as exc:
        log.warning("could not move refused %s: %s", refused.path, exc)
        return None
    atomic_write(target.with_name(target.name + ".reason.txt"),
                 f"{refused.path}\n{refused.refusal.value}\n".encode(), mode=0o640)
    log.warning("refused %s: %s (moved to %s)", refused.path, refused.refusal.value, target)
    return target


def recover(sessions: sessionmaker[Session], vault: Vault, folders: Folders) -> int:
    """Finish every claim a crash interrupted. Later steps resume from their state in the driver."""
    with sessions() as session:
        ids = list(session.scalars(select(Document.id).where(Document.state == "received")))
    for doc_id in ids:
        _finish_claim(sessions, vault, folders, doc_id)
    # Plaintext copies whose claim was already recorded are leftovers of a crash after step 4.
    if folders.incoming.exists():
        with sessions() as session:
            for leftover in folders.incoming.iterdir():
                if leftover.name.isdigit():
                    doc = session.get(Document, int(leftover.name))
                    if doc is not None and doc.state != "received":
                        leftover.unlink(missing_ok=True)
                    elif doc is None:
                        log.error("%s has no journal entry; left in place for a person to check", leftover)
                elif leftover.name.endswith(".copying"):
                    leftover.unlink(missing_ok=True)
    return len(ids)
