"""The sentence policy's words, declared as data, and the spaCy matchers built from them.

Each rule names the POLICY.md reason code it enforces. Phrases are matched on lower-cased
tokens by a ``PhraseMatcher``, token patterns (numbers, categories, ages) by a ``Matcher``;
both are built once per vocabulary, i.e. once per process. ``context`` makes a rule fire only
when one of its words is in the same sentence (a "home visit" is a police plan only when the
police make it), ``unless`` stops it when the sentence says something that makes it harmless.

The lists are deliberately wide: a phrase listed here that was harmless only costs a risk
sentence being shortened or dropped, while a phrase missing from here may let offending
detail through (the final leak check runs the same rules again on the finished text).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from extract.nlp import text_of
from redact.model import Reason


@dataclass(frozen=True)
class PhraseRule:
    code: Reason
    name: str
    phrases: tuple[str, ...]
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    exact_case: bool = False  # match ORTH instead of LOWER ("AP", "" are words in lower case)


@dataclass(frozen=True)
class TokenRule:
    code: Reason
    name: str
    patterns: tuple[tuple[dict[str, Any], ...], ...]


def _w(text: str) -> tuple[str, ...]:
    """A phrase list written one per line or separated by '|'."""
    return tuple(p.strip() for p in re.split(r"[|\n]", text) if p.strip())


PHRASE_RULES: tuple[PhraseRule, ...] = (
    PhraseRule(Reason.OFFENCE, "offending words", _w(
        "convicted|conviction|convictions|convict|offence|offences|offense|offenses|offending|offended|"
        "reoffend|reoffending|re-offending|re-offend|index offence|charged|charges|charged with|arrested|arrest|"
        "arrests|cautioned|police caution|simple caution|conditional caution|pleaded guilty|pled guilty|"
        "guilty|not guilty|acquitted|plea|pleas|trial|alleged|allegation|allegations|allegedly|accused|"
        "on suspicion|suspected of|no further action|prosecution|prosecuted|counts of|count of|"
        "historic offences|committed|perpetrated|perpetrator"
    ), unless=tuple(  # offending as the kind of risk ("a high risk of sexual reoffending"), not as an offence
        f"{lead} of {kind}{word}" for lead in ("risk", "likelihood")
        for kind in ("", "sexual ", "violent ", "further ", "further sexual ", "further violent ", "serious ")
        for word in ("reoffending", "re-offending", "offending")
    ) + ("reoffending risk", "re-offending risk", "risk of reoffending", "risk of re-offending")),
    PhraseRule(Reason.OFFENCE, "offence names", _w(
        "rape|raped|raping|sexual assault|sexually assaulted|assault|assaulted|assaulting|indecent assault|"
        "indecent images|indecent photographs|indecent photos|indecent image||sexual activity with|"
        "sexual communication|causing a child|inciting a child|incitement|sexual grooming|grooming offence|"
        "meeting a child following||grievous bodily harm|actual bodily harm|wounding|wounded|murder|"
        "murdered|manslaughter|robbery|burglary|arson|threats to kill|stalking|harassment|"
        "controlling or coercive|coercive and controlling|coercive control|strangulation|strangled|"
        "bladed article|offensive weapon|possession of|making indecent|distributing|distribution of|"
        "voyeurism|indecent exposure|breach of|breached|kidnap|kidnapping|false imprisonment|affray|"
        "criminal damage|downloading|downloaded|child abuse images|abuse images|category A|category B|"
        "category C|penetration|gross indecency|buggery|unlawful sexual intercourse|trafficking|"
        "non-molestation|attempted|attempting to"
    )),
    # What offending is described with when no offence is named (court reports, sentencing remarks).
    PhraseRule(Reason.OFFENCE, "offending described", _w(
        "abused|sexually abused|molested|molesting|molestation|groomed|indecently|exposed himself|exposing himself|"
        "touched|touching|stabbed|stabbing|punched|punching|kicked|kicking|beaten|battered|headbutted|attacked|"
        "attacking|throttled|choked|choking|killed|killing|filmed|secretly filmed|upskirting|sexting|incited|inciting|"
        "masturbated|masturbating|lured|abducted|abduction|sex attack|sex attacks|paedophile|paedophilic|"
        "child sex offences|sexual offences|offences against"
    )),
    PhraseRule(Reason.OFFENCE, "court process", _w(
        "judge|the judge|jury|jurors|verdict|prosecutor|prosecuting|prosecution barrister|barrister|mitigation|"
        "defendant|defendants|court heard|the court|sentencing remarks|His Honour|Her Honour|Recorder|in the dock|"
        "pre-sentence report|pre sentence report"
    )),
    PhraseRule(Reason.SENTENCE, "sentences and orders", _w(
        "sentenced|sentence|sentences|sentencing|imprisonment|imprisoned|custody|custodial|jail|jailed|"
        "remand|remanded|suspended sentence|community order|youth rehabilitation order|referral order|"
        "detention and training order|hospital order|restriction order||"
        "sexual harm prevention order|sexual offences prevention order|sexual risk order|restraining order|"
        "non-molestation order|stalking protection order|domestic abuse protection order|"
        "criminal behaviour order|notification requirements|notification requirement|notification period|"
        "sex offenders register|sex offender register|sex offenders' register|the register|"
        "imprisonment for public protection|life sentence|life licence|extended sentence|"
        "extended determinate sentence|determinate sentence|tariff|unpaid work|"
        "rehabilitation activity requirement|tagged|fined|disqualified|disqualification|serving|"
        "served|detained|detention|court order|order of the court|indefinite|requirement|requirements|"
        "years' imprisonment|months' imprisonment|Horizon requirement|prevention order|minimum term|"
        "behind bars|locked up|suspended for|community service|sign the register|banned from|barred from"
    )),
    PhraseRule(Reason.JUSTICE_PLACE, "places of justice", _w(
        "prison|prisons||young offender institution|crown court|magistrates court|"
        "magistrates' court|youth court|court|courts|approved premises|bail hostel|probation hostel|"
        "police station|custody suite|secure unit|secure training centre|Old Bailey|cell|wing"
    ), unless=_w("prison officer|prison offender manager|court road|court street|court lane")),
    PhraseRule(Reason.JUSTICE_PLACE, "AP", ("AP", "APs"), exact_case=True),
    # Acronyms are matched in capitals only: in lower case several are English words ("led").
    PhraseRule(Reason.OFFENCE, "offence acronyms", _w("NFA|CPS|GBH|ABH|IIOC|IIOCs"), exact_case=True),
    PhraseRule(Reason.SENTENCE, "sentence acronyms",
               _w("DTO|SHPO|SOPO|SRO|SHPOs|DVPO|DVPN|DAPO|IPP|EDS|RAR|YRO"), exact_case=True),
    PhraseRule(Reason.JUSTICE_PLACE, "prison acronyms", _w("HMP|HMYOI|YOI|HMPYOI"), exact_case=True),
    PhraseRule(Reason.RELEASE_PLAN, "release acronyms",
               _w("CRD|ARD|PED|SED|LED|SLED|TUSED|PSS|GPS|HDC|ROTL|LED:|SED:|CRD:"), exact_case=True),
    PhraseRule(Reason.COMMUNITY_PLAN, "plan acronyms", _w("BBR|COSA|HSP|DVDS|CSOD|DWP|MOSOVO|PPU"), exact_case=True),
    PhraseRule(Reason.CATEGORY, "category acronyms", _w("RSO|RSOs"), exact_case=True),
    PhraseRule(Reason.INTELLIGENCE, "intelligence acronyms", _w("CHIS"), exact_case=True),
    PhraseRule(Reason.IDENTIFIER, "identifier acronyms", _w("PNC|CRO|NOMIS|NOMS|CRN|DOB|NINO"), exact_case=True),
    PhraseRule(Reason.RELEASE_PLAN, "release and licence", _w(
        "release|released|releases|releasing|release date|date of release|||parole|"
        "parole board|licence|license|licensed|on licence|licence conditions|licence condition|"
        "licence expiry|sentence expiry|||post sentence supervision|recall|recalled|"
        "curfew|curfews|tag|electronic tag|electronic monitoring|polygraph|polygraphs|exclusion zone|"
        "exclusion zones|not to enter|not to contact|not to have contact|not to have unsupervised contact|"
        "not to approach|not to associate|to reside at|resettlement|home detention curfew|"
        "temporary licence|day release|conditional release|automatic release|discharge|discharged|"
        "through the gate|licence period|on release|upon release|post-release|post release"
    )),
    PhraseRule(Reason.COMMUNITY_PLAN, "plans in the community", _w(
        "reside|resides|residing|will reside|will live|living at|lives at|move to|moving to|move-on|"
        "moved to|accommodation|accommodated|hostel|housing|tenancy|housing association|new address|"
        "address|addresses|employment|employed|employer|works as|working as|job|work as|college|"
        "programme|programmes|program|course|Horizon|Kaizen|i-HOP|Building Better Relationships|"
        "Maps for Change|Circles of Support|Thinking Skills|Healthy Sex Programme|"
        "Becoming New Me|Resolve|police visits|police visit|disclosure|disclosures|disclose|"
        "disclosed|Clare's Law|Sarah's Law|Child Sex Offender Disclosure||Circles|"
        "offender manager|probation officer|probation will|police will|probation to|police to|"
        "housing to|approved premises staff|will be monitored|monitoring|monitored|"
        "taxi driver|delivery driver"
    ), unless=_w("due course|of course")),
    PhraseRule(Reason.COMMUNITY_PLAN, "visits by other agencies", _w("visit|visits|home visit|home visits|unannounced"),
               context=_w("police|probation|ViSOR|offender manager|PPU|unannounced|officers")),
    PhraseRule(Reason.CATEGORY, "MAPPA category", _w(
        "MAPPA category|registered sex offender|registered sexual offender|sex offender|sex offenders|"
        "sexual offender|sexual offenders|violent offender|violent offenders|violent and sexual offender|"
        "other dangerous offender|dangerous offender|ViSOR|registered|registration|nominal|VISOR nominal"
    ), unless=_w("registered social worker|registration number plate")),
    PhraseRule(Reason.INTELLIGENCE, "intelligence", _w(
        "intelligence|intel|confidential source|source|sources|informant|crimestoppers|"
        "information received|information suggests|information from|it is understood|it is believed|"
        "reportedly|unverified|police information|anonymous|anonymously|has been seen|been seen|sighted|"
        "sightings|frequenting|frequents|suggests that|indicates that|reports that|reported that he"
    )),
    PhraseRule(Reason.THIRD_PARTY, "other people", _w(
        "victim|victims|victim's|complainant|complainants|survivor|survivors|neighbour's|niece's|nephew's"
    )),
    PhraseRule(Reason.IDENTIFIER, "identifier words", _w(
        "PNC ID||prison number|prisoner number|NI number|national insurance|"
        "NHS number|date of birth|D.O.B|D.O.B.|d.o.b.|postcode|post code|telephone|mobile|phone|"
        "e-mail|email|tel|passport|driving licence|vehicle|number plate|Snapchat|Facebook|Instagram|"
        "WhatsApp|TikTok|username|account"
    )),
)

TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule(Reason.CATEGORY, "category number", (
        ({"LOWER": {"IN": ["category", "cat", "cat."]}}, {"ORTH": {"IN": [":", "-"]}, "OP": "?"},
         {"LOWER": {"IN": ["1", "2", "3", "one", "two", "three", "i", "ii", "iii", "a", "b", "c"]}}),
        ({"LOWER": {"REGEX": r"^cat(egory)?[123]$"}},),
    )),
    TokenRule(Reason.SENTENCE, "length of sentence", (
        ({"LIKE_NUM": True}, {"LOWER": {"REGEX": r"^(years?|months?|weeks?)('s?|’s?)?$"}}, {"ORTH": {"IN": ["'", "’"]}, "OP": "?"},
         {"LOWER": {"IN": ["imprisonment", "custody", "detention", "custodial", "sentence", "licence", "extended",
                           "prison", "jail", "shpo", "sopo", "notification", "order"]}}),
    )),
    TokenRule(Reason.SENTENCE, "term given", (
        ({"LOWER": {"IN": ["given", "handed", "received", "receiving", "got", "serve", "serving", "served", "awarded",
                           "jailed", "sentenced", "imposed"]}}, {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
         {"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"REGEX": r"^(years?|months?|weeks?)('s?|’s?)?$"}}),
    )),
    TokenRule(Reason.THIRD_PARTY, "age of a person", (
        ({"LOWER": {"IN": ["aged", "age"]}}, {"LIKE_NUM": True}),
        ({"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["year", "years", "yr", "yrs"]}},
         {"ORTH": "-", "OP": "?"}, {"LOWER": "old"}),
        ({"LOWER": {"REGEX": r"^\d{1,2}-?(year|yr)s?-?old$"}},),
        ({"ORTH": "("}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["yrs", "years", "yo", "y/o"]}, "OP": "?"}, {"ORTH": ")"}),
    )),
    TokenRule(Reason.IDENTIFIER, "date of birth", (
        ({"LOWER": "born"}, {"LOWER": {"IN": ["on", "in"]}, "OP": "?"}, {"LIKE_NUM": True}),
    )),
)


@dataclass(frozen=True)
class LexHit:
    code: Reason
    rule: str
    start: int  # character offsets into the Doc's text
    end: int
    text: str


class _Matchers:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.orth = PhraseMatcher(vocab, attr="ORTH")
        self.tokens = Matcher(vocab)
        self.rules: dict[str, PhraseRule | TokenRule] = {}
        tokenizer = _tokenizer(vocab)
        for i, rule in enumerate(PHRASE_RULES):
            key = f"P{i}"
            self.rules[key] = rule
            docs = [tokenizer(p) for p in rule.phrases]
            (self.orth if rule.exact_case else self.lower).add(key, docs)
        for i, trule in enumerate(TOKEN_RULES):
            key = f"T{i}"
            self.rules[key] = trule
            self.tokens.add(key, [list(p) for p in trule.patterns])

    def __call__(self, doclike: Doc | Span) -> list[LexHit]:
        doc = doclike.doc if isinstance(doclike, Span) else doclike
        hits: list[LexHit] = []
        found = (list(self.lower(doclike)) + list(self.orth(doclike)) + list(self.tokens(doclike)))
        base = doclike.start if isinstance(doclike, Span) else 0
        for match_id, s, e in found:
            key = self.vocab.strings[match_id]
            rule = self.rules[key]
            span = doc[base + s : base + e]
            hits.append(LexHit(rule.code, rule.name, span.start_char, span.end_char, span.text))
        return hits


def _tokenizer(vocab: Vocab) -> Any:
    from spacy.lang.en import English

    nlp = English(vocab=vocab)
    return nlp.make_doc


_cache: dict[int, _Matchers] = {}
_lock = threading.Lock()


def matchers(vocab: Vocab) -> _Matchers:
    """The matchers for one vocabulary, built once (the process has one pipeline, so one vocab)."""
    with _lock:
        m = _cache.get(id(vocab))
        if m is None or m.vocab is not vocab:
            m = _cache[id(vocab)] = _Matchers(vocab)
        return m


def _word_in(words: tuple[str, ...], text: str) -> bool:
    low = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", low) for w in words)


def lexicon_hits(doclike: Doc | Span, sentence_of: Any = None) -> list[LexHit]:
    """Every lexicon hit in ``doclike``; ``context``/``unless`` are judged on the sentence
    around each hit (``sentence_of(start, end) -> str``; default: the whole text)."""
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    out: list[LexHit] = []
    # ``Doc.text`` is rebuilt from every token on each access: read it once, and only if a rule
    # needs it (reading it per hit made a long document's summaries quadratic).
    text: str | None = None
    whole: str | None = None
    for hit in matchers(doc.vocab)(doclike):
        rule = _RULES_BY_NAME.get(hit.rule)
        if rule is not None and (rule.context or rule.unless):
            if sentence_of:
                around = sentence_of(hit.start, hit.end)
            else:
                whole = doclike.text if whole is None else whole
                around = whole
            if rule.context and not _word_in(rule.context, around):
                continue
            if rule.unless:
                text = text_of(doc) if text is None else text
                if _unless_covers(rule.unless, text, hit):
                    continue
        out.append(hit)
    return out


_RULES_BY_NAME = {r.name: r for r in PHRASE_RULES}


def _unless_covers(unless: tuple[str, ...], text: str, hit: LexHit) -> bool:
    """True when the hit lies inside one of the harmless phrases ("prison officer")."""
    for phrase in unless:
        p = phrase.lower()
        lo = max(0, hit.start - len(p))
        for m in re.finditer(re.escape(p), text[lo : hit.end + len(p)].lower()):
            s = lo + m.start()
            if s <= hit.start and hit.end <= s + len(p):
                return True
    return False
