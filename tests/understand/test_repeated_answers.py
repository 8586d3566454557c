"""Pure functions the field extractors and the summaries ask again and again about the same few
hundred strings keep their answers: the same answer as computing it afresh, from the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from extract.fields.lexicon import relationship_in
from extract.fields.names import clean_name, plausible_name
from extract.matching import _first_similarity, _surname_similarity, fold
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
