"""Street address recognizer (IDENTIFIER)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("He lives at 12 Crown Court Road, Leeds", "12 Crown Court Road"),
    ("moved to 145 Queen's Crescent", "145 Queen's Crescent"),
    ("Flat 3, 22 Malden Road", "22 Malden Road"),
    ("seen on Stapleton Road", "Stapleton Road"),
    ("at 7 Stryd Fawr, Caernarfon", "7 Stryd Fawr"),
])
def test_addresses(text, value):
    assert any(value in h for h in found("ADDRESS", text))


@pytest.mark.parametrize("text", ["on the road to recovery", "in 2 weeks", "Level 2 meeting", "a clear way forward"])
def test_near_misses(text):
    assert found("ADDRESS", text) == []
