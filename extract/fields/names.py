"""People's names as British agencies write them.

Police and probation write surnames in capitals ("John SMITH"), sometimes surname first
("SMITH, John"); names are hyphenated (Jones-Evans), Irish (O'Neill, McAllister, Seán Ó
Briain), Welsh (Rhys ap Gwilym, Siân), and carry titles and ranks (DS, PC, Cllr). spaCy's
small English model misses many of these, so names are read from the document's labels first
and spaCy's PERSON entities are a second source, each checked by ``plausible_name``.
"""

from __future__ import annotations

import functools
import re

from extract.memo import short_text_memo

UP = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
LO = "a-zß-öø-ÿ\u0100-\u017f"
APOS = "'’"

TITLE = (
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Master|Prof|Rev(?:d)?|Cllr|Sir|Dame|DS|DC|DI|DCI|DSI|DSupt|PC|PS|Sgt|Insp|"
    r"Det(?:ective)?\.?\s?(?:Sergeant|Sgt|Constable|Con|Inspector|Insp)|Sergeant|Constable|Inspector)\.?"
)
_TC = rf"(?:(?:Mc|Mac|O[{APOS}]|D[{APOS}]|Fitz)?[{UP}][{LO}]+(?:[{APOS}](?!s\b)[{LO}]+)?(?:-(?:Mc|Mac|O[{APOS}])?[{UP}][{LO}]+)*)"
_CAPS = rf"(?:(?:Mc|Mac|O[{APOS}]|D[{APOS}])?[{UP}]{{2,}}(?:[{APOS}][{UP}]+)?(?:-[{UP}]{{2,}})*)"
_PARTICLE = r"(?:ap|ab|AP|AB|Ap|Ab|ferch|verch|de|da|van|von|der|den|le|la|du|Ní|NÍ|Nic|NIC|Ó|Ua|UA|bin|binti|el|al)"
_NICK = rf"(?:[{APOS}‘\"“][{UP}][{LO}]+[{APOS}’\"”])"
_WORD = rf"(?:{_TC}|{_CAPS})"
NAME_RX = re.compile(
    rf"(?:{TITLE}\s+)?(?P<name>{_WORD}(?:\s+(?:{_TC}|{_CAPS}|{_NICK}|{_PARTICLE}|[{UP}]\.?))*?\s+(?:{_PARTICLE}\s+)?{_WORD})(?![{LO}\w])"
)
SURNAME_FIRST_RX = re.compile(
    rf"(?:{TITLE}\s+)?(?P<name>(?:{_PARTICLE}\s+)?{_CAPS}(?:[ -]{_CAPS})?,\s*(?:{_TC}(?:\s+{_TC})*|{_CAPS}(?:\s+{_CAPS})*))"
    rf"(?![{LO}\w])"
)
_TITLE_ONLY = re.compile(rf"^\s*{TITLE}\s+", re.IGNORECASE)
_NICK_RX = re.compile(_NICK)

