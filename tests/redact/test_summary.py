"""summarise end to end on hand-made minutes: what is kept, what is cut, when nothing is released."""

from dataclasses import replace
from datetime import date

import pytest

from extract.facts import Found
from redact.model import Reason
from redact.policy import SummaryPolicy
from redact.summary import leak_check, subject_is_child, summarise
from tests.redact.helpers import facts, minutes

POLICY = SummaryPolicy("Example Borough Council")


def _run(doc, f, parsed, **kw):
    return summarise(doc, f, parsed(doc), POLICY, **kw)


def test_mixed_sentence_keeps_only_the_risk_clause(parsed):
    doc = minutes([("Risk of serious harm", [
        "He poses a high risk of sexual harm to female children under 12, as shown by his conviction at "
        "Snaresbrook Crown Court.",
    ])])
    (s,) = _run(doc, facts(), parsed)
    assert s.released, (s.hits, s.doubts)
    assert "He poses a high risk of sexual harm to female children under 12." in s.text
    assert "Snaresbrook" not in s.text and "conviction" not in s.text
    removed = {(r.code, r.text) for r in s.removals}
    assert (Reason.JUSTICE_PLACE, "Snaresbrook Crown Court") in removed
    assert all(r.sentence.startswith("He poses") for r in s.removals)


def test_template_items_and_never_the_category(parsed):
    doc = minutes([("Risk", ["Mr Smith poses a medium risk of serious harm to known adults."])])
    f = facts(actions=(("Social worker to complete a child and family assessment", date(2025, 4, 1)),))
    (s,) = _run(doc, f, parsed, subject_ref="S-000123", child_refs=("C-000456",))
    assert s.released, (s.hits, s.doubts)
    for piece in ("Child: Lily Smith (file reference C-000456)", "MAPPA subject: John SMITH",
                  "Further information is held on the MAPPA subject's record S-000123; contact the MAPPA representative.",
                  "managed under MAPPA at level 2", "Meeting date: 4 March 2025", "Samina Akhtar",
                  "Next review date: 24 June 2025", "(due 1 April 2025)"):
        assert piece in s.text
    assert "ategory" not in s.text and "02/05/1980" not in s.text and "2 May 1980" not in s.text


def test_subject_with_children_in_two_families(parsed):
    doc = minutes([
        ("Children", ["Mr Smith has two families. Lily Smith (6) lives with her mother Karen Walsh. "
                      "Noah Patel (9) lives with his mother Gemma Patel in Kentish Town.",
                      "Mr Smith has supervised contact with Lily.",
                      "Mr Smith has no contact with Noah Patel."]),
        ("Risk", ["He poses a high risk of sexual harm to children in both households.",
                  "He poses a risk of emotional harm to Lily and Noah Patel."]),
    ])
    f = facts(children=(("Lily Smith", "daughter"), ("Noah Patel", "son")),
              others=(("Karen Walsh", "mother"), ("Gemma Patel", "mother")),
              actions=(("Social worker to share the safety plan with Noah Patel's mother", date(2025, 4, 1)),))
    lily, noah = _run(doc, f, parsed)
    assert lily.child_index == 0 and noah.child_index == 1
    for s in (lily, noah):
        assert "Karen" not in s.text and "Walsh" not in s.text and "Gemma" not in s.text
        assert "He poses a high risk of sexual harm to children in both households." in s.text
    assert "Noah" not in lily.text and "Patel" not in lily.text
    assert "Lily" not in noah.text
    assert "supervised contact with Lily" in lily.text
    assert "no contact with Noah Patel" in noah.text
    assert "safety plan" in noah.text and "safety plan" not in lily.text
    assert lily.released and noah.released, (lily.hits, lily.doubts, noah.hits, noah.doubts)
    # and the check itself, run on each text for the other child, finds the other family
    assert leak_check(lily.text, f, child_index=1)
    assert leak_check(noah.text, f, child_index=0)


@pytest.mark.parametrize("change,doubt", [
    (dict(subjects=()), "no MAPPA subject"),
    (dict(meeting_date=None), "meeting date"),
    (dict(reasons=("document type unsure",)), "extraction"),
])
def test_unsure_inputs_are_not_released(parsed, change, doubt):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    (s,) = _run(doc, replace(facts(), **change), parsed)
    assert not s.released and any(doubt in d for d in s.doubts)


