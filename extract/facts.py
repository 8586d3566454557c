"""What the service understood a document to say: its type and its fields.

Every value carries where it came from (a ``Span`` into the text) and how sure the service
is, because the QA manager must be able to see the source of each field and correct it, and
because low confidence is what sends a document to review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from extract.matching import Match
from extract.model import Span

T = TypeVar("T")


class DocType(StrEnum):
    MINUTES = "minutes"
    AGENDA = "agenda"
    INVITATION = "invitation"
    PRISON_NOTIFICATION = "prison_notification"
    REFERRAL = "referral"
    OTHER = "other"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value read from the document, with its source span and a confidence in [0, 1]."""

    value: T
    span: Span | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Subject:
    """The MAPPA subject (the adult, or occasionally a young person, being managed)."""

    name: Found[str]
    aliases: tuple[Found[str], ...] = ()
    dob: Found[date] | None = None
    pnc: Found[str] | None = None
    cro: Found[str] | None = None
    prison_number: Found[str] | None = None
    crn: Found[str] | None = None
    visor: Found[str] | None = None
    address: Found[str] | None = None
    mappa_level: Found[int] | None = None
    mappa_category: Found[int] | None = None
    new_case: bool | None = None  # agendas: new referral vs review


@dataclass(frozen=True)
class Child:
    name: Found[str]
    dob: Found[date] | None = None
    age: Found[int] | None = None
    relationship: Found[str] | None = None
    local_authority: Found[str] | None = None


@dataclass(frozen=True)
class Action:
    text: Found[str]
    owner: str = ""  # agency, e.g. "Children's Services", "Police", "Probation"
    due: Found[date] | None = None
    for_childrens_services: bool = False


@dataclass(frozen=True)
class Person:
    """Anyone else named in the document: victims, relatives, professionals.

    Redaction treats every non-professional here as a third party.
    """

    name: Found[str]
    role: str = ""  # "victim", "professional", "partner", "other"
    professional: bool = False


@dataclass(frozen=True)
class Facts:
    """Everything extracted from one document. Frozen: later stages never edit it."""

    doc_type: Found[DocType]
    type_evidence: tuple[str, ...] = ()
    subjects: tuple[Subject, ...] = ()
    meeting_date: Found[date] | None = None
    meeting_time: Found[str] | None = None
    meeting_place: Found[str] | None = None
    next_review_date: Found[date] | None = None
    release_date: Found[date] | None = None
    release_address: Found[str] | None = None
    establishment: Found[str] | None = None
    prison_contact: Found[str] | None = None
    children: tuple[Child, ...] = ()
    cs_attendees: tuple[Found[str], ...] = ()
    actions: tuple[Action, ...] = ()
    other_people: tuple[Person, ...] = ()
    # Forbidden facts found in the document (offences, courts, sentences, addresses...):
    # redaction scrubs them and the leak check looks for them again in the final text.
    forbidden: tuple[tuple[str, str], ...] = ()  # (reason code, exact text)
    discussed_not_mappa: bool = False
    reasons: tuple[str, ...] = field(default_factory=tuple)  # why the service is unsure
    # Aligned with ``subjects`` / ``children``: who each is in the records store.
    subject_matches: tuple[Match, ...] = ()
    child_matches: tuple[Match, ...] = ()
    type_scores: tuple[tuple[str, float], ...] = ()  # every document type's probability, best first
