"""When and where the meeting is, and when it meets again.

The meeting date anchors everything else (relative deadlines, whether the subject is a child,
the bring-forward diary), so it is read from the most specific evidence first: a labelled
"Date of meeting", then prose that ties a date to a meeting ("the meeting held on ..."), then
a bare date in the title area. A letter's own date ("Date: ...") is not a meeting date.
"""

from __future__ import annotations

import re
from datetime import date

from extract.dates import DateHit, add_months, find_dates, find_relative_dates, find_times
from extract.facts import DocType, Found
from extract.fields.layout import KV, Layout
from extract.model import BlockKind, Span

MEETING_LABEL = re.compile(
    r"^(?:date of (?:the )?(?:mappa |mapp |level \w+ )?(?:meeting|panel|conference|review)|(?:mappa |panel )?meeting date|"
    r"panel date|meeting|date and time of meeting|date/time of meeting|held on|dyddiad(?: y cyfarfod)?|date of mappp)$"
)
def is_meeting_label(label: str) -> bool:
    if MEETING_LABEL.match(label):
        return True
    return bool(re.search(r"\b(?:date|dyddiad|when)\b", label)) and bool(
        re.search(r"\b(?:meeting|panel|discussion|conference|screening|held|mapp|mappa|cyfarfod)\b", label)) and not re.search(
        r"\b(?:next|birth|geni|release|letter|previous|last|referral|sentence|conviction)\b", label)


GENERIC_DATE_LABEL = re.compile(r"^(?:date|date and time|date/time|date & time|when|date time)$")
NEXT_LABEL = re.compile(
    r"(?:^|\b)(?:next (?:review|meeting|panel|mappa|level \w+)|review date|date of next|next review date|"
    r"to be reviewed|review due|next scheduled|cyfarfod nesaf|dyddiad adolygu|^review$|^review on$|^reviewed by$)"
)
TIME_LABEL = re.compile(r"^(?:time|start time|meeting time|date and time|date/time|date & time|amser)$")
PLACE_LABEL = re.compile(r"^(?:venue|location|place|where|meeting venue|meeting location|held at|lleoliad)$")

_MEETING_WORDS = re.compile(r"\b(?:meeting|panel|conference|MAPPP?|cyfarfod|held)\b", re.I)
_NOT_MEETING = re.compile(
    r"\b(?:next|review(?:ed)?|release[ds]?|born|d\.?o\.?b|birth|sentenced|convicted|letter|dated|previous|last|"
    r"since|expires?|until|licence|ended|received|referred|arrested)\b",
    re.I,
)
_NEXT_PROSE = re.compile(
    r"\b(?:next (?:review|meeting|panel|MAPPA)|(?:will|to) be reviewed|(?:reconvene|review(?:ed)?)\s+(?:on|by|in|at)|"
    r"review (?:meeting|panel) (?:on|in|will)|next level \w+ (?:meeting|review))",
    re.I,
)
_PLACE_PROSE = re.compile(
    r"\b(?:held|take place|taking place|convened)\s+(?:at|in|via|on)\s+(?P<place>(?:Microsoft\s+)?Teams|video ?call|[A-Z][^.\n]{3,80}?)(?=[.,\n]|\s+on\s|\s+at\s+\d)"
)


def _date_in(value: str, offset: int, today: date, year_hint: int | None) -> DateHit | None:
    hits = find_dates(value, today, year_hint)
    if not hits:
        return None
    h = hits[0]
    return DateHit(h.value, offset + h.start, offset + h.end, h.text, h.kind, h.confidence)


def _not_email_header(lay: Layout, kvs: list[KV]) -> list[KV]:
    """An e-mail's "Date:" header is when it was sent, not when the meeting is."""
    return [kv for kv in kvs if lay.lines[kv.line].kind != BlockKind.EMAIL_HEADER]


def _with_time_or_place(lay: Layout, kv: KV) -> bool:
    """A "Date:" written beside "Time:" or "Venue:" gives when something is held, not when the
    letter was written ("You are invited... Date | Time | Venue")."""
    return any(abs(k.line - kv.line) <= 2 and k is not kv for k in lay.kv(TIME_LABEL) + lay.kv(PLACE_LABEL))