def test_missing_level_and_generic_subject_name_are_doubts(parsed):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    (s,) = _run(doc, facts(level=None), parsed)
    assert not s.released and any("level" in d for d in s.doubts)
    (s,) = _run(doc, facts(subject="Young Person"), parsed)
    assert not s.released and any("does not look like" in d for d in s.doubts)


def test_no_surviving_risk_is_not_released(parsed):
    # the forbidden detail sits inside the risk clause itself: nothing can be kept
    doc = minutes([("Risk", ["He poses a high risk of further rape offences against children at HMP Pentonville.",
                             "His risk of sexual harm to Karen Walsh is high."]),
                   ("Index offence", ["Convicted of rape."])])
    (s,) = _run(doc, facts(others=(("Karen Walsh", "victim"),)), parsed)
    assert not s.released
    assert any("no risk statement" in d for d in s.doubts)
    assert "rape" not in s.text and "Karen" not in s.text


def test_dropped_sections_give_nothing(parsed):
    doc = minutes([("Licence conditions", ["Not to have unsupervised contact with any child under 18.",
                                           "He poses a risk to children and must reside at Elm House Approved Premises."]),
                   ("Risk", ["There is a high risk of serious harm to children."])])
    (s,) = _run(doc, facts(), parsed)
    assert "unsupervised" not in s.text and "Elm House" not in s.text and "reside" not in s.text
    assert "There is a high risk of serious harm to children." in s.text


def test_hidden_and_comment_blocks_never_feed_the_summary(parsed):
    from extract.model import BlockKind, TextBuilder

    b = TextBuilder()
    b.add(BlockKind.HEADING, "Risk")
    b.add(BlockKind.COMMENT, "He poses a risk to children; note he is PNC 98/1234567X.")
    b.add(BlockKind.HIDDEN, "He poses a high risk of harm to children at 12 Agar Grove.")
    b.add(BlockKind.PARAGRAPH, "He poses a high risk of serious harm to children.")
    doc = b.build("docx")
    (s,) = summarise(doc, facts(), parsed(doc), POLICY)
    assert "Agar" not in s.text and "98/" not in s.text and s.released


def test_leak_check_finds_every_kind():
    f = facts(forbidden=(("OFFENCE", "sexual assault of a child under 13"), ("JUSTICE_PLACE", "HMP Pentonville")),
              others=(("Karen Walsh", "victim"),))
    text = ("He was convicted at Kingston Crown Court of sexual assault of a child under 13, left HMP Pentonville "
            "on licence, is Category 1, lives at 4 Agar Grove NW1 9SR, and intelligence suggests he met Karen Walsh. "
            "Home visits by the police every 4 weeks.")
    codes = {h.code for h in leak_check(text, f, child_index=0)}
    assert codes >= {Reason.OFFENCE, Reason.JUSTICE_PLACE, Reason.RELEASE_PLAN, Reason.CATEGORY, Reason.IDENTIFIER,
                     Reason.INTELLIGENCE, Reason.THIRD_PARTY, Reason.COMMUNITY_PLAN}


def test_leak_check_passes_a_clean_text():
    f = facts()
    text = ("Child: Lily Smith\nMAPPA subject: John SMITH.\nJohn SMITH is managed under MAPPA at level 2.\n"
            "- He poses a high risk of sexual harm to female children under 12.\nMeeting date: 4 March 2025.\n"
            "Attended for children's services: Samina Akhtar.\n")
    assert leak_check(text, f, child_index=0) == ()


@pytest.mark.parametrize("dob,meeting,expected", [
    (date(2008, 3, 5), date(2025, 3, 4), True),  # 16, a day before his 17th birthday
    (date(2007, 3, 4), date(2025, 3, 4), False),  # 18 that day
    (date(2007, 3, 5), date(2025, 3, 4), True),  # 18 tomorrow
    (None, date(2025, 3, 4), False),  # unknown: no proof, no exception
    (date(1980, 1, 1), None, False),
])
def test_subject_is_child(dob, meeting, expected):
    assert subject_is_child(facts(dob=dob, meeting=meeting)) is expected


def test_nlp_doc_is_not_required(parsed):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children, as shown by his conviction."])])
    (s,) = summarise(doc, facts(), None, POLICY)
    assert "He poses a high risk of serious harm to children." in s.text and "conviction" not in s.text


