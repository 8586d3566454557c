"""Forbidden facts, with their POLICY.md reason codes, as exact substrings of the document.

These are not what redaction relies on alone (it runs its own recognizers on every sentence);
they are what the final leak check searches the finished summary for, so a fact seen once
anywhere in the document is caught wherever it resurfaces. Phrases are declared as data and
kept short and specific: each is the forbidden detail, not the sentence around it.
"""

from __future__ import annotations

import re

from extract.fields.lexicon import CATEGORY_RX, REGISTERED_SEX_OFFENDER_RX
from extract.fields.prison import ESTABLISHMENT_RX
from extract.identifiers import find_identifiers

_CLAUSE_END = r"[^.;\n()]{0,80}?(?=[.;\n()]|,\s+(?:and|but|which|who|he|she|they)\b|$)"

FORBIDDEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OFFENCE", re.compile(r"\b(?:convicted|conviction|convictions|charged|arrested|cautioned|pleaded guilty|found guilty|"
                           r"sentenced|remanded|accused|alleged(?:ly)?|offen[cs]es?|offending)\b(?: of| for| with| in| against)?"
                           + _CLAUSE_END, re.I)),
    ("OFFENCE", re.compile(r"\b(?:Sexual Offences Act|Offences Against the Person Act|OAPA|Protection of Children Act|"
                           r"Criminal Justice Act|Public Order Act|Children and Young Persons Act|Modern Slavery Act|"
                           r"Domestic Abuse Act|Malicious Communications Act|Protection from Harassment Act|"
                           r"Sentencing Act|Criminal Law Act|Misuse of Drugs Act|Firearms Act)(?: \d{4})?", re.I)),
    ("OFFENCE", re.compile(r"\b[sS](?:ection|\.)\s?\d{1,3}[A-Z]?(?:\(\d\))?\s+(?:of\s+the\s+)?[A-Z][A-Za-z ]{2,40}?Act(?: \d{4})?")),
    ("OFFENCE", re.compile(r"\b(?:rape|sexual assault|indecent (?:images|photographs|exposure|assault)|grooming|"
                           r"sexual activity with a child|causing a child to|voyeurism|GBH|ABH|grievous bodily harm|"
                           r"actual bodily harm|wounding with intent|murder|manslaughter|attempted murder|robbery|"
                           r"arson|kidnap(?:ping)?|false imprisonment|stalking|harassment|coercive (?:and )?controlling behaviou?r|"
                           r"domestic (?:abuse|violence) offen[cs]es?|possession of (?:an? )?(?:offensive weapon|bladed article|firearm|"
                           r"indecent images)|making indecent|distributing indecent|common assault|assault by beating|"
                           r"child cruelty|neglect)\b(?: of (?:a |an )?(?:child|girl|boy|female|male|minor)[^.;\n]{0,30}?(?=[.;\n,]|$))?", re.I)),
    ("SENTENCE", re.compile(r"\b\d{1,2}(?:\.\d)?\s*(?:years?|months?|weeks?)(?:'|’)?\s*(?:imprisonment|custody|custodial|in prison|"
                            r"detention|sentence|suspended|community order|extended licence|licence)\b"
                            r"|\b(?:life sentence|life imprisonment|extended (?:determinate )?sentence|EDS|IPP|"
                            r"sentence for public protection|suspended sentence(?: order)?|community order|"
                            r"(?:sexual harm prevention|sexual risk|restraining|non-molestation|criminal behaviour|"
                            r"stalking protection|domestic abuse protection|hospital|guardianship) orders?|SHPO|SRO|"
                            r"notification requirements?(?: for (?:life|an indefinite period|\d+ years))?|sex offender register|"
                            r"(?:the )?register (?:for|indefinitely)|hospital order|section 37|s\.?37/41|"
                            r"unpaid work|curfew requirement|supervision requirement|rehabilitation activity requirement|RAR|"
                            r"determinate sentence|custodial sentence|imprisonment for public protection)\b", re.I)),
    ("JUSTICE_PLACE", re.compile(r"\b[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,3}\s+(?:Crown|Magistrates(?:'|’)?|Youth|Family|County|"
                                 r"Combined)\s+Courts?\b|\bOld Bailey\b|\bCentral Criminal Court\b|\bCourt of Appeal\b")),
    ("JUSTICE_PLACE", ESTABLISHMENT_RX),
    ("JUSTICE_PLACE", re.compile(r"\b[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,2}\s+(?:House|Lodge|Court|Hall|Road)?\s*"
                                 r"\(?(?:Approved Premises|AP|probation hostel|bail hostel)\)?(?=[\s.,;)]|$)"
                                 r"|\b[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,2}\s+Police Station\b")),
    ("RELEASE_PLAN", re.compile(r"\b(?:released|release)\s+(?:on|from|to|date|under)" + _CLAUSE_END
                                + r"|\b(?:on licence|licence conditions?|licence expiry|licen[cs]e expires?|recall(?:ed)?|"
                                r"curfew|electronic(?:ally)? (?:tag|monitor(?:ed|ing))|GPS tag|tagged|polygraph(?: test(?:ing)?)?|"
                                r"exclusion zone|not to (?:enter|contact|approach|reside|have (?:unsupervised )?contact)" + _CLAUSE_END
                                + r"|home detention curfew|HDC|parole(?: board)?|ROTL|release on temporary licence|"
                                r"sentence expiry date|SED|LED|CRD|ARD|PED|SLED|HDCED)\b", re.I)),
    ("COMMUNITY_PLAN", re.compile(r"\b(?:will (?:reside|live|stay) (?:at|with|in)|(?:is )?residing at|accommodation at|"
                                  r"home visits?|police visits?|(?:unannounced )?visits? by (?:the )?police|"
                                  r"disclosure (?:to|decision|was|will|should|has)|(?:Sarah's|Clare's) Law|"
                                  r"(?:accredited )?(?:programme|Horizon|Kaizen|i-HorizonF?|Maps for Change|Becoming New Me|"
                                  r"Building Better Relationships|BBR|Thinking Skills)\b)" + _CLAUSE_END, re.I)),
    ("CATEGORY", CATEGORY_RX),
    ("CATEGORY", REGISTERED_SEX_OFFENDER_RX),
    ("INTELLIGENCE", re.compile(r"\b(?:intelligence|intel|confidential source|CHIS|informant|anonymous(?:ly)? (?:source|report|call)|"
                                r"source (?:reports?|suggests?|indicates?)|information received)\b" + _CLAUSE_END, re.I)),
)

