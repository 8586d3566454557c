"""Approved premises recognizer (JUSTICE_PLACE)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("will reside at Elm House Approved Premises", "Elm House Approved Premises"),
    ("Fleming House AP. He moves next week", "Fleming House AP"),
    ("Brigstocke Road AP", "Brigstocke Road AP"),
    ("Ty Newydd Approved Premises", "Ty Newydd Approved Premises"),
    ("a bed at approved premises", "approved premises"),
    ("Kelley House Bail Hostel", "Kelley House Bail Hostel"),
])
def test_approved_premises(text, value):
    assert value in found("APPROVED_PREMISES", text)


@pytest.mark.parametrize("text", [
    "Gruffydd ap Rhys attended",  # Welsh patronymic particle, not an AP
    "The premises were approved by the landlord",
    "as soon as possible (ASAP)",
])
def test_near_misses(text):
    assert found("APPROVED_PREMISES", text) == []
