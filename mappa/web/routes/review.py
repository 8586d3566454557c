"""The QA manager's review queue and review page: correct, then approve, reject, re-run or shred."""

from __future__ import annotations

import json
from typing import Any, Literal, cast

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from extract.facts import Facts
from ingest.vault import VaultError
from mappa import journal
from mappa.corrections import changes, current_matches, generic, record_changes, set_match
from mappa.journal import reasons_of
from mappa.pipeline import load_facts, load_text
from mappa.serialize import load
from mappa.web import adapter, docview
from mappa.web.auth import Area
from mappa.web.common import audit, ctx, db, form, not_found, render, user_of
from mappa.web.reasons import LABELS, REASON_KINDS, kinds_of
from outputs.records import Child, Correction, Subject, Summary
from outputs.schema import Document

area = Area()
QA = ("qa",)
DECISIONS = ("approve", "reject", "rerun", "shred")
IDENTITY = {"subjects.name", "subjects.dob", "subjects.pnc", "subjects.prison_number"}
DONE = {"claimed": "Sent back to be processed again: the service will read and extract it afresh.",
        "filed": "Decided: the document is filed and its duties carried out.",
        "shred_queued": "Decided: the document is queued for shredding.",
        "destroyed": "The document was destroyed."}


@area.get("/review", roles=QA)
def queue(request: Request, reason: str = "") -> Response:
    with db(request) as session:
        docs = list(session.scalars(select(Document).where(Document.state == "in_review").order_by(Document.id)))
    rows = [(d, kinds_of(reasons_of(d)), reasons_of(d)) for d in docs]
    if reason:
        rows = [r for r in rows if reason in r[1]]
    kinds = [(k, label) for k, label, _ in REASON_KINDS] + [("other", LABELS["other"])]
    return render(request, "review_queue.html", rows=rows, reason=reason, kinds=kinds, labels=LABELS)


def _page(request: Request, doc_id: int, messages: list[str], errors: list[str], status: int = 200) -> Response:
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise not_found("document")
        view = docview.build(session, ctx(request).runtime.vault, doc)
        subjects = list(session.scalars(select(Subject).order_by(Subject.name)))
        children = list(session.scalars(select(Child).order_by(Child.name)))
        subject_choice = subject_choices(view.facts, doc)
        audit(session, request, "review.view", f"document:{doc_id}")
        session.commit()
    return render(request, "document.html", status=status, view=view, editable=doc.state == "in_review",
                  subjects=subjects, children=children, subject_choice=subject_choice, messages=messages,
                  errors=errors)


@area.get("/review/{doc_id}", roles=QA)
def review_page(request: Request, doc_id: int, saved: int = -1, done: str = "") -> Response:
    messages = []
    if saved >= 0:
        messages.append(f"{saved} correction(s) saved." if saved else "Nothing had changed.")
    if done in DONE:
        messages.append(DONE[done])
    return _page(request, doc_id, messages, [])


