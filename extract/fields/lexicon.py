"""Words the field modules share, declared as data: agencies, children's services, relationships,
MAPPA level and category wording.
"""

from __future__ import annotations

import re

from extract.memo import short_text_memo

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "i": 1, "ii": 2, "iii": 3, "1": 1, "2": 2, "3": 3}

LEVEL_RX = re.compile(
    r"\b(?:MAPPA\s*[:\-]?\s*)?(?:level|lvl)\s*[:\-]?\s*(?P<n>[123]|one|two|three|iii|ii|i)\b(?!\s*(?:of|in)\b|\s*/\s*\d)"
    r"|\bL(?P<l>[123])\b(?!\s*/\s*\d)|\bMAPPA\s*[:\-]?\s*(?P<m>[123])\b(?!\s*/\s*\d)|\blefel\s*(?P<w>[123])\b",
    re.IGNORECASE,
)
CATEGORY_RX = re.compile(
    r"\b(?:MAPPA\s*)?(?:category|cat\.?)\s*[:\-]?\s*(?P<n>[123]|one|two|three|iii|ii|i)\b"
    r"|\bcategori\s*(?P<w>[123])\b",
    re.IGNORECASE,
)
REGISTERED_SEX_OFFENDER_RX = re.compile(r"\bregistered sex(?:ual)? offender\b|\bRSO\b", re.IGNORECASE)


CHECKED = r"(?:\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\)|☒|☑|■|✔|✓)"
_UNCHECKED = re.compile(r"\[\s*\]|\(\s*\)|☐|□")
_CHECKED_LEVEL = re.compile(CHECKED + r"\s*(?:MAPPA\s*)?(?:level|lvl|L)?\s*(?P<n>[123])\b", re.I)
_CHECKED_CATEGORY = re.compile(CHECKED + r"\s*(?:MAPPA\s*)?(?:category|cat\.?|C)?\s*(?P<n>[123])\b", re.I)


def _ticked(rx: re.Pattern[str], text: str) -> tuple[int, int, int] | None:
    """A tick-box form ("[ ] Level 1 [X] Level 2"): the ticked option, not the first one printed."""
    if not _UNCHECKED.search(text):
        return None
    m = rx.search(text)
    return (int(m.group("n")), m.start(), m.end()) if m else None


def level_in(text: str) -> tuple[int, int, int] | None:
    """(level, start, end) of the first MAPPA level written in ``text`` (the ticked one on a form)."""
    ticked = _ticked(_CHECKED_LEVEL, text)
    if ticked:
        return ticked
    for m in LEVEL_RX.finditer(text):
        raw = next(g for g in (m.group("n"), m.group("l"), m.group("m"), m.group("w")) if g)
        n = WORD_NUMBERS.get(raw.lower())
        if n:
            return n, m.start(), m.end()
    return None


def category_in(text: str) -> tuple[int, int, int] | None:
    ticked = _ticked(_CHECKED_CATEGORY, text)
    if ticked:
        return ticked
    for m in CATEGORY_RX.finditer(text):
        raw = m.group("n") or m.group("w")
        n = WORD_NUMBERS.get(raw.lower())
        if n:
            return n, m.start(), m.end()
    return None


# Children's services, as councils and partners name it.
CS_RX = re.compile(
    r"\bchildren(?:'|’)?\s?s?\s*(?:and families\s*)?(?:social\s*care|services|social\s*work|services\s*dept)\b|\bCSC\b|\bCSD\b"
    r"|\bsocial\s*worker\b|\bSW\b|\bchild(?:ren)?\s*protection\b|\bfamily\s*support\b|\bMASH\b|\bearly\s*help\b"
    r"|\bchildren(?:'|’)?s\s*social\s*care\b|\bgwasanaethau\s*plant\b|\bchildren(?:'|’)?s\s*team\b|\bfront\s*door\b"
    r"|\bLADO\b|\bchildren in need\b|\bCiN\b|\bIRO\b|\bCS\s*(?:rep(?:resentative)?s?|team|worker|SPOC)\b",
    re.IGNORECASE,
)

