"""Known people and identifiers, and every way a document may write them.

What the service already knows is the surest thing to scrub: the names, aliases, dates of
birth, addresses and identifiers extracted from this document (``Facts``) and those held in the
records store (``known_identifiers``). A name is looked for in all the shapes minutes use:
"Jane DOE", "Doe, Jane", "Ms Doe's", "J. Doe", "JD", the surname or the given name alone, and,
for names longer than five letters, a one-letter typo ("Jnae Doe" is still Jane Doe).

Names a summary may carry (POLICY.md section 2: the subject, this child, the children's
services staff who attended) are ``allowed``; a variant of a forbidden name that is also part of
an allowed name (the subject's surname shared with his ex-partner) is not looked for alone.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from rapidfuzz.distance import Levenshtein

from extract.facts import Facts
from extract.identifiers import PATTERNS_BY_NAME
from extract.memo import short_text_memo
from redact.model import Reason
from redact.needles import MatchCache, Needle, anchor_of, squash

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Given names and surnames that are also ordinary English words: looked for alone only when
# capitalised in the middle of a sentence, never in lower case (the month May, "will").
WORD_NAMES = frozenset(w.lower() for w in (
    *MONTHS, *DAYS, "Will", "Bill", "Grace", "Hope", "Faith", "Joy", "Rose", "Summer", "Autumn", "Dawn",
    "Sky", "Skye", "Ruby", "Poppy", "Daisy", "Holly", "Ivy", "Lily", "Jade", "Amber", "Crystal", "Honey",
    "Mark", "Dean", "Lee", "Ray", "Roy", "Guy", "Rich", "Frank", "Mercy", "Chase", "Hunter", "Mason",
    "Green", "Brown", "White", "Black", "Young", "Price", "Ward", "Cole", "Marsh", "Reid", "Walsh", "Turner",
    "Baker", "King", "Hill", "Wood", "Moss", "Page", "Rice", "Lord", "Law", "Best", "Hall", "Long", "Short",
    "Love", "Kay", "Kai", "Leo", "Rhys", "Ella", "Freya", "Gwen", "Megan", "Evie", "Isla",
))
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master")

# Words that, on their own, never name a third party or a place: the vocabulary of the summary
# template and of MAPPA paperwork. An entity made only of these (and allowed names) is ignored.
SAFE_WORDS = frozenset(w.lower() for w in (
    "MAPPA", "level", "levels", "risk", "risks", "harm", "serious", "high", "medium", "low", "very", "children",
    "child", "children's", "childrens", "services", "service", "social", "worker", "workers", "care", "team",
    "manager", "police", "probation", "chair", "coordinator", "co-ordinator", "review", "summary", "subject",
    "subject's", "further", "information", "contact", "next", "meeting", "actions", "action", "due", "sw", "cs",
    "representative", "record", "file", "reference", "ref", "relationship", "safe", "child-safe", "agreed",
    "attended", "for", "the", "of", "and", "to", "a", "an", "is", "at", "on", "with", "by", "in", "sexual", "violence",
    "emotional", "physical", "domestic", "abuse", "exploitation", "public", "known", "adults", "partners",
    "female", "male", "girls", "boys", "none", "not", "recorded", "panel", "multi-agency", "public", "protection",
    "arrangements", "uk", "england", "wales", "britain", "united", "kingdom", "council", "borough", "city",
    "county", "local", "authority", "district", "north", "south", "east", "west", "central", "health", "nhs",
    "youth", "justice", "education", "housing", "dwp", "mental", "safeguarding", "lead", "officer", "unit",
    "sergeant", "constable", "inspector", "ds", "dc", "di", "pc", "dr", "mr", "mrs", "ms", "miss", "risg",
    "roSH", "oasys", "rsr", "ogrs", "arms", "rm2000", "spoc", "qa", "iro", "cp", "cin", "lac", "strategy",
    "discussion", "conference", "plan", "assessment", "chronology", "safety", "family", "daughter", "son",
    "stepdaughter", "stepson", "grandson", "granddaughter", "niece", "nephew", "sister", "brother", "half-sister",
    "half-brother", "father", "stepfather", "mother", "uncle", "grandfather", "cousin", "partner's", "partner",
    "official", "official-sensitive", "sensitive", "yes", "no", "n/a", *MONTHS, *TITLES,
))

PARTICLES = frozenset({"ap", "ab", "ferch", "ní", "ni", "ó", "o", "mac", "mc", "de", "la", "le", "van", "von", "da",
                       "di", "du", "bin", "bint", "al", "el"})


@functools.lru_cache(maxsize=1024)
def _flex_re(text: str) -> re.Pattern[str]:
    return re.compile(_flex(text), re.IGNORECASE)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", name.strip()) if w and w.strip(".").lower() not in TITLES]


@functools.lru_cache(maxsize=8192)
def _flex(text: str) -> str:
    """A regex for ``text`` that tolerates spacing, case and straight/curly apostrophes."""
    parts = []
    for ch in text:
        if ch.isspace():
            parts.append(r"\s+")
        elif ch in "'’":
            parts.append("['’]")
        elif ch == "-":
            parts.append(r"[-‐–\s]?")
        else:
            parts.append(re.escape(ch))
    return re.sub(r"(\\s\+)+", r"\\s+", "".join(parts))


def _word_re(body: str) -> str:
    return r"(?<![\w])" + body + r"(?:['’]s|['’])?(?![\w])"


def split_name(name: str) -> tuple[list[str], str]:
    """(given names, family name); particles stay with the family name ("Gruffydd", "ap Rhys")."""
    words = _words(name)
    if len(words) < 2:
        return [], words[0] if words else ""
    if "," in name:  # "DOE, Jane"
        family, _, given = name.partition(",")
        return _words(given), " ".join(_words(family))
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in PARTICLES:
        i -= 1
    return words[:i], " ".join(words[i:])


def fold(text: str) -> str:
    """Lower case without accents: "Seán Ó BRIAIN" and "Sean O Briain" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def name_parts(name: str) -> set[str]:
    """The words of a name (lower case, with and without accents), for allow-list checks."""
    parts = _name_parts(name)
    return parts | {fold(p) for p in parts}


