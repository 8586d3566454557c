"""Prison notifications, agendas and invitations, from hand-made Facts to letters, flags, packs and notices."""

from __future__ import annotations

import email
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract.facts import DocType, Facts, Subject
from ingest.vault import Vault
from outputs.docs import docx_text
from outputs.filing import apply_outputs
from outputs.records import Letter, PanelMeeting, SubjectFlag
from outputs.records import Subject as SubjectRow
from tests.outputs.outputs_helpers import (
    NOW,
    F,
    add_document,
    assert_never_on_child_file,
    config,
    files_under,
    john,
    minutes_facts,
    seed,
)

NOTIFICATION = ("HMP Pentonville, Offender Management Unit. Release notification. Prisoner A1234BC John Edward SMITH "
                "is due for release on licence on 01/08/2025 to Elm House Approved Premises.")


def prison_facts(subject: Subject) -> Facts:
    return Facts(doc_type=F(DocType.PRISON_NOTIFICATION), subjects=(subject,), release_date=F(date(2025, 8, 1)),
                 establishment=F("HMP Pentonville"), prison_contact=F("Offender Management Unit, HMP Pentonville"))


def test_known_subject_with_open_case(session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path)
    seed(session)
    doc = add_document(session, vault, NOTIFICATION, "release-notification.pdf", "prison_notification")
    result = apply_outputs(session, vault, doc, prison_facts(john(prison_number=F("A1234BC"))), (), cfg, NOW)
    session.commit()
    assert result.state == "filed" and len(result.letters) == 1
    letter = docx_text(result.letters[0])
    for expected in ("Offender Management Unit, HMP Pentonville", "John Edward Smith", "A1234BC", "01/08/2025",
                     "Testshire Council", "1 Civic Way, Testtown", "01234 567890", "A. Coordinator", "18/06/2025"):
        assert expected in letter, expected
    assert "FOR INFORMATION" not in letter
    # A copy of the notification (decrypted) and of the letter, to the North team, for information.
    north = files_under(tmp_path / "shares" / "north")
    assert sorted(p.name for p in north) == [f"FOR INFORMATION - acknowledgement-{doc.id}.docx",
                                             "FOR INFORMATION - release-notification.pdf"]
    copy = next(p for p in north if p.suffix == ".pdf")
    assert copy.read_bytes() == NOTIFICATION.encode()
    assert docx_text(next(p for p in north if p.suffix == ".docx")).startswith("FOR INFORMATION")
    assert files_under(tmp_path / "shares" / "south") == []
    assert result.deliveries == 1
    assert_never_on_child_file(session, doc, NOTIFICATION)


def test_unknown_subject_gets_a_warning_and_the_next_panel_and_no_copy(session: Session, vault: Vault,
                                                                        tmp_path: Path) -> None:
    cfg = config(tmp_path)
    seed(session)
    doc = add_document(session, vault, NOTIFICATION.replace("John Edward SMITH", "Carl NEWMAN"), "n.pdf",
                       "prison_notification")
    carl = Subject(name=F("Carl NEWMAN"), dob=F(date(1990, 2, 2)), prison_number=F("B7777CD"))
    result = apply_outputs(session, vault, doc, prison_facts(carl), (), cfg, NOW)
    session.commit()
    assert result.state == "filed"
    rec = session.scalars(select(SubjectRow).where(SubjectRow.prison_number == "B7777CD")).one()
    assert rec.name == "Carl NEWMAN" and rec.ref.startswith("MS-") and doc.subject_id == rec.id
    flag = session.scalars(select(SubjectFlag).where(SubjectFlag.subject_id == rec.id)).one()
    assert flag.kind == "mappa_warning" and "next MAPPA panel" in flag.text
    listed = session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == rec.id)).one()
    assert listed.status == "listed" and listed.meeting_date is None
    assert files_under(tmp_path / "shares") == []  # no copy to any team
    assert len(result.letters) == 1 and result.letters[0].exists()
    # The next agenda lists him: his 'next panel' place gets the date, no second place.
    agenda = add_document(session, vault, "agenda with Carl", "agenda.docx", "agenda")
    apply_outputs(session, vault, agenda, agenda_facts(carl), (), cfg, NOW)
    session.commit()
    places = session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == rec.id)).all()
    assert [(p.status, p.meeting_date) for p in places] == [("scheduled", date(2025, 7, 10))]


def agenda_facts(*subjects: Subject, kind: DocType = DocType.AGENDA) -> Facts:
    return Facts(doc_type=F(kind), subjects=subjects, meeting_date=F(date(2025, 7, 10)), meeting_time=F("10:00"),
                 meeting_place=F("Room 4, Civic Centre"))


