"""QA figures, the audit log, and the user list (admin)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from mappa.web import adapter, figures
from mappa.web.auth import Area
from mappa.web.common import audit, ctx, db, not_found, render
from outputs.records import AuditEntry, Correction, User
from outputs.schema import Document

area = Area()


@area.get("/qa/figures", roles=("qa",))
def qa_figures(request: Request, weeks: int = 12) -> Response:
    weeks = max(1, min(weeks, 104))
    with db(request) as session:
        figs = figures.compute(session, ctx(request).now().date(), weeks)
        recent = list(session.execute(select(Correction, Document.filename)
                                      .join(Document, Document.id == Correction.document_id)
                                      .order_by(Correction.id.desc()).limit(50)).all())
    chart = figures.bar_chart(figs.weeks, f"Extraction corrections per week, last {weeks} weeks")
    return render(request, "figures.html", figs=figs, chart=chart, recent=recent, weeks=weeks)


@area.get("/audit", roles=("admin", "qa"))
def audit_log(request: Request, action: str = "") -> Response:
    with db(request) as session:
        query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(300)
        if action:
            query = query.where(AuditEntry.action.startswith(action))
        entries = list(session.scalars(query))
        problems = adapter.verify(session)
    return render(request, "audit.html", entries=entries, problems=problems, action=action)


@area.get("/users", roles=("admin",))
def users(request: Request) -> Response:
    with db(request) as session:
        rows = list(session.scalars(select(User).order_by(User.username)))
    return render(request, "users.html", users=rows, now=ctx(request).now())


@area.post("/users/{user_id}/unlock", roles=("admin",))
def unlock(request: Request, user_id: int) -> Response:
    with db(request) as session:
        user = session.get(User, user_id)
        if user is None:
            raise not_found("user")
        user.failed_logins, user.locked_until = 0, None
        audit(session, request, "user.unlock", f"user:{user.username}")
        session.commit()
    return RedirectResponse("/users", status_code=303)
