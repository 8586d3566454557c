"""The MAPPA subject of a single-subject document (minutes, invitation, prison letter, referral).

Name candidates come from several independent sources and are pooled: labelled values ("Re:",
"Name:", "Offender:", "Prisoner:", a key-value table), the title line, a name written with a
date of birth beside it, a person the records store already knows, and spaCy's most-mentioned
PERSON. Agreement between sources raises confidence; a name only spaCy proposes stays low so
the document goes to review rather than a summary naming the wrong adult.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from spacy.tokens import Doc

from extract.dates import find_dates
from extract.facts import Found, Subject
from extract.fields.layout import Layout
from extract.fields.lexicon import REGISTERED_SEX_OFFENDER_RX, category_in, level_in
from extract.fields.names import clean_name, name_at_start, names_in, plausible_name, same_person
from extract.identifiers import find_identifiers
from extract.matching import KnownRecords, fold, name_similarity
from extract.model import Span

SUBJECT_LABEL = re.compile(
    r"^(?:re|ref|regarding|name|full name|subject|subject name|subject's name|name of subject|offender|offender name|"
    r"offender's name|name of (?:the )?(?:offender|subject|prisoner|person|individual|nominal)|prisoner|prisoner name|"
    r"prisoner's name|mappa subject|mappa nominal|nominal|nominal name|individual|person|person discussed|case|case name|"
    r"service user|person on probation|person on probation pop|pop|poi|person of interest|person of interest poi|subject of (?:the )?(?:meeting|referral|notification)|enw|enw'r troseddwr|"
    r"offender details|subject details|name of offender)$"
)
_SUBJECTISH = re.compile(r"\b(?:name|subject|offender|prisoner|nominal|young person|individual|service user|perpetrator|"
                        r"person|adult|enw)\b")
_NOT_SUBJECTISH = re.compile(
    r"\b(?:child|children|victim|partner|officer|manager|worker|chair|author|referrer|referring|contact|mother|father|"
    r"school|gp|agency|sw|social|police|probation|staff|professional|taker|sender|signed|by|lead|pom|com|parent|carer|"
    r"sibling|establishment|prison|hostel|premises|meeting|panel|team|organisation|role|plentyn|dioddefwr)\b")


def is_subject_label(label: str) -> bool:
    """A label that introduces the subject's name, however the author worded it."""
    if SUBJECT_LABEL.match(label):
        return True
    return bool(_SUBJECTISH.search(label)) and not _NOT_SUBJECTISH.search(label) and len(label.split()) <= 5


SURNAME_LABEL = re.compile(r"^(?:surname|family name|last name|cyfenw)$")
FORENAME_LABEL = re.compile(r"^(?:forenames?|first names?|given names?|christian names?|enw cyntaf)(?: \(s\))?$|^forename s$")
DOB_LABEL = re.compile(r"^(?:d\.?\s?o\.?\s?b\.?|dob|date of birth|born|birth date|dyddiad geni)$")
ALIAS_LABEL = re.compile(r"^(?:aka|a k a|a\.k\.a|alias|aliases|also known as|known as|nicknames?|other names?|previous names?|"
                         r"maiden name|alternative names?|alias names?)$")
ADDRESS_LABEL = re.compile(r"^(?:address|home address|current address|last known address|residential address|"
                           r"address on release|release address|cyfeiriad)$")
