"""Writing a released summary as DOCX and plain text, then checking what was actually written.

A social worker's file receives a file, not a string, so the check that matters is on the file:
it is read back with python-docx and its body must be the released text exactly, its header
and footer only the council's name and the protective marking, its properties blank (no
author, editor, comments, revision, template or application) and its package free of custom
XML, comments and thumbnails; then the leak check runs again on what was read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx

from extract.facts import Facts
from ingest.vault import atomic_write
from redact.docx_template import APP_XML, new_document, rewrite_package
from redact.model import ChildSummary, LeakHit, Reason
from redact.policy import SummaryPolicy

# Package parts a summary never carries: python-docx's default template brings custom XML, a
# thumbnail and Word's application properties (template name, company). The small template
# (redact.docx_template) has none of them; the writer drops them again should one appear.
_DROP_PARTS = re.compile(r"^(?:customXml/.*|docProps/thumbnail\.\w+|docProps/custom\.xml|word/comments\w*\.xml|"
                         r"word/people\.xml|word/commentsExtended\.xml|word/commentsIds\.xml)$")


def _header_text(policy: SummaryPolicy) -> str:
    return f"{policy.council_name} - {policy.marking}"


def _build(summary: ChildSummary, policy: SummaryPolicy) -> bytes:
    d = new_document()
    section = d.sections[0]
    section.header.paragraphs[0].text = _header_text(policy)
    section.footer.paragraphs[0].text = policy.marking
    body = summary.text.rstrip("\n").split("\n")
    for i, line in enumerate(body):
        if i == 0:
            d.add_paragraph(line, style="Heading 1")
        else:
            d.add_paragraph(line)
    cp = d.core_properties
    for attr in ("author", "last_modified_by", "comments", "title", "subject", "keywords", "category",
                 "content_status", "identifier", "language", "version"):
        setattr(cp, attr, "")
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    return _scrub_package(buf.getvalue())


def _scrub_core(content: bytes) -> bytes:
    content = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", content)
    content = re.sub(rb"<dc:creator>[^<]*</dc:creator>", b"<dc:creator/>", content)
    return re.sub(rb"<dc:description>[^<]*</dc:description>", b"<dc:description/>", content)


def _scrub_package(data: bytes) -> bytes:
    """Rewrite the package without the parts a summary must not carry, and with blank
    application properties, no dates in the core properties and fixed entry dates."""
    return rewrite_package(data, _DROP_PARTS, {"docProps/app.xml": lambda _b: APP_XML, "docProps/core.xml": _scrub_core})


def read_back(path: Path) -> tuple[str, str, str, list[str]]:
    """(body text, header text, footer text, problems) of a written summary."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if _DROP_PARTS.match(name):
                problems.append(f"package part not allowed: {name}")
        app = z.read("docProps/app.xml") if "docProps/app.xml" in z.namelist() else b""
        if re.search(rb"<(Template|Application|Company|Manager)>[^<]", app):
            problems.append("application properties are not blank")
    d = docx.Document(str(path))
    cp = d.core_properties
    for attr in ("author", "last_modified_by", "comments", "title", "subject", "keywords", "category",
                 "content_status", "identifier"):
        if getattr(cp, attr):
            problems.append(f"document property {attr} is not blank")
    if cp.revision > 1:
        problems.append("document revision is set")
    body = "\n".join(p.text for p in d.paragraphs) + "\n"
    header = "\n".join(p.text for s in d.sections for p in s.header.paragraphs)
    footer = "\n".join(p.text for s in d.sections for p in s.footer.paragraphs)
    return body, header, footer, problems


def write_summary_docx(
    summary: ChildSummary,
    path: Path,
    policy: SummaryPolicy,
    *,
    facts: Facts | None = None,
    known_identifiers: tuple[tuple[str, str], ...] = (),
) -> tuple[LeakHit, ...]:
    """Write ``path`` (DOCX) and ``path.with_suffix('.txt')``, read both back and check them.

    Returns the hits (empty: the files are fit for the child's file). A summary that was not
    released is not written at all. With ``facts`` the read-back text is also checked against
    the document's forbidden facts; without, it must equal the released text, which was.
    """
    from redact.summary import leak_check

    if not summary.released:
        return summary.hits or (LeakHit(Reason.IDENTIFIER, "refused: the summary was not released", ""),)
    path = Path(path)
    txt_path = path.with_suffix(".txt")
    atomic_write(path, _build(summary, policy), mode=0o640)
    atomic_write(txt_path, summary.text.encode("utf-8"), mode=0o640)
    body, header, footer, problems = read_back(path)
    hits: list[LeakHit] = [LeakHit(Reason.IDENTIFIER, f"written file: {p}", "") for p in problems]
    if header.strip() != _header_text(policy):
        hits.append(LeakHit(Reason.IDENTIFIER, "written file: header is not council name and marking", header))
    if footer.strip() != policy.marking:
        hits.append(LeakHit(Reason.IDENTIFIER, "written file: footer is not the marking", footer))
    if body.rstrip("\n") != summary.text.rstrip("\n"):  # one paragraph per line; a final newline is not a line
        hits.append(LeakHit(Reason.IDENTIFIER, "written file: body differs from the released text", ""))
    if txt_path.read_text(encoding="utf-8") != summary.text:
        hits.append(LeakHit(Reason.IDENTIFIER, "written text copy differs from the released text", ""))
    refs = tuple(a for a in summary.allowed if any(c.isdigit() for c in a))
    hits.extend(leak_check(body, facts, known_identifiers,
                           child_index=summary.child_index if facts is not None else None,
                           allowed=refs, allowed_names=summary.allowed, model=policy.nlp_model))
    if hits:
        path.unlink(missing_ok=True)
        txt_path.unlink(missing_ok=True)
    return tuple(hits)
