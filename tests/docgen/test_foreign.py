"""The foreign writer (other authors' templates): its gold is true, and the service, tuned on the
home generator, holds its targets on it (no leak, the risks kept, the people found)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.docgen.foreign import TEMPLATES, generate
from tests.docgen.readback import norm, texts


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    out = tmp_path_factory.mktemp("foreign")
    paths = generate(out, n=len(TEMPLATES) + 4, seed=3)
    docs = []
    for p in paths:
        gold = json.loads((out / f"{p.stem}.gold.json").read_text(encoding="utf-8"))
        docs.append((p, gold, [norm(t) for t in texts(p)]))
    return out, docs


def test_every_template_and_type_is_written(foreign):
    _, docs = foreign
    assert {g["template"] for _, g, _ in docs} == {t[1].__name__ for t in TEMPLATES}
    assert set(Counter(g["doc_type"] for _, g, _ in docs)) == {"minutes", "agenda", "prison_notification", "invitation", "other",
                                                                     "referral"}
    assert len({g["format"] for _, g, _ in docs}) >= 4


def test_every_gold_string_is_in_the_document(foreign):
    _, docs = foreign
    missing, checked = [], 0
    for p, g, ntexts in docs:
        strings = (g["must_not_appear_in_child_summary"] + g["risk_statements_to_keep"]
                   + [c["name"] for c in g["linked_children"] or []] + (g["actions_for_childrens_services"] or [])
                   + [x for xs in g["per_child_must_not_appear"].values() for x in xs])
        for s in strings:
            checked += 1
            if not any(norm(s) in t for t in ntexts):
                missing.append((p.name, s))
    assert checked > 200
    assert missing == []


def test_forbidden_detail_sits_inside_risk_sentences(foreign):
    """The hard case the writer exists for: a risk statement and forbidden detail in one sentence."""
    _, docs = foreign
    shared = 0
    for _, g, ntexts in docs:
        for keep in g["risk_statements_to_keep"]:
            for t in ntexts:
                for sentence in t.split("."):
                    if norm(keep) in sentence and any(norm(b) in sentence for b in g["must_not_appear_in_child_summary"]):
                        shared += 1
    assert shared >= 5


def test_summaries_of_foreign_documents_leak_nothing_and_keep_the_risks(foreign):
    from tests.redact.score_corpus import score

    out, _ = foreign
    result = score(out, examples=0)
    assert result["released"] > 5 and result["leak_checked"] > 100, result
    assert result["leaks"] == 0, result["leak_list"]
    assert result["keep_rate"] >= 0.9, result["dropped_risks"]


def test_people_and_dates_are_found_in_foreign_documents(foreign):
    from tests.understand.score_corpus import run

    out, _ = foreign
    scores, _ = run(out)
    assert scores["doc_type_accuracy"] >= 0.9
    fields = scores["field_scores"]
    for f in ("subject_names", "subject_dob", "meeting_date", "next_review_date", "linked_children"):
        assert fields[f]["recall"] >= 0.9, (f, scores["per_document"])
