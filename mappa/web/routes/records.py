"""Subject records (restricted), children and their links, the diary, and letters to send."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from mappa.web.auth import Area
from mappa.web.common import audit, ctx, db, not_found, render, user_of
from outputs.records import (
    Child,
    DiaryEntry,
    Letter,
    PanelMeeting,
    RedactionLog,
    Relationship,
    Subject,
    SubjectFlag,
    Summary,
)
from outputs.schema import Document

area = Area()
RESTRICTED = ("qa", "representative")
OFFICE = ("admin", "qa", "representative")
# Panel packs and pre-meeting summaries carry case notes: only for the representative and QA.
RESTRICTED_LETTERS = ("panel_pack", "pre_meeting_summary")


@area.get("/subjects", roles=RESTRICTED)
def subjects(request: Request, q: str = "") -> Response:
    with db(request) as session:
        query = select(Subject).order_by(Subject.name).limit(500)
        if q.strip():
            query = query.where(Subject.name.ilike(f"%{q.strip()}%") | Subject.ref.ilike(f"%{q.strip()}%"))
        rows = list(session.scalars(query))
    return render(request, "subjects.html", subjects=rows, q=q)


@area.get("/subjects/{subject_id}", roles=RESTRICTED)
def subject(request: Request, subject_id: int) -> Response:
    with db(request) as session:
        s = session.get(Subject, subject_id)
        if s is None:
            raise not_found("subject")
        flags = list(session.scalars(select(SubjectFlag).where(SubjectFlag.subject_id == subject_id)
                                     .order_by(SubjectFlag.id.desc())))
        diary = list(session.scalars(select(DiaryEntry).where(DiaryEntry.subject_id == subject_id)
                                     .order_by(DiaryEntry.due)))
        panels = list(session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == subject_id)
                                      .order_by(PanelMeeting.id.desc())))
        docs = list(session.scalars(select(Document).where(Document.subject_id == subject_id).order_by(Document.id)))
        letters = list(session.scalars(select(Letter).where(Letter.subject_id == subject_id).order_by(Letter.id)))
        links = list(session.execute(select(Relationship, Child).join(Child, Child.id == Relationship.child_id)
                                     .where(Relationship.subject_id == subject_id)).all())
        logs = list(session.scalars(select(RedactionLog).where(RedactionLog.subject_id == subject_id)))
        audit(session, request, "subject.view", f"subject:{subject_id}")
        session.commit()
    return render(request, "subject.html", s=s, flags=flags, diary=diary, panels=panels, docs=docs, letters=letters,
                  links=links, logs=logs)


@area.get("/children", roles=RESTRICTED)
def children(request: Request) -> Response:
    with db(request) as session:
        rows = list(session.scalars(select(Child).order_by(Child.name).limit(1000)))
        counts: dict[int, int] = {}
        for rel in session.scalars(select(Relationship)):
            counts[rel.child_id] = counts.get(rel.child_id, 0) + 1
    return render(request, "children.html", children=rows, counts=counts)


@area.get("/children/{child_id}", roles=RESTRICTED)
def child(request: Request, child_id: int) -> Response:
    with db(request) as session:
        c = session.get(Child, child_id)
        if c is None:
            raise not_found("child")
        links = list(session.execute(select(Relationship, Subject).join(Subject, Subject.id == Relationship.subject_id)
                                     .where(Relationship.child_id == child_id)).all())
        summaries = list(session.scalars(select(Summary).where(Summary.child_id == child_id).order_by(Summary.id)))
        audit(session, request, "child.view", f"child:{child_id}")
        session.commit()
    return render(request, "child.html", c=c, links=links, summaries=summaries)


@area.get("/diary", roles=OFFICE)
def diary(request: Request, show: str = "open") -> Response:
    today = ctx(request).now().date()
    with db(request) as session:
        query = select(DiaryEntry, Subject).join(Subject, Subject.id == DiaryEntry.subject_id).order_by(DiaryEntry.due)
        if show != "all":
            query = query.where(DiaryEntry.done.is_(False))
        rows = list(session.execute(query).all())
    return render(request, "diary.html", rows=rows, today=today, show=show,
                  restricted=user_of(request).role in RESTRICTED)


def _letters_query(role: str):  # type: ignore[no-untyped-def]
    query = select(Letter).order_by(Letter.sent_at.is_not(None), Letter.id.desc()).limit(500)
    if role not in RESTRICTED:
        query = query.where(Letter.kind.not_in(RESTRICTED_LETTERS))
    return query


@area.get("/letters", roles=OFFICE)
def letters(request: Request) -> Response:
    with db(request) as session:
        rows = list(session.scalars(_letters_query(user_of(request).role)))
    return render(request, "letters.html", letters=rows)


def _letter_for(session, request: Request, letter_id: int) -> Letter:  # type: ignore[no-untyped-def]
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise not_found("letter")
    if letter.kind in RESTRICTED_LETTERS and user_of(request).role not in RESTRICTED:
        request.state.denied = True
        raise HTTPException(403, "This letter carries case notes: it is open to the MAPPA representative and QA only.")
    return letter


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@area.get("/letters/{letter_id}/file", roles=OFFICE)
def letter_file(request: Request, letter_id: int) -> Response:
    out_dir = (ctx(request).runtime.settings.data_dir / "outputs").resolve()
    with db(request) as session:
        letter = _letter_for(session, request, letter_id)
        path = Path(letter.path).resolve()
        # The path came from the service, but a file outside its output folder is never served.
        if not path.is_relative_to(out_dir) or not path.is_file():
            raise not_found("letter file")
        data = path.read_bytes()
        audit(session, request, "letter.download", f"letter:{letter_id}", {"kind": letter.kind})
        session.commit()
    name = _UNSAFE.sub("_", path.name)[:120]
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@area.post("/letters/{letter_id}/sent", roles=OFFICE)
def letter_sent(request: Request, letter_id: int) -> Response:
    with db(request) as session:
        letter = _letter_for(session, request, letter_id)
        if letter.sent_at is None:
            letter.sent_at = ctx(request).now()
            audit(session, request, "letter.sent", f"letter:{letter_id}", {"kind": letter.kind})
        session.commit()
    return RedirectResponse("/letters", status_code=303)
