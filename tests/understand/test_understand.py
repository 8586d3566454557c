"""understand(): fields with spans from varied layouts, one spaCy pass, never a crash."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import nlp as nlp_mod
from extract.facts import DocType, Facts
from extract.matching import KnownPerson, KnownRecords
from extract.model import TextDocument
from extract.nlp import parse
from extract.understand import understand
from tests.understand.fixtures import PNC, agenda, build, invitation, minutes_kv, minutes_prose, prison_letter

TODAY = date(2025, 12, 1)


def run(doc: TextDocument, nlp, **kw) -> Facts:
    return understand(doc, parse(nlp, doc.text), today=TODAY, **kw)


def spans_point_at_values(doc: TextDocument, facts: Facts) -> None:
    for s in facts.subjects:
        assert s.name.span is not None
        assert doc.text[s.name.span.start:s.name.span.end].replace("\n", " ").startswith(s.name.value.split()[0])
    for c in facts.children:
        assert c.name.span is not None and c.name.value.split()[0] in doc.text[c.name.span.start:c.name.span.end]


def test_minutes_with_tables(nlp) -> None:
    doc = minutes_kv()
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.MINUTES
    (s,) = f.subjects
    assert s.name.value == "John SMITH" and [a.value for a in s.aliases] == ["Jonno"]
    assert s.dob and s.dob.value == date(1980, 5, 7)
    assert s.pnc and s.pnc.value == PNC
    assert s.mappa_category and s.mappa_category.value == 1
    assert s.mappa_level and s.mappa_level.value == 2
    assert s.address and "Elm Road" in s.address.value
    assert f.meeting_date and f.meeting_date.value == date(2025, 5, 7)
    assert f.next_review_date and f.next_review_date.value == date(2025, 8, 27)
    assert {(c.name.value, c.dob.value if c.dob else None, c.relationship.value if c.relationship else None)
            for c in f.children} == {("Ellie SMITH", date(2015, 2, 3), "daughter"), ("Tom SMITH", date(2018, 12, 12), "son")}
    cs_actions = [a for a in f.actions if a.for_childrens_services]
    assert len(cs_actions) == 1 and cs_actions[0].due and cs_actions[0].due.value == date(2025, 6, 4)  # 28 days
    assert [a.value for a in f.cs_attendees] and "Sarah O'Neill" in f.cs_attendees[0].value
    pros = {p.name.value for p in f.other_people if p.professional}
    assert {"Mary Jones", "Sarah O'Neill"} <= pros
    forbidden = dict((text, code) for code, text in f.forbidden)
    assert forbidden.get("Jane DOE") == "THIRD_PARTY"
    assert forbidden.get("Snaresbrook Crown Court") == "JUSTICE_PLACE"
    assert forbidden.get(PNC) == "IDENTIFIER"
    assert any(code == "SENTENCE" and "imprisonment" in t for code, t in f.forbidden)
    assert any(code == "OFFENCE" and "sexual assault" in t for code, t in f.forbidden)
    for code, text in f.forbidden:
        assert text in doc.text, (code, text)
    spans_point_at_values(doc, f)
    assert not f.reasons


def test_minutes_in_prose(nlp) -> None:
    doc = minutes_prose()
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.MINUTES
    (s,) = f.subjects
    assert s.name.value == "Rhys AP GWILYM" and s.dob and s.dob.value == date(1985, 3, 15)
    assert "Smudge" in [a.value for a in s.aliases]
    assert s.mappa_level and s.mappa_level.value == 3
    assert f.meeting_date and f.meeting_date.value == date(2025, 6, 2)
    assert f.meeting_time and f.meeting_time.value == "10:00"
    assert f.next_review_date and f.next_review_date.value == date(2025, 9, 22)  # 16 weeks
    kids = {c.name.value: c for c in f.children}
    assert set(kids) == {"Ellie AP GWILYM", "Tom AP GWILYM"}  # the partner is not a child
    assert kids["Tom AP GWILYM"].age and kids["Tom AP GWILYM"].age.value == 6
    cs = [a for a in f.actions if a.for_childrens_services]
    assert len(cs) == 1 and cs[0].due and cs[0].due.value == date(2025, 6, 16)  # 10 working days
    assert any("Carys Evans" in a.value for a in f.cs_attendees)
    assert any(p.name.value == "Kelly JONES" and not p.professional for p in f.other_people)
    spans_point_at_values(doc, f)


def test_agenda_lists_each_person(nlp) -> None:
    f = run(agenda(), nlp)
    assert f.doc_type.value == DocType.AGENDA
    got = [(s.name.value, s.dob.value if s.dob else None, s.mappa_level.value if s.mappa_level else None, s.new_case)
           for s in f.subjects]
    assert got == [("Darren LEWIS-HARTLEY", date(1966, 9, 12), 3, False), ("Mark WALSH", date(1989, 7, 4), 2, True),
                   ("WILKINSON, Callum", date(1974, 3, 5), 2, False)]
    assert [a.value for a in f.subjects[1].aliases] == ["Marky Walsh"]
    assert f.meeting_date and f.meeting_date.value == date(2025, 9, 10)


def test_prison_letter(nlp) -> None:
    f = run(prison_letter(), nlp)
    assert f.doc_type.value == DocType.PRISON_NOTIFICATION
    (s,) = f.subjects
    assert s.name.value == "Gary TURNER" and s.prison_number and s.prison_number.value == "A1234BC"
    assert f.release_date and f.release_date.value == date(2025, 8, 14)
    assert f.establishment and f.establishment.value == "HMP Pentonville"
    assert f.prison_contact and "Sandra Bell" in f.prison_contact.value
    assert any(code == "JUSTICE_PLACE" and "Approved Premises" in t for code, t in f.forbidden)


def test_invitation_and_matching(nlp) -> None:
    known = KnownRecords((KnownPerson(41, "subject", "Mohammed NOWAK", ("Mo Smith",), date(1965, 7, 3)),
                          KnownPerson(42, "subject", "Mohammed NOWAK", (), date(1990, 1, 1))))
    f = run(invitation(), nlp, known=known)
    assert f.doc_type.value == DocType.INVITATION
    (s,) = f.subjects
    assert s.name.value == "NOWAK, Mohammed" and s.dob and s.dob.value == date(1965, 7, 3)
    assert f.meeting_date and f.meeting_date.value == date(2025, 9, 4)
    assert f.subject_matches[0].status == "matched" and f.subject_matches[0].record_id == 41


def test_ambiguous_match_is_a_reason(nlp) -> None:
    known = KnownRecords((KnownPerson(1, "subject", "John SMITH"), KnownPerson(2, "subject", "John SMITH")))
    f = run(build([("paragraph", "Minutes of the MAPPA meeting"), ("paragraph", "Name: John SMITH"),
                   ("paragraph", "The panel agreed to meet again.")]), nlp, known=known)
    assert f.subject_matches[0].status == "ambiguous"
    assert any("more than one record" in r for r in f.reasons)


def test_discussed_not_mappa(nlp) -> None:
    f = run(build([("paragraph", "Minutes of the MAPPA screening meeting"), ("paragraph", "Name: John SMITH"),
                   ("paragraph", "The panel agreed that he does not meet the criteria for MAPPA management.")]), nlp)
    assert f.discussed_not_mappa
    assert not run(minutes_kv(), nlp).discussed_not_mappa


def test_one_spacy_pass_per_document(nlp) -> None:
    nlp_mod.reset_counters()
    doc = minutes_kv()
    understand(doc, parse(nlp, doc.text), today=TODAY)
    assert nlp_mod.pass_count() == 1


def test_long_text_chunks_keep_offsets_and_entities(nlp) -> None:
    text = " ".join(["and then John Smith of Kent Police met Mary Jones"] * 40)
    whole = nlp(text)
    chunked = parse(nlp, text, chunk_chars=397, overlap=100)
    assert chunked.text == text
    people = {(e.start_char, e.end_char) for e in whole.ents if e.label_ == "PERSON"}
    assert people <= {(e.start_char, e.end_char) for e in chunked.ents if e.label_ == "PERSON"}


def test_two_processes_parse_the_same_pieces_to_the_same_doc(nlp) -> None:
    """Parsing a long text's later pieces in a forked child is only faster, never different."""
    text = "\n\n".join(f"On {d} May John Smith of Kent Police met Mary Jones near Leeds. He left." for d in range(1, 41))
    nlp_mod.reset_counters()
    one = parse(nlp, text, chunk_chars=700, overlap=100)
    two = parse(nlp, text, chunk_chars=700, overlap=100, processes=2)
    assert nlp_mod.pass_count() == 2 and nlp_mod.chunk_count() > 4
    assert two.text == one.text == text
    assert [(t.text, t.lemma_, t.is_sent_start) for t in two] == [(t.text, t.lemma_, t.is_sent_start) for t in one]
    assert [(e.start_char, e.end_char, e.label_) for e in two.ents] == [(e.start_char, e.end_char, e.label_)
                                                                         for e in one.ents]
    assert any(e.label_ == "PERSON" for e in two.ents)


