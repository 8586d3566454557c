"""UK identifiers: check characters, shapes and spans."""

from __future__ import annotations

import random

import pytest

from extract.identifiers import (
    CHECK_ALPHABET,
    cro_check_char,
    find_identifiers,
    is_valid_cro,
    is_valid_nhs,
    is_valid_nino,
    is_valid_pnc,
    is_valid_postcode,
    is_valid_uk_phone,
    normalise_identifier,
    pnc_check_char,
)
from tests.docgen.world import pnc_check_char as docgen_check


@pytest.mark.parametrize("seed", range(20))
def test_pnc_exactly_one_check_char_is_valid(seed: int) -> None:
    rng = random.Random(seed)
    yy, serial = f"{rng.randint(0, 99):02d}", str(rng.randint(1, 9_999_999))
    good = pnc_check_char(yy, serial)
    assert good == docgen_check(int(yy), int(serial))  # an independent implementation agrees
    valid = [c for c in CHECK_ALPHABET if is_valid_pnc(f"{yy}/{serial}{c}")]
    assert valid == [good]
    assert is_valid_pnc(f"20{yy}/{serial}{good}")  # four-digit year
    assert is_valid_pnc(f"{yy}/{serial.zfill(7)}{good}")  # zero-padded serial is the same ID


@pytest.mark.parametrize("text", ["12/34567", "123/4567A", "12/12345678A", "AB/1234567C", "", "12-1234567A"])
def test_pnc_bad_shapes(text: str) -> None:
    assert not is_valid_pnc(text)


def test_cro_check_char_standard_and_short_form() -> None:
    c = cro_check_char("98", "123456")
    assert is_valid_cro(f"123456/98{c}")
    assert not is_valid_cro(f"123456/98{'A' if c != 'A' else 'B'}")
    s = cro_check_char("98", "12345", short_form=True)
    assert is_valid_cro(f"SF98/12345{s}")


@pytest.mark.parametrize(("nhs", "ok"), [("943 476 5919", True), ("9434765919", True), ("943 476 5918", False),
                                          ("1111111111", False), ("943476591", False)])
def test_nhs_modulus_11(nhs: str, ok: bool) -> None:
    assert is_valid_nhs(nhs) is ok


@pytest.mark.parametrize(("nino", "ok"), [("AB 12 34 56 C", True), ("JG103759A", True), ("BG123456A", False),
                                           ("QQ123456C", False), ("DA123456A", False), ("AB123456E", False)])
def test_ni_number_prefixes(nino: str, ok: bool) -> None:
    assert is_valid_nino(nino) is ok


@pytest.mark.parametrize(("pc", "ok"), [("SW1A 1AA", True), ("MK41 7LD", True), ("CF10 3NQ", True), ("M1 1AE", True),
                                         ("QQ1 1AA", False), ("SW1A1A", False)])
def test_postcodes(pc: str, ok: bool) -> None:
    assert is_valid_postcode(pc) is ok


@pytest.mark.parametrize(("tel", "ok"), [("020 7946 0018", True), ("07700 900123", True), ("+44 7700 900123", True),
                                          ("12345", False), ("+33 1 23 45 67 89", False)])
def test_phone(tel: str, ok: bool) -> None:
    assert is_valid_uk_phone(tel) is ok


def test_find_identifiers_spans_and_kinds() -> None:
    pnc = f"2012/345678{pnc_check_char('12', '345678')}"
    text = (f"PNC: {pnc}. Prison no A1234BC, CRN X123456. ViSOR ref: 12345678. NI AB 12 34 56 C. "
            "NHS 943 476 5919. Lives at SW1A 1AA, tel 07700 900123, j.smith@example.gov.uk. Met on 07/05/2025.")
    hits = find_identifiers(text)
    kinds = [h[0] for h in hits]
    assert kinds == ["PNC", "PRISON_NUMBER", "CRN", "VISOR", "NI_NUMBER", "NHS_NUMBER", "POSTCODE", "PHONE", "EMAIL"]
    for _, s, e, value in hits:
        assert text[s:e] == value
    assert "07/05/2025" not in [h[3] for h in hits]  # a date is not an identifier


def test_wrong_check_char_only_found_when_not_validating() -> None:
    good = pnc_check_char("12", "345678")
    bad = next(c for c in CHECK_ALPHABET if c != good)
    text = f"PNC 12/345678{bad}"
    assert not [h for h in find_identifiers(text) if h[0] == "PNC"]
    assert [h for h in find_identifiers(text, validate=False) if h[0] == "PNC"]


def test_pnc_with_spaced_check_char_and_normalised_form() -> None:
    c = pnc_check_char("91", "504584")
    hits = find_identifiers(f"PNC 91/0504584 {c} on file")
    assert hits and hits[0][0] == "PNC"
    assert normalise_identifier("PNC", hits[0][3]) == normalise_identifier("PNC", f"1991/504584{c}")


def test_visor_value_skips_keywords() -> None:
    text = "ViSOR nominal 4455A; ViSOR ref: 12345678; ViSOR reference number AB/12345"
    assert [h[3] for h in find_identifiers(text)] == ["4455A", "12345678", "AB/12345"]


def test_validated_and_unvalidated_hits_share_one_scan_and_answer_alike() -> None:
    """A document's fields ask for validated identifiers and its forbidden facts for all of
    them; the second call reuses the first's scan and answers as a fresh scan would."""
    from extract import identifiers

    text = "PNC 99/123456A and a mistyped 99/123456B; CRO 123456/99Z; call 01632 960123 about SW1A 1AA."
    identifiers._candidates.cache_clear()
    loose, strict = find_identifiers(text, validate=False), find_identifiers(text)
    assert identifiers._candidates.cache_info().misses == 1
    assert set(strict) < set(loose) and any(v == "99/123456B" for *_, v in loose)
    identifiers._candidates.cache_clear()
    assert find_identifiers(text) == strict and find_identifiers(text, validate=False) == loose
