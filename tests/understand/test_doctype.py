"""Document type from weighted cues, across wordings."""

from __future__ import annotations

import pytest

from extract.doctype import classify
from extract.facts import DocType
from tests.understand.fixtures import agenda, build, invitation, minutes_kv, minutes_prose, prison_letter


@pytest.mark.parametrize(("make", "expected"), [
    (minutes_kv, DocType.MINUTES), (minutes_prose, DocType.MINUTES), (agenda, DocType.AGENDA),
    (prison_letter, DocType.PRISON_NOTIFICATION), (invitation, DocType.INVITATION),
])
def test_fixture_types(make, expected) -> None:
    assert classify(make()).doc_type == expected


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Cofnodion Cyfarfod MAPPA", "Yn bresennol: ...", "The panel agreed the actions below."], DocType.MINUTES),
    (["Gwahoddiad i gyfarfod MAPPA", "You are invited to attend the meeting on 4/9/2025."], DocType.INVITATION),
    (["MAPPA A - Referral Form", "Reason for referral: risk to children", "Referring agency: Probation"], DocType.REFERRAL),
    (["Cases for discussion at the MAPPA panel on 3 June 2025", "New referrals", "Review cases"], DocType.AGENDA),
    (["HM Prison Wandsworth", "Release notification", "The prisoner is due for release on 1/8/2025."],
     DocType.PRISON_NOTIFICATION),
    (["Summary of the MAPPA meeting", "Those present: ...", "Actions agreed: Police to visit."], DocType.MINUTES),
])
def test_varied_wording(paragraphs: list[str], expected: DocType) -> None:
    doc = build([("paragraph", p) for p in paragraphs])
    assert classify(doc).doc_type == expected


def test_hint_helps_weak_but_not_strong_evidence() -> None:
    weak = build([("paragraph", "MAPPA meeting regarding John SMITH, please see below for information.")])
    assert classify(weak, hint="agenda").doc_type == DocType.AGENDA
    assert classify(minutes_kv(), hint="agenda").doc_type == DocType.MINUTES


def test_unsure_and_unreadable() -> None:
    vague = build([("paragraph", "Please find attached the documents we discussed on the telephone yesterday.")])
    result = classify(vague)
    assert result.doc_type == DocType.OTHER
    empty = build([("paragraph", "~~ 12 ~~")])
    assert classify(empty).doc_type == DocType.UNREADABLE
    mixed = build([("paragraph", "Minutes and agenda"), ("paragraph", "Papers for the partnership board, various items.")])
    r = classify(mixed)
    assert r.confidence < 0.6 and r.unsure_reason() is not None and "vs" in r.unsure_reason()


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Dear colleague,", "You are invited to attend a half-day MAPPA awareness training session on 4 June 2025.",
      "Please book through the Learning Hub."], DocType.OTHER),
    (["MAPPA Strategic Management Board - newsletter", "This quarter the Board reviewed attendance at MAPPA meetings.",
      "MAPPA minutes must not be placed on a child's file."], DocType.OTHER),
    (["MARAC - agenda and referral deadline", "The next MARAC will be held on 4 June 2025.",
      "This is not a MAPPA meeting."], DocType.OTHER),
    # near misses: MAPPA casework that mentions training or a board
    (["Dear colleague,", "You are invited to attend a Level 2 MAPPA meeting to discuss John SMITH (DOB 03/04/1980).",
      "Venue: Training Room 3, Police HQ"], DocType.INVITATION),
    (["MAPPA Level 2 Meeting - Minutes", "Present: DS Jones (Police), J Price (CSC)",
      "He is attending a training course at college. The panel agreed the actions below."], DocType.MINUTES),
])
def test_post_that_is_not_casework(paragraphs: list[str], expected: DocType) -> None:
    assert classify(build([("paragraph", p) for p in paragraphs])).doc_type == expected


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (["Dear all,", "Please see below the cases listed for the Level 2/3 MAPPA meeting on Tues 4th Mar 2025.",
      "1) HARGREAVES Jordan – 14 October '84 – Level 2 – review", "2) PRYCE Gethin – 12 December '85 – Level 2 – review",
      "3) QUIGLEY Shane – 23 February '66 – Level 3 – new referral"], DocType.AGENDA),
    (["West Yorkshire Police - MAPPA Level 2 Meeting", "Chair's notes", "Nominal: ELLWOOD, Trevor",
      "Offending history", "Released from HMP Durham in 2024."], DocType.MINUTES),
    (["MAPPA Level 2 Meeting - Minutes", "Multi-agency actions", "CSC to notify the DSL at the school."],
     DocType.MINUTES),  # "notify" as an action verb is no prison notification
])
def test_other_authors_wording(paragraphs: list[str], expected: DocType) -> None:
    assert classify(build([("paragraph", p) for p in paragraphs])).doc_type == expected