def test_low_confidence_child_name_is_a_doubt(parsed):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    f = facts()
    f = replace(f, children=(replace(f.children[0], name=Found("Lily Smith", None, 0.2)),))
    (s,) = _run(doc, f, parsed)
    assert not s.released and any("child's name" in d for d in s.doubts)


def test_redaction_log_holds_what_was_removed_with_codes(parsed):
    doc = minutes([("Index offence", ["He was convicted of rape at Snaresbrook Crown Court."]),
                   ("Risk", ["He poses a high risk of sexual harm to children, as he was released from HMP Pentonville.",
                             "Intelligence suggests he has been near Brookside Academy."])])
    (s,) = _run(doc, facts(), parsed)
    assert s.released
    by_text = {(r.code, r.text) for r in s.removals}
    assert (Reason.JUSTICE_PLACE, "HMP Pentonville") in by_text
    assert any(r.code == Reason.OFFENCE and "rape" in r.text for r in s.removals)
    assert any(r.code == Reason.INTELLIGENCE for r in s.removals)
    assert any(r.text == "Brookside Academy" for r in s.removals)
    # the log is confidential, the summary is not: nothing logged is in the summary
    for r in s.removals:
        if len(r.text) > 3:
            assert r.text not in s.text, r


@pytest.mark.parametrize("subject", ["Daniel AP RHYS", "Gruffydd ap Llywelyn", "Mark COURT", "Sian PRISON-JONES"])
def test_rules_do_not_read_a_name_the_summary_carries(subject):
    """A Welsh "ap", or a surname that is also a word of justice, inside the subject's own name."""
    f = facts(subject=subject, children=(("Ffion Rhys", "daughter"),))
    text = (f"Child: Ffion Rhys\nMAPPA subject: {subject}.\n{subject} (father) is managed under MAPPA at level 2.\n"
            "- He poses a high risk of sexual harm to female children under 12.\n")
    assert leak_check(text, f, child_index=0) == ()


@pytest.mark.parametrize("text", [
    "Daniel AP RHYS will live at Fleming House AP on release.",  # a real approved premises beside the name
    "Mark COURT was sentenced at Kingston Crown Court.",
])
def test_a_name_does_not_hide_a_place_beside_it(text):
    subject = " ".join(text.split()[:3]) if " AP " in text[:10] else "Mark COURT"
    f = facts(subject=subject, children=(("Ffion Rhys", "daughter"),))
    assert {h.code for h in leak_check(text, f, child_index=0)} & {Reason.JUSTICE_PLACE, Reason.RELEASE_PLAN}


@pytest.mark.parametrize("line,doubted", [
    ("Rosie Bray, his partner's daughter, lives with her mother.", False),
    ("Rosie Bray | 7 | Mother's address", False),
    ("Rosie Bray (partner's daughter, aged 7) is open to CSC.", False),
    ("Rosie Bray (mother) attended the contact session.", True),
    ("His partner, Rosie Bray, was present.", True),
    ("Rosie Bray, his partner, was present.", True),
    ("Tamsin Rudd | Ex-partner | 42\nRosie Bray | niece | 7", False),  # the row above is another person
])
def test_adult_role_beside_a_childs_name(parsed, line, doubted):
    """A role word next to the child's name doubts the child, unless it is possessive (whose child she is)."""
    doc = minutes([("Risk", ["Mr Smith poses a high risk of serious harm to children."]), ("Children", [line])])
    (s,) = _run(doc, facts(children=(("Rosie Bray", "stepdaughter"),)), parsed)
    assert any("as an adult's" in d for d in s.doubts) == doubted, s.doubts


@pytest.mark.parametrize("sentence,kept,gone", [
    ("The panel assessed the RoSH as high in respect of children, given that he was sentenced to 6 years' imprisonment.",
     "The panel assessed the RoSH as high in respect of children.", "imprisonment"),
    ("He is assessed as a very high risk to children as shown by his conviction for rape.",
     "He is assessed as a very high risk to children.", "conviction"),
    ("He poses a high risk of sexual harm to children as he was convicted of sexual assault.",
     "He poses a high risk of sexual harm to children.", "convicted"),
])
def test_as_giving_the_level_is_not_a_reason_clause(parsed, sentence, kept, gone):
    (s,) = _run(minutes([("Risk", [sentence])]), facts(), parsed)
    assert kept in s.text and gone not in s.text, s.text


