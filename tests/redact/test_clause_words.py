"""Risk clauses are cut down to risk vocabulary (``redact.clause_words``): what follows the risk
in words no detector knows, and what precedes it, never rides along."""

import pytest

from redact.clause_words import is_clause_word, only_clause_words
from redact.sentences import risk_clause

NAMES = frozenset({"john", "smith"})


def kept(sentence: str, names: frozenset[str] = NAMES) -> str | None:
    span = risk_clause(sentence, [], 0, False, names)
    return None if span is None else sentence[span[0]:span[1]]


@pytest.mark.parametrize("sentence,clause", [
    ("He poses a high risk of serious harm to children, he abused his stepdaughter over a four-year period.",
     "He poses a high risk of serious harm to children"),
    ("He poses a high risk of sexual harm to boys he meets through his work as a football coach.",
     "He poses a high risk of sexual harm to boys"),
    ("Jailing him, the judge said he posed a significant risk to young girls.", "he posed a significant risk to young girls"),
    ("He presents a risk of violence towards partners with a history of attacks on three former girlfriends.",
     "He presents a risk of violence towards partners"),
    ("He presents a high risk of harm to children in the Leeds area where he lives with his brother.",
     "He presents a high risk of harm to children"),
    ("He poses a high risk to children, in 2014 he was given 30 months for downloading images.",
     "He poses a high risk to children"),
    ("He befriended a single mother to gain access to her daughter, and poses a high risk to children.",
     "and poses a high risk to children"),  # "and" goes when the clause is tidied
    ("Mr Dale poses a high risk of serious harm to children.", "poses a high risk of serious harm to children"),
])
def test_the_risk_is_kept_and_the_detail_cut(sentence, clause):
    assert kept(sentence) == clause


@pytest.mark.parametrize("sentence", [
    "He presents a risk of domestic abuse to female partners and their children",
    "There is a risk of emotional harm to children living in the household",
    "There is a risk of physical harm to children who witness violence",
    "He poses a risk of sexual harm to girls aged between 8 and 12",
    "John SMITH poses a very high risk of serious harm to pre-pubescent girls",
    "The panel agreed that he poses a medium risk of serious harm to known adults and their children",
    "The risk of serious harm to children is high",
    "He poses a risk of sexual harm to children through online contact",
])
def test_a_plain_risk_statement_is_kept_whole(sentence):
    assert kept(sentence) == sentence


@pytest.mark.parametrize("sentence", [
    "There is no evidence that he poses a risk to children.",  # dropping the opening would turn it round
    "It is not accepted by the panel that he poses a high risk to children.",
    "He poses a high risk.",  # no harm and no one at risk: nothing to keep
    "He poses a high risk of further rape offences.",
])
def test_nothing_is_kept_when_the_meaning_or_substance_would_be_lost(sentence):
    assert kept(sentence) is None


@pytest.mark.parametrize("word,ok", [
    ("children", True), ("pre-pubescent", True), ("10-year-old", True), ("12", True), ("partner's", True),
    ("smith", True),  # an allowed name
    ("2014", False),  # a year dates the offending
    ("coached", False), ("Leeds", False), ("groomed", False), ("knife", False), ("contacts", False),
])
def test_clause_words(word, ok):
    assert is_clause_word(word, NAMES) == ok


def test_only_clause_words():
    assert only_clause_words("and their children", NAMES)
    assert not only_clause_words("whom he targeted at a swimming pool", NAMES)


@pytest.mark.parametrize("sentence,clause", [
    ("He poses a high risk to children for the next 10 years.", "He poses a high risk to children"),
    ("He poses a risk of serious harm to children under 5 years old.",
     "He poses a risk of serious harm to children under 5 years old"),
    ("There is a risk of sexual harm to girls under 12 years of age.", "There is a risk of sexual harm to girls under 12 years of age"),
])
def test_a_term_in_years_is_cut_an_age_is_kept(sentence, clause):
    assert kept(sentence) == clause


def _finding(sentence: str, text: str):
    from redact.detect import Finding
    from redact.model import Reason
    return Finding(Reason.RELEASE_PLAN, "test", sentence.index(text), sentence.index(text) + len(text), text)


@pytest.mark.parametrize("sentence,bad,clause", [
    ("He poses a high risk to children on release.", "release", "He poses a high risk to children"),
    ("His risk of sexual harm to Karen Walsh is high.", "Karen Walsh", None),  # the target itself is forbidden
    ("He poses a high risk of sexual harm to children at HMP Leeds.", "HMP Leeds", "He poses a high risk of sexual harm to children"),
])
def test_forbidden_detail_after_the_cut(sentence, bad, clause):
    span = risk_clause(sentence, [_finding(sentence, bad)], 0, False, NAMES)
    assert (None if span is None else sentence[span[0]:span[1]]) == clause
