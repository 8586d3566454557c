"""POLICY.md section 4: what the service does for each kind of document once it is sure of it.

Called only by ``outputs.filing`` after the document has passed the uncertainty gate (or a
person approved it). Every write here is an upsert keyed on the document or the subject,
so running a duty twice leaves the same rows and the same files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract import facts as fx
from ingest.vault import Vault
from outputs import docs
from outputs.config import OutputConfig
from outputs.delivery import Outgoing, deliver
from outputs.matching import Match, names_match
from outputs.records import (
    ActionItem,
    Child,
    DiaryEntry,
    Letter,
    PanelMeeting,
    Relationship,
    Subject,
    SubjectFlag,
)
from outputs.schema import Document

# The nature of the concern, as the summaries (already child-safe) word it.
RISK_PHRASE = re.compile(r"\b(?:poses?|presents?)\s+(?:an?\s+)?[^.;\n]*?\brisk\b[^.;\n]*", re.IGNORECASE)


@dataclass
class Ctx:
    session: Session
    vault: Vault
    document: Document
    facts: fx.Facts
    config: OutputConfig
    now: datetime
    by: str
    summary_texts: tuple[str, ...] = ()
    letters: list[Path] = field(default_factory=list)
    deliveries: int = 0
    notes: list[str] = field(default_factory=list)
    placement: str = "subject_record"
    placement_reason: str = ""


def uk(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "a date to be confirmed"


def document_blob_name(document: Document) -> str:
    """The vault name of the full document: the store path's stem when set, else its hash."""
    if document.store_path.endswith(".enc"):
        return Path(document.store_path).stem
    return document.store_path if document.store_path and "/" not in document.store_path else document.sha256


# --- records -------------------------------------------------------------------------------------

def resolve_subject(ctx: Ctx, s: fx.Subject, match: Match, index: int) -> tuple[Subject, bool]:
    """The matched record (blank identifiers filled from the document), or a new one."""
    session = ctx.session
    rec = session.get(Subject, match.record_id) if match.record_id is not None else None
    created = False
    if rec is None:
        ref = f"MS-{ctx.document.id:05d}-{index + 1}"
        rec = session.scalars(select(Subject).where(Subject.ref == ref)).first()
        if rec is None:
            rec = Subject(ref=ref, name=s.name.value, aliases=[a.value for a in s.aliases],
                          created_from_document_id=ctx.document.id)
            session.add(rec)
        created = True
    if s.dob and rec.dob is None:
        rec.dob = s.dob.value
    for col in ("pnc", "cro", "prison_number", "crn", "visor", "address"):
        found = getattr(s, col)
        if found is not None and not getattr(rec, col):
            setattr(rec, col, str(found.value))
    new_aliases = [a.value for a in s.aliases if a.value not in (rec.aliases or [])]
    if new_aliases:
        rec.aliases = [*(rec.aliases or []), *new_aliases]
    session.flush()
    return rec, created


def set_flag(ctx: Ctx, subject: Subject, kind: str, text: str, ends: tuple[str, ...] = ()) -> SubjectFlag:
    """Add an active flag unless the same one is active; end the active flags of the kinds in ``ends``."""
    active = list(ctx.session.scalars(select(SubjectFlag).where(SubjectFlag.subject_id == subject.id,
                                                                 SubjectFlag.active.is_(True))))
    for flag in active:
        if flag.kind == kind and flag.text == text:
            return flag
    for flag in active:
        if flag.kind in ends:
            flag.active, flag.ended_at = False, ctx.now
    flag = SubjectFlag(subject_id=subject.id, kind=kind, text=text, active=True, document_id=ctx.document.id,
                       created_at=ctx.now)
    ctx.session.add(flag)
    ctx.session.flush()
    return flag


def _newer_minutes(session: Session, subject_id: int, meeting: date | None, document_id: int) -> PanelMeeting | None:
    """A panel for this subject held after ``meeting``, recorded from other minutes."""
    if meeting is None:
        return None
    return session.scalars(select(PanelMeeting).where(
        PanelMeeting.subject_id == subject_id, PanelMeeting.status == "held", PanelMeeting.meeting_date > meeting,
        PanelMeeting.minutes_document_id != document_id)).first()