LEVEL_LABEL = re.compile(r"^(?:mappa )?(?:management )?level(?: of management)?$|^lefel$")
CATEGORY_LABEL = re.compile(r"^(?:mappa )?category$|^categori$")
ID_LABELS: dict[str, re.Pattern[str]] = {
    "PNC": re.compile(r"^pnc(?: id| no| number| ref)?$"),
    "CRO": re.compile(r"^cro(?: no| number)?$"),
    "PRISON_NUMBER": re.compile(r"^(?:prison(?:er)?|nomis|noms|prison ref)(?: no| number| id)?$|^(?:nomis|noms)$"),
    "CRN": re.compile(r"^(?:crn|case reference number|ndelius crn|delius crn)$"),
    "VISOR": re.compile(r"^visor(?: ref| reference| no| number| id)?$"),
}
_IN_TITLE = re.compile(
    r"(?:\bre\b|\bregarding\b|\bin respect of\b|\bconcerning\b|\bsubject\b|\bfor\b|\bprisoner\b|\boffender\b|[–—:-])\s*[:\-–]?\s*",
    re.I,
)
_SUBJECT_PROSE = re.compile(
    r"\b(?:to discuss|discussion (?:of|about|regarding)|in respect of|regarding|concerning|relating to|in relation to|"
    r"the case of|the above[- ]named(?: prisoner| individual| person)?,?|prisoner|offender|subject|Mr|Mrs|Ms|Miss)\s*[:,]?\s+",
    re.I,
)
_ALIAS_PROSE = re.compile(
    r"\b(?:a\.?k\.?a\.?|also known as|known as|alias|nicknamed|goes by|calls himself|calls herself|previously known as|"
    r"n[ée]e)\s*[:\-]?\s*",
    re.I,
)
_DOB_AFTER_NAME = re.compile(r"^\s*(?:\((?:aka|a\.k\.a\.?|also\s+known\s+as|known\s+as|alias)\b[^)]{0,50}\))?\s*[,(\[]?\s*"
                             r"(?:[A-Z]{1,2}\d{4,6}[A-Z]{0,2}\s*[,;]\s*)?"  # "(A2504BM, DOB 02/03/1988)": a prison number first
                             r"(?:(?:d\.?\s?o\.?\s?b\.?|date of birth|born|b\.)\s*[:\-]?\s*)?", re.I)


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def _split_aliases(value: str) -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    pos = 0
    for part in re.split(r"\s*(?:,|;|/|\band\b|\bor\b|\n)\s*", value):
        idx = value.find(part, pos)
        pos = idx + len(part) if idx >= 0 else pos
        p = part.strip(" '\"‘’“”()")
        if not p or re.search(r"\d", p) or len(p) > 40:
            continue
        start = value.find(p, max(0, idx))
        out.append((p, start, start + len(p)))
    return out


_FLAT_HEADER = re.compile(r"^(?:offender|subject|nominal|prisoner|person|poi|full|individual)?\s*(?:'s\s+)?name\b", re.I)
_HEADER_WORDS = frozenset("""name names offender offender's subject nominal prisoner person poi full individual date of
birth dob d o b pnc cro number no id mappa category cat level meeting type prison nomis noms age address gender
ethnicity new review status lead agency crn visor aka alias""".split())  # noqa: SIM905


