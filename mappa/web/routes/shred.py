"""The shred queue: a named person confirms each destruction by typing the file's name."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from mappa.web import adapter
from mappa.web.auth import Area
from mappa.web.common import ctx, db, form, not_found, render, user_of
from outputs.records import Destruction
from outputs.schema import Document

area = Area()
SHREDDERS = ("admin", "qa")


def _page(request: Request, errors: dict[int, str] | None = None, done: str = "", status: int = 200) -> Response:
    from sqlalchemy import select

    with db(request) as session:
        queue = list(session.scalars(select(Document).where(Document.state == "shred_queued").order_by(Document.id)))
        recent = list(session.scalars(select(Destruction).order_by(Destruction.id.desc()).limit(20)))
    return render(request, "shred.html", status=status, queue=queue, recent=recent, errors=errors or {}, done=done)


@area.get("/shred", roles=SHREDDERS)
def shred_queue(request: Request, done: str = "") -> Response:
    return _page(request, done="The document was destroyed and the destruction recorded." if done else "")


@area.post("/shred/{doc_id}", roles=SHREDDERS)
def confirm(request: Request, doc_id: int) -> Response:
    typed = form(request).get("confirm_name", "").strip()
    web = ctx(request)
    with db(request) as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise not_found("document")
        if typed != doc.filename.strip():
            return _page(request, {doc_id: "The name typed does not match the file's name: nothing was destroyed."},
                         status=400)
        ok, problems = adapter.confirm_shred(session, web.runtime.vault, doc_id, user_of(request).username, web.now())
        if not ok:
            session.rollback()
            return _page(request, {doc_id: "; ".join(problems)}, status=409)
        session.commit()
        adapter.after_shred(session)
    return RedirectResponse("/shred?done=1", status_code=303)
