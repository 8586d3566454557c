"""Known people and identifiers are found in every shape minutes write them."""

from datetime import date

import pytest

from redact.known import known_people
from tests.redact.helpers import facts


def _found(text, **kw):
    f = facts(others=(("Jane DOE", "partner"),), children=(("Lily Smith", "daughter"), ("Ben Doe", "stepson")), **kw)
    kp = known_people(f, child_index=0, known_identifiers=(("THIRD_PARTY", "Kerry-Ann Whitfield"),
                                                           ("IDENTIFIER", "12 Agar Grove, London NW1 9SR"),
                                                           ("IDENTIFIER", "AB 12 34 56 C"),
                                                           ("IDENTIFIER", "02/05/1980")))
    return [t for _, _, _, _, t in kp.find(text)]


@pytest.mark.parametrize("text,expected", [
    ("Jane Doe attended", "Jane Doe"),
    ("JANE DOE attended", "JANE DOE"),
    ("Doe, Jane attended", "Doe, Jane"),
    ("Jane Doe's daughter", "Jane Doe's"),
    ("J. Doe was present", "J. Doe"),
    ("JD reported", "JD"),
    ("Ms Doe reported", "Doe"),
    ("Jane reported", "Jane"),
    ("Kerry-Ann Whitfeld reported", "Whitfeld"),  # one-letter typo in a long name
    ("Whitfield", "Whitfield"),
    ("Kerry Ann Whitfield", "Kerry Ann Whitfield"),
    ("Ben said", "Ben"),  # the other child
    ("Ben Doe (aged 9)", "Ben Doe"),
    ("lives at 12 Agar Grove", "12 Agar Grove"),
    ("NW1 9SR", "NW1 9SR"),
    ("NI AB123456C", "AB123456C"),
    ("born 2nd May 1980", "2nd May 1980"),
    ("DOB 2/5/80", "2/5/80"),
    ("DOB 1980-05-02", "1980-05-02"),
])
def test_variants_found(text, expected):
    assert any(expected in t or t in expected for t in _found(text)), _found(text)


@pytest.mark.parametrize("text", [
    "John SMITH poses a risk",  # the subject may be named
    "Mr Smith has no contact with Lily",  # the subject and this child
    "Lily Smith is doing well",
    "Samina Akhtar attended for children's services",
    "Meeting held on 4 March 2025",
    "She did well in May",  # not a name here
    "the door was open",  # 'doe' is not 'door'
])
def test_allowed_or_harmless(text):
    assert _found(text) == []


def test_shared_surname_is_not_looked_for_alone():
    # the subject is John SMITH; his ex-partner Jane Smith: "Smith" alone means him
    f = facts(others=(("Jane Smith", "partner"),))
    kp = known_people(f, child_index=0)
    assert [t for *_, t in kp.find("Mr Smith poses a risk")] == []
    hits = {t for *_, t in kp.find("Jane Smith called")}
    assert "Jane Smith" in hits and "Smith" not in hits


def test_each_child_is_a_third_party_in_the_other_childs_summary():
    f = facts(children=(("Lily Smith", "daughter"), ("Ben Doe", "son")))
    for_ben = {t for *_, t in known_people(f, child_index=1).find("Lily Smith and Ben Doe")}
    for_lily = {t for *_, t in known_people(f, child_index=0).find("Lily Smith and Ben Doe")}
    assert "Lily Smith" in for_ben and not any("Ben" in t for t in for_ben)
    assert "Ben Doe" in for_lily and not any("Lily" in t for t in for_lily)


def test_release_date_and_subject_dob_are_found_in_any_format():
    f = facts(dob=date(1980, 5, 2), release_date=__import__("extract.facts").facts.Found(date(2025, 7, 14)))
    kp = known_people(f, child_index=0)
    for t in ("14/07/2025", "14th July 2025", "Mon 14th July 2025", "14 Jul 25", "14.07.25", "02/05/1980"):
        assert kp.find(f"on {t} he"), t


def test_a_name_read_with_punctuation_is_looked_for_without_breaking_the_patterns():
    """OCR may hand a third party's name with a bracket in it; its needles must still compile."""
    f = facts(others=(("LEE MCDONAGH (A7035FA", "other"),))
    kp = known_people(f, child_index=0)
    found = [t for _, _, _, _, t in kp.find("Seen with Lee McDonagh (A7035FA) at the shops.")]
    assert "Lee McDonagh" in " ".join(found) or "McDonagh" in found