def _name_parts(name: str) -> set[str]:
    given, family = split_name(name)
    parts = {w.lower() for w in given}
    if family:
        parts.add(family.lower())
        parts.update(w.lower() for w in family.split() if w.lower() not in PARTICLES)
        parts.update(w.lower() for w in family.split("-") if len(w) > 2)
    return parts


def name_needles(name: str, code: Reason, rule: str, allowed_parts: set[str], typo_min: int = 6) -> list[Needle]:
    """Every shape of ``name`` worth looking for, less the parts an allowed name shares."""
    given, family = split_name(name)
    out: list[Needle] = []
    full = " ".join(given + [family]) if family else name.strip()
    if not full:
        return out

    def add(body: str, case_free: bool = True, what: str = "", keys: tuple[str, ...] = (), starts: str = "",
            tail: str = "") -> None:
        out.append(Needle(code, f"{rule}{': ' + what if what else ''}", _word_re(body), name,
                          tuple(k for k in map(squash, keys) if k), anchor_of(starts) if case_free else starts, tail,
                          re.IGNORECASE if case_free else 0))

    add(_flex(full), what="full name", keys=(full,), starts=full)
    if given and family:
        first, fam = given[0], family
        add(_flex(first) + r"\s+(?:[A-Z][\w'’-]*\.?\s+){0,2}" + _flex(fam), what="given and family",
            keys=(first, fam), starts=first)
        add(_flex(fam) + r"\s*,\s*" + _flex(first), what="family, given", keys=(fam, first), starts=fam)
        tail = anchor_of(fam)
        if not (first[0].isalnum() and len(tail) > 1 and tail[0].isalnum()):
            tail = ""  # then the initial is the anchor, as for any other pattern
        add(_flex(first[0]) + r"\.?\s*" + _flex(fam), what="initial and family", keys=(fam,), starts=first[0],
            tail=tail)
        initials = first[0] + fam.replace("-", " ").split()[-1][0]
        add(r"\b" + re.escape(initials[0]) + r"\.?\s?" + re.escape(initials[1]) + r"\.?(?=\W|$)", case_free=False,
            what="initials", starts=initials[0])  # escaped: an OCR'd name may start with "(" ("LEE MCDONAGH (A7035FA")
    for part in ([family] if family else []) + given + ([family.split("-")[0], family.split("-")[-1]] if "-" in family else []):
        low = part.lower()
        if len(low) < 2 or low in allowed_parts or low in PARTICLES or low in SAFE_WORDS:
            continue
        if low in WORD_NAMES or len(low) <= 3:
            # capitalised or upper case only, so "may" and "will" stay words
            cap = re.escape(part[0].upper()) + "(?:" + re.escape(part[1:].lower()) + "|" + re.escape(part[1:].upper()) + ")"
            add(cap, case_free=False, what="name part", keys=(part,), starts=part[0].upper())
        else:
            add(_flex(part), what="name part", keys=(part,), starts=part)
    return out