# Words that look like name parts in capitals or title case but are not names.
NOT_NAME_WORDS = frozenset(
    ["mappa", "mapp", "level", "category", "cat", "meeting", "minutes", "agenda", "panel", "review", "children", "childrens", "children's", "child", "services", "service", "social", "care", "csc", "police", "probation", "council", "county", "city", "borough", "district", "prison", "hmp", "hmpps", "hmyoi", "court", "crown", "magistrates", "magistrate", "youth", "family", "street", "road", "avenue", "lane", "close", "drive", "way", "house", "lodge", "premises", "approved", "hostel", "nhs", "health", "hospital", "school", "academy", "college", "team", "unit", "officer", "manager", "worker", "chair", "chairperson", "minute", "taker", "administrator", "coordinator", "co-ordinator", "action", "actions", "risk", "date", "dob", "pnc", "cro", "crn", "visor", "nomis", "aka", "address", "name", "subject", "offender", "prisoner", "re", "ref", "reference", "confidential", "official", "sensitive", "restricted", "secret", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the", "and", "of", "for", "to", "at", "on", "in", "with", "from", "by", "present", "apologies", "attendees", "attendance", "level1", "level2", "level3", "one", "two", "three", "mr", "mrs", "ms", "miss", "dr", "ds", "dc", "pc", "kent", "camden", "bristol", "bedford", "london", "metropolitan", "met", "north", "south", "east", "west", "england", "wales", "uk", "gov", "gsi", "cjsm", "secure", "item", "aob", "new", "case", "cases", "list", "notes", "summary", "plan", "management", "department", "directorate", "authority", "local", "victim", "victims", "partner", "ex-partner", "mother", "father", "son", "daughter", "sibling", "brother", "sister", "step", "stepson", "stepdaughter", "grandson", "granddaughter", "nephew", "niece", "aunt", "uncle", "cousin", "grandmother", "grandfather", "baby", "tel", "telephone", "mobile", "email", "e-mail", "fax", "yours", "sincerely", "faithfully", "dear", "kind", "regards", "thank", "thanks", "please", "safeguarding", "lead", "designated", "governor", "manager", "ompu", "omu", "pom", "com", "omic", "nps", "crc", "cps", "dwp", "housing", "mental", "gp", "ambulance", "fire", "service", "education", "early", "help", "mash", "lado", "cafcass", "yot", "yjs", "youth", "justice", "victim", "liaison", "duty", "senior", "principal", "head", "deputy", "assistant", "director", "inspector", "sergeant", "constable", "detective", "public", "protection", "unit", "ppu", "jigsaw", "mosovo", "dip", "idva", "marac", "mash", "sexual", "violent", "offence", "offences", "sentence", "licence", "release", "released", "notification", "released", "conditions", "order", "orders", "act", "section", "category1", "yes", "no", "n/a", "tbc", "unknown", "none", "nfa", "dbs", "rosh", "oasys", "arms", "rm2000", "spoc", "mappa-a", "amber", "red", "green", "total"]
)
NOT_NAME_WORDS = NOT_NAME_WORDS | frozenset(
    """young person people potentially dangerous pdp index previous background screening decision
    supervision monitoring control information about details history assessment plan summary
    multi-agency arrangements protection public notes record outcome agreed key concerns
    ongoing closed open allocated rep representative circles support accountability programme
    horizon kaizen snapchat facebook whatsapp instagram tiktok online game teams microsoft
    household relationship contact children's childrens cs dear sir madam prisoner's offender's
    approved premises establishment healthcare reception security governor's update reminder notice
    he she they his her him we you it this that there cyngor caerdydd abertawe gwasanaethau
    community learning primary secondary junior infant infants nursery centre center campus noms prisoner
    ysgol gymraeg shpo sopo lasting st saint agency role organisation organization designation surname surnames
    forename forenames mon tue tues wed weds thu thur thurs fri sat""".split()  # noqa: SIM905
)


# Asked again and again for the same few hundred strings (the mixed benchmark corpus: 10,248
# calls over 450 texts); a pure function of its argument, and its answer is immutable.
@short_text_memo(maxsize=4096)
def clean_name(raw: str) -> tuple[str, tuple[str, ...]]:
    """(name without title or quoted nickname, nicknames found in quotes)."""
    nicks = tuple(m.group(0)[1:-1] for m in _NICK_RX.finditer(raw))
    name = _NICK_RX.sub(" ", raw)
    name = _TITLE_ONLY.sub("", name)
    name = " ".join(name.replace("\n", " ").split()).strip(" ,;:-–")
    return name, nicks


# 5,009 calls over 387 names on the mixed corpus; pure, and a bool.
@short_text_memo(maxsize=4096)
def plausible_name(name: str) -> bool:
    """Two or more name-like words, not all of them words that are never names."""
    cleaned, _ = clean_name(name)
    words = re.findall(rf"[{UP}{LO}{APOS}-]+", cleaned)
    words = [w for w in words if w.lower() not in {"ap", "ab", "de", "da", "van", "von", "le", "la"}]
    if len(words) < 2 or len(words) > 6:
        return False
    if any(w.lower().strip("'’") in NOT_NAME_WORDS for w in words):
        return False
    if any(len(w) == 1 for w in words[-1:]):
        return False
    return all(w[0].isupper() or w[0] in APOS for w in words)


def name_at_start(value: str) -> tuple[str, int, int, tuple[str, ...]] | None:
    """The person's name at the start of a labelled value, with its span within ``value``.

    "John SMITH (DOB 07/05/1980)" -> "John SMITH"; "SMITH, John" -> "SMITH, John";
    "Mr John 'Jonno' SMITH" -> "John SMITH" with nickname "Jonno".
    """
    lead = len(value) - len(value.lstrip(" -–:\t"))
    text = value[lead:]
    best: tuple[str, int, int, tuple[str, ...]] | None = None
    for rx in (SURNAME_FIRST_RX, NAME_RX):
        m = rx.match(text)
        if not m:
            continue
        raw = m.group("name")
        # trim trailing words that are labels or non-names ("John SMITH DOB")
        words = raw.split()
        while len(words) > 1 and words[-1].lower().strip(",.") in NOT_NAME_WORDS:
            words.pop()
        raw = " ".join(words) if " ".join(words) != raw else raw
        raw_start = text.find(raw[:10]) if raw else -1
        if raw_start < 0:
            continue
        raw_end = raw_start + len(raw) if text[raw_start:raw_start + len(raw)] == raw else m.end("name")
        name, nicks = clean_name(text[raw_start:raw_end])
        if not plausible_name(name):
            continue
        cand = (name, lead + raw_start, lead + raw_end, nicks)
        if best is None or (cand[2] - cand[1]) > (best[2] - best[1]):
            best = cand
    if best is None:
        single = re.match(rf"(?:{TITLE}\s+)?({_TC}|{_CAPS})\s*$", text)
        if single and single.group(1).lower() not in NOT_NAME_WORDS:
            return None  # a single word is not enough to name a person
    return best


# A name followed by one of these names a place ("St Bega's RC Primary School", "Little Acorns Nursery").
_INSTITUTION_AFTER = re.compile(
    r"^(?:['’]s?)?\s+(?:(?:RC|CE|C\.?\s?of\s?E|Catholic|Church|Community|Infants?|Junior|Primary|Secondary|High|"
    r"Grammar|Free|Nursery|Academy|College|School|Learning|Centre|Center|Park|Hospital|Surgery|Practice|Mosque|"
    r"Chapel|Club|Estate|Village|Leisure)\b)")


def place_follows(text: str, end: int) -> bool:
    """True when what follows ``end`` makes the words before it a place ("... RC Primary School")."""
    return bool(_INSTITUTION_AFTER.match(text[end:end + 40]))


def names_in(text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """Every plausible name written in ``text`` (regex only), as (name, start, end); a new list
    the caller may change."""
    return [(name, offset + s, offset + e) for name, s, e in _find_names(text)]


# The field extractors look for names in the same lines and paragraphs again and again (on the
# benchmark's documents, 4,331 calls over 1,587 distinct texts); a document's opening pages,
# longer than any line, are asked once and not kept (``short_text_memo``).
@short_text_memo(maxsize=4096)
def _find_names(text: str) -> tuple[tuple[str, int, int], ...]:
    out: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for rx in (SURNAME_FIRST_RX, NAME_RX):
        for m in rx.finditer(text):
            s, e = m.span("name")
            if any(not (e <= a or s >= b) for a, b in taken):
                continue
            raw = m.group("name")
            words = raw.split()
            # drop leading non-name words ("Children SMITH" is not a name; "Tom SMITH" is)
            while len(words) > 2 and words[0].lower().strip(",.") in NOT_NAME_WORDS:
                s = s + text[s:e].find(words[1])
                words.pop(0)
            while len(words) > 2 and words[-1].lower().strip(",.") in NOT_NAME_WORDS:
                words.pop()
                e = s + text[s:e].rfind(words[-1]) + len(words[-1])
            name, _ = clean_name(text[s:e])
            if _INSTITUTION_AFTER.match(text[e:e + 40]):
                continue
            if plausible_name(name):
                out.append((name, s, e))
                taken.append((s, e))
    out.sort(key=lambda x: x[1])
    return tuple(out)


def surname_of(name: str) -> str:
    if "," in name:
        return name.split(",")[0].strip()
    parts = name.split()
    return parts[-1] if parts else ""


@functools.lru_cache(maxsize=65536)  # long minutes compare the same pairs of names over and over
def same_person(a: str, b: str) -> bool:
    """Loose equality of two written forms of one name ("SMITH, John" == "John Smith")."""
    from extract.matching import name_similarity

    return name_similarity(a, b) >= 0.9