def test_a_label_rules_its_own_line_not_the_prose_after_it(parsed):
    doc = minutes([("Notification", [
        "Release date: 04/12/25\nHe has been identified as a person who presents a medium risk of\nserious harm to children.",
        "Index offence: he poses a risk to children and was convicted\nof sexual assault, a risk of serious harm to girls.",
    ])])
    (s,) = _run(doc, facts(), parsed)
    assert "He presents a medium risk of serious harm to children." in s.text, s.text
    assert "girls" not in s.text  # the label's wrapped continuation stays under "Index offence"


@pytest.mark.parametrize("sentence,kept,gone", [
    ("He has supervised contact with his daughter once a fortnight, as his licence does not allow more.",
     "He has supervised contact with his daughter once a fortnight.", "licence"),
    ("He has had no contact with the children since he abused his niece in 2019.",
     "He has had no contact with the children.", "niece"),
    ("Contact with his daughter takes place at the family centre because her mother will not allow home visits.",
     "Contact with his daughter takes place.", "mother"),
])
def test_contact_statement_stops_before_its_reason(parsed, sentence, kept, gone):
    (s,) = _run(minutes([("Family", [sentence])]), facts(), parsed)
    assert kept in s.text and gone not in s.text, s.text


@pytest.mark.parametrize("dob,doubted", [(date(2019, 6, 1), True), (date(2016, 3, 5), True),
                                         (date(2010, 1, 1), False), (date(1984, 5, 2), False)])
def test_a_subject_under_ten_is_doubted(parsed, dob, doubted):
    """No MAPPA subject is under the age of criminal responsibility: such a "subject" is a child misread."""
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    (s,) = _run(doc, facts(dob=dob), parsed)
    assert any("under 10" in d for d in s.doubts) == doubted
    assert s.released != doubted


def test_a_wrapped_word_is_not_a_heading(parsed):
    doc = minutes([("Notification", [
        "SENTENCE: A RESTRAINING ORDER UNTIL FURTHER ORDER OFFENCE: BREACH OF A RESTRAINING\nORDER\n"
        "OASys assesses him as posing a risk of physical harm to children who witness domestic abuse.",
    ])])
    (s,) = _run(doc, facts(), parsed)
    assert "risk of physical harm to children who witness domestic abuse" in s.text, s.text
    assert "RESTRAINING" not in s.text



@pytest.mark.parametrize("line,doubted", [
    ("Young person | John SMITH", False),  # "person" ends in "son" but is no son
    ("John SMITH (son of Karen SMITH) attended.", True),
    ("His son, John SMITH, is 9.", True),
])
def test_subject_named_with_a_childs_role(parsed, line, doubted):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."]), ("Details", [line])])
    (s,) = _run(doc, facts(), parsed)
    assert any("with a child's age or role" in d for d in s.doubts) == doubted, s.doubts


@pytest.mark.parametrize("text,allowed", [
    ("Lacey PICKERING:\n- Nothing", True),
    ("Lacey PICKERING:\n- Karen", False),
    ("Lacey PICKERING Nothing", False),  # on one line: the ordinary person check decides
])
def test_entity_across_a_line_break_of_allowed_words(text, allowed):
    from redact.detect import _allowed_mix

    assert _allowed_mix(text, {"lacey", "pickering"}) == allowed


def test_a_numbered_section_line_ends_the_section_above(parsed):
    """"Section 3: Reason for referral" is a section of its own, not more of "Section 1: Offender details"."""
    from extract.model import BlockKind, TextBuilder

    b = TextBuilder()
    for kind, text in [(BlockKind.PARAGRAPH, "MAPPA A - Referral"), (BlockKind.PARAGRAPH, "Section 1: Offender details"),
                       (BlockKind.PARAGRAPH, "He was convicted of rape in 2015."),
                       (BlockKind.PARAGRAPH, "Section 3: Reason for referral"),
                       (BlockKind.PARAGRAPH, "John poses a risk of sexual harm to pre-pubescent girls due to his conviction.")]:
        b.add(kind, text)
    doc = b.build("docx")
    (s,) = _run(doc, facts(), parsed)
    assert "John poses a risk of sexual harm to pre-pubescent girls." in s.text, s.text
    assert "rape" not in s.text
