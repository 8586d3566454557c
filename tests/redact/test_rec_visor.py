"""ViSOR reference recognizer: the word ViSOR must be there, the value must hold a digit."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("ViSOR ref: 12/345678", "12/345678"),
    ("VISOR reference VS-2231-44", "VS-2231-44"),
    ("ViSOR no. 88776655", "88776655"),
    ("visor nominal 4455A", "4455A"),
])
def test_visor_refs(text, value):
    hits = found("VISOR_REF", text)
    assert len(hits) == 1 and value in hits[0]


@pytest.mark.parametrize("text", ["ViSOR record updated", "ViSOR reference to follow", "Ref: 12/345678",
                                  "He wore a visor"])
def test_near_misses(text):
    assert found("VISOR_REF", text) == []
