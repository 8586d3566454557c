"""understand() on layouts other authors use: e-mailed and labelled case lists, split name
columns, one-row form tables, Owner | Action tables read as text, possessive parents, ages only."""

from __future__ import annotations

from datetime import date

import pytest

from extract.facts import DocType, Facts
from extract.model import TextDocument
from extract.nlp import parse
from extract.understand import understand
from tests.understand.fixtures import build

TODAY = date(2025, 12, 1)


def run(doc: TextDocument, nlp) -> Facts:
    return understand(doc, parse(nlp, doc.text), today=TODAY)


def names(f: Facts) -> set[str]:
    return {s.name.value for s in f.subjects}


def test_email_body_case_list(nlp) -> None:
    doc = build([
        ("email_header", "Date: Mon, 03 Mar 2025 16:42:00 +0000"),
        ("paragraph", "Please see below the cases listed for the Level 2/3 MAPPA meeting on Tues 4th Mar 2025 at 10:00."),
        ("paragraph", "1) HARGREAVES Jordan – Mon 9th Oct 1978 – Level 3 – new referral (Police lead)"),
        ("paragraph", "2) RAMSBOTTOM, Carl – 6 May '76 – Level 2 – review (YJS lead)"),
        ("paragraph", "3) Ashley MOORCROFT – 25/03/1991 – Level 3 – urgent review (Police (MOSOVO) lead)"),
        ("paragraph", "Many thanks, Claire Ashdown, MAPPA Administrator"),
    ])
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.AGENDA
    assert names(f) == {"HARGREAVES Jordan", "RAMSBOTTOM, Carl", "Ashley MOORCROFT"}
    assert f.meeting_date is not None and f.meeting_date.value == date(2025, 3, 4)  # not the e-mail's date


def test_labelled_case_blocks(nlp) -> None:
    doc = build([
        ("heading", "Norfolk Constabulary MAPPA Panel – Case List"),
        ("paragraph", "Panel date: 30/01/2025"),
        ("heading", "Case 1"),
        ("paragraph", "Person of interest: Aaron OYELARAN\nD.O.B: 17/11/1988\nMAPPA level: Level 3"),
        ("heading", "Case 2"),
        ("paragraph", "POI Trevor ELLWOOD\nD.O.B 28/10/1989\nMAPPA level Level 1"),
    ])
    f = run(doc, nlp)
    got = {s.name.value: (s.dob.value if s.dob else None, s.mappa_level.value if s.mappa_level else None)
           for s in f.subjects}
    assert got == {"Aaron OYELARAN": (date(1988, 11, 17), 3), "Trevor ELLWOOD": (date(1989, 10, 28), 1)}


def test_surname_and_forename_columns(nlp) -> None:
    doc = build([
        ("heading", "MAPPA Level 2/3 Panel"),
        ("table", None),
        ("row", ["Ref", "Surname", "Forename(s)", "DOB", "Cat", "Level", "Type"]),
        ("row", ["M25-101", "PRYCE", "Gethin", "05/07/1987", "1", "2", "New"]),
        ("row", ["M25-102", "VARGA", "Florin", "21/01/1968", "2", "3", "Review"]),
        ("row", ["M25-103", "BOWEN", "Iestyn", "14/05/1987", "2", "1", "Review"]),
    ])
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.AGENDA
    assert names(f) == {"Gethin PRYCE", "Florin VARGA", "Iestyn BOWEN"}


def test_one_row_form_table_names_the_subject_not_his_child(nlp) -> None:
    doc = build([
        ("heading", "MAPPA F – Minutes of Level 2 MAPPA Meeting"),
        ("table", None),
        ("row", ["Offender name", "Date of birth", "MAPPA category"]),
        ("row", ["YILMAZ, Mustafa", "01/02/1983", "Category 2"]),
        ("paragraph", "Date of meeting: 24/03/2025"),
        ("paragraph", "Children known to be in contact with the offender: Finlay Yilmaz (DOB 16/06/2020, son)."),
    ])
    f = run(doc, nlp)
    assert names(f) == {"YILMAZ, Mustafa"}
    assert [c.name.value for c in f.children] == ["Finlay Yilmaz"]


