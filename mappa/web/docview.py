"""Everything the document and review pages show about one document, decrypted on demand.

Built only inside a route that has already checked the role and written the audit entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.vault import Vault, VaultError
from mappa.corrections import FieldView, editable_fields
from mappa.journal import reasons_of
from mappa.pipeline import load_summaries, load_text
from mappa.web.highlight import Marked, mark_text
from mappa.web.reasons import LABELS, kind_of
from outputs.records import Child, Correction, Summary
from outputs.schema import Document, DocumentEvent


@dataclass(frozen=True)
class RemovalView:
    code: str
    rule: str
    text: str
    sentence: Markup  # the sentence with the removed text struck through


@dataclass(frozen=True)
class SummaryView:
    index: int
    child_name: str
    text: str
    released: bool
    hits: tuple[str, ...]
    doubts: tuple[str, ...]
    removals: tuple[RemovalView, ...]
    row: Summary | None
    child: Child | None


@dataclass
class DocumentView:
    doc: Document
    reasons: list[tuple[str, str]]  # (kind label, reason)
    text_html: Markup | None
    text_problem: str
    fields: list[FieldView]
    summaries: list[SummaryView]
    events: list[DocumentEvent]
    corrections: list[Correction]
    facts: dict[str, Any] = field(default_factory=dict)


def _struck(sentence: str, removed: str, code: str) -> Markup:
    at = sentence.find(removed) if removed else -1
    if at < 0:
        return Markup("{} <span class=\"code\">[{}]</span>").format(sentence, code)
    return Markup("{}<del>{}</del> <span class=\"code\">[{}]</span>{}").format(
        sentence[:at], removed, code, sentence[at + len(removed):])


def build(session: Session, vault: Vault, doc: Document) -> DocumentView:
    facts: dict[str, Any] = json.loads(doc.facts_json) if doc.facts_json else {}
    fields = editable_fields(facts) if facts else []
    text_html, problem = None, ""
    try:
        text = load_text(vault, doc)
        marks = [Marked(f.anchor, f.label, f.span[0], f.span[1]) for f in fields if f.span]
        text_html = mark_text(text.text, marks)
    except VaultError as exc:
        problem = f"The extracted text is not available: {exc}"
    rows = {r.child_index: r for r in session.scalars(select(Summary).where(Summary.document_id == doc.id))}
    summaries: list[SummaryView] = []
    try:
        drafts = load_summaries(vault, doc)
    except VaultError as exc:
        drafts = ()
        problem = problem or f"The draft summaries are not available: {exc}"
    for s in drafts:
        row = rows.get(s.child_index)
        child = session.get(Child, row.child_id) if row is not None and row.child_id is not None else None
        summaries.append(SummaryView(
            s.child_index, s.child_name, s.text, s.released,
            tuple(f"{h.code}: {h.text} ({h.rule})" for h in s.hits), tuple(s.doubts),
            tuple(RemovalView(str(r.code), r.rule, r.text, _struck(r.sentence, r.text, str(r.code))) for r in s.removals),
            row, child))
    events = list(session.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc.id)
                                  .order_by(DocumentEvent.id)))
    corrections = list(session.scalars(select(Correction).where(Correction.document_id == doc.id)
                                       .order_by(Correction.id)))
    reasons = [(LABELS[kind_of(r)], r) for r in reasons_of(doc)]
    return DocumentView(doc, reasons, text_html, problem, fields, summaries, events, corrections, facts)

