"""Agendas and case lists: one subject per listed person.

Lists come as tables (with or without a header row), numbered items or one line per person.
Each listed person gets a record check, so a missed row is a person nobody warns the social
worker about: rows are read from every layout, and whether the case is new or a review comes
from a column, the row's own words, or the section it sits under ("New referrals").
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extract.dates import find_dates
from extract.facts import Found, Subject
from extract.fields.layout import Layout, Table
from extract.fields.lexicon import category_in, level_in
from extract.fields.names import name_at_start, names_in, plausible_name, same_person
from extract.fields.people import ATTENDANCE_SECTION
from extract.identifiers import find_identifiers
from extract.model import Span

NEW_RX = re.compile(r"\bnew\b|\binitial\b|\bfirst\b|\breferral\b|\bnewydd\b", re.I)
REVIEW_RX = re.compile(r"\breview\b|\bongoing\b|\bexisting\b|\bfollow[- ]up\b|\badolygu\b", re.I)
_NOT_PERSON_TABLE = re.compile(r"\b(?:role|organisation|organization|relationship|child|action|owner|job title|attend\w*)\b")
_SUBJECT_COLUMNS = re.compile(r"\b(?:dob|d o b|date of birth|born|pnc|cro|crn|nomis|prison no|level|lvl|cat|category|new|review|"
                              r"offence|case type|mappa)\b")
_ALIAS_IN_CELL = re.compile(r"\(?\b(?:a\.?k\.?a\.?|also known as|alias|known as)\s*[:\-]?\s*(?P<a>[^)|,;]{2,40})\)?", re.I)


def is_subject_list(header: tuple[str, ...]) -> bool:
    """A table listing MAPPA subjects: a name column beside dates of birth, identifiers or levels."""
    h = " | ".join(header)
    has_name = bool(re.search(r"\b(?:name|surname|forenames?|subject|offender|nominal|person|individual|enw)\b", h))
    return has_name and bool(_SUBJECT_COLUMNS.search(h))


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def _new_case(text: str) -> bool | None:
    n, r = NEW_RX.search(text), REVIEW_RX.search(text)
    if n and not r:
        return True
    if r and not n:
        return False
    if n and r:
        return n.start() < r.start()
    return None


def _subject_from_text(lay: Layout, text: str, offset: int, name: tuple[str, int, int], today: date,
                       section_title: str, type_text: str | None = None) -> Subject:
    nm, s, e = name
    rest = text[e - offset:] if e - offset >= 0 else text
    rest_off = e
    dob = None
    for h in find_dates(rest, today):
        if h.value < today and today.year - h.value.year >= 10:
            dob = Found(h.value, _span(lay, rest_off + h.start, rest_off + h.end), 0.85)
            break
    ids = {k: (v, a, b) for k, a, b, v in reversed(find_identifiers(text))}
    def found_id(kind: str) -> Found[str] | None:
        if kind not in ids:
            return None
        v, a, b = ids[kind]
        return Found(v, _span(lay, offset + a, offset + b), 0.85)
    lv = level_in(rest)
    cat = category_in(rest)
    level = Found(lv[0], _span(lay, rest_off + lv[1], rest_off + lv[2]), 0.85) if lv else None
    category = Found(cat[0], _span(lay, rest_off + cat[1], rest_off + cat[2]), 0.85) if cat else None
    new = _new_case(type_text) if type_text is not None else None
    if new is None:
        new = _new_case(rest)
    if new is None:
        new = _new_case(section_title)
    return Subject(name=Found(nm, _span(lay, s, e), 0.85), aliases=_aliases_in(lay, rest[:80], rest_off), dob=dob, pnc=found_id("PNC"), cro=found_id("CRO"),
                   prison_number=found_id("PRISON_NUMBER"), crn=found_id("CRN"), visor=found_id("VISOR"),
                   mappa_level=level, mappa_category=category, new_case=new)


def _unwrap_surname(cell: str) -> str:
    """A surname a narrow PDF column broke across lines: "FERREIRA- HART", "RAMSBOTT OM"."""
    cell = re.sub(r"(?<=[A-Za-z])-\s+(?=[A-Za-z])", "-", cell.strip())
    return re.sub(r"^([A-Z]{3,}) ([A-Z]{1,3})$", r"\1\2", cell)


def _cell_int(text: str) -> int | None:
    m = re.search(r"(?<![\d/])([123])(?![\d/])|\b(one|two|three)\b", text, re.I)
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else {"one": 1, "two": 2, "three": 3}[m.group(2).lower()]


def _columns(lay: Layout, table: Table, cells: tuple[tuple[str, Span], ...], subj: Subject) -> Subject:
    """Values from the row's own columns win over values found anywhere in the row."""
    changes: dict[str, object] = {}
    for key, words in (("mappa_level", ("level", "lvl", "lefel")), ("mappa_category", ("cat", "category", "categori"))):
        col = table.column(*words)
        if col is not None and col < len(cells):
            n = _cell_int(cells[col][0])
            sp = cells[col][1]
            changes[key] = Found(n, _span(lay, sp.start, sp.end), 0.9) if n else None
    col = table.column("new", "type", "status", "case type")
    if col is not None and col < len(cells):
        v = cells[col][0].strip()
        if re.match(r"^(?:n|new|newydd)\b", v, re.I):
            changes["new_case"] = True
        elif re.match(r"^(?:r|rev|review|adolygu)\b", v, re.I):
            changes["new_case"] = False
    col = table.column("dob", "d o b", "date of birth", "born", "dyddiad geni")
    if col is not None and col < len(cells):
        hits = find_dates(cells[col][0])
        sp = cells[col][1]
        if hits:
            changes["dob"] = Found(hits[0].value, _span(lay, sp.start + hits[0].start, sp.start + hits[0].end), 0.92)
    name_col = table.column("name", "subject", "offender", "nominal", "person", "individual", "enw")
    if name_col is not None and name_col < len(cells):
        aliases = _aliases_in(lay, cells[name_col][0], cells[name_col][1].start)
        if aliases:
            changes["aliases"] = aliases
    return replace(subj, **changes) if changes else subj  # type: ignore[arg-type]


