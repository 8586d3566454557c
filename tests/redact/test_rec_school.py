"""Named school recognizer (THIRD_PARTY: schools of others; a child's own school is also kept out)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("attends St Mary's Primary School", "St Mary's Primary School"),
    ("at Brookside Academy", "Brookside Academy"),
    ("Ysgol Gymraeg Treganna", "Ysgol Gymraeg Treganna"),
    ("Parkside Nursery reported", "Parkside Nursery"),
    ("St Joseph's RC Primary", "St Joseph's RC Primary"),
])
def test_schools(text, value):
    assert any(value in h for h in found("SCHOOL", text))


@pytest.mark.parametrize("text", ["the school is aware", "after school", "primary care"])
def test_near_misses(text):
    assert found("SCHOOL", text) == []
