"""Prison recognizer (JUSTICE_PLACE)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("released from HMP Pentonville", "HMP Pentonville"),
    ("held at HMP & YOI Doncaster", "HMP & YOI Doncaster"),
    ("moved to HMYOI Feltham", "HMYOI Feltham"),
    ("at HM Prison Wandsworth", "HM Prison Wandsworth"),
    ("in Wandsworth Prison since May", "Wandsworth Prison"),
    ("at HMP The Mount", "HMP The Mount"),
    ("Oakhill Secure Training Centre", "Oakhill Secure Training Centre"),
])
def test_prisons(text, value):
    assert value in found("PRISON", text)


@pytest.mark.parametrize("text", [
    "A prison officer attended.",
    "The prison offender manager sent apologies.",
    "HM Prison and Probation Service guidance",
    "The Prison Service will write.",
    "He spent time in prison.",  # custody, caught by the sentence lexicon, not a named place
])
def test_near_misses(text):
    assert found("PRISON", text) == []
