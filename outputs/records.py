"""The records store: subjects, children, links, flags, panels, diary, deliveries, audit.

These tables sit beside the lead's ``documents`` table on the same ``Base``. What matters
for POLICY.md section 1 is what is *not* here: no table that points at a child holds a full
document, its text, or a path to it. A document id on a child-linked row (a relationship's
``source_document_id``, an action's ``document_id``) is provenance only: it says which
document the link came from; opening the document still needs the restricted role.

Confidential text that must survive (redaction logs, held summaries) lives encrypted in the
vault; these rows hold only the blob name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outputs.schema import Base, utcnow

FLAG_KINDS = ("mappa_warning", "mappa", "hazard", "to_be_discussed")
CASE_STATUSES = ("open", "closed", "unknown")
SUMMARY_STATUSES = ("delivered", "awaiting_match", "held", "approval_pending", "withdrawn")
ROLES = ("admin", "qa", "representative", "social_worker")


class Subject(Base):
    """A MAPPA subject's restricted record."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The council's own reference (from the records import, or "MS-<n>" when the service
    # created the record); the summary's signpost points here.
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    dob: Mapped[date | None] = mapped_column(Date, nullable=True)
    pnc: Mapped[str] = mapped_column(String(40), default="", index=True)
    cro: Mapped[str] = mapped_column(String(40), default="")
    prison_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    crn: Mapped[str] = mapped_column(String(40), default="")
    visor: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    mappa_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mappa_category: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Set when the subject is himself a child known to children's services (POLICY 1's
    # one exception: his own minutes may go on his own file).
    own_child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), nullable=True)
    created_from_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    flags: Mapped[list[SubjectFlag]] = relationship(back_populates="subject", order_by="SubjectFlag.id")


class SubjectFlag(Base):
    __tablename__ = "subject_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of FLAG_KINDS
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)

    subject: Mapped[Subject] = relationship(back_populates="flags")


class Child(Base):
    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_ref: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(Text)
    dob: Mapped[date | None] = mapped_column(Date, nullable=True)
    case_status: Mapped[str] = mapped_column(String(10), default="unknown")  # CASE_STATUSES
    social_worker: Mapped[str] = mapped_column(String(100), default="")  # a users.username
    social_worker_email: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    spoc_email: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Relationship(Base):
    """A child's link to a subject. ``cause_for_concern`` is set after a MAPPA meeting."""

    __tablename__ = "relationships"
    __table_args__ = (UniqueConstraint("child_id", "subject_id", name="uq_relationship_child_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(100), default="")
    cause_for_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Summary(Base):
    """One child-safe summary. Held summaries keep their text in the vault, not here."""

    __tablename__ = "summaries"
    __table_args__ = (UniqueConstraint("document_id", "child_index", name="uq_summary_document_child"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    child_index: Mapped[int] = mapped_column(Integer)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), nullable=True, index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), nullable=True)
    child_name: Mapped[str] = mapped_column(Text)
    # Released text only. A summary that failed its leak check may hold forbidden text, so
    # it goes to the vault (``text_blob``) and this stays empty.
    text: Mapped[str] = mapped_column(Text, default="")
    text_blob: Mapped[str] = mapped_column(String(120), default="")
    released: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))  # SUMMARY_STATUSES
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # names and references the summary carries on purpose; the written file's leak check allows them
    allowed: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    qa_sampled: Mapped[bool] = mapped_column(Boolean, default=False)
    qa_done_by: Mapped[str] = mapped_column(String(100), default="")
    docx_path: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RedactionLog(Base):
    """Where a summary's redaction log is; the log itself is encrypted in the vault."""

    __tablename__ = "redaction_logs"
    __table_args__ = (UniqueConstraint("document_id", "child_index", name="uq_redlog_document_child"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    child_index: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), nullable=True)
    blob: Mapped[str] = mapped_column(String(120))
    removals: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PanelMeeting(Base):
    """One subject's place on one panel. ``meeting_date`` is empty while 'listed for the next panel'."""

    __tablename__ = "panel_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    meeting_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")  # listed / scheduled / held
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    minutes_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    attendance: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DiaryEntry(Base):
    """The bring-forward diary."""

    __tablename__ = "diary"
    __table_args__ = (UniqueConstraint("subject_id", "document_id", "kind", name="uq_diary_subject_doc_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    due: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(30))  # "review"
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionItem(Base):
    """An action agreed at a panel for children's services."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("document_id", "position", name="uq_action_document_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), nullable=True)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(100), default="")
    due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / done
    done_by: Mapped[str] = mapped_column(String(100), default="")
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Letter(Base):
    """A generated document: acknowledgement letter, notice, panel pack, pre-meeting summary."""

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("path", name="uq_letter_path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    path: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Delivery(Base):
    """One thing sent once. ``key`` is deterministic so a re-run finds it instead of sending again."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    summary_id: Mapped[int | None] = mapped_column(ForeignKey("summaries.id"), nullable=True, index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(30), default="summary")
    channel: Mapped[str] = mapped_column(String(10))  # folder / email
    target: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10))  # sent / failed
    error: Mapped[str] = mapped_column(Text, default="")


class Destruction(Base):
    """What was destroyed, when and by whom. Outlives the document it describes."""

    __tablename__ = "destructions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)  # no FK: the record outlives the row's meaning
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(Text)
    blobs: Mapped[list[str]] = mapped_column(JSON, default=list)
    destroyed_at: Mapped[datetime] = mapped_column(default=utcnow)
    destroyed_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # ROLES
    password_hash: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only, hash-chained (see ``outputs.audit``)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Correction(Base):
    """A person's correction of an extracted field (the QA page writes these)."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    field: Mapped[str] = mapped_column(Text)
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(30), default="review")


def tables_linking_to_children() -> list[Any]:
    """Every table with a foreign key to ``children``: the tests check none carries a full document."""
    return [t for t in Base.metadata.sorted_tables if any(fk.column.table.name == "children" for fk in t.foreign_keys)]
