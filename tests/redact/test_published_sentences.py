"""Sentences in the style of published MAPPA minutes and sentencing remarks (paraphrased), each
with its forbidden parts. Placed under a "Risk" heading (where sentences are most readily kept)
and next to ordinary risk statements, none of their forbidden parts may reach a released summary.
"""

import pytest

from redact.policy import SummaryPolicy
from redact.summary import summarise
from tests.redact.helpers import facts, minutes

POLICY = SummaryPolicy("Example Borough Council")

# (sentence, forbidden parts)
CASES: list[tuple[str, list[str]]] = [
    ("He was sentenced at Snaresbrook Crown Court to 6 years' imprisonment for sexual assault of a child under 13.",
     ["Snaresbrook", "6 years", "sexual assault"]),
    ("The judge imposed an extended sentence of 9 years, comprising a custodial term of 6 years and an extended licence of 3 years.",
     ["extended sentence", "custodial term", "licence"]),
    ("He is subject to a Sexual Harm Prevention Order for 10 years and notification requirements for life.",
     ["Sexual Harm Prevention Order", "notification requirements"]),
    ("Mr Smith pleaded guilty to three counts of making indecent photographs of children (Category A).",
     ["pleaded guilty", "indecent photographs", "Category A"]),
    ("He was convicted of wounding with intent contrary to section 18 of the Offences Against the Person Act 1861.",
     ["wounding", "section 18", "Offences Against the Person Act 1861"]),
    ("He poses a high risk of sexual harm to female children under 12, as shown by his conviction at Kingston Crown Court.",
     ["conviction", "Kingston Crown Court"]),
    ("He presents a risk of violence to partners, having been convicted of controlling or coercive behaviour in 2021.",
     ["convicted", "controlling or coercive", "2021"]),
    ("He was released from HMP Pentonville on 2 May 2025 on licence to Elm House Approved Premises.",
     ["HMP Pentonville", "2 May 2025", "licence", "Elm House"]),
    ("His licence conditions include a curfew from 19:00 to 07:00 monitored by an electronic tag.",
     ["curfew", "19:00", "electronic tag"]),
    ("He must not enter the exclusion zone around Victoria Park and is subject to polygraph testing every six months.",
     ["exclusion zone", "Victoria Park", "polygraph"]),
    ("He is a Category 1 registered sex offender managed at MAPPA Level 2.", ["Category 1", "registered sex offender"]),
    ("Police intelligence suggests that he has been frequenting the play area at Riverside Park.",
     ["intelligence", "Riverside Park", "frequenting"]),
    ("Information from a confidential source indicates contact with his former partner Karen Walsh.",
     ["confidential source", "Karen Walsh"]),
    ("The victim, Niamh Kowalczyk (then aged 14), was the daughter of a neighbour.",
     ["Niamh Kowalczyk", "aged 14", "victim"]),
    ("He poses a risk of sexual harm to children, particularly girls aged 10 to 14 such as his victim Ella Reid.",
     ["Ella Reid", "victim"]),
    ("He will reside at 12 Crown Court Road, Leeds LS1 4AB, and has employment as a delivery driver.",
     ["12 Crown Court Road", "LS1 4AB", "delivery driver"]),
    ("Police will conduct unannounced home visits every four weeks and the ViSOR record has been updated.",
     ["home visits", "ViSOR"]),
    ("A disclosure was made to his new partner Gemma Nowak under the Child Sex Offender Disclosure Scheme.",
     ["Gemma Nowak", "Child Sex Offender Disclosure"]),
    ("He was recalled to custody in March after breaching his licence by contacting the victim.",
     ["recalled", "custody", "breaching", "victim"]),
    ("He has been referred to the Horizon programme and will start the Kaizen course in June.",
     ["Horizon", "Kaizen"]),
    ("His PNC ID is 98/1234567X and his prison number is A1234BC.", ["98/1234567X", "A1234BC"]),
    ("His NHS number is 943 476 5919 and his National Insurance number is AB 12 34 56 C.",
     ["943 476 5919", "AB 12 34 56 C"]),
    ("He can be contacted on 07700 900123 or at j.smith12@example.net.", ["07700 900123", "j.smith12@example.net"]),
    ("The sentencing judge described the offending as a gross breach of trust against a vulnerable child.",
     ["sentencing judge", "offending", "breach of trust"]),
    ("He received a suspended sentence order of two years with a rehabilitation activity requirement.",
     ["suspended sentence", "rehabilitation activity requirement"]),
    ("The Parole Board directed his release subject to additional licence conditions.",
     ["Parole Board", "licence conditions"]),
    ("He was arrested on suspicion of sexual assault in 2018; no further action was taken.",
     ["arrested", "sexual assault", "no further action"]),
    ("He was cautioned in 2019 for possession of indecent images of children.", ["cautioned", "indecent images"]),
    ("He was charged with assault by beating of a partner, but the charge was later withdrawn.",
     ["charged", "assault by beating"]),
    ("He poses a high risk of serious harm to the public because he stabbed a stranger outside a nightclub.",
     ["stabbed a stranger", "nightclub"]),
    ("He is currently remanded at HMP Wandsworth awaiting trial at the Central Criminal Court.",
     ["remanded", "HMP Wandsworth", "Central Criminal Court"]),
    ("He was detained under section 37 of the Mental Health Act 1983 with a restriction order.",
     ["section 37", "Mental Health Act 1983", "restriction order"]),
    ("A restraining order prevents him from contacting Hayley Holloway until 2030.",
     ["restraining order", "Hayley Holloway"]),
    ("His conditional release date is 14/07/2025 and his sentence expiry date is 14/07/2028.",
     ["14/07/2025", "14/07/2028", "release date"]),
    ("Mr Smith, whose CRO number is 123456/89Z, was convicted in 2009 of robbery.",
     ["123456/89Z", "robbery", "convicted"]),
    ("He is believed to be using a second mobile phone to message teenage girls on Snapchat.",
     ["second mobile phone", "Snapchat"]),
    ("He poses a medium risk of serious harm to children; he was convicted of grooming a 13-year-old girl online.",
     ["grooming a 13-year-old", "convicted"]),
    ("Probation will request a polygraph examination and Housing will confirm the tenancy at the hostel.",
     ["polygraph", "tenancy", "hostel"]),
    ("He attended Brookside Academy as a caretaker until his dismissal in 2017.",
     ["Brookside Academy", "caretaker", "dismissal"]),
    ("He received a detention and training order of 18 months at the Youth Court in Bedford.",
     ["detention and training order", "Youth Court", "Bedford"]),
    ("The index offence involved the rape of a child under 13 contrary to s.5 SOA 2003.",
     ["rape of a child", "s.5", "SOA 2003"]),
    ("He was convicted of non-fatal strangulation (s.75A Serious Crime Act 2015) of his former partner.",
     ["strangulation", "s.75A", "Serious Crime Act 2015"]),
    ("There is a high risk of serious harm to known adults, evidenced by his previous conviction for threats to kill.",
     ["previous conviction", "threats to kill"]),
    ("He was made subject to a Stalking Protection Order following his conviction at Mold Crown Court.",
     ["Stalking Protection Order", "Mold Crown Court"]),
    ("Officers from MOSOVO will visit him at his flat at 3 Agar Grove every eight weeks.",
     ["MOSOVO", "3 Agar Grove"]),
    ("Anonymous information received via Crimestoppers alleges contact with the victim's family.",
     ["Crimestoppers", "victim"]),
]

