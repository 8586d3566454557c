"""Children linked to the subject: from tables ("Child | DOB | Relationship") and from prose
("He has two children: Ellie SMITH (d.o.b. 03/02/2015) and Tom SMITH, aged 6").

A person is taken as a linked child only with evidence of childhood (a date of birth or age
under 18 on the meeting date, or a child relationship word) and outside a victim context:
victims who are children are third parties, and must never receive a summary about the man
who harmed them as if they were his family.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

from spacy.tokens import Doc

from extract.dates import find_dates
from extract.facts import Child, Found
from extract.fields.layout import Layout
from extract.fields.lexicon import LOCAL_AUTHORITY_RX, relationship_in
from extract.fields.names import (
    clean_name,
    name_at_start,
    names_in,
    place_follows,
    plausible_name,
    same_person,
)
from extract.matching import fold, name_parts
from extract.model import Span

CHILD_SECTION = re.compile(r"\bchild|\bfamily\b|\bhousehold\b|\bdependants?\b|\bplant\b|\blinked\b|\bsafeguarding\b|\bkids\b")
VICTIM_CONTEXT = re.compile(r"\bvictims?\b|\bcomplainants?\b|\bassaulted\b|\babused\b|\boffence against\b|\bdyddiwr\b", re.I)
_AGE_RX = re.compile(
    r"^\s*[,(\[]?\s*(?:aged?\s*:?\s*(?P<a>\d{1,2})|(?P<b>\d{1,2})\s*(?:years?(?:\s*old)?|yrs?|y/?o)\b|(?P<c>\d{1,2})\s*[)\]])",
    re.I,
)
_AGE_ANY = re.compile(r"\baged?\s*:?\s*(?P<a>\d{1,2})\b|\b(?P<b>\d{1,2})\s*(?:years?\s*old|yrs?\s*old|y/o)\b|\b(?P<m>\d{1,2})\s*months?\s*old\b", re.I)
# A household table read as text: the age is a bare number after the name.
_BARE_AGE = re.compile(r"^[ \t|]+(\d{1,2})(?=[ \t|]+\S|\s*$)")
_FULL_STOP = re.compile(r"(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)\.(?=\s+[A-Z(]|\s*$)|\n\n")
_PAREN = re.compile(r"^\s*\(([^()]{4,60})\)")
_CHILDREN_WORDS = re.compile(r"\bchild(?:ren)?\b|\bkids\b|\bchildren(?:'|’)?s\s+(?:social\s+care|services)\b|\bCSC\b", re.I)
_PARENT_OF = re.compile(r"^['’]s?\s+(?:[\w-]+\s+){0,2}?(?:son|daughter|child|children|kids?|baby|stepson|stepdaughter|"
                        r"step-son|step-daughter|grandson|granddaughter|nephew|niece|boy|girl)s?\b", re.I)
_DOB_LABEL_ANY = re.compile(r"\b(?:d\.?\s?o\.?\s?b\.?|date of birth|born(?: on)?)(?![\w])\s*[:\-]?\s*", re.I)
# "Maisie (daughter), date of birth 02/04/2012": a short parenthesis may sit between name and date.
_DOB_PREFIX = re.compile(r"^\s*(?:\([^()\d]{1,30}\)\s*)?[,(\[]?\s*(?:(?:d\.?\s?o\.?\s?b\.?|date of birth|born(?: on)?|b\.)\s*[:\-]?\s*)?", re.I)


def _age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def _from_tables(lay: Layout, ref: date, today: date) -> list[Child]:
    out: list[Child] = []
    for table in lay.tables:
        h = " | ".join(table.header)
        if not table.header or not re.search(r"child|plentyn|name|enw", h):
            continue
        name_col = table.column("child", "name", "plentyn", "enw")
        dob_col = table.column("dob", "d o b", "date of birth", "born", "dyddiad geni")
        age_col = table.column("age", "oed")
        rel_col = table.column("relationship", "relation", "link", "perthynas", "connection")
        la_col = table.column("local authority", "la", "council", "authority", "area")
        has_child_cue = bool(re.search(r"child|plentyn|relationship|perthynas", h))
        if name_col is None or (dob_col is None and age_col is None and rel_col is None):
            continue
        if not has_child_cue and rel_col is None:
            continue
        for row in table.rows:
            cells = row.cells
            if name_col >= len(cells):
                continue
            cell, cspan = cells[name_col]
            got = name_at_start(cell)
            if not got:
                continue
            name, s, e, _ = got
            dob = age = rel = la = None
            if dob_col is not None and dob_col < len(cells):
                hits = find_dates(cells[dob_col][0], today)
                if hits:
                    sp = cells[dob_col][1]
                    dob = Found(hits[0].value, _span(lay, sp.start + hits[0].start, sp.start + hits[0].end), 0.95)
            if age_col is not None and age_col < len(cells):
                m = re.search(r"\d{1,2}", cells[age_col][0])
                if m:
                    sp = cells[age_col][1]
                    age = Found(int(m.group(0)), _span(lay, sp.start + m.start(), sp.start + m.end()), 0.9)
            if rel_col is not None and rel_col < len(cells) and cells[rel_col][0]:
                rtext, rsp = cells[rel_col]
                rel = Found(rtext.strip(), _span(lay, rsp.start, rsp.end), 0.9)
            if la_col is not None and la_col < len(cells) and cells[la_col][0]:
                ltext, lsp = cells[la_col]
                la = Found(ltext.strip(), _span(lay, lsp.start, lsp.end), 0.85)
            years = age.value if age else (_age_on(dob.value, ref) if dob else None)
            if years is not None and years >= 18:
                continue
            if rel is not None and VICTIM_CONTEXT.search(rel.value):
                continue
            out.append(Child(Found(name, _span(lay, cspan.start + s, cspan.start + e), 0.92), dob, age, rel, la))
    return out


_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)\.(?=\s+[A-Z(]|\s*$)|;|\n\n")
_DIRECT = frozenset({"son", "daughter", "stepson", "stepdaughter", "stepchild", "grandson", "granddaughter", "grandchild",
                     "nephew", "niece", "partner's child", "foster child"})
_PARTNER_BEFORE = re.compile(
    r"(?:relationship with|partner|girlfriend|boyfriend|wife|husband|ex-partner|fianc\w*|lives with|living with|"
    r"cohabit\w*|married to|mother|father|mum|dad|grandmother|grandfather|aunt|uncle|friend|neighbour)"
    r"\s*(?:,\s*)?(?:(?:is|was|named|called|of)\s+)?$",
    re.I,
)


# Between a name and the relationship word after it: the named person is the one who has the
# child ("Claire Brown, who has two young children", "Claire Brown's son", "Claire Brown, mother
# of"), so the word is not this person's relationship to the subject.
_HOLDER = re.compile(r"\bwho\s+(?:has|have|had)\b|^\s*['’]s?\b|\b(?:mother|father|parent|mum|dad|carer)\s+(?:of|to)\b",
                     re.I)


def _persons(nlp_doc: Doc | None) -> list[tuple[int, int, str]]:
    """spaCy's PERSON entities as (start, end, text), in order: read once per document, as
    ``Doc.ents`` builds its list anew on every access."""
    if nlp_doc is None:
        return []
    return [(ent.start_char, ent.end_char, ent.text) for ent in nlp_doc.ents if ent.label_ == "PERSON"]


def _mentions(persons: list[tuple[int, int, str]], text: str, start: int) -> list[tuple[str, int, int]]:
    """Names in one paragraph, from the regex and from spaCy (``_persons``), as absolute spans."""
    found = names_in(text, start)
    if persons:
        end = start + len(text)
        for k in range(bisect.bisect_left(persons, (start,)), len(persons)):
            s, e, ent_text = persons[k]
            if s >= end:
                break
            if e > end:
                continue
            if any(not (e <= a or s >= b) for _, a, b in found):
                continue
            name, _ = clean_name(ent_text.replace("\n", " "))
            if plausible_name(name) and not place_follows(text, e - start):
                found.append((name, s, e))
    found.sort(key=lambda x: x[1])
    return found


def _from_prose(lay: Layout, nlp_doc: Doc | None, ref: date, today: date) -> list[Child]:
    out: list[Child] = []
    persons = _persons(nlp_doc)
    for ptext, pstart, first_line in lay.paragraphs():
        section = lay.section_of(first_line)
        in_child_section = bool(section and CHILD_SECTION.search(section.title))
        mentions = _mentions(persons, ptext, pstart)
        for i, (name, s, e) in enumerate(mentions):
            ls, le = s - pstart, e - pstart
            nxt = mentions[i + 1][1] - pstart if i + 1 < len(mentions) else len(ptext)
            after = ptext[le:min(nxt, le + 70)]
            stop = _SENTENCE_END.search(after)
            if stop:
                after = after[:stop.start()]
            before = ptext[max(0, ls - 100):ls]
            cuts = [m.end() for m in _SENTENCE_END.finditer(before)]
            sentence_before = before[cuts[-1]:] if cuts else before
            if VICTIM_CONTEXT.search(sentence_before) or VICTIM_CONTEXT.search(after[:30]):
                continue
            if _PARTNER_BEFORE.search(sentence_before[-45:]):
                continue
            if _PARENT_OF.match(after):
                continue  # "Chantelle BRAY's daughter": she is the parent, not the child
            dob = age = None
            m = _DOB_PREFIX.match(after)
            rest = after[m.end():] if m else after
            hits = find_dates(rest[:32], today)
            if hits and hits[0].start <= 1 and hits[0].value < min(ref, today):
                ds = e + (m.end() if m else 0) + hits[0].start
                dob = Found(hits[0].value, _span(lay, ds, ds + len(hits[0].text)), 0.9)
            else:  # "Zainab BRAY, his stepdaughter, born 17.11.24" / "Tilly – daughter – DOB 03/09/2017"
                lab = _DOB_LABEL_ANY.search(after[:50])
                hits = find_dates(after[lab.end():lab.end() + 32], today) if lab else []
                if lab and hits and hits[0].start <= 1 and hits[0].value < min(ref, today):
                    ds = e + lab.end() + hits[0].start
                    dob = Found(hits[0].value, _span(lay, ds, ds + len(hits[0].text)), 0.88)
                paren = _PAREN.match(after) if dob is None else None  # "Tilly BRAY (daughter, 12/03/2017)"
                hits = find_dates(paren.group(1), today) if paren else []
                if paren and len(hits) == 1 and hits[0].value < min(ref, today):
                    ds = e + paren.start(1) + hits[0].start
                    dob = Found(hits[0].value, _span(lay, ds, ds + len(hits[0].text)), 0.85)
            am = _AGE_RX.match(after) or _AGE_ANY.search(after[:40])
            if am is not None:
                if am.groupdict().get("m"):
                    age = Found(0, _span(lay, e + am.start(), e + am.end()), 0.8)
                else:
                    raw = next(g for g in (am.groupdict().get(k) for k in ("a", "b", "c")) if g)
                    age = Found(int(raw), _span(lay, e + am.start(), e + am.end()), 0.85)
            close = after.find(")") + 1 if after.lstrip().startswith("(") else 0  # "(DOB ..., granddaughter)"
            rel_after = relationship_in(after[:max(45, min(close, 70))])
            if rel_after is not None and _HOLDER.search(after[: rel_after[1]]):
                rel_after = None
            rel_before = relationship_in(sentence_before)
            bare = _BARE_AGE.match(after) if am is None else None
            if bare and int(bare.group(1)) < 18 and (
                    (rel_before and not sentence_before[rel_before[2]:].strip())  # "niece Rosie HOPCYN 4 ..."
                    or (rel_after and rel_after[1] <= bare.end() + 1)):  # "Macy YILMAZ 10 daughter ..."
                age = Found(int(bare.group(1)), _span(lay, e + bare.start(1), e + bare.end(1)), 0.75)
            rel = None
            if rel_after:
                rel = Found(rel_after[0], _span(lay, e + rel_after[1], e + rel_after[2]), 0.8)
            elif rel_before:
                off = s - len(sentence_before)
                rel = Found(rel_before[0], _span(lay, off + rel_before[1], off + rel_before[2]), 0.75)
            years = age.value if age else (_age_on(dob.value, ref) if dob else None)
            if years is not None and years >= 18:
                continue
            sibling_like = rel is not None and rel.value in ("brother", "sister", "cousin", "half-brother", "half-sister")
            # "information about Reggie MADDOX (12)": an age under 18 in a sentence about children
            long_before = ptext[max(0, ls - 300):ls]
            cuts = [m.end() for m in _FULL_STOP.finditer(long_before)]  # a list goes on after ";"
            about_children = in_child_section or bool(_CHILDREN_WORDS.search(long_before[cuts[-1]:] if cuts else long_before))
            child_evidence = (years is not None and (rel is not None or about_children)) or (
                rel is not None and not sibling_like and (in_child_section or dob is not None))
            if sibling_like and years is None:
                child_evidence = False
            direct = rel is not None and rel.value in _DIRECT and (
                re.search(r"\b(?:his|her|their|the subject's)\s+[\w'’ -]{0,20}$", sentence_before) is not None
                or (rel_after is not None and rel_after[1] < 4))
            weak = False
            if not child_evidence and years is None and direct:
                child_evidence, weak = True, True  # "his grandson Oscar": a child unless told otherwise
            if not child_evidence:
                continue
            la = None
            lm = LOCAL_AUTHORITY_RX.search(ptext[le:le + 150])
            if lm:
                la = Found(lm.group(0).strip(), _span(lay, e + lm.start(), e + lm.end()), 0.7)
            conf = 0.6 if weak else 0.9 if (dob or age) and rel else 0.75
            out.append(Child(Found(name, _span(lay, s, e), conf), dob, age, rel, la))
    return out


def _merge(a: Child, b: Child) -> Child:
    return Child(
        name=a.name if a.name.confidence >= b.name.confidence else b.name,
        dob=a.dob or b.dob,
        age=a.age or b.age,
        relationship=a.relationship or b.relationship,
        local_authority=a.local_authority or b.local_authority,
    )


def _same_adult(child: str, adult: str) -> bool:
    """The child is the subject or a professional under another spelling. A shared surname does
    not make "Megan LEWIS-HARTLEY" the subject "Dean LEWIS-HARTLEY": the first names must start alike."""
    a, b = name_parts(child)[0], name_parts(adult)[0]
    return same_person(child, adult) and (not a or not b or a[0] == b[0])


def _is_excluded(child: Child, adult: str) -> bool:
    """Is this candidate really the subject or a professional written again?

    Names are compared loosely, but a candidate with its own date of birth or age is a
    different person unless the name is the same word for word: "Leo PRICE-DAVIES" (aged 11)
    is not his father "Lee PRICE-DAVIES", whom a one-letter tolerance would confuse him with.
    """
    if not _same_adult(child.name.value, adult):
        return False
    if child.dob is None and child.age is None:
        return True
    return " ".join(fold(child.name.value).split()) == " ".join(fold(adult).split())


def linked_children(lay: Layout, nlp_doc: Doc | None, meeting: date | None, today: date,
                    exclude: list[str]) -> tuple[Child, ...]:
    """Children linked to the subject; ``exclude`` holds the subject's and professionals' names."""
    ref = meeting or today
    found = _from_tables(lay, ref, today) + _from_prose(lay, nlp_doc, ref, today)
    merged: list[Child] = []
    for child in found:
        if any(_is_excluded(child, x) for x in exclude):
            continue
        for i, m in enumerate(merged):
            if same_person(child.name.value, m.name.value) and (
                child.dob is None or m.dob is None or child.dob.value == m.dob.value
            ):
                merged[i] = _merge(m, child)
                break
        else:
            merged.append(child)
    return tuple(merged)
