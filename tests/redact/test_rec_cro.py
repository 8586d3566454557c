"""CRO number recognizer: NNNNNN/YYA and SFYY/NNNNNNA with the check character."""

import pytest

from extract.identifiers import cro_check_char
from tests.redact.helpers import found

VALID = [f"123456/89{cro_check_char('89', '123456')}", f"4567/01{cro_check_char('01', '4567')}",
         f"SF93/123456{cro_check_char('93', '123456', short_form=True)}"]


@pytest.mark.parametrize("cro", VALID)
@pytest.mark.parametrize("frame", ["CRO: {}", "CRO number {} recorded.", "{}"])
def test_valid_cro_is_found(cro, frame):
    assert found("CRO_NUMBER", frame.format(cro)) == [cro]


@pytest.mark.parametrize("cro", [v[:-1] + ("A" if v[-1] != "A" else "B") for v in VALID])
def test_wrong_check_character_is_no_cro_but_still_scrubbed(cro):
    assert found("CRO_NUMBER", f"CRO {cro}") == []
    assert found("ID_SHAPE", f"CRO {cro}") == [cro]


@pytest.mark.parametrize("text", ["on 12/03/25", "ratio 123456/89", "flat 12/3A", "score 1234567/89A"])
def test_near_misses(text):
    assert found("CRO_NUMBER", text) == []