@area.post("/review/{doc_id}/fields", roles=QA)
def save_fields(request: Request, doc_id: int) -> Response:
    data = form(request)
    who = user_of(request).username
    now = ctx(request).now()
    vault = ctx(request).runtime.vault
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise not_found("document")
        if doc.state != "in_review":
            raise HTTPException(409, f"Document {doc_id} is {doc.state}, not in review: it can no longer be corrected.")
        facts: dict[str, Any] = json.loads(doc.facts_json) if doc.facts_json else {}
        new_facts, found, errors = changes(facts, data) if facts else (facts, [], [])
        matches, match_errors = _match_changes(session, doc, facts, data)
        errors += match_errors
        # A corrected name, date of birth or identifier makes the extraction's own record match stale:
        # drop it so the outputs stage matches again on the corrected values (an explicit choice wins).
        for i in {int(c.key.split(".")[1]) for c in found if generic(c.key) in IDENTITY}:
            stale = new_facts.get("subject_matches") or []
            if i < len(stale):
                new_facts = {**new_facts, "subject_matches": [None if j == i else m for j, m in enumerate(stale)]}
        for kind, index, _old, new in matches:
            count = len(facts.get("subjects" if kind == "subject" else "children") or [])
            if kind == "subject" or index < count:
                new_facts = set_match(new_facts, kind, index, int(new) if new else None, count)
        if not errors and (found or matches) and facts:
            try:
                load(Facts, new_facts)
            except (TypeError, ValueError, KeyError) as exc:
                errors.append(f"the corrected fields do not make valid facts: {exc}")
        if errors:
            session.rollback()
            return _page(request, doc_id, [], errors, status=400)
        try:
            text = load_text(vault, doc).text
        except VaultError:
            text = ""
        rows = record_changes(session, doc_id, doc.source, text, found, who, now)
        if found or matches:
            doc.facts_json = json.dumps(new_facts)
            if any(c.key == "doc_type" for c in found):
                doc.doc_type, doc.doc_type_confidence = new_facts["doc_type"]["value"], 1.0
        for kind, index, old, new in matches:
            row = Correction(document_id=doc_id, field=f"{kind}_match.{index}", old_value=old, new_value=new, by=who,
                             at=now, source="review")
            session.add(row)
            rows.append(row)
            if kind == "child" and new:
                summary = session.scalars(select(Summary).where(Summary.document_id == doc_id,
                                                                Summary.child_index == index)).first()
                if summary is not None:
                    adapter.match_child(session, ctx(request).runtime.settings, summary.id, int(new), who, now)
        session.flush()
        for row in rows:
            audit(session, request, "review.correct", f"document:{doc_id}", {"field": row.field, "correction": row.id})
        session.commit()
        saved = sum(1 for r in rows if r.field != "label")
    return RedirectResponse(f"/review/{doc_id}?saved={saved}", status_code=303)


def subject_choices(facts: dict[str, Any], doc: Document) -> list[int | None]:
    chosen = current_matches(facts, "subject", len(facts.get("subjects") or []))
    if chosen and chosen[0] is None:
        chosen[0] = doc.subject_id
    return chosen


def _match_changes(session: Session, doc: Document, facts: dict[str, Any], data: dict[str, str]
                   ) -> tuple[list[tuple[str, int, str, str]], list[str]]:
    """(kind, index, old, new) for each changed subject or child match; errors for unknown records."""
    out: list[tuple[str, int, str, str]] = []
    errors: list[str] = []
    for i, current in enumerate(subject_choices(facts, doc)):
        key = f"subject_match.{i}"
        if key not in data:
            continue
        new = data[key].strip()
        if new and (not new.isdigit() or session.get(Subject, int(new)) is None):
            errors.append(f"subject {i + 1}: no such subject record")
        elif new != ("" if current is None else str(current)):
            out.append(("subject", i, "" if current is None else str(current), new))
    for row in session.scalars(select(Summary).where(Summary.document_id == doc.id)):
        key = f"child_match.{row.child_index}"
        if key not in data:
            continue
        new = data[key].strip()
        was = "" if row.child_id is None else str(row.child_id)
        if new and (not new.isdigit() or session.get(Child, int(new)) is None):
            errors.append(f"child {row.child_index + 1}: no such child record")
        elif new and new != was:
            out.append(("child", row.child_index, was, new))
    return out, errors


@area.post("/review/{doc_id}/decision", roles=QA)
def decide(request: Request, doc_id: int) -> Response:
    data = form(request)
    decision = data.get("decision", "")
    if decision not in DECISIONS:
        raise HTTPException(400, "Unknown decision.")
    who = user_of(request).username
    web = ctx(request)
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise not_found("document")
        if doc.state != "in_review":
            raise HTTPException(409, f"Document {doc_id} is {doc.state}, not in review.")
        if decision == "rerun":
            # Back to the first step: the driver reads, extracts and summarises it again.
            journal.set_state(session, doc, "claimed", f"re-run requested at review by {who}", [])
            audit(session, request, "review.rerun", f"document:{doc_id}")
            session.commit()
            return RedirectResponse(f"/review/{doc_id}?done=claimed", status_code=303)
        facts = load_facts(doc) if decision == "approve" and doc.facts_json else None
        result = adapter.decide(session, web.runtime.vault, web.runtime.settings, doc_id,
                                cast(Literal["approve", "reject", "shred"], decision), who, web.now(), facts,
                                data.get("note", "").strip()[:500])
        if result.state == "in_review":
            session.rollback()
            return _page(request, doc_id, [], list(result.reasons) or ["The decision could not be carried out."],
                         status=409)
        session.commit()
    return RedirectResponse(f"/review/{doc_id}?done={result.state}", status_code=303)