_CAP_WORD5 = re.compile(r"\b[A-Z][\w'’-]{4,}")


def typo_matches(text: str, names: Iterable[tuple[str, Reason, str]], allowed_parts: set[str], typo_min: int = 6,
                 cache: MatchCache | None = None) -> list[tuple[Reason, str, int, int, str]]:
    """Capitalised words one edit away from a known name part of ``typo_min`` letters or more."""
    parts: list[tuple[str, Reason, str]] = []
    for name, code, rule in names:
        for p in name_parts(name):
            if len(p) >= typo_min and " " not in p and p not in allowed_parts:
                parts.append((p, code, rule))
    if not parts:
        return []
    hits = []
    near: dict[str, tuple[Reason, str] | None] = {}  # a word's first one-letter match, once per word
    for m in (cache.finditer(_CAP_WORD5, text) if cache is not None else _CAP_WORD5.finditer(text)):
        w = m.group(0).rstrip("'’s") if m.group(0).endswith(("'s", "’s")) else m.group(0)
        low = w.lower()
        if low in allowed_parts:
            continue
        if low not in near:
            near[low] = next(((code, rule) for p, code, rule in parts
                              if low != p and abs(len(low) - len(p)) <= 1 and Levenshtein.distance(low, p) == 1), None)
        found = near[low]
        if found is not None:
            hits.append((found[0], f"{found[1]}: one-letter variant", m.start(), m.start() + len(w), w))
    return hits


# --- dates ---------------------------------------------------------------------------------

def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


@functools.lru_cache(maxsize=1024)
def date_regex(d: date) -> str:
    """One regex for every day-first (and ISO) way of writing ``d``."""
    day = rf"(?:0?{d.day}|{_ordinal(d.day)})"
    mon_name = MONTHS[d.month - 1]
    month = rf"(?:{mon_name}|{mon_name[:3]}\.?)"
    year = rf"(?:{d.year}|['’]?{d.year % 100:02d})"
    weekday = rf"(?:(?:{DAYS[d.weekday()]}|{DAYS[d.weekday()][:3]}),?\s+)?"
    num = rf"0?{d.day}\s?[/.\-]\s?0?{d.month}\s?[/.\-]\s?(?:{d.year}|{d.year % 100:02d})"
    words = rf"{weekday}{day}(?:\s+of)?\s+{month},?\s+{year}"
    us_words = rf"{month}\s+{day},?\s+{year}"
    iso = rf"{d.year}-{d.month:02d}-{d.day:02d}"
    return rf"(?<![\w/.\-])(?:{num}|{words}|{us_words}|{iso})(?![\w/]|\.\d)"


# Every literal and every person's date of birth is tried as a date, once per child (549 calls
# over 350 texts on the mixed corpus); pure, and a date is immutable.
@short_text_memo(maxsize=4096)
def parse_date(text: str) -> date | None:
    t = text.strip()
    if not any(c.isdigit() for c in t):  # every format has a day and a year in digits
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


@functools.lru_cache(maxsize=8192)
def literal_needle(text: str, code: Reason, rule: str) -> Needle | None:
    """An exact forbidden text, found again whatever its case and spacing; identifiers also
    without their spaces ("AB 12 34 56 C" / "AB123456C")."""
    t = " ".join(text.split())
    if sum(c.isalnum() for c in t) < 3:
        return None
    d = parse_date(t)
    if d is not None:
        return Needle(code, f"{rule}: date", date_regex(d), t)
    body, starts = _flex(t), anchor_of(t)
    if re.fullmatch(r"[A-Za-z0-9 /-]+", t) and any(c.isdigit() for c in t):
        compact = re.sub(r"[\s-]", "", t)
        body, starts = r"[\s-]?".join(re.escape(c) for c in compact), anchor_of(compact[:1])
    left = r"(?<![\w])" if t[0].isalnum() else ""
    right = r"(?![\w])" if t[-1].isalnum() else ""
    return Needle(code, rule, left + body + right, t, (squash(t),), starts)


def _looks_like_name(text: str) -> bool:
    words = _words(text)
    return (1 <= len(words) <= 5 and all(re.fullmatch(r"[^\W\d_][\w'’.-]*", w) for w in words)
            and any(w[:1].isupper() for w in words))