def test_owner_then_action_table_read_as_text(nlp) -> None:
    doc = build([
        ("heading", "MAPPA Level 2 Minutes"),
        ("paragraph", "Name: Iestyn BOWEN  DOB: 17/08/1974  Date of meeting: 16/04/2025"),
        ("heading", "Multi-agency actions"),
        ("paragraph", "Agency Action required Timescale"),
        ("paragraph", "CSC Notify the DSL at the school of the\nrisk posed"),
        ("paragraph", "07/05/2025"),
        ("paragraph", "Complete a single assessment for\nTeddy by 14/05/2025"),
        ("paragraph", "CSC (Jo Farrant) 14/05/2025"),
        ("paragraph", "Police Complete an unannounced ViSOR\nvisit"),
        ("paragraph", "Monthly"),
    ])
    f = run(doc, nlp)
    cs = {a.text.value for a in f.actions if a.for_childrens_services}
    assert any("Notify the DSL" in t for t in cs) and any("single assessment for Teddy" in t for t in cs)
    assert not any("ViSOR" in t for t in cs)


@pytest.mark.parametrize("text,child", [
    ("The risk is to girls aged between 8 and 12, the age of Chantelle Bray's daughter at the time.", None),
    ("He has contact with Zainab Bray, his stepdaughter, born 17.11.24.", "Zainab Bray"),
    ("Children's Social Care are asked to bring information about Reggie Maddox (12) and Teddy Maddox (0).",
     "Reggie Maddox"),
])
def test_children_in_prose(nlp, text, child) -> None:
    doc = build([("heading", "MAPPA Level 2 Minutes"), ("paragraph", "Name: Graham PICKERING  DOB: 14/08/1970"),
                 ("paragraph", "Date of meeting: 10/04/2025"), ("paragraph", text)])
    kids = [c.name.value for c in run(doc, nlp).children]
    assert (child in kids) if child else not kids
    assert "Chantelle Bray" not in kids


@pytest.mark.parametrize("title", ["Chair's notes", "Youth Justice Service – MAPPA Level 2 Meeting Notes"])
def test_notes_are_minutes(nlp, title) -> None:
    doc = build([("heading", title), ("paragraph", "Nominal: Shane QUIGLEY  DoB: 09/10/1990"),
                 ("heading", "Offending history"), ("paragraph", "Released from HMP Durham last year."),
                 ("heading", "Multi-agency actions"), ("paragraph", "CSC to notify the school.")])
    assert run(doc, nlp).doc_type.value == DocType.MINUTES


def test_invitation_meeting_date_beside_time_and_venue(nlp) -> None:
    doc = build([
        ("paragraph", "Weds 9th Apr 2025"), ("paragraph", "Dear colleague,"),
        ("paragraph", "You are invited to attend a Level 2 MAPPA meeting to discuss:"),
        ("table", None),
        ("row", ["Name", "Niall KAVANAGH"]), ("row", ["Date of birth", "02/02/1978"]),
        ("row", ["Date", "Mon 21st Apr 2025"]), ("row", ["Time", "10:30"]), ("row", ["Venue", "Microsoft Teams"]),
    ])
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.INVITATION
    assert f.meeting_date is not None and f.meeting_date.value == date(2025, 4, 21)


def test_household_list_after_attendance_is_not_attendees(nlp) -> None:
    doc = build([
        ("heading", "MAPPA Level 2 Minutes"), ("paragraph", "Name: Kevin SMITH  DOB: 11/09/1993"),
        ("paragraph", "Date of meeting: 22/01/2025"),
        ("heading", "Present"),
        ("paragraph", "Julie Price | Children's Services | Member"),
        ("paragraph", "He is in a relationship with Gemma Okafor. Children in the household: Mason Okafor (DOB 04/02/2010), "
                      "son; Jack Okafor (DOB 26/01/2021), stepson; Ella Okafor (DOB 08/03/2021), daughter."),
    ])
    f = run(doc, nlp)
    assert {c.name.value for c in f.children} == {"Mason Okafor", "Jack Okafor", "Ella Okafor"}


