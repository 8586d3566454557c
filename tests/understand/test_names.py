"""British names as agencies write them."""

from __future__ import annotations

import random

import pytest

from extract.fields.names import name_at_start, names_in, plausible_name


@pytest.mark.parametrize(("value", "name"), [
    ("John SMITH (DOB 07/05/1980)", "John SMITH"),
    ("SMITH, John", "SMITH, John"),
    ("Mr John 'Jonno' SMITH", "John SMITH"),
    ("John SMITH DOB: 07/05/1980", "John SMITH"),
    ("Siân ap Gwilym", "Siân ap Gwilym"),
    ("Gruffydd AP RHYS", "Gruffydd AP RHYS"),
    ("Seán Ó Briain, aged 4", "Seán Ó Briain"),
    ("AP RHYS, Gruffydd", "AP RHYS, Gruffydd"),
    ("Sean O'NEILL", "Sean O'NEILL"),
    ("Mary Jones-Evans", "Mary Jones-Evans"),
    ("Dafydd McALLISTER - Level 2", "Dafydd McALLISTER"),
    ("DS Mary Jones (Police)", "Mary Jones"),
])
def test_name_at_start(value: str, name: str) -> None:
    got = name_at_start(value)
    assert got is not None and got[0] == name


@pytest.mark.parametrize("value", ["Children's Services", "Kent Police", "John", "Young Person Meeting", "MAPPA Level 2",
                                   "HMP Pentonville", "Category 1"])
def test_not_names(value: str) -> None:
    assert name_at_start(value) is None


def test_nickname_kept_and_possessive_dropped() -> None:
    got = name_at_start("Mr John 'Jonno' SMITH")
    assert got is not None and got[3] == ("Jonno",)
    found = [n for n, _, _ in names_in("share the plan with Lily McGuinness's mother")]
    assert found == ["Lily McGuinness"]


def test_plausible() -> None:
    assert plausible_name("Ellie SMITH")
    assert not plausible_name("Potentially Dangerous")
    assert not plausible_name("Smith")


@pytest.mark.parametrize("text,found", [
    ("Macy YILMAZ 10 daughter Little Acorns Nursery", ["Macy YILMAZ"]),
    ("Zainab BRAY attends St Bega's RC Primary School", ["Zainab BRAY"]),
    ("Darwen Vale High School", []),
    ("Ysgol Gymraeg Aberystwyth", []),
    ("SENTENCE: A SHPO LASTING 15 YEARS", []),
    ("Tilly SMITH, Hadley Learning Community", ["Tilly SMITH"]),
    ("Jo Farrant Children's Services", ["Jo Farrant"]),
    ("PICKERING, GRAHAM   NOMS NO: A5287DY", ["PICKERING, GRAHAM"]),
])
def test_places_named_like_people(text: str, found: list[str]) -> None:
    assert [n for n, _, _ in names_in(text)] == found


@pytest.mark.parametrize("seed", [5, 6])
def test_names_kept_for_a_text_are_the_names_found_afresh_at_any_offset(seed: int) -> None:
    from extract.fields.names import _find_names
    from extract.memo import SHORT_TEXT
    from tests.ingest.helpers import minutes_text

    rng = random.Random(seed)
    text = "\n\n".join(minutes_text(seed * 10 + i, rng) for i in range(8))
    pieces = [text[i : i + rng.randint(20, 400)] for i in range(0, len(text), 150)] + [text]
    assert any(len(p) > SHORT_TEXT for p in pieces)  # both paths are exercised
    assert sum(bool(_find_names.__wrapped__(p)) for p in pieces) > 5
    for piece in pieces:
        offset = rng.randint(0, 5000)
        fresh = [(n, offset + s, offset + e) for n, s, e in _find_names.__wrapped__(piece)]
        first = names_in(piece, offset)
        first.append(("Changed By Caller", 0, 0))  # callers extend what they get
        assert names_in(piece, offset) == fresh == first[:-1]