# Agencies that own actions or attend panels; the key is the name used in the Facts.
AGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Children's Services", CS_RX),
    ("Police", re.compile(r"\bpolice\b|\bMOSOVO\b|\bViSOR\b|\bPPU\b|\bpublic protection unit\b|\bDS\b|\bDC\b|\bPC\b|\bDI\b|\bMet\b", re.I)),
    ("Probation", re.compile(r"\bprobation\b|\bNPS\b|\bPDU\b|\boffender manager\b|\bCOM\b|\bPoP\b|\bHMPPS\b", re.I)),
    ("Prison", re.compile(r"\bHMP\b|\bprison\b|\bPOM\b|\bOMU\b|\bHMYOI\b", re.I)),
    ("Housing", re.compile(r"\bhousing\b", re.I)),
    ("Health", re.compile(r"\bhealth\b|\bNHS\b|\bGP\b|\bmental health\b|\bCMHT\b|\bhospital\b|\bnurse\b", re.I)),
    ("Education", re.compile(r"\beducation\b|\bschool\b|\bheadteacher\b", re.I)),
    ("Youth Justice", re.compile(r"\byouth (?:justice|offending)\b|\bYOT\b|\bYJS\b", re.I)),
    ("Adult Social Care", re.compile(r"\badult(?:s|'s)?\s*social\s*care\b|\bASC\b", re.I)),
    ("MAPPA Coordinator", re.compile(r"\bMAPPA\s*(?:co-?ordinator|admin|unit|chair)\b|\bchair\b", re.I)),
    ("Victim Liaison", re.compile(r"\bvictim liaison\b|\bVLO\b", re.I)),
    ("DWP", re.compile(r"\bDWP\b|\bjob ?centre\b", re.I)),
)


def agency_of(text: str) -> str:
    for name, rx in AGENCIES:
        if rx.search(text):
            return name
    return ""


def is_childrens_services(text: str) -> bool:
    return bool(CS_RX.search(text))


# How a child may be related to the subject, and the word the summary uses for it.
RELATIONSHIPS: tuple[tuple[str, str], ...] = (
    (r"step[- ]?sons?", "stepson"), (r"step[- ]?daughters?", "stepdaughter"), (r"step[- ]?child(?:ren)?", "stepchild"),
    (r"grand[- ]?sons?", "grandson"), (r"grand[- ]?daughters?", "granddaughter"), (r"grand[- ]?child(?:ren)?", "grandchild"),
    (r"half[- ]?brothers?", "half-brother"), (r"half[- ]?sisters?", "half-sister"),
    (r"(?:partner|girlfriend|wife|boyfriend|husband)(?:'|’)?s\s+(?:son|daughter|child(?:ren)?|kids?)", "partner's child"),
    (r"sons?", "son"), (r"daughters?", "daughter"), (r"nephews?", "nephew"), (r"nieces?", "niece"),
    (r"brothers?", "brother"), (r"sisters?", "sister"), (r"cousins?", "cousin"),
    (r"foster[- ]?child(?:ren)?", "foster child"), (r"neighbou?r(?:'|’)?s?\s+child(?:ren)?", "neighbour's child"),
    (r"biological\s+(?:son|daughter|child)", "child"), (r"own\s+child(?:ren)?", "child"),
    (r"child(?:ren)?", "child"), (r"kids?", "child"), (r"baby|infant|unborn", "child"),
    (r"mab|merch", "child"),
)
RELATIONSHIP_RX = re.compile(r"\b(?:" + "|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(RELATIONSHIPS)) + r")\b", re.I)


# 2,048 calls over 347 texts on the mixed corpus; pure, and its answer is immutable.
@short_text_memo(maxsize=4096)
def relationship_in(text: str) -> tuple[str, int, int] | None:
    """The relationship word nearest the end of ``text`` (the one that introduces a name)."""
    last = None
    text = CS_RX.sub(lambda m: " " * len(m.group(0)), text)  # "Children's Services" is not a child
    for m in RELATIONSHIP_RX.finditer(text):
        for i, (_, canon) in enumerate(RELATIONSHIPS):
            if m.group(f"r{i}"):
                last = (canon, m.start(), m.end())
                break
    return last


LOCAL_AUTHORITY_RX = re.compile(
    r"\b(?:London Borough of|Royal Borough of|City of|Borough of|Cyngor)\s+[A-Z][\w'’]+(?:(?:\s+and|\s+upon)?\s+[A-Z][\w'’]+){0,3}"
    r"|\b[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,2}\s+(?:County|City|Borough|District|Metropolitan Borough|County Borough)?\s*Council\b",
)
