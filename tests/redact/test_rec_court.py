"""Court recognizer (JUSTICE_PLACE)."""

import pytest

from tests.redact.helpers import entities, found


@pytest.mark.parametrize("text,value", [
    ("convicted at Snaresbrook Crown Court in 2019", "Snaresbrook Crown Court"),
    ("sentenced at Kingston Crown Court", "Kingston Crown Court"),
    ("Highbury Corner Magistrates' Court", "Highbury Corner Magistrates' Court"),
    ("Bedford Magistrates Court imposed", "Bedford Magistrates Court"),
    ("the Central Criminal Court", "Central Criminal Court"),
    ("convicted at the Youth Court", "Youth Court"),
    ("at the Crown Court at Maidstone", "Crown Court at Maidstone"),
    ("dismissed by the Court of Appeal", "Court of Appeal"),
    ("appeared at crown court last year", "crown court"),
])
def test_courts(text, value):
    assert value in found("COURT", text)


def test_court_inside_a_named_court_is_the_named_court():
    # "Crown Court" inside "Kingston Crown Court": one court, reported whole
    assert found("COURT", "He appeared at Kingston Crown Court.") == ["Kingston Crown Court"]


@pytest.mark.parametrize("text", [
    "He lives at 12 Crown Court Road.",
    "Flat 2, Magistrates Court Street",
    "The court of public opinion",
    "a courtyard garden",
])
def test_street_named_after_a_court_is_not_a_court(text):
    assert found("COURT", text) == []


def test_but_that_street_address_is_still_an_identifier():
    assert any(e == "ADDRESS" for e, _ in entities("He lives at 12 Crown Court Road."))
