"""What a document is and who it is about: the one entry point of field extraction.

The driver reads the file, parses the text once with spaCy (``extract.nlp.parse``) and calls
``understand`` with both. Everything here is pure: no files, no database (known records are
passed in as data), and no exception escapes: a document that cannot be understood comes back
as Facts whose ``reasons`` say why, which sends it to review.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from spacy.tokens import Doc

from extract.doctype import classify
from extract.facts import Child, DocType, Facts, Found, Person, Subject
from extract.fields import actions as actions_mod
from extract.fields import agenda, children, forbidden, meeting, people, prison
from extract.fields.layout import Layout
from extract.fields.names import same_person
from extract.fields.subject import single_subject
from extract.matching import KnownRecords, Match, match_person
from extract.model import TextDocument
from extract.nlp import text_of

log = logging.getLogger(__name__)

NOT_MAPPA_RX = re.compile(
    r"\b(?:(?:does|did) not (?:meet|reach) the (?:threshold|criteria) for MAPPA|not (?:to be )?(?:made )?subject to MAPPA|"
    r"not (?:be )?managed (?:under|through|by) MAPPA|no longer (?:requires|meets) MAPPA|not a MAPPA (?:case|nominal)|"
    r"discussed but not (?:adopted|managed|made subject|accepted)|MAPPA (?:referral )?(?:was )?not accepted|"
    r"(?:will|should) not be managed at (?:MAPPA )?level (?:2|3|two|three) or above|"
    r"not (?:be )?(?:adopted|accepted) (?:as|for|under) (?:a )?MAPPA|does not (?:qualify|fall) (?:for|under|within) MAPPA)\b",
    re.I,
)


NO_RECORDS = KnownRecords()


def understand(doc: TextDocument, nlp_doc: Doc | None, hint: str = "", known: KnownRecords = NO_RECORDS,
               today: date | None = None) -> Facts:
    """Type and fields of ``doc``; never raises."""
    today = today or date.today()
    try:
        return _understand(doc, nlp_doc, hint, known, today)
    except Exception as exc:  # noqa: BLE001 - a stage returns errors as values
        log.exception("understand failed")
        return Facts(doc_type=Found(DocType.OTHER, None, 0.0),
                     reasons=(f"extraction failed: {type(exc).__name__}: {exc}",))


def _understand(doc: TextDocument, nlp_doc: Doc | None, hint: str, known: KnownRecords, today: date) -> Facts:
    reasons: list[str] = []
    if nlp_doc is not None and text_of(nlp_doc) != doc.text:
        reasons.append("spaCy document does not match the text; names from spaCy were not used")
        nlp_doc = None
    typ = classify(doc, hint)
    doc_type = Found(typ.doc_type, None, typ.confidence)
    unsure = typ.unsure_reason()
    if unsure:
        reasons.append(unsure)
    if typ.doc_type == DocType.UNREADABLE:
        return Facts(doc_type=doc_type, type_evidence=typ.evidence, reasons=(*reasons, "no readable text"),
                     type_scores=tuple((t.value, p) for t, p in typ.scores))
    lay = Layout.of(doc)

    professionals, cs_attendees = people.attendees(lay)
    professionals += people.signatories(lay)
    pro_names = [p.name.value for p in professionals]

    mdate = meeting.meeting_date(lay, typ.doc_type, today)
    mtime = meeting.meeting_time(lay, mdate.span if mdate else None)
    mplace = meeting.meeting_place(lay)
    anchor = mdate.value if mdate else None

    subjects: tuple[Subject, ...]
    if typ.doc_type == DocType.AGENDA:
        subjects = agenda.agenda_subjects(lay, today, pro_names)
        if not subjects:
            reasons.append("no listed people found on the agenda")
    else:
        subject, why = single_subject(lay, nlp_doc, known, today, set(pro_names))
        reasons.extend(why)
        subjects = (subject,) if subject else ()

    level = subjects[0].mappa_level.value if subjects and subjects[0].mappa_level else None
    nrd = None
    if typ.doc_type in (DocType.MINUTES, DocType.OTHER, DocType.INVITATION, DocType.REFERRAL):
        nrd = meeting.next_review_date(lay, anchor, today, level)
    subject_names = [s.name.value for s in subjects] + [a.value for s in subjects for a in s.aliases]

    kids: tuple[Child, ...] = ()
    if typ.doc_type != DocType.AGENDA:
        kids = children.linked_children(lay, nlp_doc, anchor, today, subject_names + pro_names)
    child_names = [c.name.value for c in kids]

    acts = actions_mod.actions(lay, anchor, nrd.value if nrd else None, today) if typ.doc_type in (
        DocType.MINUTES, DocType.OTHER, DocType.REFERRAL) else ()

    rel_date = rel_addr = est = contact = None
    est = prison.establishment(lay)
    if typ.doc_type in (DocType.PRISON_NOTIFICATION, DocType.MINUTES, DocType.REFERRAL, DocType.OTHER, DocType.INVITATION):
        rel_date = prison.release_date(lay, today)
        rel_addr = prison.release_address(lay)
    if typ.doc_type == DocType.PRISON_NOTIFICATION:
        contact = prison.prison_contact(lay)

    others = people.third_parties(lay, nlp_doc, subject_names + child_names + pro_names)
    all_people: list[Person] = []
    for p in professionals + others:
        if not any(same_person(p.name.value, q.name.value) for q in all_people):
            all_people.append(p)
    third = [p.name.value for p in all_people if not p.professional]
    extra: list[tuple[str, str]] = []
    for s in subjects:
        if s.address:
            extra.append(("IDENTIFIER", s.address.value))
        for f in (s.pnc, s.cro, s.prison_number, s.crn, s.visor):
            if f:
                extra.append(("IDENTIFIER", f.value))
        if s.dob:
            extra.append(("IDENTIFIER", doc.text[s.dob.span.start:s.dob.span.end] if s.dob.span else s.dob.value.isoformat()))
    if rel_addr:
        extra.append(("RELEASE_PLAN", rel_addr.value))
    if rel_date and rel_date.span:
        extra.append(("RELEASE_PLAN", doc.text[rel_date.span.start:rel_date.span.end]))
    if est:
        extra.append(("JUSTICE_PLACE", est.value))
    forb = forbidden.forbidden_facts(doc.text, third, extra)

    s_matches: list[Match] = []
    for s in subjects:
        m = match_person(s.name.value, known, dob=s.dob.value if s.dob else None,
                         pnc=s.pnc.value if s.pnc else None,
                         prison_number=s.prison_number.value if s.prison_number else None, kind="subject")
        if m.status == "new" and s.aliases:
            for a in s.aliases:
                alt = match_person(a.value, known, dob=s.dob.value if s.dob else None, kind="subject")
                if alt.status != "new":
                    m = alt
                    break
        s_matches.append(m)
        if m.status == "ambiguous":
            reasons.append(f"subject {s.name.value!r} matches more than one record: {list(m.candidates)}")
    c_matches: list[Match] = []
    for c in kids:
        m = match_person(c.name.value, known, dob=c.dob.value if c.dob else None, kind="child")
        c_matches.append(m)
        if m.status == "ambiguous":
            reasons.append(f"child {c.name.value!r} matches more than one record: {list(m.candidates)}")

    if typ.doc_type == DocType.MINUTES and mdate is None:
        reasons.append("meeting date not found")
    if typ.doc_type in (DocType.MINUTES, DocType.INVITATION, DocType.PRISON_NOTIFICATION, DocType.REFERRAL) and not subjects:
        reasons.append("MAPPA subject not found")
    if len(doc.text.strip()) < 200:
        reasons.append("very little text: is this the whole document?")

    return Facts(
        doc_type=doc_type,
        type_evidence=typ.evidence,
        subjects=subjects,
        meeting_date=mdate,
        meeting_time=mtime,
        meeting_place=mplace,
        next_review_date=nrd,
        release_date=rel_date,
        release_address=rel_addr,
        establishment=est,
        prison_contact=contact,
        children=kids,
        cs_attendees=tuple(cs_attendees),
        actions=acts,
        other_people=tuple(all_people),
        forbidden=forb,
        discussed_not_mappa=bool(NOT_MAPPA_RX.search(doc.text)),
        reasons=tuple(reasons),
        subject_matches=tuple(s_matches),
        child_matches=tuple(c_matches),
        type_scores=tuple((t.value, p) for t, p in typ.scores),
    )
