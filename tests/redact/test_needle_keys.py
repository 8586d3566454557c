"""Skipping a pattern when the text lacks its letters (``Needle.keys``) never loses a match.

The keys only save time: every test here compares the skipping search with a plain search of
the same pattern over the same text, on the ways minutes write names and identifiers."""

from __future__ import annotations

import random
import re

import pytest

from redact.known import literal_needle, name_needles
from redact.model import Reason
from redact.needles import MatchCache, Needle, squash

NAMES = ["Jane O'Neill", "Tomasz Wójcik", "Siân Price-Davies", "Daniel ap Rhys", "Lee Kay", "Aoife Mc Donagh"]
IDENTIFIERS = ["99/123456A", "A1234BC", "12345/77A", "X123456", "12 Albert Road, Rochdale OL11 3AB"]


def _needles() -> list[Needle]:
    out: list[Needle] = []
    for name in NAMES:
        out += name_needles(name, Reason.THIRD_PARTY, "third party", set())
    for ident in IDENTIFIERS:
        n = literal_needle(ident, Reason.IDENTIFIER, "identifier")
        assert n is not None
        out.append(n)
    return out


@pytest.mark.parametrize("text", [
    "Jane O’Neill attended.", "JANE O'NEILL", "O'Neill, Jane was present", "J. O'Neill", "Jane  Mary O'Neill",
    "Tomasz WÓJCIK", "Siân Price Davies", "Siân Price–Davies", "Siân PRICE-DAVIES's flat", "Daniel AP RHYS",
    "PNC 99 / 123456A", "PNC 99/123456 A", "prison number A 1234 BC", "CRO 12345/77A", "X 123 456",
    "12 ALBERT ROAD, ROCHDALE OL11 3AB", "Lee KAY", "Kay, Lee", "Aoife Mc  Donagh", "Mr Smıth and Jane O'Neıll",
    "T. Wójcik", "T.WÓJCIK and J O'Neill", "T.\n  Wójcik", "met T Wójcik, T. Wójcik", "(T.Wójcik)", "L.K. said",
    "S. Price-Davies", "D.  ap Rhys", "A. Mc Donagh", "T. W. noted", "Seen by TW and JO", "LK.", "L. K",
])
def test_a_text_with_the_value_is_searched_and_finds_what_a_plain_search_finds(text: str) -> None:
    cache = MatchCache(text)
    found = [(n.rule, m.span()) for n in _needles() for m in cache.find_needle(n)]
    plain = [(n.rule, m.span()) for n in _needles() for m in n.pattern.finditer(text)]
    assert found == plain and found  # every one of these texts names someone or something


@pytest.mark.parametrize("text", [
    "Jane Oakes attended.", "Tomasz Nowak", "Siân Price", "Davies", "99/123457A", "A1234BD", "Albert Street",
])
def test_a_text_without_the_value_is_skipped_and_loses_nothing(text: str) -> None:
    cache = MatchCache(text)
    for n in _needles():
        skipped = cache.find_needle(n)
        assert [m.span() for m in skipped] == [m.span() for m in n.pattern.finditer(text)]


def test_random_spellings_never_lose_a_match() -> None:
    """Names and identifiers re-spaced, re-cased, re-hyphenated and re-apostrophed at random,
    inside filler text: the skipping search finds exactly what the plain search finds."""
    rng = random.Random(4)
    needles = _needles()

    def respell(value: str) -> str:
        out = []
        for ch in value:
            r = rng.random()
            if ch == "'" and r < 0.5:
                ch = "’"
            elif ch == "-" and r < 0.3:
                ch = rng.choice(["–", " ", ""])
            elif ch == " " and r < 0.3:
                ch = rng.choice(["  ", "\n"])
            elif ch.isalpha():
                ch = ch.upper() if r < 0.4 else ch.lower() if r < 0.8 else ch
            out.append(ch)
        return "".join(out)

    def initialled(name: str) -> str:
        given, family = name.split(" ", 1)
        return (given[0] + rng.choice(["", ".", ". "]) + rng.choice(["", " ", "  ", "\n", "\t "]) + family
                if rng.random() < 0.7 else given[0] + rng.choice(["", "."]) + rng.choice(["", " "]) + family[0])

    for _ in range(300):
        value = rng.choice(NAMES + IDENTIFIERS + [initialled(n) for n in NAMES])
        text = f"The panel noted that {respell(value)} was discussed; {rng.choice(['no', 'some'])} concerns."
        cache = MatchCache(text)
        for n in needles:
            assert ([m.span() for m in cache.find_needle(n)]
                    == [m.span() for m in n.pattern.finditer(text)]), (value, text, n.rule)


