"""What is coming due: bring-forward reviews and children's-services actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from outputs.records import ActionItem, Child, DiaryEntry, Subject


@dataclass(frozen=True)
class DueItem:
    due: date
    kind: str  # "review" / "action"
    subject_ref: str
    subject_name: str
    text: str
    child_ref: str = ""
    overdue: bool = False


def due_items(session: Session, today: date, days: int = 14) -> list[DueItem]:
    """Open diary entries and open actions due on or before ``today + days`` (overdue ones included)."""
    until = today + timedelta(days=days)
    items: list[DueItem] = []
    q = (select(DiaryEntry, Subject).join(Subject, Subject.id == DiaryEntry.subject_id)
         .where(DiaryEntry.done.is_(False), DiaryEntry.due <= until))
    for entry, subject in session.execute(q):
        items.append(DueItem(entry.due, entry.kind, subject.ref, subject.name,
                             f"MAPPA {entry.kind} ({entry.note})" if entry.note else f"MAPPA {entry.kind}",
                             overdue=entry.due < today))
    q2 = (select(ActionItem, Subject, Child).outerjoin(Subject, Subject.id == ActionItem.subject_id)
          .outerjoin(Child, Child.id == ActionItem.child_id)
          .where(ActionItem.status == "open", ActionItem.due.is_not(None), ActionItem.due <= until))
    for action, subject, child in session.execute(q2):
        assert action.due is not None
        items.append(DueItem(action.due, "action", subject.ref if subject else "", subject.name if subject else "",
                             action.text + (f" [{action.owner}]" if action.owner else ""),
                             child.file_ref if child else "", overdue=action.due < today))
    return sorted(items, key=lambda i: (i.due, i.kind, i.subject_ref))


def mark_action_done(session: Session, action_id: int, by: str) -> bool:
    from outputs import audit
    from outputs.schema import utcnow

    action = session.get(ActionItem, action_id)
    if action is None or action.status == "done":
        return False
    action.status, action.done_by, action.done_at = "done", by, utcnow()
    audit.record(session, by, "action.done", f"action:{action_id}")
    return True
