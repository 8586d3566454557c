"""Police station recognizer (JUSTICE_PLACE)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("interviewed at Kentish Town police station", "Kentish Town police station"),
    ("Trinity Road Police Station", "Trinity Road Police Station"),
    ("held in the custody suite overnight", "custody suite"),
])
def test_police_stations(text, value):
    assert value in found("POLICE_STATION", text)


@pytest.mark.parametrize("text", ["Police will attend the core group", "a station wagon", "Police stated that"])
def test_near_misses(text):
    assert found("POLICE_STATION", text) == []