@dataclass
class KnownPeople:
    """Everything known about who may and who may not appear in one child's summary."""

    allowed_names: list[str] = field(default_factory=list)
    forbidden_names: list[tuple[str, Reason, str]] = field(default_factory=list)  # (name, code, rule)
    neutral_names: list[str] = field(default_factory=list)  # professionals: not third parties
    needles: list[Needle] = field(default_factory=list)
    typo_min: int = 6

    @property
    def allowed_parts(self) -> set[str]:
        parts: set[str] = set()
        for n in self.allowed_names:
            parts |= name_parts(n)
        return parts

    def find(self, text: str, cache: MatchCache | None = None) -> list[tuple[Reason, str, int, int, str]]:
        """Every known forbidden thing in ``text`` as (code, rule, start, end, matched text).
        ``cache`` shares the matches with other calls over the same text."""
        cache = cache if cache is not None and cache.text == text else MatchCache(text)
        text = cache.text
        hits: list[tuple[Reason, str, int, int, str]] = []
        for n in self.needles:
            for m in cache.find_needle(n):
                if m.end() > m.start():
                    hits.append((n.code, n.rule, m.start(), m.end(), m.group(0)))
        hits.extend(typo_matches(text, self.forbidden_names, self.allowed_parts, self.typo_min, cache))
        inside = self.allowed_spans(text, cache)
        return [h for h in hits if not inside(h[2], h[3])]

    def allowed_spans(self, text: str, cache: MatchCache | None = None) -> Callable[[int, int], bool]:
        """Whether a hit lies inside an allowed name as written (the subject "John Smith" contains
        the initial-and-family shape of a third party "Jane Smith"... only when it is him).
        The allowed names are found once; a hit is then checked by bisection."""
        cache = cache if cache is not None and cache.text == text else MatchCache(text)
        spans = sorted((m.start(), m.end()) for n in self.allowed_names
                       for m in cache.finditer(_flex_re(n), text, (squash(n),)))
        starts = [a for a, _ in spans]
        reach: list[int] = []  # the furthest end of the spans starting at or before each one
        for _, b in spans:
            reach.append(max(b, reach[-1]) if reach else b)

        def inside(start: int, end: int) -> bool:
            i = bisect.bisect_right(starts, start) - 1
            return i >= 0 and reach[i] >= end

        return inside


def known_people(facts: Facts, child_index: int | None, known_identifiers: tuple[tuple[str, str], ...] = (),
                 typo_min: int = 6, extra_allowed: Iterable[str] = ()) -> KnownPeople:
    """The allowed and forbidden people and identifiers for one child's summary.

    ``child_index`` None: no child is allowed by name (a check of text meant for nobody's
    file); otherwise that child is allowed and every other child is a third party.

    The answer depends on the arguments alone, and a summary's text is checked two or three
    times with the same ones (lines dropped, final text, written form): recent answers are
    kept, so callers read what they get and never change it.
    """
    return _known_people(facts, child_index, tuple(known_identifiers), typo_min, tuple(extra_allowed))


