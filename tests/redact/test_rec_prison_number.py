"""Prison (NOMIS) number recognizer: one letter, four digits, two letters."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("Prison number A1234BC.", "A1234BC"),
    ("NOMIS G5678XY, released", "G5678XY"),
    ("prisoner no. A0001AA", "A0001AA"),
])
def test_prison_numbers(text, value):
    assert found("PRISON_NUMBER", text) == [value]


@pytest.mark.parametrize("text", [
    "A1234 BC",  # split
    "a1234bc",  # lower case: not how NOMIS numbers are written
    "AB1234CD",  # two leading letters
    "A12345BC",  # five digits
    "The prison officer attended.",
])
def test_near_misses(text):
    assert found("PRISON_NUMBER", text) == []
