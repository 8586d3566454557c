"""The scorer on hand-built cases: every figure is checked against arithmetic done by hand."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from mappa.evaluate import EvalCase, names_match, render_problems, render_table, score


def gold(**kw):
    g = {
        "doc_type": "minutes",
        "subjects": [{"name": "John SMITH", "aliases": ["Johnny SMITHSON"], "dob": "1984-03-12", "mappa_level": 2,
                      "mappa_category": 1, "pnc": "19/0123456T", "prison_number": None}],
        "meeting_date": "2025-05-07",
        "next_review_date": "2025-08-27",
        "release_date": None,
        "linked_children": [{"name": "Lily SMITH", "dob": "2016-02-03", "relationship": "daughter"},
                            {"name": "Noah Turner", "dob": None, "relationship": "stepson"}],
        "actions_for_childrens_services": ["Children's Services to complete a strategy discussion within 28 days",
                                           "SW to visit by 14/06/2025"],
        "must_not_appear_in_child_summary": ["HMP Pentonville", "SHPO for 10 years"],
        "risk_statements_to_keep": ["poses a high risk of serious harm to children"],
        "per_child_must_not_appear": {"Lily SMITH": ["Noah Turner"], "Noah Turner": ["Lily SMITH"]},
    }
    g.update(kw)
    return g


def perfect(g, summaries=None, **kw):
    r = {"id": 1, "filename": "x.pdf", "doc_type": g["doc_type"], "state": "filed", "reasons": [],
         "fields": {"subjects": g["subjects"], "meeting_date": g["meeting_date"],
                    "next_review_date": g["next_review_date"], "release_date": g["release_date"],
                    "linked_children": g["linked_children"],
                    "actions_for_childrens_services": g["actions_for_childrens_services"]},
         "summaries": summaries if summaries is not None else []}
    r.update(kw)
    return r


def summary(child, text, released=True):
    return {"child": child, "text": text, "released": released}


def test_perfect_result_scores_full_marks():
    g = gold()
    res = score([EvalCase(g, perfect(g, [summary("Lily SMITH", "Lily SMITH: John SMITH poses a high risk of serious "
                                                               "harm to children.")]), pages=2, seconds=3.0)])
    assert res["documents"] == 1
    assert res["doc_type_accuracy"] == 1.0
    for f in ("subject_names", "subject_dob", "subject_level", "subject_category", "subject_pnc", "meeting_date",
              "next_review_date", "linked_children", "child_dob", "actions"):
        assert res["field_scores"][f]["precision"] == 1.0, f
        assert res["field_scores"][f]["recall"] == 1.0, f
    assert res["leak_rate"] == 0.0
    assert res["keep_rate"] == 1.0
    assert res["seconds_per_page"] == 1.5
    json.dumps(res)  # machine-readable


def test_leak_is_found_ignoring_case_and_whitespace():
    g = gold()
    s = [summary("Lily SMITH", "He was at hmp\n  PENTON ville until May. Poses a high risk of serious harm to children.")]
    res = score([EvalCase(g, perfect(g, s))])
    # 2 global strings + 1 per-child string for Lily (Noah has no summary, so his list is not checked)
    assert res["leak_checked"] == 3
    assert res["leaks"] == 1
    assert res["leak_rate"] == pytest.approx(1 / 3)
    assert res["per_document"][0]["leaks"] == [{"string": "HMP Pentonville", "child": "*"}]


def test_curly_apostrophe_does_not_hide_a_leak():
    g = gold(must_not_appear_in_child_summary=["6 years' imprisonment"])
    res = score([EvalCase(g, perfect(g, [summary("Lily SMITH", "He got 6 years’ imprisonment.")]))])
    assert res["leaks"] == 1


def test_unreleased_summary_counts_only_in_leak_rate_all():
    g = gold()
    s = [summary("Lily SMITH", "SHPO for 10 years", released=False)]
    res = score([EvalCase(g, perfect(g, s))])
    assert res["leak_rate"] is None  # nothing released, nothing checked
    assert res["leaks_all"] == 1
    assert res["leak_rate_all"] == pytest.approx(1 / 3)


def test_per_child_string_leaks_only_into_that_childs_summary():
    g = gold()
    ok = score([EvalCase(g, perfect(g, [summary("Noah Turner", "Noah Turner: contact is supervised.")]))])
    assert ok["leaks"] == 0  # his own name in his own summary is fine
    bad = score([EvalCase(g, perfect(g, [summary("Noah Turner", "Noah Turner and his sister Lily Smith.")]))])
    assert bad["leaks"] == 1
    assert bad["per_document"][0]["leaks"] == [{"string": "Lily SMITH", "child": "Noah Turner"}]


def test_null_gold_fields_are_not_scored():
    g = gold(meeting_date=None, next_review_date=None, linked_children=None, actions_for_childrens_services=None)
    r = perfect(gold())  # the service reports values the gold does not know
    res = score([EvalCase(g, r)])
    for f in ("meeting_date", "next_review_date", "release_date", "linked_children", "child_dob", "actions"):
        s = res["field_scores"][f]
        assert (s["tp"], s["fp"], s["fn"]) == (0, 0, 0), f
        assert s["precision"] is None and s["recall"] is None


def test_precision_recall_arithmetic_for_subjects():
    g = gold(subjects=[{"name": "John SMITH"}, {"name": "Siân LLYWELYN", "dob": "1990-01-02"}])
    r = perfect(g)
    r["fields"]["subjects"] = [{"name": "Mr John Smith"}, {"name": "Karen Walsh"}, {"name": "Dean Marsh"}]
    res = score([EvalCase(g, r)])
    s = res["field_scores"]["subject_names"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 2, 1)
    assert s["precision"] == pytest.approx(1 / 3)
    assert s["recall"] == pytest.approx(1 / 2)
    dob = res["field_scores"]["subject_dob"]
    assert (dob["tp"], dob["fp"], dob["fn"]) == (0, 0, 1)  # Siân missed, so her dob is missed
    misses = res["per_document"][0]["misses"]
    assert "missed subject Siân LLYWELYN" in misses
    assert "extra subject Karen Walsh" in misses


def test_wrong_value_is_a_false_positive_and_a_false_negative():
    g = gold()
    r = perfect(g)
    r["fields"]["meeting_date"] = "2025-05-08"
    r["fields"]["subjects"] = [dict(g["subjects"][0], mappa_level=3)]
    r["doc_type"] = "agenda"
    res = score([EvalCase(g, r)])
    md = res["field_scores"]["meeting_date"]
    assert (md["tp"], md["fp"], md["fn"]) == (0, 1, 1)
    lv = res["field_scores"]["subject_level"]
    assert (lv["tp"], lv["fp"], lv["fn"]) == (0, 1, 1)
    assert res["doc_type_accuracy"] == 0.0
    assert "wrong type: agenda (gold minutes)" in res["per_document"][0]["misses"]


def test_values_may_be_wrapped_with_span_and_confidence():
    g = gold()
    r = perfect(g)
    w = lambda v: {"value": v, "span": [0, 3], "confidence": 0.9}  # noqa: E731
    r["doc_type"] = w("minutes")
    r["fields"]["meeting_date"] = w("2025-05-07")
    r["fields"]["subjects"] = [{"name": w("SMITH, John"), "dob": w("1984-03-12"), "mappa_level": w(2),
                                "mappa_category": w("Category 1"), "pnc": w("2019/123456T")}]
    res = score([EvalCase(g, r)])
    fs = res["field_scores"]
    assert res["doc_type_accuracy"] == 1.0
    for f in ("meeting_date", "subject_names", "subject_dob", "subject_level", "subject_category", "subject_pnc"):
        assert fs[f]["recall"] == 1.0, f


@pytest.mark.parametrize(("a", "b", "same"), [
    ("John SMITH", "john smith", True), ("Mr John Smith", "John SMITH", True), ("SMITH, John", "John Smith", True),
    ("Siân Llywelyn", "Sian LLYWELYN", True), ("Pádraig MacDonnchadha", "Padraig Macdonnchadha", True),
    ("Gruffydd ap Rhys", "Gruffydd  AP  RHYS", True), ("John Smith", "John Smithson", False),
    ("Lily Smith", "Lily Smith-Jones", False), ("", "", False)])
def test_name_matching(a, b, same):
    assert names_match(a, b) is same


def test_alias_in_gold_matches_predicted_name():
    g = gold()
    r = perfect(g)
    r["fields"]["subjects"] = [{"name": "Johnny Smithson"}]
    assert score([EvalCase(g, r)])["field_scores"]["subject_names"]["tp"] == 1


def test_keep_rate_uses_words_not_exact_text():
    g = gold(risk_statements_to_keep=["poses a high risk of serious harm to children", "risk of violence to partners"])
    s = [summary("Lily SMITH", "Risk: HIGH risk of serious harm (to children). He poses this risk.")]
    res = score([EvalCase(g, perfect(g, s))])
    assert res["keep_rate"] == 0.5
    assert res["per_document"][0]["dropped_risks"] == ["risk of violence to partners"]


def test_keep_rate_is_null_without_summaries():
    g = gold()
    assert score([EvalCase(g, perfect(g))])["keep_rate"] is None


def test_actions_match_by_words_one_to_one():
    g = gold()
    r = perfect(g)
    r["fields"]["actions_for_childrens_services"] = [
        {"text": "Children's Services will complete a strategy discussion (28 days)"}, "Police to visit monthly"]
    a = score([EvalCase(g, r)])["field_scores"]["actions"]
    assert (a["tp"], a["fp"], a["fn"]) == (1, 1, 1)


def test_review_rate_and_reasons():
    g = gold()
    cases = [EvalCase(g, perfect(g, state="in_review", reasons=["LOW_CONFIDENCE: type", "LEAK: HMP"])),
             EvalCase(g, perfect(g, state="in_review", reasons=["LEAK: court"])),
             EvalCase(g, perfect(g)), EvalCase(g, perfect(g))]
    res = score(cases)
    assert res["review_rate"] == 0.5
    assert res["reviews_by_reason"] == {"LEAK": 2, "LOW_CONFIDENCE": 1}


def test_tables_render():
    g = gold()
    res = score([EvalCase(g, perfect(g, [summary("Lily SMITH", "HMP Pentonville")]), name="doc1")])
    console = Console(record=True, width=140)
    console.print(render_table(res))
    console.print(render_problems(res))
    out = console.export_text()
    assert "leak rate (released)" in out and "subject_names" in out
    assert "HMP Pentonville" in out and "doc1" in out


def test_gold_from_the_generator_scores_perfectly_against_itself(tmp_path):
    from tests.docgen import generate

    paths = generate(tmp_path, n=12, seed=3)
    cases = []
    for p in paths:
        g = json.loads((tmp_path / f"{p.stem}.gold.json").read_text())
        cases.append(EvalCase(g, perfect(g), name=p.name))
    res = score(cases)
    assert res["documents"] == 12
    assert res["doc_type_accuracy"] == 1.0
    for f, s in res["field_scores"].items():
        assert s["fn"] == 0 and s["fp"] == 0, f