def test_agenda_lists_flags_packs_and_notices(session: Session, vault: Vault, tmp_path: Path, smtp_server) -> None:
    host, port, inbox = smtp_server
    cfg = config(tmp_path, smtp_host=host, smtp_port=port)
    seed(session)
    # John has had three panels; his pack must hold the last two only.
    for n, day in enumerate((date(2024, 9, 1), date(2025, 1, 10), date(2025, 5, 2))):
        minutes = add_document(session, vault, f"minutes {n}", f"m{n}.txt")
        facts = minutes_facts(meeting_date=F(day), children=(), actions=())
        assert apply_outputs(session, vault, minutes, facts, (), cfg, NOW).state == "filed"
    session.commit()
    doc = add_document(session, vault, "MAPPA agenda", "agenda.docx", "agenda")
    mark = Subject(name=F("Mark GREEN"), dob=F(date(1975, 9, 9)))
    newcomer = Subject(name=F("Oliver Twist"), dob=F(date(1985, 1, 1)))
    result = apply_outputs(session, vault, doc, agenda_facts(john(), mark, newcomer), (), cfg, NOW)
    session.commit()
    assert result.state == "filed", result.reasons

    new = session.scalars(select(SubjectRow).where(SubjectRow.name == "Oliver Twist")).one()
    assert [(f.kind, f.text) for f in new.flags] == [("to_be_discussed", "To be discussed at MAPPA on 10/07/2025")]
    packs = {Path(p).name: docx_text(Path(p)) for p in
             session.scalars(select(Letter.path).where(Letter.kind == "panel_pack", Letter.document_id == doc.id))}
    assert len(packs) == 3
    john_pack = packs["pack-S-100.docx"]
    assert "Panel of 10/01/2025" in john_pack and "Panel of 02/05/2025" in john_pack
    assert "Panel of 01/09/2024" not in john_pack  # the previous TWO panels only
    assert "Amy Brown (CF-1001)" in john_pack
    pre = docx_text(Path(session.scalars(select(Letter.path).where(
        Letter.kind == "pre_meeting_summary", Letter.subject_id == session.scalars(
            select(SubjectRow.id).where(SubjectRow.ref == "S-100")).one())).one()))
    assert "Amy Brown (CF-1001)" in pre and "case open" in pre and "social worker jsmith" in pre
    assert "Level" not in pre  # no MAPPA detail needed

    # Notices: John's children are open cases -> worker and the district SPOC; Mark's niece is a
    # closed case -> the SPOC of the district where she lives; the newcomer has no children -> none.
    rcpts = sorted(r for _, tos, _ in inbox.messages for r in tos)
    assert rcpts == ["j.smith@council.test", "north.spoc@council.test", "south.spoc@council.test"]
    for _, _, raw in inbox.messages:
        body = email.message_from_bytes(raw)
        text = next(p for p in body.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
        assert "10/07/2025 at 10:00, Room 4, Civic Centre" in text
        assert "Level" not in text and "2001/0012345X" not in text
    assert all(p.meeting_date == date(2025, 7, 10) for p in session.scalars(
        select(PanelMeeting).where(PanelMeeting.document_id == doc.id)))
    assert_never_on_child_file(session, doc, "MAPPA agenda")


def test_invitation_without_smtp_goes_to_team_folders(session: Session, vault: Vault, tmp_path: Path) -> None:
    cfg = config(tmp_path)
    seed(session)
    doc = add_document(session, vault, "Invitation to MAPPA", "invite.eml", "invitation")
    result = apply_outputs(session, vault, doc, agenda_facts(john(), kind=DocType.INVITATION), (), cfg, NOW)
    session.commit()
    assert result.state == "filed" and result.deliveries == 1
    north = files_under(tmp_path / "shares" / "north")
    assert [p.name for p in north] == ["notice-S-100-2025-07-10.docx"]
    assert "John Edward Smith is to be discussed at a MAPPA meeting on 10/07/2025" in docx_text(north[0])


def test_unknown_document_type_and_missing_date_go_to_review(session: Session, vault: Vault, tmp_path: Path) -> None:
    seed(session)
    doc = add_document(session, vault, "something else", "x.txt", "other")
    other = Facts(doc_type=F(DocType.OTHER), subjects=(john(),))
    result = apply_outputs(session, vault, doc, other, (), config(tmp_path), NOW)
    assert result.state == "in_review" and any("no filing rule" in r for r in result.reasons)
    undated = Facts(doc_type=F(DocType.AGENDA), subjects=(john(),))
    assert "no meeting date found" in apply_outputs(session, vault, doc, undated, (), config(tmp_path), NOW).reasons
    unsure = Facts(doc_type=F(DocType.AGENDA, 0.3), subjects=(john(),), meeting_date=F(date(2025, 7, 1)),
                   reasons=("OCR confidence low on page 2",))
    reasons = apply_outputs(session, vault, doc, unsure, (), config(tmp_path), NOW).reasons
    assert "OCR confidence low on page 2" in reasons and any("uncertain" in r for r in reasons)
    assert session.scalars(select(Letter)).all() == []