def _aliases_in(lay: Layout, text: str, offset: int) -> tuple[Found[str], ...]:
    out = []
    for m in _ALIAS_IN_CELL.finditer(text):
        a = m.group("a").strip()
        out.append(Found(a, _span(lay, offset + m.start("a"), offset + m.start("a") + len(a)), 0.85))
    return tuple(out)


def agenda_subjects(lay: Layout, today: date, exclude: list[str]) -> tuple[Subject, ...]:
    subjects: list[Subject] = []
    used: set[int] = set()

    def add(subj: Subject) -> None:
        if any(same_person(subj.name.value, x) for x in exclude):
            return
        for i, prev in enumerate(subjects):
            if same_person(prev.name.value, subj.name.value) and (
                prev.dob is None or subj.dob is None or prev.dob.value == subj.dob.value):
                if prev.dob is None and subj.dob is not None:
                    subjects[i] = subj
                return
        subjects.append(subj)

    for table in lay.tables:
        h = " | ".join(table.header)
        if table.header and not is_subject_list(table.header) and _NOT_PERSON_TABLE.search(h):
            continue
        name_col = table.column("name", "subject", "offender", "nominal", "case", "person", "individual", "enw") \
            if table.header else None
        type_col = table.column("new", "type", "status", "case type", "reason", "math") if table.header else None
        sur_col = table.column("surname", "family name", "last name", "cyfenw") if table.header else None
        fore_col = table.column("forename", "first name", "given name", "christian name") if table.header else None
        for row in table.rows:
            sec = lay.section_of(row.index)
            if sec and ATTENDANCE_SECTION.search(sec.title):
                continue
            got = None
            if sur_col is not None and fore_col is not None and max(sur_col, fore_col) < len(row.cells):
                (sn, ssp), (fn, fsp) = row.cells[sur_col], row.cells[fore_col]
                joined = f"{fn.strip()} {_unwrap_surname(sn)}"
                if sn.strip() and fn.strip() and plausible_name(joined):
                    got = (joined, min(ssp.start, fsp.start), max(ssp.end, fsp.end))
            if got is None and name_col is not None and name_col < len(row.cells):
                cell, sp = row.cells[name_col]
                g = name_at_start(cell)
                if g:
                    got = (g[0], sp.start + g[1], sp.start + g[2])
            if got is None and not table.header:
                if not (find_dates(row.text, today) or find_identifiers(row.text)):
                    continue
                for cell, sp in row.cells:
                    g = name_at_start(cell)
                    if g:
                        got = (g[0], sp.start + g[1], sp.start + g[2])
                        break
            if got is None:
                continue
            type_text = row.cells[type_col][0] if type_col is not None and type_col < len(row.cells) else None
            subj = _subject_from_text(lay, row.text, row.start, got, today, sec.title if sec else "", type_text)
            subj = _columns(lay, table, row.cells, subj)
            add(subj)
            used.add(row.index)
    for start, end, idxs in _numbered_groups(lay, used):
        text, where = _rejoined(lay.doc.text[start:end])
        sec = lay.section_of(idxs[0])
        names = names_in(text[:90])
        if names and _listed_person_line(text, today):
            nm, a, b = names[0]
            subj = _subject_from_text(lay, text, 0, (nm, a, b), today, sec.title if sec else "")
            span = _span(lay, start + where[a], start + where[b - 1] + 1)
            add(replace(subj, name=Found(nm, span, subj.name.confidence), dob=_shift(lay, subj.dob, start, where)))
            used.update(idxs)
    for subj in _labelled_cases(lay, today):
        add(subj)
    for line in lay.lines:
        if line.index in used or line.cells or line.index in lay.headings:
            continue
        sec = lay.section_of(line.index)
        if sec and ATTENDANCE_SECTION.search(sec.title):
            continue
        if not _listed_person_line(line.text, today):
            continue
        names = names_in(line.text, line.start)
        if not names:
            continue
        add(_subject_from_text(lay, line.text, line.start, names[0], today, sec.title if sec else ""))
    return tuple(subjects)