@pytest.mark.parametrize(("value", "written"), [
    ("O'Neill", "O’NEILL"), ("Price-Davies", "price davies"), ("Wójcik", "WÓJCIK"), ("99/123456A", "99 123456 a"),
    ("Smith", "Smıth"),
])
def test_squash_keeps_letters_and_digits_only(value: str, written: str) -> None:
    assert squash(value) in squash(written)


def test_case_free_name_and_identifier_patterns_are_anchored() -> None:
    """The fast path is taken: every case-free name or identifier pattern has an anchor."""
    needles = _needles()
    case_free = [n for n in needles if n.pattern.flags & re.IGNORECASE]
    assert case_free and all(n.anchor for n in case_free)


@pytest.mark.parametrize("text", [
    "İstanbul: Jane O'Neill attended",  # lower case of İ is two characters: offsets would move
    "ſiân Price-Davies", "TOMASZ WÓJCIK (A1234BC)", "pnc:99/123456a.",
])
def test_anchored_search_matches_a_plain_scan_even_when_lower_case_moves_offsets(text: str) -> None:
    cache = MatchCache(text)
    for n in _needles():
        assert [m.span() for m in cache.find_needle(n)] == [m.span() for m in n.pattern.finditer(text)]


def test_every_name_pattern_is_anchored_and_the_initial_and_family_by_the_family_name() -> None:
    """The fast paths are taken: no name pattern scans every character of a long document, and
    the initial-and-family shape is tried only before the family name, not at every letter
    that is the initial (which made a 200-page document's summaries take 2.5 s longer)."""
    for name in NAMES:
        needles = name_needles(name, Reason.THIRD_PARTY, "third party", set())
        assert all(n.anchor or n.tail for n in needles), name
        (initial_family,) = [n for n in needles if n.rule.endswith("initial and family")]
        # "O'Neill" starts with one letter before the apostrophe: too short to be worth it
        assert len(initial_family.tail) > 1 or name == "Jane O'Neill", name


def test_initials_are_found_only_before_the_family_name_as_a_plain_scan_finds_them() -> None:
    """A long text where the initial is everywhere and the name a few times."""
    (needle,) = [n for n in name_needles("Tomasz Wójcik", Reason.THIRD_PARTY, "third party", set())
                 if n.rule.endswith("initial and family")]
    text = " ".join(["Tt. the town, to Tom; T.\tWÓJCIK tutor. t wójcik, T.W\u00d3JCIK T.. Wójcik Ttwójcik"] * 200)
    found = MatchCache(text).find_needle(needle)
    assert [m.span() for m in found] == [m.span() for m in needle.pattern.finditer(text)]
    assert len(found) == 600


@pytest.mark.parametrize("value", ["Zebedee Quixley", "Siân Price-Davies", "99/123456A", "12 Albert Road, Rochdale OL11 3AB"])
def test_a_needle_is_compiled_only_when_the_text_might_hold_it(value: str) -> None:
    """Compiling costs more than a search that finds nothing: a needle the text's letters or
    anchors rule out is never compiled, and one that may match is."""
    from redact import needles as module

    needles = (name_needles(value, Reason.THIRD_PARTY, "third party", set()) if not re.search(r"\d", value)
               else [n for n in [literal_needle(value, Reason.IDENTIFIER, "identifier")] if n is not None])
    module._compiled.cache_clear()
    absent = MatchCache("Jane attended the meeting; nothing else was said.")
    assert all(absent.find_needle(n) == [] for n in needles)
    assert module._compiled.cache_info().currsize == 0
    present = MatchCache(f"The meeting discussed {value} at length.")
    assert any(present.find_needle(n) for n in needles)
    assert module._compiled.cache_info().currsize > 0
