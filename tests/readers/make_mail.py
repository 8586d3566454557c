"""E-mails for the reader tests: a covering message with DOCX and PDF attachments, HTML bodies,
forwarded (nested) messages and inline signature pictures."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


def covering_email(subject: str, body: str, attachments: list[tuple[str, bytes, str]], html: str | None = None,
                   sender: str = "mappa.coordinator@police.example.gov.uk",
                   to: str = "mappa.admin@council.example.gov.uk", nested: EmailMessage | None = None,
                   inline_logo: bytes | None = None) -> bytes:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2025, 3, 4, 9, 30, tzinfo=UTC))
    message["Message-ID"] = "<abc123@police.example.gov.uk>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        if inline_logo is not None:
            html_part = message.get_payload()[1]
            html_part.add_related(inline_logo, maintype="image", subtype="png", cid="<logo1>")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    if nested is not None:
        message.add_attachment(nested)
    return message.as_bytes()


def simple_message(subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "prison.omu@justice.example.gov.uk"
    message["To"] = "mappa.coordinator@police.example.gov.uk"
    message["Subject"] = subject
    message.set_content(body)
    return message
