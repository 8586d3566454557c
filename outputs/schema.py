"""The records store's tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them.

The journal lives in ``documents.state``: a document's state is committed before the next
step starts, which is what lets a restart resume every document from its last step.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), default="inbox")
    doc_type_hint: Mapped[str] = mapped_column(String(40), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    # Set on a second copy of known content; the original keeps the hash to itself.
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    # An e-mail attachment or embedded file points at the message it came from.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    doc_type_confidence: Mapped[float | None] = mapped_column(nullable=True)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings
    inbox_path: Mapped[str] = mapped_column(Text, default="")
    store_path: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str | None] = mapped_column(String(20), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    facts_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    text_path: Mapped[str] = mapped_column(Text, default="")  # encrypted extracted text
    placement: Mapped[str | None] = mapped_column(String(20), nullable=True)
    placement_reason: Mapped[str] = mapped_column(Text, default="")
    placed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    placed_by: Mapped[str] = mapped_column(String(100), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # The hash is UNIQUE among originals: a second drop of the same content becomes a
        # 'duplicate' row pointing at the first, never a second original.
        Index(
            "uq_documents_sha256_original",
            "sha256",
            unique=True,
            sqlite_where=text("duplicate_of IS NULL"),
            postgresql_where=text("duplicate_of IS NULL"),
        ),
    )


class DocumentEvent(Base):
    """Every step a document took, for the status page and for post-mortems."""

    __tablename__ = "document_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
