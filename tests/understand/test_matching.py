"""Matching people against the records store: identifiers first, then name and date of birth, then fuzzy."""

from __future__ import annotations

from datetime import date

import pytest

from extract.identifiers import pnc_check_char
from extract.matching import KnownPerson, KnownRecords, match_person, name_parts, name_similarity

PNC = f"12/345678{pnc_check_char('12', '345678')}"
KNOWN = KnownRecords((
    KnownPerson(1, "subject", "William SMITH", ("Billy Smith",), date(1980, 5, 7), PNC),
    KnownPerson(2, "subject", "Siân ap Gwilym", (), date(1975, 1, 2)),
    KnownPerson(3, "subject", "John SMITH", (), date(1990, 1, 1)),
    KnownPerson(4, "subject", "Jon SMYTH"),
    KnownPerson(5, "subject", "Seán O'Neill", (), None, None, "A1234BC"),
    KnownPerson(6, "subject", "Mary Jones-Evans", (), date(1970, 3, 3)),
    KnownPerson(7, "child", "Ellie Smith", (), date(2015, 2, 3)),
))


@pytest.mark.parametrize(("name", "dob", "record"), [
    ("Bill Smith", date(1980, 5, 7), 1),          # nickname
    ("SMITH, William", None, 1),                  # surname first
    ("Willaim Smith", date(1980, 5, 7), 1),       # typo
    ("Sian AP GWILYM", None, 2),                  # accents and capitals
    ("Sean O’NEILL", None, 5),                    # curly apostrophe
    ("Mary Evans", date(1970, 3, 3), 6),          # one half of a double-barrelled surname
])
def test_matched(name: str, dob: date | None, record: int) -> None:
    m = match_person(name, KNOWN, dob=dob)
    assert m.status == "matched" and m.record_id == record


def test_identifiers_win_over_names() -> None:
    m = match_person("Somebody Else", KNOWN, pnc=f"2012/0345678{PNC[-1]}")
    assert (m.status, m.record_id) == ("matched", 1)
    m = match_person("Somebody Else", KNOWN, prison_number="a1234bc")
    assert (m.status, m.record_id) == ("matched", 5)


def test_ambiguous_and_new() -> None:
    assert match_person("John Smith", KNOWN).status == "ambiguous"  # John SMITH or Jon SMYTH
    assert match_person("Mary Brown", KNOWN, dob=date(1970, 3, 3)).status != "matched"  # maiden name? ask a person
    assert match_person("Peter Parker", KNOWN).status == "new"
    assert match_person("William Smith", KNOWN, dob=date(1999, 9, 9)).status != "matched"  # dob conflicts


def test_kind_is_respected() -> None:
    assert match_person("Ellie Smith", KNOWN, kind="child").record_id == 7
    assert match_person("Ellie Smith", KNOWN, kind="subject").record_id != 7
    assert match_person("Ellie Smith", KnownRecords()).status == "new"


def test_name_parts_and_similarity() -> None:
    assert name_parts("SMITH, John Paul") == ("john", ("paul",), "smith")
    assert name_parts("Rhys ap Gwilym")[2] == "ap gwilym"
    assert name_similarity("Jim McDonald", "James MCDONALD") >= 0.95
    assert name_similarity("John Smith", "Mary Smith") < 0.7


def test_cached_name_forms_score_as_the_written_formula() -> None:
    """``name_similarity`` works from each name's forms computed once (``_written``); on many
    pairs, in every written shape, it equals the formula on the names themselves."""
    import random

    from rapidfuzz import fuzz

    from extract.matching import _first_similarity, _surname_similarity, fold

    def formula(a: str, b: str) -> float:
        fa, _, sa = name_parts(a)
        fb, _, sb = name_parts(b)
        if not sa or not sb:
            return 0.0
        first, last = _first_similarity(fa, fb), _surname_similarity(sa, sb)
        structured = 0.45 * first + 0.55 * last
        if last < 0.75 or first < 0.7:
            structured = min(structured, 0.6)
        loose = fuzz.token_sort_ratio(fold(a).replace(",", " "), fold(b).replace(",", " ")) / 100.0
        return max(structured, loose if loose >= 0.97 else 0.0)

    rng = random.Random(3)
    given = ["John", "Jim", "James", "Siân", "Seán", "J.", "Bill", "William", "Mr Gareth", ""]
    family = ["Smith", "SMITH", "O'Neill", "O’NEILL", "Price-Davies", "Price Davies", "ap Rhys", "de la Cruz", "Wójcik"]
    names = [f"{rng.choice(given)} {rng.choice(family)}".strip() for _ in range(150)]
    names += [f"{rng.choice(family)}, {rng.choice(given)}" for _ in range(50)] + ["", "Smith", "Mr  John   SMITH"]
    pairs = [(a, b) for a in names for b in rng.sample(names, 20)]
    assert all(name_similarity(a, b) == formula(a, b) for a, b in pairs)
    assert any(0 < formula(a, b) < 1 for a, b in pairs) and any(formula(a, b) == 1.0 for a, b in pairs)
