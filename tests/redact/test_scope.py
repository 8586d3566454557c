"""The detectors search only the stretches of a document that can change a summary
(``redact.scope``), and find there what a search of the whole document finds."""

from __future__ import annotations

import random
from dataclasses import astuple
from pathlib import Path

import pytest

from extract.matching import KnownRecords
from extract.model import BlockKind, TextBuilder, TextDocument
from extract.understand import understand
from redact import scope
from redact.detect import Finding, find_all
from redact.known import known_people
from redact.lexicon import lexicon_hits
from redact.model import Reason
from redact.needles import MatchCache
from redact.policy import SectionAction, SummaryPolicy
from redact.recognizers import analyze_doc
from redact.sentences import needs_findings, select
from redact.summary import summarise
from redact.units import SentenceSpan, sentences, units
from tests.docgen import read_generated
from tests.redact.helpers import minutes

POLICY = SummaryPolicy("X")
DROPPED = [f"On {d} March he was convicted at Snaresbrook Crown Court of offences against Jane Doe and sentenced "
           f"to {d} years." for d in range(1, 30)]


def _spans(doc: TextDocument, parsed) -> list[SentenceSpan]:
    """The sentences as ``summarise`` cuts them, each under its section's action and code."""
    table = POLICY.sections()
    return [SentenceSpan(s, e, u.action, table.dropped_as(u.heading))
            for u in units(doc, table, POLICY.max_heading_words) for s, e in sentences(doc.text, u, parsed)]


def test_a_long_dropped_section_is_not_searched_and_what_can_be_kept_is():
    doc = minutes([("Index offence", DROPPED),
                   ("Risk of serious harm", ["He poses a high risk of sexual harm to female children under 12."]),
                   ("Previous convictions", DROPPED),
                   ("Licence conditions", ["He poses a risk to children if he breaches his curfew at Elm House.",
                                           *DROPPED])])
    spans = _spans(doc, None)
    found = scope.stretches(doc.text, spans)
    assert found is not None and len(found) == 2
    for sp in spans:
        sentence = doc.text[sp.start : sp.end]
        opens_with_risk = sentence.startswith("He poses")
        assert needs_findings(doc.text, sp) == (sp.action != SectionAction.DROP or opens_with_risk), sentence
        if needs_findings(doc.text, sp):  # searched, with the text around it
            assert any(a <= max(0, sp.start - scope.MARGIN_CHARS) and min(len(doc.text), sp.end + scope.MARGIN_CHARS) <= b
                       for a, b in found), sentence
    assert sum(b - a for a, b in found) < len(doc.text) / 4


@pytest.mark.parametrize("dropped,whole", [(2, True), (25, False)])
def test_a_document_mostly_searched_anyway_is_searched_whole(dropped, whole):
    doc = minutes([("Risk", ["He poses a high risk of sexual harm to female children under 12."] * 3),
                   ("Index offence", DROPPED[:dropped])])
    assert (scope.stretches(doc.text, _spans(doc, None)) is None) is whole


def test_a_dropped_sentence_is_logged_under_its_section_code_whatever_is_found_in_it():
    lives = "Jane Doe lives at 4 Elm Road, London."
    opener = "He poses a high risk of sexual harm to Jane's children."
    doc = minutes([("Licence conditions", [lives, opener, "He poses a high risk of sexual harm to children."])])
    text = doc.text
    address, name = text.index("4 Elm Road"), text.index("Jane's")
    findings = [Finding(Reason.IDENTIFIER, "address", address, address + 10, "4 Elm Road"),
                Finding(Reason.THIRD_PARTY, "person", name, name + 4, "Jane")]
    kept, removals = select(text, _spans(doc, None), findings, ["Lily"], ["John", "SMITH"])
    logged = {r.sentence: r.code for r in removals if r.rule == "policy: section dropped"}
    assert logged[lives] == Reason.RELEASE_PLAN  # its section's code, not the address's
    # a risk opener is searched: a finding inside its clause drops it, logged under the finding's code
    assert logged[opener] == Reason.THIRD_PARTY
    assert [k.text for k in kept] == ["He poses a high risk of sexual harm to children."]
    kept, removals = select(text, _spans(doc, None), findings[:1], ["Lily"], ["John", "SMITH"])
    assert [k.text for k in kept] == ["He poses a high risk of sexual harm.",  # without the finding: its clause
                                      "He poses a high risk of sexual harm to children."]