def linked_children(session: Session, subject_id: int) -> list[Child]:
    """The children with a relationship to the subject, each once, in record order (one query)."""
    linked = select(Relationship.child_id).where(Relationship.subject_id == subject_id)
    return list(session.scalars(select(Child).where(Child.id.in_(linked)).order_by(Child.id)))


def _panel(ctx: Ctx, subject: Subject, when: date | None) -> PanelMeeting:
    """This subject's place on the panel of ``when``: the scheduled one, or the 'next panel' listing."""
    session = ctx.session
    row = session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == subject.id,
                                                     PanelMeeting.meeting_date == when)).first() if when else None
    if row is None:
        row = session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == subject.id,
                                                         PanelMeeting.status == "listed")
                              .order_by(PanelMeeting.id)).first()
    if row is None:
        row = PanelMeeting(subject_id=subject.id, meeting_date=when, status="scheduled",
                           document_id=ctx.document.id, notes="", attendance=[])
        session.add(row)
    row.meeting_date = when
    session.flush()
    return row


def _letter(ctx: Ctx, kind: str, path: Path, data: bytes, recipient: str, subject: Subject | None) -> Letter:
    docs.save(path, data)
    row = ctx.session.scalars(select(Letter).where(Letter.path == str(path))).first()
    if row is None:
        row = Letter(document_id=ctx.document.id, kind=kind, path=str(path), recipient=recipient,
                     subject_id=subject.id if subject else None, created_at=ctx.now)
        ctx.session.add(row)
        ctx.session.flush()
    ctx.letters.append(path)
    return row


def _send(ctx: Ctx, part: str, out: Outgoing) -> None:
    row = deliver(ctx.session, ctx.config, ctx.document.id, ctx.document.sha256, part, out, ctx.now)
    if row.status == "sent":
        ctx.deliveries += 1
    else:
        ctx.notes.append(f"delivery of {out.kind} to {out.target} failed: {row.error}")


# --- minutes -------------------------------------------------------------------------------------

def _nature(texts: tuple[str, ...]) -> str:
    for text in texts:
        m = RISK_PHRASE.search(text)
        if m:
            return m.group(0).strip().rstrip(",")
    return "poses a risk to children (see the MAPPA subject's record)"


def _own_child_record(ctx: Ctx, subject: Subject, meeting: date | None) -> Child | None:
    """POLICY 1's exception: the subject is under 18 on the meeting date and known to children's services."""
    if subject.own_child_id is not None:
        return ctx.session.get(Child, subject.own_child_id)
    if subject.dob is None or meeting is None:
        return None
    age = meeting.year - subject.dob.year - ((meeting.month, meeting.day) < (subject.dob.month, subject.dob.day))
    if age >= 18:
        return None
    hits = [c for c in ctx.session.scalars(select(Child).where(Child.dob == subject.dob))
            if names_match(subject.name, c.name, ctx.config.match_min_score)]
    return hits[0] if len(hits) == 1 else None