def test_a_sibling_sharing_the_subjects_surname_is_not_the_subject(nlp) -> None:
    doc = build([
        ("heading", "MAPPA Level 1 Minutes"), ("paragraph", "Name: Dean LEWIS-HARTLEY  DOB: 23/10/2008"),
        ("paragraph", "Date of meeting: 07/04/2025"),
        ("heading", "Children"),
        ("paragraph", "Children in the household: Megan Lewis-Hartley (DOB 02/11/2012), sister."),
    ])
    assert [c.name.value for c in run(doc, nlp).children] == ["Megan Lewis-Hartley"]


def test_form_table_read_as_text(nlp) -> None:
    doc = build([
        ("heading", "MAPPA F – Minutes of Level 1 MAPPA Meeting"),
        ("paragraph", "Offender name Date of birth PNC number MAPPA category Meeting type"),
        ("paragraph", "BRENNAN, Declan 13 April '87 Category 1 Level 1 review"),
        ("paragraph", "Date of meeting 4 November '25"),
        ("paragraph", "Name Agency Role"), ("paragraph", "DS Martin Crowe Police MOSOVO"),
    ])
    assert names(run(doc, nlp)) == {"BRENNAN, Declan"}


def test_household_table_read_as_text(nlp) -> None:
    doc = build([
        ("heading", "Probation Service – MAPPA Meeting Record"), ("paragraph", "POI Carl RAMSBOTTOM"),
        ("paragraph", "Date of meeting 02/06/2025"),
        ("heading", "Household composition"),
        ("paragraph", "Relationship Name Age Address"),
        ("paragraph", "niece Rosie Hopcyn 4 Mother's address"),
        ("paragraph", "Ex-partner Nia Hopcyn 41 Same"),
        ("paragraph", "Macy RAMSBOTTOM 10 daughter Little Acorns Nursery"),
        ("heading", "Information sharing"),
        ("paragraph", "Known: Tilly Dearden (DOB 12/09/2018, granddaughter)."),
    ])
    kids = {c.name.value: c.age.value if c.age else c.dob.value if c.dob else None for c in run(doc, nlp).children}
    assert kids == {"Rosie Hopcyn": 4, "Macy RAMSBOTTOM": 10, "Tilly Dearden": date(2018, 9, 12)}


def test_surname_broken_across_lines_of_a_narrow_column(nlp) -> None:
    doc = build([
        ("heading", "MAPPA Level 2/3 Panel"),
        ("table", None),
        ("row", ["Ref", "Surname", "Forename(s)", "DOB", "Level"]),
        ("row", ["M25-101", "FERREIRA- HART", "Lewis", "18/01/1988", "2"]),
        ("row", ["M25-102", "RAMSBOTT OM", "Carl", "01/07/1999", "2"]),
        ("row", ["M25-103", "BOWEN", "Iestyn", "17/12/1988", "2"]),
    ])
    assert names(run(doc, nlp)) == {"Lewis FERREIRA-HART", "Carl RAMSBOTTOM", "Iestyn BOWEN"}


def test_owner_after_the_action_with_a_hyphenated_date(nlp) -> None:
    doc = build([
        ("heading", "Record of MAPPA Meeting"), ("paragraph", "Subject: Kieran MULLIGAN  DOB: 05/03/1987"),
        ("paragraph", "Date of meeting: 16/07/2025"),
        ("heading", "Actions"),
        ("paragraph", "Complete a single assessment for Finlay by 13-Aug-2025 – Children's Social Care – 13-Aug-2025"),
        ("paragraph", "Complete an unannounced ViSOR visit – Police – Monthly"),
    ])
    acts = {a.text.value.split(" –")[0]: a.for_childrens_services for a in run(doc, nlp).actions}
    assert acts == {"Complete a single assessment for Finlay by 13-Aug-2025": True, "Complete an unannounced ViSOR visit": False}


