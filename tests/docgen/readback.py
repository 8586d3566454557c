"""Read generated documents back to text, independently of the service's own readers.

Used by the corpus tests to prove every gold string really is in the document. A PDF is read
two ways (pdfplumber's layout order and pdfium's content-stream order) because two-column pages
and wrapped table cells come out in different orders, and a string only has to be in one.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
from pathlib import Path


def norm(text: str) -> str:
    """Casefolded, with every run of whitespace removed: what the leak check compares."""
    return re.sub(r"\s+", "", text).casefold()


def pdf_texts(data: bytes) -> list[str]:
    import pdfplumber
    import pypdfium2

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        plumber = "\n".join(p.extract_text() or "" for p in pdf.pages)
    doc = pypdfium2.PdfDocument(data)
    try:
        pdfium = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return [plumber, pdfium]


def docx_text(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    for sec in d.sections:
        parts += [p.text for p in sec.header.paragraphs] + [p.text for p in sec.footer.paragraphs]
    return "\n".join(parts)


def eml_texts(data: bytes) -> tuple[str, dict[str, bytes]]:
    """Body text (plain parts) and attachments by filename."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    body: list[str] = []
    atts: dict[str, bytes] = {}
    for part in msg.walk():
        if part.is_multipart():
            continue
        fname = part.get_filename()
        if fname:
            payload = part.get_payload(decode=True)
            atts[fname] = payload if isinstance(payload, bytes) else b""
        elif part.get_content_type() == "text/plain":
            body.append(part.get_content())
    return "\n".join(body), atts


def texts(path: Path) -> list[str]:
    """Every reading of the document (empty list for an image-only PDF)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return [t for t in pdf_texts(data) if t.strip()]
    if suffix == ".docx":
        return [docx_text(data)]
    if suffix == ".eml":
        return [eml_texts(data)[0]]
    return [data.decode("utf-8")]
