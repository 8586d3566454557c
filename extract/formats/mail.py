"""E-mail: the message body is the document; attachments go back to the driver as documents.

MAPPA paperwork usually arrives as an attachment to a covering e-mail (often from the police
secure mail), so the body is read for its own sake (it may name the subject) and every
attachment, nested message included, is handed back to be read on its own.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage, MIMEPart
from typing import Any

from extract.formats.common import CharBudget, Outcome, refuse
from extract.formats.html import html_to_text
from extract.formats.text import add_paragraphs, normalise_newlines
from extract.limits import ReadLimits
from extract.model import Attachment, BlockKind, Flag, TextBuilder

HEADERS = ("From", "To", "Cc", "Subject", "Date")
ENCRYPTED_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime", "multipart/encrypted"}
_CID = re.compile(r"cid:([^\"'\s>)]+)", re.I)


def _safe_name(name: str | None, fallback: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or fallback


def _build(headers: list[tuple[str, str]], plain: str | None, html: str | None, limits: ReadLimits,
           fmt: str, attachments: list[Attachment], flags: list[Flag], metadata: dict[str, str]) -> Outcome:
    budget = CharBudget(limits)
    builder = TextBuilder()
    for name, value in headers:
        if value.strip():
            budget.spend(len(value))
            builder.add(BlockKind.EMAIL_HEADER, f"{name}: {' '.join(value.split())}")
    body = normalise_newlines(plain) if plain and plain.strip() else html_to_text(html) if html else ""
    add_paragraphs(builder, body, budget)
    if len(attachments) > limits.max_attachments:
        flags.append(Flag("attachments_skipped", f"the message has {len(attachments)} attachments; only the first "
                          f"{limits.max_attachments} were taken out: check the rest", review=True))
        attachments = attachments[: limits.max_attachments]
    if attachments:
        flags.append(Flag("attachments", f"{len(attachments)} attachment(s) taken out, each read as a document: "
                          + ", ".join(a.filename for a in attachments)))
    return builder.build(fmt, flags=flags, attachments=attachments, metadata=metadata)


def _content(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError):
        content = None
    if isinstance(content, str):
        return content
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def read_eml(data: bytes, limits: ReadLimits) -> Outcome:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    flags: list[Flag] = []
    if message.get_content_type() in ENCRYPTED_TYPES:
        raise refuse("password_protected", "the e-mail is encrypted: ask the sender to send it through secure mail "
                     "without message encryption, or to forward the decrypted copy")
    headers = [(name, str(message.get(name, ""))) for name in HEADERS]
    plain_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    plain = _content(plain_part) if plain_part is not None else None
    html = _content(html_part) if html_part is not None else None
    referenced = set(_CID.findall(html or ""))
    attachments: list[Attachment] = []
    for number, part in enumerate(message.iter_attachments(), 1):
        if len(attachments) > limits.max_attachments:
            break
        content_type = part.get_content_type()
        content_id = (part.get("Content-ID") or "").strip("<> ")
        if content_type.startswith("image/") and content_id and content_id in referenced:
            continue  # a logo or signature picture shown in the body, not a document
        if content_type == "message/rfc822":
            inner = part.get_content()
            payload = inner.as_bytes() if isinstance(inner, email.message.Message) else bytes(inner)
            subject = str(inner.get("Subject", "")) if isinstance(inner, email.message.Message) else ""
            name = _safe_name(part.get_filename(), f"{subject or 'message'}-{number}.eml")
            attachments.append(Attachment(name, payload, "nested_message"))
            continue
        data_part = part.get_payload(decode=True)
        if not isinstance(data_part, bytes):
            continue
        attachments.append(Attachment(_safe_name(part.get_filename(), f"attachment-{number}"), data_part,
                                      "email_attachment"))
    inline_images = sum(1 for part in message.walk() if part.get_content_type().startswith("image/")
                        and (part.get("Content-ID") or "").strip("<> ") in referenced)
    if inline_images:
        flags.append(Flag("inline_images", f"{inline_images} picture(s) shown in the message body were not read"))
    metadata = {name.lower(): value for name, value in headers if value}
    if message.get("Message-ID"):
        metadata["message_id"] = str(message["Message-ID"])
    return _build(headers, plain, html, limits, "eml", attachments, flags, metadata)


def read_msg(data: bytes, limits: ReadLimits) -> Outcome:
    import extract_msg
    from extract_msg.enums import AttachmentType

    try:
        message: Any = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:  # extract-msg raises many types for damaged files
        raise refuse("corrupt", "the Outlook message is damaged and cannot be read: ask the sender to send it again",
                     detail=str(exc)) from exc
    try:
        headers = [(name, str(getattr(message, attr, None) or "")) for name, attr in
                   (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Subject", "subject"), ("Date", "date"))]
        if not headers[1][1]:  # no recipient table: Outlook's PR_DISPLAY_TO line still names them
            headers[1] = ("To", str(message.getStringStream("__substg1.0_0E04") or ""))
        plain = getattr(message, "body", None)
        html = None
        if not (plain or "").strip():
            raw_html = getattr(message, "htmlBody", None)
            html = raw_html.decode("utf-8", errors="replace") if isinstance(raw_html, bytes) else raw_html
        attachments: list[Attachment] = []
        flags: list[Flag] = []
        for number, attached in enumerate(getattr(message, "attachments", []), 1):
            if len(attachments) > limits.max_attachments:
                break
            kind = getattr(attached, "type", None)
            name = _safe_name(getattr(attached, "longFilename", None) or getattr(attached, "shortFilename", None),
                              f"attachment-{number}")
            if kind in (AttachmentType.MSG, AttachmentType.SIGNED_EMBEDDED):
                inner = attached.data
                payload = inner.exportBytes() if hasattr(inner, "exportBytes") else b""
                subject = getattr(inner, "subject", "") or "message"
                attachments.append(Attachment(_safe_name(name if name.endswith(".msg") else "", f"{subject}-{number}.msg"),
                                              payload, "nested_message"))
            elif kind == AttachmentType.DATA and isinstance(attached.data, bytes):
                if getattr(attached, "hidden", False) and (getattr(attached, "contentId", None) or "") and \
                        name.lower().endswith((".png", ".jpg", ".jpeg", ".gif")):
                    continue  # inline signature picture
                attachments.append(Attachment(name, attached.data, "email_attachment"))
            else:
                flags.append(Flag("attachment_unreadable", f"attachment {name} could not be taken out: check it",
                                  review=True))
        metadata = {name.lower(): value for name, value in headers if value}
        return _build(headers, plain, html, limits, "msg", attachments, flags, metadata)
    finally:
        message.close()

