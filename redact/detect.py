"""Every detector, run together over a parsed text: the one place that decides what is forbidden.

Three kinds of evidence are combined, each carrying its POLICY.md reason code:
known things (names, identifiers and facts from this document and from the records store,
``redact.known``), the sentence-policy lexicon (``redact.lexicon``, spaCy matchers) and the
presidio recognizers (``redact.recognizers``), whose spaCy person and place entities are
judged here: a person the summary may name (the subject, this child, the children's services
staff, other professionals) or an entity made only of ordinary MAPPA words ("MAPPA" is tagged
as a person by the small English model) is not a third party.

The same function checks the source sentences and, later, the finished summary, so the final
leak check can never be weaker than the selection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult
from spacy.tokens import Doc

from redact.known import PARTICLES, SAFE_WORDS, TITLES, KnownPeople, fold, name_parts
from redact.lexicon import LexHit, lexicon_hits
from redact.model import Reason
from redact.needles import MatchCache
from redact.recognizers import code_of


@dataclass(frozen=True)
class Finding:
    code: Reason
    rule: str
    start: int
    end: int
    text: str


def _safe_entity(text: str, allowed_parts: set[str]) -> bool:
    words = [w.strip(".,:;()'’").lower() for w in re.split(r"[\s/]+", text) if w.strip(".,:;()'’")]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    return bool(words) and all(w in SAFE_WORDS or w in allowed_parts or w.isdigit() for w in words)


def _allowed_mix(text: str, allowed_parts: set[str]) -> bool:
    """An entity the small model ran across a line break ("Lacey PICKERING:\n- Nothing about..."), made
    only of allowed names and the summary's own words, names nobody else."""
    words = [w.strip(".,:;()'’-").lower() for w in re.split(r"[\s/]+", text) if w.strip(".,:;()'’-")]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    return "\n" in text and bool(words) and all(
        w in allowed_parts or fold(w) in allowed_parts or w in SAFE_WORDS or w in _CAPS_OK or w in TITLES or w.isdigit()
        for w in words)


def _allowed_person(text: str, known: KnownPeople, allowed_parts: set[str]) -> bool:
    """A person entity is allowed when every word of it belongs to an allowed name (or is a
    title or a name particle such as "Ó" or "ap"), accents aside."""
    words = [w.strip(".,:;()'’").lower() for w in text.split() if w.strip(".,:;()'’")]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    return bool(words) and all(w in allowed_parts or fold(w) in allowed_parts or w in TITLES or fold(w) in PARTICLES
                               for w in words)


def find_all(
    text: str,
    doc: Doc,
    presidio: Sequence[RecognizerResult],
    known: KnownPeople,
    sentence_of: Callable[[int, int], str] | None = None,
    *,
    lexicon: Sequence[LexHit] | None = None,
    cache: MatchCache | None = None,
) -> list[Finding]:
    """Every forbidden thing in ``text`` (== ``doc.text``), ordered by position.

    A document's summaries check the same text once per child: ``lexicon`` (the lexicon hits of
    ``doc``, which do not depend on the child) and ``cache`` (pattern matches over ``text``) let
    the caller compute those once."""
    allowed_parts = known.allowed_parts
    person_parts = set(allowed_parts)
    for name in known.neutral_names:
        person_parts |= name_parts(name)
    out: list[Finding] = []
    for code, rule, s, e, t in known.find(text, cache):
        out.append(Finding(code, rule, s, e, t))
    # A rule that fires inside a name the summary carries on purpose is reading the name, not
    # a place or an offence: the Welsh "ap" in "Daniel AP RHYS" is not an approved premises.
    in_allowed_name = known.allowed_spans(text, cache)
    for h in (lexicon if lexicon is not None else lexicon_hits(doc, sentence_of)):
        if not in_allowed_name(h.start, h.end):
            out.append(Finding(h.code, f"lexicon: {h.rule}", h.start, h.end, h.text))
    for r in presidio:
        if in_allowed_name(r.start, r.end):
            continue
        t = text[r.start : r.end]
        if r.entity_type in ("PERSON", "LOCATION") and (
                _allowed_person(t, known, person_parts) or _safe_entity(t, person_parts) or _allowed_mix(t, person_parts)):
            continue
        rec = (r.recognition_metadata or {}).get("recognizer_name", r.entity_type)
        out.append(Finding(code_of(r.entity_type), f"presidio: {r.entity_type} ({rec})", r.start, r.end, t))
    out.extend(unknown_capitalised(text, person_parts, cache))
    out.sort(key=lambda f: (f.start, -f.end))
    return out


# Capitalised words a summary may hold without naming anyone, beyond SAFE_WORDS.
_CAPS_OK = frozenset({"he", "she", "they", "there", "this", "it", "his", "her", "their", "nothing", "none", "further",
                      "attended", "allocated", "child-safe", "risks", "oasys", "rm2000", "osp", "english", "welsh",
                      "christmas", "easter", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                      "sunday", "csc", "cpu", "core", "group", "if", "when", "where", "all", "any", "both", "each",
                      "assessment", "updated", "update", "initial", "visit", "share", "complete", "convene",
                      "undertake", "check", "confirm", "also", "given", "overall", "currently", "concerns",
                      "concern", "i", "we", "our", "no", "yes", "ensure", "liaise", "consider", "refer", "attend"})
_CAP_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")


_OPENERS = " \t(\"'‘“"
_ENDERS = ".!?:\n-•;|"


def _opens(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the text, a sentence or a line (looking back past
    spaces and opening quotes and brackets only, not copying the text before it)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _ENDERS


def unknown_capitalised(text: str, known_parts: set[str], cache: MatchCache | None = None) -> list[Finding]:
    """Capitalised words that are neither summary vocabulary nor a known allowed name: in a
    summary made from a template, such a word is most often somebody's name that nothing else
    recognised ("confirm Leo Nowak's school"). A word opening a sentence or line counts only
    when the next word is such a word too."""
    out: list[Finding] = []
    words = cache.finditer(_CAP_WORD, text) if cache is not None else list(_CAP_WORD.finditer(text))
    for i, m in enumerate(words):
        w = m.group(0)
        base = re.sub(r"['’]s?$", "", w).lower()
        if _ok_word(w, base, known_parts):
            continue
        if _opens(text, m.start()):
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is None or text[m.end() : nxt.start()].strip() != "":
                continue
            nb = re.sub(r"['’]s?$", "", nxt.group(0)).lower()
            if _ok_word(nxt.group(0), nb, known_parts):
                continue
        out.append(Finding(Reason.THIRD_PARTY, "capitalised word that is no known name", m.start(), m.end(), w))
    return out


def _ok_word(word: str, base: str, known_parts: set[str]) -> bool:
    if base in SAFE_WORDS or base in _CAPS_OK or base in known_parts or fold(base) in known_parts or base in TITLES:
        return True
    if word.isupper() and len(word) <= 4:  # acronyms: SW, CS, CSC, NHS
        return True
    return any(base in p.split() or base == p for p in known_parts)
