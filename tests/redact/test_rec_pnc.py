"""PNC ID recognizer: YY/NNNNNNNA with the check character (extract.identifiers' table)."""

import pytest

from extract.identifiers import pnc_check_char
from tests.redact.helpers import entities, found


def _pnc(yy: str, serial: str) -> str:
    return f"{yy}/{serial}{pnc_check_char(yy, serial)}"


VALID = [_pnc("98", "1234567"), _pnc("01", "0004567"), _pnc("12", "345"), _pnc("2003", "0012345"), _pnc("85", "77")]


@pytest.mark.parametrize("pnc", VALID)
@pytest.mark.parametrize("frame", ["PNC ID: {}", "PNC {} (checked)", "His PNC number is {}.", "{}"])
def test_valid_pnc_is_found(pnc, frame):
    assert found("PNC_ID", frame.format(pnc)) == [pnc]


def _wrong(pnc: str) -> str:
    letters = "ZABCDEFGHJKLMNPQRTUVWXY"
    bad = letters[(letters.index(pnc[-1]) + 1) % len(letters)]
    return pnc[:-1] + bad


@pytest.mark.parametrize("pnc", [_wrong(p) for p in VALID])
def test_wrong_check_character_is_not_a_pnc_but_still_an_identifier(pnc):
    # not a PNC ID...
    assert found("PNC_ID", f"PNC ID: {pnc}") == []
    # ...but a justice reference shape all the same: failing closed, it is still scrubbed
    assert pnc in found("ID_SHAPE", f"PNC ID: {pnc}")


@pytest.mark.parametrize("text", [
    "Meeting on 12/03/2025 at 10:00",  # a date
    "Review 3/4 weeks",  # a fraction
    "Room 12/B",
    "Ref 98/1234567",  # no check character
    "https://example.org/98/1234567X/page",  # inside a path
])
def test_near_misses(text):
    assert [e for e, _ in entities(text) if e == "PNC_ID"] == []
