"""Actions agreed at the meeting: what, by whom, by when.

Actions are written as a table (Action | Owner | Due), as a numbered list under an "Actions"
heading, or inline ("ACTION: CSC to complete a strategy discussion within 28 days"). The owner
is an agency or a person with an agency; deadlines written relative to the meeting are
resolved from the meeting date. Actions owned by children's services are flagged: they are
the only actions a child's summary may carry.
"""

from __future__ import annotations

import re
from datetime import date

from extract.dates import find_dates, find_deadline
from extract.facts import Action, Found
from extract.fields.layout import Layout
from extract.fields.lexicon import agency_of, is_childrens_services
from extract.model import Span

ACTION_SECTION = re.compile(r"\bactions?\b|\bagreed\b.*\bactions?\b|\brisk management plan\b|\bcamau gweithredu\b|\bgweithredu\b")
_INLINE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:action(?:\s*\d+)?|ACTION)\s*[:\-–]\s*", re.I)
_OWNER_INLINE = re.compile(r"\((?:owner|lead|responsible|by)\s*[:\-]?\s*(?P<o>[^)]+)\)|\b(?:owner|lead|responsible)\s*[:\-]\s*(?P<o2>[^;.,\n]+)", re.I)
_LEADING_OWNER = re.compile(r"^\s*(?:[-•·*]\s*)?(?:\d+[.)]?\s+)?(?P<o>[A-Z][\w'’&/ ]{1,50}?)\s+(?:to|will|should|must|agreed to)\s+\w", re.M)
_TABLE_ACTION = ("action", "task", "what", "gweithred")
_TABLE_OWNER = ("owner", "lead", "responsible", "who", "agency", "by whom", "person", "pwy")
_TABLE_DUE = ("due", "by when", "deadline", "target", "date", "timescale", "when", "erbyn")


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def _owner_from(text: str) -> str:
    m = _OWNER_INLINE.search(text)
    if m:
        raw = m.group("o") or m.group("o2") or ""
        return agency_of(raw) or raw.strip()
    m = _LEADING_OWNER.match(text)
    if m and (agency_of(m.group("o")) or re.search(r"\b(?:SW|CSC|SPOC)\b", m.group("o"))):
        return agency_of(m.group("o"))
    return ""


def _make(lay: Layout, text: str, start: int, owner_text: str, due_text: str, due_start: int,
          meeting: date | None, next_review: date | None, today: date) -> Action | None:
    clean = text.strip(" -•·*\t")
    if len(clean) < 8 or not re.search(r"[a-z]{3}", clean):
        return None
    owner = agency_of(owner_text) or owner_text.strip() or _owner_from(clean)
    due_hit = find_deadline(due_text, meeting, next_review, today) if due_text else None
    due: Found[date] | None
    if due_hit is not None:
        due = Found(due_hit.value, _span(lay, due_start + due_hit.start, due_start + due_hit.end), due_hit.confidence)
    else:
        hit = find_deadline(clean, meeting, next_review, today)
        off = start + (len(text) - len(text.lstrip(" -•·*\t")))
        due = Found(hit.value, _span(lay, off + hit.start, off + hit.end), hit.confidence) if hit else None
    for_cs = is_childrens_services(owner_text) or owner == "Children's Services" or (
        not owner_text and bool(re.match(r"^\s*(?:\d+[.)]?\s+)?(?:the\s+)?(?:allocated\s+)?(?:children|csc|social worker|sw\b|cs\b)",
                                         clean, re.I)))
    off = start + (len(text) - len(text.lstrip(" -•·*\t")))
    return Action(Found(clean, _span(lay, off, off + len(clean)), 0.8), owner, due, for_cs)