def subject_name_candidates(lay: Layout, nlp_doc: Doc | None, known: KnownRecords, exclude: set[str]) -> list[tuple[str, Span, float, str]]:
    """(name, span, confidence, source) for every way the document names its subject."""
    text = lay.doc.text
    cands: list[tuple[str, Span, float, str]] = []
    # a headed table with one body row is a form ("Offender name | Date of birth | PNC"), not a list
    form_rows = {t.rows[0].index for t in lay.tables if t.header and len(t.rows) == 1}
    for kv in lay.kv_where(lambda label: is_subject_label(label) or label in known.subject_labels):
        if kv.source == "table" and kv.line not in form_rows:
            continue
        got = name_at_start(kv.value)
        if got:
            name, s, e, _ = got
            cands.append((name, _span(lay, kv.start + s, kv.start + e), 0.92, f"label '{kv.label}'"))
    # a form table read without its ruling: a line of column labels, the values on the next line
    for a, b in zip(lay.lines, lay.lines[1:], strict=False):
        words = re.findall(r"[a-z]+", a.text.lower())
        if a.cells or b.cells or len(words) < 3 or re.search(r"\d", a.text) or not _FLAT_HEADER.match(a.text) or \
                not all(w in _HEADER_WORDS for w in words) or not {"birth", "dob", "pnc", "cro", "nomis", "category"} & set(words):
            continue
        got = name_at_start(b.text)
        if got:
            name, s, e, _ = got
            cands.append((name, _span(lay, b.start + s, b.start + e), 0.85, "label row"))
    surnames = lay.kv(SURNAME_LABEL)
    forenames = lay.kv(FORENAME_LABEL)
    if surnames and forenames:
        sn, fn = surnames[0], forenames[0]
        name = f"{fn.value.strip()} {sn.value.strip()}"
        if plausible_name(name):
            cands.append((name, _span(lay, min(sn.start, fn.start), max(sn.end, fn.end)), 0.9, "forename/surname labels"))
    for line in lay.lines[:6]:
        for m in _IN_TITLE.finditer(line.text):
            got = name_at_start(line.text[m.end():])
            if got:
                name, s, e, _ = got
                cands.append((name, _span(lay, line.start + m.end() + s, line.start + m.end() + e), 0.8, "title"))
    for m in _SUBJECT_PROSE.finditer(text[:30000]):
        got = name_at_start(text[m.end():m.end() + 80])
        if got:
            name, s, e, _ = got
            strong = re.match(r"(?:to discuss|discussion|in respect of|regarding|concerning|relating to|in relation to|"
                              r"the case of|the above)", m.group(0), re.I)
            cands.append((name, _span(lay, m.end() + s, m.end() + e), 0.7 if strong else 0.5, "prose"))
    # A name written with a date of birth straight after it: "John SMITH (DOB 07/05/1980)".
    for name, s, e in names_in(text[:40000]):
        after = text[e:e + 110]
        dm = _DOB_AFTER_NAME.match(after)
        rest = after[dm.end():] if dm else after
        dates = find_dates(rest[:40])
        # a date of birth under ten years ago is a child's: no MAPPA subject is that young
        if dates and dates[0].start == 0 and (dm is None or dm.end() < 70) and \
                dates[0].value.year < date.today().year - 10:
            cands.append((name, _span(lay, s, e), 0.6, "name with date"))
    folded = fold(text[:100000])
    for person in known.people:
        if person.kind != "subject":
            continue
        for n in (person.name, *person.aliases):
            f = fold(n)
            if len(f) > 4 and f in folded:
                cands.append((n, Span(0, 0), 0.7, "known record"))
                break
    if nlp_doc is not None:
        counts: Counter[str] = Counter()
        where: dict[str, tuple[int, int]] = {}
        for ent in nlp_doc.ents:
            if ent.label_ == "PERSON" and plausible_name(ent.text):
                name, _ = clean_name(ent.text)
                counts[name] += 1
                where.setdefault(name, (ent.start_char, ent.end_char))
        for name, count in counts.most_common(3):
            s, e = where[name]
            cands.append((name, _span(lay, s, e), min(0.55, 0.3 + 0.05 * count), "spaCy"))
    return [c for c in cands if not any(same_person(c[0], x) for x in exclude)
            and (c[3].startswith("label") or c[1].end == 0 or not _as_child(text, c[1].end, c[1].start))]


_CHILD_WORD = re.compile(
    r"(?:son|daughter|step-?son|step-?daughter|grandson|granddaughter|nephew|niece|(?:partner|girlfriend|wife)['’]s\s+"
    r"(?:son|daughter|child)|aged\s+(?:1[0-7]|\d)|(?:1[0-7]|\d)\s*(?:yrs?|years?\s+old))$", re.I)
_APPOSITION_WORDS = frozenset({"dob", "d", "o", "b", "born", "his", "her", "their", "the", "a", "is"})


_CHILD_BEFORE = re.compile(r"\b(?:his|her|their|the subject['’]s)\s+(?:(?:young|younger|baby|infant|eldest|youngest)\s+)?"
                           r"(?:son|daughter|step-?son|step-?daughter|grandson|granddaughter|nephew|niece|"
                           r"child|stepchild|grandchild)\s*,?\s*$", re.I)


def _as_child(text: str, end: int, start: int = -1) -> bool:
    """A name written as somebody's child ("Finlay YILMAZ (DOB 16/06/2020, son)", "Tilly, aged 7") is
    not the MAPPA subject, however often it is mentioned. Only the words right after the name
    count: a date of birth, "his", then the relationship or age."""
    if start > 0 and _CHILD_BEFORE.search(text[max(0, start - 40):start]):
        return True  # "his son Yusuf KAVANAGH"
    window = re.split(r"[.;\n]\s|\)", text[end:end + 60] + " ", maxsplit=1)[0]
    for h in reversed(find_dates(window)):
        window = window[:h.start] + " " + window[h.end:]
    words = re.findall(r"[\w'’-]+", window)
    for i in range(len(words)):
        if _CHILD_WORD.match(" ".join(words[i:i + 3])) or _CHILD_WORD.match(" ".join(words[i:i + 2])) or \
                _CHILD_WORD.match(words[i]):
            return all(w.lower() in _APPOSITION_WORDS for w in words[:i])
    return False


