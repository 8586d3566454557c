"""presidio's own UK recognizers, switched on (NHS, NI, postcode, passport, driving licence,
vehicle registration) and the phone/e-mail ones; no US recognizer is loaded."""

import pytest

from redact.recognizers import analyzer
from tests.redact.helpers import found


def test_no_us_recognizers():
    names = {r.name for r in analyzer().engine.registry.recognizers}
    assert not any(n.startswith("Us") for n in names)
    ents = set(analyzer().engine.get_supported_entities())
    assert {"UK_NHS", "UK_NINO", "UK_POSTCODE", "UK_PASSPORT", "UK_DRIVING_LICENCE", "UK_VEHICLE_REGISTRATION"} <= ents
    assert "US_SSN" not in ents


@pytest.mark.parametrize("entity,text,value", [
    ("UK_NHS", "NHS number 943 476 5919", "943 476 5919"),
    ("UK_NINO", "NI number AB 12 34 56 C", "AB 12 34 56 C"),
    ("UK_POSTCODE", "address LS1 4AB", "LS1 4AB"),
    ("UK_PASSPORT", "passport number AB1234567", "AB1234567"),
    ("UK_DRIVING_LICENCE", "driving licence MORGA657054SM9IJ", "MORGA657054SM9IJ"),
    ("UK_VEHICLE_REGISTRATION", "drives a car AB51 ABC", "AB51 ABC"),
    ("UK_PHONE", "mobile 07700 900123", "07700 900123"),
    ("EMAIL_ADDRESS", "e-mail j.smith12@example.net", "j.smith12@example.net"),
])
def test_matches(entity, text, value):
    assert value in found(entity, text)


@pytest.mark.parametrize("entity,text", [
    ("UK_NHS", "NHS number 943 476 5918"),  # wrong check digit
    ("UK_NINO", "reference QQ 12 34 56 E"),  # no such suffix
    ("UK_VEHICLE_REGISTRATION", "for 12 a child"),  # lower case words are not plates
    ("UK_VEHICLE_REGISTRATION", "AB00 ABC"),  # age identifier 00 does not exist
    ("UK_PASSPORT", "ab1234567"),
    ("UK_PHONE", "call 12345"),
])
def test_near_misses(entity, text):
    assert found(entity, text) == []
