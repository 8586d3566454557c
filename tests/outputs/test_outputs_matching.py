"""outputs.matching against the seeded records: identifiers in any spelling, ambiguity, names."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract.facts import Child as FChild
from extract.facts import Subject as FSubject
from outputs.matching import match_child, match_subject
from outputs.records import Child, Relationship, Subject
from tests.outputs.outputs_helpers import F, seed


def _id(session: Session, model, ref: str) -> int:
    col = Subject.ref if model is Subject else Child.file_ref
    return session.scalars(select(model.id).where(col == ref)).one()


def test_subject_identifiers_match_in_any_spelling_and_on_any_field(session: Session) -> None:
    seed(session)
    s100 = _id(session, Subject, "S-100")
    m = match_subject(session, FSubject(name=F("Someone Else"), pnc=F("2001 0012345x")), 90)
    assert (m.record_id, m.how, m.uncertain) == (s100, "pnc", "")
    m = match_subject(session, FSubject(name=F("Someone Else"), prison_number=F("a1234bc")), 90)
    assert (m.record_id, m.how) == (s100, "prison_number")
    # the first field (in the rules' order) that matches names the match
    m = match_subject(session, FSubject(name=F("X"), pnc=F("2001/0012345X"), prison_number=F("A1234BC")), 90)
    assert m.how == "pnc"
    # two identifiers naming two records: a person decides
    m = match_subject(session, FSubject(name=F("X"), pnc=F("1999/0054321Y"), prison_number=F("A1234BC")), 90)
    assert m.record_id is None and "more than one record" in m.uncertain
    m = match_subject(session, FSubject(name=F("X"), pnc=F("2001/0012345X"), dob=F(date(1990, 1, 1))), 90)
    assert m.record_id is None and "date of birth differs" in m.uncertain


def test_subject_names_need_a_date_of_birth(session: Session) -> None:
    seed(session)
    s100 = _id(session, Subject, "S-100")
    m = match_subject(session, FSubject(name=F("SMITH, John Edward"), dob=F(date(1980, 4, 1))), 90)
    assert (m.record_id, m.how) == (s100, "name+dob")
    m = match_subject(session, FSubject(name=F("Johnny Smith"), dob=F(date(1980, 4, 1))), 90)  # an alias
    assert (m.record_id, m.how) == (s100, "name+dob")
    m = match_subject(session, FSubject(name=F("John Edward Smith")), 90)
    assert m.record_id is None and "name only" in m.uncertain and "S-100" in m.uncertain
    m = match_subject(session, FSubject(name=F("John Edward Smith"), dob=F(date(1991, 1, 1))), 90)
    assert (m.record_id, m.how, m.uncertain) == (None, "new", "")
    m = match_subject(session, FSubject(name=F("Nobody Known")), 90)
    assert (m.record_id, m.how) == (None, "new")


def test_children_by_name_and_dob_or_by_link(session: Session) -> None:
    seed(session)
    amy = _id(session, Child, "CF-1001")
    m = match_child(session, FChild(F("Amy Brown"), F(date(2015, 3, 2))), None, 90)
    assert (m.record_id, m.how) == (amy, "name+dob")
    m = match_child(session, FChild(F("Amy Brown")), None, 90)
    assert m.record_id is None and "not matched with certainty" in m.uncertain
    s300 = _id(session, Subject, "S-300")
    session.add(Relationship(child_id=amy, subject_id=s300, relationship="niece"))
    session.flush()
    m = match_child(session, FChild(F("Amy Brown")), s300, 90)
    assert (m.record_id, m.how) == (amy, "linked+name")
    m = match_child(session, FChild(F("Zed Unknown")), s300, 90)
    assert m.record_id is None and "not found" in m.uncertain