def _generated(tmp_path: Path) -> list[TextDocument]:
    docs: list[TextDocument] = read_generated(tmp_path, ours=10, theirs=8, seed=31)
    # and each as the middle of long minutes: the other documents' paragraphs under headings
    # whose sections are dropped before and after it, as in real minutes (most of their text)
    rng = random.Random(31)
    paragraphs = [b.text for d in docs for b in d.blocks if b.kind == BlockKind.PARAGRAPH and len(b.text) > 40]
    return docs + [_within(doc, rng.sample(paragraphs, 12), rng.sample(paragraphs, 12)) for doc in docs]


def _within(doc: TextDocument, before: list[str], after: list[str]) -> TextDocument:
    b = TextBuilder()
    b.add(BlockKind.HEADING, "Previous convictions")
    for p in before:
        b.add(BlockKind.PARAGRAPH, p)
    for block in doc.blocks:
        if block.cells:
            b.add_row([c for c, _ in block.cells], block.table_index or 0, block.row_index or 0, block.kind)
        else:
            b.add(block.kind, block.text)
    b.add(BlockKind.HEADING, "Licence conditions")
    for p in after:
        b.add(BlockKind.PARAGRAPH, p)
    return b.build(doc.format)


def test_what_is_found_where_it_matters_is_what_a_whole_search_finds(tmp_path, parsed, monkeypatch):
    """On generated minutes, letters, agendas and e-mails, in our wording and other authors':
    every sentence that can change a summary holds the same findings when only the stretches
    around such sentences are searched as when the whole document is, and every summary (text,
    release, hits, doubts, log) comes out the same. These documents are short, so they would be
    searched whole: here they are searched in stretches whatever share of the text that is."""
    skipped = 0
    for doc in _generated(tmp_path):
        nlp_doc = parsed(doc)
        f = understand(doc, nlp_doc, "", KnownRecords())
        spans = _spans(doc, nlp_doc)
        whole_presidio, whole_lexicon = analyze_doc(nlp_doc), lexicon_hits(nlp_doc, scope.sentence_window(doc.text))
        cache = MatchCache(doc.text)
        monkeypatch.setattr(scope, "WHOLE_ABOVE", 2.0)  # never whole
        found = scope.stretches(doc.text, spans)
        assert found is not None
        skipped += sum(b - a for a, b in found) < len(doc.text) * 0.9
        part = scope.Scope(doc.text, nlp_doc, spans, POLICY.nlp_model)
        for i in range(len(f.children)):
            known = known_people(f, i, (), POLICY.typo_min_name_length)
            every = find_all(doc.text, nlp_doc, whole_presidio, known, lexicon=whole_lexicon, cache=cache)
            some = part.findings(known)
            for sp in spans:
                if needs_findings(doc.text, sp):
                    def inside(found: list[Finding], sp: SentenceSpan = sp) -> list[Finding]:
                        return sorted((x for x in found if x.start < sp.end and sp.start < x.end), key=astuple)
                    assert inside(some) == inside(every), doc.text[sp.start : sp.end]
        made = summarise(doc, f, nlp_doc, POLICY)
        monkeypatch.setattr(scope, "WHOLE_ABOVE", -1.0)  # always whole
        assert summarise(doc, f, nlp_doc, POLICY) == made, doc.text[:200]
    assert skipped >= 18  # the search really left text out
