"""What ``mappa status`` and ``mappa show`` print: the service's understanding in the gold format.

``show`` uses the same keys as the evaluation gold files (DESIGN.md), so anyone can score the
service with their own tools; each value carries its source span and confidence beside it.
"""

from __future__ import annotations

from typing import Any

from extract.facts import Facts, Found, Subject
from mappa.journal import reasons_of
from outputs.schema import Document
from redact.model import ChildSummary


def status_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "filename": doc.filename,
        "sha256": doc.sha256,
        "state": doc.state,
        "doc_type": doc.doc_type,
        "reasons": reasons_of(doc),
        "received_at": doc.received_at.isoformat() if doc.received_at else None,
        "duplicate_of": doc.duplicate_of,
        "parent_id": doc.parent_id,
        "source": doc.source,
        "pages": doc.pages,
        "seconds": doc.seconds,
    }


def _found(found: Found[Any] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    value = found.value
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    elif hasattr(value, "value"):
        value = value.value
    span = {"page": found.span.page, "start": found.span.start, "end": found.span.end} if found.span else None
    return {"value": value, "span": span, "confidence": round(found.confidence, 3)}


def _subject(s: Subject) -> dict[str, Any]:
    return {
        "name": _found(s.name),
        "aliases": [_found(a) for a in s.aliases],
        "dob": _found(s.dob),
        "mappa_level": _found(s.mappa_level),
        "mappa_category": _found(s.mappa_category),
        "pnc": _found(s.pnc),
        "cro": _found(s.cro),
        "prison_number": _found(s.prison_number),
        "crn": _found(s.crn),
        "visor": _found(s.visor),
        "new_case": s.new_case,
    }


def fields(facts: Facts) -> dict[str, Any]:
    return {
        "subjects": [_subject(s) for s in facts.subjects],
        "meeting_date": _found(facts.meeting_date),
        "meeting_time": _found(facts.meeting_time),
        "meeting_place": _found(facts.meeting_place),
        "next_review_date": _found(facts.next_review_date),
        "release_date": _found(facts.release_date),
        "establishment": _found(facts.establishment),
        "linked_children": [
            {"name": _found(c.name), "dob": _found(c.dob), "age": _found(c.age), "relationship": _found(c.relationship),
             "local_authority": _found(c.local_authority)}
            for c in facts.children
        ],
        "childrens_services_attendees": [_found(a) for a in facts.cs_attendees],
        "actions_for_childrens_services": [_found(a.text) for a in facts.actions if a.for_childrens_services],
        "actions": [{"text": _found(a.text), "owner": a.owner, "due": _found(a.due),
                     "for_childrens_services": a.for_childrens_services} for a in facts.actions],
        "doc_type_evidence": list(facts.type_evidence),
    }


def show(doc: Document, facts: Facts | None, summaries: tuple[ChildSummary, ...]) -> dict[str, Any]:
    out = status_row(doc)
    out["doc_type_confidence"] = doc.doc_type_confidence
    out["fields"] = fields(facts) if facts else {}
    out["summaries"] = [
        {"child": s.child_name, "text": s.text, "released": s.released,
         "hits": [{"code": h.code.value, "rule": h.rule, "text": h.text} for h in s.hits],
         "doubts": list(s.doubts)}
        for s in summaries
    ]
    return out
