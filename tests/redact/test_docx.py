"""Writing the summary as DOCX + text, reading it back, and the metadata it must not carry."""

import zipfile

import docx

from redact.docx_out import read_back, write_summary_docx
from redact.policy import SummaryPolicy
from redact.summary import summarise
from tests.redact.helpers import facts, minutes

POLICY = SummaryPolicy("Example Borough Council")


def _summary(parsed, **kw):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    f = facts(**kw)
    s = summarise(doc, f, parsed(doc), POLICY)[0]
    assert s.released, (s.hits, s.doubts)
    return s, f


def test_written_file_is_the_released_text_with_marking_and_no_metadata(parsed, tmp_path):
    s, f = _summary(parsed)
    out = tmp_path / "lily.docx"
    assert write_summary_docx(s, out, POLICY) == ()
    assert write_summary_docx(s, out, POLICY, facts=f) == ()
    assert out.with_suffix(".txt").read_text() == s.text
    body, header, footer, problems = read_back(out)
    assert body == s.text and problems == []
    assert header == "Example Borough Council - OFFICIAL-SENSITIVE" and footer == "OFFICIAL-SENSITIVE"
    d = docx.Document(str(out))
    cp = d.core_properties
    assert (cp.author, cp.last_modified_by, cp.comments, cp.title, cp.keywords) == ("", "", "", "", "")
    assert cp.revision == 1 and cp.created is None and cp.modified is None
    names = zipfile.ZipFile(out).namelist()
    assert not any(n.startswith("customXml") or "comments" in n or "thumbnail" in n for n in names)
    app = zipfile.ZipFile(out).read("docProps/app.xml")
    assert b"Template" not in app and b"Application" not in app


def test_unreleased_summary_is_not_written(parsed, tmp_path):
    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    (s,) = summarise(doc, facts(meeting=None), parsed(doc), POLICY)
    out = tmp_path / "x.docx"
    assert not s.released
    assert write_summary_docx(s, out, POLICY)
    assert not out.exists() and not out.with_suffix(".txt").exists()


def test_tampered_text_fails_the_read_back_check(parsed, tmp_path):
    from dataclasses import replace

    s, f = _summary(parsed)
    bad = replace(s, text=s.text + "He was released from HMP Pentonville on licence.\n")
    out = tmp_path / "bad.docx"
    hits = write_summary_docx(bad, out, POLICY, facts=f)
    assert {h.code.value for h in hits} >= {"JUSTICE_PLACE", "RELEASE_PLAN"}
    assert not out.exists(), "a file that failed its check is removed"


def test_other_familys_name_in_written_file_is_caught(parsed, tmp_path):
    from dataclasses import replace

    s, f = _summary(parsed, children=(("Lily Smith", "daughter"), ("Noah Patel", "son")))
    bad = replace(s, text=s.text + "Noah Patel also attends.\n")
    hits = write_summary_docx(bad, tmp_path / "n.docx", POLICY, facts=f)
    assert any(h.code.value == "THIRD_PARTY" and "Noah" in h.text for h in hits)


def test_written_summary_is_a_consistent_package(parsed, tmp_path):
    from redact.docx_template import package_problems

    s, _ = _summary(parsed)
    out = tmp_path / "lily.docx"
    assert write_summary_docx(s, out, POLICY) == ()
    assert package_problems(out.read_bytes()) == []
    assert docx.Document(str(out)).paragraphs[0].style.name == "Heading 1"


def test_a_summary_carries_the_mark_of_its_written_form_check(parsed, tmp_path, monkeypatch):
    from redact import docx_out

    s, _ = _summary(parsed)
    assert s.read_back_checked == docx_out.check_mark(s.text, s.allowed, POLICY.nlp_model)
    assert docx_out.written_form_hits(s.text, s.allowed, POLICY.nlp_model) == ()
    calls = []
    real = docx_out.written_form_hits
    monkeypatch.setattr(docx_out, "written_form_hits", lambda *a: calls.append(a) or real(*a))
    assert write_summary_docx(s, tmp_path / "a.docx", POLICY) == ()
    assert calls == [], "the same check of the same text is not run twice"
    # another allowed name, or no mark: the check runs on what was read back
    from dataclasses import replace

    assert write_summary_docx(replace(s, allowed=s.allowed + ("Someone Else",)), tmp_path / "b.docx", POLICY) == ()
    assert write_summary_docx(replace(s, read_back_checked=""), tmp_path / "c.docx", POLICY) == ()
    assert [c[0] for c in calls] == [s.text, s.text]


def test_a_mark_does_not_cover_a_different_text(parsed, tmp_path):
    from dataclasses import replace

    s, _ = _summary(parsed)
    bad = replace(s, text=s.text + "He was released from HMP Pentonville on licence.\n")  # keeps the old mark
    out = tmp_path / "bad.docx"
    hits = write_summary_docx(bad, out, POLICY)
    assert any(h.code.value == "JUSTICE_PLACE" for h in hits)
    assert not out.exists()


def test_a_professional_named_in_an_action_passes_the_written_files_check_too(parsed, tmp_path):
    """The check with the facts treats a professional the summary names ("Children's Services
    (Julie Price) to share...") as a professional; the written file's check, made without the
    facts, must not take her for a third party and hold a summary the policy allows."""
    from dataclasses import replace

    from extract.facts import Found, Person

    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    f = facts(actions=(("Children's Services (Julie Price) to share this summary with the social worker", None),),
              attendees=())
    f = replace(f, other_people=(Person(Found("Julie Price"), "Children's Services", professional=True),
                                 Person(Found("Gary Whitlock"), "Probation", professional=True)))
    s = summarise(doc, f, parsed(doc), POLICY)[0]
    assert s.released, (s.hits, s.doubts)
    assert "Julie Price" in s.text and "Julie Price" in s.allowed
    assert "Gary Whitlock" not in s.allowed  # a professional the summary does not name is not carried
    assert s.read_back_checked, "its written form passes the same check"
    assert write_summary_docx(s, tmp_path / "a.docx", POLICY) == ()
    without = replace(s, allowed=tuple(a for a in s.allowed if a != "Julie Price"), read_back_checked="")
    assert write_summary_docx(without, tmp_path / "b.docx", POLICY), "the check sees her name without the list"


def test_a_third_party_is_not_carried_as_an_allowed_name(parsed):
    from dataclasses import replace

    from extract.facts import Found, Person

    doc = minutes([("Risk", ["He poses a high risk of serious harm to children."])])
    f = facts(actions=(("Children's Services to tell Kelly Turner of the plan", None),), attendees=())
    f = replace(f, other_people=(Person(Found("Kelly Turner"), "partner"),))
    s = summarise(doc, f, parsed(doc), POLICY)[0]
    assert "Kelly Turner" not in s.allowed
    assert "Kelly Turner" not in s.text or not s.released