ADDRESS_RX = re.compile(
    r"\b(?:Flat|Apartment|Room|Unit)?\s*\d{1,4}[A-Za-z]?,?\s+[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,3}\s+"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Crescent|Place|Gardens|Grove|Terrace|Hill|Park|"
    r"Square|Mews|Walk|Row|Rise|View|Parade|Heol|Ffordd|Stryd)\b(?:,?\s+[A-Z][A-Za-z'’]+(?:\s+[A-Z][A-Za-z'’]+){0,2}){0,3}"
    r"(?:,?\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})?"
)


def forbidden_facts(text: str, other_names: list[str], extra: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Every forbidden fact found in ``text`` as (reason code, exact text), de-duplicated."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(code: str, value: str) -> None:
        value = value.strip(" ,;:-–")
        if len(value) < 2:
            return
        key = (code, value.lower())
        if key not in seen:
            seen.add(key)
            out.append((code, value))

    for code, rx in FORBIDDEN_PATTERNS:
        for m in rx.finditer(text):
            add(code, m.group(0))
    for _kind, _, _, value in find_identifiers(text, validate=False):
        add("IDENTIFIER", value)
    for m in ADDRESS_RX.finditer(text):
        add("IDENTIFIER", m.group(0))
    for name in other_names:
        add("THIRD_PARTY", name)
    for code, value in extra:
        add(code, value)
    return tuple(out)
