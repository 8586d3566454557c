"""Lexicon rules added for wording from court reports and sentencing remarks: offending described
without an offence's name, the court process, and a term "given" without the word sentence."""

import pytest

from redact.lexicon import lexicon_hits
from redact.model import Reason


def hits(nlp, text: str) -> list[tuple[Reason, str, str]]:
    return [(h.code, h.rule, h.text) for h in lexicon_hits(nlp(text))]


@pytest.mark.parametrize("text,rule,found", [
    ("He abused his stepdaughter over four years.", "offending described", "abused"),
    ("He stabbed a man outside a pub.", "offending described", "stabbed"),
    ("He secretly filmed a girl in a changing room.", "offending described", "secretly filmed"),
    ("He groomed the girl on Snapchat.", "offending described", "groomed"),
    ("He exposed himself to two girls in a park.", "offending described", "exposed himself"),
    ("The court heard he had lured the boy to his flat.", "court process", "court heard"),
    ("The judge said he was predatory.", "court process", "judge"),
    ("A pre-sentence report was prepared.", "court process", "pre-sentence report"),
    ("In 2014 he was given 30 months for downloading images.", "term given", "given 30 months"),
    ("He was handed a 15-month term.", "term given", "handed a 15-month"),
    ("He must serve a minimum term of 18 years.", "sentences and orders", "minimum term"),
    ("He is banned from contacting children.", "sentences and orders", "banned from"),
])
def test_matches(nlp, text, rule, found):
    assert any(r == rule and t.lower() == found.lower() for _, r, t in hits(nlp, text)), hits(nlp, text)


@pytest.mark.parametrize("text", [
    "He poses a risk of emotional harm to children exposed to domestic abuse.",
    "There is a risk of abuse to children in the household.",
    "The panel judged the risk to be high.",
    "He has been given support by the housing team.",
    "Children's Services will visit within 10 working days.",
    "He has supervised contact with his daughter twice a month.",
])
def test_near_misses(nlp, text):
    new_rules = {"offending described", "court process", "term given"}
    assert not [h for h in hits(nlp, text) if h[1] in new_rules], hits(nlp, text)


@pytest.mark.parametrize("text,flagged", [
    ("He is assessed as presenting a high risk of sexual reoffending against children.", False),
    ("His risk of violent re-offending is assessed as medium.", False),
    ("He poses a risk of further offending against female children.", False),
    ("His offending was against his stepdaughter.", True),
    ("He has a history of sexual offending.", True),
    ("He was convicted of offending in 2019.", True),
])
def test_offending_as_the_kind_of_risk_is_not_an_offence(nlp, text, flagged):
    assert any(r == "offending words" for _, r, _ in hits(nlp, text)) == flagged