RISKS = ["He poses a high risk of sexual harm to children.", "There is a medium risk of serious harm to known adults."]


def test_the_list_is_long_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("sentence,forbidden", CASES, ids=[c[0][:40] for c in CASES])
def test_published_sentence_never_leaks(parsed, sentence, forbidden):
    doc = minutes([("Risk of serious harm", [RISKS[0], sentence, RISKS[1]])])
    f = facts(others=(("Karen Walsh", "partner"),))
    (s,) = summarise(doc, f, parsed(doc), POLICY)
    text = s.text.lower()
    # the detail is cut, not the summary: it is released, without the forbidden parts...
    assert s.released, (s.hits, s.doubts)
    for bad in forbidden:
        assert bad.lower() not in text, (bad, s.text)
    # ...with the ordinary risk statements around it, and the risk clause of a mixed sentence
    assert RISKS[0] in s.text and RISKS[1] in s.text
    if sentence in MIXED:
        assert MIXED[sentence] in s.text


# Mixed sentences and the risk clause that must survive them.
MIXED = {c[0]: c[0].split(",")[0].split(";")[0].split(" because")[0] + "." for c in CASES
         if c[0].startswith(("He poses", "He presents", "There is a high"))}


def test_all_in_one_document(parsed):
    """Every case in one document, under several kinds of heading."""
    sections = [("Risk", [c[0] for c in CASES[:16]]), ("Children's Services update", [c[0] for c in CASES[16:32]]),
                ("Discussion", [c[0] for c in CASES[32:]]), ("RoSH", RISKS)]
    doc = minutes(sections)
    (s,) = summarise(doc, facts(), parsed(doc), POLICY)
    assert s.released, (s.hits, s.doubts)
    for _, forbidden in CASES:
        for bad in forbidden:
            assert bad.lower() not in s.text.lower(), bad
    assert "He poses a high risk of sexual harm to female children under 12." in s.text