def choose_name(cands: list[tuple[str, Span, float, str]], text: str) -> tuple[str, Span, float, list[str]] | None:
    """Pool candidates that name the same person; the best-supported group wins."""
    groups: list[list[tuple[str, Span, float, str]]] = []
    for c in cands:
        for g in groups:
            if name_similarity(c[0], g[0][0]) >= 0.88:
                g.append(c)
                break
        else:
            groups.append([c])
    if not groups:
        return None

    def support(g: list[tuple[str, Span, float, str]]) -> float:
        confs = sorted((c[2] for c in g), reverse=True)
        p_wrong = 1.0
        for conf in confs[:3]:
            p_wrong *= 1 - conf
        return 1 - p_wrong

    groups.sort(key=support, reverse=True)
    best = groups[0]
    top = max(best, key=lambda c: (c[2], c[1].end > 0))
    conf = support(best)
    if len(groups) > 1 and support(groups[1]) > conf - 0.1:
        conf = min(conf, 0.6)
    return top[0], top[1], round(min(conf, 0.99), 3), [c[3] for c in best]


def _dob_for(lay: Layout, name_span: Span, today: date) -> Found[date] | None:
    text = lay.doc.text
    if name_span.end > 0:
        after = text[name_span.end:name_span.end + 110]
        m = _DOB_AFTER_NAME.match(after)
        if m and m.end() < 70:
            hits = find_dates(after[m.end():m.end() + 40], today)
            if hits and hits[0].start == 0 and hits[0].value < today:
                h = hits[0]
                s = name_span.end + m.end() + h.start
                return Found(h.value, _span(lay, s, s + len(h.text)), 0.9)
    line = lay.line_at(name_span.start) if name_span.end > 0 else None
    kvs = lay.kv(DOB_LABEL)
    if line is not None:
        kvs = sorted(kvs, key=lambda k: abs(k.line - line.index))
    for kv in kvs:
        if kv.source == "table" and line is not None and kv.line != line.index:
            continue
        # a value wrapped onto the next line ("D.O.B: Monday, 2 February\n1970") reads on into it
        hits = find_dates(kv.value, today) or [h for h in find_dates(text[kv.start:kv.end + 8], today) if h.start == 0]
        if hits and hits[0].value < today:
            h = hits[0]
            return Found(h.value, _span(lay, kv.start + h.start, kv.start + h.end), 0.9)
    return None


def identifiers_for(lay: Layout) -> dict[str, Found[str]]:
    """Identifiers of the document's subject: labelled ones first, then the first of each kind."""
    out: dict[str, Found[str]] = {}
    for kind, rx in ID_LABELS.items():
        for kv in lay.kv(rx):
            hits = [h for h in find_identifiers(kv.value, validate=False) if h[0] == kind or kind == "VISOR"]
            value = hits[0][3] if hits else kv.value.strip().split()[0] if kv.value.strip() else ""
            if hits:
                s = kv.start + hits[0][1]
                conf = 0.95 if kind != "PNC" or find_identifiers(value) else 0.5
                out[kind] = Found(value, _span(lay, s, s + len(value)), conf)
                break
    for kind, s, e, value in find_identifiers(lay.doc.text):
        if kind in ("PNC", "CRO", "PRISON_NUMBER", "CRN", "VISOR") and kind not in out:
            out[kind] = Found(value, _span(lay, s, e), 0.8)
    return out


