"""Sending things exactly once: into a team's folder, or by e-mail.

The driver may re-run the outputs after a crash before its transaction committed, which
rolls back the ``deliveries`` rows but not what already left the building. So each delivery
has a deterministic key, and after a send the key is also written to a small ledger on disk
(``OutputConfig.sent_dir``) that no rollback can undo; a re-run that finds the key skips the
send. A crash in the instant between the send and the ledger write can still repeat one
e-mail; the Message-ID is derived from the key, so mail clients show it as the same message.
"""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.vault import atomic_write
from outputs.config import OutputConfig
from outputs.records import Delivery

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Outgoing:
    """One delivery to make: the files (name, bytes) and, for e-mail, a subject line and body."""

    kind: str  # summary / notification_copy / notice
    channel: str  # folder / email
    target: str  # folder path or e-mail address
    files: tuple[tuple[str, bytes], ...]
    subject: str = ""
    body: str = ""
    summary_id: int | None = None
    letter_id: int | None = None


def delivery_key(document_sha: str, kind: str, part: str, channel: str, target: str) -> str:
    return hashlib.sha256(f"{document_sha}|{kind}|{part}|{channel}|{target}".encode()).hexdigest()


def _send_mail(config: OutputConfig, out: Outgoing, key: str) -> None:
    msg = EmailMessage()
    msg["From"] = config.smtp_from
    msg["To"] = out.target
    msg["Subject"] = out.subject
    msg["Message-ID"] = f"<{key[:32]}@mappa-docs>"
    msg.set_content(out.body or out.subject)
    for name, data in out.files:
        maintype, subtype = DOCX_TYPE if name.endswith(".docx") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        smtp.send_message(msg)


def deliver(session: Session, config: OutputConfig, document_id: int, document_sha: str, part: str,
            out: Outgoing, now: datetime) -> Delivery:
    """Make one delivery unless it was made before (by this run, a rolled-back run, or an earlier one)."""
    key = delivery_key(document_sha, out.kind, part, out.channel, out.target)
    row = session.scalars(select(Delivery).where(Delivery.key == key)).first()
    if row is not None and row.status == "sent":
        return row
    if row is None:
        row = Delivery(key=key, document_id=document_id, kind=out.kind, channel=out.channel, target=out.target,
                       summary_id=out.summary_id, letter_id=out.letter_id, status="pending", at=now)
        session.add(row)
    marker = config.sent_dir / key
    if not marker.exists():
        try:
            if out.channel == "folder":
                folder = Path(out.target)
                for name, data in out.files:
                    atomic_write(folder / name, data, mode=0o640, sync_folder_now=True)  # before its marker
            else:
                _send_mail(config, out, key)
        except (OSError, smtplib.SMTPException) as exc:
            row.status, row.error, row.at = "failed", f"{type(exc).__name__}: {exc}", now
            session.flush()
            return row
        # durable before anything else: after a crash the marker is what says "do not send again"
        atomic_write(marker, f"{out.channel} {out.target} {now.isoformat()}\n".encode(), sync_folder_now=True)
    row.status, row.error, row.at = "sent", "", now
    row.summary_id, row.letter_id = out.summary_id, out.letter_id
    session.flush()
    return row
