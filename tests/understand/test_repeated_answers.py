"""Pure functions the field extractors and the summaries ask again and again about the same few
hundred strings keep their answers: the same answer as computing it afresh, from the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from extract.fields.lexicon import relationship_in
from extract.fields.names import clean_name, plausible_name
from extract.matching import _first_similarity, _surname_similarity, fold
from extract.memo import short_text_memo
from redact.known import parse_date
from redact.policy import normalise_heading


@pytest.mark.parametrize(("fn", "arg"), [
    (clean_name, 'Mr Gareth "Gaz" Jones'),
    (plausible_name, "Gareth Jones"),
    (plausible_name, "Children's Services"),
    (relationship_in, "his stepdaughter Amy Jones"),
    (relationship_in, "no relation named here"),
    (fold, "Siân O'Neill"),
    (normalise_heading, "3.1 Risk of Serious Harm:"),
    (parse_date, "07/05/2024"),
    (parse_date, "not a date"),
])
def test_a_repeated_question_is_answered_from_the_cache(fn: Callable[[str], Any], arg: str) -> None:
    fresh = fn.__wrapped__(arg)  # type: ignore[attr-defined]
    fn.cache_clear()  # type: ignore[attr-defined]
    assert fn(arg) == fresh
    assert fn(arg) == fresh
    info = fn.cache_info()  # type: ignore[attr-defined]
    assert (info.hits, info.misses) == (1, 1)


@pytest.mark.parametrize(("fn", "a", "b"), [
    (_first_similarity, "jon", "jonathan"),
    (_first_similarity, "j", "john"),
    (_surname_similarity, "smith-jones", "jones"),
    (_surname_similarity, "obrien", "o brien"),
])
def test_a_repeated_comparison_is_answered_from_the_cache(fn: Callable[[str, str], float], a: str, b: str) -> None:
    fresh = fn.__wrapped__(a, b)  # type: ignore[attr-defined]
    fn.cache_clear()  # type: ignore[attr-defined]
    assert fn(a, b) == fn(a, b) == fresh
    assert fn.cache_info().hits == 1  # type: ignore[attr-defined]


def test_a_long_text_is_answered_afresh_and_never_kept() -> None:
    """The service lives for days: a cache must not keep a document's text alive."""
    calls: list[int] = []

    @short_text_memo(maxsize=8, longest=20)
    def length(text: str, extra: int = 0) -> int:
        calls.append(len(text))
        return len(text) + extra

    assert length("short") == length("short") == 5 and calls == [5]
    assert length("x" * 21) == length("x" * 21) == 21 and calls == [5, 21, 21]
    assert length("short", 1) == 6  # other arguments are part of the key
    assert length.cache_info().currsize == 2
    document = "Gareth Jones attended. " * 200
    fold.cache_clear()
    assert fold(document) == fold.__wrapped__(document)  # type: ignore[attr-defined]
    assert fold.cache_info().currsize == 0  # type: ignore[attr-defined]
