"""The shred queue: a document waits here until a named person confirms its destruction.

Destruction removes every encrypted copy the service made of the document (the original,
its extracted text, any held summary text) with ``Vault.destroy`` and clears the plaintext
facts kept on the document row, then keeps a destruction record (what, hash, when, who) and
an audit entry. Redaction logs are kept: POLICY 3 keeps them with the subject's restricted
record, and they stay encrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ingest.vault import Vault
from outputs import audit
from outputs.duties import document_blob_name
from outputs.records import Destruction, Summary
from outputs.schema import Document, DocumentEvent


@dataclass(frozen=True)
class ShredResult:
    ok: bool
    problems: tuple[str, ...] = ()
    destroyed: tuple[str, ...] = ()


def shred_queue(session: Session) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.state == "shred_queued").order_by(Document.id)))


def blob_names(session: Session, document: Document) -> list[str]:
    names = [document_blob_name(document), f"text-{document.sha256}"]
    names += [s.text_blob for s in session.scalars(select(Summary).where(Summary.document_id == document.id))
              if s.text_blob]
    return list(dict.fromkeys(names))


def confirm_shred(session: Session, vault: Vault, document_id: int, by: str, now: datetime,
                  reason: str = "") -> ShredResult:
    """Destroy a queued document's copies and record it. The caller commits, then calls ``scrub``."""
    if not by.strip():
        return ShredResult(False, ("destruction must be confirmed by a named person",))
    document = session.get(Document, document_id)
    if document is None:
        return ShredResult(False, (f"document {document_id} does not exist",))
    if document.state != "shred_queued":
        return ShredResult(False, (f"document {document_id} is {document.state}, not queued for shredding",))
    destroyed = tuple(name for name in blob_names(session, document) if vault.destroy(name))
    for s in session.scalars(select(Summary).where(Summary.document_id == document.id, Summary.text_blob != "")):
        s.text_blob = ""
    session.add(Destruction(document_id=document.id, sha256=document.sha256, filename=document.filename,
                            blobs=list(destroyed), destroyed_at=now, destroyed_by=by,
                            reason=reason or document.placement_reason))
    document.facts_json = None
    document.store_path = ""
    document.text_path = ""
    document.state = "destroyed"
    session.add(DocumentEvent(document_id=document.id, state="destroyed", detail=f"destroyed by {by}", at=now))
    audit.record(session, by, "document.destroyed", f"document:{document.id}",
                 {"sha256": document.sha256, "filename": document.filename, "blobs": list(destroyed)}, at=now)
    session.flush()
    return ShredResult(True, destroyed=destroyed)


def scrub(engine: Engine) -> None:
    """After the commit: make SQLite drop freed pages and old WAL frames that may still hold the cleared text."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL: autovacuum reclaims dead tuples; a council wanting more runs VACUUM FULL
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(text("SELECT 1"))