def test_decisions_listed_in_one_sentence_and_owner_colon_items(nlp) -> None:
    doc = build([
        ("heading", "Minutes of MAPPA Meeting"),
        ("paragraph", "A Level 2 MAPPA meeting was held on 3 November 2025 to discuss Mr Kieran MULLIGAN, born 05/03/1987."),
        ("paragraph", "It was agreed that: CSC will notify the DSL at the school of the risk posed; Police will complete an "
                      "unannounced visit; CSC will share the safety plan with Kacper's mother."),
        ("heading", "Actions"),
        ("paragraph", "• Children's Social Care: Complete a single assessment for Kacper (by 6 November 2025)\n"
                      "• Housing: Source move-on accommodation (by 23 November 2025)"),
    ])
    acts = {a.text.value: a.for_childrens_services for a in run(doc, nlp).actions}
    assert acts["CSC will notify the DSL at the school of the risk posed"] is True
    assert acts["Police will complete an unannounced visit"] is False
    assert any(t.startswith("Children's Social Care: Complete") and cs for t, cs in acts.items())


def test_numbered_case_paragraphs(nlp) -> None:
    doc = build([("heading", "MAPPA Panel Agenda"), ("paragraph", "2025-11-03, 09:30, Conference Room B"),
                 ("paragraph", "1. Welcome and apologies"),
                 ("paragraph", "2. Case: YILMAZ, Mustafa (1973-05-06) L2 – New"),
                 ("paragraph", "3. Case: BOWEN, Iestyn (1968-07-23) L3 – Review"),
                 ("paragraph", "4. AOB")])
    f = run(doc, nlp)
    assert {s.name.value: s.mappa_level.value if s.mappa_level else None for s in f.subjects} == {
        "YILMAZ, Mustafa": 2, "BOWEN, Iestyn": 3}


def test_the_child_named_after_his_son_is_not_the_subject(nlp) -> None:
    doc = build([
        ("paragraph", "Hi,"),
        ("paragraph", "Just to let you know that Mr Niall KAVANAGH (A2504BM, DOB 02/03/1988) is due to be released from "
                      "HMP Swansea on 02/11/2025."),
        ("paragraph", "He has told me he wants contact with his son Yusuf KAVANAGH (DOB 11/02/2015), who lives with "
                      "his mother. Our assessment is that he presents a high risk of serious harm to children."),
        ("paragraph", "Thanks, Neil Cavendish | Prison Offender Manager | OMU"),
    ])
    f = run(doc, nlp)
    assert names(f) == {"Niall KAVANAGH"} and f.subjects[0].dob and f.subjects[0].dob.value == date(1988, 3, 2)
    assert [c.name.value for c in f.children] == ["Yusuf KAVANAGH"]


def test_case_list_table_read_as_text_with_wrapped_surnames(nlp) -> None:
    doc = build([
        ("paragraph", "MAPPA Level 2/3 Panel"),
        ("paragraph", "Meeting date: 12/08/2025 Time: 13:30 Location: Microsoft Teams"),
        ("paragraph", "Ref Surname Forename(s)\nDOB Cat Level Lead Type"),
        ("paragraph", "M25-101 ELLWOOD Trevor 08/07/1981 1 2 Police Review"),
        ("paragraph", "M25-102 FERREIRA\ufffeHART"), ("paragraph", "Lewis 10/06/1994 2 2 Police Review"),
        ("paragraph", "M25-103 ACHEAMPO\nNG"), ("paragraph", "Tyrone 07/05/1993 1 1 NPS Review"),
    ])
    f = run(doc, nlp)
    assert f.doc_type.value == DocType.AGENDA
    assert {s.name.value: s.dob.value if s.dob else None for s in f.subjects} == {
        "ELLWOOD Trevor": date(1981, 7, 8), "FERREIRA-HART Lewis": date(1994, 6, 10), "ACHEAMPONG Tyrone": date(1993, 5, 7)}
    for s in f.subjects:
        assert s.name.span is not None and doc.text[s.name.span.start:s.name.span.end][:4] == s.name.value[:4]


def test_date_of_birth_wrapped_onto_the_next_line(nlp) -> None:
    doc = build([("paragraph", "NOTIFICATION OF RELEASE OF A MAPPA ELIGIBLE OFFENDER"),
                 ("paragraph", "PRISONER: CARTWRIGHT, ANTHONY   NOMS NO: A7637TC   D.O.B: Monday, 2 February\n1970"),
                 ("paragraph", "RELEASE TYPE: CRD   RELEASE DATE: Monday, 22 December 2025")])
    (s,) = run(doc, nlp).subjects
    assert s.dob is not None and s.dob.value == date(1970, 2, 2)