# A case reference leading a row ("M25-101 ELLWOOD Trevor ..."): a table row read as text.
_REF_LED = re.compile(r"^\s*[A-Z]{1,3}\d{1,4}[-/]\d{1,4}\s+(?=[A-Z])")
_NUMBERED_NAME = re.compile(r"^\s*(?:item\s+)?\d{1,2}[.):]?\s+(?:(?:case|subject|name|nominal|poi|person|offender|re)"
                            r"\s*\d{0,2}\s*[:\-–]\s*)?(?=\S)", re.I)


def _rejoined(raw: str) -> tuple[str, list[int]]:
    """A row's text with the breaks a narrow PDF column made undone ("ACHEAMPO\nNG" -> "ACHEAMPONG",
    an unmappable hyphen glyph -> "-"), and for each character its offset in ``raw``."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(raw):
        m = re.match(r"\n+(?=[A-Z]{1,3}(?:\n|$))", raw[i:]) if i >= 3 and re.fullmatch(r"[A-Z]{3}", raw[i - 3:i]) else None
        if m:
            i += m.end()
            continue
        ch = raw[i]
        out.append("-" if ch in "\ufffe\u00ad\u2010" else " " if ch == "\n" else ch)
        where.append(i)
        i += 1
    where.append(len(raw))
    return "".join(out), where


def _shift(lay: Layout, found: Found[date] | None, start: int, where: list[int]) -> Found[date] | None:
    """A value found in rejoined text, with its span moved back onto the document."""
    if found is None or found.span is None:
        return found
    a, b = found.span.start, found.span.end
    return Found(found.value, _span(lay, start + where[a], start + where[max(a, b - 1)] + 1), found.confidence)


def _numbered_groups(lay: Layout, used: set[int]) -> list[tuple[int, int, list[int]]]:
    """Rows of a list numbered "1 NAME ...", with the lines that follow each number.

    A landscape table read from PDF text without its ruling comes out as one numbered line per
    person followed by that row's remaining cells on lines of their own; grouping by the number
    puts each person's date of birth, PNC ID and level back with their name.
    """
    groups: list[tuple[int, int, list[int]]] = []
    current: list[int] | None = None
    for line in lay.lines:
        if line.index in used or line.cells:
            current = None
            continue
        m = _NUMBERED_NAME.match(line.text)
        ref = _REF_LED.match(line.text)
        if (m and name_at_start(line.text[m.end():]) is not None) or ref:
            current = [line.index]
            groups.append((line.start, line.end, current))
            continue
        if line.index in lay.headings and not (len(line.text) <= 3 and line.text.isupper()):
            current = None
            continue
        if current is not None and len(current) < 6:
            current.append(line.index)
            s, _, idxs = groups[-1]
            groups[-1] = (s, line.end, idxs)
    return groups


def _listed_person_line(t: str, today: date) -> bool:
    if len(t) > 400:
        return False
    has_date = any(h.value < today and today.year - h.value.year >= 10 for h in find_dates(t, today))
    has_id = bool(find_identifiers(t))
    has_level = bool(re.search(r"\b(?:level|L)\s*[123]\b", t, re.I))
    has_type = bool(re.search(r"\b(?:new|review)\b", t, re.I))
    return has_date or has_id or (has_level and has_type)


def _labelled_cases(lay: Layout, today: date) -> list[Subject]:
    """Cases written as a block of labelled lines each ("Case 2" / "Person of interest: ..." /
    "D.O.B: ..." / "MAPPA level: ..."): the values between one subject label and the next
    belong to that person."""
    from extract.fields.subject import DOB_LABEL, ID_LABELS, LEVEL_LABEL, is_subject_label

    kvs = sorted((k for k in lay.kvs if k.source != "table"), key=lambda k: (k.line, k.start))
    starts = [i for i, k in enumerate(kvs)
              if is_subject_label(re.sub(r"^(?:\d{1,2}|item \d{1,2}|[a-z])\s+", "", k.label)) and name_at_start(k.value)]
    out: list[Subject] = []
    for n, i in enumerate(starts):
        head = kvs[i]
        end = starts[n + 1] if n + 1 < len(starts) else len(kvs)
        region = [k for k in kvs[i + 1:end] if k.line - head.line <= 12]
        got = name_at_start(head.value)
        assert got is not None
        name, s, e, _ = got
        changes: dict[str, object] = {}
        # "Case: SMITH, John (01.02.1980) L2 – Review": the rest of the line after the name
        rest, rest_at = head.value[e:], head.start + e
        born = [h for h in find_dates(rest, today) if h.value < today and today.year - h.value.year >= 10]
        if born:
            changes["dob"] = Found(born[0].value, _span(lay, rest_at + born[0].start, rest_at + born[0].end), 0.85)
        lv = level_in(rest)
        if lv:
            changes["mappa_level"] = Found(lv[0], _span(lay, rest_at + lv[1], rest_at + lv[2]), 0.85)
        new_case = _new_case(rest)
        if new_case is not None:
            changes["new_case"] = new_case
        for k in region:
            if DOB_LABEL.match(k.label) and "dob" not in changes:
                hits = [h for h in find_dates(k.value, today) if h.value < today]
                if hits:
                    changes["dob"] = Found(hits[0].value, _span(lay, k.start + hits[0].start, k.start + hits[0].end), 0.9)
            elif (LEVEL_LABEL.match(k.label) or k.label.endswith(" level")) and "mappa_level" not in changes:
                lv = level_in(k.value) or level_in(f"level {k.value.strip()}")
                if lv:
                    changes["mappa_level"] = Found(lv[0], _span(lay, k.start, k.end), 0.9)
            elif re.search(r"\b(?:category|cat)\b", k.label) and "mappa_category" not in changes:
                cat = category_in(k.value) or category_in(f"category {k.value.strip()}")
                if cat:
                    changes["mappa_category"] = Found(cat[0], _span(lay, k.start, k.end), 0.9)
            elif re.search(r"\b(?:reason|type|status|new|review)\b", k.label) and "new_case" not in changes:
                new = _new_case(k.value)
                if new is not None:
                    changes["new_case"] = new
            else:
                for kind, rx in ID_LABELS.items():
                    key = {"PNC": "pnc", "CRO": "cro", "PRISON_NUMBER": "prison_number", "CRN": "crn", "VISOR": "visor"}[kind]
                    if rx.match(k.label) and key not in changes and k.value.strip():
                        v = k.value.strip().split()[0]
                        changes[key] = Found(v, _span(lay, k.start, k.start + len(v)), 0.85)
        subj = Subject(name=Found(name, _span(lay, head.start + s, head.start + e), 0.85))
        out.append(replace(subj, **changes) if changes else subj)  # type: ignore[arg-type]
    return out
