"""Minutes, from hand-made Facts and summaries to every output, on SQLite and real PostgreSQL."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extract.facts import Child as FChild
from ingest.vault import Vault
from outputs import audit
from outputs.docs import docx_text
from outputs.filing import apply_outputs, approve_summary, decide_review, match_summary_child, qa_sampled
from outputs.records import (
    ActionItem,
    Child,
    Delivery,
    DiaryEntry,
    PanelMeeting,
    RedactionLog,
    Relationship,
    Subject,
    SubjectFlag,
    Summary,
)
from tests.outputs.outputs_helpers import (
    DOC_TEXT,
    FORBIDDEN,
    NOW,
    F,
    add_document,
    assert_never_on_child_file,
    config,
    files_under,
    minutes_facts,
    minutes_summaries,
    seed,
    summary,
)


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_minutes_filed_with_every_duty(session: Session, vault: Vault, tmp_path: Path, smtp_server) -> None:
    host, port, inbox = smtp_server
    cfg = config(tmp_path, smtp_host=host, smtp_port=port)
    seed(session)
    doc = add_document(session, vault)
    result = apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    session.commit()

    assert result.state == "filed", result.reasons
    assert doc.placement == "subject_record"
    john = session.scalars(select(Subject).where(Subject.ref == "S-100")).one()
    assert doc.subject_id == john.id and john.mappa_level == 2
    flags = [f for f in john.flags if f.active]
    assert [(f.kind, f.text) for f in flags] == [
        ("mappa", "MAPPA Level 2: poses a high risk of sexual harm to female children under 12")]
    links = session.scalars(select(Relationship).where(Relationship.subject_id == john.id)).all()
    assert len(links) == 2 and all(link.cause_for_concern for link in links)
    diary = session.scalars(select(DiaryEntry).where(DiaryEntry.subject_id == john.id)).one()
    assert diary.due == date(2025, 6, 12) + timedelta(days=112)  # level 2 default: sixteen weeks
    actions = session.scalars(select(ActionItem).order_by(ActionItem.position)).all()
    assert [a.position for a in actions] == [0, 2]  # the police action is not children's services'
    assert actions[0].child_id == session.scalars(select(Child.id).where(Child.file_ref == "CF-1001")).one()
    panel = session.scalars(select(PanelMeeting)).one()
    assert panel.status == "held" and panel.attendance == ["Jo Smith (social worker)"]

    # Summaries: one DOCX each in the North team folder, and one e-mail each to the worker.
    north = files_under(tmp_path / "shares" / "north")
    assert len(north) == 2
    texts = {p.name: docx_text(p) for p in north}
    amy = next(t for n, t in texts.items() if "CF-1001" in n)
    assert amy.startswith("Summary for Amy Brown.") and "Testshire Council - OFFICIAL-SENSITIVE" in amy
    # Written by the redaction stage's writer: no author, template or revision metadata.
    for path in north:
        props = DocxDocument(str(path)).core_properties
        assert (props.author, props.last_modified_by, props.title, props.comments) == ("", "", "", "")
    assert "poses a high risk of sexual harm" in amy
    for text in texts.values():
        for bad in FORBIDDEN:
            assert bad not in text
    assert len(inbox.messages) == 2
    msg = email.message_from_bytes(inbox.messages[0][2])
    assert inbox.messages[0][1] == ["j.smith@council.test"]
    attachment = next(p for p in msg.walk() if p.get_filename())
    assert attachment.get_filename().endswith(".docx") and len(attachment.get_payload(decode=True)) > 1000
    assert result.deliveries == 2
    assert {s.status for s in session.scalars(select(Summary))} == {"delivered"}
    # Redaction logs: encrypted in the vault, never with the summary.
    logs = session.scalars(select(RedactionLog)).all()
    assert len(logs) == 2 and all(vault.exists(log.blob) for log in logs)
    assert FORBIDDEN[0].encode() not in vault.path_for(logs[0].blob).read_bytes()
    assert FORBIDDEN[0] in vault.get(logs[0].blob).decode()
    assert_never_on_child_file(session, doc, DOC_TEXT)
    assert audit.verify(session) == []


def test_rerun_after_rollback_sends_nothing_twice(session: Session, vault: Vault, tmp_path: Path,
                                                  smtp_server) -> None:
    host, port, inbox = smtp_server
    cfg = config(tmp_path, smtp_host=host, smtp_port=port)
    seed(session)
    doc = add_document(session, vault)
    session.commit()
    doc_id = doc.id
    apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    session.rollback()  # the driver crashed before committing the state
    doc = session.get_one(type(doc), doc_id)
    result = apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    again = apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    session.commit()
    assert result.state == again.state == "filed"
    assert len(inbox.messages) == 2  # not 4 or 6
    assert len(files_under(tmp_path / "shares" / "north")) == 2
    assert _count(session, Delivery) == 4 and _count(session, SubjectFlag) == 1
    assert _count(session, DiaryEntry) == 1 and _count(session, ActionItem) == 2
    assert _count(session, Summary) == 2 and _count(session, PanelMeeting) == 1
    assert [e.action for e in audit_entries(session)][-1:] == ["document.filed"]
    assert sum(e.action == "document.filed" for e in audit_entries(session)) == 1
    assert not list((tmp_path / "shares" / "north").glob(".*tmp"))


def test_unreleased_summary_holds_the_document_in_review(session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path)
    seed(session)
    doc = add_document(session, vault)
    sums = (summary("Amy Brown", 0, released=False, extra=" Held at HMP Pentonville."), summary("Ben Brown", 1))
    result = apply_outputs(session, vault, doc, minutes_facts(), sums, cfg, NOW)
    doc.state = result.state
    session.commit()
    assert result.state == "in_review"
    assert any("not released" in r and "HMP Pentonville" in r for r in result.reasons)
    # Nothing acted on, nothing sent; the held text is encrypted, not in the table.
    assert files_under(tmp_path / "shares") == []
    assert _count(session, SubjectFlag) == 0 and _count(session, DiaryEntry) == 0
    held = session.scalars(select(Summary).where(Summary.child_index == 0)).one()
    assert held.status == "held" and held.text == "" and "HMP Pentonville" in vault.get(held.text_blob).decode()
    # A person approves: duties run, the released summary goes, the held one stays held.
    out = decide_review(session, vault, doc.id, "approve", "qa.manager", config=cfg, now=NOW, facts=minutes_facts())
    session.commit()
    assert out.state == "filed" and doc.state == "filed"
    assert len(files_under(tmp_path / "shares" / "north")) == 1
    assert held.status == "held"
    assert _count(session, SubjectFlag) == 1
    assert [e.action for e in audit_entries(session)][-2:] == ["document.filed", "review.approve"]


def audit_entries(session: Session) -> list:
    from outputs.records import AuditEntry

    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_unknown_child_waits_for_a_person_to_match(session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path)
    seed(session)
    doc = add_document(session, vault)
    facts = minutes_facts(children=(FChild(F("Amy Brown"), F(date(2015, 3, 2))), FChild(F("Zoe Unknown"))))
    sums = (summary("Amy Brown", 0), summary("Zoe Unknown", 1))
    result = apply_outputs(session, vault, doc, facts, sums, cfg, NOW)
    doc.state = result.state
    session.commit()
    assert result.state == "in_review" and any("Zoe Unknown" in r and "not found" in r for r in result.reasons)
    zoe = session.scalars(select(Summary).where(Summary.child_index == 1)).one()
    assert zoe.status == "awaiting_match" and files_under(tmp_path / "shares") == []
    decide_review(session, vault, doc.id, "approve", "qa.manager", config=cfg, now=NOW, facts=facts)
    session.commit()
    assert len(files_under(tmp_path / "shares" / "north")) == 1 and zoe.status == "awaiting_match"
    dean = session.scalars(select(Child).where(Child.file_ref == "CF-3001")).one()
    assert match_summary_child(session, zoe.id, dean.id, "qa.manager", config=cfg, now=NOW) == []
    session.commit()
    assert zoe.status == "delivered" and len(files_under(tmp_path / "shares" / "east")) == 1


def test_shred_setting_and_approve_release(session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path, full_document="shred", release="approve", qa_sample_rate=1.0)
    seed(session)
    doc = add_document(session, vault)
    result = apply_outputs(session, vault, doc, minutes_facts(), minutes_summaries(), cfg, NOW)
    doc.state = result.state
    session.commit()
    assert result.state == "shred_queued" and result.deliveries == 0
    rows = session.scalars(select(Summary).order_by(Summary.child_index)).all()
    assert [r.status for r in rows] == ["approval_pending", "approval_pending"]
    assert files_under(tmp_path / "shares") == []
    assert approve_summary(session, rows[0].id, "team.manager", config=cfg, now=NOW) == []
    session.commit()
    assert rows[0].status == "delivered" and rows[0].qa_sampled and rows[1].status == "approval_pending"
    assert len(files_under(tmp_path / "shares" / "north")) == 1


def test_qa_sample_is_deterministic_and_near_the_rate() -> None:
    picks = [qa_sampled(f"{i:064x}", 0, 0.1) for i in range(2000)]
    assert picks == [qa_sampled(f"{i:064x}", 0, 0.1) for i in range(2000)]
    assert 120 < sum(picks) < 280


def test_discussed_not_mappa_gets_a_hazard_flag_and_review_from_minutes(session: Session, vault: Vault,
                                                                        tmp_path: Path) -> None:
    seed(session)
    doc = add_document(session, vault)
    facts = minutes_facts(discussed_not_mappa=True, next_review_date=F(date(2025, 9, 1)))
    result = apply_outputs(session, vault, doc, facts, minutes_summaries(), config(tmp_path), NOW)
    session.commit()
    assert result.state == "filed"
    flags = session.scalars(select(SubjectFlag).where(SubjectFlag.active.is_(True))).all()
    assert [f.kind for f in flags] == ["hazard"] and "not managed under MAPPA" in flags[0].text
    assert session.scalars(select(DiaryEntry.due)).one() == date(2025, 9, 1)


def test_child_subject_minutes_go_on_his_own_file(session: Session, vault: Vault, tmp_path: Path) -> None:
    from extract.facts import Subject as FSubject

    seed(session)
    doc = add_document(session, vault)
    dean = FSubject(name=F("Dean Young"), dob=F(date(2009, 5, 5)), mappa_level=F(1))
    facts = minutes_facts(subjects=(dean,), children=(), actions=())
    result = apply_outputs(session, vault, doc, facts, (), config(tmp_path), NOW)
    session.commit()
    assert result.state == "filed" and doc.placement == "own_file" and "CF-3001" in doc.placement_reason
    own = session.scalars(select(Subject).where(Subject.name == "Dean Young")).one()
    assert own.own_child_id == session.scalars(select(Child.id).where(Child.file_ref == "CF-3001")).one()
    # The other setting: to the subject's record.
    doc2 = add_document(session, vault, text=DOC_TEXT + " second")
    apply_outputs(session, vault, doc2, facts, (), config(tmp_path, offender_is_child_minutes="subject_record"), NOW)
    assert doc2.placement == "subject_record"


def test_uncertain_subject_match_goes_to_review(session: Session, vault: Vault, tmp_path: Path) -> None:
    seed(session)
    doc = add_document(session, vault)
    facts = minutes_facts(subjects=(replace(minutes_facts().subjects[0], pnc=None, dob=None),))
    result = apply_outputs(session, vault, doc, facts, minutes_summaries(), config(tmp_path), NOW)
    assert result.state == "in_review" and any("name only" in r for r in result.reasons)
    wrong_dob = replace(minutes_facts().subjects[0], dob=F(date(1990, 1, 1)))
    result = apply_outputs(session, vault, doc, minutes_facts(subjects=(wrong_dob,)), minutes_summaries(),
                           config(tmp_path), NOW)
    assert result.state == "in_review" and any("date of birth differs" in r for r in result.reasons)


@pytest.mark.parametrize("order", [("old", "new"), ("new", "old")])
def test_older_minutes_arriving_later_do_not_replace_the_newer_level_flag_or_review(
        session: Session, vault: Vault, tmp_path: Path, order: tuple[str, str]) -> None:
    """A bulk import copies archived minutes in any order: whichever order two sets of minutes
    for the same man are filed in, his level, flag and open review come from the newer meeting,
    and the older one's panel is still recorded."""
    cfg = config(tmp_path)
    seed(session)
    meetings = {
        "old": minutes_facts(meeting_date=F(date(2024, 1, 10)), next_review_date=F(date(2024, 4, 10)),
                             subjects=(replace(minutes_facts().subjects[0], mappa_level=F(3)),)),
        "new": minutes_facts(meeting_date=F(date(2025, 6, 12)), next_review_date=F(date(2025, 9, 12))),
    }
    for which in order:
        doc = add_document(session, vault, text=f"{DOC_TEXT} ({which})", filename=f"minutes-{which}.txt")
        result = apply_outputs(session, vault, doc, meetings[which], minutes_summaries(), cfg, NOW)
        session.commit()
        assert result.state == "filed", result.reasons
    john = session.scalars(select(Subject).where(Subject.ref == "S-100")).one()
    flags = [f.text for f in john.flags if f.active]
    open_reviews = [e.due for e in session.scalars(select(DiaryEntry).where(
        DiaryEntry.subject_id == john.id, DiaryEntry.kind == "review", DiaryEntry.done.is_(False)))]
    held = sorted(p.meeting_date for p in session.scalars(select(PanelMeeting).where(
        PanelMeeting.subject_id == john.id, PanelMeeting.status == "held")) if p.meeting_date)
    assert john.mappa_level == 2 and len(flags) == 1 and flags[0].startswith("MAPPA Level 2")
    assert open_reviews == [date(2025, 9, 12)] and held == [date(2024, 1, 10), date(2025, 6, 12)]