def minutes(ctx: Ctx, subject: Subject, child_ids: dict[int, int]) -> None:
    f, session = ctx.facts, ctx.session
    s = f.subjects[0]
    meeting = f.meeting_date.value if f.meeting_date else None
    level = s.mappa_level.value if s.mappa_level else subject.mappa_level
    # Minutes of an older meeting than one already recorded (archived minutes imported after
    # newer ones, in whatever order the files were copied) are history: the panel's notes,
    # links and actions are kept, but they do not replace the newer level, flag or review.
    superseded = _newer_minutes(session, subject.id, meeting, ctx.document.id)
    if s.mappa_level and not superseded:
        subject.mappa_level = s.mappa_level.value
    if s.mappa_category and not superseded:
        subject.mappa_category = s.mappa_category.value
    nature = _nature(ctx.summary_texts)
    if not superseded and f.discussed_not_mappa:
        set_flag(ctx, subject, "hazard", f"Hazard: discussed at MAPPA on {uk(meeting)}, not managed under MAPPA: {nature}",
                 ends=("mappa_warning", "to_be_discussed"))
    elif not superseded:
        label = f"MAPPA Level {level}" if level else "MAPPA (level not recorded)"
        set_flag(ctx, subject, "mappa", f"{label}: {nature}", ends=("mappa", "mappa_warning", "to_be_discussed"))
    for i, child in enumerate(f.children):
        cid = child_ids.get(i)
        if cid is None:
            continue
        link = session.scalars(select(Relationship).where(Relationship.child_id == cid,
                                                          Relationship.subject_id == subject.id)).first()
        if link is None:
            link = Relationship(child_id=cid, subject_id=subject.id, relationship="")
            session.add(link)
        if child.relationship and not link.relationship:
            link.relationship = child.relationship.value
        link.cause_for_concern = True
        link.source_document_id = ctx.document.id
    # The panel's notes for later packs: level, concern, actions, review. Restricted, like the record.
    cs_actions = [a for a in f.actions if a.for_childrens_services]
    review = f.next_review_date.value if f.next_review_date else None
    if review is None and meeting is not None:
        days = ctx.config.review_days.get(level or 0, min(ctx.config.review_days.values()))
        review = meeting + timedelta(days=days)
    panel = _panel(ctx, subject, meeting)
    panel.status, panel.minutes_document_id = "held", ctx.document.id
    panel.attendance = [a.value for a in f.cs_attendees]
    panel.notes = "\n".join([
        f"Panel of {uk(meeting)}: " + (f"MAPPA Level {level}" if level else "level not recorded")
        + (" (discussed, not managed under MAPPA)" if f.discussed_not_mappa else ""),
        f"Concern: {nature}",
        *(f"Action (children's services): {a.text.value}" + (f", due {uk(a.due.value)}" if a.due else "")
          for a in cs_actions),
        f"Next review: {uk(review)}",
    ])
    if review is not None and not superseded:
        for old in session.scalars(select(DiaryEntry).where(DiaryEntry.subject_id == subject.id,
                                                           DiaryEntry.kind == "review", DiaryEntry.done.is_(False),
                                                           DiaryEntry.document_id != ctx.document.id)):
            old.done = True
        entry = session.scalars(select(DiaryEntry).where(DiaryEntry.subject_id == subject.id,
                                                         DiaryEntry.document_id == ctx.document.id,
                                                         DiaryEntry.kind == "review")).first()
        if entry is None:
            entry = DiaryEntry(subject_id=subject.id, document_id=ctx.document.id, kind="review", due=review)
            session.add(entry)
        entry.due = review
        entry.note = "from the minutes" if f.next_review_date else f"default for level {level}"
    names = {cid: session.get(Child, cid) for cid in child_ids.values()}
    for pos, action in enumerate(f.actions):
        if not action.for_childrens_services:
            continue
        row = session.scalars(select(ActionItem).where(ActionItem.document_id == ctx.document.id,
                                                       ActionItem.position == pos)).first()
        if row is None:
            row = ActionItem(document_id=ctx.document.id, position=pos, text=action.text.value, status="open")
            session.add(row)
        row.subject_id, row.text, row.owner = subject.id, action.text.value, action.owner
        row.due = action.due.value if action.due else None
        mentioned = [cid for cid, c in names.items() if c and c.name.split()[0].lower() in action.text.value.lower()]
        row.child_id = mentioned[0] if len(mentioned) == 1 else None
    own = _own_child_record(ctx, subject, meeting)
    if own is not None:
        subject.own_child_id = own.id
        if ctx.config.offender_is_child_minutes == "own_file":
            ctx.placement = "own_file"
            ctx.placement_reason = (f"the subject is a child (under 18 on {uk(meeting)}) known to children's "
                                    f"services: his own minutes go on his own file {own.file_ref}")
            return
    if ctx.config.full_document == "shred":
        ctx.placement = "shred"
        ctx.placement_reason = "council setting full_document = shred: child information taken out, minutes to be shredded"
    else:
        ctx.placement_reason = f"minutes filed against the MAPPA subject's restricted record {subject.ref}"
    session.flush()