def test_mismatched_nlp_doc_is_ignored_with_a_reason(nlp) -> None:
    f = understand(minutes_kv(), nlp("something else entirely"), today=TODAY)
    assert f.subjects and any("does not match" in r for r in f.reasons)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=0, max_size=200), min_size=0, max_size=6))
def test_never_crashes(nlp, paragraphs: list[str]) -> None:
    doc = build([("paragraph", p) for p in paragraphs if p.strip("\n").strip()])
    f = understand(doc, None, today=TODAY)
    assert isinstance(f, Facts)
    assert not any(r.startswith("extraction failed") for r in f.reasons)


@pytest.mark.parametrize(("sentence", "dob"), [
    ("Children: Maisie Brown (daughter), date of birth 02/04/2012.", date(2012, 4, 2)),
    ("Children: Maisie Brown (daughter) DOB 02/04/2012.", date(2012, 4, 2)),
    ("Children: Maisie Brown, d.o.b. 2nd April 2012, daughter.", date(2012, 4, 2)),
    ("Children: Maisie Brown (aged 9), daughter.", None),  # an age, not a date of birth
])
def test_child_date_of_birth_after_a_relationship_in_brackets(nlp, sentence: str, dob: date | None) -> None:
    doc = build([("heading", "MAPPA Level 2 meeting minutes"), ("paragraph", "Date of meeting: 14/05/2025"),
                 ("paragraph", "Subject: Padraig BROWN, date of birth 14/05/1983."), ("paragraph", sentence)])
    kids = run(doc, nlp).children
    assert [c.name.value for c in kids] == ["Maisie Brown"]
    assert (kids[0].dob.value if kids[0].dob else None) == dob


