"""Heading table: loose matching of the headings minutes really use."""

import pytest

from redact.model import Reason
from redact.policy import SectionAction, SectionTable, SummaryPolicy, normalise_heading

D, K, F = SectionAction.DROP, SectionAction.KEEP, SectionAction.FILTER


@pytest.mark.parametrize("heading,action", [
    ("Index offence", D), ("3. Index Offence:", D), ("Section 4 - Previous Convictions", D),
    ("OFFENDING HISTORY", D), ("Licence conditions", D), ("Risk Management Plan (RMP)", D), ("RMP", D),
    ("Supervision, monitoring and control", D), ("Victim safety planning", D), ("Accommodation", D),
    ("Risk", K), ("Risk of serious harm", K), ("2.1 Risk of Serious Harm to children", K), ("RoSH", K),
    ("Children's Services update", F), ("Safeguarding", F), ("Actions", D), ("(b) Actions agreed", D),
    ("Risg / Risk", K), ("Amodau trwydded / Licence conditions", D), ("Risk of Serios Harm", K),  # typo
    ("Licence condtions", D), ("Intelligence", D), ("Accomodation", D),
])
def test_known_headings(heading, action):
    assert SummaryPolicy("X").sections().lookup(heading) == action


@pytest.mark.parametrize("text", ["He poses a high risk of harm to children and was seen near a school.",
                                  "Lily is doing well at nursery", "Attended by"])
def test_sentences_are_not_headings(text):
    assert SummaryPolicy("X").sections().lookup(text) is None


def test_longest_heading_wins_over_a_prefix():
    table = SummaryPolicy("X").sections()
    assert table.lookup("Risk management plan") == D and table.lookup("Risk") == K


def test_bilingual_heading_takes_the_stricter_side():
    table = SectionTable((("risk", K), ("llety", D)), welsh=())
    assert table.lookup("Llety / Risk") == D


def test_council_can_override_the_table():
    policy = SummaryPolicy("X", section_rules=(("panel view", K), ("background", F)))
    assert policy.sections().lookup("Panel view") == K
    assert policy.sections().lookup("Background") == F
    assert policy.sections().lookup("Index offence") is None  # the council's table replaces ours


@pytest.mark.parametrize("raw,norm", [("3.1 Risk of Serious Harm:", "risk of serious harm"),
                                      ("Section 4 – Children's Services", "childrens services"),
                                      ("(a) RoSH", "rosh"), ("ii) Actions", "actions")])
def test_normalise(raw, norm):
    assert normalise_heading(raw) == norm


@pytest.mark.parametrize("heading,action", [
    ("Contingency planning", D), ("External controls", D), ("Update from Police", D),
    ("Relationships", D), ("Pre-cons", D), ("Trwydded a rhyddhau / Licence and release", D), ("Licence / Release", D),
    ("Hanes troseddu / Offending history", D), ("Police intelligence", D), ("Victim contact", D),
    ("Risk to the public", K), ("Risk in the community", K), ("Imminence", K), ("Risg i blant / Risk to children", K),
    ("Plant / Children", F),
])
def test_other_authors_headings(heading, action):
    assert SummaryPolicy("X").sections().lookup(heading) == action


@pytest.mark.parametrize("heading,action", [
    ("Cudd-wybodaeth", D), ("CUDD-WYBODAETH:", D), ("4. Cudd–wybodaeth", D), ("Cudd-wybodaeth gan yr heddlu", D),
    ("Cudd-wybodaeth / Intelligence", D), ("Amodau trwydded", D), ("Risg", K),
    ("Cuddio", None), ("Cudd", None),  # near misses: other words, not the heading
])
def test_welsh_headings_are_read_as_the_text_is_normalised(heading, action):
    """Headings are normalised (hyphens become spaces) before the Welsh table is consulted, so
    its keys are normalised the same way: "Cudd-wybodaeth" (intelligence) is a DROP section."""
    assert SummaryPolicy("X").sections().lookup(heading) == action


@pytest.mark.parametrize("text", [
    "Release date: 04/12/25",  # a labelled date, not the headings "release date 04", "12", "25"
    "Police officer attending", "Probation Service", "Risk: High", "Policy",
])
def test_labels_and_lookalikes_are_not_these_headings(text):
    assert SummaryPolicy("X").sections().lookup(text) is None


@pytest.mark.parametrize("text", ["Order", "ORDER", "Risky", "Rota"])
def test_short_words_are_not_typos_of_headings(text):
    """One letter turns "order" into the "orders" heading: short words are matched whole only."""
    assert SummaryPolicy("X").sections().lookup(text) is None


R = Reason


@pytest.mark.parametrize("heading,code", [
    ("Index offence", R.OFFENCE), ("3. Previous Convictions:", R.OFFENCE), ("Pre-cons", R.OFFENCE),
    ("Section 3: Index offence and previous convictions", R.OFFENCE), ("Sentence details", R.SENTENCE),
    ("Custody update", R.SENTENCE), ("Licence conditions", R.RELEASE_PLAN), ("6. LICENCE CONDITIONS", R.RELEASE_PLAN),
    ("Recall", R.RELEASE_PLAN), ("Victim safety planning", R.THIRD_PARTY), ("Police intelligence", R.INTELLIGENCE),
    ("1. Update from Police", R.INTELLIGENCE), ("MAPPA category", R.CATEGORY), ("Subject details", R.IDENTIFIER),
    ("Section 2: Offender details", R.IDENTIFIER), ("Addresses", R.IDENTIFIER),
    ("Trosedd / Offence", R.OFFENCE), ("Amodau trwydded", R.RELEASE_PLAN), ("Cudd-wybodaeth", R.INTELLIGENCE),
    ("Dioddefwyr", R.THIRD_PARTY),
    # near misses: words that only look like the keys, and sections of plans in the community
    ("Accommodation", R.COMMUNITY_PLAN), ("Risk management plan", R.COMMUNITY_PLAN), ("Actions", R.COMMUNITY_PLAN),
    ("Camau gweithredu / Actions", R.COMMUNITY_PLAN), ("Courtesy notes", R.COMMUNITY_PLAN),
    ("Offenbach concert", R.COMMUNITY_PLAN), ("Presentation", R.COMMUNITY_PLAN), ("Health", R.COMMUNITY_PLAN),
])
def test_a_dropped_section_is_logged_under_the_code_its_heading_names(heading, code):
    assert SummaryPolicy("X").sections().dropped_as(heading) == code
