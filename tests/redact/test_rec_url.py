"""The URL recognizer searches only the word runs that can hold a URL, and finds exactly what
presidio's own ``UrlRecognizer`` finds over the whole text."""

from __future__ import annotations

import random

import pytest
from presidio_analyzer.predefined_recognizers import UrlRecognizer

from redact.recognizers import WordRunUrlRecognizer, analyzer
from tests.redact.helpers import found


def _spans(recognizer: UrlRecognizer, text: str) -> list[tuple[int, int, float]]:
    return sorted((r.start, r.end, r.score) for r in recognizer.analyze(text, ["URL"]))


def test_the_service_uses_the_word_run_recognizer() -> None:
    kinds = [type(r) for r in analyzer().engine.registry.recognizers]
    assert WordRunUrlRecognizer in kinds and UrlRecognizer not in kinds


@pytest.mark.parametrize("text,value", [
    ("See https://www.gov.uk/guidance/mappa for the guidance.", "https://www.gov.uk/guidance/mappa"),
    ("his profile at www.facebook.com/jsmith88 was reviewed", "www.facebook.com/jsmith88"),
    ("(posted on example.co.uk/page?id=3)", "example.co.uk/page?id=3"),
    ('the link "http://bit.ly/3xYz" was sent', '"http://bit.ly/3xYz"'),
    ("website: WWW.EXAMPLE.ORG.", "WWW.EXAMPLE.ORG"),
    ("He ran darkforum.net,\nwhich is now closed.", "darkforum.net"),
])
def test_matches(text: str, value: str) -> None:
    assert any(value in hit or hit in value for hit in found("URL", text))
    assert _spans(WordRunUrlRecognizer(), text) == _spans(UrlRecognizer(), text)


@pytest.mark.parametrize("text", [
    "Mr. Smith attended at 10 a.m. and left.",
    "The review is on 12.03.2025 at 2.30pm.",
    "i.e. the plan, e.g. the visit",
    "Section 3.1 Risk",
    "",
    "   \n\t  ",
])
def test_near_misses(text: str) -> None:
    assert _spans(WordRunUrlRecognizer(), text) == _spans(UrlRecognizer(), text) == []


_PIECES = ["www.", "http://", "https://", "example", "gov", ".uk", ".com", ".org", ".co", "/path", "?q=1",
           "Mr.", "a.m.", "e.g.", "3.1", "J.", "Smith", "-", "'", '"', "(", ")", ",", ".", " ", " ", "\n", "\u00a0",
           "\x1c", "K", "\u212a", "ſ", "net", "info", "bit.ly", "12.03.2025"]


@pytest.mark.parametrize("seed", range(8))
def test_the_same_spans_as_presidio_over_the_whole_text(seed: int) -> None:
    """Random texts made of URL parts, abbreviations, odd white space (a no-break space, an
    information separator that Python's str calls white space and presidio's engine does not)
    and letters that case-fold to ASCII (the Kelvin sign, the long s)."""
    rng = random.Random(seed)
    ours, theirs = WordRunUrlRecognizer(), UrlRecognizer()
    for _ in range(150):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 40)))
        assert _spans(ours, text) == _spans(theirs, text), repr(text)