@pytest.mark.parametrize(("subject", "child"), [("Lee PRICE-DAVIES", "Leo Price-Davies"), ("Daniel JONES", "Danielle Jones")])
def test_a_child_whose_name_is_close_to_the_subjects_is_still_found(nlp, subject: str, child: str) -> None:
    doc = build([("heading", "MAPPA Level 1 meeting minutes"), ("paragraph", "Date of meeting: 22/05/2025"),
                 ("paragraph", f"Subject: {subject}"), ("paragraph", "Date of birth: 19/04/1982"),
                 ("paragraph", f"Children: {child} (son), date of birth 16/12/2013.")])
    facts = run(doc, nlp)
    assert [s.name.value for s in facts.subjects] == [subject]
    assert [c.name.value for c in facts.children] == [child]


def test_a_person_who_has_children_is_not_a_child(nlp) -> None:
    """The relationship word after a name is that person's relationship only when nothing between
    them says the person is the one who has the children (long minutes are full of such adults)."""
    doc = build([
        ("paragraph", "MAPPA Level 2 meeting minutes. Date of meeting: 03/03/2025."),
        ("paragraph", "Subject: John SMITH, date of birth 01/02/1980."),
        ("heading", "Update from Children's Services"),
        ("paragraph", "Police reported that John was seen near Park Crescent with Claire Brown, who has two young "
                      "children. He was later seen with Donna Kelly's son at the shops."),
        ("paragraph", "His daughter Ellie Smith (daughter, DOB 02/03/2016) lives with her mother."),
    ])
    names = {c.name.value for c in run(doc, nlp).children}
    assert "Ellie Smith" in names
    assert not names & {"Claire Brown", "Donna Kelly"}