def actions(lay: Layout, meeting: date | None, next_review: date | None, today: date) -> tuple[Action, ...]:
    out: list[Action] = []
    used: set[int] = set()
    for table in lay.tables:
        a_col = table.column(*_TABLE_ACTION)
        if not table.header or a_col is None:
            continue
        o_col = table.column(*_TABLE_OWNER)
        d_col = table.column(*_TABLE_DUE)
        for row in table.rows:
            cells = row.cells
            if a_col >= len(cells):
                continue
            text, sp = cells[a_col]
            owner_text = cells[o_col][0] if o_col is not None and o_col < len(cells) else ""
            due_text, due_start = ("", 0)
            if d_col is not None and d_col < len(cells) and d_col != a_col:
                due_text, due_start = cells[d_col][0], cells[d_col][1].start
            act = _make(lay, text, sp.start, owner_text, due_text, due_start, meeting, next_review, today)
            if act:
                out.append(act)
                used.add(row.index)
    for first, last in _action_spans(lay):
        items = _section_items(lay, first, last, used)
        for text, start, owner_text in items:
            if not looks_like_action(text) and not owner_text:
                continue
            act = _make(lay, text, start, owner_text, "", 0, meeting, next_review, today)
            if act:
                out.append(act)
    for text, start in agreed_in_prose(lay):
        act = _make(lay, text, start, "", "", 0, meeting, next_review, today)
        if act:
            out.append(act)
    for line in lay.lines:
        if line.index in used:
            continue
        m = _INLINE.match(line.text)
        if m:
            act = _make(lay, line.text[m.end():], line.start + m.end(), "", "", 0, meeting, next_review, today)
            if act:
                out.append(act)
                used.add(line.index)
    return _distinct(out)


def _distinct(acts: list[Action]) -> tuple[Action, ...]:
    """One action once, however many ways it was read ("Action: X" as a list item and as an inline line)."""
    seen: set[str] = set()
    out: list[Action] = []
    for a in acts:
        key = " ".join(re.findall(r"[a-z0-9]+", _INLINE.sub("", a.text.value).lower()))
        if key not in seen:
            seen.add(key)
            out.append(a)
    return tuple(out)


_BULLET = re.compile(r"^\s*(?:[-•·*▪◦–]|\d{1,2}[.)]?|\(?[a-z][.)])\s+(?=[A-Z])")
_OWNER_ONLY = re.compile(r"^\s*(?:[A-Z][\w'’&/ ()]{0,40})\s*$")
_ACTION_VERB = re.compile(
    r"^\s*(?:[-•·*▪◦–]\s*|\d{1,2}[.)]?\s+)?(?:the\s+)?(?P<who>[A-Za-z][\w'’&/() .-]{0,60}?)\s+"
    r"(?:to|will|should|must|shall|agreed to|is to|are to|needs? to|has agreed to|i|)\s+[a-z]{2,}",
)
_NOT_ACTION = re.compile(r"^\s*(?:next (?:review|meeting)|date|signed|chair|minutes?|page \d|meeting closed|"
                         r"action\s+owner|action\s*\|)", re.I)


# An action written imperative after its owner, as an "Owner | Action" table reads without its ruling.
IMPERATIVES = (
    "Complete", "Notify", "Arrange", "Apply", "Update", "Source", "Share", "Undertake", "Visit", "Contact", "Refer",
    "Inform", "Liaise", "Convene", "Check", "Confirm", "Provide", "Request", "Consider", "Ensure", "Review", "Attend",
    "Make", "Carry", "Conduct", "Send", "Submit", "Discuss", "Explore", "Seek", "Obtain", "Record", "Monitor", "Chase",
    "Invite", "Book", "Organise", "Organize", "Circulate", "Speak", "Continue", "Hold", "Offer", "Write", "Advise",
    "Assess", "Identify", "Support", "Share", "Gather", "Establish", "Agree", "Escalate", "Notify", "Progress",
)
_OWNER_THEN_VERB = re.compile(r"^(?P<o>[A-Z][\w'’&/() ]{1,40}?)\s+(?=(?:" + "|".join(sorted(set(IMPERATIVES))) + r")\b)")


_OWNER_COLON = re.compile(r"^\s*(?P<o>[A-Z][\w'’&/() ]{1,40}?)\s*:\s+(?=[A-Z])")
# "It was agreed that: CSC will notify the school; Police will visit": the panel's decisions in one sentence
_AGREED = re.compile(r"\b(?:it was|the panel|the meeting|members|all)\s+agreed\s*(?:that)?\s*:?\s*", re.I)


def agreed_in_prose(lay: Layout) -> list[tuple[str, int]]:
    """(item, start) for each decision listed after "it was agreed that" in a paragraph."""
    out: list[tuple[str, int]] = []
    for ptext, pstart, _ in lay.paragraphs():
        m = _AGREED.search(ptext)
        if not m:
            continue
        body_end = ptext.find(". ", m.end())
        body = ptext[m.end(): body_end if body_end >= 0 else len(ptext)]
        pos = m.end()
        for piece in re.split(r";\s*|\s+and\s+(?=[A-Z][\w'’ ]{1,30}\s+(?:will|to|should)\s)", body):
            idx = ptext.find(piece, pos)
            if idx >= 0 and piece.strip() and looks_like_action(piece.strip()):
                out.append((piece.strip().rstrip("."), pstart + idx))
                pos = idx + len(piece)
    return out


