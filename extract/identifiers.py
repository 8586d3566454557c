"""UK identifiers that name an adult in MAPPA paperwork, declared as data with their validators.

Both the field extractor (who is this document about?) and the redaction recognizers (what must
never reach a child's file?) need the same patterns, so they live here once. A check character
or check digit is what separates a real PNC ID or NHS number from a look-alike string, so every
identifier that has one is validated; those that do not (prison number, CRN, postcode...) are
validated on shape only.

``find_identifiers`` returns validated hits by default. Redaction may prefer to pass
``validate=False`` and scrub anything with the right shape: a mistyped PNC ID is still an
identifier, and failing closed is the product's rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

# The 23 letters the Police National Computer uses as check characters (no I, O, S).
CHECK_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY"


@dataclass(frozen=True)
class IdentifierPattern:
    """One identifier kind.

    ``regex`` may carry a named group ``value``: then only that group is the identifier (used
    where a context word such as "ViSOR" must be part of the match but is not the value).
    ``context_words`` raise confidence when seen near a hit (presidio uses them the same way).
    ``needs_context``: a bare hit without any context word nearby is too weak to report.
    """

    name: str
    regex: re.Pattern[str]
    validator: Callable[[str], bool]
    context_words: tuple[str, ...] = ()
    needs_context: bool = False
    score: float = 0.85  # base confidence of a validated hit


def _always(_: str) -> bool:
    return True


# --- PNC ID -------------------------------------------------------------------------------

_PNC_RE = re.compile(r"^(\d{2}|\d{4})/(\d{1,7})([A-Z])$")


def pnc_check_char(yy: str, serial: str) -> str:
    """Check character of a PNC ID: alphabet[int(YY + serial padded to 7) % 23].

    A four-digit year is reduced to its last two digits, as the PNC does.
    """
    yy = yy[-2:]
    return CHECK_ALPHABET[int(yy + serial.zfill(7)) % 23]


def is_valid_pnc(text: str) -> bool:
    m = _PNC_RE.match(_compact(text).upper())
    if not m:
        return False
    year, serial, check = m.groups()
    return pnc_check_char(year, serial) == check


# --- CRO number ---------------------------------------------------------------------------

_CRO_RE = re.compile(r"^(\d{1,6})/(\d{2})([A-Z])$")
_CRO_SF_RE = re.compile(r"^SF(\d{2})/(\d{1,6})([A-Z])$")


def cro_check_char(yy: str, serial: str, short_form: bool = False) -> str:
    """Check character of a CRO number.

    Standard form "NNNNNN/YYA": alphabet[int(YY + serial padded to 6) % 23]. The older
    "SFYY/NNNNNNA" (scanned fingerprint) form uses the serial unpadded. This follows the
    HMPPS person-record validation; a CRO number typed with a wrong check character is
    still reported by ``find_identifiers(validate=False)``.
    """
    return CHECK_ALPHABET[int(yy + (serial if short_form else serial.zfill(6))) % 23]


def is_valid_cro(text: str) -> bool:
    t = _compact(text).upper()
    m = _CRO_RE.match(t)
    if m:
        serial, year, check = m.groups()
        return cro_check_char(year, serial) == check
    m = _CRO_SF_RE.match(t)
    if m:
        year, serial, check = m.groups()
        return cro_check_char(year, serial, short_form=True) == check
    return False


# --- NI number ----------------------------------------------------------------------------

_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NINO_RE = re.compile(r"^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D]?)$")


def is_valid_nino(text: str) -> bool:
    """National Insurance number: HMRC's allowed prefix letters, six digits, suffix A-D."""
    m = _NINO_RE.match(_compact(text).upper())
    return m is not None and (m.group(1) + m.group(2)) not in _NINO_BAD_PREFIXES


# --- NHS number ---------------------------------------------------------------------------


def is_valid_nhs(text: str) -> bool:
    """NHS number: ten digits, the last a modulus-11 check over weights 10..2."""
    digits = re.sub(r"\D", "", text)
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# --- shapes only --------------------------------------------------------------------------

_POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPS-UW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2})$"
)


def is_valid_postcode(text: str) -> bool:
    return bool(_POSTCODE_RE.match(" ".join(text.upper().split())))


