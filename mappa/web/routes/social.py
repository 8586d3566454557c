"""The social worker's pages: the delivered summaries of the children allocated to them, nothing else."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from mappa.web import adapter
from mappa.web.auth import Area
from mappa.web.common import audit, ctx, db, not_found, render, user_of
from outputs.docs import safe_part
from outputs.records import Child, Summary

area = Area()
SW = ("social_worker",)
VISIBLE = ("delivered",)  # released, matched and sent: the only summaries that reach a child's file


def _own_child(session: Session, request: Request, child_id: int) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise not_found("child")
    if child.social_worker != user_of(request).username:
        request.state.denied = True
        raise HTTPException(403, "This child is not allocated to you.")
    return child


def _own_summary(session: Session, request: Request, summary_id: int) -> tuple[Summary, Child]:
    row = session.get(Summary, summary_id)
    if row is None or row.child_id is None:
        raise not_found("summary")
    child = _own_child(session, request, row.child_id)
    if row.status not in VISIBLE or not row.released:
        raise not_found("summary")
    return row, child


def _summaries(session: Session, child_id: int) -> list[Summary]:
    return list(session.scalars(select(Summary).where(Summary.child_id == child_id, Summary.status.in_(VISIBLE),
                                                      Summary.released.is_(True)).order_by(Summary.id.desc())))


@area.get("/my", roles=SW)
def my_children(request: Request) -> Response:
    with db(request) as session:
        kids = list(session.scalars(select(Child).where(Child.social_worker == user_of(request).username)
                                    .order_by(Child.name)))
        rows = [(c, _summaries(session, c.id)) for c in kids]
    return render(request, "my.html", rows=rows)


@area.get("/my/children/{child_id}", roles=SW)
def my_child(request: Request, child_id: int) -> Response:
    with db(request) as session:
        child = _own_child(session, request, child_id)
        rows = _summaries(session, child_id)
        audit(session, request, "child.view", f"child:{child_id}")
        session.commit()
    return render(request, "my_child.html", child=child, summaries=rows)


@area.get("/my/summaries/{summary_id}", roles=SW)
def my_summary(request: Request, summary_id: int) -> Response:
    with db(request) as session:
        row, child = _own_summary(session, request, summary_id)
        audit(session, request, "summary.view", f"summary:{summary_id}")
        session.commit()
    return render(request, "my_summary.html", s=row, child=child)


@area.get("/my/summaries/{summary_id}/docx", roles=SW)
def my_summary_docx(request: Request, summary_id: int) -> Response:
    with db(request) as session:
        row, child = _own_summary(session, request, summary_id)
        data = adapter.summary_docx(ctx(request).runtime.settings, row)
        if data is None:
            raise HTTPException(409, "This summary could not be written safely; the QA manager has been told.")
        audit(session, request, "summary.download", f"summary:{summary_id}")
        session.commit()
    name = f"MAPPA-summary-{safe_part(child.file_ref)}-{summary_id}.docx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