def looks_like_action(text: str) -> bool:
    """"X to do Y": an owner (agency, role or person) followed by what they will do."""
    if _NOT_ACTION.match(text):
        return False
    m = _ACTION_VERB.match(text)
    if not m:
        return bool(_INLINE.match(text))
    who = m.group("who")
    return bool(agency_of(who) or is_childrens_services(who) or re.search(
        r"\b(?:officer|manager|worker|chair|coordinator|co-ordinator|POM|COM|SPOC|rep|representative|lead|team|"
        r"service|unit|agency|all|panel|MAPPA|[A-Z][a-z]+ [A-Z]{2,})\b", who))


def _action_spans(lay: Layout) -> list[tuple[int, int]]:
    """Line ranges of the actions sections. A short line holding only an owner ("Social Worker
    Ongoing") looks like a heading but is a row of the table above: the section goes on."""
    spans: list[tuple[int, int]] = []
    open_span = False
    for section in lay.sections:
        if ACTION_SECTION.search(section.title):
            spans.append((section.first, section.last))
            open_span = True
        elif open_span and _owner_part(lay.lines[section.heading_line].text):
            spans[-1] = (spans[-1][0], section.last)
        else:
            open_span = False
    return spans


def _owner_part(line: str) -> str:
    """The owner when a line holds only an owner, perhaps with its due date ("CSC (Jo Farrant) 28th Apr.
    2025", "Police Ongoing"): the rest of a row of an "Action | Owner | Due" table read as text."""
    t = line.strip()
    hits = find_dates(t)
    if hits and hits[-1].end >= len(t) - 1:
        t = t[:hits[-1].start].rstrip(" ,-–|")
    t = re.sub(r"\s+(?:ongoing|monthly|weekly|fortnightly|tbc|asap|immediately|by next meeting|next meeting)\s*$", "",
               t, flags=re.I)
    if t and _OWNER_ONLY.match(t) and len(t) <= 30 and (agency_of(t) or is_childrens_services(t)):
        return t
    return ""


def _section_items(lay: Layout, first: int, last: int, used: set[int]) -> list[tuple[str, int, str]]:
    """(item text, start, owner text) for each item in an actions section.

    An item is a bulleted or numbered line with its wrapped continuation lines, or a whole
    paragraph; a short paragraph that holds only an agency ("CSC", "CS rep"), as PDF text makes
    of an owner column, becomes the owner of the item before it.
    """
    text = lay.doc.text
    items: list[list[int]] = []  # [start, end, owner_start, owner_end]
    prev_block = -2
    for line in lay.lines[first:last]:
        if line.index in used or line.cells or (line.index in lay.headings and not _owner_part(line.text)):
            continue
        t = line.text
        owner_part = _owner_part(t)
        if owner_part and items:
            items[-1][2:] = [line.start, line.start + len(owner_part)]
            prev_block = line.block_index
            continue
        new_item = bool(_BULLET.match(t)) or line.block_index != prev_block or not items
        if not new_item and items and t[:1].isupper() and text[items[-1][1] - 1] in ".!?" and looks_like_action(t):
            new_item = True
        if new_item:
            items.append([line.start, line.end, -1, -1])
        else:
            items[-1][1] = line.end
        prev_block = line.block_index
    out: list[tuple[str, int, str]] = []
    for s, e, os_, oe in items:
        raw = text[s:e]
        lead = _BULLET.match(raw)
        off = lead.end() if lead else 0
        item = raw[off:].replace("\n", " ")
        owner = text[os_:oe] if os_ >= 0 else ""
        # "... – Children's Social Care – 13-Aug-2025": the owner is a later part (dates may hold hyphens)
        parts = re.split(r"\s[-–|]\s+", item)
        if not owner and len(parts) > 1:
            owner = next((p.strip() for p in parts[1:] if len(p.strip()) <= 60 and agency_of(p)), "")
        colon = _OWNER_COLON.match(item)
        if not owner and colon and (agency_of(colon.group("o")) or is_childrens_services(colon.group("o"))):
            owner = colon.group("o")  # "Children's Social Care: Notify the DSL..."
        lead_owner = _OWNER_THEN_VERB.match(item)
        if not owner and lead_owner and (agency_of(lead_owner.group("o")) or is_childrens_services(lead_owner.group("o"))):
            owner = lead_owner.group("o")  # "CSC Notify the DSL...": an Owner | Action table read as text
        out.append((item, s + off, owner))
    return out