@functools.lru_cache(maxsize=32)
def _known_people(facts: Facts, child_index: int | None, known_identifiers: tuple[tuple[str, str], ...],
                  typo_min: int, extra_allowed: tuple[str, ...]) -> KnownPeople:
    kp = KnownPeople(typo_min=typo_min)
    subject = facts.subjects[0] if len(facts.subjects) >= 1 else None
    if subject is not None and subject.name.value.strip():
        kp.allowed_names.append(subject.name.value)
    for i, child in enumerate(facts.children):
        if i == child_index and child.name.value.strip():
            kp.allowed_names.append(child.name.value)
    for att in facts.cs_attendees:
        kp.allowed_names.append(strip_role(att.value))
    kp.allowed_names.extend(n for n in extra_allowed if n.strip())
    kp.allowed_names = [n for n in kp.allowed_names if n.strip()]
    allowed_norm = {" ".join(_words(n)).lower() for n in kp.allowed_names}

    def forbid_name(name: str, code: Reason, rule: str) -> None:
        if not name.strip() or " ".join(_words(name)).lower() in allowed_norm or _vocabulary_only(name):
            return
        kp.forbidden_names.append((name, code, rule))

    for i, child in enumerate(facts.children):
        if i != child_index:
            forbid_name(child.name.value, Reason.THIRD_PARTY, "another child")
            if child.dob is not None:
                kp.needles.append(Needle(Reason.THIRD_PARTY, "another child's date of birth",
                                         date_regex(child.dob.value), str(child.dob.value)))
    for p in facts.other_people:
        if not p.professional:
            forbid_name(p.name.value, Reason.THIRD_PARTY, f"third party ({p.role or 'other'})")
    for s_i, subj in enumerate(facts.subjects):
        if s_i > 0:
            forbid_name(subj.name.value, Reason.THIRD_PARTY, "another MAPPA subject")
        for alias in subj.aliases:
            forbid_name(alias.value, Reason.IDENTIFIER, "subject's alias")
        if subj.dob is not None:
            kp.needles.append(Needle(Reason.IDENTIFIER, "subject's date of birth",
                                     date_regex(subj.dob.value), str(subj.dob.value)))
        for fld, label in ((subj.pnc, "PNC ID"), (subj.cro, "CRO number"), (subj.prison_number, "prison number"),
                           (subj.crn, "CRN"), (subj.visor, "ViSOR reference"), (subj.address, "address")):
            if fld is not None:
                _add_literal(kp, fld.value, Reason.IDENTIFIER, f"subject's {label}")
    if facts.release_date is not None:
        kp.needles.append(Needle(Reason.RELEASE_PLAN, "release date",
                                 date_regex(facts.release_date.value), str(facts.release_date.value)))
    if facts.release_address is not None:
        _add_literal(kp, facts.release_address.value, Reason.COMMUNITY_PLAN, "release address")
    if facts.establishment is not None:
        _add_literal(kp, facts.establishment.value, Reason.JUSTICE_PLACE, "establishment")
    for code_s, text in facts.forbidden:
        _add_literal(kp, text, _reason(code_s), "forbidden fact")
    for code_s, text in known_identifiers:
        code = _reason(code_s)
        if parse_date(text) is None and _looks_like_name(text) and not re.search(r"\d", text):
            forbid_name(text, code if code != Reason.IDENTIFIER else Reason.THIRD_PARTY, "known person")
        else:
            _add_literal(kp, text, code, "known identifier")
    # Professionals are neither allowed nor forbidden: their names only keep the spaCy person
    # check quiet. A "professional" whose name is also a child's or a third party's is not one.
    forbidden_norm = {" ".join(_words(n)).lower() for n, _, _ in kp.forbidden_names}
    for p in facts.other_people:
        name = strip_role(p.name.value)
        if (p.professional and name.strip() and not re.search(r"['’]s?$", name)
                and p.role.strip().lower() not in ("", "professional", "other", "unknown")
                and " ".join(_words(name)).lower() not in forbidden_norm and len(_words(name)) >= 2):
            kp.neutral_names.append(name)
    allowed_parts = kp.allowed_parts
    for name, code, rule in kp.forbidden_names:
        kp.needles.extend(name_needles(name, code, rule, allowed_parts, typo_min))
    return kp


def _generic_word(text: str) -> bool:
    """One lower-case word with no digit ("grooming", "tag"): the lexicon, which knows its
    context, decides about such words; as a literal it would scrub every risk that uses it."""
    t = text.strip()
    return bool(re.fullmatch(r"[a-z][a-z'’-]*", t))


def _vocabulary_only(text: str) -> bool:
    """A "name" or "fact" made only of the words of a risk statement ("SERIOUS HARM" read as a
    victim's name) holds nothing to protect, and scrubbing it would scrub every risk."""
    words = [w.lower() for w in re.findall(r"[\w'’-]+", text)]
    return bool(words) and all(w in SAFE_WORDS for w in words)


def _add_literal(kp: KnownPeople, text: str, code: Reason, rule: str) -> None:
    text = text.strip()
    if not text or _vocabulary_only(text) or _generic_word(text):
        return
    n = literal_needle(text, code, rule)
    if n is not None:
        kp.needles.append(n)
    # an address is also looked for line by line ("12 High Street", "London NW1 9SR") and its
    # postcode alone
    for m in PATTERNS_BY_NAME["POSTCODE"].regex.finditer(text.upper()):
        pc = literal_needle(m.group(0), code, rule + " (postcode)")
        if pc is not None and m.group(0) != text.upper():
            kp.needles.append(pc)
    if ("," in text or "\n" in text) and len(text) < 120 and re.search(r"\d", text):
        for part in re.split(r"[,\n]", text):
            part = part.strip()
            if len(part) >= 5 and (re.search(r"\d", part) or len(part.split()) >= 2):
                pn = literal_needle(part, code, rule + " (part)")
                if pn is not None:
                    kp.needles.append(pn)


def strip_role(name: str) -> str:
    """ "Julie Price (Children's Services)" -> "Julie Price"."""
    return re.sub(r"\s*[(\[].*$", "", name).strip()


def _reason(code: str) -> Reason:
    try:
        return Reason(code.upper())
    except ValueError:
        return Reason.IDENTIFIER
