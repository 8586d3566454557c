"""A pattern is skipped only when the text cannot hold a match (``extract.literals``).

The literals only save time: every test here either checks what is read from a pattern, or
compares the skipping search with a plain one over the same text."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from extract import literals
from extract.doctype import CUES, classify
from extract.fields.forbidden import ADDRESS_RX, FORBIDDEN_PATTERNS
from extract.model import TextDocument
from tests.docgen import read_generated


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bminutes?\b", {"minute"}),  # the optional "s" ends the run
    (r"\b(?:record|notes|summary) of (?:the |a )?meeting\b", {"meeting"}),  # the longest proven run wins
    (r"\bRSVP\b", {"rsvp"}),  # folded: compared with the folded text
    (r"\bHM ?P\b|\bcarchar\b", {"hm", "carchar"}),  # one literal from each alternative
    (r"(?:ab)+c?", {"ab"}),  # a part repeated at least once is in every match
    (r"x{2,}yz", {"yz"}),
    (r"^\s*(?:\d+[.)]?\s*)?(?:present|attendees)\b", {"present", "attendees"}),
])
def test_the_literals_every_match_contains(pattern: str, expected: set[str]) -> None:
    assert literals.required(re.compile(pattern, re.IGNORECASE)) == expected


@pytest.mark.parametrize("pattern", [
    r"\d{6}",  # no literal at all
    r"\bcat|\d+",  # one alternative needs no literal, so the alternation needs none
    r"(?:minutes)?\s*\d",  # optional: may be absent from a match
    r"(?:minutes)*x",  # repeated zero or more times: idem (and "x" alone is too short to prove much)
    r"[A-Z]{3}",  # a class is not a literal
    r"(?=minutes)\w",  # a look-ahead is not read
])
def test_patterns_whose_matches_need_no_literal_are_always_run(pattern: str) -> None:
    assert literals.required(re.compile(pattern, re.IGNORECASE)) is None
    assert not literals._ruled_out(re.compile(pattern, re.IGNORECASE), "nothing to see here")


def test_a_text_that_folding_lengthens_is_never_skipped() -> None:
    """"İ" lower-cases to two characters; the engine compares it as one ("i"), so a folded copy
    could hide a match: no pattern is skipped over such a text."""
    text = "MİNUTES of the meeting"
    rx = re.compile(r"\bminutes\b", re.IGNORECASE)
    assert rx.search(text) is not None and literals.folded(text) is None
    assert literals.search(rx, text, literals.folded(text)) is not None


def _patterns() -> list[re.Pattern[str]]:
    out = [c.pattern for c in CUES] + [re.compile(c.pattern.pattern, re.IGNORECASE | re.MULTILINE) for c in CUES]
    return out + [rx for _, rx in FORBIDDEN_PATTERNS] + [ADDRESS_RX]


def _texts(tmp_path: Path) -> list[str]:
    texts = [doc.text for doc in read_generated(tmp_path, ours=12, theirs=10, seed=41)]
    # letters the engine folds unlike str.lower, in words the cues and patterns look for
    rng = random.Random(41)
    odd = ["MİNUTES", "minuteſ", "Minutes", "AGENDA", "agenda", "ıntelligence", "Kelvin K", "RSVP", "rſvp", "HMP"]
    texts += [" ".join(rng.choice(odd + text.split()[:200]) for _ in range(300)) for text in texts[:6]]
    return texts


def test_skipping_finds_what_a_plain_search_finds(tmp_path: Path) -> None:
    texts = _texts(tmp_path)
    skipped = 0
    for text in texts:
        folded = literals.folded(text)
        for rx in _patterns():
            plain = [m.span() for m in rx.finditer(text)]
            assert [m.span() for m in literals.finditer(rx, text, folded)] == plain, (rx.pattern, text[:80])
            first = literals.search(rx, text, folded)
            assert (first.span() if first else None) == (plain[0] if plain else None)
            skipped += literals._ruled_out(rx, folded)
    assert skipped > len(texts) * 10  # and it does skip: most cues are not in most documents


def test_classification_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs: list[TextDocument] = read_generated(tmp_path, ours=12, theirs=10, seed=43)
    skipping = [classify(d) for d in docs]
    monkeypatch.setattr(literals, "_ruled_out", lambda _rx, _folded: False)
    assert [classify(d) for d in docs] == skipping
