"""Day-first UK dates, refused month-first dates, relative deadlines and times."""

from __future__ import annotations

from datetime import date

import pytest

from extract.dates import (
    _find_dates,
    find_dates,
    find_deadline,
    find_relative_dates,
    find_times,
    looks_month_first,
    parse_date,
)

TODAY = date(2025, 6, 1)
MAY7 = date(2025, 5, 7)


@pytest.mark.parametrize("text", [
    "07/05/2025", "7/5/25", "7th May 2025", "07.05.25", "7 May 25", "Wednesday 7th of May 2025", "May 7th 2025",
    "May 7, 2025", "7-May-2025", "07-05-2025", "Weds 7 May 2025", "the 7th day of May 2025", "7 Mai 2025",
    "2025-05-07", "2025/05/07", "7th May, 2025", "on 07 / 05 / 2025 at ten",
])
def test_every_common_form_is_7_may(text: str) -> None:
    hits = find_dates(text, TODAY)
    assert [h.value for h in hits] == [MAY7]
    assert text[hits[0].start:hits[0].end] == hits[0].text


@pytest.mark.parametrize("text", ["05/13/2025", "12/31/24", "version 1.2.3", "he may 7 things", "PNC 12/345678A",
                                  "32/01/2025", "29/02/2025", "tel 020 7946 0018"])
def test_near_misses_are_not_dates(text: str) -> None:
    assert find_dates(text, TODAY) == []


def test_month_first_is_refused_not_swapped() -> None:
    assert looks_month_first("05/13/2025")
    assert not looks_month_first("13/05/2025")
    assert parse_date("05/06/2025", TODAY) == date(2025, 6, 5)  # ambiguous numeric: always day-first


def test_two_digit_years_of_birth() -> None:
    assert parse_date("DOB 15/03/80", TODAY) == date(1980, 3, 15)
    assert parse_date("03/02/15", TODAY) == date(2015, 2, 3)


def test_wrong_weekday_lowers_confidence() -> None:
    right = find_dates("Wednesday 7 May 2025", TODAY)[0]
    wrong = find_dates("Tuesday 7 May 2025", TODAY)[0]
    assert right.value == wrong.value and wrong.confidence < right.confidence


def test_day_and_month_only_needs_a_year_hint() -> None:
    assert find_dates("by 7th May", TODAY) == []
    hit = find_dates("by 7th May", TODAY, year_hint=2026)[0]
    assert hit.value == date(2026, 5, 7) and hit.kind == "no_year"


@pytest.mark.parametrize(("text", "days"), [
    ("within 28 days", 28), ("in 6 weeks", 42), ("in six weeks' time", 42), ("within two weeks of the meeting", 14),
    ("within a fortnight", 14), ("within 10 working days", 14), ("immediately", 0),
])
def test_relative_deadlines_from_the_meeting(text: str, days: int) -> None:
    hits = find_relative_dates(text, MAY7)
    assert hits and (hits[0].value - MAY7).days == days


def test_within_a_month_and_next_meeting() -> None:
    assert find_relative_dates("within one month", MAY7)[0].value == date(2025, 6, 7)
    assert find_relative_dates("by the next meeting", MAY7) == []  # no guess without the date
    assert find_relative_dates("by the next meeting", MAY7, date(2025, 8, 1))[0].value == date(2025, 8, 1)


def test_deadline_prefers_written_date() -> None:
    hit = find_deadline("CSC to complete assessment within 28 days, by 20/05/2025", MAY7)
    assert hit is not None and hit.value == date(2025, 5, 20)
    hit = find_deadline("CSC to complete assessment within 28 days", MAY7)
    assert hit is not None and hit.value == date(2025, 6, 4)


def test_times() -> None:
    assert [t.value for t in find_times("at 10:00, 2.30pm, 10am, 1400hrs; 14:00 - 16:00")] == [
        "10:00", "14:30", "10:00", "14:00", "14:00", "16:00"]
    assert find_times("on 07/05/2025") == []


def test_the_same_text_is_read_once_and_each_caller_gets_its_own_list() -> None:
    """The field extractors ask for the dates of the same lines many times: the answer is kept,
    keyed by the text, the day it is read on and the year hint; callers may change their list."""
    text = "Panel held on Tuesday 7 May 2024; next review 6 August 2024."
    _find_dates.cache_clear()
    first = find_dates(text, today=date(2024, 6, 1))
    first.clear()
    again = find_dates(text, today=date(2024, 6, 1))
    assert [h.value for h in again] == [date(2024, 5, 7), date(2024, 8, 6)]
    assert _find_dates.cache_info().hits == 1
    assert find_dates("on 7th May", today=date(2024, 6, 1), year_hint=2023)[0].value == date(2023, 5, 7)
    assert find_dates("on 7th May", today=date(2024, 6, 1)) == []  # another hint is another answer
    assert _find_dates.cache_info().misses == 3
