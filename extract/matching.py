"""Who, in the records store, is this person?

A wrong match files a child's name against the wrong adult, which is the worst mistake the
service can make; a missed match creates a duplicate record, which is merely untidy. So the
order is: identifiers that cannot collide by accident (PNC ID, prison number); then the exact
name with the date of birth; then a fuzzy name score (typos, nicknames, hyphens, surname-first
"SMITH, John", accents). A fuzzy result close to another candidate is "ambiguous" and goes to
a person, never guessed.

The records are passed in as plain frozen data (``KnownRecords``) so extraction never touches
the database.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import jellyfish
from rapidfuzz import fuzz

from extract.identifiers import normalise_identifier
from extract.memo import short_text_memo


@dataclass(frozen=True)
class KnownPerson:
    record_id: int
    kind: str  # "subject" | "child"
    name: str
    aliases: tuple[str, ...] = ()
    dob: date | None = None
    pnc: str | None = None
    prison_number: str | None = None


@dataclass(frozen=True)
class KnownRecords:
    """What the council already holds: its people, and what its QA manager has taught.

    ``subject_labels`` are labels (normalised as ``Layout`` normalises them: lower case, no
    colon) that reviewers showed introduce the subject's name in documents from this source,
    such as a force that writes "Main party:". They add to the built-in labels, never replace.
    """

    people: tuple[KnownPerson, ...] = ()
    subject_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    status: str  # "matched" | "new" | "ambiguous"
    record_id: int | None = None
    score: float = 0.0
    candidates: tuple[tuple[int, float], ...] = ()


# Common English short forms of given names, both ways round once canonicalised.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "william": ("bill", "billy", "will", "willy", "liam"),
    "james": ("jim", "jimmy", "jamie", "jimbo"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "thomas": ("tom", "tommy"),
    "anthony": ("tony", "ant"),
    "michael": ("mike", "mick", "mickey", "micky", "mikey"),
    "christopher": ("chris", "kit"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davy", "dai"),
    "joseph": ("joe", "joey"),
    "john": ("jack", "johnny", "jon", "jonny"),
    "jonathan": ("jon", "jonny", "john"),
    "stephen": ("steve", "stevie", "steven"),
    "steven": ("steve", "stevie", "stephen"),
    "matthew": ("matt", "matty"),
    "andrew": ("andy", "drew"),
    "alexander": ("alex", "alec", "sandy", "xander"),
    "benjamin": ("ben", "benny"),
    "samuel": ("sam", "sammy"),
    "nicholas": ("nick", "nicky"),
    "patrick": ("pat", "paddy"),
    "peter": ("pete",),
    "charles": ("charlie", "chas", "chuck"),
    "henry": ("harry", "hal"),
    "frederick": ("fred", "freddie"),
    "kenneth": ("ken", "kenny"),
    "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"),
    "gerald": ("gerry", "jerry"),
    "terence": ("terry",),
    "lawrence": ("larry", "laurie"),
    "leonard": ("len", "lenny", "leo"),
    "philip": ("phil",),
    "timothy": ("tim", "timmy"),
    "gregory": ("greg",),
    "raymond": ("ray",),
    "jeffrey": ("jeff",),
    "nathan": ("nat", "nate"),
    "nathaniel": ("nat", "nate"),
    "zachary": ("zach", "zack"),
    "callum": ("cal",),
    "dafydd": ("dai", "dave", "david"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby"),
    "margaret": ("maggie", "meg", "peggy", "maisie"),
    "katherine": ("kate", "katie", "kath", "kathy", "kat"),
    "catherine": ("cath", "cathy", "kate", "katie", "cat"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca", "bex"),
    "victoria": ("vicky", "vicki", "tori"),
    "samantha": ("sam", "sammy"),
    "alexandra": ("alex", "lexi", "sandra"),
    "susan": ("sue", "susie"),
    "deborah": ("debbie", "deb"),
    "patricia": ("pat", "trish", "patsy"),
    "jacqueline": ("jackie",),
    "christine": ("chris", "chrissie"),
    "natalie": ("nat",),
    "abigail": ("abbie", "abby"),
    "eleanor": ("ellie", "nell", "nora"),
    "ellen": ("ellie", "nell"),
    "isabella": ("bella", "izzy", "issy"),
    "isabel": ("bella", "izzy", "issy"),
    "olivia": ("liv", "livvy"),
    "charlotte": ("lottie", "charlie"),
    "amelia": ("millie", "amy"),
    "emily": ("em", "emmy"),
    "sophie": ("soph",),
    "jessica": ("jess", "jessie"),
    "gwendolyn": ("gwen",),
    "sian": ("shan",),
}

_CANON: dict[str, str] = {}
for _full, _shorts in NICKNAMES.items():
    _CANON.setdefault(_full, _full)
    for _s in _shorts:
        _CANON.setdefault(_s, _full)

TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "rev", "revd", "det", "ds", "dc", "di", "dci", "dsi", "pc", "ps", "sgt", "insp", "cllr", "master"]
)
# Name particles that stay part of a surname (Welsh ap/ab, Irish Ó/Ní/Mac, continental).
PARTICLES = frozenset(["ap", "ab", "ferch", "verch", "o", "ni", "nic", "mac", "mc", "de", "da", "di", "del", "della", "van", "von", "der", "den", "le", "la", "du", "st"])


# Every comparison of two names folds both (1,336 calls over 272 names on the mixed corpus).
@short_text_memo(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, accents off (Siân -> sian, Seán -> sean), apostrophes off (O'Neill -> oneill)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text.lower())
    return re.sub(r"[^a-z\s,-]", " ", text)


def name_parts(name: str) -> tuple[str, tuple[str, ...], str]:
    """(first name, middle names, surname) of ``name``, folded.

    "SMITH, John Paul" is surname-first; a particle joins the surname ("Rhys ap Gwilym" ->
    surname "ap gwilym"); hyphens are kept inside the surname but compared both ways later.
    """
    folded = fold(name)
    if "," in folded:
        before, _, after = folded.partition(",")
        folded = f"{after} {before}"
    tokens = [t for t in folded.replace(",", " ").split() if t not in TITLES]
    if not tokens:
        return "", (), ""
    if len(tokens) == 1:
        return "", (), tokens[0]
    # gather the surname with any particles before it
    i = len(tokens) - 1
    while i - 1 > 0 and tokens[i - 1] in PARTICLES:
        i -= 1
    surname = " ".join(tokens[i:])
    return tokens[0], tuple(tokens[1:i]), surname


def canonical_first(first: str) -> str:
    return _CANON.get(first, first)


# Every written name is compared with every record of its kind: the mixed corpus asked 8,955
# times over 1,489 pairs of forenames and 770 pairs of surnames. Pure; floats.
@short_text_memo(maxsize=65_536)
def _first_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.6  # one side has no forename: neither evidence for nor against
    if a == b or canonical_first(a) == canonical_first(b) or a in NICKNAMES.get(canonical_first(b), ()):
        return 1.0
    if canonical_first(b) in NICKNAMES.get(canonical_first(a), ()):
        return 1.0
    if len(a) == 1 or len(b) == 1:  # an initial
        return 0.85 if a[0] == b[0] else 0.0
    return float(jellyfish.jaro_winkler_similarity(a, b))


@short_text_memo(maxsize=65_536)
def _surname_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    a2, b2 = a.replace("-", " "), b.replace("-", " ")
    sa, sb = set(a2.split()), set(b2.split())
    if sa and sb and (sa <= sb or sb <= sa):  # one half of a double-barrelled surname
        return 0.9
    return max(float(jellyfish.jaro_winkler_similarity(a2, b2)), fuzz.ratio(a2, b2) / 100.0)


@dataclass(frozen=True)
class _Written:
    """What ``name_similarity`` needs of one written name, worked out once."""

    first: str
    surname: str
    sorted_words: str  # folded, commas as spaces, words sorted (what token_sort_ratio compares)


@functools.lru_cache(maxsize=65_536)
def _written(name: str) -> _Written:
    """Every document is matched against every record of its kind, so each record's name was
    folded and split again for each document; now once per name (bounded)."""
    first, _, surname = name_parts(name)
    return _Written(first, surname, " ".join(sorted(fold(name).replace(",", " ").split())))


def name_similarity(a: str, b: str) -> float:
    """How alike two written names are, in [0, 1]."""
    wa, wb = _written(a), _written(b)
    if not wa.surname or not wb.surname:
        return 0.0
    first = _first_similarity(wa.first, wb.first)
    last = _surname_similarity(wa.surname, wb.surname)
    structured = 0.45 * first + 0.55 * last
    if last < 0.75 or first < 0.7:
        structured = min(structured, 0.6)
    loose = fuzz.ratio(wa.sorted_words, wb.sorted_words) / 100.0  # token_sort_ratio, words sorted once
    return max(structured, loose if loose >= 0.97 else 0.0)


@functools.lru_cache(maxsize=65_536)
def _norm_id(kind: str, value: str | None) -> str:
    return normalise_identifier(kind, value) if value else ""


def match_person(
    name: str,
    known: KnownRecords,
    dob: date | None = None,
    pnc: str | None = None,
    prison_number: str | None = None,
    kind: str = "subject",
    matched_at: float = 0.85,
    ambiguous_at: float = 0.7,
    margin: float = 0.08,
) -> Match:
    """Find ``name`` among ``known`` people of ``kind``."""
    people = [p for p in known.people if p.kind == kind]
    if not people:
        return Match("new")
    for id_kind, value, attr, score in (("PNC", pnc, "pnc", 1.0), ("PRISON_NUMBER", prison_number, "prison_number", 0.98)):
        v = _norm_id(id_kind, value)
        if not v:
            continue
        hits = [p for p in people if _norm_id(id_kind, getattr(p, attr)) == v]
        if len(hits) == 1:
            return Match("matched", hits[0].record_id, score, ((hits[0].record_id, score),))
        if len(hits) > 1:
            return Match("ambiguous", None, score, tuple((p.record_id, score) for p in hits))
    scored: list[tuple[int, float]] = []
    for p in people:
        sim = max(name_similarity(name, n) for n in (p.name, *p.aliases))
        if dob is not None and p.dob is not None:
            score = 0.4 + 0.6 * sim if dob == p.dob else 0.5 * sim
        else:
            score = 0.92 * sim
        if sim >= 0.999 and dob is not None and dob == p.dob:
            score = 1.0
        scored.append((p.record_id, round(score, 3)))
    scored.sort(key=lambda x: -x[1])
    candidates = tuple(c for c in scored[:5] if c[1] >= ambiguous_at * 0.8)
    best_id, best = scored[0]
    second = scored[1][1] if len(scored) > 1 else 0.0
    if best >= matched_at and best - second >= margin:
        return Match("matched", best_id, best, candidates)
    if best >= ambiguous_at:
        return Match("ambiguous", None, best, candidates)
    return Match("new", None, best, candidates)