def aliases_for(lay: Layout, name: str, name_span: Span) -> tuple[Found[str], ...]:
    out: list[Found[str]] = []
    seen: set[str] = {fold(name)}
    text = lay.doc.text

    def add(alias: str, s: int, e: int, conf: float) -> None:
        f = fold(alias).strip()
        if f and f not in seen and len(f) > 1:
            seen.add(f)
            out.append(Found(alias, _span(lay, s, e), conf))

    for kv in lay.kv(ALIAS_LABEL):
        if re.match(r"^\s*(?:none|n/?a|nil|not known|unknown|-)\s*$", kv.value, re.I):
            continue
        for alias, s, e in _split_aliases(kv.value):
            add(alias, kv.start + s, kv.start + e, 0.9)
    if name_span.end > 0:
        raw = text[name_span.start:name_span.end]
        _, nicks = clean_name(raw)
        for n in nicks:
            i = raw.find(n)
            add(n, name_span.start + i, name_span.start + i + len(n), 0.85)
    for m in _ALIAS_PROSE.finditer(text[:60000]):
        seg = text[m.end():m.end() + 80]
        q = re.match(r"[\"'‘“]([^\"'’”\n]{2,30})[\"'’”]", seg)
        if q:
            add(q.group(1), m.end() + 1, m.end() + 1 + len(q.group(1)), 0.8)
            continue
        got = name_at_start(seg)
        if got:
            alias, s, e, _ = got
            add(alias, m.end() + s, m.end() + e, 0.8)
            continue
        single = re.match(r"([A-Z][a-z]+|[A-Z]{2,})\b", seg)
        if single and len(single.group(1)) > 2:
            add(single.group(1), m.end(), m.end() + len(single.group(1)), 0.6)
    return tuple(out)


def level_category(lay: Layout, region: str | None = None, offset: int = 0) -> tuple[Found[int] | None, Found[int] | None]:
    level: Found[int] | None = None
    cat: Found[int] | None = None
    if region is None:
        for kv in lay.kv(LEVEL_LABEL):
            got = level_in(f"level {kv.value.strip()}") if re.match(r"^\s*(?:[123]|one|two|three)\b", kv.value, re.I) else level_in(kv.value)
            if got:
                level = Found(got[0], _span(lay, kv.start, kv.end), 0.95)
                break
        for kv in lay.kv(CATEGORY_LABEL):
            got = category_in(f"category {kv.value.strip()}") if re.match(r"^\s*(?:[123]|one|two|three)\b", kv.value, re.I) else category_in(kv.value)
            if got:
                cat = Found(got[0], _span(lay, kv.start, kv.end), 0.95)
                break
    text = lay.doc.text if region is None else region
    if level is None:
        got = level_in(text[:80000])
        if got:
            level = Found(got[0], _span(lay, offset + got[1], offset + got[2]), 0.85)
    if cat is None:
        got = category_in(text[:80000])
        if got:
            cat = Found(got[0], _span(lay, offset + got[1], offset + got[2]), 0.85)
        elif region is None:
            m = REGISTERED_SEX_OFFENDER_RX.search(text[:80000])
            if m:
                cat = Found(1, _span(lay, offset + m.start(), offset + m.end()), 0.6)
    return level, cat


def address_for(lay: Layout) -> Found[str] | None:
    for kv in lay.kv(ADDRESS_LABEL):
        value = kv.value.strip()
        if value and not re.match(r"^(?:nfa|n/?a|none|unknown|tbc)$", value, re.I):
            return Found(value, _span(lay, kv.start, kv.start + len(value)), 0.85)
    return None


def single_subject(lay: Layout, nlp_doc: Doc | None, known: KnownRecords, today: date,
                   exclude: set[str]) -> tuple[Subject | None, list[str]]:
    """The one subject of the document, and reasons if unsure."""
    reasons: list[str] = []
    cands = subject_name_candidates(lay, nlp_doc, known, exclude)
    chosen = choose_name(cands, lay.doc.text)
    if chosen is None:
        return None, ["no MAPPA subject name found"]
    name, span, conf, sources = chosen
    if span.end == 0:  # only the records store named them: find where the text says it
        idx = fold(lay.doc.text).find(fold(name))
        if idx >= 0:
            span = _span(lay, idx, idx + len(name))
            name = lay.doc.text[idx: idx + len(name)] if fold(lay.doc.text[idx: idx + len(name)]) == fold(name) else name
    if conf < 0.6:
        reasons.append(f"subject name uncertain: {name!r} ({', '.join(sources)})")
    ids = identifiers_for(lay)
    level, cat = level_category(lay)
    subject = Subject(
        name=Found(name, span, conf),
        aliases=aliases_for(lay, name, span),
        dob=_dob_for(lay, span, today),
        pnc=ids.get("PNC"),
        cro=ids.get("CRO"),
        prison_number=ids.get("PRISON_NUMBER"),
        crn=ids.get("CRN"),
        visor=ids.get("VISOR"),
        address=address_for(lay),
        mappa_level=level,
        mappa_category=cat,
    )
    return subject, reasons
