"""Shared builders for the redaction tests: hand-made documents and facts, and a recognizer probe."""

from __future__ import annotations

from datetime import date

from extract.facts import Action, Child, DocType, Facts, Found, Person, Subject
from extract.model import BlockKind, TextBuilder, TextDocument
from redact.recognizers import analyze_text


def entities(text: str) -> list[tuple[str, str]]:
    """(presidio entity, matched text) for every recognizer result on ``text``."""
    _, results = analyze_text(text)
    return [(r.entity_type, text[r.start : r.end]) for r in results]


def found(entity: str, text: str) -> list[str]:
    return [t for e, t in entities(text) if e == entity]


def minutes(sections: list[tuple[str, list[str]]], preamble: list[str] | None = None) -> TextDocument:
    """Minutes as a reader would hand them over: headings and paragraphs with exact offsets."""
    b = TextBuilder()
    b.add(BlockKind.HEADING, "MAPPA Level 2 Meeting - Minutes")
    for p in preamble or []:
        b.add(BlockKind.PARAGRAPH, p)
    for heading, paras in sections:
        b.add(BlockKind.HEADING, heading)
        for p in paras:
            b.add(BlockKind.PARAGRAPH, p)
    return b.build("txt")


def facts(
    subject: str = "John SMITH",
    children: tuple[tuple[str, str], ...] = (("Lily Smith", "daughter"),),
    level: int | None = 2,
    dob: date | None = date(1980, 5, 2),
    meeting: date | None = date(2025, 3, 4),
    review: date | None = date(2025, 6, 24),
    others: tuple[tuple[str, str], ...] = (),
    forbidden: tuple[tuple[str, str], ...] = (),
    actions: tuple[tuple[str, date | None], ...] = (),
    attendees: tuple[str, ...] = ("Samina Akhtar",),
    **extra: object,
) -> Facts:
    return Facts(
        doc_type=Found(DocType.MINUTES),
        subjects=(Subject(name=Found(subject), dob=Found(dob) if dob else None,
                          mappa_level=Found(level) if level else None, mappa_category=Found(1)),),
        meeting_date=Found(meeting) if meeting else None,
        next_review_date=Found(review) if review else None,
        children=tuple(Child(name=Found(n), relationship=Found(r)) for n, r in children),
        cs_attendees=tuple(Found(a) for a in attendees),
        actions=tuple(Action(Found(t), "Children's Services", Found(d) if d else None, True) for t, d in actions),
        other_people=tuple(Person(Found(n), role) for n, role in others),
        forbidden=forbidden,
        **extra,  # type: ignore[arg-type]
    )
