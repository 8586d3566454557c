"""UK dates, times and relative deadlines, each with its span.

British paperwork is day-first, and a date read month-first is a wrong date that looks right
(a review diarised on 5 July instead of 7 May). So numeric dates are always read day-first and
a numeric date that only makes sense month-first (05/13/2025) is refused, not swapped. A month
named in words is unambiguous in either order ("7th May 2025", "May 7th, 2025"). Year-first
numeric dates (2025-05-07, 2025/05/07) are unambiguous too and are what case-management systems
print, so they are accepted.

Relative deadlines ("within 28 days", "in six weeks", "by the next meeting") only mean something
against the meeting date, so they are resolved from an anchor the caller passes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from extract.memo import short_text_memo

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # Welsh: councils in Wales send bilingual minutes.
    "ionawr": 1, "chwefror": 2, "mawrth": 3, "ebrill": 4, "mai": 5, "mehefin": 6, "gorffennaf": 7,
    "awst": 8, "medi": 9, "hydref": 10, "tachwedd": 11, "rhagfyr": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
    "dydd llun": 0, "dydd mawrth": 1, "dydd mercher": 2, "dydd iau": 3, "dydd gwener": 4,
    "dydd sadwrn": 5, "dydd sul": 6,
}  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "twenty": 20, "twenty-one": 21, "twenty one": 21, "twenty-eight": 28,
    "twenty eight": 28, "thirty": 30, "fortnight": 14,
}  # fmt: skip

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_WD = rf"(?:(?P<wd>{_WEEKDAY_ALT})\.?,?\s+(?:the\s+)?)?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})"

_DMY_TEXT = re.compile(
    rf"(?<![\w]){_WD}(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+day)?(?:\s+of)?[\s.-]*(?P<mon>{_MONTH_ALT})\.?"
    rf"(?:,?[\s-]+{_YEAR})?(?![\w])",
    re.IGNORECASE,
)
_MDY_TEXT = re.compile(
    rf"(?<![\w]){_WD}(?P<mon>{_MONTH_ALT})\.?\s+(?:the\s+)?(?P<day>[0-3]?\d)(?P<ord>st|nd|rd|th)?"
    rf"(?:,?\s+{_YEAR})?(?![\w])",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    rf"(?<![\w/.-]){_WD}(?P<day>\d{{1,2}})\s?(?P<sep>[/.-])\s?(?P<mon>\d{{1,2}})\s?(?P=sep)\s?(?P<year>\d{{4}}|\d{{2}})"
    r"(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<![\w/.-])(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?![\w/-]|\.\d)")
_US_SHAPE = re.compile(r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)")


@dataclass(frozen=True)
class DateHit:
    value: date
    start: int
    end: int
    text: str
    kind: str = "absolute"  # "absolute", "no_year" (year inferred), "relative"
    confidence: float = 0.95


def _year(raw: str | None, today: date) -> int | None:
    if raw is None:
        return None
    raw = raw.lstrip("'")
    y = int(raw)
    if len(raw) == 4:
        return y if 1900 <= y <= 2100 else None
    # Two-digit years: the recent past and near future are 20xx, the rest 19xx (dates of birth).
    pivot = today.year % 100 + 10
    return 2000 + y if y <= pivot else 1900 + y


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _conf_for_weekday(value: date, wd: str | None, base: float) -> float:
    if wd is None:
        return base
    return base if WEEKDAYS.get(wd.lower().rstrip(".")) == value.weekday() else base * 0.6


def find_dates(text: str, today: date | None = None, year_hint: int | None = None) -> list[DateHit]:
    """Every date written in ``text``, day-first, non-overlapping, in order.

    ``year_hint`` fills in a year when only day and month are written ("7th May"); such hits
    have kind "no_year" and a lower confidence. Without a hint they are skipped.
    """
    return list(_find_dates(text, today or date.today(), year_hint))


# The field extractors ask for the dates of the same lines and sentences again and again (on
# the benchmark's mixed corpus 2,763 calls over 684 distinct texts, 69 ms); the answer is a
# function of the arguments (``today`` made explicit) and the hits are frozen.
@short_text_memo(maxsize=2048)
def _find_dates(text: str, today: date, year_hint: int | None) -> tuple[DateHit, ...]:
    hits: list[DateHit] = []
    for rx, base in ((_ISO, 0.9), (_NUMERIC, 0.95), (_DMY_TEXT, 0.97), (_MDY_TEXT, 0.93)):
        for m in rx.finditer(text):
            gd = m.groupdict()
            mon_raw = gd["mon"]
            month = int(mon_raw) if mon_raw.isdigit() else MONTHS.get(mon_raw.lower().rstrip("."))
            if month is None:
                continue
            if rx is _MDY_TEXT and mon_raw.lower() == "may" and gd.get("year") is None and not gd.get("ord"):
                continue  # "may 7" is too often the verb followed by a number
            year = _year(gd.get("year"), today)
            kind, conf = "absolute", base
            if year is None:
                if gd.get("year") is not None or year_hint is None or rx in (_NUMERIC, _ISO):
                    continue
                year, kind, conf = year_hint, "no_year", base * 0.75
            value = _make(year, month, int(gd["day"]))
            if value is None:
                continue
            conf = _conf_for_weekday(value, gd.get("wd"), conf)
            hits.append(DateHit(value, m.start(), m.end(), m.group(0), kind, conf))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[DateHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            if (h.end - h.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = h
            continue
        kept.append(h)
    return tuple(kept)


def parse_date(text: str, today: date | None = None, year_hint: int | None = None) -> date | None:
    """The first date in a short text (a table cell, a "DOB:" value), or None."""
    hits = find_dates(text, today, year_hint)
    return hits[0].value if hits else None


def looks_month_first(text: str) -> bool:
    """True when ``text`` holds a numeric date that is only valid month-first (US style)."""
    for m in _US_SHAPE.finditer(text):
        first, second = int(m.group(1)), int(m.group(3))
        if 1 <= first <= 12 < second <= 31:
            return True
    return False


# --- relative deadlines -------------------------------------------------------------------

_NUM = r"(?P<n>\d{1,3}|" + "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>working\s+days?|business\s+days?|days?|weeks?|months?|fortnight)"
_RELATIVE = re.compile(
    rf"\b(?:within|in|by|after|no\s+later\s+than)\s+(?:the\s+next\s+)?{_NUM}\s*(?:-\s*)?{_UNIT}(?:'|’)?(?:\s+time)?"
    r"(?:\s+(?:of|from|following)\s+(?:the\s+|this\s+|today'?s\s+)?(?:meeting|panel|date|today))?",
    re.IGNORECASE,
)
_WITHIN_FORTNIGHT = re.compile(r"\b(?:within|in)\s+(?:a|one)\s+fortnight\b", re.IGNORECASE)
_NEXT_MEETING = re.compile(
    r"\b(?:by|before|prior\s+to|ahead\s+of|for)\s+(?:the\s+)?next\s+(?:MAPPA\s+)?"
    r"(?:meeting|panel|review(?:\s+meeting)?|MAPP\s+meeting|level\s+\d\s+meeting)\b",
    re.IGNORECASE,
)
_IMMEDIATE = re.compile(r"\b(?:immediately|asap|as soon as possible|today|forthwith|with immediate effect)\b", re.IGNORECASE)
_END_OF = re.compile(r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(?P<what>this\s+week|next\s+week|week|this\s+month|next\s+month|month)\b", re.IGNORECASE)


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _number(raw: str) -> int | None:
    raw = raw.lower().strip()
    if raw.isdigit():
        return int(raw)
    return NUMBER_WORDS.get(raw)


def find_relative_dates(text: str, anchor: date, next_meeting: date | None = None) -> list[DateHit]:
    """Deadlines written relative to the meeting, resolved from ``anchor`` (the meeting date).

    "by the next meeting" resolves to ``next_meeting`` when the document gives one, and is
    left out otherwise (a guessed deadline is worse than none).
    """
    hits: list[DateHit] = []
    for m in _RELATIVE.finditer(text):
        n = _number(m.group("n"))
        if n is None or n > 366:
            continue
        unit = m.group("unit").lower()
        if unit.startswith(("working", "business")):
            value = _add_working_days(anchor, n)
        elif unit.startswith("day"):
            value = anchor + timedelta(days=n)
        elif unit.startswith("week"):
            value = anchor + timedelta(weeks=n)
        elif unit.startswith("fortnight"):
            value = anchor + timedelta(weeks=2 * n)
        else:
            value = add_months(anchor, n)
        hits.append(DateHit(value, m.start(), m.end(), m.group(0), "relative", 0.85))
    for m in _WITHIN_FORTNIGHT.finditer(text):
        hits.append(DateHit(anchor + timedelta(days=14), m.start(), m.end(), m.group(0), "relative", 0.85))
    if next_meeting is not None:
        for m in _NEXT_MEETING.finditer(text):
            hits.append(DateHit(next_meeting, m.start(), m.end(), m.group(0), "relative", 0.8))
    for m in _IMMEDIATE.finditer(text):
        hits.append(DateHit(anchor, m.start(), m.end(), m.group(0), "relative", 0.7))
    for m in _END_OF.finditer(text):
        what = m.group("what").lower()
        if "week" in what:
            base = anchor + timedelta(weeks=1) if "next" in what else anchor
            value = base + timedelta(days=(4 - base.weekday()) % 7)
        else:
            base = add_months(anchor, 1) if "next" in what else anchor
            value = date(base.year, base.month, calendar.monthrange(base.year, base.month)[1])
        hits.append(DateHit(value, m.start(), m.end(), m.group(0), "relative", 0.75))
    hits.sort(key=lambda h: h.start)
    kept: list[DateHit] = []
    for h in hits:
        if kept and h.start < kept[-1].end:
            continue
        kept.append(h)
    return kept


def find_deadline(text: str, anchor: date | None, next_meeting: date | None = None,
                  today: date | None = None) -> DateHit | None:
    """The due date of one action: a written date wins over a relative one."""
    year_hint = anchor.year if anchor else None
    absolute = [h for h in find_dates(text, today, year_hint)]
    if absolute:
        return absolute[-1]
    if anchor is None:
        return None
    relative = find_relative_dates(text, anchor, next_meeting)
    return relative[0] if relative else None


# --- times --------------------------------------------------------------------------------

_TIME = re.compile(
    r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w])"
    r"|(?<![\w:.])(?P<h24>[01]?\d|2[0-3])[:.](?P<m24>[0-5]\d)(?:\s*(?:hrs|hours|h))?(?![\w:]|\.\d)"
    r"|(?<!\d)(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)\s*(?:hrs|hours)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeHit:
    value: str  # "HH:MM", 24-hour
    start: int
    end: int


def find_times(text: str) -> list[TimeHit]:
    out: list[TimeHit] = []
    for m in _TIME.finditer(text):
        if m.group("h") is not None:
            h = int(m.group("h"))
            mins = int(m.group("m") or 0)
            if h > 12:
                continue
            pm = m.group("ap").lower().startswith("p")
            h = (h % 12) + (12 if pm else 0)
        elif m.group("h24") is not None:
            h, mins = int(m.group("h24")), int(m.group("m24"))
        else:
            hhmm = m.group("hhmm")
            h, mins = int(hhmm[:2]), int(hhmm[2:])
        out.append(TimeHit(f"{h:02d}:{mins:02d}", m.start(), m.end()))
    return out