def meeting_date(lay: Layout, doc_type: DocType, today: date) -> Found[date] | None:
    text = lay.doc.text
    best: tuple[float, DateHit] | None = None

    def offer(conf: float, hit: DateHit | None) -> None:
        nonlocal best
        if hit is not None and (best is None or conf > best[0]):
            best = (conf * hit.confidence, hit)

    for kv in lay.kv_where(is_meeting_label):
        offer(0.97, _date_in(kv.value, kv.start, today, None))
    letter_like = doc_type in (DocType.INVITATION, DocType.PRISON_NOTIFICATION, DocType.REFERRAL, DocType.OTHER)
    if best is None and not letter_like:
        # Minutes and agendas: a "Date:" near the top is the meeting's (a letter's is its own date).
        head_lines = max(12, len(lay.lines) // 4)
        for kv in _not_email_header(lay, lay.kv(GENERIC_DATE_LABEL)):
            if kv.line <= head_lines:
                offer(0.88, _date_in(kv.value, kv.start, today, None))
                break
    if best is None:
        all_hits = find_dates(text[:60000], today)
        prev_end = 0
        for h in all_hits:
            lo = max(0, h.start - 160)
            before = text[lo:h.start]
            cut = max(before.rfind(". "), before.rfind("\n\n"))
            before = before[cut + 1:] if cut >= 0 else before
            seg = text[max(prev_end, h.start - len(before), h.start - 45):h.start]
            prev_end = h.end
            if _MEETING_WORDS.search(before) and not _NOT_MEETING.search(seg):
                offer(0.85, h)
                break
    if best is None:
        for kv in _not_email_header(lay, lay.kv(GENERIC_DATE_LABEL)):
            if letter_like and not _with_time_or_place(lay, kv):
                continue
            offer(0.85, _date_in(kv.value, kv.start, today, None))
            break
    if best is None and doc_type in (DocType.MINUTES, DocType.AGENDA):
        head = lay.lines[:8]
        for line in head:
            if re.search(r"\b(?:d\.?o\.?b|born|birth)\b", line.text, re.I):
                continue
            hit = _date_in(line.text, line.start, today, None)
            if hit:
                offer(0.7, hit)
                break
    if best is None:
        return None
    conf, hit = best
    return Found(hit.value, Span(hit.start, hit.end, lay.doc.page_of(hit.start)), round(conf, 3))


def next_review_date(lay: Layout, meeting: date | None, today: date, level: int | None = None) -> Found[date] | None:
    text = lay.doc.text
    year_hint = meeting.year if meeting else None
    for kv in lay.kv(NEXT_LABEL):
        hit = _date_in(kv.value, kv.start, today, year_hint)
        if hit is None and meeting is not None:
            rel = _relative(kv.value, kv.start, meeting)
            hit = rel
        if hit is not None and (meeting is None or hit.value > meeting):
            return Found(hit.value, Span(hit.start, hit.end, lay.doc.page_of(hit.start)), 0.92 * hit.confidence)
    for m in _NEXT_PROSE.finditer(text):
        window = text[m.end():m.end() + 120]
        stop = re.search(r"(?<!\b[A-Z][a-z])\.\s|\n\n", window)
        if stop:
            window = window[:stop.start() + 1]
        hit = _date_in(window, m.end(), today, year_hint)
        if hit is None and meeting is not None:
            hit = _relative(text[m.start():m.end() + len(window)], m.start(), meeting)
        if hit is not None and (meeting is None or hit.value > meeting):
            return Found(hit.value, Span(hit.start, hit.end, lay.doc.page_of(hit.start)), 0.85 * hit.confidence)
    for section in lay.find_sections(re.compile(r"next (?:meeting|review)|review date")):
        for line in lay.lines_in(section)[:3]:
            hit = _date_in(line.text, line.start, today, year_hint)
            if hit is not None and (meeting is None or hit.value > meeting):
                return Found(hit.value, Span(hit.start, hit.end, lay.doc.page_of(hit.start)), 0.8)
    return None


def _relative(value: str, offset: int, meeting: date) -> DateHit | None:
    m = re.search(r"\b(?P<n>\d{1,2}|one|two|three|four|six|eight|ten|twelve|sixteen)\s*(?P<u>weeks?|months?)\b", value, re.I)
    if m and not re.search(r"\bwithin\b", value[: m.start()], re.I):
        words = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "eight": 8, "ten": 10, "twelve": 12, "sixteen": 16}
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else words[raw]
        from datetime import timedelta

        value_date = meeting + timedelta(weeks=n) if m.group("u").lower().startswith("week") else add_months(meeting, n)
        return DateHit(value_date, offset + m.start(), offset + m.end(), m.group(0), "relative", 0.8)
    rel = find_relative_dates(value, meeting)
    if rel:
        h = rel[0]
        return DateHit(h.value, offset + h.start, offset + h.end, h.text, h.kind, h.confidence)
    return None


def meeting_time(lay: Layout, meeting_span: Span | None) -> Found[str] | None:
    for kv in lay.kv(TIME_LABEL):
        times = find_times(kv.value)
        if times:
            t = times[0]
            return Found(t.value, Span(kv.start + t.start, kv.start + t.end), 0.9)
    if meeting_span is not None:
        text = lay.doc.text
        lo, hi = max(0, meeting_span.start - 60), min(len(text), meeting_span.end + 60)
        times = find_times(text[lo:hi])
        if times:
            t = min(times, key=lambda t: abs(lo + t.start - meeting_span.end))
            return Found(t.value, Span(lo + t.start, lo + t.end), 0.8)
    return None


def meeting_place(lay: Layout) -> Found[str] | None:
    for kv in lay.kv(PLACE_LABEL):
        value = kv.value.strip()
        if value:
            return Found(value, Span(kv.start, kv.start + len(value)), 0.85)
    m = _PLACE_PROSE.search(lay.doc.text[:20000])
    if m:
        return Found(m.group("place").strip(), Span(m.start("place"), m.end("place")), 0.6)
    return None
