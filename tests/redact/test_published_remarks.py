"""Sentences in the style of published sentencing remarks, court reports and police press
statements (paraphrased), where the risk runs straight on into offending detail that no detector
knows by name ("..., he met the girl through an online gaming platform"). Each is placed in a
"Risk" section beside ordinary risk statements: its risk clause may survive, its detail never.
"""

import pytest

from redact.policy import SummaryPolicy
from redact.summary import summarise
from tests.redact.helpers import facts, minutes

POLICY = SummaryPolicy("Example Borough Council")

# (sentence, fragments that must not reach the summary)
CASES: list[tuple[str, list[str]]] = [
    ("He poses a high risk of serious harm to children, he abused his stepdaughter over a four-year period.", ["abused his stepdaughter", "four-year period"]),
    ("He befriended a single mother to gain access to her daughter, and poses a high risk to children.", ["befriended a single mother", "gain access to her daughter"]),
    ("He presents a high risk of sexual harm to young girls, whom he targeted at a swimming pool in Leeds.", ["targeted", "swimming pool"]),
    ("He is a danger to young girls and used social media to groom them.", ["used social media", "groom"]),
    ("Jailing him, the judge said he posed a significant risk to young girls.", ["Jailing", "the judge"]),
    ("The court heard he filmed a 12-year-old girl in a changing room, and he poses a risk of sexual harm to children.", ["filmed a 12-year-old girl", "changing room", "court heard"]),
    ("He poses a very high risk of serious harm to the public after stabbing a man 14 times outside a kebab shop in Hull.", ["stabbing a man", "14 times", "kebab shop", "Hull"]),
    ("He remains a high risk to children, having sent sexually explicit messages to what he believed was a 13-year-old girl but was in fact an undercover officer.", ["sexually explicit messages", "undercover officer", "13-year-old"]),
    ("Described by the judge as a 'dangerous and predatory' man, he poses a high risk of serious harm to women.", ["judge", "dangerous and predatory"]),
    ("He poses a risk of serious harm to children, the offences having taken place over 15 years against three girls.", ["over 15 years", "three girls", "offences"]),
    ("He was given a life sentence with a minimum term of 18 years and poses a very high risk to the public.", ["life sentence", "minimum term of 18 years"]),
    ("Mr Dale poses a high risk of serious harm to children, he admitted 11 counts of sexual activity with a child.", ["admitted 11 counts", "sexual activity with a child"]),
    ("He poses a high risk of serious harm to known adults, he punched, kicked and strangled his partner Kerry Ann Holt until she lost consciousness.", ["kicked and strangled", "Kerry Ann Holt", "lost consciousness"]),
    ("The risk of serious harm to children is high because he was caught with 2,500 indecent images on his laptop.", ["2,500 indecent images", "laptop"]),
    ("He presents a risk of violence towards partners, with a history of attacks on three former girlfriends.", ["history of attacks", "three former girlfriends"]),
    ("He presents a risk of violence towards partners with a history of attacks on three former girlfriends.", ["history of attacks", "three former girlfriends"]),
    ("There is a high risk of serious harm to children in his care, his two-year-old son suffered a fractured skull.", ["fractured skull", "two-year-old son"]),
    ("He poses a high risk of serious harm to the public, armed with a machete he chased a man through a supermarket.", ["machete", "chased a man", "supermarket"]),
    ("He poses a risk to children through his use of the dark web to access abuse material.", ["dark web", "abuse material"]),
    ("He poses a risk of serious harm to children, particularly girls aged 10 to 14 like those he abused at the youth club he ran.", ["youth club", "he abused"]),
    ("He poses a high risk of serious harm to children, he met the girl through an online gaming platform.", ["met the girl", "gaming platform"]),
    ("He poses a high risk to children who he grooms by offering them cigarettes and alcohol.", ["grooms", "cigarettes and alcohol"]),
    ("He poses a high risk of sexual harm to boys he meets through his work as a football coach.", ["football coach"]),
    ("He presents a high risk to female children, for whom he babysat while their mother worked nights.", ["babysat", "mother worked nights"]),
    ("He poses a risk of violence to known adults, repeatedly breaching bail to contact Sophie Marr.", ["breaching bail", "Sophie Marr"]),
    ("He poses a significant risk of serious harm to children with whom he comes into contact at the mosque he attends.", ["mosque he attends"]),
    ("He poses a high risk of serious harm to children, committing the offences while on bail for similar matters.", ["on bail", "similar matters", "offences"]),
    ("He poses a high risk of serious harm to children: he took a 9-year-old girl from a park in Swindon.", ["9-year-old girl", "park in Swindon"]),
    ("He poses a risk of sexual harm to teenage girls he contacts on Roblox and Discord.", ["Roblox", "Discord"]),
    ("There is a risk of emotional harm to children, who witnessed him hold a knife to their mother's throat.", ["hold a knife", "mother's throat"]),
    ("He poses a high risk to children, in 2014 he was given 30 months for downloading images.", ["30 months", "downloading images"]),
    ("He presents a high risk of harm to children in the Leeds area where he lives with his brother.", ["Leeds area", "lives with his brother"]),
    ("He is a high risk to children, he carried out a campaign of abuse against his partner's son.", ["campaign of abuse"]),
    ("He poses a very high risk of serious harm to children, said Detective Constable Amy Firth of West Yorkshire Police.", ["Amy Firth", "West Yorkshire Police"]),
]

RISKS = ["He poses a high risk of sexual harm to children.", "There is a medium risk of serious harm to known adults."]


def test_the_list_is_long_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("sentence,forbidden", CASES, ids=[c[0][:40] for c in CASES])
def test_remark_never_leaks_and_keeps_its_neighbours(parsed, sentence, forbidden):
    doc = minutes([("Risk of serious harm", [RISKS[0], sentence, RISKS[1]])])
    (s,) = summarise(doc, facts(), parsed(doc), POLICY)
    assert s.released, (s.hits, s.doubts)
    for bad in forbidden:
        assert bad.lower() not in s.text.lower(), (bad, s.text)
    assert RISKS[0] in s.text and RISKS[1] in s.text


@pytest.mark.parametrize("sentence,clause", [
    ("He poses a high risk of serious harm to children, he abused his stepdaughter over a four-year period.",
     "He poses a high risk of serious harm to children."),
    ("He poses a high risk of sexual harm to boys he meets through his work as a football coach.",
     "He poses a high risk of sexual harm to boys."),
    ("Jailing him, the judge said he posed a significant risk to young girls.", "He posed a significant risk to young girls."),
    ("There is a risk of emotional harm to children, who witnessed him hold a knife to their mother's throat.",
     "There is a risk of emotional harm to children."),
])
def test_the_risk_in_a_remark_survives(parsed, sentence, clause):
    doc = minutes([("Risk", [sentence])])
    (s,) = summarise(doc, facts(), parsed(doc), POLICY)
    assert clause in s.text, s.text
