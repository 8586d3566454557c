"""Writing the generated documents (DOCX): letters, notices, panel packs, summaries.

Every file is written whole to a temporary sibling and renamed into place, at a path
derived from the document and purpose only, so a re-run after a crash overwrites the same
file instead of leaving a second one. Letter wording is data (templates below), so a
council can change it without touching the logic.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from docx import Document as DocxDocument

from ingest.vault import atomic_write
from outputs.config import OutputConfig
from redact.docx_template import new_document
from redact.docx_write import Para, write_document

ACK_LETTER = Template("""\
Dear $recipient,

Re: $subject_name$prison_number_text

Thank you for your notification dated $received concerning the above-named$release_text. \
$council_name Children's Services acknowledges receipt. The information will be checked \
against our records and shared with the MAPPA panel where appropriate.

If you have any questions please contact the MAPPA Coordinator$contact_text.

Yours sincerely,

$signatory
$council_name""")

NOTICE = Template("""\
To: $recipient

$subject_name is to be discussed at a MAPPA meeting on $meeting_date$time_text$place_text.

You are receiving this because a child or young person with a relational link to this \
person is known to $council_name Children's Services$case_text. Please contact the MAPPA \
representative before the meeting if you hold information the panel should consider.

$signatory""")

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_part(text: str, limit: int = 40) -> str:
    """A file-name fragment; never a path separator, never empty."""
    return (_SAFE.sub("-", text).strip("-.") or "x")[:limit]


LETTER_FONT = ("Arial", 11.0)  # Normal in the letters, notices and packs


def warm_templates() -> None:
    """Cut the letters' and the summaries' templates down now, at start-up (about a tenth of a
    second), rather than while the first document of the day waits for its letter."""
    write_document([], "", "", *LETTER_FONT)
    write_document([], "", "")  # the summaries' (redact.docx_out)
    new_document()  # python-docx itself, which reads each written summary back


def docx_bytes(title: str, paragraphs: list[str], config: OutputConfig, banner: str = "",
               letterhead: bool = True) -> bytes:
    body: list[Para] = []
    if banner:
        body.append(Para(banner, bold=True))
    if letterhead:
        head = [config.council_name, config.council_address, config.council_phone, config.council_email]
        body.append(Para("\n".join(h for h in head if h)))
    body.append(Para(title, style="Heading 1"))
    body.extend(Para(p) for p in paragraphs)
    return write_document(body, config.marking, config.marking, *LETTER_FONT)  # Normal in Arial 11


def save(path: Path, data: bytes) -> Path:
    atomic_write(path, data, mode=0o640)
    return path


def docx_text(path: Path) -> str:
    """All the text of a DOCX (body, tables, headers, footers): what tests and leak checks read."""
    doc = DocxDocument(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)