def is_valid_uk_phone(text: str) -> bool:
    """UK numbers: 10 or 11 digits starting 0, or +44 followed by 9-10 digits."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") or digits.startswith("44") and len(digits) > 11:
        if not digits.startswith("44"):
            return False
        digits = "0" + digits[2:]
    return digits.startswith("0") and len(digits) in (10, 11) and not digits.startswith("00")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the table ----------------------------------------------------------------------------

_B = r"(?<![A-Za-z0-9/])"  # left boundary that also refuses a preceding slash (dates, paths)
_E = r"(?![A-Za-z0-9/])"

IDENTIFIER_PATTERNS: tuple[IdentifierPattern, ...] = (
    IdentifierPattern(
        "PNC",
        re.compile(_B + r"(?:19|20)?\d{2}/\d{1,7} ?[A-Z]" + _E),
        is_valid_pnc,
        ("pnc", "pnc id", "pnc no", "pnc number", "police national computer"),
        score=0.9,
    ),
    IdentifierPattern(
        "CRO",
        re.compile(_B + r"(?:\d{1,6}/\d{2}[A-Z]|SF\d{2}/\d{1,6}[A-Z])" + _E),
        is_valid_cro,
        ("cro", "cro no", "cro number", "criminal records office"),
        score=0.9,
    ),
    IdentifierPattern(
        "PRISON_NUMBER",
        re.compile(r"\b[A-Z]\d{4}[A-Z]{2}\b"),
        _always,
        ("prison number", "prison no", "prisoner number", "nomis", "noms", "hmp", "prisoner"),
    ),
    IdentifierPattern(
        "CRN",
        re.compile(r"\b[A-Z]\d{6}\b"),
        _always,
        ("crn", "case reference", "ndelius", "delius", "probation"),
        score=0.7,
    ),
    IdentifierPattern(
        "VISOR",
        re.compile(
            r"\bViSOR\b\s*(?:ref(?:erence)?|no|number|id|nominal)?\.?\s*(?:no\.?|number)?\s*[:#]?\s*"
            r"(?P<value>(?=[A-Z0-9/-]*\d)[A-Z0-9](?:[A-Z0-9/-]{3,15}[A-Z0-9]))\b",
            re.IGNORECASE,
        ),
        lambda v: any(c.isdigit() for c in v),
        ("visor",),
        score=0.9,
    ),
    IdentifierPattern(
        "NI_NUMBER",
        re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]?\b"),
        is_valid_nino,
        ("national insurance", "ni number", "ni no", "nino", "nin"),
    ),
    IdentifierPattern(
        "NHS_NUMBER",
        re.compile(r"(?<![\d/])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d/])"),
        is_valid_nhs,
        ("nhs", "nhs number", "nhs no"),
    ),
    IdentifierPattern(
        "POSTCODE",
        re.compile(
            r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPS-UW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b"
        ),
        is_valid_postcode,
        ("postcode", "address"),
    ),
    IdentifierPattern(
        "PHONE",
        re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"),
        is_valid_uk_phone,
        ("tel", "telephone", "phone", "mobile", "mob", "contact"),
        score=0.75,
    ),
    IdentifierPattern(
        "EMAIL",
        re.compile(r"\b[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        _always,
        ("email", "e-mail"),
        score=0.95,
    ),
)

PATTERNS_BY_NAME: dict[str, IdentifierPattern] = {p.name: p for p in IDENTIFIER_PATTERNS}

# Pattern kinds that overlap: when two kinds claim the same span, the first listed wins.
_PRIORITY = {p.name: i for i, p in enumerate(IDENTIFIER_PATTERNS)}


def _has_context(text: str, start: int, end: int, words: tuple[str, ...], window: int = 60) -> bool:
    around = text[max(0, start - window) : end + 20].lower()
    return any(w in around for w in words)


@functools.lru_cache(maxsize=8)
def _candidates(text: str) -> tuple[tuple[str, int, int, str, bool], ...]:
    """Every pattern's hits in ``text`` (kind, start, end, value, whether it validates), before
    overlaps are resolved. Kept for the next call: a document's fields ask for its validated
    identifiers and its forbidden facts for all of them, and the scan is the dear part."""
    out: list[tuple[str, int, int, str, bool]] = []
    for pat in IDENTIFIER_PATTERNS:
        for m in pat.regex.finditer(text):
            if "value" in pat.regex.groupindex and m.group("value") is not None:
                start, end = m.span("value")
            else:
                start, end = m.span()
            if pat.needs_context and not _has_context(text, start, end, pat.context_words):
                continue
            value = text[start:end]
            out.append((pat.name, start, end, value, bool(pat.validator(value))))
    return tuple(out)


def find_identifiers(text: str, validate: bool = True) -> list[tuple[str, int, int, str]]:
    """Every identifier in ``text`` as (kind, start, end, value), ordered by position.

    Overlapping hits are resolved in favour of the kind listed first in IDENTIFIER_PATTERNS
    (a PNC ID also has the shape of a CRO number; the check character usually decides, and
    the table order decides the rest).
    """
    hits = [(name, start, end, value) for name, start, end, value, valid in _candidates(text) if valid or not validate]
    hits.sort(key=lambda h: (h[1], _PRIORITY[h[0]], -(h[2] - h[1])))
    kept: list[tuple[str, int, int, str]] = []
    for hit in hits:
        if kept and hit[1] < kept[-1][2]:
            prev = kept[-1]
            if _PRIORITY[hit[0]] < _PRIORITY[prev[0]] or (hit[2] - hit[1]) > (prev[2] - prev[1]):
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def normalise_identifier(kind: str, value: str) -> str:
    """Canonical form for comparing identifiers across documents and records."""
    v = _compact(value).upper()
    if kind == "PNC":
        m = _PNC_RE.match(v)
        if m:
            year, serial, check = m.groups()
            return f"{year[-2:]}/{serial.zfill(7)}{check}"
    return v
