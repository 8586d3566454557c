"""Dashboard, the list of received files, and the full document (restricted)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, time

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import func, select

from mappa import journal
from mappa.journal import reasons_of
from mappa.web import docview
from mappa.web.auth import Area
from mappa.web.common import audit, ctx, db, not_found, render, user_of
from mappa.web.reasons import LABELS, kinds_of
from outputs.schema import Document

area = Area()
OVERVIEW = ("admin", "qa", "representative")
RESTRICTED = ("qa", "representative")  # full documents, extracted text, redaction logs (POLICY 4 "Access")
STATE_ORDER = ("received", "claimed", "extracted", "summarised", "in_review", "filed", "shred_queued", "destroyed",
               "duplicate")


@area.get("/dashboard", roles=OVERVIEW)
def dashboard(request: Request) -> Response:
    now = ctx(request).now()
    start = datetime.combine(now.date(), time.min)
    with db(request) as session:
        today = session.scalar(select(func.count(Document.id)).where(Document.received_at >= start)) or 0
        by_state = dict(session.execute(select(Document.state, func.count(Document.id)).group_by(Document.state)).all())
        in_review = list(session.scalars(select(Document).where(Document.state == "in_review")))
    reason_counts: Counter[str] = Counter()
    for doc in in_review:
        reason_counts.update(kinds_of(reasons_of(doc)))
    states = [(s, by_state.get(s, 0)) for s in STATE_ORDER] + [(s, n) for s, n in by_state.items() if s not in STATE_ORDER]
    return render(request, "dashboard.html", today=today, states=states,
                  reasons=[(k, LABELS[k], n) for k, n in reason_counts.most_common()])


@area.get("/documents", roles=OVERVIEW)
def documents(request: Request, state: str = "") -> Response:
    with db(request) as session:
        query = select(Document).order_by(Document.id.desc()).limit(500)
        if state:
            query = query.where(Document.state == state)
        docs = list(session.scalars(query))
    # Admin staff see what happened to each file; the reasons can quote the document, so not to them.
    show_reasons = user_of(request).role in RESTRICTED
    return render(request, "documents.html", docs=docs, state=state, states=STATE_ORDER, show_reasons=show_reasons,
                  reasons_of=reasons_of)


@area.get("/documents/{doc_id}", roles=RESTRICTED)
def document(request: Request, doc_id: int) -> Response:
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise not_found("document")
        view = docview.build(session, ctx(request).runtime.vault, doc)
        audit(session, request, "document.view", f"document:{doc_id}")
        session.commit()
    return render(request, "document.html", view=view, editable=False)


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@area.get("/documents/{doc_id}/original", roles=RESTRICTED)
def original(request: Request, doc_id: int) -> Response:
    vault = ctx(request).runtime.vault
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None or not vault.exists(journal.doc_blob(doc.sha256)):
            raise not_found("stored original")
        data = vault.get(journal.doc_blob(doc.sha256))
        audit(session, request, "document.download", f"document:{doc_id}", {"sha256": doc.sha256})
        session.commit()
    name = _UNSAFE.sub("_", doc.filename)[:120] or f"document-{doc_id}"
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
