"""Everyone else the document names: who attended (and who of them for children's services),
victims, partners and other adults.

Professionals are told apart from third parties by where they are written (an attendance list,
a signature, a contact line) and by a role or agency beside the name; everyone else named is a
third party whose name must never reach a child's file.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from extract.facts import Found, Person
from extract.fields.layout import Layout, Line
from extract.fields.lexicon import AGENCIES, agency_of, is_childrens_services
from extract.fields.names import clean_name, name_at_start, names_in, plausible_name, same_person
from extract.model import Span

ATTENDANCE_SECTION = re.compile(
    r"\bpresent\b|\battendees?\b|\battendance\b|\battending\b|\bin attendance\b|\bpanel members\b|\bdistribution\b|"
    r"\bcirculation\b|\bapologies\b|\bwho attended\b|\byn bresennol\b|\bmembers\b"
)
ATTENDANCE_LABEL = re.compile(r"^(?:present|attendees|in attendance|attending|apologies|apologies received|chair|"
                              r"minute taker|minutes taken by|chaired by|note taker|those present)$")
ROLE_WORDS = re.compile(
    r"\b(?:officer|manager|worker|chair|coordinator|co-ordinator|administrator|detective|sergeant|constable|inspector|"
    r"lead|representative|rep|nurse|doctor|psychologist|psychiatrist|governor|advisor|adviser|practitioner|head|"
    r"team leader|solicitor|SPOC|POM|COM|DS|DC|PC|DI|DCI|minute taker|clerk|analyst|liaison)\b",
    re.I,
)
SIGN_OFF = re.compile(r"(?m)^\s*(?:yours sincerely|yours faithfully|kind regards|regards|signed|signature|author|completed by|"
                      r"prepared by|contact officer|contact name|referrer(?:'s)? name|referring officer)\b[,.:]?", re.I)
VICTIM_RX = re.compile(r"\b(?:victims?|complainants?|injured party|survivor)\b", re.I)
PARTNER_RX = re.compile(r"\b(?:partner|ex-partner|girlfriend|boyfriend|wife|husband|ex-wife|fianc[ée]e?|spouse|"
                        r"mother|father|mum|dad|sister|brother|neighbour|friend|associate|co-defendant|lodger)\b", re.I)


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def _entries(lay: Layout) -> list[tuple[Line, str, int]]:
    """(line, entry text, entry offset) for each attendance entry, whatever the layout."""
    out: list[tuple[Line, str, int]] = []
    for section in lay.find_sections(ATTENDANCE_SECTION):
        if re.search(r"apolog", section.title) and not re.search(r"present|attend", section.title):
            kind_lines = lay.lines_in(section)
        else:
            kind_lines = lay.lines_in(section)
        for line in kind_lines[:80]:
            if line.cells:
                out.append((line, line.text, line.start))
            elif len(line.text) <= 200:  # a long paragraph is prose that follows the list, not an entry
                out.extend(_split_entries(line, line.text, line.start))
    for kv in lay.kv(ATTENDANCE_LABEL):
        line = lay.lines[kv.line]
        out.extend(_split_entries(line, kv.value, kv.start))
    for table in lay.tables:
        h = " | ".join(table.header)
        if table.header and re.search(r"\b(?:role|agency|organisation|organization|title|job|service|designation)\b", h) \
                and not re.search(r"\b(?:dob|d o b|date of birth|pnc|level|cat|category|new|review|offence|action|task|"
                                  r"due|deadline|by when|owner)\b", h):
            col = table.column("name", "attendee", "person", "enw") or 0
            for row in table.rows:
                if col < len(row.cells):
                    cell, span = row.cells[col]
                    rest = " | ".join(c for i, (c, _) in enumerate(row.cells) if i != col)
                    out.append((row, f"{cell} | {rest}", span.start))
    return out


# Straight after a name, a date of birth or a child's relationship: a person listed, not attending.
_NOT_ATTENDEE = re.compile(r"^\s*[(,–-]?\s*(?:d\.?\s?o\.?\s?b\.?|born|date of birth|aged\s+\d|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
                           r"(?:his|her)\s+(?:son|daughter|step)|son\b|daughter\b|step-?(?:son|daughter))", re.I)


def _split_entries(line: Line, text: str, offset: int) -> list[tuple[Line, str, int]]:
    """ "Jane DOE (Police), Sam LEE (CSC); ..." -> one entry per person."""
    parts: list[tuple[Line, str, int]] = []
    pos = 0
    for piece in re.split(r"(?<=\))\s*[,;]\s*|;\s*|\s{3,}|\t", text):
        idx = text.find(piece, pos)
        if idx < 0:
            continue
        pos = idx + len(piece)
        if piece.strip():
            parts.append((line, piece, offset + idx))
    return parts


def attendees(lay: Layout) -> tuple[list[Person], list[Found[str]]]:
    """(professionals named as attendees or contacts, children's services attendees)."""
    pros: list[Person] = []
    cs: list[Found[str]] = []
    seen: list[str] = []
    for _line, entry, offset in _entries(lay):
        got = name_at_start(re.sub(r"^[\s•·\-–*\d.)]+", lambda m: " " * len(m.group(0)), entry))
        if not got:
            continue
        name, s, e, _ = got
        if any(same_person(name, x) for x in seen) or _NOT_ATTENDEE.match(entry[e:e + 40]):
            continue
        seen.append(name)
        role_text = entry[e:].strip(" ,-–:()|")
        agency = agency_of(role_text) or agency_of(entry)
        role = role_text[:80] if role_text else agency
        pros.append(Person(Found(name, _span(lay, offset + s, offset + e), 0.85), role or "professional", True))
        if is_childrens_services(role_text) or is_childrens_services(entry[e:]):
            label = f"{name} ({role_text.strip()[:80]})" if role_text.strip() else name
            cs.append(Found(label, _span(lay, offset + s, offset + len(entry.rstrip())), 0.85))
    return pros, cs


def signatories(lay: Layout) -> list[Person]:
    """People signing or named as contacts ("Yours sincerely, ...", "Contact: ...")."""
    out: list[Person] = []
    text = lay.doc.text
    for m in SIGN_OFF.finditer(text):
        seg = text[m.end():m.end() + 160]
        for name, s, e in names_in(seg, m.end())[:1]:
            out.append(Person(Found(name, _span(lay, s, e), 0.75), "professional", True))
    for line in lay.lines:
        if ROLE_WORDS.search(line.text) and any(rx.search(line.text) for _, rx in AGENCIES) and len(line.text) < 140:
            for name, s, e in names_in(line.text, line.start)[:2]:
                after = text[e:e + 60]
                tied = re.match(r"^\s*(?:\(|,|[-–]|\|)\s*(?P<r>[^)\n]{2,50})", after)
                # the role is what follows the name up to the next separator, never a listed
                # person's "– 09/10/1978 – Level 3 – new (Police lead)"
                role = re.split(r"\s[-–|]\s|\(|\d", tied.group("r"))[0] if tied else ""
                if tied and (ROLE_WORDS.search(role) or any(rx.search(role) for _, rx in AGENCIES)):
                    out.append(Person(Found(name, _span(lay, s, e), 0.6), "professional", True))
    return out


def third_parties(lay: Layout, nlp_doc: Doc | None, known: list[str]) -> list[Person]:
    """Named people who are not the subject, a linked child or a professional."""
    text = lay.doc.text
    out: list[Person] = []
    names: list[tuple[str, int, int]] = []
    for line in lay.lines:
        names.extend(names_in(line.text, line.start))
    if nlp_doc is not None:
        for ent in nlp_doc.ents:
            if ent.label_ == "PERSON":
                n, _ = clean_name(ent.text)
                if plausible_name(n):
                    names.append((n, ent.start_char, ent.end_char))
    seen = list(known)
    for name, s, e in sorted(names, key=lambda x: x[1]):
        if any(same_person(name, x) for x in seen):
            continue
        seen.append(name)
        context = text[max(0, s - 80):e + 60]
        if VICTIM_RX.search(context):
            role = "victim"
        elif PARTNER_RX.search(context):
            role = "partner" if re.search(r"partner|girlfriend|boyfriend|wife|husband|spouse|fianc", context, re.I) else "other"
        elif ROLE_WORDS.search(text[e:e + 50]) or (agency_of(text[e:e + 50]) and "(" in text[e:e + 3]):
            out.append(Person(Found(name, _span(lay, s, e), 0.6), "professional", True))
            continue
        else:
            role = "other"
        out.append(Person(Found(name, _span(lay, s, e), 0.7), role, False))
    return out
